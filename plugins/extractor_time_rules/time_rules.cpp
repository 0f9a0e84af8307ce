// tandem.extractor.time_rules — every time expression of a message, resolved by the host, with polarity.
//
// For each message: pick the language data by the sender's locale, read the text into TimeExpressions
// (parser.hpp), ask services().time().resolve_into() for each one's readings, and emit per expression i the
// variables time[i].value (candidates "START/END" in the sender's zone) and time[i].polarity. See
// README.md for the config and the data files.
//
// Thread-safety: extract() may run on many threads at once; the per-locale lexicon cache is locked, but
// the locale used last is found through an atomic pointer, and a message's working memory is leased
// from an atomic spare slot (or, when threads overlap, a locked pool).
// Ownership: keeps a reference to the host's Services, which outlives the instance.
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <vector>

#include "lexicon.hpp"
#include "library_dir.hpp"
#include "line_files.hpp"
#include "parser.hpp"
#include "tandem/sdk/plugin.hpp"

namespace tandem::plugins::time_rules {
namespace {

constexpr const char* kSchema = R"({
  "type": "object",
  "description": "Finds time expressions in the message text, resolves them through the host's time service and annotates time[i].value and time[i].polarity.",
  "properties": {
    "data_dir": {
      "type": "string",
      "minLength": 1,
      "description": "Folder of the language files (<lang>.yaml) and zones.yaml; relative to the config file. Default: the folder time_rules next to the plugin library."
    },
    "languages": {
      "type": "array",
      "items": {"type": "string", "pattern": "^[a-z]{2,3}$"},
      "minItems": 1,
      "description": "Only these languages (ISO 639 codes of the data files); messages in others get no annotation. Default: every file in data_dir."
    },
    "min_confidence": {
      "type": "number",
      "minimum": 0,
      "maximum": 1,
      "default": 0,
      "description": "Expressions whose most probable reading is less likely than this are left out."
    }
  },
  "additionalProperties": false
})";

// The folder of this library: where the build and the install put time_rules/.
std::filesystem::path library_dir() {
  return common::library_dir_of(reinterpret_cast<const void*>(&library_dir));
}

// "00" to "99": two digits per table lookup.
constexpr std::array<char, 200> kDigitPairs = [] {
  std::array<char, 200> t{};
  for (int v = 0; v < 100; ++v) {
    t[static_cast<std::size_t>(2 * v)] = static_cast<char>('0' + v / 10);
    t[static_cast<std::size_t>(2 * v + 1)] = static_cast<char>('0' + v % 10);
  }
  return t;
}();
void put2(char* at, unsigned value) {  // value < 100
  std::memcpy(at, kDigitPairs.data() + 2 * static_cast<std::size_t>(value), 2);
}

// Writes wall times as "YYYY-MM-DDTHH:MM", remembering the month of the last day written: its first
// instant, its length and its text "YYYY-MM-". The readings of a message (and of the messages after it)
// mostly fall in one month, so a wall time is mostly one subtraction, a few multiplications by
// constants and fixed-size copies, with no calendar arithmetic.
class WallWriter {
 public:
  // The most a wall time takes (years outside 0 to 9999 through snprintf; kMax - 1 characters at most).
  static constexpr std::size_t kMax = 32;

  // Writes the wall time of `t` at `at` (room for kMax characters); returns how many were written.
  // Inlined where it is called: the common case is a few instructions.
  [[gnu::always_inline]] std::size_t write(char* at, std::chrono::local_seconds t) {
    // Seconds since the month began, in unsigned (modular) arithmetic: an instant before the month wraps
    // to a large value and misses like one after it.
    const std::uint64_t since = static_cast<std::uint64_t>(t.time_since_epoch().count()) - month_begin_;
    if (since >= month_length_) [[unlikely]]
      return write_new_month(at, t);
    const auto in_month = static_cast<std::uint32_t>(since);  // less than 31 days
    const std::uint32_t day = in_month / kDay;
    const std::uint32_t minute = (in_month - day * kDay) / 60;  // of the day
    const std::uint32_t hour = minute / 60;
    std::memcpy(at, month_text_, 8);
    put2(at + 8, day + 1);
    at[10] = 'T';
    put2(at + 11, hour);
    at[13] = ':';
    put2(at + 14, minute - hour * 60);
    return 16;
  }

