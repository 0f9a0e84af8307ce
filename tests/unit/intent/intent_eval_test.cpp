// The scheduling-intent figure: every thread of ../shared/eval/scheduling/threads/*.eml read through
// tandem::read_mail (the people directory of that set, the assistant's address), then through
// tandem.extractor.intent's code linked straight in, each variable's top value compared with
// expect.jsonl: request, event_type, duration_minutes, location (case-insensitive, white space
// normalised), participants (as a set), optional (as a set), and the sessions of interview loops.
// Prints per-field accuracy, the misses, and a rough calibration (how often the top probability is below
// 0.8 on threads where the top value is wrong, and where it is right). Fails under the bars below; skips
// where ../shared is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "extractor_intent/intent_plugin.hpp"
#include "tandem/intake.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/plugin_host.hpp"
#include "tandem/services.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Just under what the rules reach on the dev set (see plugins/extractor_intent/README.md, "Figures"):
// a drop means a rule stopped generalising.
const std::map<std::string, double> kBars = {
    {"request", 0.98},      {"event_type", 0.96}, {"duration", 0.94}, {"location", 0.96},
    {"participants", 0.96}, {"optional", 0.98},   {"sessions", 0.98},
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string normalise(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

std::set<std::string> split_set(const std::string& v) {
  std::set<std::string> out;
  if (v == "none" || v.empty()) return out;
  std::stringstream s(v);
  std::string item;
  while (std::getline(s, item, ',')) out.insert(item);
  return out;
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ",") + x;
  return out.empty() ? "none" : out;
}

struct Top {
  std::string value = "none";
  double p = 1.0;
  bool present = false;
};

}  // namespace

