// `tandem times CASES.jsonl` and `tandem times --text T --sent ISO --tz ZONE --locale L`: time expressions
// of texts, one answer line per case in the format of shared/eval/time/FORMAT.md ("The engine's answer").
//
// Without --pipeline the engine is the one extractor `tandem.extractor.time_rules` at its default config,
// made from a built-in pipeline text; with --pipeline the whole pipeline runs (estimators included), as
// `tandem run` does. Either way the engine is built once and the cases stream through it line by line,
// in constant memory.
//
// What the CLI reads of the annotations (the contract in docs/time.md): per time expression i, the
// variable `time[i].value` with candidates "START/END" (local wall times "YYYY-MM-DDTHH:MM" in the sender's
// zone; "START/START" a point, "START/" an open end, "/END" an open start) and `time[i].polarity` with
// candidates "positive" | "negative" | "neutral".
#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string_view>

#include "cli/cli.hpp"
#include "tandem/engine.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/services.hpp"

namespace tandem::cli {
namespace {

constexpr std::string_view kTimePlugin = "tandem.extractor.time_rules";
// The pipeline `tandem times` uses when none is given: the time extractor alone, at its default config.
constexpr std::string_view kDefaultPipeline =
    "tandem: 1\n"
    "name: times\n"
    "stages:\n"
    "  extract:\n"
    "    - plugin: tandem.extractor.time_rules\n"
    "      name: time\n";

struct TimesOptions {
  std::string cases;  // a JSONL file, "-" for stdin; empty with --text
  std::filesystem::path pipeline;
  std::optional<std::string> text;
  std::string id = "text";
  std::string sent;
  std::string tz = "UTC";
  std::string locale = "en_US";
};

// One case as the engine needs it, or the first problem with it.
struct CaseInput {
  std::string id;
  sdk::Message message;
};

// Extraction as this command needs it: a message in, its annotations out, or an error line.
class Extraction {
 public:
  virtual ~Extraction() = default;
  virtual bool run(const sdk::Message& msg, std::vector<sdk::Annotation>& out, std::string& error) = 0;
};

// The built-in pipeline's extractors, called directly (no route or estimate stage to run).
class ExtractorsOnly : public Extraction {
 public:
  explicit ExtractorsOnly(std::vector<std::pair<std::string, std::shared_ptr<sdk::Extractor>>> x)
      : extractors_(std::move(x)) {}
  bool run(const sdk::Message& msg, std::vector<sdk::Annotation>& out, std::string& error) override {
    for (auto& [name, x] : extractors_) {
      const std::size_t before = out.size();
      const sdk::Status s = x->extract(msg, out);
      if (!s.ok()) {
        out.resize(before);
        error = "instance '" + name + "' (" + std::string(kTimePlugin) + "): " + s.message();
        return false;
      }
    }
    return true;
  }

 private:
  std::vector<std::pair<std::string, std::shared_ptr<sdk::Extractor>>> extractors_;
};

// A whole pipeline through the engine.
class WholePipeline : public Extraction {
 public:
  explicit WholePipeline(std::unique_ptr<Engine> engine) : engine_(std::move(engine)) {}
  bool run(const sdk::Message& msg, std::vector<sdk::Annotation>& out, std::string& error) override {
    MessageResult r = engine_->process(msg);
    if (r.state == MessageResult::State::failed) {
      error = r.error;
      return false;
    }
    out = std::move(r.annotations);
    return true;
  }

