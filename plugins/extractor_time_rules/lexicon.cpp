#include "lexicon.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

#include "tandem/sdk/config.hpp"
#include "tandem/sdk/temporal.hpp"
#include "yaml_file.hpp"

namespace tandem::plugins::time_rules {
namespace {

// A decoded code point and its byte length; invalid UTF-8 decodes as one byte with cp 0xFFFD.
std::pair<std::uint32_t, std::size_t> decode(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return {c, 1};
  std::size_t n = c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return {0xFFFD, 1};
  std::uint32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  return {cp, n};
}

enum class CharClass { letter, digit, space, newline, punct };

constexpr CharClass classify(std::uint32_t cp) {
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return CharClass::letter;
    if (c >= '0' && c <= '9') return CharClass::digit;
    if (c == '\n') return CharClass::newline;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') return CharClass::space;
    return CharClass::punct;
  }
  if (cp == 0xA0 || cp == 0x202F || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x3000) return CharClass::space;
  if ((cp >= 0xA1 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2010 && cp <= 0x206F) ||
      (cp >= 0x2190 && cp <= 0x21FF))
    return CharClass::punct;
  return CharClass::letter;  // other scripts, accented letters and undecodable bytes
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const std::vector<std::pair<std::string, Cat>>& role_names() {
  static const std::vector<std::pair<std::string, Cat>> names = {
      {"relative_day", Cat::relative_day}, {"relative_day_alt", Cat::relative_day_alt}, {"weekday", Cat::weekday}, {"weekday_abbr", Cat::weekday_abbr},
      {"month", Cat::month}, {"month_abbr", Cat::month_abbr}, {"month_trap", Cat::month_trap},
      {"number", Cat::number}, {"part_of_day", Cat::part_of_day}, {"next", Cat::next},
      {"next_after", Cat::next_after}, {"this", Cat::this_}, {"last", Cat::last}, {"last_after", Cat::last_after},
      {"coming", Cat::coming}, {"that", Cat::that}, {"following", Cat::following}, {"week", Cat::week}, {"month_word", Cat::month_word},
      {"following_week", Cat::following_week}, {"week_after_next", Cat::week_after_next},
      {"week_of", Cat::week_of}, {"end_of_week", Cat::end_of_week}, {"iso_week", Cat::iso_week},
      {"plus_week", Cat::plus_week}, {"after", Cat::after}, {"before", Cat::before}, {"by", Cat::by},
      {"from", Cat::from}, {"between", Cat::between}, {"range_to", Cat::range_to}, {"and", Cat::and_},
      {"or", Cat::or_}, {"onward", Cat::onward}, {"or_later", Cat::or_later}, {"at", Cat::at},
      {"oclock", Cat::oclock}, {"am", Cat::am}, {"pm", Cat::pm}, {"approx", Cat::approx},
      {"hour_suffix", Cat::hour_suffix}, {"clock_before", Cat::clock_before}, {"clock_after", Cat::clock_after},
      {"in", Cat::in}, {"from_now", Cat::from_now}, {"day_unit", Cat::day_unit}, {"week_unit", Cat::week_unit},
      {"duration_unit", Cat::duration_unit}, {"glue", Cat::glue}, {"day_article", Cat::day_article},
      {"month_intro", Cat::month_intro}, {"ordinal_suffix", Cat::ordinal_suffix}, {"zone_suffix", Cat::zone_suffix},
      {"zone_prefix", Cat::zone_prefix}, {"greeting", Cat::greeting}, {"greeting_start", Cat::greeting_start},
      {"rating", Cat::rating}, {"ordinal_noun", Cat::ordinal_noun}, {"day_follower", Cat::day_follower}, {"job", Cat::job}, {"address", Cat::address}, {"version", Cat::version}, {"negative", Cat::negative},
      {"positive", Cat::positive}, {"neutral", Cat::neutral}, {"past", Cat::past}, {"except", Cat::except},
      {"clause_break", Cat::clause_break}, {"contrast_inner", Cat::contrast_inner}, {"negative_soft", Cat::negative_soft}, {"task", Cat::task}, {"correction", Cat::correction}, {"quote_header", Cat::quote_header},
      {"cancel", Cat::cancel}, {"move", Cat::move}, {"meeting", Cat::meeting}, {"soft_wish", Cat::soft_wish},
      {"same_time", Cat::same_time}, {"that_article", Cat::that_article}, {"restate", Cat::restate},
      {"move_to", Cat::move_to}, {"determiner", Cat::determiner},
      {"habitual", Cat::habitual}};
  return names;
}

// Roles whose entries carry a number (a map phrase -> value) rather than a list of phrases.
bool valued(Cat c) {
  return c == Cat::relative_day || c == Cat::relative_day_alt || c == Cat::weekday || c == Cat::month || c == Cat::number ||
         c == Cat::part_of_day || c == Cat::clock_before || c == Cat::clock_after;
}

const std::vector<std::pair<std::string, sdk::PartOfDay>>& part_names() {
  static const std::vector<std::pair<std::string, sdk::PartOfDay>> names = {
      {"morning", sdk::PartOfDay::morning}, {"afternoon", sdk::PartOfDay::afternoon},
      {"evening", sdk::PartOfDay::evening}, {"night", sdk::PartOfDay::night}, {"lunch", sdk::PartOfDay::lunch},
      {"noon", sdk::PartOfDay::noon}, {"midnight", sdk::PartOfDay::midnight},
      {"end_of_day", sdk::PartOfDay::end_of_day}};
  return names;
}

using common::yaml_where;

}  // namespace


// Whether the letter U+00C0 + (b - 0x80), written C3 b, case-folds by itself without ICU: the capitals
// U+00C0..U+00DE fold to the letter 0x20 above, the small letters U+00E0..U+00FF to themselves. Not
// U+00DF (full folding makes "ss" of it) nor U+00D7 / U+00F7 (signs, never inside a word).
constexpr bool latin1_folds_alone(unsigned char b) { return b >= 0x80 && b <= 0xBF && b != 0x9F && b != 0x97 && b != 0xB7; }

// Case folding of a word made of ASCII and the Latin-1 letters above (most accented words of de, es, fr),
// identical to the host's fold_case (ICU's full default folding) on them and without its UTF-16 round trip.
// False, with `out` untouched, for any other byte: those words go to the host.
bool fold_latin1(std::string_view raw, std::string& out) {
  for (std::size_t k = 0; k < raw.size(); ++k) {
    const auto c = static_cast<unsigned char>(raw[k]);
    if (c < 0x80) continue;
    if (c != 0xC3 || k + 1 >= raw.size() || !latin1_folds_alone(static_cast<unsigned char>(raw[k + 1]))) return false;
    ++k;
  }
  out.append(raw);
  for (std::size_t k = 0; k < out.size(); ++k) {
    char& c = out[k];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (static_cast<unsigned char>(c) == 0xC3) {
      char& next = out[++k];
      if (static_cast<unsigned char>(next) < 0xA0) next = static_cast<char>(static_cast<unsigned char>(next) + 0x20);
    }
  }
  return true;
}

// classify() of every ASCII byte, computed once: most text is ASCII.
constexpr std::array<CharClass, 128> kAsciiClass = [] {
  std::array<CharClass, 128> t{};
  for (std::uint32_t c = 0; c < 128; ++c) t[c] = classify(c);
  return t;
}();

namespace {

constexpr std::uint64_t kFnvBasis = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

// Appends `folded` to `store` and returns where it starts. Tokens already made view the store: when it
// must grow, they are pointed into the grown copy (folding by ICU may lengthen a word; ASCII and Latin-1
// folding never does, and the store is reserved for that).
std::size_t store_append(std::string& store, std::string_view folded, std::vector<Token>& out) {
  if (store.size() + folded.size() > store.capacity()) {
    std::string grown;
    grown.reserve(2 * (store.size() + folded.size()));
    grown.append(store);
    const char* old = store.data();
    const char* old_end = old + store.size();
    for (Token& t : out)
      if (t.text.data() >= old && t.text.data() < old_end)
        t.text = std::string_view(grown.data() + (t.text.data() - old), t.text.size());
    store.swap(grown);
  }
  const std::size_t at = store.size();
  store.append(folded);
  return at;
}

// tokenize() with `done(token, hash)` called for each finished token: `hash` is StringHash of its folded
// text when the scan computed it on the way (words of ASCII letters, numbers), 0 otherwise.
template <typename Done>
void tokenize_with(std::string_view text, const Folder& fold, std::vector<Token>& out, std::string& store, Done done) {
  out.clear();
  store.clear();
  store.reserve(text.size());  // enough for every word folded without ICU: token views stay valid
  out.reserve(text.size() / 4 + 8);  // about one token per four bytes of prose: few regrowths
  std::size_t i = 0;
  bool space = true;
  bool line = true;
  const std::size_t size = text.size();
  const char* const p = text.data();
  while (i < size) {
    const unsigned char c0 = static_cast<unsigned char>(p[i]);
    std::uint32_t cp = c0;
    std::size_t n = 1;
    CharClass cls;
    if (c0 < 0x80) {
      cls = kAsciiClass[c0];
    } else {
      std::tie(cp, n) = decode(text, i);
      cls = classify(cp);
    }
    if (cls == CharClass::space || cls == CharClass::newline) {
      space = true;
      if (cls == CharClass::newline) line = true;
      i += n;
      continue;
    }
    Token& t = out.emplace_back();
    t.begin = i;
    t.space_before = space;
    t.line_start = line;
    space = line = false;
    if (cls == CharClass::punct) {
      t.kind = Token::Kind::punct;
      if (cp == 0x2018 || cp == 0x2019 || cp == 0x2032) t.text = "'";
      else if (cp >= 0x2010 && cp <= 0x2015) t.text = "-";
      else t.text = text.substr(i, n);
      if (t.text.size() == 1) t.ch = t.text[0];
      i += n;
      t.end = i;
      done(t, 0);
      continue;
    }
    std::size_t j = i + n;
    if (cls == CharClass::digit) {
      // Digits are ASCII: the value and the hash on the way.
      std::uint64_t h = (kFnvBasis ^ c0) * kFnvPrime;
      int v = c0 - '0';
      while (j < size && p[j] >= '0' && p[j] <= '9') {
        const unsigned char c = static_cast<unsigned char>(p[j]);
        h = (h ^ c) * kFnvPrime;
        if (j - i < 6) v = v * 10 + (c - '0');
        ++j;
      }
      t.end = j;
      t.kind = Token::Kind::number;
      t.text = text.substr(i, j - i);
      t.digits = static_cast<int>(j - i);
      t.number = j - i <= 6 ? v : 999999;
      i = j;
      done(t, h);
      continue;
    }
    // A word. ASCII bytes of a letter run are a-z or A-Z: `| 0x20` folds them, and the hash of the folded
    // text is made on the way; capitals are counted.
    t.kind = Token::Kind::word;
    bool ascii = c0 < 0x80;
    int letters = ascii ? 1 : 0;
    int uppers = c0 >= 'A' && c0 <= 'Z' ? 1 : 0;
    std::uint64_t h = (kFnvBasis ^ (c0 | 0x20u)) * kFnvPrime;
    while (j < size) {
      const unsigned char c = static_cast<unsigned char>(p[j]);
      if (c < 0x80) {
        if (kAsciiClass[c] != CharClass::letter) break;
        ++letters;
        uppers += c <= 'Z' ? 1 : 0;
        h = (h ^ (c | 0x20u)) * kFnvPrime;
        ++j;
      } else {
        const auto [cp2, n2] = decode(text, j);
        if (classify(cp2) != CharClass::letter) break;
        ascii = false;
        j += n2;
      }
    }
    t.end = j;
    const std::string_view raw = text.substr(i, j - i);
    if (ascii && uppers == 0) {
      t.text = raw;
    } else if (ascii) {
      const std::size_t at = store_append(store, raw, out);
      for (std::size_t k = at; k < store.size(); ++k)
        if (store[k] >= 'A' && store[k] <= 'Z') store[k] = static_cast<char>(store[k] - 'A' + 'a');
      t.text = std::string_view(store).substr(at);
    } else {
      const std::size_t at = store.size();
      if (store.size() + raw.size() <= store.capacity() && fold_latin1(raw, store)) {
        t.text = std::string_view(store).substr(at);
      } else {
        std::string folded = fold(raw);
        if (folded.empty()) folded = ascii_lower(raw);
        const std::size_t folded_at = store_append(store, folded, out);  // (before the view of the grown store)
        t.text = std::string_view(store).substr(folded_at);
      }
    }
    t.upper = letters >= 2 && uppers == letters;
    if (c0 < 0x80) {
      t.capital = c0 >= 'A' && c0 <= 'Z';
    } else if (c0 == 0xC3 && raw.size() >= 2 && latin1_folds_alone(static_cast<unsigned char>(raw[1]))) {
      // A capital U+00C0..U+00DE folds to another letter; a small one U+00E0..U+00FF to itself.
      t.capital = static_cast<unsigned char>(raw[1]) < 0xA0;
    } else {
      const std::string_view first = raw.substr(0, n);
      t.capital = fold(first) != first;
    }
    i = j;
    done(t, ascii ? h : 0);
  }
}

}  // namespace

void tokenize(std::string_view text, const Folder& fold, std::vector<Token>& out, std::string& store) {
  tokenize_with(text, fold, out, store, [](Token&, std::uint64_t) {});
}

bool load_language(const std::filesystem::path& file, LanguageData& out, std::vector<std::string>& errors) {
  const std::size_t before = errors.size();
  YAML::Node root;
  if (!common::load_yaml_file(file, "the language file", root, errors)) return false;
  if (!root.IsMap()) {
    errors.push_back(yaml_where(file, root.Mark()) + "expected a map with \"language\" and \"words\"");
    return false;
  }
  out.file = file;
  out.code = file.stem().string();
  static const std::vector<std::string> top_keys = {"language", "options", "words", "zones", "cities"};
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    if (std::find(top_keys.begin(), top_keys.end(), key) == top_keys.end())
      errors.push_back(yaml_where(file, kv.first.Mark()) + key + ": unknown key" + sdk::did_you_mean(key, top_keys));
  }
  if (root["language"] && root["language"].IsScalar() && root["language"].as<std::string>() != out.code)
    errors.push_back(yaml_where(file, root["language"].Mark()) + "language: expected \"" + out.code +
                     "\" (the file's name), found \"" + root["language"].as<std::string>() + "\"");

