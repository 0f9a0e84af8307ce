// Truth inference at scale: a generated crowd of 1,000,000 answers (100,000 tasks × 10 answers, 1,000
// workers, 5 classes; fixed seed) through the aggregator plugins, loaded with Boost.DLL as `tandem
// aggregate` loads them, at their default config, in one thread.
//
// Each worker has a random confusion matrix: for each true class a diagonal in [0.35, 0.95), the rest
// spread over the other classes with random weights. Each task has a uniformly drawn true class and 10
// distinct workers. Counters: `iterations` (EM E-steps), `ms_per_iteration` (wall time of one run / its
// iterations — it includes the fixed cost of interning and output, so it is an upper bound), `accuracy`
// against the generated truth, `answers_per_second`, and `peak_rss_mb` (the process's high-water mark,
// which includes the generated problem itself: ~100 MB of SDK votes).
//
// BM_PublicSet/<set>/<method> runs the same plugins on each set of shared/eval/crowd beside the source tree
// (when present; read with the CSV reader `tandem aggregate` uses): the plugin call alone, in a warm
// process — the counterpart of crowd-kit's fit on a loaded DataFrame — with `accuracy` against gold.csv.
//
//   tandem_bench_crowd [--answers=N] [--sets=DIR] [Google Benchmark flags]    (default N = 1,000,000)
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unordered_map>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "crowd/tables.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/plugin_host.hpp"
#include "tandem/services.hpp"

namespace tandem::bench {
namespace {

const std::filesystem::path kPluginDir = TANDEM_BUILD_PLUGIN_DIR;
constexpr std::size_t kAnswersPerTask = 10, kWorkers = 1000, kClasses = 5;
constexpr std::uint64_t kSeed = 20261124;
std::size_t g_answers = 1000000;
std::filesystem::path g_sets = TANDEM_CROWD_SETS;

// [0, 1) from the raw 64-bit engine: the same bits on every standard library.
double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

struct Crowd {
  sdk::AggregationProblem problem;
  std::vector<std::size_t> truth;  // per task
};

Crowd generate(std::size_t answers) {
  std::mt19937_64 rng(kSeed);
  // Cumulative confusion rows: cum[(w*K + t)*K + a] = P(answer <= a | truth t).
  std::vector<double> cum(kWorkers * kClasses * kClasses);
  for (std::size_t w = 0; w < kWorkers; ++w)
    for (std::size_t t = 0; t < kClasses; ++t) {
      double row[kClasses], rest = 0;
      for (std::size_t a = 0; a < kClasses; ++a)
        if (a != t) rest += row[a] = 0.05 + uniform(rng);
      const double diagonal = 0.35 + 0.6 * uniform(rng);
      for (std::size_t a = 0; a < kClasses; ++a) row[a] = a == t ? diagonal : (1 - diagonal) * row[a] / rest;
      double c = 0;
      for (std::size_t a = 0; a < kClasses; ++a) cum[(w * kClasses + t) * kClasses + a] = c += row[a];
    }
  Crowd crowd;
  const std::size_t tasks = answers / kAnswersPerTask;
  crowd.truth.resize(tasks);
  crowd.problem.variable = "bench";
  crowd.problem.votes.reserve(tasks * kAnswersPerTask);
  std::vector<std::string> labels, workers;
  for (std::size_t a = 0; a < kClasses; ++a) labels.push_back("c" + std::to_string(a));
  for (std::size_t w = 0; w < kWorkers; ++w) workers.push_back("w" + std::to_string(w));
  for (std::size_t i = 0; i < tasks; ++i) {
    const std::size_t t = static_cast<std::size_t>(uniform(rng) * kClasses);
    crowd.truth[i] = t;
    const std::string task = "t" + std::to_string(i);
    std::size_t chosen[kAnswersPerTask];
    for (std::size_t j = 0; j < kAnswersPerTask; ++j) {
      std::size_t w;
      bool again;
      do {  // distinct workers per task
        w = static_cast<std::size_t>(uniform(rng) * kWorkers);
        again = false;
        for (std::size_t q = 0; q < j; ++q) again = again || chosen[q] == w;
      } while (again);
      chosen[j] = w;
      const double u = uniform(rng);
      std::size_t a = 0;
      while (a + 1 < kClasses && u >= cum[(w * kClasses + t) * kClasses + a]) ++a;
      crowd.problem.votes.push_back({task, workers[w], labels[a]});
    }
  }
  return crowd;
}

struct Fixture {
  std::shared_ptr<sdk::Services> services = make_services();
  PluginHost host{services};
  Crowd crowd = generate(g_answers);

