#include "ratio_reporter.hpp"

#include <cstdio>

namespace tandem::bench {

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const auto& r : runs)
    if (r.run_type == Run::RT_Iteration && r.iterations > 0) ns_[r.benchmark_name()] = r.GetAdjustedRealTime();
  ConsoleReporter::ReportRuns(runs);
}

void RatioReporter::Finalize() {
  ConsoleReporter::Finalize();
  for (const auto& [measured, baseline] : pairs_) {
    auto m = ns_.find(measured);
    auto b = ns_.find(baseline);
    if (m == ns_.end() || b == ns_.end() || b->second <= 0) continue;
    std::printf("ratio %s / %s = %.2f\n", measured.c_str(), baseline.c_str(), m->second / b->second);
  }
}

int run_with_ratios(int argc, char** argv, std::vector<std::pair<std::string, std::string>> pairs) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  RatioReporter reporter(std::move(pairs));
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}

}  // namespace tandem::bench
