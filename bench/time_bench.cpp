// Time understanding throughput: the texts of the time cases (shared/eval/time/dev.jsonl by default)
// through the plugin tandem.extractor.time_rules, loaded with Boost.DLL as `tandem times` loads it, at its
// default config: extraction and resolution (the plugin calls TimeService::resolve), in one thread.
// items_per_second is texts ("sentences") per CPU second: what one core does, on a shared machine too.
// bench/chrono/run.sh runs this and chrono-node on the same texts in the same run and prints the ratio.
//
//   tandem_bench_time [--cases=FILE.jsonl] [Google Benchmark flags]
//
// Exits 77 (ctest's SKIP_RETURN_CODE) when the case file is absent.
#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "tandem/pipeline.hpp"
#include "tandem/plugin_host.hpp"
#include "tandem/services.hpp"

namespace tandem::bench {
namespace {

const std::filesystem::path kPluginDir = TANDEM_BUILD_PLUGIN_DIR;
std::filesystem::path g_cases = TANDEM_TIME_CASES;

// "2026-11-23T10:00:00-08:00" (or "Z", seconds optional) to the UTC instant and the written offset.
void parse_sent(const std::string& s, sdk::Message& msg) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, n = 0;
  if (std::sscanf(s.c_str(), "%d-%d-%dT%d:%d%n", &y, &mo, &d, &h, &mi, &n) != 5)
    throw std::runtime_error("sent: not an ISO 8601 instant: " + s);
  const char* rest = s.c_str() + n;
  if (*rest == ':') {
    int m = 0;
    std::sscanf(rest, ":%d%n", &sec, &m);
    rest += m;
  }
  int offset = 0;
  if (*rest == '+' || *rest == '-') {
    int oh = 0, om = 0;
    std::sscanf(rest + 1, "%d:%d", &oh, &om);
    offset = (*rest == '-' ? -1 : 1) * (oh * 60 + om);
  }
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
                                        std::chrono::day(static_cast<unsigned>(d))};
  msg.sent = std::chrono::sys_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(mi) +
             std::chrono::seconds(sec) - std::chrono::minutes(offset);
  msg.utc_offset_minutes = offset;
}

struct Fixture {
  std::shared_ptr<sdk::Services> services = make_services();
  PluginHost host{services};
  std::shared_ptr<sdk::Extractor> time_rules;
  std::vector<sdk::Message> messages;

  Fixture() {
    for (const auto& p : host.load_all({kPluginDir}, false)) std::cerr << "warning: " << p.to_string() << "\n";
    const PluginInfo* info = host.find("tandem.extractor.time_rules");
    if (!info) throw std::runtime_error("the plugin tandem.extractor.time_rules is not in " + kPluginDir.string());
    sdk::ConfigErrors errors;
    // The default config, as a pipeline instance without a config key gets it.
    const sdk::ConfigNode config = host.check_config(*info, parse_config_yaml("{}", "bench", errors), errors);
    time_rules = host.make_extractor(*info, "time", config, errors);
    if (!time_rules || !errors.empty())
      throw std::runtime_error("cannot make tandem.extractor.time_rules: " +
                               (errors.empty() ? std::string("no reason given") : errors.all().front().to_string()));
    std::ifstream in(g_cases);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      const auto j = nlohmann::json::parse(line);
      sdk::Message msg;
      msg.id = j.at("id").get<std::string>();
      msg.text = j.at("text").get<std::string>();
      parse_sent(j.at("sent").get<std::string>(), msg);
      msg.sender_zone = j.at("tz").get<std::string>();
      msg.sender_locale = j.at("locale").get<std::string>();
      msg.language = msg.sender_locale.substr(0, msg.sender_locale.find('_'));
      messages.push_back(std::move(msg));
    }
    if (messages.empty()) throw std::runtime_error("no cases in " + g_cases.string());
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

// Every text once per iteration; items are texts.
void BM_TimeRules_DevTexts(benchmark::State& state) {
  Fixture& f = fixture();
  std::vector<sdk::Annotation> out;
  std::size_t annotations = 0;
  for (auto _ : state) {
    for (const auto& msg : f.messages) {
      out.clear();
      const sdk::Status s = f.time_rules->extract(msg, out);
      if (!s.ok()) {
        state.SkipWithError(("case " + msg.id + ": " + s.message()).c_str());
        return;
      }
      annotations += out.size();
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.messages.size()));
  state.counters["texts"] = static_cast<double>(f.messages.size());
  state.counters["annotations_per_text"] =
      static_cast<double>(annotations) / static_cast<double>(state.iterations() * f.messages.size());
}
BENCHMARK(BM_TimeRules_DevTexts)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tandem::bench

int main(int argc, char** argv) {
  // --cases=FILE is ours; the rest goes to Google Benchmark.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--cases=", 8) == 0) tandem::bench::g_cases = argv[i] + 8;
    else argv[kept++] = argv[i];
  }
  argc = kept;
  if (!std::filesystem::is_regular_file(tandem::bench::g_cases)) {
    std::cout << "SKIP: the case file " << tandem::bench::g_cases.string()
              << " is absent (pass --cases=FILE.jsonl; by default shared/eval/time/dev.jsonl beside the source tree)\n";
    return 77;
  }
  try {
    (void)tandem::bench::fixture();
  } catch (const std::exception& e) {
    std::cerr << "tandem_bench_time: error: " << e.what() << "\n";
    return 1;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