  Fixture() {
    for (const auto& p : host.load_all({kPluginDir}, false)) std::cerr << "warning: " << p.to_string() << "\n";
  }
  std::shared_ptr<sdk::Aggregator> make(const std::string& name, const char* yaml) {
    const PluginInfo* info = host.find(name);
    if (!info) throw std::runtime_error("the plugin " + name + " is not in " + kPluginDir.string());
    sdk::ConfigErrors errors;
    auto a = host.make_aggregator(*info, "bench", parse_config_yaml(yaml, "bench", errors), errors);
    if (!a || !errors.empty())
      throw std::runtime_error("cannot make " + name + ": " +
                               (errors.empty() ? std::string("no reason given") : errors.all().front().to_string()));
    return a;
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void run(benchmark::State& state, const std::string& plugin, const char* config) {
  Fixture& f = fixture();
  auto aggregator = f.make(plugin, config);
  std::size_t iterations = 0, correct = 0;
  bool converged = true;
  double seconds = 0;
  for (auto _ : state) {
    sdk::AggregationResult out;
    const auto start = std::chrono::steady_clock::now();
    const sdk::Status s = aggregator->aggregate(f.crowd.problem, out);
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!s.ok()) {
      state.SkipWithError(s.to_string().c_str());
      return;
    }
    iterations = out.iterations;
    converged = out.converged;
    correct = 0;
    for (std::size_t i = 0; i < out.posteriors.size(); ++i)  // first-appearance order = task order
      correct += out.posteriors[i].distribution.top().value == "c" + std::to_string(f.crowd.truth[i]) ? 1 : 0;
    benchmark::DoNotOptimize(out.posteriors.data());
  }
  const double answers = static_cast<double>(f.crowd.problem.votes.size());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * f.crowd.problem.votes.size()));
  state.counters["answers"] = answers;
  state.counters["iterations"] = static_cast<double>(iterations);
  state.counters["converged"] = converged ? 1 : 0;
  state.counters["accuracy"] = static_cast<double>(correct) / static_cast<double>(f.crowd.truth.size());
  const double ms_per_run = 1e3 * seconds / static_cast<double>(state.iterations());
  state.counters["ms_per_iteration"] = iterations > 0 ? ms_per_run / static_cast<double>(iterations) : 0.0;
  state.counters["peak_rss_mb"] = peak_rss_mb();
}

void BM_MajorityVote(benchmark::State& s) { run(s, "tandem.aggregator.majority_vote", "{}"); }
void BM_DawidSkene(benchmark::State& s) { run(s, "tandem.aggregator.dawid_skene", "{}"); }
void BM_DawidSkene_ToConvergence(benchmark::State& s) {
  run(s, "tandem.aggregator.dawid_skene", "stopping: log_likelihood\n");
}
void BM_OneCoin(benchmark::State& s) { run(s, "tandem.aggregator.one_coin", "{}"); }
void BM_Mace(benchmark::State& s) { run(s, "tandem.aggregator.mace", "{}"); }
BENCHMARK(BM_MajorityVote)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DawidSkene)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_DawidSkene_ToConvergence)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_OneCoin)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Mace)->Unit(benchmark::kMillisecond)->UseRealTime();

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// One public set, read once.
struct PublicSet {
  sdk::AggregationProblem problem;
  std::unordered_map<std::string, std::string> gold;
};

void run_public(benchmark::State& state, const std::shared_ptr<PublicSet>& set, const std::string& plugin,
                const char* config) {
  auto aggregator = fixture().make(plugin, config);
  std::size_t correct = 0, scored = 0, iterations = 0;
  for (auto _ : state) {
    sdk::AggregationResult out;
    const sdk::Status s = aggregator->aggregate(set->problem, out);
    if (!s.ok()) {
      state.SkipWithError(s.to_string().c_str());
      return;
    }
    iterations = out.iterations;
    correct = scored = 0;
    for (const auto& p : out.posteriors) {
      auto it = set->gold.find(p.item);
      if (it == set->gold.end()) continue;
      ++scored;
      correct += p.distribution.top().value == it->second ? 1 : 0;
    }
  }
  state.counters["answers"] = static_cast<double>(set->problem.votes.size());
  state.counters["iterations"] = static_cast<double>(iterations);
  state.counters["accuracy"] = scored ? static_cast<double>(correct) / static_cast<double>(scored) : 0.0;
}

void register_public_sets() {
  std::error_code ec;
  if (!std::filesystem::is_directory(g_sets, ec)) return;
  std::vector<std::filesystem::path> dirs;
  for (const auto& e : std::filesystem::directory_iterator(g_sets, ec))
    if (e.is_directory() && std::filesystem::exists(e.path() / "answers.csv")) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  for (const auto& dir : dirs) {
    auto set = std::make_shared<PublicSet>();
    set->problem.variable = dir.filename().string();
    crowd::read_table(slurp(dir / "answers.csv"), "answers.csv", {"task", "worker", "label"},
                      [&](const std::vector<std::string_view>& v, std::size_t) {
                        set->problem.votes.push_back({std::string(v[0]), std::string(v[1]), std::string(v[2])});
                        return std::string();
                      });
    crowd::read_table(slurp(dir / "gold.csv"), "gold.csv", {"task", "label"},
                      [&](const std::vector<std::string_view>& v, std::size_t) {
                        set->gold.emplace(std::string(v[0]), std::string(v[1]));
                        return std::string();
                      });
    for (const char* m : {"majority_vote", "dawid_skene", "one_coin", "mace"})
      benchmark::RegisterBenchmark(("BM_PublicSet/" + dir.filename().string() + "/" + m).c_str(),
                                   [set, plugin = std::string("tandem.aggregator.") + m](benchmark::State& st) {
                                     run_public(st, set, plugin, "{}");
                                   })
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
  }
}

}  // namespace
}  // namespace tandem::bench

int main(int argc, char** argv) {
  // --answers=N is ours; the rest goes to Google Benchmark.
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--answers=", 10) == 0) tandem::bench::g_answers = std::stoul(argv[i] + 10);
    else if (std::strncmp(argv[i], "--sets=", 7) == 0) tandem::bench::g_sets = argv[i] + 7;
    else argv[kept++] = argv[i];
  }
  argc = kept;
  try {
    (void)tandem::bench::fixture();
  } catch (const std::exception& e) {
    std::cerr << "tandem_bench_crowd: error: " << e.what() << "\n";
    return 1;
  }
  tandem::bench::register_public_sets();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
