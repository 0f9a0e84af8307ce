#include "ratio_reporter.hpp"

#include <cstdio>

#include <unistd.h>

namespace tandem::bench {

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
  // With --benchmark_repetitions the median of the repetitions is used; otherwise the one run.
  for (const auto& r : runs) {
    if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") {
      ns_[r.run_name.str()] = r.GetAdjustedRealTime();
      medians_.insert(r.run_name.str());
    } else if (r.run_type == Run::RT_Iteration && r.iterations > 0 && !medians_.count(r.run_name.str())) {
      ns_[r.run_name.str()] = r.GetAdjustedRealTime();
    }
  }
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
  // Colour only on a terminal, so that recorded figures stay plain text.
  RatioReporter reporter(std::move(pairs), isatty(fileno(stdout)) ? RatioReporter::OO_Color : RatioReporter::OO_None);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}

}  // namespace tandem::bench
