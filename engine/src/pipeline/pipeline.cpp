#include "tandem/pipeline.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pipeline/schema.hpp"
#include "tandem/services.hpp"
#include "pipeline/yaml_reader.hpp"
#include "util/ascii.hpp"

namespace tandem {

std::string_view stage_name(Stage stage) {
  switch (stage) {
    case Stage::extract: return "extract";
    case Stage::estimate: return "estimate";
    case Stage::human: return "human";
    case Stage::aggregate: return "aggregate";
  }
  return "unknown";
}

std::string_view stage_kind(Stage stage) {
  switch (stage) {
    case Stage::extract: return "extractor";
    case Stage::estimate: return "estimator";
    case Stage::human: return "backend";
    case Stage::aggregate: return "aggregator";
  }
  return "unknown";
}

namespace {

constexpr int kFormatVersion = 1;

// The keys a variable's routing takes, both at the route level (defaults) and per variable.
std::string variable_route_properties() {
  return R"(
    "threshold": {"type": "number", "minimum": 0, "maximum": 1},
    "budget": {"type": "object", "properties": {
      "answers": {"type": "integer", "minimum": 0, "maximum": 1000},
      "cost": {"type": "number", "minimum": 0}}},
    "audit_share": {"type": "number", "minimum": 0, "maximum": 1},
    "instructions": {"type": "string"},
    "context_chars": {"type": "integer", "minimum": 0, "maximum": 10000},
    "escalate_after": {"type": "integer", "minimum": 0, "maximum": 1000},
    "targeting": {"type": "array", "items": {
      "type": "object", "required": ["require"], "properties": {
        "when": {"type": "object", "properties": {"language": {"type": "string", "minLength": 1},
                                                   "locale": {"type": "string", "minLength": 1}}},
        "require": {"type": "object", "minProperties": 1, "properties": {
          "language": {"type": "string", "minLength": 1}, "locale": {"type": "string", "minLength": 1},
          "tag": {"type": "string", "minLength": 1}, "skill": {"type": "string", "minLength": 1}}}}}})";
}

std::string route_schema_text() {
  return R"({
        "type": "object",
        "properties": {)" +
         variable_route_properties() + R"(,
          "thresholds": {"type": "object",
                         "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1}},
          "seed": {"type": "integer", "minimum": 0},
          "variables": {"type": "object", "additionalProperties": {"type": "object", "properties": {)" +
         variable_route_properties() + R"(}}}
        }
      })";
}

std::string mail_schema_text() {
  return R"({
        "type": "object",
        "properties": {
          "assistant": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 3},
                        "description": "The assistant's own addresses: mail to one of them is the assistant's."},
          "people": {"type": "string", "minLength": 1,
                     "description": "The directory of known people (YAML); relative to the pipeline file."},
          "max_bytes": {"type": "integer", "minimum": 1024},
          "max_depth": {"type": "integer", "minimum": 1, "maximum": 10000},
          "max_parts": {"type": "integer", "minimum": 1, "maximum": 1000000}
        }
      })";
}

std::string schedule_schema_text() {
  return R"({
        "type": "object",
        "properties": {
          "calendars": {"type": "string", "minLength": 1,
                        "description": "A folder of calendars (.ics), found by the file names the people directory gives; relative to the pipeline file."},
          "now": {"enum": ["sent", "clock"],
                  "description": "The now of every decision: the message's sent instant, or the clock."},
          "propose": {"type": "integer", "minimum": 1, "maximum": 20},
          "lead_minutes": {"type": "integer", "minimum": 0, "maximum": 10080},
          "horizon_days": {"type": "integer", "minimum": 1, "maximum": 366},
          "grid_minutes": {"type": "integer", "minimum": 1, "maximum": 60},
          "default_minutes": {"type": "object",
                              "additionalProperties": {"type": "integer", "minimum": 5, "maximum": 1440}}
        }
      })";
}

std::string act_schema_text() {
  return R"({
        "type": "object",
        "properties": {
          "drafts": {"type": "string", "minLength": 1,
                     "description": "The folder replies and invitations are written to; relative to the pipeline file."},
          "review": {"type": "boolean",
                     "description": "true: every draft is held for a person's check before it leaves."},
          "templates": {"type": "string", "minLength": 1,
                        "description": "A folder of reply templates added to the bundled ones; relative to the pipeline file."}
        }
      })";
}

// The people directory's own keys (mail.people; the format of shared/eval/scheduling/people.yaml).
std::string people_schema_text() {
  const std::string hours = R"({"type": "array", "items": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}$"}})";
  std::string week;
  for (const char* d : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
    week += std::string(week.empty() ? "" : ", ") + "\"" + d + "\": " + hours;
  const std::string day = R"({"type": "string", "enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]})";
  const std::string clock = R"({"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"})";
  const std::string date = R"({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"})";
  return R"({
    "type": "object",
    "required": ["people"],
    "properties": {
      "assistant": {"type": ["string", "array"], "items": {"type": "string", "minLength": 3}},
      "people": {"type": "object", "additionalProperties": {
        "type": "object",
        "properties": {
          "email": {"type": "string", "minLength": 3},
          "emails": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 3}},
          "name": {"type": "string"},
          "tz": {"type": "string", "minLength": 1},
          "locale": {"type": "string", "minLength": 1},
          "role": {"type": "string"},
          "working_hours": {"type": "object", "properties": {)" + week + R"(}},
          "preferences": {"type": "object", "properties": {
            "preferred_hours": )" + hours + R"(,
            "off_limits": {"type": "array", "items": {"type": "object", "required": ["days", "from", "to"],
              "properties": {"days": {"type": "array", "minItems": 1, "items": )" + day + R"(},
                             "from": )" + clock + R"(, "to": )" + clock + R"(, "label": {"type": "string"}}}},
            "buffer_before_minutes": {"type": "integer", "minimum": 0, "maximum": 1440},
            "buffer_after_minutes": {"type": "integer", "minimum": 0, "maximum": 1440},
            "daily_meeting_cap": {"type": ["integer", "null"], "minimum": 1, "maximum": 1000}}},
          "travel": {"type": ["array", "null"], "items": {"type": "object", "required": ["tz", "from", "to"],
            "properties": {"tz": {"type": "string", "minLength": 1}, "from": )" + date + R"(, "to": )" + date + R"(,
                           "label": {"type": "string"}}}},
          "calendar": {"type": "string", "minLength": 1},
          "locations": {"type": "object", "additionalProperties": {"type": ["string", "null"]}}
        }}},
      "travel_minutes": {"type": "array", "items": {"type": "object", "required": ["from", "to", "minutes"],
        "properties": {"from": {"type": "string", "minLength": 1}, "to": {"type": "string", "minLength": 1},
                       "minutes": {"type": "integer", "minimum": 0, "maximum": 1440}}}},
      "default_travel_minutes": {"type": "integer", "minimum": 0, "maximum": 1440}
    }
  })";
}