  // Makes the month of `day` (whose date is `date`) the one written from, unless it is already: the
  // caller has the date of the message at hand, and most readings fall in its month.
  void enter_month_of(std::chrono::local_days day, const std::chrono::year_month_day& date) {
    const int year = static_cast<int>(date.year());
    const unsigned month = static_cast<unsigned>(date.month());
    if (month_length_ != 0 && year == year_ && month == month_) return;
    if (year < 0 || year > 9999) return;
    enter(static_cast<std::uint64_t>(day.time_since_epoch().count() - (static_cast<unsigned>(date.day()) - 1)) * kDay,
          year, month, days_in(year, month));
  }

 private:
  static constexpr std::uint32_t kDay = 86400;

  // The days of `month` (1 to 12) of `year`, by the calendar library (asked only when a new month is
  // entered).
  static unsigned days_in(int year, unsigned month) {
    return static_cast<unsigned>((std::chrono::year{year} / std::chrono::month{month} / std::chrono::last).day());
  }

  // Makes the month of `year` and `month` (0 to 9999, 1 to 12), of `days` days from `begin`, the one
  // written from.
  void enter(std::uint64_t begin, int year, unsigned month, unsigned days) {
    month_begin_ = begin;
    month_length_ = static_cast<std::uint64_t>(days) * kDay;
    year_ = year;
    month_ = month;
    put2(month_text_, static_cast<unsigned>(year) / 100);
    put2(month_text_ + 2, static_cast<unsigned>(year) % 100);
    month_text_[4] = '-';
    put2(month_text_ + 5, month);
    month_text_[7] = '-';
  }

  // Enters the month of `t` and writes it; years outside 0 to 9999 (no month is kept) through snprintf.
  // Out of line: write() stays small enough to be inlined where it is called.
  [[gnu::noinline]] std::size_t write_new_month(char* at, std::chrono::local_seconds t) {
    const std::int64_t s = t.time_since_epoch().count();
    std::int64_t day_count = s / kDay;
    std::int64_t rest = s % kDay;
    if (rest < 0) {
      rest += kDay;
      --day_count;
    }
    const std::chrono::year_month_day ymd{std::chrono::local_days{std::chrono::days{day_count}}};
    const int year = static_cast<int>(ymd.year());
    if (year < 0 || year > 9999) {
      month_length_ = 0;
      const int n = std::snprintf(at, kMax, "%04d-%02u-%02uT%02d:%02d", year, static_cast<unsigned>(ymd.month()),
                                  static_cast<unsigned>(ymd.day()), static_cast<int>(rest / 3600),
                                  static_cast<int>(rest % 3600 / 60));
      return static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(kMax) - 1));
    }
    // The month's first instant: `s` less the days before this one and the time of day (modular, like the
    // subtraction in write()).
    enter(static_cast<std::uint64_t>(s) - static_cast<std::uint64_t>(rest) -
              static_cast<std::uint64_t>(static_cast<unsigned>(ymd.day()) - 1) * kDay,
          year, static_cast<unsigned>(ymd.month()), days_in(year, static_cast<unsigned>(ymd.month())));
    return write(at, t);
  }

  std::uint64_t month_begin_ = 0;   // the month's first instant, as the bits of local seconds
  std::uint64_t month_length_ = 0;  // in seconds; 0: no month yet
  int year_ = 0;                    // of the month
  unsigned month_ = 0;              // 1 to 12
  char month_text_[8] = {};         // "YYYY-MM-"
};

// One candidate before it is made: its text, written in place, and its probability.
struct Pending {
  Pending() {}  // NOLINT: the text is written before it is read, so it is left unset
  double p;
  std::uint32_t size;
  char text[2 * WallWriter::kMax + 1];
};

