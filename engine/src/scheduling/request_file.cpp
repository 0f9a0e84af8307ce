// load_request: a slot request file (docs/scheduling.md, "The request file"), read with marks so that every
// problem names its line and column, all of them at once.
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "pipeline/schema.hpp"
#include "pipeline/yaml_reader.hpp"
#include "scheduling/zones.hpp"
#include "tandem/scheduling.hpp"
#include "tandem/services.hpp"

namespace tandem::scheduling {
namespace {

std::string request_schema_text() {
  const std::string window = R"({"type": "object", "properties": {
      "from": {"type": "string", "minLength": 1}, "to": {"type": "string", "minLength": 1},
      "at": {"type": "string", "minLength": 1}}})";
  const std::string people = R"({"type": "array", "items": {"type": "string", "minLength": 1}})";
  return R"({
    "type": "object",
    "required": ["people", "now"],
    "properties": {
      "people": {"type": "string", "minLength": 1},
      "calendars": {"type": "string", "minLength": 1},
      "now": {"type": "string", "minLength": 1},
      "tz": {"type": "string", "minLength": 1},
      "required": )" + people + R"(,
      "optional": )" + people + R"(,
      "duration": {"type": "integer", "minimum": 1, "maximum": 10080},
      "sessions": {"type": "array", "items": {"type": "object", "required": ["with", "minutes"], "properties": {
        "with": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        "minutes": {"type": "integer", "minimum": 1, "maximum": 1440}}}},
      "fixed_order": {"type": "boolean"},
      "offered": {"type": "array", "items": )" + window + R"(},
      "refused": {"type": "array", "items": )" + window + R"(},
      "preferred": {"type": "array", "items": )" + window + R"(},
      "location": {"type": ["string", "null"]},
      "in_person": {"type": "boolean"},
      "ignore_event_uid": {"type": ["string", "null"]},
      "top": {"type": "integer", "minimum": 0, "maximum": 100000},
      "lead_minutes": {"type": "integer", "minimum": 0, "maximum": 525600},
      "horizon_days": {"type": "integer", "minimum": 1, "maximum": 366},
      "grid_minutes": {"type": "integer", "minimum": 1, "maximum": 1440}
    }
  })";
}

const tandem::detail::ConfigSchema& request_schema() {
  static const std::shared_ptr<const tandem::detail::ConfigSchema> schema = [] {
    auto parsed = tandem::detail::ConfigSchema::parse(request_schema_text());
    if (!parsed) throw std::logic_error("the request schema is invalid: " + parsed.status().message());
    return std::move(parsed).value();
  }();
  return *schema;
}