 private:
  std::unique_ptr<Engine> engine_;
};

// Builds the extraction, or prints why not and returns null with the exit code in `code`.
std::unique_ptr<Extraction> build(const TimesOptions& o, const std::shared_ptr<sdk::Services>& services,
                                  std::unique_ptr<PluginHost>& host, int& code) {
  if (!o.pipeline.empty()) {
    auto opened = Engine::open(o.pipeline, services);
    for (const auto& w : opened.warnings) std::cerr << "tandem: warning: " << w << "\n";
    if (!opened.engine) {
      for (const auto& e : opened.errors) std::cerr << e << "\n";
      code = kExitBadInput;
      return nullptr;
    }
    return std::make_unique<WholePipeline>(std::move(opened.engine));
  }
  host = std::make_unique<PluginHost>(services);
  PipelineLoad load = parse_pipeline(kDefaultPipeline, "<tandem times built-in pipeline>",
                                     std::filesystem::current_path(), *host);
  print_load_problems(load.plugin_problems);
  if (!load.ok()) {
    for (const auto& e : load.errors) std::cerr << e.to_string() << "\n";
    std::cerr << "tandem: error: the plugin " << kTimePlugin
              << " cannot be used (is it installed in lib/tandem/plugins or on TANDEM_PLUGIN_PATH?)\n";
    code = kExitInternal;
    return nullptr;
  }
  std::vector<std::pair<std::string, std::shared_ptr<sdk::Extractor>>> extractors;
  for (const InstanceSpec* spec : load.pipeline->in_stage(Stage::extract)) {
    sdk::ConfigErrors errors;
    auto x = host->make_extractor(*spec->info, spec->name, spec->config, errors);
    if (!x) {
      for (const auto& e : errors.all()) std::cerr << e.to_string() << "\n";
      std::cerr << "tandem: error: cannot make the instance '" << spec->name << "' of " << kTimePlugin << "\n";
      code = kExitInternal;
      return nullptr;
    }
    extractors.emplace_back(spec->name, std::move(x));
  }
  return std::make_unique<ExtractorsOnly>(std::move(extractors));
}

// What is wrong with one field of a case (or an option of --text mode).
struct FieldProblem {
  std::string field;  // "sent", "tz", "locale"
  std::string what;   // "expected ..., got ..."
};

// Fills msg's sender context from sent/tz/locale as written; nullopt when all are valid.
std::optional<FieldProblem> set_context(sdk::Message& msg, const std::string& sent, const std::string& tz,
                                        const std::string& locale, const sdk::Services& services) {
  int offset = 0;
  if (!parse_instant(sent, msg.sent, offset))
    return FieldProblem{"sent", "expected an ISO 8601 instant with offset such as \"2026-11-23T10:00:00-08:00\", got " +
                                    nlohmann::json(sent).dump()};
  msg.utc_offset_minutes = offset;
  if (!services.time().has_zone(tz))
    return FieldProblem{"tz", "expected an IANA time zone such as \"Europe/Berlin\", got " + nlohmann::json(tz).dump()};
  msg.sender_zone = tz;
  // "und" (BCP 47's undetermined) says the locale is unknown: the message then carries none.
  if (locale == "und") {
    msg.sender_locale.clear();
    msg.language.clear();
    return std::nullopt;
  }
  if (!services.locale().has_locale(locale))
    return FieldProblem{"locale", "expected an ICU locale such as \"en_GB\" (or \"und\" when unknown), got " +
                                      nlohmann::json(locale).dump()};
  msg.sender_locale = *services.locale().canonical(locale);
  msg.language = msg.sender_locale.substr(0, msg.sender_locale.find('_'));
  return std::nullopt;
}

// The case on one line, or nullopt and the problem in `problem` (and where on the line, for JSON syntax
// errors, in `column`; else 0).
std::optional<CaseInput> read_case(const std::string& line, const sdk::Services& services, std::string& problem,
                                   int& column) {
  column = 0;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann's what() starts with "[json.exception.parse_error.101] parse error at line 1, column N: ".
    // Only the part after it is kept; the column joins the line number in the message's position.
    const std::string what = e.what();
    const auto at = what.find("column ");
    const auto colon = what.find(": ", at == std::string::npos ? 0 : at);
    if (at != std::string::npos) column = std::atoi(what.c_str() + at + 7);
    problem = "invalid JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2));
    return std::nullopt;
  }
  if (!j.is_object()) {
    problem = std::string("expected a JSON object, got a JSON ") + j.type_name();
    return std::nullopt;
  }
  CaseInput c;
  std::map<std::string_view, const std::string*> fields;
  for (const char* key : {"id", "text", "sent", "tz", "locale"}) {
    auto it = j.find(key);
    if (it == j.end()) {
      problem = std::string("field \"") + key + "\": missing (a case needs id, text, sent, tz and locale)";
      return std::nullopt;
    }
    if (!it->is_string()) {
      problem = std::string("field \"") + key + "\": expected a string, got a JSON " + it->type_name();
      return std::nullopt;
    }
    fields[key] = it->get_ptr<const std::string*>();
  }
  c.id = *fields["id"];
  c.message.id = c.id;
  c.message.text = *fields["text"];
  if (auto p = set_context(c.message, *fields["sent"], *fields["tz"], *fields["locale"], services)) {
    problem = "field \"" + p->field + "\": " + p->what;
    return std::nullopt;
  }
  return c;
}

// "2026-12-08T15:00" (16 characters, digits where digits go), the form of one side of a value.
bool is_wall_time(std::string_view s) {
  if (s.size() != 16) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char want = i == 4 || i == 7 ? '-' : i == 10 ? 'T' : i == 13 ? ':' : '0';
    if (want == '0' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != want) return false;
  }
  return true;
}

}  // namespace

