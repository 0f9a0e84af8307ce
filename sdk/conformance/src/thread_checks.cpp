// Check (e): a plugin that says thread_safe gives, from 8 threads at once, what it gives from one.
//
// 8 threads call one instance 200 times each with the same inputs. Extractors, estimators and
// aggregators must return exactly the result of a sequential call (same Status, same annotations or
// posteriors, bit for bit). Backends keep state, so the kit runs the same 8 x 200 calls twice: one after
// another on one instance, and from 8 threads on a second instance with its own temporary folder; the
// statuses must match call for call, and every file the two instances wrote must have as many lines
// (posting one task from 8 threads must not write it 8 times, nor tear a line).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <thread>

#include "kit.hpp"

namespace tandem::conformance::detail {
namespace {

using namespace std::chrono_literals;

constexpr int kThreads = 8;
constexpr int kCalls = 200;

std::string join(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
  return s;
}

sdk::Message sample_message(const std::vector<std::string>& words) {
  sdk::Message m;
  m.id = "case-conformance-threads";
  m.sender_zone = "Europe/Berlin";
  m.sender_locale = "en_GB";
  m.language = "en";
  m.sent = std::chrono::sys_days{std::chrono::year{2026} / 11 / 20} + 9h;
  m.text = "Hi Ben, could we grab coffee the Tuesday after next, 3ish? " + join(words) + " Ana";
  return m;
}

std::string show(const sdk::Distribution& d) {
  std::string s = "{";
  for (const auto& c : d.candidates()) {
    char p[40];
    std::snprintf(p, sizeof p, "%.17g", c.p);
    s += (s.size() > 1 ? ", " : "") + printable(c.value, 30) + ": " + p;
  }
  return s + "}";
}

// How `got` differs from `want` (the sequential result), or "" when it does not.
std::string difference(const std::vector<sdk::Annotation>& got, const std::vector<sdk::Annotation>& want) {
  if (got.size() != want.size())
    return std::to_string(got.size()) + " annotations instead of " + std::to_string(want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const sdk::Annotation& a = got[i];
    const sdk::Annotation& b = want[i];
    const std::string at = "annotation #" + std::to_string(i) + ": ";
    if (a.variable.name != b.variable.name)
      return at + "variable \"" + printable(a.variable.name) + "\" instead of \"" + printable(b.variable.name) + "\"";
    if (!(a.variable.distribution == b.variable.distribution))
      return at + "distribution " + show(a.variable.distribution) + " instead of " + show(b.variable.distribution);
    if (!(a.span == b.span))
      return at + "span [" + std::to_string(a.span.begin) + ", " + std::to_string(a.span.end) + ") instead of [" +
             std::to_string(b.span.begin) + ", " + std::to_string(b.span.end) + ")";
    if (a.note != b.note) return at + "note \"" + printable(a.note) + "\" instead of \"" + printable(b.note) + "\"";
    if (a.source != b.source) return at + "source \"" + printable(a.source) + "\" instead of \"" + printable(b.source) + "\"";
  }
  return {};
}

std::string difference(const std::vector<sdk::Posterior>& got, const std::vector<sdk::Posterior>& want) {
  if (got.size() != want.size())
    return std::to_string(got.size()) + " posteriors instead of " + std::to_string(want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const std::string at = "posterior #" + std::to_string(i) + ": ";
    if (got[i].item != want[i].item)
      return at + "item \"" + printable(got[i].item) + "\" instead of \"" + printable(want[i].item) + "\"";
    if (!(got[i].distribution == want[i].distribution))
      return at + "distribution " + show(got[i].distribution) + " instead of " + show(want[i].distribution);
  }
  return {};
}

std::string difference(const sdk::AggregationResult& got, const sdk::AggregationResult& want) {
  if (std::string d = difference(got.posteriors, want.posteriors); !d.empty()) return d;
  if (got.workers.size() != want.workers.size())
    return std::to_string(got.workers.size()) + " worker models instead of " + std::to_string(want.workers.size());
  for (std::size_t i = 0; i < got.workers.size(); ++i) {
    const sdk::WorkerModel& a = got.workers[i];
    const sdk::WorkerModel& b = want.workers[i];
    const std::string at = "worker model #" + std::to_string(i) + ": ";
    if (a.worker != b.worker) return at + "worker \"" + printable(a.worker) + "\" instead of \"" + printable(b.worker) + "\"";
    if (a.labels != b.labels || a.confusion != b.confusion || a.answers != b.answers)
      return at + "another confusion matrix for worker \"" + printable(a.worker) + "\"";
  }
  if (got.iterations != want.iterations)
    return std::to_string(got.iterations) + " iterations instead of " + std::to_string(want.iterations);
  const bool both_nan = std::isnan(got.log_likelihood) && std::isnan(want.log_likelihood);
  if (!both_nan && got.log_likelihood != want.log_likelihood) return "another log-likelihood";
  if (got.converged != want.converged) return "another convergence flag";
  return {};
}

bool same(const sdk::Status& a, const sdk::Status& b) { return a.code() == b.code() && a.message() == b.message(); }

// Runs `call(thread, i)` kThreads x kCalls times from kThreads threads; returns how many calls differed
// from the reference, and the first difference.
template <typename Call>
std::pair<int, std::string> run_threads(Call call) {
  std::atomic<int> differences{0};
  std::string first;
  std::mutex first_mu;
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kCalls; ++i) {
        std::string diff = call(t, i);
        if (diff.empty()) continue;
        if (differences.fetch_add(1) == 0) {
          std::lock_guard<std::mutex> lock(first_mu);
          first = "thread " + std::to_string(t) + ", call " + std::to_string(i) + ": " + diff;
        }
      }
    });
  go.store(true);
  for (auto& th : threads) th.join();
  return {differences.load(), first};
}