bool known_zone(const std::string& name) {
  try {
    (void)date::locate_zone(name);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// An ISO 8601 date or date-time: with "Z" or an offset it is an instant; without one it is a wall time in
// `zone` (an error without a zone). `local` receives the wall time as written and `fixed` the written offset.
struct ParsedTime {
  bool ok = false;
  bool has_offset = false;
  bool date_only = false;
  date::local_seconds local{};
  int offset_minutes = 0;
};

ParsedTime parse_time(const std::string& t) {
  ParsedTime p;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, used = 0;
  if (std::sscanf(t.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10) return p;
  std::size_t at = 10;
  if (at == t.size()) {
    p.date_only = true;
  } else {
    if (t[at] != 'T' && t[at] != ' ') return p;
    int more = 0;
    if (std::sscanf(t.c_str() + at + 1, "%2d:%2d%n", &h, &mi, &more) != 2 || more != 5) return p;
    at += 1 + 5;
    if (at < t.size() && t[at] == ':') {
      if (std::sscanf(t.c_str() + at + 1, "%2d%n", &s, &more) != 1 || more != 2) return p;
      at += 3;
    }
    if (at < t.size()) {
      if (t[at] == 'Z' && at + 1 == t.size()) {
        p.has_offset = true;
      } else if ((t[at] == '+' || t[at] == '-') && t.size() == at + 6 && t[at + 3] == ':') {
        int oh = 0, om = 0;
        if (std::sscanf(t.c_str() + at + 1, "%2d:%2d", &oh, &om) != 2 || oh > 23 || om > 59) return p;
        p.has_offset = true;
        p.offset_minutes = (t[at] == '-' ? -1 : 1) * (oh * 60 + om);
      } else {
        return p;
      }
    }
  }
  const date::year_month_day ymd{date::year(y), date::month(static_cast<unsigned>(mo)), date::day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 59) return p;
  p.local = date::local_seconds{date::local_days{ymd}} + std::chrono::hours(h) + std::chrono::minutes(mi) +
            std::chrono::seconds(s);
  p.ok = true;
  return p;
}

class RequestReader {
 public:
  RequestReader(const std::filesystem::path& file, sdk::ConfigErrors& errors) : file_(file), errors_(errors) {}

  void read(const sdk::ConfigNode& root, RequestFile& out) {
    out.file = file_;
    SlotRequest& r = out.request;
    // The zone first: wall times without an offset are read in it.
    if (const sdk::ConfigNode* tz = root.find("tz"); tz != nullptr && tz->is_scalar()) {
      if (known_zone(tz->scalar())) out.zone = tz->scalar();
      else errors_.add(*tz, "expected an IANA time zone like Europe/Berlin, got " + tandem::detail::found_text(*tz));
    }
    zone_ = out.zone;
    r.zone = out.zone;
    if (const sdk::ConfigNode* n = root.find("now"); n != nullptr && n->is_scalar()) {
      if (auto t = instant(*n, false)) r.now = *t;
    }
    read_people(root, out);
    if (const sdk::ConfigNode* c = root.find("calendars"); c != nullptr && c->is_scalar()) {
      std::filesystem::path dir(c->scalar());
      if (dir.is_relative()) dir = file_.parent_path() / dir;
      std::error_code ec;
      if (!std::filesystem::is_directory(dir, ec))
        errors_.add(*c, "no folder " + tandem::detail::found_text(*c) + " (a relative path starts at the request file's folder)");
      else out.calendars_dir = dir.lexically_normal();
    }
    for (const char* key : {"required", "optional"})
      if (const sdk::ConfigNode* list = root.find(key); list != nullptr && list->is_sequence())
        for (const auto& item : list->items())
          if (item.is_scalar() && check_person(item, out.directory))
            (std::string(key) == "required" ? r.required : r.optional).push_back(item.scalar());
    if (const sdk::ConfigNode* d = root.find("duration"))
      if (auto v = d->as_int()) r.duration = std::chrono::minutes(*v);
    if (const sdk::ConfigNode* ss = root.find("sessions"); ss != nullptr && ss->is_sequence())
      for (const auto& s : ss->items()) {
        if (!s.is_map()) continue;
        Session session;
        if (const sdk::ConfigNode* with = s.find("with"); with != nullptr && with->is_sequence())
          for (const auto& item : with->items())
            if (item.is_scalar() && check_person(item, out.directory)) session.with.push_back(item.scalar());
        if (const sdk::ConfigNode* m = s.find("minutes"))
          if (auto v = m->as_int()) session.length = std::chrono::minutes(*v);
        r.sessions.push_back(std::move(session));
      }
    if (const sdk::ConfigNode* f = root.find("fixed_order"))
      if (auto v = f->as_bool()) r.fixed_order = *v;
    if (!r.fixed_order && r.sessions.size() > 6)
      errors_.add(*root.find("fixed_order"), "a loop in any order may have at most 6 sessions (720 orders), got " +
                                                 std::to_string(r.sessions.size()));
    read_windows(root, "offered", &r.offered, &r.offered_points);
    read_windows(root, "refused", &r.refused, nullptr);
    read_windows(root, "preferred", &r.preferred, nullptr);
    if (const sdk::ConfigNode* l = root.find("location"); l != nullptr && l->is_scalar()) r.location = l->scalar();
    if (const sdk::ConfigNode* p = root.find("in_person"))
      if (auto v = p->as_bool()) r.in_person = *v;
    if (r.in_person && r.location.empty())
      errors_.add(*root.find("in_person"), "an in-person meeting needs a `location` (travel time is kept to and from it)");
    if (const sdk::ConfigNode* u = root.find("ignore_event_uid"); u != nullptr && u->is_scalar())
      r.ignore_event_uid = u->scalar();
    if (const sdk::ConfigNode* n = root.find("top"))
      if (auto v = n->as_int()) r.top_n = static_cast<std::size_t>(*v);
    if (const sdk::ConfigNode* n = root.find("lead_minutes"))
      if (auto v = n->as_int()) r.lead = std::chrono::minutes(*v);
    if (const sdk::ConfigNode* n = root.find("horizon_days"))
      if (auto v = n->as_int()) r.horizon = std::chrono::days(*v);
    if (const sdk::ConfigNode* n = root.find("grid_minutes"))
      if (auto v = n->as_int()) r.grid = std::chrono::minutes(*v);
    if (r.required.empty() && r.sessions.empty() && root.find("required") != nullptr)
      errors_.add(*root.find("required"), "expected at least one required participant (or `sessions`)");
    else if (r.required.empty() && r.sessions.empty())
      errors_.add(sdk::ConfigError{root.mark(), "", "a request needs `required:` participants (or `sessions:`)"});
  }

 private:
  void read_people(const sdk::ConfigNode& root, RequestFile& out) {
    const sdk::ConfigNode* n = root.find("people");
    if (n == nullptr || !n->is_scalar()) return;
    std::filesystem::path p(n->scalar());
    if (p.is_relative()) p = (file_.parent_path() / p).lexically_normal();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(p, ec)) {
      errors_.add(*n, "no people directory " + tandem::detail::found_text(*n) +
                          " (a relative path starts at the request file's folder)");
      return;
    }
    auto services = make_services();
    auto loaded = load_people(p, *services);
    if (!loaded) {
      // Already "file:line:column: error: ..." lines: kept as they are.
      std::istringstream lines(loaded.status().message());
      std::string line;
      while (std::getline(lines, line)) people_errors_.push_back(line);
      return;
    }
    out.directory = std::move(loaded).value();
    have_people_ = true;
  }

  // An address is taken as it is (a person not in the directory is free); an id must be in the directory.
  bool check_person(const sdk::ConfigNode& item, const PeopleDirectory& directory) {
    if (!have_people_) return true;
    if (directory.find(item.scalar()) != nullptr || item.scalar().find('@') != std::string::npos) return true;
    std::vector<std::string> ids;
    for (const Person& p : directory.people) ids.push_back(p.id);
    errors_.add(item, "expected an address or the id of a person in the directory, got " +
                          tandem::detail::found_text(item) + sdk::did_you_mean(item.scalar(), ids));
    return false;
  }

  std::optional<sys_seconds> instant(const sdk::ConfigNode& n, bool allow_date) {
    const ParsedTime p = parse_time(n.scalar());
    if (!p.ok || (p.date_only && !allow_date)) {
      errors_.add(n, std::string("expected an ISO 8601 ") + (allow_date ? "date or " : "") +
                         "date-time like 2026-03-11T13:00:00-05:00, got " + tandem::detail::found_text(n));
      return std::nullopt;
    }
    if (p.has_offset)
      return sys_seconds{p.local.time_since_epoch() - std::chrono::minutes(p.offset_minutes)};
    if (zone_.empty()) {
      errors_.add(n, "a time without a UTC offset needs `tz:` (the zone it is read in), got " +
                         tandem::detail::found_text(n));
      return std::nullopt;
    }
    return sys_seconds{std::chrono::seconds{detail::to_sys(detail::zone_of(zone_), p.local)}};
  }

  // The end of the local day of a time written as `n` (in its own offset, or in `tz`).
  std::optional<sys_seconds> end_of_day(const sdk::ConfigNode& n) {
    const ParsedTime p = parse_time(n.scalar());
    if (!p.ok) return std::nullopt;
    const date::local_seconds next{date::floor<date::days>(p.local) + date::days{1}};
    if (p.has_offset) return sys_seconds{next.time_since_epoch() - std::chrono::minutes(p.offset_minutes)};
    if (zone_.empty()) return std::nullopt;
    return sys_seconds{std::chrono::seconds{detail::to_sys(detail::zone_of(zone_), next)}};
  }

  void read_windows(const sdk::ConfigNode& root, const char* key, std::vector<Window>* windows,
                    std::vector<sys_seconds>* points) {
    const sdk::ConfigNode* list = root.find(key);
    if (list == nullptr || !list->is_sequence()) return;
    for (const auto& w : list->items()) {
      if (!w.is_map()) continue;
      const sdk::ConfigNode* from = w.find("from");
      const sdk::ConfigNode* to = w.find("to");
      const sdk::ConfigNode* at = w.find("at");
      if (at != nullptr) {
        if (from != nullptr || to != nullptr) {
          errors_.add(w, "expected either `at` (a time) or `from`/`to` (a window), not both");
          continue;
        }
        if (points == nullptr) {
          errors_.add(*at, std::string("`") + key + "` takes windows (`from`, `to`), not points");
          continue;
        }
        if (auto t = instant(*at, false)) points->push_back(*t);
        continue;
      }
      if (from == nullptr && to == nullptr) {
        errors_.add(w, "expected `from` and/or `to` (or `at`)");
        continue;
      }
      std::optional<sys_seconds> a, b;
      if (from != nullptr && from->is_scalar()) a = instant(*from, true);
      if (to != nullptr && to->is_scalar()) b = instant(*to, true);
      if (from == nullptr) a = sys_seconds{};  // an open start: from the beginning of time
      if (to == nullptr && a) b = end_of_day(*from);  // an open end: to the end of that day
      if (!a || !b) continue;
      if (*b <= *a) {
        errors_.add(to != nullptr ? *to : w, "expected `to` after `from`, got " +
                                                 (to != nullptr ? tandem::detail::found_text(*to) : std::string("none")));
        continue;
      }
      windows->push_back(Window{*a, *b});
    }
  }

 public:
  std::vector<std::string> people_errors_;

 private:
  std::filesystem::path file_;
  sdk::ConfigErrors& errors_;
  std::string zone_;
  bool have_people_ = false;
};

}  // namespace

sdk::Result<RequestFile> load_request(const std::filesystem::path& file) {
  try {
    std::ifstream in(file, std::ios::binary);
    std::error_code ec;
    if (!in || std::filesystem::is_directory(file, ec))
      return sdk::Status::invalid_input(file.string() + ": error: cannot read the request file: " +
                                        (std::filesystem::is_directory(file, ec) ? "it is a folder"
                                         : !std::filesystem::exists(file, ec)    ? "no such file"
                                                                                 : "unreadable"));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = std::move(buffer).str();
    const std::string name = file.string();
    sdk::ConfigErrors errors;
    RequestFile out;
    std::vector<std::string> people_errors;
    if (auto doc = tandem::detail::parse_yaml_document(text, name, errors)) {
      const sdk::ConfigNode root = tandem::detail::to_config_node(*doc, text, name, errors);
      if (!root.is_map()) {
        errors.add(sdk::ConfigError{root.mark().known() ? root.mark() : sdk::Mark{name, 0, 0}, "",
                                    "expected a map of request keys (people, now, required, duration, offered, ...), got " +
                                        tandem::detail::found_text(root)});
      } else {
        request_schema().validate(root, errors);
        RequestReader reader(file, errors);
        reader.read(root, out);
        people_errors = std::move(reader.people_errors_);
      }
    }
    if (errors.empty() && people_errors.empty()) return out;
    errors.sort();
    std::string message;
    for (const auto& e : errors.all()) message += (message.empty() ? "" : "\n") + e.to_string();
    for (const auto& e : people_errors) message += (message.empty() ? "" : "\n") + e;
    return sdk::Status::invalid_input(std::move(message));
  } catch (const std::exception& e) {
    return sdk::Status::internal(std::string("reading the request file failed: ") + e.what());
  }
}

}  // namespace tandem::scheduling
