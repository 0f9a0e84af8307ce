// tandem — pipelines: the YAML file an operator writes, read and validated as a whole before anything
// runs.
//
//   tandem: 1                       # format version (required)
//   name: default
//   plugin_paths: [../build/plugins] # searched before TANDEM_PLUGIN_PATH; relative to this file
//   mail:                           # reading mail (docs/mail.md): the assistant's addresses, known people
//     assistant: [assistant@example.org]
//     people: people.yaml           # the directory of known people; relative to this file
//   route:                          # when people are asked, and how (config/README.md, docs/hitl.md)
//     threshold: 0.8
//     thresholds: {request: 0.9}
//     budget: {answers: 5, cost: 0}
//     variables: {"time[*].value": {threshold: 0.9, context_chars: 60}}
//   stages:
//     extract:   [{plugin: tandem.extractor.cue_words, name: request_cues, config: {...}}]
//     estimate:  [...]
//     human:     [...]
//     aggregate: [...]
//
// Every problem is reported at once, each as "file:line:column: error: key.path: what was expected,
// what was found (did you mean ...?)", sorted by position. config/README.md is the reference of keys.
//
// The people directory (`mail.people`) can also be read on its own: load_people(file) gives a
// PeopleDirectory (people, their places and the travel minutes between them) or every error at once.
//
// Thread-safety: load_pipeline needs exclusive use of `host` (it loads plugins); a PipelineSpec is an
// immutable value once returned. load_people has no shared state; a PeopleDirectory is a plain value.
#ifndef TANDEM_PIPELINE_HPP_
#define TANDEM_PIPELINE_HPP_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/export.h"
#include "tandem/plugin_host.hpp"
#include "tandem/sdk/config.hpp"
#include "tandem/sdk/services.hpp"
#include "tandem/sdk/status.hpp"

namespace tandem {

// The stages that hold plugin instances, in the order a message meets them.
enum class Stage { extract, estimate, human, aggregate };
inline constexpr Stage kStages[] = {Stage::extract, Stage::estimate, Stage::human, Stage::aggregate};
// "extract", "estimate", "human", "aggregate"
TANDEM_API std::string_view stage_name(Stage stage);
// The plugin kind a stage takes: "extractor", "estimator", "backend", "aggregator".
TANDEM_API std::string_view stage_kind(Stage stage);

struct InstanceSpec {
  Stage stage = Stage::extract;
  std::string name;                 // unique in the pipeline; defaults to the plugin's last dotted part
  std::string plugin;               // as written in the file
  const PluginInfo* info = nullptr; // the plugin it resolved to (owned by the PluginHost)
  sdk::ConfigNode config;           // schema-checked, defaults filled in
  sdk::Mark mark;                   // where the instance entry starts
};

// Who may answer a task: a rule applies to a message when every `when` condition holds (keys
// `language`, `locale`; none: always), and then a worker must meet every `require` condition (keys
// `language` (one of the worker's languages), `locale`, `tag`, `skill`). A `require` value may be
// "{message.language}" or "{message.locale}": the message's own value; when that is unknown ("") the
// condition is dropped (docs/hitl.md, "Routing in the engine").
struct TargetRule {
  std::map<std::string, std::string> when;
  std::map<std::string, std::string> require;
  friend bool operator==(const TargetRule&, const TargetRule&) = default;
};

// Everything the router and escalation need to know about one variable, resolved from the route
// section (route-level keys, then `thresholds`, then the matching `variables` entry).
struct VariableRoute {
  double threshold = 0.8;        // accept at or above this top probability
  int max_answers = 5;           // budget.answers: answers before an expert is asked (0: no limit)
  double max_cost = 0;           // budget.cost: summed cost before an expert is asked (0: no limit)
  double audit_share = 0.02;     // share of confident annotations asked anyway
  std::string instructions;      // shown with every task of the variable ("" : a generic sentence)
  int context_chars = 80;        // characters of context on each side of the span
  int escalate_after = 2;        // answers per tier before stronger workers are asked (0: never)
  std::vector<TargetRule> targeting;
};

// One `route.variables` entry: a variable name ("request") or a pattern whose `[*]` stands for any
// index ("time[*].value"); only the keys written are set.
struct VariableRouteOverride {
  std::string key;
  std::optional<double> threshold;
  std::optional<int> max_answers;
  std::optional<double> max_cost;
  std::optional<double> audit_share;
  std::optional<std::string> instructions;
  std::optional<int> context_chars;
  std::optional<int> escalate_after;
  std::optional<std::vector<TargetRule>> targeting;
};

struct RouteSpec {
  double threshold = 0.8;                    // the top candidate's probability needed to skip people
  std::map<std::string, double> thresholds;  // per variable name, overriding `threshold`
  std::uint64_t seed = 0;                    // seeds the audit draw
  VariableRoute defaults;                    // the route-level keys (its threshold is `threshold`)
  std::vector<VariableRouteOverride> variables;  // file order