constexpr const char* kFix =
    "\nfix: guard the instance's shared state (a mutex, or state per call), or set .thread_safe = false in "
    "TANDEM_PLUGIN so that the host calls it from one thread at a time";

void check_extractor(Kit& k) {
  Instance inst = k.make_instance();
  if (!inst) FAIL() << "could not make an instance:\n" << list_errors(inst.errors);
  const sdk::Message msg = sample_message(k.config_words());
  std::vector<sdk::Annotation> reference;
  const sdk::Status ref_status = inst.extractor->extract(msg, reference);
  const auto [n, first] = run_threads([&](int, int) -> std::string {
    std::vector<sdk::Annotation> out;
    const sdk::Status s = inst.extractor->extract(msg, out);
    if (!same(s, ref_status)) return "status " + s.to_string() + " instead of " + ref_status.to_string();
    return difference(out, reference);
  });
  if (n != 0) ADD_FAILURE() << n << " of " << kThreads * kCalls << " concurrent extract() calls differed from a sequential one; "
                  << first << kFix;
}

void check_estimator(Kit& k) {
  Instance inst = k.make_instance();
  if (!inst) FAIL() << "could not make an instance:\n" << list_errors(inst.errors);
  const sdk::Message msg = sample_message({});
  std::vector<sdk::Annotation> input;
  std::vector<std::string> names = {"request", "time[0].polarity", "time[2].value", "event_type"};
  for (const auto& w : k.config_words()) names.push_back(w);
  for (const auto& name : names) {
    sdk::Annotation a;
    a.variable.name = name;
    a.variable.distribution = sdk::Distribution({{"positive", 0.62}, {"negative", 0.30}, {"neutral", 0.08}});
    a.span = {18, 29};
    input.push_back(a);
  }
  std::vector<sdk::Annotation> reference = input;
  const sdk::Status ref_status = inst.estimator->estimate(msg, reference);
  const auto [n, first] = run_threads([&](int, int) -> std::string {
    std::vector<sdk::Annotation> io = input;
    const sdk::Status s = inst.estimator->estimate(msg, io);
    if (!same(s, ref_status)) return "status " + s.to_string() + " instead of " + ref_status.to_string();
    return difference(io, reference);
  });
  if (n != 0) ADD_FAILURE() << n << " of " << kThreads * kCalls << " concurrent estimate() calls differed from a sequential one; "
                  << first << kFix;
}

void check_aggregator(Kit& k) {
  Instance inst = k.make_instance();
  if (!inst) FAIL() << "could not make an instance:\n" << list_errors(inst.errors);
  sdk::AggregationProblem problem;
  problem.variable = "time[0].polarity";
  problem.labels = {"positive", "negative", "neutral"};
  for (int item = 0; item < 20; ++item)
    for (int w = 0; w < 5; ++w)
      problem.votes.push_back({"item-" + std::to_string(item), "worker-" + std::to_string(w),
                               problem.labels[static_cast<std::size_t>(item * w + w) % 3]});
  for (int item = 0; item < 20; item += 3)
    problem.model.push_back({"item-" + std::to_string(item), sdk::Distribution({{"positive", 0.7}, {"negative", 0.3}})});
  sdk::AggregationResult reference;
  const sdk::Status ref_status = inst.aggregator->aggregate(problem, reference);
  const auto [n, first] = run_threads([&](int, int) -> std::string {
    sdk::AggregationResult out;
    const sdk::Status s = inst.aggregator->aggregate(problem, out);
    if (!same(s, ref_status)) return "status " + s.to_string() + " instead of " + ref_status.to_string();
    return difference(out, reference);
  });
  if (n != 0) ADD_FAILURE() << n << " of " << kThreads * kCalls
                  << " concurrent aggregate() calls differed from a sequential one; " << first << kFix;
}