  if (const YAML::Node opts = root["options"]) {
    static const std::vector<std::string> opt_keys = {"weekday_number_is_date", "dot_ordinals",
                                                      "zone_adjective_suffix", "oclock_is_12_hour"};
    if (!opts.IsMap()) {
      errors.push_back(yaml_where(file, opts.Mark()) + "options: expected a map");
    } else {
      for (const auto& kv : opts) {
        const std::string key = kv.first.as<std::string>();
        try {
          if (key == "weekday_number_is_date") out.weekday_number_is_date = kv.second.as<bool>();
          else if (key == "dot_ordinals") out.dot_ordinals = kv.second.as<bool>();
          else if (key == "oclock_is_12_hour") out.oclock_is_12_hour = kv.second.as<bool>();
          else if (key == "zone_adjective_suffix") out.zone_adjective_suffix = kv.second.as<std::string>();
          else
            errors.push_back(yaml_where(file, kv.first.Mark()) + "options." + key + ": unknown option" +
                             sdk::did_you_mean(key, opt_keys));
        } catch (const YAML::Exception&) {
          errors.push_back(yaml_where(file, kv.second.Mark()) + "options." + key + ": expected " +
                           (key == "zone_adjective_suffix" ? "a string" : "true or false"));
        }
      }
    }
  }