  // Whether `key` (a name or a `[*]` pattern) names `variable`: "[*]" matches "[<digits>]", the rest
  // must be equal.
  static bool matches(std::string_view key, std::string_view variable) {
    std::size_t k = 0;
    std::size_t v = 0;
    while (k < key.size()) {
      if (key.substr(k, 3) == "[*]") {
        if (v >= variable.size() || variable[v] != '[') return false;
        std::size_t d = v + 1;
        while (d < variable.size() && variable[d] >= '0' && variable[d] <= '9') ++d;
        if (d == v + 1 || d >= variable.size() || variable[d] != ']') return false;
        k += 3;
        v = d + 1;
        continue;
      }
      if (v >= variable.size() || key[k] != variable[v]) return false;
      ++k;
      ++v;
    }
    return v == variable.size();
  }
  // The entry for `variable`: the one whose key equals it, else the first pattern (file order) that
  // matches it; null when none.
  const VariableRouteOverride* entry_for(std::string_view variable) const {
    for (const auto& e : variables)
      if (e.key == variable) return &e;
    for (const auto& e : variables)
      if (matches(e.key, variable)) return &e;
    return nullptr;
  }
  VariableRoute for_variable(std::string_view variable) const {
    VariableRoute r = defaults;
    r.threshold = threshold;
    if (auto it = thresholds.find(std::string(variable)); it != thresholds.end()) r.threshold = it->second;
    if (const VariableRouteOverride* e = entry_for(variable)) {
      if (e->threshold) r.threshold = *e->threshold;
      if (e->max_answers) r.max_answers = *e->max_answers;
      if (e->max_cost) r.max_cost = *e->max_cost;
      if (e->audit_share) r.audit_share = *e->audit_share;
      if (e->instructions) r.instructions = *e->instructions;
      if (e->context_chars) r.context_chars = *e->context_chars;
      if (e->escalate_after) r.escalate_after = *e->escalate_after;
      if (e->targeting) r.targeting = *e->targeting;
    }
    return r;
  }
  double threshold_for(std::string_view variable) const { return for_variable(variable).threshold; }
};


// A stretch of a local day, in minutes from midnight: [begin, end).
struct DayRange {
  int begin = 0;
  int end = 0;
  friend bool operator==(const DayRange&, const DayRange&) = default;
};

// A weekly block no meeting may overlap ("lunch" on weekdays, 12:00-13:00 local).
struct OffLimits {
  std::vector<int> days;  // 0 Sunday ... 6 Saturday
  DayRange range;
  std::string label;
};

// A planned trip: the person's zone from `from` to `to` (local dates, both included); working hours
// follow the person.
struct Trip {
  std::string zone;
  std::chrono::year_month_day from{};
  std::chrono::year_month_day to{};
  std::string label;
};

// A named place of the people directory (a person's `locations`): the name `travel_minutes` uses, and its
// address ("" when not given).
struct Place {
  std::string name;
  std::string address;
};

// Minutes of travel from one named place to another (a row holds both ways unless the other way has its own).
struct TravelTime {
  std::string from;
  std::string to;
  int minutes = 0;
};

// One person of the people directory (`mail.people`; format in config/README.md): what tandem knows of a
// sender or attendee without guessing.
struct Person {
  std::string id;                      // the directory's key ("maya")
  std::string name;
  std::vector<std::string> addresses;  // lower case; the first is the person's address
  std::string zone;                    // IANA zone at home, "" when not given
  std::string locale;                  // canonical ICU locale id, "" when not given
  std::string role;
  bool has_working_hours = false;
  std::vector<DayRange> working_hours[7];  // per weekday, 0 Sunday ... 6 Saturday; empty: not working
  std::vector<DayRange> preferred_hours;   // soft: ranking only
  std::vector<OffLimits> off_limits;       // hard
  int buffer_before_minutes = 0;
  int buffer_after_minutes = 0;
  int daily_meeting_cap = 0;               // 0: none
  std::vector<Trip> travel;
  std::filesystem::path calendar;          // absolute; empty when none
  std::vector<Place> locations;            // the person's usual places, file order