// Writes one pending candidate per reading into `pending` from `n` on (the vector only grows: its
// entries are reused from one expression to the next); returns the new count. The weights are scaled to
// sum to `share`; `why` (when given and still empty) takes the first explanation.
// Inlined where it is called (twice per expression: a call's saved registers cost more than its work).
[[gnu::always_inline]] inline std::size_t add_readings(const std::vector<sdk::TimeReading>& readings,
                                                     sdk::TimeExpression::Shape shape, double share, WallWriter& wall,
                                                     std::vector<Pending>& pending, std::size_t n,
                                                     std::string_view* why) {
  double sum = 0;
  for (const auto& r : readings) sum += r.weight > 0 ? r.weight : 0;
  for (const sdk::TimeReading& r : readings) {
    const double w = sum > 0 ? (r.weight > 0 ? r.weight : 0) / sum : 1.0 / static_cast<double>(readings.size());
    if (n == pending.size()) pending.emplace_back();
    Pending& c = pending[n++];
    c.p = share * w;
    // A point reads "START/START"; an open end "START/".
    char* const text = c.text;
    std::size_t size = 0;
    if (r.has_start) size = wall.write(text, r.start);
    const std::size_t start_size = size;
    text[size++] = '/';
    if (r.has_end && !(r.has_start && r.end == r.start)) {
      size += wall.write(text + size, r.end);
    } else if (r.has_end || (r.has_start && shape == sdk::TimeExpression::Shape::at)) {
      // A point: its end is its start, written once.
      if (start_size == 16) std::memcpy(text + size, text, 16);  // the common form, copied without a call
      else std::memcpy(text + size, text, start_size);
      size += start_size;
    }
    c.size = static_cast<std::uint32_t>(size);
    if (why != nullptr && why->empty()) *why = r.why;
  }
  return n;
}

// A string of the `N` characters at `text`, with the library's code inlined (flatten): the size is known, so
// the copy is a few moves, with no call but the allocation's.
template <std::size_t N>
[[gnu::flatten]] std::string literal_string(const char* text) {
  return std::string(text, N);
}

// An argument of emplace_back() that makes its member where the member lives: a conversion whose result
// (a prvalue) initialises the member directly, with no temporary to move from and destroy.
template <typename Make>
struct InPlace {
  Make make;
  operator std::invoke_result_t<Make&>() { return make(); }  // NOLINT: implicit by design
};
template <typename Make>
InPlace(Make) -> InPlace<Make>;

std::string language_of(std::string_view locale) {
  const std::size_t cut = locale.find_first_of("_-@.");
  std::string lang(locale.substr(0, cut));
  for (char& c : lang)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lang;
}

}  // namespace

class TimeRules final : public sdk::ExtractorPlugin {
 public:
  ~TimeRules() override { delete spare_.load(); }
  TimeRules(const TimeRules&) = delete;
  TimeRules& operator=(const TimeRules&) = delete;