// "09:30" -> 570; -1 when it is no time of day (24:00 is the end of the day).
int clock_minutes(std::string_view t) {
  if (t.size() != 5 || t[2] != ':') return -1;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (t[i] < '0' || t[i] > '9') return -1;
  const int h = (t[0] - '0') * 10 + (t[1] - '0');
  const int m = (t[3] - '0') * 10 + (t[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return -1;
  return h * 60 + m;
}

// "2026-03-16" -> the date, or !ok().
std::chrono::year_month_day iso_date(std::string_view t) {
  int y = 0;
  unsigned mo = 0, d = 0;
  if (t.size() != 10 || std::sscanf(std::string(t).c_str(), "%4d-%2u-%2u", &y, &mo, &d) != 3) return {};
  return std::chrono::year_month_day{std::chrono::year(y), std::chrono::month(mo), std::chrono::day(d)};
}

int weekday_index(std::string_view d) {
  static constexpr std::string_view kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  for (int i = 0; i < 7; ++i)
    if (kDays[i] == d) return i;
  return -1;
}

// An addr-spec as the mail section needs it: one @, something on each side, no spaces or angle brackets.
bool plain_address(std::string_view a) {
  const std::size_t at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= a.size() || a.find('@', at + 1) != std::string_view::npos)
    return false;
  for (char c : a)
    if (c == ' ' || c == '\t' || c == '<' || c == '>' || c == ',' || c == ';') return false;
  return true;
}

using util::lower_ascii;

// The file's own keys, checked by the same schema code as plugin configs so that both speak alike.
// `tandem` is checked by hand (its message names the version this engine reads); an instance's
// `config` is the plugin's business (PluginHost::check_config), so it is left open here.
std::string pipeline_schema_text() {
  const std::string instance = R"({
    "type": "object",
    "required": ["plugin"],
    "properties": {
      "plugin": {"type": "string", "minLength": 1,
                 "description": "The plugin's full dotted name, or its last dotted part when that is unique."},
      "name": {"type": "string",
               "description": "The instance's name, unique in the pipeline; default: the plugin's last dotted part."},
      "config": {"additionalProperties": true, "description": "The plugin's own settings (see its reference)."}
    }
  })";
  std::string stages;
  for (Stage s : kStages) {
    if (!stages.empty()) stages += ",";
    stages += "\"" + std::string(stage_name(s)) + "\": {\"type\": \"array\", \"items\": " + instance + "}";
  }
  return R"({
    "type": "object",
    "required": ["tandem", "stages"],
    "properties": {
      "tandem": {"description": "The format version of the file: 1."},
      "name": {"type": "string"},
      "description": {"type": "string"},
      "plugin_paths": {"type": "array", "items": {"type": "string", "minLength": 1}},
      "mail": )" + mail_schema_text() + R"(,
      "route": )" + route_schema_text() + R"(,
      "workers": {"type": "string", "minLength": 1,
                  "description": "The roster of workers (YAML) the human stage's backends reach; relative to the pipeline file."},
      "schedule": )" + schedule_schema_text() + R"(,
      "act": )" + act_schema_text() + R"(,
      "stages": {"type": "object", "properties": {)" +
         stages + R"(}}
    }
  })";
}

// A schema of ours, parsed once; a schema text that does not parse is a bug, not an input error.
const detail::ConfigSchema& parsed_once(std::shared_ptr<const detail::ConfigSchema>& slot, const std::string& text,
                                        const char* what) {
  if (!slot) {
    auto parsed = detail::ConfigSchema::parse(text);
    if (!parsed) throw std::logic_error(std::string("the ") + what + " schema is invalid: " + parsed.status().message());
    slot = std::move(parsed).value();
  }
  return *slot;
}

const detail::ConfigSchema& people_schema() {
  static std::shared_ptr<const detail::ConfigSchema> schema;
  static const detail::ConfigSchema& parsed = parsed_once(schema, people_schema_text(), "people");
  return parsed;
}

const detail::ConfigSchema& pipeline_schema() {
  static std::shared_ptr<const detail::ConfigSchema> schema;
  static const detail::ConfigSchema& parsed = parsed_once(schema, pipeline_schema_text(), "pipeline");
  return parsed;
}