  std::vector<std::string> roles;
  for (const auto& [name, cat] : role_names()) roles.push_back(name);
  const YAML::Node words = root["words"];
  if (!words || !words.IsMap()) {
    errors.push_back(yaml_where(file, words ? words.Mark() : root.Mark()) + "words: expected a map of role -> phrases");
  } else {
    for (const auto& kv : words) {
      const std::string role = kv.first.as<std::string>();
      const auto it = std::find_if(role_names().begin(), role_names().end(),
                                   [&](const auto& p) { return p.first == role; });
      if (it == role_names().end()) {
        errors.push_back(yaml_where(file, kv.first.Mark()) + "words." + role + ": unknown role" +
                         sdk::did_you_mean(role, roles));
        continue;
      }
      const Cat cat = it->second;
      if (valued(cat)) {
        if (!kv.second.IsMap()) {
          errors.push_back(yaml_where(file, kv.second.Mark()) + "words." + role + ": expected a map of phrase -> " +
                           (cat == Cat::part_of_day ? "part of day" : "number"));
          continue;
        }
        for (const auto& e : kv.second) {
          const std::string phrase = e.first.as<std::string>();
          int value = 0;
          if (cat == Cat::part_of_day) {
            const std::string name = e.second.IsScalar() ? e.second.as<std::string>() : std::string();
            const auto p = std::find_if(part_names().begin(), part_names().end(),
                                        [&](const auto& q) { return q.first == name; });
            if (p == part_names().end()) {
              std::vector<std::string> parts;
              for (const auto& q : part_names()) parts.push_back(q.first);
              errors.push_back(yaml_where(file, e.second.Mark()) + "words." + role + "." + phrase +
                               ": expected a part of day, found \"" + name + "\"" + sdk::did_you_mean(name, parts));
              continue;
            }
            value = static_cast<int>(p->second);
          } else {
            try {
              value = e.second.as<int>();
            } catch (const YAML::Exception&) {
              errors.push_back(yaml_where(file, e.second.Mark()) + "words." + role + "." + phrase +
                               ": expected a whole number, found \"" +
                               (e.second.IsScalar() ? e.second.as<std::string>() : std::string("a collection")) +
                               "\"");
              continue;
            }
          }
          out.phrases.push_back({phrase, cat, value});
        }
      } else {
        if (!kv.second.IsSequence()) {
          errors.push_back(yaml_where(file, kv.second.Mark()) + "words." + role + ": expected a list of phrases");
          continue;
        }
        for (const auto& e : kv.second) {
          if (!e.IsScalar() || e.as<std::string>().empty()) {
            errors.push_back(yaml_where(file, e.Mark()) + "words." + role + ": expected a non-empty phrase");
            continue;
          }
          out.phrases.push_back({e.as<std::string>(), cat, 0});
        }
      }
    }
  }
  if (const YAML::Node zones = root["zones"]) {
    if (!zones.IsMap()) {
      errors.push_back(yaml_where(file, zones.Mark()) + "zones: expected a map of phrase -> zone");
    } else {
      for (const auto& kv : zones) {
        out.phrases.push_back({kv.first.as<std::string>(), Cat::zone, static_cast<int>(out.zone_names.size())});
        out.zone_names.push_back(kv.second.as<std::string>());
      }
    }
  }
  if (const YAML::Node cities = root["cities"]) {
    if (!cities.IsMap()) {
      errors.push_back(yaml_where(file, cities.Mark()) + "cities: expected a map of city as written -> city");
    } else {
      for (const auto& kv : cities) out.city_names[ascii_lower(kv.first.as<std::string>())] = kv.second.as<std::string>();
    }
  }
  return errors.size() == before;
}