TEST(IntentEval, SchedulingDevThreads) {
  const fs::path dir = fs::path(TANDEM_SOURCE_DIR) / ".." / "shared" / "eval" / "scheduling";
  if (!fs::exists(dir / "expect.jsonl"))
    GTEST_SKIP() << "no " << (dir / "expect.jsonl") << " (../shared absent): intent figure not measured";
  const fs::path people = fs::canonical(dir / "people.yaml");

  // The MailSpec: a pipeline whose mail section names the set's directory.
  std::shared_ptr<tandem::sdk::Services> services = tandem::make_services();
  tandem::PluginHost host(services);
  const std::string pipeline_yaml = "tandem: 1\nname: intent-eval\nplugin_paths: [\"" +
                                    std::string(TANDEM_BUILD_PLUGIN_DIR) +
                                    "\"]\nmail:\n  assistant: [assistant@tandem.example]\n  people: \"" +
                                    people.string() +
                                    "\"\nstages:\n  extract:\n    - plugin: tandem.extractor.intent\n"
                                    "      config: {assistant: [assistant@tandem.example], people: \"" + people.string() +
                                    "\"}\n";
  const tandem::PipelineLoad load = tandem::parse_pipeline(pipeline_yaml, "intent-eval.yaml", dir, host);
  ASSERT_TRUE(load.ok()) << (load.errors.empty() ? std::string("no pipeline") : load.errors.front().to_string());
  const tandem::MailSpec& spec = load.pipeline->mail;

  // The plugin, linked straight in, configured as a pipeline would configure it.
  tandem::sdk::ConfigErrors errors;
  const std::string config_yaml = "data_dir: \"" + std::string(TANDEM_SOURCE_DIR) +
                                  "/plugins/extractor_intent/data\"\nassistant: [assistant@tandem.example]\n"
                                  "people: \"" + people.string() + "\"\n";
  const tandem::sdk::ConfigNode config = tandem::parse_config_yaml(config_yaml, "intent.yaml", errors);
  const tandem::sdk::PluginContext ctx("intent", config, *services, errors);
  tandem::plugins::intent::IntentExtractor extractor(ctx);
  ASSERT_TRUE(errors.empty()) << errors.all().front().to_string();

  std::map<std::string, int> right, total;
  std::map<std::string, std::vector<std::string>> misses;
  int low_when_wrong = 0, wrong = 0, low_when_right = 0, rightn = 0;
  std::ifstream in(dir / "expect.jsonl");
  std::string line;
  int threads = 0;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const json e = json::parse(line);
    const std::string id = e.at("id");
    const std::string raw = slurp(dir / e.at("file").get<std::string>());
    auto mail = tandem::read_mail(raw, spec, *services);
    ASSERT_TRUE(mail.is_ok()) << id << ": " << mail.status().message();
    std::vector<tandem::sdk::Annotation> out;
    ASSERT_TRUE(extractor.extract(mail.value().message, out).is_ok()) << id;
    ++threads;
    std::map<std::string, Top> got;
    for (const auto& a : out) {
      ASSERT_FALSE(a.variable.distribution.empty()) << id << " " << a.variable.name;
      ASSERT_TRUE(a.span.fits(mail.value().message.text)) << id << " " << a.variable.name;
      got[a.variable.name] = Top{a.variable.distribution.top().value, a.variable.distribution.top_p(), true};
    }
    const auto check = [&](const std::string& field, const std::string& want, const Top& have, bool equal) {
      ++total[field];
      if (!have.present) {
        misses[field].push_back(id + ": no annotation (want " + want + ")");
      } else if (equal) {
        ++right[field];
      } else {
        misses[field].push_back(id + ": got \"" + have.value + "\" (p " + std::to_string(have.p).substr(0, 4) +
                                "), want \"" + want + "\"");
      }
      if (have.present) {
        if (equal) ++rightn, low_when_right += have.p < 0.8;
        else ++wrong, low_when_wrong += have.p < 0.8;
      }
    };
    const std::string request = e.at("request");
    check("request", request, got["request"], got["request"].value == request);
    const std::string event = e.at("event_type").is_null() ? "none" : e.at("event_type").get<std::string>();
    check("event_type", event, got["event_type"], got["event_type"].value == event);
    const std::string duration =
        e.at("duration_minutes").is_null() ? "none" : std::to_string(e.at("duration_minutes").get<int>());
    check("duration", duration, got["duration"], got["duration"].value == duration);
    const std::string location = e.at("location").is_null() ? "none" : e.at("location").get<std::string>();
    check("location", location, got["location"], normalise(got["location"].value) == normalise(location));
    std::set<std::string> want_p, want_o;
    for (const auto& p : e.at("participants")) want_p.insert(p.get<std::string>());
    for (const auto& p : e.at("optional")) want_o.insert(p.get<std::string>());
    check("participants", join(want_p), got["participants"], split_set(got["participants"].value) == want_p);
    check("optional", join(want_o), got["optional"], split_set(got["optional"].value) == want_o);
    // Sessions: the interviewers in order (the candidate attends each), with their minutes.
    std::string want_s = "none";
    if (e.contains("sessions") && e.at("sessions").is_array()) {
      want_s.clear();
      for (const auto& s : e.at("sessions")) {
        const std::string who = s.at("with").back().get<std::string>();  // [candidate, interviewer]
        want_s += (want_s.empty() ? "" : ",") + who + ":" + std::to_string(s.at("minutes").get<int>());
      }
    }
    Top sessions = got["sessions"];
    if (!sessions.present) sessions = Top{"none", 1.0, true};
    check("sessions", want_s, sessions, sessions.value == want_s);
  }
  ASSERT_GT(threads, 0);

  std::cout << "\nscheduling intent on " << threads << " dev threads (" << dir.string() << ")\n";
  bool below = false;
  for (const auto& [field, bar] : kBars) {
    const double acc = total[field] > 0 ? static_cast<double>(right[field]) / total[field] : 0.0;
    std::cout << "  " << std::left << std::setw(13) << field << std::right << std::fixed << std::setprecision(3) << acc
              << "  (" << right[field] << "/" << total[field] << ", bar " << bar << ")\n";
    for (const auto& m : misses[field]) std::cout << "      miss " << m << "\n";
    if (acc < bar) below = true;
    EXPECT_GE(acc, bar) << field;
  }
  std::cout << "  calibration: top p < 0.8 on " << low_when_wrong << "/" << wrong << " wrong values ("
            << std::setprecision(2) << (wrong ? 100.0 * low_when_wrong / wrong : 0.0) << "%), on " << low_when_right
            << "/" << rightn << " right values (" << (rightn ? 100.0 * low_when_right / rightn : 0.0) << "%)\n";
  if (below) std::cout << "  below a bar: see the misses above\n";
}