  // The zone on a local date: a trip's zone on its dates, else home.
  const std::string& zone_on(std::chrono::year_month_day day) const {
    const std::chrono::sys_days d{day};
    for (const Trip& t : travel)
      if (d >= std::chrono::sys_days{t.from} && d <= std::chrono::sys_days{t.to}) return t.zone;
    return zone;
  }
};

// A people directory read on its own (load_people): the scheduling solver's and the CLI's view of it.
struct TANDEM_API PeopleDirectory {
  std::filesystem::path file;              // as given to load_people
  std::vector<std::string> assistant;      // the directory's `assistant` addresses, lower case
  std::vector<Person> people;              // file order
  std::vector<Place> places;               // every place some person names, by name
  std::vector<TravelTime> travel_minutes;  // file order
  int default_travel_minutes = 0;          // between two different places no row names

  // The person whose id is `email_or_id`, else the person with that address (any case); null when none.
  const Person* find(std::string_view email_or_id) const;
  // Where a free-text place (an event's LOCATION, a meeting's location) is: the named place whose name or
  // address it is, or holds on word boundaries (the longest such wins); else the text itself, as
  // place_key() spells it; "" for a text without letters or digits.
  std::string resolve_place(std::string_view text) const;
  // Minutes from one resolved place to another: 0 for the same place or an empty one, the row of
  // `travel_minutes` (either way), else default_travel_minutes.
  int travel(std::string_view from, std::string_view to) const;
  // Lower-case ASCII, each run of spaces and punctuation one space, none at the ends.
  static std::string place_key(std::string_view text);
};

// Reads a people directory file (config/README.md, "The people directory"): zones checked against the tz
// database, locales against ICU's data through `services`. Fails with Status invalid_input holding every
// problem, one a line, sorted, each "file:line:column: error: path: what". Never throws. The overload
// without services makes its own (make_services()).
TANDEM_API sdk::Result<PeopleDirectory> load_people(const std::filesystem::path& file, const sdk::Services& services);
TANDEM_API sdk::Result<PeopleDirectory> load_people(const std::filesystem::path& file);

// The `mail` section: how mail becomes a message.
struct MailSpec {
  std::vector<std::string> assistant;  // the assistant's own addresses, lower case (the people directory's
                                       // `assistant` too)
  std::filesystem::path people_file;   // absolute; empty when the pipeline names none
  std::vector<Person> people;          // read from people_file when the pipeline is loaded
  std::size_t max_bytes = 25u << 20;   // a larger message is refused (read, never parsed)
  int max_depth = 32;                  // MIME nesting
  std::size_t max_parts = 1000;

  // The person with this address (any case), or null.
  const Person* person(std::string_view address) const {
    for (const Person& p : people)
      for (const std::string& a : p.addresses)
        if (equal_address(a, address)) return &p;
    return nullptr;
  }
  bool is_assistant(std::string_view address) const {
    for (const std::string& a : assistant)
      if (equal_address(a, address)) return true;
    return false;
  }
  // Addresses compare without regard to ASCII case (the local part too: mail systems treat it so).
  static bool equal_address(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      char x = a[i], y = b[i];
      if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
      if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
      if (x != y) return false;
    }
    return true;
  }
};


