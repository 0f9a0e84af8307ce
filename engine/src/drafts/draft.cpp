// draft(): the reply's words from the templates, its dates and times by ICU from date/tz's wall times,
// and the invitation (drafts/invitation.cpp).
#include <unicode/dtitvfmt.h>
#include <unicode/dtptngen.h>
#include <unicode/listformatter.h>
#include <unicode/locid.h>
#include <unicode/measfmt.h>
#include <unicode/measunit.h>
#include <unicode/measure.h>
#include <unicode/msgfmt.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>
#include <unicode/tzfmt.h>
#include <unicode/tznames.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "drafts/invitation.hpp"
#include "drafts/templates.hpp"
#include "tandem/drafts.hpp"

namespace tandem::drafts {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

icu::UnicodeString ustr(const std::string& s) { return icu::UnicodeString::fromUTF8(s); }

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return c != ' ' && c != '\t' && c != '\r' && c != '\n'; };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// Each line trimmed, runs of blank lines made one, no blank lines at either end: templates may leave
// empty select branches on lines of their own.
std::string tidy(const std::string& text) {
  std::string out;
  std::size_t blank = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = trim(text.substr(start, end - start));
    if (line.empty()) {
      ++blank;
    } else {
      if (!out.empty()) out += blank > 0 ? "\n\n" : "\n";
      out += line;
      blank = 0;
    }
    start = end + 1;
  }
  return out;
}

// Every run of white space (line breaks of a folded YAML template included) made one space: a list item.
std::string one_line(const std::string& text) {
  std::string out;
  bool space = false;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// An ICU locale from an ICU id or a BCP 47 tag; bogus (or without a language) when it is neither.
icu::Locale parse_locale(const std::string& id) {
  if (id.empty()) return icu::Locale::getRoot();
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale loc = id.find('-') != std::string::npos ? icu::Locale::forLanguageTag(id, status)
                                                       : icu::Locale::createCanonical(id.c_str());
  if (U_FAILURE(status) || loc.isBogus()) return icu::Locale::getRoot();
  return loc;
}

// "Re:", "AW:", "RE: Fwd:"... are not doubled: the prefixes of a reply in the languages we write.
std::string strip_reply_prefixes(std::string subject) {
  static const char* const kPrefixes[] = {"re", "aw", "antw", "sv", "rv", "ref", "réf", "r"};
  for (bool again = true; again;) {
    again = false;
    subject = trim(subject);
    const std::size_t colon = subject.find(':');
    if (colon == std::string::npos || colon > 5) break;
    std::string head = trim(subject.substr(0, colon));
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* p : kPrefixes)
      if (head == p) {
        subject.erase(0, colon + 1);
        again = true;
        break;
      }
  }
  return subject;
}

// "Jonas" of "Jonas Weber", "Weber, Jonas" or "Dr. Jonas Weber" is not attempted: the first word, or
// the word after the comma.
std::string first_name(const std::string& name) {
  std::string n = trim(name);
  if (const auto comma = n.find(','); comma != std::string::npos) n = trim(n.substr(comma + 1));
  const auto space = n.find(' ');
  return space == std::string::npos ? n : n.substr(0, space);
}

// The UDate ICU formats: the wall time date/tz gave, read by ICU as a UTC instant (ICU never applies a
// zone rule of its own, so it cannot disagree with date/tz).
UDate icu_wall(std::chrono::local_seconds t) { return static_cast<UDate>(t.time_since_epoch().count()) * 1000.0; }
UDate icu_instant(sys_seconds t) { return static_cast<UDate>(t.time_since_epoch().count()) * 1000.0; }

struct Formatters {
  std::unique_ptr<icu::SimpleDateFormat> date, date_with_year, time;
  std::unique_ptr<icu::DateIntervalFormat> interval, interval_with_year, time_interval;
};