// "stages.<stage>[<n>].config": where an instance's own config starts, so its paths restart there.
bool is_instance_config(std::string_view p) {
  constexpr std::string_view kHead = "stages.";
  constexpr std::string_view kTail = "].config";
  if (p.size() <= kHead.size() + kTail.size() || p.substr(0, kHead.size()) != kHead ||
      p.substr(p.size() - kTail.size()) != kTail)
    return false;
  const std::string_view mid = p.substr(kHead.size(), p.size() - kHead.size() - kTail.size());
  const std::size_t open = mid.find('[');
  if (open == 0 || open == std::string_view::npos || mid.substr(0, open).find_first_of(".[]") != std::string_view::npos)
    return false;
  const std::string_view digits = mid.substr(open + 1);
  if (digits.empty()) return false;
  for (char c : digits)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string last_part(std::string_view dotted) {
  const std::size_t dot = dotted.rfind('.');
  return std::string(dot == std::string_view::npos ? dotted : dotted.substr(dot + 1));
}

std::string with_article(std::string_view kind) {
  const bool vowel = !kind.empty() && std::string_view("aeiou").find(kind.front()) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ") + std::string(kind);
}

bool valid_instance_name(std::string_view name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

// Reads a people directory (the format of shared/eval/scheduling/people.yaml, plus `locations`,
// `travel_minutes` and `default_travel_minutes`; config/README.md) into a PeopleDirectory. The pipeline's
// `mail.people` and load_people() both read through it, so both accept and refuse exactly the same files.
class PeopleReader {
 public:
  explicit PeopleReader(const sdk::Services& services) : services_(services) {}

  void read(const sdk::ConfigNode& root, sdk::ConfigErrors& errors, const std::filesystem::path& file,
            PeopleDirectory& out) {
    read_people_list(root, errors, file, out);
    read_travel(root, errors, out);
  }

 private:
  // "HH:MM-HH:MM" -> a range; an error at the node when the times are impossible or out of order.
  static bool day_range(const sdk::ConfigNode& n, DayRange& out, sdk::ConfigErrors& errors) {
    const std::string& t = n.scalar();
    if (t.size() != 11 || t[5] != '-') return false;  // not of the form: the schema said so
    const int b = clock_minutes(std::string_view(t).substr(0, 5));
    const int e = clock_minutes(std::string_view(t).substr(6, 5));
    if (b < 0 || e < 0 || b >= e) {
      errors.add(n, "expected a range of the day like \"09:00-17:30\" (start before end, 00:00 to 24:00), got " +
                        detail::found_text(n));
      return false;
    }
    out = {b, e};
    return true;
  }

  static void add_address(const sdk::ConfigNode& a, Person& person, std::map<std::string, int>& seen,
                   sdk::ConfigErrors& errors) {
    if (!a.is_scalar()) return;
    if (!plain_address(a.scalar())) {
      errors.add(a, "expected a mail address like dana@example.org, got " + detail::found_text(a));
      return;
    }
    std::string lower = lower_ascii(a.scalar());
    auto [it, fresh] = seen.emplace(lower, a.mark().line);
    if (!fresh) {
      errors.add(a, "the address " + in_quotes(a.scalar()) + " is already given on line " + std::to_string(it->second));
      return;
    }
    person.addresses.push_back(std::move(lower));
  }

  void read_people_list(const sdk::ConfigNode& root, sdk::ConfigErrors& errors,
                        const std::filesystem::path& file, PeopleDirectory& out) {
    const sdk::Services& services = services_;
    if (const sdk::ConfigNode* a = root.find("assistant")) {
      std::vector<const sdk::ConfigNode*> list;
      if (a->is_scalar()) list.push_back(a);
      else if (a->is_sequence())
        for (const auto& item : a->items()) list.push_back(&item);
      for (const sdk::ConfigNode* item : list) {
        if (!item->is_scalar()) continue;
        if (!plain_address(item->scalar())) {
          errors.add(*item, "expected a mail address like assistant@example.org, got " + detail::found_text(*item));
          continue;
        }
        std::string lower = lower_ascii(item->scalar());
        if (std::find(out.assistant.begin(), out.assistant.end(), lower) == out.assistant.end())
          out.assistant.push_back(std::move(lower));
      }
    }
    const sdk::ConfigNode* people = root.find("people");
    if (people == nullptr || !people->is_map()) return;
    std::map<std::string, int> seen;  // address -> line
    for (const auto& entry : people->entries()) {
      const sdk::ConfigNode& item = entry.value;
      if (!item.is_map()) continue;
      Person person;
      person.id = entry.key.scalar();
      if (const sdk::ConfigNode* n = item.find("name"); n != nullptr && n->is_scalar()) person.name = n->scalar();
      if (const sdk::ConfigNode* n = item.find("role"); n != nullptr && n->is_scalar()) person.role = n->scalar();
      if (const sdk::ConfigNode* a = item.find("email")) add_address(*a, person, seen, errors);
      if (const sdk::ConfigNode* as = item.find("emails"); as != nullptr && as->is_sequence())
        for (const auto& a : as->items()) add_address(a, person, seen, errors);
      if (item.find("email") == nullptr && item.find("emails") == nullptr)
        errors.add(item, "a person needs an address: `email: dana@example.org` (or `emails: [...]`)");
      if (const sdk::ConfigNode* z = item.find("tz"); z != nullptr && z->is_scalar()) {
        if (services.time().has_zone(z->scalar())) person.zone = z->scalar();
        else errors.add(*z, "expected an IANA time zone like Europe/Berlin, got " + detail::found_text(*z));
      }
      if (const sdk::ConfigNode* l = item.find("locale"); l != nullptr && l->is_scalar()) {
        sdk::Result<std::string> canonical = sdk::Status::invalid_input("no ICU data");
        if (services.locale().has_locale(l->scalar())) canonical = services.locale().canonical(l->scalar());
        if (canonical.is_ok()) person.locale = canonical.value();
        else errors.add(*l, "expected an ICU locale ICU has data for, like de_DE or en_GB, got " + detail::found_text(*l));
      }
      if (const sdk::ConfigNode* w = item.find("working_hours"); w != nullptr && w->is_map()) {
        person.has_working_hours = true;
        for (const auto& day : w->entries()) {
          const int index = weekday_index(day.key.scalar());
          if (index < 0 || !day.value.is_sequence()) continue;  // the schema said why
          for (const auto& r : day.value.items()) {
            DayRange range;
            if (r.is_scalar() && day_range(r, range, errors))
              person.working_hours[static_cast<std::size_t>(index)].push_back(range);
          }
        }
      }
      if (const sdk::ConfigNode* pref = item.find("preferences"); pref != nullptr && pref->is_map()) {
        if (const sdk::ConfigNode* ph = pref->find("preferred_hours"); ph != nullptr && ph->is_sequence())
          for (const auto& r : ph->items()) {
            DayRange range;
            if (r.is_scalar() && day_range(r, range, errors)) person.preferred_hours.push_back(range);
          }
        if (const sdk::ConfigNode* ol = pref->find("off_limits"); ol != nullptr && ol->is_sequence())
          for (const auto& block : ol->items()) {
            if (!block.is_map()) continue;
            OffLimits o;
            if (const sdk::ConfigNode* days = block.find("days"); days != nullptr && days->is_sequence())
              for (const auto& d : days->items())
                if (d.is_scalar() && weekday_index(d.scalar()) >= 0) o.days.push_back(weekday_index(d.scalar()));
            const sdk::ConfigNode* from = block.find("from");
            const sdk::ConfigNode* to = block.find("to");
            if (from == nullptr || to == nullptr || !from->is_scalar() || !to->is_scalar()) continue;
            o.range = {clock_minutes(from->scalar()), clock_minutes(to->scalar())};
            if (o.range.begin < 0 || o.range.end < 0 || o.range.begin >= o.range.end) {
              errors.add(*from, "expected `from` before `to`, both times of the day (00:00 to 24:00), got " +
                                    detail::found_text(*from) + " to " + detail::found_text(*to));
              continue;
            }
            if (const sdk::ConfigNode* label = block.find("label"); label != nullptr && label->is_scalar())
              o.label = label->scalar();
            person.off_limits.push_back(std::move(o));
          }
        if (const sdk::ConfigNode* n = pref->find("buffer_before_minutes"))
          if (auto v = n->as_int()) person.buffer_before_minutes = static_cast<int>(*v);
        if (const sdk::ConfigNode* n = pref->find("buffer_after_minutes"))
          if (auto v = n->as_int()) person.buffer_after_minutes = static_cast<int>(*v);
        if (const sdk::ConfigNode* n = pref->find("daily_meeting_cap"))
          if (auto v = n->as_int()) person.daily_meeting_cap = static_cast<int>(*v);
      }
      if (const sdk::ConfigNode* travel = item.find("travel"); travel != nullptr && travel->is_sequence())
        for (const auto& t : travel->items()) {
          if (!t.is_map()) continue;
          Trip trip;
          const sdk::ConfigNode* tz = t.find("tz");
          const sdk::ConfigNode* from = t.find("from");
          const sdk::ConfigNode* to = t.find("to");
          if (tz == nullptr || from == nullptr || to == nullptr || !tz->is_scalar() || !from->is_scalar() ||
              !to->is_scalar())
            continue;  // the schema said why
          if (!services.time().has_zone(tz->scalar())) {
            errors.add(*tz, "expected an IANA time zone like Europe/London, got " + detail::found_text(*tz));
            continue;
          }
          trip.zone = tz->scalar();
          trip.from = iso_date(from->scalar());
          trip.to = iso_date(to->scalar());
          if (!trip.from.ok()) {
            errors.add(*from, "expected a date like 2026-03-16, got " + detail::found_text(*from));
            continue;
          }
          if (!trip.to.ok() || std::chrono::sys_days{trip.to} < std::chrono::sys_days{trip.from}) {
            errors.add(*to, "expected a date on or after `from` (" + from->scalar() + "), got " + detail::found_text(*to));
            continue;
          }
          if (const sdk::ConfigNode* label = t.find("label"); label != nullptr && label->is_scalar())
            trip.label = label->scalar();
          person.travel.push_back(std::move(trip));
        }
      if (const sdk::ConfigNode* c = item.find("calendar"); c != nullptr && c->is_scalar() && !c->scalar().empty()) {
        std::filesystem::path cal(c->scalar());
        if (cal.is_relative()) cal = file.parent_path() / cal;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(cal, ec))
          errors.add(*c, "no calendar file " + in_quotes(c->scalar()) +
                             " (a relative path starts at the people directory's folder)");
        else
          person.calendar = std::filesystem::absolute(cal, ec).lexically_normal();
      }
      read_locations(item, person, errors);
      if (!person.addresses.empty()) out.people.push_back(std::move(person));
    }
  }


  // A person's `locations`: place name -> address (or null). A name is one place in the whole file: a
  // second person naming it gives the same address or none.
  void read_locations(const sdk::ConfigNode& item, Person& person, sdk::ConfigErrors& errors) {
    const sdk::ConfigNode* locations = item.find("locations");
    if (locations == nullptr || !locations->is_map()) return;  // the schema said why
    for (const auto& e : locations->entries()) {
      Place place;
      place.name = e.key.scalar();
      if (e.value.is_scalar()) place.address = e.value.scalar();
      if (detail_place_key(place.name).empty()) {
        errors.add(e.key, "expected a place name with a letter or digit, got " + detail::found_text(e.key));
        continue;
      }
      auto [it, fresh] = places_.emplace(place.name, PlaceSeen{place.address, e.key.mark().line});
      if (!fresh) {
        if (!place.address.empty() && !it->second.address.empty() && it->second.address != place.address) {
          errors.add(e.value, "the place " + in_quotes(place.name) + " has the address " +
                                  in_quotes(it->second.address) + " on line " + std::to_string(it->second.line) +
                                  "; one name is one place");
          continue;
        }
        if (it->second.address.empty()) it->second.address = place.address;
        if (place.address.empty()) place.address = it->second.address;
      }
      person.locations.push_back(std::move(place));
    }
  }

  // `travel_minutes` between named places (both ways unless the other way has a row of its own) and
  // `default_travel_minutes` between two different places no row names.
  void read_travel(const sdk::ConfigNode& root, sdk::ConfigErrors& errors, PeopleDirectory& out) {
    for (const auto& [name, seen] : places_) out.places.push_back(Place{name, seen.address});
    if (const sdk::ConfigNode* d = root.find("default_travel_minutes"))
      if (auto v = d->as_int()) out.default_travel_minutes = static_cast<int>(*v);
    const sdk::ConfigNode* rows = root.find("travel_minutes");
    if (rows == nullptr || !rows->is_sequence()) return;
    std::vector<std::string> names;
    for (const auto& [name, seen] : places_) names.push_back(name);
    std::map<std::pair<std::string, std::string>, int> given;  // (from, to) -> line
    for (const auto& row : rows->items()) {
      if (!row.is_map()) continue;
      const sdk::ConfigNode* from = row.find("from");
      const sdk::ConfigNode* to = row.find("to");
      const sdk::ConfigNode* minutes = row.find("minutes");
      if (from == nullptr || to == nullptr || minutes == nullptr || !from->is_scalar() || !to->is_scalar())
        continue;  // the schema said why
      bool ok = true;
      for (const sdk::ConfigNode* n : {from, to})
        if (places_.count(n->scalar()) == 0) {
          errors.add(*n, "expected a place named in some person's `locations`, got " + detail::found_text(*n) +
                             sdk::did_you_mean(n->scalar(), names));
          ok = false;
        }
      if (ok && from->scalar() == to->scalar()) {
        errors.add(*to, "expected another place than `from` (a place is 0 minutes from itself), got " +
                            detail::found_text(*to));
        ok = false;
      }
      const auto v = minutes->as_int();
      if (!ok || !v) continue;
      auto [it, fresh] = given.emplace(std::make_pair(from->scalar(), to->scalar()), row.mark().line);
      if (!fresh) {
        errors.add(row, "travel from " + in_quotes(from->scalar()) + " to " + in_quotes(to->scalar()) +
                            " is already given on line " + std::to_string(it->second));
        continue;
      }
      out.travel_minutes.push_back(TravelTime{from->scalar(), to->scalar(), static_cast<int>(*v)});
    }
  }

  static std::string detail_place_key(std::string_view text) { return PeopleDirectory::place_key(text); }

  struct PlaceSeen {
    std::string address;
    int line = 0;
  };
  const sdk::Services& services_;
  std::map<std::string, PlaceSeen> places_;
};

// Reads the text of a people directory file into `out`; every problem goes to `errors`.
void read_people_text(const std::string& text, const std::filesystem::path& file, const sdk::Services& services,
                      sdk::ConfigErrors& errors, PeopleDirectory& out) {
  const std::string name = file.string();
  out.file = file;
  auto doc = detail::parse_yaml_document(text, name, errors);
  if (!doc) return;
  const sdk::ConfigNode root = detail::to_config_node(*doc, text, name, errors);
  if (!root.is_map()) {
    errors.add(sdk::ConfigError{root.mark().known() ? root.mark() : sdk::Mark{name, 0, 0}, "",
                                "expected a map with the key `people:` (a map of people by id), got " +
                                    detail::found_text(root)});
    return;
  }
  people_schema().validate(root, errors);
  PeopleReader(services).read(root, errors, file, out);
}

// Everything about one file being validated.
class Validator {
 public:
  Validator(const std::string& file, const std::filesystem::path& base_dir, PluginHost& host)
      : file_(file), base_dir_(base_dir), host_(host) {}

  PipelineLoad run(std::string_view yaml) {
    PipelineLoad load;
    auto doc = detail::parse_yaml_document(yaml, file_, errors_);
    if (!doc) return finish(std::move(load));
    const sdk::ConfigNode root = detail::to_config_node(*doc, yaml, file_, errors_, &is_instance_config);
    if (root.is_null() && !root.mark().known()) {
      errors_.add(sdk::ConfigError{sdk::Mark{file_, 0, 0}, "",
                                   "the file is empty; a pipeline needs at least `tandem: 1` and `stages:`"});
      return finish(std::move(load));
    }
    if (!root.is_map()) {
      add(root, "expected a map of pipeline keys (tandem, name, description, plugin_paths, mail, route, stages), got " +
                    detail::found_text(root));
      return finish(std::move(load));
    }
    pipeline_schema().validate(root, errors_);

    spec_.file = file_;
    read_version(root);
    spec_.name = string_at(root, "name");
    spec_.description = string_at(root, "description");
    read_plugin_paths(root);
    load.plugin_problems = host_.load_all(PluginHost::search_paths(spec_.plugin_paths));
    read_mail(root);
    read_route(root);
    read_schedule(root);
    read_act(root);
    if (const sdk::ConfigNode* n = root.find("workers"); n != nullptr && n->is_scalar() && !n->scalar().empty()) {
      spec_.workers = path_at(*n);
      std::error_code ec;
      if (!std::filesystem::is_regular_file(spec_.workers, ec))
        add(*n, "file " + in_quotes(n->scalar()) + " does not exist (a relative path starts at the pipeline file's folder)");
    }
    read_stages(root);
    return finish(std::move(load));
  }

 private:
  PipelineLoad finish(PipelineLoad load) {
    errors_.sort();
    load.errors = errors_.all();
    if (load.errors.empty()) {
      for (auto& stage : by_stage_)
        for (auto& instance : stage) spec_.instances.push_back(std::move(instance));
      load.pipeline = std::move(spec_);
    }
    return load;
  }

  // An error at `at` whose path is `path` (used where the node's own path is relative to a new root).
  void add(const sdk::ConfigNode& at, std::string message) { errors_.add(at, std::move(message)); }
  void add(const sdk::Mark& mark, std::string path, std::string message) {
    errors_.add(sdk::ConfigError{mark, std::move(path), std::move(message)});
  }

  static std::string string_at(const sdk::ConfigNode& map, std::string_view key) {
    const sdk::ConfigNode* n = map.find(key);
    return n != nullptr && n->is_scalar() ? n->scalar() : std::string();
  }

  void read_version(const sdk::ConfigNode& root) {
    const sdk::ConfigNode* v = root.find("tandem");
    if (v == nullptr) return;  // the schema reported it missing
    if (v->as_int() == kFormatVersion) return;
    add(*v, "expected " + std::to_string(kFormatVersion) +
                " (the pipeline format version this engine reads), got " + detail::found_text(*v));
  }

  void read_plugin_paths(const sdk::ConfigNode& root) {
    const sdk::ConfigNode* paths = root.find("plugin_paths");
    if (paths == nullptr || !paths->is_sequence()) return;
    for (const auto& item : paths->items()) {
      if (!item.is_scalar() || item.scalar().empty()) continue;  // the schema said why
      std::filesystem::path p(item.scalar());
      if (p.is_relative()) p = base_dir_ / p;
      std::error_code ec;
      p = std::filesystem::absolute(p, ec).lexically_normal();
      const auto status = std::filesystem::status(p, ec);
      if (!std::filesystem::exists(status)) {
        add(item, "folder " + in_quotes(item.scalar()) +
                      " does not exist (a relative path starts at the pipeline file's folder)");
      } else if (!std::filesystem::is_directory(status)) {
        add(item, in_quotes(item.scalar()) + " is not a folder");
      } else {
        spec_.plugin_paths.push_back(std::move(p));
      }
    }
  }

  // The mail section. The schema checked types and ranges; here: the addresses' form, and the people
  // directory, read and checked as a file of its own (its errors carry its own file:line:column).
  void read_mail(const sdk::ConfigNode& root) {
    const sdk::ConfigNode* mail = root.find("mail");
    if (mail == nullptr || !mail->is_map()) return;
    MailSpec& m = spec_.mail;
    if (const sdk::ConfigNode* list = mail->find("assistant"); list != nullptr && list->is_sequence()) {
      for (const auto& item : list->items()) {
        if (!item.is_scalar()) continue;
        if (!plain_address(item.scalar())) {
          add(item, "expected a mail address like assistant@example.org (no display name, no brackets), got " +
                        detail::found_text(item));
          continue;
        }
        m.assistant.push_back(lower_ascii(item.scalar()));
      }
    }
    if (const sdk::ConfigNode* n = mail->find("max_bytes")) {
      if (auto v = n->as_int(); v && *v > 0) m.max_bytes = static_cast<std::size_t>(*v);
    }
    if (const sdk::ConfigNode* n = mail->find("max_depth")) {
      if (auto v = n->as_int(); v && *v > 0) m.max_depth = static_cast<int>(*v);
    }
    if (const sdk::ConfigNode* n = mail->find("max_parts")) {
      if (auto v = n->as_int(); v && *v > 0) m.max_parts = static_cast<std::size_t>(*v);
    }
    if (const sdk::ConfigNode* n = mail->find("people"); n != nullptr && n->is_scalar() && !n->scalar().empty()) {
      std::filesystem::path p(n->scalar());
      if (p.is_relative()) p = (base_dir_ / p).lexically_normal();  // messages name it so
      std::error_code ec;
      m.people_file = std::filesystem::absolute(p, ec).lexically_normal();
      read_people(*n, p);
    }
  }

  void read_people(const sdk::ConfigNode& at, const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::error_code ec;
    if (!in || std::filesystem::is_directory(file, ec)) {
      const char* why = std::filesystem::is_directory(file, ec) ? "it is a folder"
                        : !std::filesystem::exists(file, ec)    ? "no such file"
                                                                : "unreadable";
      add(at, "cannot read the people directory " + in_quotes(at.scalar()) + ": " + why +
                  " (a relative path starts at the pipeline file's folder)");
      return;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    sdk::ConfigErrors errors;
    PeopleDirectory directory;
    read_people_text(std::move(buffer).str(), file, host_.services(), errors, directory);
    for (const auto& e : errors.all()) errors_.add(e);
    for (std::string& a : directory.assistant)
      if (!spec_.mail.is_assistant(a)) spec_.mail.assistant.push_back(std::move(a));
    for (Person& p : directory.people) spec_.mail.people.push_back(std::move(p));
  }

  // The route section. The schema checked types and ranges; what it cannot say is checked here: a
  // variable key must be a name or a `[*]` pattern, a threshold set in two places, and the
  // placeholders of a targeting rule.
  // A path relative to the pipeline file's folder, made absolute.
  std::filesystem::path path_at(const sdk::ConfigNode& n) const {
    std::filesystem::path p(n.scalar());
    if (p.is_relative()) p = base_dir_ / p;
    std::error_code ec;
    return std::filesystem::absolute(p, ec).lexically_normal();
  }

  void read_schedule(const sdk::ConfigNode& root) {
    const sdk::ConfigNode* schedule = root.find("schedule");
    if (schedule == nullptr || !schedule->is_map()) return;
    ScheduleSpec& s = spec_.schedule;
    if (const sdk::ConfigNode* n = schedule->find("calendars"); n != nullptr && n->is_scalar() && !n->scalar().empty()) {
      s.calendars = path_at(*n);
      std::error_code ec;
      if (!std::filesystem::is_directory(s.calendars, ec))
        add(*n, "folder " + in_quotes(n->scalar()) + " does not exist (a relative path starts at the pipeline file's folder)");
    }
    if (const sdk::ConfigNode* n = schedule->find("now"); n != nullptr && n->is_scalar()) s.now_is_sent = n->scalar() != "clock";
    const auto int_key = [&](const char* key, int& out) {
      if (const sdk::ConfigNode* n = schedule->find(key))
        if (auto v = n->as_int()) out = static_cast<int>(*v);
    };
    int_key("propose", s.propose);
    int_key("lead_minutes", s.lead_minutes);
    int_key("horizon_days", s.horizon_days);
    int_key("grid_minutes", s.grid_minutes);
    if (const sdk::ConfigNode* m = schedule->find("default_minutes"); m != nullptr && m->is_map())
      for (const auto& e : m->entries())
        if (auto v = e.value.as_int()) s.default_minutes[e.key.scalar()] = static_cast<int>(*v);
  }

  void read_act(const sdk::ConfigNode& root) {
    const sdk::ConfigNode* act = root.find("act");
    if (act == nullptr || !act->is_map()) return;
    ActSpec& a = spec_.act;
    if (const sdk::ConfigNode* n = act->find("drafts"); n != nullptr && n->is_scalar() && !n->scalar().empty())
      a.drafts = path_at(*n);
    if (const sdk::ConfigNode* n = act->find("review"))
      if (auto v = n->as_bool()) a.review = *v;
    if (const sdk::ConfigNode* n = act->find("templates"); n != nullptr && n->is_scalar() && !n->scalar().empty()) {
      a.templates = path_at(*n);
      std::error_code ec;
      if (!std::filesystem::is_directory(a.templates, ec))
        add(*n, "folder " + in_quotes(n->scalar()) + " does not exist (a relative path starts at the pipeline file's folder)");
    }
  }

  void read_route(const sdk::ConfigNode& root) {
    const sdk::ConfigNode* route = root.find("route");
    if (route == nullptr || !route->is_map()) return;
    RouteSpec& r = spec_.route;
    if (const sdk::ConfigNode* t = route->find("threshold")) {
      if (auto v = t->as_double()) r.threshold = *v;
    }
    if (const sdk::ConfigNode* t = route->find("seed")) {
      if (auto v = t->as_int(); v && *v >= 0) r.seed = static_cast<std::uint64_t>(*v);
    }
    VariableRouteOverride defaults;
    read_variable_route(*route, defaults);
    if (defaults.max_answers) r.defaults.max_answers = *defaults.max_answers;
    if (defaults.max_cost) r.defaults.max_cost = *defaults.max_cost;
    if (defaults.audit_share) r.defaults.audit_share = *defaults.audit_share;
    if (defaults.instructions) r.defaults.instructions = *defaults.instructions;
    if (defaults.context_chars) r.defaults.context_chars = *defaults.context_chars;
    if (defaults.escalate_after) r.defaults.escalate_after = *defaults.escalate_after;
    if (defaults.targeting) r.defaults.targeting = *defaults.targeting;

    std::map<std::string, int> threshold_lines;  // variable -> line of its entry in `thresholds`
    if (const sdk::ConfigNode* per = route->find("thresholds"); per != nullptr && per->is_map()) {
      for (const auto& e : per->entries()) {
        threshold_lines[e.key.scalar()] = e.key.mark().line;
        if (auto v = e.value.as_double()) r.thresholds[e.key.scalar()] = *v;
      }
    }
    const sdk::ConfigNode* vars = route->find("variables");
    if (vars == nullptr || !vars->is_map()) return;
    for (const auto& e : vars->entries()) {
      const std::string& key = e.key.scalar();
      if (!valid_variable_key(key)) {
        add(e.key.mark(), e.key.path().empty() ? detail::child_path(vars->path(), key) : e.key.path(),
            "expected a variable name (request, time[2].value) or a pattern whose [*] stands for any index "
            "(time[*].value), got " + in_quotes(key));
        continue;
      }
      VariableRouteOverride o;
      o.key = key;
      if (e.value.is_map()) read_variable_route(e.value, o);
      if (const sdk::ConfigNode* t = e.value.is_map() ? e.value.find("threshold") : nullptr) {
        if (auto it = threshold_lines.find(key); it != threshold_lines.end())
          add(*t, "the threshold of " + in_quotes(key) + " is also set in route.thresholds (line " +
                      std::to_string(it->second) + "); keep one of them");
      }
      r.variables.push_back(std::move(o));
    }
  }

  // Variable names as extractors write them: dotted parts of [a-z0-9_], each may end in [N] or [*].
  static bool valid_variable_key(std::string_view key) {
    std::size_t i = 0;
    bool part_start = true;
    while (i < key.size()) {
      const char c = key[i];
      if (part_start) {
        if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
        part_start = false;
        ++i;
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
        ++i;
      } else if (c == '[') {
        const std::size_t close = key.find(']', i);
        if (close == std::string_view::npos || close == i + 1) return false;
        const std::string_view inside = key.substr(i + 1, close - i - 1);
        if (inside != "*")
          for (char d : inside)
            if (d < '0' || d > '9') return false;
        i = close + 1;
        if (i < key.size() && key[i] != '.') return false;
      } else if (c == '.') {
        part_start = true;
        ++i;
      } else {
        return false;
      }
    }
    return !key.empty() && !part_start;
  }

  // The keys shared by the route level and a `variables` entry; only those written are set.
  void read_variable_route(const sdk::ConfigNode& map, VariableRouteOverride& o) {
    if (const sdk::ConfigNode* t = map.find("threshold")) o.threshold = t->as_double();
    if (const sdk::ConfigNode* b = map.find("budget"); b != nullptr && b->is_map()) {
      if (const sdk::ConfigNode* a = b->find("answers")) {
        if (auto v = a->as_int()) o.max_answers = static_cast<int>(*v);
      }
      if (const sdk::ConfigNode* c = b->find("cost")) o.max_cost = c->as_double();
    }
    if (const sdk::ConfigNode* t = map.find("audit_share")) o.audit_share = t->as_double();
    if (const sdk::ConfigNode* t = map.find("instructions"); t != nullptr && t->is_scalar())
      o.instructions = t->scalar();
    if (const sdk::ConfigNode* t = map.find("context_chars")) {
      if (auto v = t->as_int()) o.context_chars = static_cast<int>(*v);
    }
    if (const sdk::ConfigNode* t = map.find("escalate_after")) {
      if (auto v = t->as_int()) o.escalate_after = static_cast<int>(*v);
    }
    const sdk::ConfigNode* rules = map.find("targeting");
    if (rules == nullptr || !rules->is_sequence()) return;
    std::vector<TargetRule> out;
    for (const auto& item : rules->items()) {
      if (!item.is_map()) continue;
      TargetRule rule;
      for (const char* part : {"when", "require"}) {
        const sdk::ConfigNode* m = item.find(part);
        if (m == nullptr || !m->is_map()) continue;
        for (const auto& c : m->entries()) {
          if (!c.value.is_scalar()) continue;
          const std::string& v = c.value.scalar();
          if (v.find('{') != std::string::npos || v.find('}') != std::string::npos) {
            static const std::vector<std::string> kPlaceholders = {"{message.language}", "{message.locale}"};
            if (std::string_view(part) == "when" ||
                std::find(kPlaceholders.begin(), kPlaceholders.end(), v) == kPlaceholders.end()) {
              add(c.value, std::string("expected ") +
                               (std::string_view(part) == "when"
                                    ? "a plain value (placeholders are for `require`)"
                                    : "a plain value, \"{message.language}\" or \"{message.locale}\"") +
                               ", got " + in_quotes(v) +
                               (std::string_view(part) == "when" ? "" : sdk::did_you_mean(v, kPlaceholders)));
              continue;
            }
          }
          (std::string_view(part) == "when" ? rule.when : rule.require)[c.key.scalar()] = v;
        }
      }
      out.push_back(std::move(rule));
    }
    o.targeting = std::move(out);
  }

  void read_stages(const sdk::ConfigNode& root) {
    const sdk::ConfigNode* stages = root.find("stages");
    if (stages == nullptr || !stages->is_map()) return;
    for (const auto& e : stages->entries()) {
      for (Stage s : kStages) {
        if (e.key.scalar() != stage_name(s) || !e.value.is_sequence()) continue;
        for (const auto& item : e.value.items())
          if (item.is_map()) read_instance(s, item);
      }
    }
    const sdk::ConfigNode* extract = stages->find(stage_name(Stage::extract));
    if (extract == nullptr) {
      add(*stages, "at least one extractor is required (add the stage \"extract\" with one plugin instance)");
    } else if (extract->is_sequence() && extract->items().empty()) {
      add(*extract, "at least one extractor is required");
    }
  }

  const PluginInfo* resolve(const sdk::ConfigNode& plugin) {
    const std::string& name = plugin.scalar();
    if (const PluginInfo* info = host_.find(name)) return info;
    const std::vector<const PluginInfo*> all = host_.plugins();
    std::vector<std::string> same_short;
    std::vector<std::string> candidates;
    candidates.reserve(all.size() * 2);
    for (const PluginInfo* p : all) {
      std::string short_name = last_part(p->name);
      if (short_name == name) same_short.push_back(p->name);
      candidates.push_back(p->name);
      candidates.push_back(std::move(short_name));
    }
    if (same_short.size() > 1) {
      std::string list;
      for (const auto& n : same_short) list += (list.empty() ? "" : ", ") + n;
      add(plugin, "plugin name " + in_quotes(name) + " is ambiguous: it could be " + list + " (write the full name)");
      return nullptr;
    }
    std::string message = "unknown plugin " + in_quotes(name);
    const std::string suggestion = sdk::did_you_mean(name, candidates);
    if (!suggestion.empty()) {
      message += suggestion;
    } else {
      message += " (no plugin of that name was found; `tandem plugins` lists the plugins found)";
    }
    add(plugin, std::move(message));
    return nullptr;
  }

  void read_instance(Stage stage, const sdk::ConfigNode& node) {
    InstanceSpec spec;
    spec.stage = stage;
    spec.mark = node.mark();

    const sdk::ConfigNode* plugin = node.find("plugin");
    const bool plugin_ok = plugin != nullptr && plugin->is_scalar() && !plugin->scalar().empty();
    if (plugin_ok) {
      spec.plugin = plugin->scalar();
      spec.info = resolve(*plugin);
      if (spec.info != nullptr && spec.info->kind != stage_kind(stage)) {
        add(*plugin, spec.info->name + " is " + with_article(spec.info->kind) + "; stage " +
                         in_quotes(stage_name(stage)) + " takes " + std::string(stage_kind(stage)) + "s");
        spec.info = nullptr;
      }
    }

    read_name(node, plugin_ok, spec);

    const std::string config_path = detail::child_path(node.path(), "config");
    const sdk::ConfigNode* config = node.find("config");
    sdk::ConfigNode empty;
    const sdk::ConfigNode* given = config;
    if (config == nullptr || config->is_null()) {
      // No config (or `config:` left empty): the plugin sees an empty map, placed at the instance.
      empty = sdk::ConfigNode(sdk::ConfigNode::Type::map, config ? config->mark() : node.mark(), std::string());
      given = &empty;
    } else if (!config->is_map()) {
      add(config->mark(), config_path, "expected a map, got " + detail::found_text(*config));
      given = nullptr;
    }

    if (spec.info != nullptr && given != nullptr) {
      sdk::ConfigErrors config_errors(config_path);
      spec.config = host_.check_config(*spec.info, *given, config_errors);
      for (const auto& e : config_errors.all()) errors_.add(e);
    }
    by_stage_[static_cast<std::size_t>(stage)].push_back(std::move(spec));
  }

  // Without `name:`, the name is the plugin's last dotted part (when a plugin is written at all).
  void read_name(const sdk::ConfigNode& node, bool plugin_written, InstanceSpec& spec) {
    const sdk::ConfigNode* name = node.find("name");
    const sdk::ConfigNode* at = nullptr;
    if (name != nullptr) {
      if (!name->is_scalar()) return;  // the schema said why
      if (!valid_instance_name(name->scalar())) {
        add(*name, "expected a name of lowercase letters, digits and _, starting with a letter, got " +
                       detail::found_text(*name));
        return;
      }
      spec.name = name->scalar();
      at = name;
    } else {
      if (!plugin_written) return;
      spec.name = last_part(spec.info != nullptr ? spec.info->name : spec.plugin);
      at = &node;
    }
    auto [it, inserted] = names_.emplace(spec.name, at->mark().line);
    if (inserted) return;
    std::string message = "duplicate instance name " + in_quotes(spec.name) + " (first on line " +
                          std::to_string(it->second);
    message += name != nullptr ? ")" : "; the name comes from the plugin: add `name:` to tell them apart)";
    add(at->mark(), name != nullptr ? name->path() : node.path(), std::move(message));
  }

  const std::string& file_;
  const std::filesystem::path& base_dir_;
  PluginHost& host_;
  sdk::ConfigErrors errors_;
  PipelineSpec spec_;
  std::vector<InstanceSpec> by_stage_[std::size(kStages)];
  std::unordered_map<std::string, int> names_;  // instance name -> line of its first use
};

}  // namespace

std::string PeopleDirectory::place_key(std::string_view text) {
  // Lower-case ASCII; every run of spaces and punctuation one space; none at either end.
  std::string out;
  bool gap = false;
  for (char c : text) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      (static_cast<unsigned char>(c) >= 0x80);
    if (!word) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += ' ';
    gap = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

const Person* PeopleDirectory::find(std::string_view email_or_id) const {
  for (const Person& p : people)
    if (p.id == email_or_id) return &p;
  for (const Person& p : people)
    for (const std::string& a : p.addresses)
      if (MailSpec::equal_address(a, email_or_id)) return &p;
  return nullptr;
}

std::string PeopleDirectory::resolve_place(std::string_view text) const {
  const std::string key = place_key(text);
  if (key.empty()) return {};
  for (const Place& p : places)
    if (place_key(p.name) == key || (!p.address.empty() && place_key(p.address) == key)) return p.name;
  // A text that holds a place's name or address ("Room 4, Northwind Munich") is at that place; the
  // longest such name or address wins. Both are matched on word boundaries.
  const std::string padded = " " + key + " ";
  const Place* best = nullptr;
  std::size_t best_size = 0;
  for (const Place& p : places)
    for (const std::string* s : {&p.name, &p.address}) {
      const std::string k = place_key(*s);
      if (k.size() < 3 || k.size() <= best_size) continue;
      if (padded.find(" " + k + " ") != std::string::npos) {
        best = &p;
        best_size = k.size();
      }
    }
  return best != nullptr ? best->name : key;
}

int PeopleDirectory::travel(std::string_view from, std::string_view to) const {
  if (from.empty() || to.empty() || from == to) return 0;
  for (const TravelTime& t : travel_minutes)
    if (t.from == from && t.to == to) return t.minutes;
  for (const TravelTime& t : travel_minutes)
    if (t.from == to && t.to == from) return t.minutes;
  return default_travel_minutes;
}

sdk::Result<PeopleDirectory> load_people(const std::filesystem::path& file, const sdk::Services& services) {
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(file, ec)) {
    const char* why = std::filesystem::is_directory(file, ec) ? "it is a folder"
                      : !std::filesystem::exists(file, ec)    ? "no such file"
                                                              : "unreadable";
    return sdk::Status::invalid_input(file.string() + ": error: cannot read the people directory: " + why);
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  sdk::ConfigErrors errors;
  PeopleDirectory directory;
  read_people_text(std::move(buffer).str(), file, services, errors, directory);
  if (!errors.empty()) {
    errors.sort();
    std::string message;
    for (const auto& e : errors.all()) message += (message.empty() ? "" : "\n") + e.to_string();
    return sdk::Status::invalid_input(std::move(message));
  }
  return directory;
}

sdk::Result<PeopleDirectory> load_people(const std::filesystem::path& file) {
  auto services = make_services();
  return load_people(file, *services);
}

PipelineLoad parse_pipeline(std::string_view yaml, const std::string& file_name, const std::filesystem::path& base_dir,
                            PluginHost& host) {
  Validator v(file_name, base_dir, host);
  return v.run(yaml);
}

PipelineLoad load_pipeline(const std::filesystem::path& file, PluginHost& host) {
  std::string text;
  std::string why;
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    why = "it is a folder";
  } else {
    errno = 0;
    std::ifstream in(file, std::ios::binary);
    if (in) {
      std::ostringstream buffer;
      buffer << in.rdbuf();
      text = std::move(buffer).str();
    }
    if (!in || in.bad()) why = errno != 0 ? std::strerror(errno) : "unreadable";
  }
  if (!why.empty()) {
    PipelineLoad load;
    load.errors.push_back(sdk::ConfigError{sdk::Mark{file.string(), 0, 0}, "", "cannot read the pipeline: " + why});
    return load;
  }
  std::filesystem::path base = file.parent_path();
  if (base.empty()) base = ".";
  return parse_pipeline(text, file.string(), base, host);
}

}  // namespace tandem