  explicit TimeRules(const sdk::PluginContext& ctx) : services_(ctx.services()) {
    const sdk::ConfigNode& config = ctx.config();
    min_confidence_ = config.get_double("min_confidence", 0.0);
    std::filesystem::path dir;
    const sdk::ConfigNode* dir_node = config.find("data_dir");
    if (dir_node != nullptr) {
      dir = common::config_path(*dir_node);
    } else {
      dir = library_dir() / "time_rules";
    }
    const sdk::ConfigNode& where = dir_node != nullptr ? *dir_node : config;
    std::vector<std::string> wanted;
    if (const sdk::ConfigNode* langs = config.find("languages"))
      for (const auto& item : langs->items()) wanted.push_back(item.scalar());

    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      ctx.errors().add(where, "data_dir: expected a folder of language files, found no folder \"" + dir.string() + "\"");
      return;
    }
    std::vector<std::string> messages;
    if (std::filesystem::exists(dir / "zones.yaml"))
      load_zone_abbreviations(dir / "zones.yaml", zones_, messages);
    std::vector<std::string> available;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
      if (entry.path().extension() == ".yaml" && entry.path().stem() != "zones") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      const std::string code = file.stem().string();
      available.push_back(code);
      if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), code) == wanted.end()) continue;
      LanguageData data;
      if (load_language(file, data, messages)) languages_.emplace(code, std::move(data));
    }
    for (const auto& m : messages) ctx.errors().add(where, "data_dir: " + m);
    if (const sdk::ConfigNode* langs = config.find("languages")) {
      for (const auto& item : langs->items())
        if (std::find(available.begin(), available.end(), item.scalar()) == available.end())
          ctx.errors().add(item, "no language file \"" + item.scalar() + ".yaml\" in \"" + dir.string() + "\"" +
                                     sdk::did_you_mean(item.scalar(), available));
    }
    if (languages_.empty() && messages.empty())
      ctx.errors().add(where, "data_dir: expected language files (<lang>.yaml) in \"" + dir.string() + "\", found none");
  }

 protected:
  sdk::Status on_extract(const sdk::Message& msg, std::vector<sdk::Annotation>& out) override {
    const Lexicon* lex = nullptr;
    const std::string_view sender_locale = msg.sender_locale;
    if (const CacheNode* last = last_.load(std::memory_order_acquire);
        last != nullptr && std::string_view(last->first) == sender_locale && !sender_locale.empty() &&
        sender_locale != "und") {
      // The locale of the message before (most messages of a flow share it): no lock, no lookup.
      lex = last->second.get();
    } else {
      std::string locale = msg.sender_locale;
      std::string lang = language_of(locale);
      if (lang.empty() || lang == "und") lang = msg.language.empty() ? "en" : language_of(msg.language);
      if (locale.empty() || locale == "und") locale = lang;
      lex = lexicon(lang, locale);
    }
    if (lex == nullptr) return sdk::Status::ok();  // a language we have no data for: nothing to say
    if (msg.text.size() > kMaxTextBytes)
      return sdk::Status::invalid_input("message " + msg.id + ": its text has " + std::to_string(msg.text.size()) +
                                        " bytes; the time extractor reads texts under 4 GiB");

    const sdk::TimeService& time = services_.time();
    std::chrono::local_seconds local_sent{msg.sent.time_since_epoch() + std::chrono::minutes(msg.utc_offset_minutes)};
    if (!msg.sender_zone.empty())
      if (auto l = time.to_local(msg.sent, msg.sender_zone); l.is_ok()) local_sent = l.value();
    const std::chrono::local_days sent_day = std::chrono::floor<std::chrono::days>(local_sent);
    const std::chrono::year_month_day today{sent_day};

    std::size_t index = 0;
    ScratchLease scratch(*this);
    Work& work = scratch.get();
    const std::span<const Found> found = parse(msg.text, *lex, today, *work.parse);
    if (found.empty()) return sdk::Status::ok();
    // The context is the scratch's: its strings keep their capacity from one message to the next, and
    // are only written when they change (most messages of a flow share the zone and the locale).
    sdk::TimeContext& context = work.context;
    context.sent = msg.sent;
    if (std::string_view(context.zone) != std::string_view(msg.sender_zone)) context.zone = msg.sender_zone;
    if (const std::string_view locale = sender_locale.empty() ? std::string_view("und") : sender_locale;
        std::string_view(context.locale) != locale)
      context.locale.assign(locale);
    out.reserve(out.size() + 2 * found.size());  // two annotations per expression
    // The readings of the main expressions are explained (the note shows the first one's explanation);
    // the alternatives' are not. Both vectors are the scratch's: their elements are reused.
    std::vector<sdk::TimeReading>& readings = work.readings;
    std::vector<sdk::TimeReading>& more = work.more;
    std::vector<Pending>& pending = work.pending;
    work.wall.enter_month_of(sent_day, today);
    for (const Found& f : found) {
      if (!time.resolve_into(f.expression, context, readings, true).is_ok() || readings.empty()) continue;
      std::string_view why;  // the main reading's explanation (`readings` outlives its use)
      // The main expression's readings share what the parser's own alternatives leave.
      double main_share = 1.0;
      for (const Alternative& alt : f.alternatives) main_share -= alt.weight;
      // A loose time ("3ish") gives its alternatives more room.
      std::size_t n = add_readings(readings, f.expression.shape, std::max(main_share, 0.5) * f.clarity, work.wall,
                                   pending, 0, &why);
      for (const Alternative& alt : f.alternatives)
        if (time.resolve_into(alt.expression, context, more, false).is_ok())
          n = add_readings(more, alt.expression.shape, alt.weight, work.wall, pending, n, nullptr);
      // "time[i].value" and "time[i].polarity": written by hand into one buffer, each name made in place
      // at its size (no std::to_string, concatenations or appends per annotation).
      constexpr std::string_view kValue = ".value", kPolarity = ".polarity";
      constexpr std::size_t kOneDigit = std::string_view("time[0]").size();  // below ten items, made at a known size
      char name[40];
      std::memcpy(name, "time[", 5);
      std::size_t prefix_len = 5;
      if (index < 10) {
        name[prefix_len++] = static_cast<char>('0' + index);
      } else {
        char digits[24];
        std::size_t nd = 0;
        std::size_t v = index;
        do {
          digits[nd++] = static_cast<char>('0' + v % 10);
          v /= 10;
        } while (v != 0);
        while (nd > 0) name[prefix_len++] = digits[--nd];
      }
      name[prefix_len++] = ']';
      std::memcpy(name + prefix_len, kValue.data(), kValue.size());
      // The value's distribution is made where it lives, from candidates made where they live; the
      // annotation is taken back when its most probable reading is below min_confidence.
      const auto candidates = [&] {
        std::vector<sdk::Candidate> c;
        c.reserve(n);
        for (std::size_t i = 0; i < n; ++i)
          c.emplace_back(InPlace{[&p = pending[i]] { return std::string(p.text, p.size); }}, pending[i].p);
        return c;
      };
      // A lone reading is certain: {value: 1} is what normalising any single weight gives, so it is added to
      // an empty distribution (already in normal form) without the constructor's normalisation pass.
      const auto distribution = [&] {
        if (n != 1) return sdk::Distribution(candidates());
        sdk::Distribution d;
        d.add(std::string_view(pending[0].text, pending[0].size), 1.0);
        return d;
      };
      const sdk::Annotation& a = out.emplace_back(
          InPlace{[&] {
            return sdk::Variable{index < 10 ? literal_string<kOneDigit + kValue.size()>(name)
                                            : std::string(name, prefix_len + kValue.size()),
                                 distribution()};
          }},
          f.span, InPlace{[] { return std::string(); }}, InPlace{[&] {
            if (why.empty()) return std::string(f.note);
            // "WHY (NOTE)": written in a buffer (on the stack when it fits) and made at its size.
            const std::size_t note_len = why.size() + f.note.size() + 3;
            char small[512];
            std::unique_ptr<char[]> large;
            char* const text = note_len <= sizeof small ? small : (large.reset(new char[note_len]), large.get());
            std::memcpy(text, why.data(), why.size());
            char* at = text + why.size();
            *at++ = ' ';
            *at++ = '(';
            std::memcpy(at, f.note.data(), f.note.size());
            at[f.note.size()] = ')';
            return std::string(text, note_len);
          }});
      if (a.variable.distribution.top_p() < min_confidence_) {
        out.pop_back();
        continue;
      }

      std::memcpy(name + prefix_len, kPolarity.data(), kPolarity.size());
      // The note too is made at a size known when compiling.
      static constexpr std::string_view kCue = "a polarity cue in the clause", kNoCue = "no polarity cue; an offer by default";
      out.emplace_back(InPlace{[&] {
                         return sdk::Variable{index < 10 ? literal_string<kOneDigit + kPolarity.size()>(name)
                                                         : std::string(name, prefix_len + kPolarity.size()),
                                              work.polarity(f.polarity, f.polarity_strength)};
                       }},
                       f.span, InPlace{[] { return std::string(); }}, InPlace{[strong = f.polarity_strength >= 0.8] {
                         return strong ? literal_string<kCue.size()>(kCue.data())
                                       : literal_string<kNoCue.size()>(kNoCue.data());
                       }});
      ++index;
    }
    return sdk::Status::ok();
  }

 private:
  // A message's working memory: the parser's, the resolver's context and readings (kept for their capacity).
  struct Work {
    std::unique_ptr<ParseScratch, ScratchDeleter> parse = make_parse_scratch();
    sdk::TimeContext context;
    std::vector<sdk::TimeReading> readings, more;  // of a main expression, of an alternative
    std::vector<Pending> pending;                  // the candidates of an expression before they are made
    WallWriter wall;                               // keeps the month written last, from message to message

    // The distribution of a polarity with the probability `strength`, the rest shared by the other two.
    // The parser uses a handful of strengths, so each distribution is made (and normalised) once and
    // copied after: a copy of what the same construction gives.
    const sdk::Distribution& polarity(Polarity polarity, double strength) {
      for (const auto& [key_polarity, key_strength, d] : polarities)
        if (key_polarity == polarity && key_strength == strength) return d;
      return new_polarity(polarity, strength);
    }
    // The lookup above is inlined where it is used; making a distribution (once per strength) is not.
    [[gnu::noinline]] const sdk::Distribution& new_polarity(Polarity polarity, double strength) {
      const double rest = (1.0 - strength) / 2.0;
      // (Fresh strings take their text by append(): assigning a C string goes through the checks of a replace.)
      std::vector<sdk::Candidate> pol(3);
      std::size_t k = 0;
      for (Polarity x : {Polarity::positive, Polarity::negative, Polarity::neutral}) {
        pol[k].value.append(std::string_view(to_string(x)));
        pol[k++].p = x == polarity ? strength : rest;
      }
      if (polarities.size() >= kMaxPolarities) polarities.clear();  // odd strengths cannot grow it unbounded
      return std::get<2>(polarities.emplace_back(polarity, strength, sdk::Distribution(std::move(pol))));
    }
    static constexpr std::size_t kMaxPolarities = 32;
    std::vector<std::tuple<Polarity, double, sdk::Distribution>> polarities;
  };

  // Working memory borrowed for one message and given back: calls on many threads each get their own,
  // and no call allocates it anew. One spare sits in an atomic slot (a single thread takes and returns
  // it without a lock); the others wait in the locked pool.
  class ScratchLease {
   public:
    explicit ScratchLease(TimeRules& owner) : owner_(owner), work_(owner.spare_.exchange(nullptr, std::memory_order_acquire)) {
      if (work_ != nullptr) return;
      {
        const std::lock_guard<std::mutex> lock(owner_.pool_mutex_);
        if (!owner_.pool_.empty()) {
          work_ = owner_.pool_.back().release();
          owner_.pool_.pop_back();
        }
      }
      if (work_ == nullptr) work_ = new Work;
    }
    ~ScratchLease() {
      Work* empty = nullptr;
      if (owner_.spare_.compare_exchange_strong(empty, work_, std::memory_order_release, std::memory_order_relaxed))
        return;
      std::unique_ptr<Work> work(work_);
      const std::lock_guard<std::mutex> lock(owner_.pool_mutex_);
      try {
        owner_.pool_.push_back(std::move(work));
      } catch (...) {  // no memory to keep it: the work is freed with the lease
      }
    }
    ScratchLease(const ScratchLease&) = delete;
    ScratchLease& operator=(const ScratchLease&) = delete;
    Work& get() { return *work_; }

   private:
    TimeRules& owner_;
    Work* work_;  // owned
  };

  // The cache's entry for a locale; `last_` points at the one used last (entries are never erased, so
  // the pointer stays valid while the plugin lives, and a Lexicon with it).
  using CacheNode = std::map<std::string, std::shared_ptr<const Lexicon>>::value_type;

  const Lexicon* lexicon(const std::string& lang, const std::string& locale) {
    const std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(locale);
    if (it == cache_.end()) it = cache_.emplace(locale, make_lexicon(lang, locale)).first;
    last_.store(&*it, std::memory_order_release);
    return it->second.get();
  }

  // The lexicon of `lang` for `locale`, or nullptr when there is no data for `lang`. Called with mutex_ held.
  std::shared_ptr<const Lexicon> make_lexicon(const std::string& lang, const std::string& locale) {
    const auto data = languages_.find(lang);
    if (data == languages_.end()) return nullptr;
    const sdk::LocaleFacts& facts = services_.locale();
    LocaleWords words;
    if (auto r = facts.month_names(locale, sdk::NameWidth::wide); r.is_ok()) words.months_wide = r.value();
    if (auto r = facts.month_names(locale, sdk::NameWidth::abbreviated); r.is_ok()) words.months_abbr = r.value();
    if (auto r = facts.weekday_names(locale, sdk::NameWidth::wide); r.is_ok()) words.weekdays_wide = r.value();
    if (auto r = facts.weekday_names(locale, sdk::NameWidth::abbreviated); r.is_ok()) words.weekdays_abbr = r.value();
    if (auto r = facts.date_order(locale); r.is_ok())
      words.order = r.value() == sdk::DateOrder::mdy   ? LocaleWords::Order::mdy
                    : r.value() == sdk::DateOrder::ymd ? LocaleWords::Order::ymd
                                                       : LocaleWords::Order::dmy;
    if (auto r = facts.uses_24_hour_clock(locale); r.is_ok()) words.h24 = r.value();
    if (auto r = facts.first_day_of_week(locale); r.is_ok()) words.first_day = r.value();
    sdk::Services& services = services_;
    auto lex = std::make_shared<const Lexicon>(data->second, words, zones_,
                                               [&services](std::string_view s) { return services.locale().fold_case(s); });
    return lex;
  }

  sdk::Services& services_;
  double min_confidence_ = 0.0;
  std::map<std::string, LanguageData> languages_;
  std::unordered_map<std::string, std::string> zones_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const Lexicon>> cache_;
  std::atomic<const CacheNode*> last_{nullptr};
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Work>> pool_;  // one per thread that called at once
  std::atomic<Work*> spare_{nullptr};        // owned; see ScratchLease
};

}  // namespace tandem::plugins::time_rules

TANDEM_PLUGIN(tandem::plugins::time_rules::TimeRules, .name = "tandem.extractor.time_rules", .version = "0.1.0",
              .status = "alpha",
              .summary = "Time expressions in the text, resolved by the host's time service, with polarity",
              .config_schema = tandem::plugins::time_rules::kSchema, .thread_safe = true);