sdk::Result<Formatters> make_formatters(const icu::Locale& locale) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::DateTimePatternGenerator> gen(icu::DateTimePatternGenerator::createInstance(locale, status));
  if (U_FAILURE(status)) return sdk::Status::internal(std::string("ICU DateTimePatternGenerator: ") + u_errorName(status));
  Formatters f;
  auto simple = [&](const char* skeleton) {
    const icu::UnicodeString pattern = gen->getBestPattern(icu::UnicodeString(skeleton), status);
    auto fmt = std::make_unique<icu::SimpleDateFormat>(pattern, locale, status);
    fmt->adoptTimeZone(icu::TimeZone::createTimeZone("Etc/UTC"));
    return fmt;
  };
  auto interval = [&](const char* skeleton) {
    std::unique_ptr<icu::DateIntervalFormat> fmt(
        icu::DateIntervalFormat::createInstance(icu::UnicodeString(skeleton), locale, status));
    if (fmt) fmt->adoptTimeZone(icu::TimeZone::createTimeZone("Etc/UTC"));
    return fmt;
  };
  f.date = simple("EEEEdMMMM");
  f.date_with_year = simple("yEEEEdMMMM");
  f.time = simple("jmm");
  f.interval = interval("EEEEdMMMMjmm");
  f.interval_with_year = interval("yEEEEdMMMMjmm");
  f.time_interval = interval("jmm");
  if (U_FAILURE(status) || !f.interval || !f.interval_with_year || !f.time_interval)
    return sdk::Status::internal(std::string("ICU date formats for ") + locale.getName() + ": " + u_errorName(status));
  return f;
}

std::string format_date(icu::SimpleDateFormat& f, UDate d) {
  icu::UnicodeString out;
  f.format(d, out);
  return utf8(out);
}

std::string format_interval(icu::DateIntervalFormat& f, UDate from, UDate to) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out;
  icu::FieldPosition pos;
  const icu::DateInterval interval(from, std::max(from, to));
  f.format(&interval, out, pos, status);
  return utf8(out);
}

// The zone's localized name: ICU's generic non-location name ("Central European Time"), else its
// generic location format ("Germany Time"), else the localized GMT offset date/tz gives.
std::string zone_name(const std::string& zone, const icu::Locale& locale, sys_seconds at, seconds offset) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString canonical;
  UBool system = false;
  icu::TimeZone::getCanonicalID(ustr(zone), canonical, system, status);
  icu::UnicodeString name;
  if (U_SUCCESS(status) && system) {
    std::unique_ptr<icu::TimeZoneNames> names(icu::TimeZoneNames::createInstance(locale, status));
    if (U_SUCCESS(status)) names->getDisplayName(canonical, UTZNM_LONG_GENERIC, icu_instant(at), name);
    if (name.isEmpty()) {
      status = U_ZERO_ERROR;
      std::unique_ptr<icu::TimeZoneFormat> fmt(icu::TimeZoneFormat::createInstance(locale, status));
      std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(canonical));
      if (U_SUCCESS(status)) fmt->format(UTZFMT_STYLE_GENERIC_LOCATION, *tz, icu_instant(at), name);
    }
  }
  if (name.isEmpty()) {
    status = U_ZERO_ERROR;
    std::unique_ptr<icu::TimeZoneFormat> fmt(icu::TimeZoneFormat::createInstance(locale, status));
    if (U_SUCCESS(status))
      fmt->formatOffsetLocalizedGMT(static_cast<int32_t>(offset.count() * 1000), name, status);
  }
  return name.isEmpty() ? zone : utf8(name);
}

std::string join_list(const icu::Locale& locale, const std::vector<std::string>& items) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::ListFormatter> f(
      icu::ListFormatter::createInstance(locale, ULISTFMT_TYPE_AND, ULISTFMT_WIDTH_WIDE, status));
  if (U_FAILURE(status) || !f) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
  }
  std::vector<icu::UnicodeString> u;
  for (const auto& i : items) u.push_back(ustr(i));
  icu::UnicodeString out;
  f->format(u.data(), static_cast<int32_t>(u.size()), out, status);
  return utf8(out);
}

// "1 hour, 30 minutes" / "1 Stunde, 30 Minuten" / "1 heure et 30 minutes" (ICU MeasureFormat).
std::string duration_words(const icu::Locale& locale, int minutes) {
  if (minutes <= 0) return {};
  UErrorCode status = U_ZERO_ERROR;
  icu::MeasureFormat fmt(locale, UMEASFMT_WIDTH_WIDE, status);
  std::vector<icu::Measure> parts;
  if (minutes / 60 > 0) parts.emplace_back(icu::Formattable(minutes / 60), icu::MeasureUnit::createHour(status), status);
  if (minutes % 60 > 0) parts.emplace_back(icu::Formattable(minutes % 60), icu::MeasureUnit::createMinute(status), status);
  icu::UnicodeString out;
  icu::FieldPosition pos;
  fmt.formatMeasures(parts.data(), static_cast<int32_t>(parts.size()), out, pos, status);
  return U_FAILURE(status) ? std::to_string(minutes) + " min" : utf8(out);
}