bool value_fields(std::string_view value, nlohmann::ordered_json& out) {
  const auto slash = value.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view start = value.substr(0, slash), end = value.substr(slash + 1);
  if ((!start.empty() && !is_wall_time(start)) || (!end.empty() && !is_wall_time(end)) || (start.empty() && end.empty()))
    return false;
  if (!start.empty()) out["start"] = std::string(start);
  if (!end.empty() && end != start) out["end"] = std::string(end);
  return true;
}

namespace {

// Probabilities rounded to 4 decimals: enough for the scorer and the calibration, short to read.
double rounded(double p) { return std::round(p * 1e4) / 1e4; }

// "time[12].value" -> (12, "value"); nullopt for other variables.
std::optional<std::pair<std::size_t, std::string_view>> time_variable(std::string_view name) {
  constexpr std::string_view kPrefix = "time[";
  if (name.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const auto close = name.find("].", kPrefix.size());
  if (close == std::string_view::npos || close == kPrefix.size()) return std::nullopt;
  std::size_t i = 0;
  for (char ch : name.substr(kPrefix.size(), close - kPrefix.size())) {
    if (ch < '0' || ch > '9') return std::nullopt;
    i = i * 10 + static_cast<std::size_t>(ch - '0');
  }
  return std::make_pair(i, name.substr(close + 2));
}

// The answer's "times" array from the annotations; problems with the plugin's output go to `warnings`.
nlohmann::ordered_json times_of(const std::vector<sdk::Annotation>& annotations, std::vector<std::string>& warnings) {
  struct Item {
    const sdk::Annotation* value = nullptr;
    const sdk::Annotation* polarity = nullptr;
  };
  std::map<std::size_t, Item> items;  // by i: the contract numbers expressions in text order
  for (const auto& a : annotations) {
    const auto v = time_variable(a.variable.name);
    if (!v) continue;
    if (v->second == "value") items[v->first].value = &a;
    else if (v->second == "polarity") items[v->first].polarity = &a;
  }
  auto times = nlohmann::ordered_json::array();
  for (const auto& [i, item] : items) {
    const std::string name = "time[" + std::to_string(i) + "]";
    if (!item.value || item.value->variable.distribution.empty()) {
      warnings.push_back(name + ".value: missing or without candidates; the expression is left out");
      continue;
    }
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    auto candidates = nlohmann::ordered_json::array();
    for (const auto& c : item.value->variable.distribution.candidates()) {
      nlohmann::ordered_json cand = nlohmann::ordered_json::object();
      if (!value_fields(c.value, cand)) {
        warnings.push_back(name + ".value: candidate " + nlohmann::json(c.value).dump() +
                           " is not START/END with YYYY-MM-DDTHH:MM sides; left out");
        continue;
      }
      cand["p"] = rounded(c.p);
      candidates.push_back(std::move(cand));
    }
    if (candidates.empty()) continue;
    // The top reading is the first well-formed candidate (the distribution is sorted, top first).
    for (const char* key : {"start", "end"})
      if (candidates[0].contains(key)) out[key] = candidates[0][key];
    if (item.polarity && !item.polarity->variable.distribution.empty())
      out["polarity"] = item.polarity->variable.distribution.top().value;
    else
      warnings.push_back(name + ".polarity: missing; the answer has no polarity for it");
    out["confidence"] = candidates[0]["p"];
    out["candidates"] = std::move(candidates);
    times.push_back(std::move(out));
  }
  return times;
}

// Runs one message and prints its answer line; false (with the error printed) when extraction failed.
bool answer(Extraction& x, const std::string& id, const sdk::Message& msg, const std::string& where) {
  std::vector<sdk::Annotation> annotations;
  std::string error;
  if (!x.run(msg, annotations, error)) {
    std::cerr << where << ": error: case " << nlohmann::json(id).dump() << ": " << error << "\n";
    return false;
  }
  std::vector<std::string> warnings;
  nlohmann::ordered_json out = {{"id", id}, {"times", times_of(annotations, warnings)}};
  for (const auto& w : warnings)
    std::cerr << where << ": warning: case " << nlohmann::json(id).dump() << ": " << w << "\n";
  std::cout << out.dump() << '\n';
  return true;
}

int run_text(const TimesOptions& o) {
  auto services = make_services();
  sdk::Message msg;
  msg.id = o.id;
  msg.text = *o.text;
  std::string sent = o.sent;
  if (sent.empty()) {  // now, with the zone's current offset
    msg.sent = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    if (!services->time().has_zone(o.tz)) {
      std::cerr << "tandem: error: --tz: expected an IANA time zone such as \"Europe/Berlin\", got \"" << o.tz << "\"\n";
      return kExitUsage;
    }
    const int offset = services->time().utc_offset_minutes(msg.sent, o.tz).value_or(0);
    const auto local = msg.sent + std::chrono::minutes(offset);
    const auto day = std::chrono::floor<std::chrono::days>(local);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss<std::chrono::seconds> clock{local - day};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()), offset < 0 ? '-' : '+', std::abs(offset) / 60,
                  std::abs(offset) % 60);
    sent = buf;
  }
  if (auto p = set_context(msg, sent, o.tz, o.locale, *services)) {
    std::cerr << "tandem: error: --" << p->field << ": " << p->what << "\n";
    return kExitUsage;
  }
  std::unique_ptr<PluginHost> host;
  int code = kExitOk;
  auto x = build(o, services, host, code);
  if (!x) return code;
  return answer(*x, o.id, msg, "--text") ? kExitOk : kExitBadInput;
}