bool load_zone_abbreviations(const std::filesystem::path& file, std::unordered_map<std::string, std::string>& out,
                             std::vector<std::string>& errors) {
  try {
    const YAML::Node root = YAML::LoadFile(file.string());
    const YAML::Node abbr = root["abbreviations"];
    if (!abbr || !abbr.IsMap()) {
      errors.push_back(yaml_where(file, root.Mark()) + "abbreviations: expected a map of abbreviation -> zone");
      return false;
    }
    for (const auto& kv : abbr) out[ascii_lower(kv.first.as<std::string>())] = kv.second.as<std::string>();
  } catch (const YAML::ParserException& e) {
    errors.push_back(yaml_where(file, e.mark) + e.msg);
    return false;
  } catch (const YAML::Exception& e) {
    errors.push_back(file.string() + ": error: cannot read the zone abbreviations: " + e.msg);
    return false;
  }
  return true;
}

namespace {
// The slot of a hash: its high bits folded onto the low ones (FNV-1a's low bits alone mix poorly).
std::size_t slot_of(std::uint64_t hash, std::uint64_t mask) noexcept {
  return static_cast<std::size_t>((hash ^ (hash >> 29)) & mask);
}
}  // namespace

Lexicon::Lexicon(const LanguageData& data, const LocaleWords& locale,
                 const std::unordered_map<std::string, std::string>& zone_abbreviations, Folder fold)
    : data_(data), locale_(locale), fold_(std::move(fold)),
      zone_abbreviations_(zone_abbreviations.begin(), zone_abbreviations.end()) {
  // ICU's names: wide forms always count; abbreviated ones only where the parser sees a date around them.
  const auto add_names = [&](const std::vector<std::string>& names, Cat cat, int first_value) {
    for (std::size_t k = 0; k < names.size(); ++k) {
      std::string name = names[k];
      while (!name.empty() && name.back() == '.') name.pop_back();
      if (!name.empty()) add(name, cat, first_value + static_cast<int>(k));
    }
  };
  add_names(locale.months_wide, Cat::month, 1);
  add_names(locale.months_abbr, Cat::month_abbr, 1);
  add_names(locale.weekdays_wide, Cat::weekday, 0);
  add_names(locale.weekdays_abbr, Cat::weekday_abbr, 0);
  for (const auto& p : data_.phrases) {
    if (p.cat == Cat::month_abbr || p.cat == Cat::weekday_abbr) {
      // the value comes from the name itself: mark an existing name as needing a date around it
      add(p.text, p.cat, 0);
      continue;
    }
    add(p.text, p.cat, p.value);
  }
  // A month abbreviation that is also a wide name ("May") keeps its wide meaning; one that is the same as
  // a data month keeps the data's value.
  for (auto& [key, e] : entries_) {
    if (e.has(Cat::month_abbr) && e.value(Cat::month_abbr) == 0 && e.has(Cat::month))
      e.set_value(Cat::month_abbr, e.value(Cat::month));
    if (e.has(Cat::weekday_abbr) && e.value(Cat::weekday_abbr) == 0 && e.has(Cat::weekday))
      e.set_value(Cat::weekday_abbr, e.value(Cat::weekday));
  }
  // The phrase index: every token text of a key gets an id; node k is the one-token phrase of id k,
  // longer phrases hang below their first token's node.
  const auto split = [](const std::string& key) {
    std::vector<std::string_view> parts;
    std::size_t b = 0;
    for (std::size_t cut = key.find(' '); cut != std::string::npos; cut = key.find(' ', b)) {
      parts.push_back(std::string_view(key).substr(b, cut - b));
      b = cut + 1;
    }
    parts.push_back(std::string_view(key).substr(b));
    return parts;
  };
  // The vocabulary: ids in order of first use.
  std::unordered_map<std::string_view, std::uint32_t> ids;
  std::vector<std::string_view> words;
  const auto intern = [&](std::string_view w) {
    const auto [it, fresh] = ids.emplace(w, static_cast<std::uint32_t>(words.size()));
    if (fresh) words.push_back(w);
    return it->second;
  };
  for (const auto& [key, e] : entries_)
    for (std::string_view part : split(key)) intern(part);
  std::size_t slots = 16;
  while (slots < 2 * words.size()) slots *= 2;
  slots_.assign(slots, Slot{});
  slot_mask_ = slots - 1;
  word_start_.reserve(words.size() + 1);
  for (std::size_t id = 0; id < words.size(); ++id) {
    const std::string_view w = words[id];
    word_start_.push_back(static_cast<std::uint32_t>(word_chars_.size()));
    word_chars_.append(w);
    const std::uint64_t hash = hash_of(w);
    std::size_t i = slot_of(hash, slot_mask_);
    while (slots_[i].id != kWordNone) i = (i + 1) & slot_mask_;
    slots_[i] = {static_cast<std::uint32_t>(hash >> 32), static_cast<std::uint32_t>(id)};
  }
  word_start_.push_back(static_cast<std::uint32_t>(word_chars_.size()));
  nodes_.resize(words.size());
  byte_words_.fill(kWordNone);
  for (std::size_t id = 0; id < words.size(); ++id) {
    const std::string_view w = words[id];
    if (w.size() == 1) byte_words_[static_cast<unsigned char>(w[0])] = static_cast<std::uint32_t>(id);
    if (!w.empty() && w[0] >= '0' && w[0] <= '9') number_words_ = true;
  }
  std::size_t edges = 0;
  for (const auto& [key, e] : entries_) edges += static_cast<std::size_t>(std::count(key.begin(), key.end(), ' '));
  std::size_t edge_slots = 16;
  while (edge_slots < 2 * edges) edge_slots *= 2;
  edges_.assign(edge_slots, Edge{});
  edge_mask_ = edge_slots - 1;
  // The entries side by side, in the order of the map (the nodes below point into this list).
  entry_list_.reserve(entries_.size());
  const CatSet cues = cue_mask();
  for (const auto& [key, e] : entries_) {
    const std::vector<std::string_view> parts = split(key);
    std::uint32_t node = intern(parts[0]);
    for (std::size_t k = 1; k < parts.size(); ++k) {
      nodes_[node].longer = true;
      const std::uint64_t edge = (static_cast<std::uint64_t>(node) << 32) | intern(parts[k]);
      std::size_t i = edge_slot(edge, edge_mask_);
      while (edges_[i].key != kNoEdge && edges_[i].key != edge) i = (i + 1) & edge_mask_;
      if (edges_[i].key == kNoEdge) {
        edges_[i] = {edge, static_cast<std::uint32_t>(nodes_.size())};
        nodes_.emplace_back();
      }
      node = edges_[i].node;
    }
    entry_list_.push_back(e);
    nodes_[node].entry = &entry_list_.back();
    nodes_[node].cue = (e.cats & cues).any();
    nodes_[node].other = (e.cats & ~cues).any();
  }
  weekdays_folded_.reserve(locale_.weekdays_wide.size());
  for (const auto& w : locale_.weekdays_wide) weekdays_folded_.push_back(fold_(w));
  weekday_shortest_ = std::string::npos;
  for (const auto& w : weekdays_folded_) {
    if (w.empty()) continue;
    weekday_shortest_ = std::min(weekday_shortest_, w.size());
    weekday_first_[static_cast<unsigned char>(w[0])] = true;
  }
}