// The arguments every template gets (templates.cpp's argument_specs()).
class Arguments {
 public:
  void text(const char* name, std::string value) { values_[name] = icu::Formattable(ustr(value)); }
  void number(const char* name, int value) { values_[name] = icu::Formattable(static_cast<int32_t>(value)); }
  void yes_no(const char* name, bool value) { text(name, value ? "yes" : "no"); }

  std::vector<icu::UnicodeString> names() const {
    std::vector<icu::UnicodeString> out;
    for (const auto& [n, v] : values_) out.push_back(icu::UnicodeString(n.c_str()));
    return out;
  }
  std::vector<icu::Formattable> values() const {
    std::vector<icu::Formattable> out;
    for (const auto& [n, v] : values_) out.push_back(v);
    return out;
  }

 private:
  std::map<std::string, icu::Formattable> values_;
};

class Writer {
 public:
  Writer(const Templates::Impl& templates, std::string language, icu::Locale locale, Draft& draft)
      : templates_(templates), language_(std::move(language)), locale_(std::move(locale)), draft_(draft) {}

  // The template `key` formatted with `args`, or a Status when no language has it.
  sdk::Result<std::string> format(const std::string& key, const Arguments& args) {
    bool fell_back = false;
    const detail::Template* t = templates_.find(language_, key, fell_back);
    if (!t) return sdk::Status::not_found("no reply template \"" + key + "\" in " + language_ + " nor in en");
    if (fell_back) {
      std::string note = language_ + ": no template \"" + key + "\": the English one (" + t->file + ") is used";
      if (std::find(draft_.notes.begin(), draft_.notes.end(), note) == draft_.notes.end())
        draft_.notes.push_back(std::move(note));  // once, though `broken_item` is used for every rule
    }
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse_error{};
    icu::MessageFormat fmt(ustr(t->text), fell_back ? icu::Locale("en", locale_.getCountry()) : locale_,
                           parse_error, status);
    const auto names = args.names();
    const auto values = args.values();
    icu::UnicodeString out;
    if (U_SUCCESS(status)) fmt.format(names.data(), values.data(), static_cast<int32_t>(names.size()), out, status);
    if (U_FAILURE(status))
      return sdk::Status::internal(t->file + ":" + std::to_string(t->line) + ": template \"" + key +
                                   "\" did not format: " + u_errorName(status));
    return utf8(out);
  }

 private:
  const Templates::Impl& templates_;
  std::string language_;
  icu::Locale locale_;
  Draft& draft_;
};

bool same_person(const Person& a, const Person& b) {
  if (!a.email.empty() || !b.email.empty()) return a.email == b.email;
  return !a.name.empty() && a.name == b.name;
}

sdk::Status check_input(const DraftInput& in) {
  using K = DraftInput::Kind;
  if ((in.kind == K::confirm || in.kind == K::propose) && in.slots.empty())
    return sdk::Status::invalid_input(std::string("slots: a ") + to_string(in.kind) + " draft needs at least one slot");
  for (std::size_t i = 0; i < in.slots.size(); ++i)
    if (in.slots[i].end < in.slots[i].start)
      return sdk::Status::invalid_input("slots[" + std::to_string(i) + "]: ends before it starts");
  if (in.duration_minutes < 0) return sdk::Status::invalid_input("duration_minutes: negative");
  const std::pair<const char*, const std::string*> zones[] = {
      {"recipient.zone", &in.recipient.zone}, {"sender_zone", &in.sender_zone}, {"organizer.zone", &in.organizer.zone}};
  for (const auto& [field, zone] : zones)
    if (!zone->empty() && !detail::known_zone(*zone))
      return sdk::Status::invalid_input(std::string(field) + ": \"" + *zone + "\" is not an IANA time zone");
  return sdk::Status::ok();
}