int run_cases(const TimesOptions& o) {
  // Answer lines are many and small: C++ streams unsynchronised with stdio buffer them (before any I/O).
  std::ios::sync_with_stdio(false);
  std::ifstream file;
  std::istream* in = &std::cin;
  if (o.cases != "-") {
    file.open(o.cases, std::ios::binary);
    if (!file) {
      std::cerr << o.cases << ": error: cannot open the case file\n";
      return kExitBadInput;
    }
    in = &file;
  }
  const std::string label = o.cases == "-" ? "<stdin>" : o.cases;
  auto services = make_services();
  std::unique_ptr<PluginHost> host;
  int code = kExitOk;
  auto x = build(o, services, host, code);
  if (!x) return code;

  std::string line;
  std::size_t n = 0, answered = 0, bad = 0, failed = 0;
  while (std::getline(*in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank lines are not cases
    const std::string where = label + ":" + std::to_string(n);
    std::string problem;
    int column = 0;
    auto c = read_case(line, *services, problem, column);
    if (!c) {
      std::cerr << where << (column > 0 ? ":" + std::to_string(column) : "") << ": error: " << problem << "\n";
      ++bad;
      continue;
    }
    if (answer(*x, c->id, c->message, where)) ++answered;
    else ++failed;
  }
  if (in->bad()) {
    std::cerr << label << ": error: reading failed after line " << n << "\n";
    return kExitBadInput;
  }
  std::cout.flush();
  if (bad || failed)
    std::cerr << "tandem times: " << answered << " answered, " << bad << " malformed, " << failed << " failed\n";
  return (bad || failed) ? kExitBadInput : kExitOk;
}

}  // namespace

void add_times(CLI::App& app, Command& chosen) {
  auto o = std::make_shared<TimesOptions>();
  auto* sub = app.add_subcommand(
      "times",
      "Time expressions of texts: one JSON answer line per case (shared/eval/time/FORMAT.md), in case order.\n"
      "  tandem times CASES.jsonl            cases {\"id\",\"text\",\"sent\",\"tz\",\"locale\"}, one a line ('-': stdin)\n"
      "  tandem times --text T --sent ISO --tz ZONE --locale L\n"
      "A malformed case line is reported on stderr (\"FILE:LINE: error: field ...\") and left out; the other\n"
      "lines are still answered, and the exit code is then 1.");
  auto* cases = sub->add_option("CASES", o->cases, "Case file (JSON Lines); '-' reads stdin");
  sub->add_option("--pipeline,-p", o->pipeline,
                  "Pipeline YAML file (default: the extractor tandem.extractor.time_rules alone, default config)");
  auto* text = sub->add_option("--text", o->text, "One text to read instead of a case file")->excludes(cases);
  sub->add_option("--id", o->id, "The answer's id with --text")->capture_default_str()->needs(text);
  sub->add_option("--sent", o->sent, "With --text: when it was sent (ISO 8601 with offset); default: now")->needs(text);
  sub->add_option("--tz", o->tz, "With --text: the sender's IANA time zone")->capture_default_str()->needs(text);
  sub->add_option("--locale", o->locale, "With --text: the sender's ICU locale (\"und\": unknown)")
      ->capture_default_str()
      ->needs(text);
  sub->callback([&chosen, o] {
    if (!o->text && o->cases.empty()) throw CLI::RequiredError("CASES or --text");
    chosen.run = [o] { return o->text ? run_text(*o) : run_cases(*o); };
  });
}

}  // namespace tandem::cli