void Lexicon::add(std::string_view phrase, Cat cat, int value) {
  std::vector<Token> toks;
  std::string store;
  time_rules::tokenize(phrase, fold_, toks, store);
  if (toks.empty()) return;
  std::string key;
  for (const auto& t : toks) {
    if (!key.empty()) key += ' ';
    key += t.text;
  }
  entries_[key].add(cat, value);
}

Lexicon::PhraseMatch Lexicon::match_phrases(const std::vector<Token>& tokens, std::size_t i) const {
  PhraseMatch best;
  if (i >= tokens.size()) return best;
  const auto take = [&best](const Node& node, std::uint32_t n) {
    if (node.cue) {
      best.cue_len = n;
      best.cue = node.entry;
    }
    if (node.other) {
      best.time_len = n;
      best.time = node.entry;
    }
  };
  // One token: its node; longer phrases only while some phrase still starts so.
  std::uint32_t node = id_of(tokens[i]);
  if (node == kWordNone) return best;
  take(nodes_[node], 1);
  for (std::uint32_t n = 2; nodes_[node].longer && i + n <= tokens.size(); ++n) {
    const std::uint32_t next = id_of(tokens[i + n - 1]);
    if (next == kWordNone) break;
    const std::uint32_t below = child(node, next);
    if (below == kWordNone) break;
    node = below;
    take(nodes_[node], n);
  }
  return best;
}