// The `schedule` section: how a resolved request becomes slots (docs/scheduling.md).
struct ScheduleSpec {
  std::filesystem::path calendars;  // absolute; a folder where each person's calendar is found by its file
                                    // name, instead of the directory's paths; empty: the directory's paths
  bool now_is_sent = true;          // "now" of every decision: the message's sent instant (reruns agree), or
                                    // the clock (`now: clock`)
  int propose = 3;                  // slots offered in a reply
  int lead_minutes = 120;           // no meeting starts sooner than this after now
  int horizon_days = 28;            // without offered times, starts lie in [now + lead, now + horizon)
  int grid_minutes = 15;            // starts on this grid
  // Minutes of a meeting whose length the thread does not give, per event type.
  std::map<std::string, int, std::less<>> default_minutes = {
      {"phone_screen", 30}, {"call", 30}, {"video_call", 30}, {"coffee", 30}, {"meeting", 30},
      {"interview", 45}, {"lunch", 60}, {"onsite", 60}};
  int fallback_minutes = 30;        // an event type the map does not name
  // Someone the directory does not hold is assumed to work these hours, Monday to Friday, in the zone their
  // mail was written in (the sender's, for the people it names).
  DayRange assumed_hours{9 * 60, 17 * 60};
};

// The `act` section: what is done with a decision (docs/drafts.md).
struct ActSpec {
  std::filesystem::path drafts;     // absolute; the folder replies and invitations are written to; empty: none
  bool review = false;              // true: drafts are held for a person's check before they leave
  std::filesystem::path templates;  // absolute; a folder of reply templates added to the bundled ones; empty: none
};

struct PipelineSpec {
  std::filesystem::path file;
  std::string name;
  std::string description;
  std::vector<std::filesystem::path> plugin_paths;  // absolute
  MailSpec mail;
  RouteSpec route;
  ScheduleSpec schedule;
  ActSpec act;
  std::filesystem::path workers;                    // absolute; the roster the human stage's backends reach
                                                    // (docs/workers.md); empty: the store's workers only
  std::vector<InstanceSpec> instances;              // grouped by stage in kStages order, file order within

  std::vector<const InstanceSpec*> in_stage(Stage stage) const {
    std::vector<const InstanceSpec*> out;
    for (const auto& i : instances)
      if (i.stage == stage) out.push_back(&i);
    return out;
  }
};

struct PipelineLoad {
  std::optional<PipelineSpec> pipeline;   // set when there are no errors
  std::vector<sdk::ConfigError> errors;   // sorted by position
  std::vector<LoadProblem> plugin_problems;  // libraries refused while searching (not fatal by themselves)
  bool ok() const noexcept { return pipeline.has_value() && errors.empty(); }
};

// Reads `file`, loads plugins from its plugin_paths and PluginHost::search_paths() into `host`, and
// validates everything: the file's own keys, each instance's plugin, stage and name, and each instance's
// config against its plugin's schema and check.
TANDEM_API PipelineLoad load_pipeline(const std::filesystem::path& file, PluginHost& host);
// The same for YAML text; `file_name` is used in messages, `base_dir` resolves relative plugin_paths.
TANDEM_API PipelineLoad parse_pipeline(std::string_view yaml, const std::string& file_name,
                                       const std::filesystem::path& base_dir, PluginHost& host);

// YAML text to a ConfigNode with marks (for plugin configs given on their own, e.g. by the conformance
// kit). Syntax errors go to `errors` with their position; the result is then a null node.
TANDEM_API sdk::ConfigNode parse_config_yaml(std::string_view yaml, const std::string& file_name,
                                             sdk::ConfigErrors& errors);

// The reference of a plugin's config keys, generated from its schema, as Markdown list lines (what
// `tandem plugins --markdown` prints and config/README.md embeds).
TANDEM_API std::string config_reference(const PluginInfo& plugin);

}  // namespace tandem

#endif  // TANDEM_PIPELINE_HPP_