sdk::Result<Draft> draft_or_throw(const DraftInput& in, const Templates& templates) {
  using K = DraftInput::Kind;
  if (auto st = check_input(in); !st.is_ok()) return st;
  Draft d;
  d.held = in.hold;
  d.in_reply_to = in.in_reply_to;
  const Templates::Impl& t = templates.impl();

  // Language and locale.
  const icu::Locale recipient_locale = parse_locale(in.recipient.locale);
  std::string language = recipient_locale.getLanguage();
  icu::Locale locale = recipient_locale;
  if (language.empty()) {
    d.notes.push_back("recipient.locale: " + (in.recipient.locale.empty() ? std::string("not given")
                                                                           : "\"" + in.recipient.locale + "\" is not a locale") +
                      ": English is used");
    language = "en";
    locale = icu::Locale("en");
  } else if (!t.languages.count(language)) {
    d.notes.push_back("no reply templates for \"" + language + "\" (" + in.recipient.locale + "): English is used");
    language = "en";
    locale = icu::Locale("en", recipient_locale.getCountry());
  }
  d.language = language;
  d.locale = locale.getName();

  // Zone: the recipient's, else the sender's, else the organizer's.
  d.zone = !in.recipient.zone.empty() ? in.recipient.zone
           : !in.sender_zone.empty()  ? in.sender_zone
           : !in.organizer.zone.empty() ? in.organizer.zone
                                        : "UTC";
  if (in.recipient.zone.empty()) d.notes.push_back("recipient.zone: not given: times are in " + d.zone);

  const int duration = in.duration_minutes > 0 ? in.duration_minutes
                       : !in.slots.empty()
                           ? static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(in.slots[0].end - in.slots[0].start).count())
                           : 0;

  // Dates and times: wall times by date/tz, words by ICU.
  auto formatters = make_formatters(locale);
  if (!formatters) return formatters.status();
  const auto now_wall = detail::wall_time(in.now, d.zone);
  if (!now_wall) return now_wall.status();
  const int this_year = static_cast<int>(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(now_wall->local)}.year());
  bool zone_differs = in.sender_zone.empty();
  std::vector<std::string> slot_lines;
  std::string slot0, date0, time0, end0;
  seconds offset0{};
  for (std::size_t i = 0; i < in.slots.size(); ++i) {
    const auto a = detail::wall_time(in.slots[i].start, d.zone);
    const auto b = detail::wall_time(in.slots[i].end, d.zone);
    if (!a || !b) return a ? b.status() : a.status();
    if (!in.sender_zone.empty()) {
      const auto sa = detail::wall_time(in.slots[i].start, in.sender_zone);
      const auto sb = detail::wall_time(in.slots[i].end, in.sender_zone);
      if (!sa || !sb || sa->offset != a->offset || sb->offset != b->offset) zone_differs = true;
    }
    const int year = static_cast<int>(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(a->local)}.year());
    const bool with_year = year != this_year;
    std::string text = format_interval(with_year ? *formatters->interval_with_year : *formatters->interval,
                                       icu_wall(a->local), icu_wall(b->local));
    // A DST change inside the slot makes its wall times mislead ("02:30–02:30" across a fall-back night):
    // the real length is added.
    if (a->offset != b->offset)
      text += " (" + duration_words(locale, static_cast<int>((in.slots[i].end - in.slots[i].start).count() / 60)) + ")";
    slot_lines.push_back("- " + text);
    if (i == 0) {
      slot0 = text;
      date0 = format_date(with_year ? *formatters->date_with_year : *formatters->date, icu_wall(a->local));
      time0 = format_date(*formatters->time, icu_wall(a->local));
      end0 = format_date(*formatters->time, icu_wall(b->local));
      offset0 = a->offset;
    }
  }
  if (in.slots.empty()) {
    if (const auto w = detail::wall_time(in.now, d.zone)) offset0 = w->offset;
  }
  // The times the broken rules name, in the recipient's zone: the times alone when the rule's time lies on
  // slots[0]'s day, else with the date (and the year when not this year); an instant with its date.
  std::vector<std::string> rule_windows;
  {
    const auto day_of = [](std::chrono::local_seconds wall) { return std::chrono::floor<std::chrono::days>(wall); };
    std::chrono::local_days slot_day{};
    const bool has_slot_day = !in.slots.empty();
    if (has_slot_day) slot_day = day_of(detail::wall_time(in.slots[0].start, d.zone)->local);
    for (std::size_t i = 0; i < in.broken_rules.size(); ++i) {
      const auto& w = in.broken_rules[i].window;
      if (!w) {
        rule_windows.emplace_back();
        continue;
      }
      if (w->end < w->start)
        return sdk::Status::invalid_input("broken_rules[" + std::to_string(i) + "].window: ends before it starts");
      const auto a = detail::wall_time(w->start, d.zone);
      const auto b = detail::wall_time(w->end, d.zone);
      if (!a || !b) return a ? b.status() : a.status();
      if (!in.sender_zone.empty()) {
        const auto sa = detail::wall_time(w->start, in.sender_zone);
        const auto sb = detail::wall_time(w->end, in.sender_zone);
        if (!sa || !sb || sa->offset != a->offset || sb->offset != b->offset) zone_differs = true;
      }
      // A window that ends at midnight still lies on its day.
      const bool same_day = w->start != w->end && has_slot_day && day_of(a->local) == slot_day &&
                            day_of(b->local - std::chrono::seconds{1}) == slot_day;
      const int year = static_cast<int>(std::chrono::year_month_day{day_of(a->local)}.year());
      icu::DateIntervalFormat& f = same_day           ? *formatters->time_interval
                                   : year != this_year ? *formatters->interval_with_year
                                                       : *formatters->interval;
      rule_windows.push_back(format_interval(f, icu_wall(a->local), icu_wall(b->local)));
    }
  }
  const sys_seconds zone_at = in.slots.empty() ? in.now : in.slots[0].start;

  // Names.
  const Person& sender = (in.sender.name.empty() && in.sender.email.empty()) ? in.organizer : in.sender;
  std::vector<std::string> names;
  std::vector<const Person*> people = {&in.organizer, &in.recipient};
  for (const Person& a : in.attendees) people.push_back(&a);
  std::vector<const Person*> seen;
  for (const Person* p : people) {
    if (p->name.empty() && p->email.empty()) continue;
    if (std::any_of(seen.begin(), seen.end(), [&](const Person* s) { return same_person(*s, *p); })) continue;
    seen.push_back(p);
    if (!p->name.empty()) names.push_back(p->name);
  }

  Writer writer(t, language, locale, d);
  Arguments args;
  args.text("recipient_name", in.recipient.name);
  args.text("recipient_first", first_name(in.recipient.name));
  args.yes_no("has_name", !trim(in.recipient.name).empty());
  args.text("sender_name", sender.name);
  args.yes_no("has_sender", !trim(sender.name).empty());
  args.text("organizer_name", in.organizer.name);
  args.text("event_type", in.event_type.empty() ? "meeting" : in.event_type);
  args.text("location", in.location);
  args.yes_no("has_location", !trim(in.location).empty());
  args.text("duration", duration_words(locale, duration));
  args.number("duration_minutes", duration);
  args.number("count", static_cast<int>(in.slots.size()));
  std::string slots_text;
  for (const auto& l : slot_lines) slots_text += (slots_text.empty() ? "" : "\n") + l;
  args.text("slots", slots_text);
  args.text("slot", slot0);
  args.text("date", date0);
  args.text("time", time0);
  args.text("end_time", end0);
  args.text("zone", zone_name(d.zone, locale, zone_at, offset0));
  args.yes_no("zone_differs", zone_differs);
  args.text("broken", "");
  args.number("broken_count", static_cast<int>(in.broken_rules.empty() ? in.broken.size() : in.broken_rules.size()));
  args.text("names", join_list(locale, names));
  args.number("names_count", static_cast<int>(names.size()));
  const bool with_invitation = in.kind == K::confirm || (in.kind == K::cancelled && !in.uid.empty());
  args.yes_no("invitation", with_invitation);
  args.text("missing", "");
  args.number("missing_count", static_cast<int>(in.missing.size()));
  args.text("subject", "");
  args.text("item", "");
  for (const char* name : {"constraint", "person", "has_person", "window", "has_window"}) args.text(name, "");
  for (const char* name : {"minutes", "meetings", "day_meetings", "limit"}) args.number(name, 0);

  // Made from templates, then given to the others.
  auto event = writer.format("event", args);
  if (!event) return event.status();
  args.text("event", trim(*event));
  std::string title = trim(in.title);
  if (title.empty()) {
    auto et = writer.format("event_title", args);
    if (!et) return et.status();
    title = trim(*et);
  }
  args.text("title", title);
  // What the compromise breaks: each rule by `broken_item`, else the caller's strings as they are.
  std::vector<std::string> broken_lines;
  if (!in.broken_rules.empty()) {
    for (std::size_t i = 0; i < in.broken_rules.size(); ++i) {
      const BrokenRule& r = in.broken_rules[i];
      Arguments rule_args = args;
      rule_args.text("constraint", trim(r.constraint).empty() ? "other" : trim(r.constraint));
      rule_args.text("person", trim(r.person));
      rule_args.yes_no("has_person", !trim(r.person).empty());
      rule_args.number("minutes", r.minutes);
      rule_args.number("meetings", r.meetings);
      rule_args.number("day_meetings", r.limit > 0 ? r.limit + r.meetings - 1 : r.meetings);
      rule_args.number("limit", r.limit);
      rule_args.text("window", rule_windows[i]);
      rule_args.yes_no("has_window", !rule_windows[i].empty());
      auto line = writer.format("broken_item", rule_args);
      if (!line) return line.status();
      broken_lines.push_back(one_line(*line));
    }
  } else {
    for (const auto& b : in.broken) broken_lines.push_back(trim(b));
  }
  std::string broken;
  for (const auto& l : broken_lines) broken += (broken.empty() ? "- " : "\n- ") + l;
  args.text("broken", broken);

  std::vector<std::string> missing;
  for (const auto& item : in.missing) {
    Arguments item_args = args;
    item_args.text("item", item);
    auto m = writer.format("need_info_item", item_args);
    if (!m) return m.status();
    missing.push_back(trim(*m));
  }
  args.text("missing", join_list(locale, missing));

  const char* body_key = to_string(in.kind);
  auto greeting = writer.format("greeting", args);
  auto body = writer.format(body_key, args);
  auto closing = writer.format("closing", args);
  if (!greeting) return greeting.status();
  if (!body) return body.status();
  if (!closing) return closing.status();
  d.body = tidy(trim(*greeting) + "\n\n" + *body + "\n\n" + trim(*closing)) + "\n";

  std::string subject = strip_reply_prefixes(in.subject);
  Arguments subject_args = args;
  subject_args.text("subject", subject.empty() ? title : subject);
  auto subj = writer.format("subject", subject_args);
  if (!subj) return subj.status();
  d.subject = trim(*subj);

  // Addresses: to the recipient; a copy to every other attendee (and the organizer) but the sender.
  if (!in.recipient.email.empty()) d.to.push_back(in.recipient.email);
  std::vector<const Person*> copied = {&in.organizer};
  for (const Person& a : in.attendees) copied.push_back(&a);
  for (const Person* p : copied) {
    if (p->email.empty() || same_person(*p, in.recipient) || same_person(*p, sender)) continue;
    if (std::find(d.cc.begin(), d.cc.end(), p->email) != d.cc.end()) continue;
    d.cc.push_back(p->email);
  }

  if (with_invitation) {
    detail::InvitationSpec spec;
    spec.method = in.kind == K::confirm ? detail::InvitationSpec::Method::request : detail::InvitationSpec::Method::cancel;
    spec.uid = in.uid;
    spec.sequence = in.kind == K::cancelled ? in.sequence + 1 : in.sequence;
    spec.stamp = in.now;
    spec.has_time = !in.slots.empty();
    if (spec.has_time) {
      spec.start = in.slots[0].start;
      spec.end = in.slots[0].end;
    }
    spec.zone = in.organizer.zone;
    spec.summary = title;
    spec.location = in.location;
    spec.organizer = in.organizer;
    spec.attendees = in.attendees;
    auto ics = detail::build_invitation(spec);
    if (!ics) return ics.status();
    d.invitation = std::move(*ics);
    d.method = in.kind == K::confirm ? "REQUEST" : "CANCEL";
  }
  return d;
}

}  // namespace

const char* to_string(DraftInput::Kind kind) noexcept {
  switch (kind) {
    case DraftInput::Kind::propose: return "propose";
    case DraftInput::Kind::confirm: return "confirm";
    case DraftInput::Kind::nothing_fits: return "nothing_fits";
    case DraftInput::Kind::cancelled: return "cancelled";
    case DraftInput::Kind::declined: return "declined";
    case DraftInput::Kind::need_info: return "need_info";
    case DraftInput::Kind::none: return "none";
  }
  return "none";
}

sdk::Result<Draft> draft(const DraftInput& input, const Templates& templates) {
  try {
    return draft_or_throw(input, templates);
  } catch (const std::exception& e) {
    return sdk::Status::internal(std::string("drafting the reply failed: ") + e.what());
  } catch (...) {
    return sdk::Status::internal("drafting the reply failed");
  }
}

}  // namespace tandem::drafts