std::uint32_t Lexicon::find_word(std::string_view s, std::uint64_t hash) const noexcept {
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  for (std::size_t i = slot_of(hash, slot_mask_);; i = (i + 1) & slot_mask_) {
    const Slot slot = slots_[i];
    if (slot.id == kWordNone) return kWordNone;
    if (slot.tag != tag) continue;
    // Words are short: a byte loop, not a call of memcmp.
    const std::uint32_t b = word_start_[slot.id];
    if (word_start_[slot.id + 1] - b != s.size()) continue;
    const char* w = word_chars_.data() + b;
    std::size_t k = 0;
    while (k < s.size() && w[k] == s[k]) ++k;
    if (k == s.size()) return slot.id;
  }
}

std::uint32_t Lexicon::id_of(const Token& t) const {
  if (t.word != kWordUnknown) return t.word;
  return find_word(t.text, hash_of(t.text));
}

void Lexicon::tokenize(std::string_view text, std::vector<Token>& out, std::string& store) const {
  // Each word and number looked up as the scan finishes it (with the hash made on the way, where it
  // was); marks and one-letter words through a table, numbers only when some phrase has digits.
  tokenize_with(text, fold_, out, store, [this](Token& t, std::uint64_t hash) {
    if (t.text.size() == 1) t.word = byte_words_[static_cast<unsigned char>(t.text[0])];
    else if (t.kind == Token::Kind::number && !number_words_) t.word = kWordNone;
    else t.word = find_word(t.text, hash != 0 ? hash : hash_of(t.text));
  });
}

const Entry* Lexicon::word(const Token& t) const {
  const std::uint32_t id = id_of(t);
  return id == kWordNone ? nullptr : nodes_[id].entry;
}

const Entry* Lexicon::word(std::string_view folded) const {
  if (folded.find(' ') == std::string_view::npos) {
    // One token: the entry of its node, if it has one.
    const std::uint32_t id = find_word(folded, hash_of(folded));
    return id == kWordNone ? nullptr : nodes_[id].entry;
  }
  const auto it = entries_.find(folded);
  return it == entries_.end() ? nullptr : &it->second;
}

const std::string* Lexicon::zone_abbreviation(std::string_view folded) const {
  const auto it = zone_abbreviations_.find(folded);
  return it == zone_abbreviations_.end() ? nullptr : &it->second;
}

}  // namespace tandem::plugins::time_rules
