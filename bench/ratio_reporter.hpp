// Benchmarks report ratios against a baseline measured in the same run: this reporter prints the usual
// console table, then one line per (measured, baseline) pair: "ratio <measured> / <baseline> = 1.03".
#ifndef TANDEM_BENCH_RATIO_REPORTER_HPP_
#define TANDEM_BENCH_RATIO_REPORTER_HPP_

#include <benchmark/benchmark.h>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tandem::bench {

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter(std::vector<std::pair<std::string, std::string>> pairs, OutputOptions options)
      : ConsoleReporter(options), pairs_(std::move(pairs)) {}
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;  // (measured, baseline) benchmark names
  std::map<std::string, double> ns_;                        // real time per iteration, by name
  std::set<std::string> medians_;                           // names whose time is a median
};

// Runs the registered benchmarks with the ratio reporter; returns the process exit code.
int run_with_ratios(int argc, char** argv, std::vector<std::pair<std::string, std::string>> pairs);

}  // namespace tandem::bench

#endif  // TANDEM_BENCH_RATIO_REPORTER_HPP_