// The backend's calls for one (thread, i): post task i (the same for every thread), and every tenth
// time a poll. Returns the status codes, in order.
std::vector<sdk::Code> backend_calls(sdk::Backend& b, int /*thread*/, int i) {
  sdk::Task t;
  t.id = "conformance-thread-task-" + std::to_string(i);
  t.case_id = "case-conformance-threads";
  t.variable = "time[0].polarity";
  t.options = {"positive", "negative"};
  t.snippet = "Could we meet Tuesday at 3?";
  t.highlight = {14, 21};
  t.language = "en";
  std::vector<sdk::Code> codes = {b.post(t, sdk::WorkerRef{"worker-1", "conformance"}).code()};
  if (i % 10 == 0) {
    std::vector<sdk::Answer> answers;
    codes.push_back(b.poll(answers).code());
    if (!answers.empty()) codes.push_back(sdk::Code::internal);  // no answers were dropped in: none may come
  }
  return codes;
}

std::map<std::string, std::size_t> line_counts(const fs::path& root) {
  std::map<std::string, std::size_t> counts;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    counts[fs::relative(it->path(), root).string()] = n;
  }
  return counts;
}

void check_backend(Kit& k) {
  Instance sequential = k.make_instance();
  if (!sequential) FAIL() << "could not make an instance:\n" << list_errors(sequential.errors);
  Instance concurrent = k.make_instance();
  if (!concurrent) FAIL() << "could not make an instance:\n" << list_errors(concurrent.errors);

  std::vector<std::vector<std::vector<sdk::Code>>> reference(kThreads, std::vector<std::vector<sdk::Code>>(kCalls));
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kCalls; ++i) reference[t][i] = backend_calls(*sequential.backend, t, i);

  const auto [n, first] = run_threads([&](int t, int i) -> std::string {
    const auto codes = backend_calls(*concurrent.backend, t, i);
    if (codes == reference[t][i]) return {};
    std::string s = "got";
    for (auto c : codes) s += " " + std::string(sdk::code_name(c));
    s += ", a sequential run got";
    for (auto c : reference[t][i]) s += " " + std::string(sdk::code_name(c));
    return s + " (post, then poll every tenth call; \"internal\" marks answers nobody gave)";
  });
  if (n != 0) ADD_FAILURE() << n << " of " << kThreads * kCalls << " concurrent call groups differed from a sequential run; "
                  << first << kFix;

  const auto want = line_counts(sequential.temp_dir);
  const auto got = line_counts(concurrent.temp_dir);
  for (const auto& [file, lines] : want) {
    auto it = got.find(file);
    if (it == got.end()) {
      ADD_FAILURE() << "a sequential run wrote " << file << " (" << lines << " lines), the concurrent run did not";
      continue;
    }
    EXPECT_EQ(it->second, lines) << file << " has " << it->second << " lines after the concurrent run, " << lines
                                 << " after the same calls made one after another (the same task posted from "
                                 << kThreads << " threads must be written once, each line whole)" << kFix;
  }
  for (const auto& [file, lines] : got)
    if (!want.count(file)) ADD_FAILURE() << "the concurrent run wrote " << file << " (" << lines << " lines), a sequential run did not";
}

}  // namespace

void register_thread_tests(Kit& k) {
  if (!k.info->thread_safe) {
    add_test("Threads", "SameResultsAsSequential", [] {
      GTEST_SKIP() << "the descriptor says thread_safe = false: the host calls an instance from one thread at a time";
    });
    return;
  }
  const std::string& kind = k.info->kind;
  add_test("Threads", "SameResultsAsSequential", [&k, kind] {
    Activity act("be called from " + std::to_string(kThreads) + " threads at once");
    if (kind == "extractor") check_extractor(k);
    else if (kind == "estimator") check_estimator(k);
    else if (kind == "aggregator") check_aggregator(k);
    else if (kind == "backend") check_backend(k);
  });
}

}  // namespace tandem::conformance::detail
