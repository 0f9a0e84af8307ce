// `tandem aggregate --method NAME ANSWERS.csv [--gold GOLD.csv] [--config FILE]`: crowd answers in,
// one aggregated label per task out — or, with --gold, the accuracy against gold labels.
//
// The method is the aggregator plugin `tandem.aggregator.<NAME>`, loaded through the plugin host like any
// pipeline's, so what this command measures is what a pipeline runs. All answers form one problem (one
// variable, "answers"); the labels are those that occur.
//
// Bad input (the contract in docs/crowd.md): every bad row is reported on stderr as
// "FILE:LINE: error: ..." and left out, every good row is still aggregated, and the exit code is then 1.
// A file whose header is wrong (an unknown, repeated or missing column, or a file that is not CSV at all)
// cannot be read: its errors are reported and nothing is printed.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "cli/cli.hpp"
#include "crowd/csv.hpp"
#include "crowd/tables.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/services.hpp"

namespace tandem::cli {
namespace {

struct AggregateOptions {
  std::string method;
  std::string answers;
  std::string gold;
  std::string config;
};

// Asks the kernel to back a large buffer that is about to be written with huge pages: on virtual
// machines a 4 KiB page fault costs microseconds, and a million answers touch tens of thousands of pages.
void advise_huge_pages(const void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

// The whole file, or false with the error printed.
bool slurp(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << path << ": error: cannot open the file\n";
    return false;
  }
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size >= 0) {
    out.resize(static_cast<std::size_t>(size));
    in.read(out.data(), size);
    out.resize(static_cast<std::size_t>(in.gcount()));
  } else {  // not seekable (a pipe)
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (in.bad()) {
    std::cerr << path << ": error: reading failed\n";
    return false;
  }
  return true;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

int run_aggregate(const AggregateOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  std::ios::sync_with_stdio(false);

  // The plugin first: a wrong --method is a usage error, whatever the files hold.
  PluginHost host(make_services());
  print_load_problems(host.load_all(PluginHost::search_paths()));
  const std::string full = "tandem.aggregator." + o.method;
  const PluginInfo* info = host.find(full);
  if (info == nullptr || info->kind != "aggregator") {
    std::vector<std::string> methods;
    for (const PluginInfo* p : host.plugins())
      if (p->kind == "aggregator" && p->name.rfind("tandem.aggregator.", 0) == 0)
        methods.push_back(p->name.substr(std::string_view("tandem.aggregator.").size()));
    std::string list;
    for (const auto& m : methods) list += (list.empty() ? "" : ", ") + m;
    std::cerr << "tandem: error: --method: no aggregator plugin \"" << full << "\" was found"
              << sdk::did_you_mean(o.method, methods) << "; the methods found are: "
              << (list.empty() ? "none (is lib/tandem/plugins installed?)" : list) << "\n";
    return kExitUsage;
  }
  sdk::ConfigErrors config_errors;
  sdk::ConfigNode config(sdk::ConfigNode::Type::map, sdk::Mark{"<tandem aggregate>", 0, 0}, "");
  if (!o.config.empty()) {
    std::string text;
    if (!slurp(o.config, text)) return kExitBadInput;
    config = parse_config_yaml(text, o.config, config_errors);
  }
  std::shared_ptr<sdk::Aggregator> aggregator;
  if (config_errors.empty()) aggregator = host.make_aggregator(*info, o.method, config, config_errors);
  if (!aggregator) {
    for (const auto& e : config_errors.all()) std::cerr << e.to_string() << "\n";
    if (config_errors.empty()) std::cerr << "tandem: error: cannot make an instance of " << full << "\n";
    return o.config.empty() ? kExitInternal : kExitBadInput;
  }

  // The answers: every good row is one vote.
  sdk::AggregationProblem problem;
  problem.variable = "answers";
  std::string text;
  if (!slurp(o.answers, text)) return kExitBadInput;
  problem.votes.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  advise_huge_pages(problem.votes.data(), problem.votes.capacity() * sizeof(sdk::Vote));
  crowd::TableReport answers = crowd::read_table(
      text, o.answers, {"task", "worker", "label"}, [&](const std::vector<std::string_view>& v, std::size_t) {
        problem.votes.push_back({std::string(v[0]), std::string(v[1]), std::string(v[2])});
        return std::string();
      });
  std::string().swap(text);
  for (const auto& e : answers.errors) std::cerr << e << "\n";
  if (!answers.header_ok) return kExitBadInput;

  // Gold labels, first one per task (a repeated task is an error at the repeat).
  std::vector<std::pair<std::string, std::string>> gold;
  crowd::TableReport gold_report;
  if (!o.gold.empty()) {
    if (!slurp(o.gold, text)) return kExitBadInput;
    std::unordered_map<std::string, std::size_t> first_line;
    gold_report = crowd::read_table(text, o.gold, {"task", "label"}, [&](const std::vector<std::string_view>& v,
                                                                          std::size_t line) {
      auto [it, inserted] = first_line.emplace(std::string(v[0]), line);
      if (!inserted)
        return "the task \"" + std::string(v[0]) + "\" already has a gold label (line " + std::to_string(it->second) +
               "); this one is left out";
      gold.emplace_back(std::string(v[0]), std::string(v[1]));
      return std::string();
    });
    for (const auto& e : gold_report.errors) std::cerr << e << "\n";
    if (!gold_report.header_ok) return kExitBadInput;
  }

  const auto aggregate_start = std::chrono::steady_clock::now();
  sdk::AggregationResult result;
  const sdk::Status s = aggregator->aggregate(problem, result);
  const double aggregate_seconds = seconds_since(aggregate_start);
  if (!s.is_ok()) {
    std::cerr << o.answers << ": error: the aggregator " << full << " failed: " << s.to_string() << "\n";
    return s.code() == sdk::Code::invalid_input ? kExitBadInput : kExitInternal;
  }
  std::string summary = "tandem aggregate: " + o.method + ": " + std::to_string(answers.rows) + " answers, " +
                        std::to_string(result.posteriors.size()) + " tasks, " +
                        std::to_string(result.workers.size()) + " worker models";
  if (result.iterations > 0)
    summary += ", " + std::to_string(result.iterations) + " iterations (" +
               (result.converged ? "converged" : "stopped at max_iterations") + "), log-likelihood " +
               fixed(result.log_likelihood, 4);
  summary += ", aggregated in " + fixed(aggregate_seconds, 4) + " s";

  const bool bad = !answers.errors.empty() || !gold_report.errors.empty();
  if (o.gold.empty()) {
    std::string out = "task,label,confidence\n";
    for (const auto& p : result.posteriors) {
      if (p.distribution.empty()) continue;
      crowd::append_csv_field(out, p.item);
      out.push_back(',');
      crowd::append_csv_field(out, p.distribution.top().value);
      out += "," + fixed(p.distribution.top_p(), 6) + "\n";
    }
    std::cout << out;
    std::cout.flush();
    std::cerr << summary << "\n";
    return bad ? kExitBadInput : kExitOk;
  }

  std::unordered_map<std::string_view, const sdk::Distribution*> by_task;
  by_task.reserve(result.posteriors.size());
  for (const auto& p : result.posteriors) by_task.emplace(p.item, &p.distribution);
  std::size_t scored = 0, correct = 0;
  for (const auto& [task, label] : gold) {
    auto it = by_task.find(task);
    if (it == by_task.end() || it->second->empty()) continue;
    ++scored;
    if (it->second->top().value == label) ++correct;
  }
  const double accuracy = scored ? static_cast<double>(correct) / static_cast<double>(scored) : 0.0;
  std::cout << "method=" << o.method << " accuracy=" << fixed(accuracy, 4) << " correct=" << correct
            << " scored=" << scored << " gold=" << gold.size() << " iterations=" << result.iterations
            << " converged=" << (result.converged ? "yes" : "no") << " aggregate_seconds=" << fixed(aggregate_seconds, 4)
            << " total_seconds=" << fixed(seconds_since(start), 4) << "\n";
  std::cout.flush();
  std::cerr << summary << "\n";
  return bad ? kExitBadInput : kExitOk;
}

}  // namespace

void add_aggregate(CLI::App& app, Command& chosen) {
  auto o = std::make_shared<AggregateOptions>();
  auto* sub = app.add_subcommand(
      "aggregate",
      "Crowd answers to one label per task, through an aggregator plugin (tandem.aggregator.NAME).\n"
      "  tandem aggregate --method NAME ANSWERS.csv              prints task,label,confidence (CSV, header)\n"
      "  tandem aggregate --method NAME ANSWERS.csv --gold G.csv  prints the accuracy on G's tasks\n"
      "ANSWERS.csv has the header task,worker,label (any order); GOLD.csv task,label. A bad row is reported\n"
      "on stderr (\"FILE:LINE: error: ...\") and left out; the other rows are still aggregated, and the exit\n"
      "code is then 1. A bad header makes the file unusable (exit 1, nothing printed).");
  sub->add_option("--method,-m", o->method,
                  "The aggregator: majority_vote, dawid_skene, one_coin, mace, or any tandem.aggregator.NAME found")
      ->required();
  sub->add_option("ANSWERS", o->answers, "Answers CSV: task,worker,label")->required();
  sub->add_option("--gold,-g", o->gold, "Gold CSV (task,label): print the accuracy instead of the labels");
  sub->add_option("--config,-c", o->config, "The plugin's config as a YAML file (default: its defaults)");
  sub->callback([&chosen, o] { chosen.run = [o] { return run_aggregate(*o); }; });
}

}  // namespace tandem::cli
