// Check (d): no exception escapes and outputs stay sane on hostile input.
//
// One test per input. An instance is made from the usable config (--config, or {}), then every method of
// the plugin's kind is called with the input. Any Status is fine; what must hold is that the call returns
// (a crash is reported with what was being done) and that whatever came back is sane: annotation spans
// fit the text, distributions are non-empty, finite and sum to 1 within 1e-9, estimators keep names and
// spans, aggregators answer only about items they were asked about, backends return answers that name
// a task and a worker, and nothing the caller already had in an output vector is touched.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <climits>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <set>

#include "kit.hpp"

namespace tandem::conformance::detail {
namespace {

using std::chrono::sys_days;
using namespace std::chrono_literals;

constexpr std::size_t kMegabyte = std::size_t{1} << 20;

std::string join(const std::vector<std::string>& words, std::string_view sep) {
  std::string s;
  for (const auto& w : words) {
    if (!s.empty()) s += sep;
    s += w;
  }
  return s;
}

std::string ascii_upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

std::string repeat_to(std::string_view unit, std::size_t size) {
  std::string s;
  s.reserve(size + unit.size());
  while (s.size() < size) s += unit;
  return s;
}

sdk::Message ordinary_message(const std::string& text) {
  sdk::Message m;
  m.id = "case-conformance-1";
  m.message_id = "conformance-1@example.org";
  m.thread_id = "thread-1";
  m.subject = "Coffee?";
  m.from = {"Ana Lima", "ana@example.org", "", false};
  m.to = {{"Ben Okafor", "ben@example.org", "", false}};
  m.sent = sys_days{std::chrono::year{2026} / 11 / 20} + 9h;
  m.utc_offset_minutes = 60;
  m.sender_zone = "Europe/Berlin";
  m.sender_locale = "en_GB";
  m.language = "en";
  m.text = text;
  return m;
}

const char* const kSentence = "Hi Ben, could we grab coffee the Tuesday after next, 3ish? Not Monday though. Ana\n";

// ---- extractors ---------------------------------------------------------------------------------------

std::vector<std::pair<std::string, sdk::Message>> extractor_inputs(const std::vector<std::string>& words) {
  const std::string w = join(words, " ");
  std::vector<std::pair<std::string, sdk::Message>> cases;
  cases.push_back({"empty_message", sdk::Message{}});
  cases.push_back({"ordinary_message", ordinary_message(std::string(kSentence) + w)});
  cases.push_back({"config_words", ordinary_message(w + ". " + join(words, ", ") + "\n" + ascii_upper(w) + "!")});
  cases.push_back({"one_megabyte_text", ordinary_message(repeat_to(std::string(kSentence) + w + "\n", kMegabyte))});
  cases.push_back({"one_megabyte_without_spaces", ordinary_message(std::string(kMegabyte, 'a'))});
  cases.push_back({"invalid_utf8", ordinary_message("\xff\xfe" + join(words, "\x80 \xc3\x28 ") + " \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x82")});
  {
    std::string nul = std::string("\0", 1) + join(words, std::string_view("\0", 1)) + std::string("\0\0", 2) + kSentence;
    cases.push_back({"nul_bytes", ordinary_message(nul)});
  }
  cases.push_back({"unicode_case_folding",
                   ordinary_message("STRASSE Straße İSTANBUL ǅUS ﬃ ΣΊΣΥΦΟΣ Ǆ " + ascii_upper(w) + "ß" + w + "İ")});
  cases.push_back({"words_glued_together", ordinary_message("x" + join(words, "") + "9 _" + join(words, "_") + "é")});
  {
    sdk::Message m = ordinary_message(std::string(kSentence) + w);
    m.subject = std::string(100000, 'S');
    m.from = {"\xff\xfe", "not an address", std::string(10000, 'R'), false};
    m.to.assign(1000, sdk::Participant{"", "", "", true});
    m.quoted = "> " + join(words, "\n> ") + "\xff\n>>>>>>>>>>>>>>>>>>>>>>>> " + kSentence;
    m.signature = std::string(kMegabyte, '-');
    m.sent = sys_days{std::chrono::year{1900} / 1 / 1};
    m.utc_offset_minutes = INT_MIN;
    m.sender_zone = "Not/AZone";
    m.sender_locale = "zz_INVALID@@";
    m.language = "??";
    cases.push_back({"odd_header_fields", m});
  }
  return cases;
}

void check_extract(Kit& k, const sdk::Message& msg, const std::string& what) {
  Instance inst = k.make_instance();
  if (!inst) FAIL() << "could not make an instance:\n" << list_errors(inst.errors);
  std::vector<sdk::Annotation> out(1);
  out[0].variable.name = "conformance.sentinel";
  out[0].note = "already here";
  sdk::Status s;
  {
    Activity act("extract(" + what + ")");
    s = inst.extractor->extract(msg, out);
  }
  if (out.empty()) FAIL() << "extract() removed the annotations already in `out`; append, never clear";
  EXPECT_EQ(out[0].variable.name, "conformance.sentinel") << "extract() changed an annotation it did not make";
  if (!s.is_ok()) return;  // any Status is fine; the host discards what was appended
  for (std::size_t i = 1; i < out.size(); ++i) {
    const sdk::Annotation& a = out[i];
    const std::string who = "annotation #" + std::to_string(i - 1) + " (variable \"" + printable(a.variable.name) + "\")";
    if (a.variable.name.empty()) ADD_FAILURE() << who << " has no variable name";
    if (!a.span.fits(msg.text)) ADD_FAILURE() << who << " has span [" << a.span.begin << ", " << a.span.end
                                       << ") which does not fit the text of " << msg.text.size()
                                       << " bytes; spans are half-open byte ranges of Message::text";
    for (const auto& p : distribution_problems(a.variable.distribution)) ADD_FAILURE() << who << ": its distribution " << p;
  }
}

// ---- estimators ---------------------------------------------------------------------------------------

sdk::Annotation annotation(std::string name, std::vector<std::pair<std::string, double>> raw, sdk::Span span) {
  sdk::Annotation a;
  a.variable.name = std::move(name);
  for (auto& [v, p] : raw) a.variable.distribution.add(v, p);  // as given: add() does not normalise
  a.span = span;
  a.source = "conformance";
  return a;
}

std::vector<std::pair<std::string, std::vector<sdk::Annotation>>> estimator_inputs(const std::vector<std::string>& words) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<std::pair<std::string, double>> ok = {{"positive", 0.7}, {"negative", 0.3}};
  std::vector<std::string> names = {"request", "time[0].polarity", "time[3].value", "event_type"};
  for (const auto& w : words) {
    names.push_back(w);
    if (const auto dot = w.find('.'); dot != std::string::npos) names.push_back(w.substr(0, dot) + "[7]" + w.substr(dot));
  }
  std::vector<std::pair<std::string, std::vector<sdk::Annotation>>> cases;
  cases.push_back({"no_annotations", {}});
  {
    std::vector<sdk::Annotation> v;
    for (const auto& n : names) v.push_back(annotation(n, ok, {14, 20}));
    cases.push_back({"ordinary_annotations", v});
  }
  {
    std::vector<sdk::Annotation> v;
    for (const auto& n : names) v.push_back(annotation(n, {}, {0, 0}));
    cases.push_back({"empty_distributions", v});
  }
  {
    const std::size_t big = std::numeric_limits<std::size_t>::max();
    std::vector<sdk::Annotation> v = {annotation("request", ok, {5, std::size_t{1} << 30}),
                                      annotation("request", ok, {std::size_t{1} << 30, 5}),
                                      annotation("time[0].polarity", ok, {big - 1, big})};
    cases.push_back({"spans_past_the_end", v});
  }
  const auto with_probabilities = [&](const std::string& label, std::vector<std::pair<std::string, double>> raw) {
    std::vector<sdk::Annotation> v;
    for (const auto& n : names) v.push_back(annotation(n, raw, {0, 2}));
    cases.push_back({label, v});
  };
  with_probabilities("nan_probabilities", {{"positive", nan}, {"negative", 0.5}});
  with_probabilities("all_nan_probabilities", {{"positive", nan}, {"negative", nan}});
  with_probabilities("negative_probabilities", {{"positive", -0.5}, {"negative", 1.5}});
  with_probabilities("infinite_probabilities", {{"positive", inf}, {"negative", -inf}, {"maybe", 0.1}});
  with_probabilities("all_zero_probabilities", {{"positive", 0.0}, {"negative", 0.0}});
  with_probabilities("subnormal_probabilities", {{"positive", 4e-320}, {"negative", 1e-310}});
  with_probabilities("probabilities_summing_to_infinity", {{"positive", 1e308}, {"negative", 1e308}});
  with_probabilities("one_certain_candidate", {{"positive", 1.0}});
  {
    std::vector<std::pair<std::string, double>> many;
    for (int i = 0; i < 10000; ++i) many.push_back({"v" + std::to_string(i), 1.0 / (1 + i)});
    cases.push_back({"ten_thousand_candidates", {annotation(names.front(), many, {0, 2})}});
  }
  {
    std::vector<sdk::Annotation> v = {annotation("", ok, {0, 1}), annotation(std::string(100000, 'x'), ok, {0, 1}),
                                      annotation("time[\xff].\x80", ok, {0, 1}),
                                      annotation("time[99999999999999999999999].value", ok, {0, 1}),
                                      annotation(std::string("a\0b", 3), ok, {0, 1})};
    cases.push_back({"odd_variable_names", v});
  }
  {
    std::vector<sdk::Annotation> v;
    for (int i = 0; i < 10000; ++i) v.push_back(annotation(names[static_cast<std::size_t>(i) % names.size()], ok, {0, 1}));
    cases.push_back({"ten_thousand_annotations", v});
  }
  return cases;
}

void check_estimate(Kit& k, const sdk::Message& msg, const std::vector<sdk::Annotation>& input, const std::string& what) {
  Instance inst = k.make_instance();
  if (!inst) FAIL() << "could not make an instance:\n" << list_errors(inst.errors);
  std::vector<sdk::Annotation> io = input;
  sdk::Status s;
  {
    Activity act("estimate(" + what + ")");
    s = inst.estimator->estimate(msg, io);
  }
  if (!s.is_ok()) return;  // the host restores the annotations
  if (io.size() != input.size())
    FAIL() << "estimate() returned " << io.size() << " annotations for the " << input.size()
           << " it was given; it must keep every annotation (it may only rewrite distributions)";
  for (std::size_t i = 0; i < io.size(); ++i) {
    const std::string who = "annotation #" + std::to_string(i) + " (variable \"" + printable(input[i].variable.name) + "\")";
    EXPECT_EQ(io[i].variable.name, input[i].variable.name) << who << ": estimate() must not rename variables";
    if (!(io[i].span == input[i].span)) ADD_FAILURE() << who << ": estimate() must not move spans";
    if (input[i].variable.distribution.empty() && io[i].variable.distribution.empty()) continue;
    for (const auto& p : distribution_problems(io[i].variable.distribution))
      ADD_FAILURE() << who << ": after estimate() its distribution " << p;
  }
}

// ---- aggregators --------------------------------------------------------------------------------------

sdk::Distribution raw_distribution(std::vector<std::pair<std::string, double>> raw) {
  sdk::Distribution d;
  for (auto& [v, p] : raw) d.add(v, p);
  return d;
}

std::vector<std::pair<std::string, sdk::AggregationProblem>> aggregator_inputs() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<std::pair<std::string, sdk::AggregationProblem>> cases;
  cases.push_back({"empty_problem", sdk::AggregationProblem{}});
  {
    sdk::AggregationProblem p;
    p.variable = "time[0].polarity";
    p.labels = {"positive", "negative"};
    cases.push_back({"labels_without_votes", p});
  }
  sdk::AggregationProblem ordinary;
  ordinary.variable = "time[0].polarity";
  ordinary.labels = {"positive", "negative", "neutral"};
  for (int item = 0; item < 3; ++item)
    for (int w = 0; w < 5; ++w)
      ordinary.votes.push_back({"item-" + std::to_string(item), "worker-" + std::to_string(w),
                                (item + w) % 3 == 0 ? "negative" : "positive"});
  ordinary.model.push_back({"item-0", sdk::Distribution({{"positive", 0.6}, {"negative", 0.4}})});
  cases.push_back({"ordinary_problem", ordinary});
  {
    sdk::AggregationProblem p = ordinary;
    p.labels.clear();
    cases.push_back({"ordinary_problem_without_labels", p});
  }
  {
    sdk::AggregationProblem p = ordinary;
    p.votes.push_back({"", "worker-1", "positive"});
    p.votes.push_back({"item-1", "", "negative"});
    p.votes.push_back({"item-2", "worker-2", ""});
    p.votes.push_back({"", "", ""});
    cases.push_back({"votes_with_empty_fields", p});
    p.labels.clear();
    cases.push_back({"votes_with_empty_fields_without_labels", p});
  }
  {
    sdk::AggregationProblem p = ordinary;
    p.votes.push_back({"item-0", "worker-9", "maybe"});
    p.votes.push_back({"item-9", "worker-9", "perhaps"});
    p.model.push_back({"item-1", sdk::Distribution({{"unlisted", 1.0}})});
    cases.push_back({"votes_outside_the_labels", p});
  }
  {
    sdk::AggregationProblem p = ordinary;
    p.labels = {"positive", "positive", "", "negative"};
    cases.push_back({"duplicate_and_empty_labels", p});
  }
  {
    sdk::AggregationProblem p = ordinary;
    p.model = {{"item-0", raw_distribution({{"positive", nan}, {"negative", 0.5}})},
               {"item-1", raw_distribution({{"positive", -1.0}, {"negative", inf}})},
               {"item-2", sdk::Distribution()},
               {"item-unvoted", raw_distribution({{"positive", 0.9}, {"negative", 0.1}})},
               {"", raw_distribution({{"positive", 1.0}})},
               {"item-0", raw_distribution({{"positive", 1e308}, {"negative", 1e308}})}};
    cases.push_back({"hostile_model_priors", p});
    p.labels.clear();
    cases.push_back({"hostile_model_priors_without_labels", p});
  }
  {
    sdk::AggregationProblem p;
    p.variable = "request";
    p.labels = {"l0", "l1", "l2", "l3", "l4", "l5", "l6", "l7", "l8", "l9"};
    for (int i = 0; i < 200000; ++i)
      p.votes.push_back({"item-" + std::to_string(i % 20000), "worker-" + std::to_string(i % 97),
                         "l" + std::to_string((i * 7) % 10)});
    for (int i = 0; i < 20000; ++i)
      p.model.push_back({"item-" + std::to_string(i), sdk::Distribution({{"l0", 0.5}, {"l1", 0.5}})});
    cases.push_back({"two_hundred_thousand_votes", p});
  }
  {
    sdk::AggregationProblem p;
    p.variable = "request";
    for (int i = 0; i < 50000; ++i) p.votes.push_back({"item-" + std::to_string(i % 10), "w", "label-" + std::to_string(i)});
    cases.push_back({"fifty_thousand_distinct_labels", p});
  }
  {
    sdk::AggregationProblem p;
    p.variable = "time[\xff]\x80";
    p.labels = {"\xff", std::string("a\0b", 3), "ok"};
    p.votes = {{"\xfe\xff", "w\x80", "\xff"}, {std::string("i\0j", 3), "w", std::string("a\0b", 3)},
               {"i", "w", "ok"}};
    cases.push_back({"binary_strings", p});
  }
  return cases;
}

// What is wrong with one worker model, or "" when nothing is: labels non-empty and unique, a K×K
// matrix whose rows are finite, non-negative and sum to 1 within 1e-9, a finite non-negative weight.
std::string worker_model_problem(const sdk::WorkerModel& w, const std::set<std::string>& allowed) {
  const std::size_t k = w.labels.size();
  if (k == 0) return "has no labels";
  std::set<std::string> unique;
  for (const auto& l : w.labels) {
    if (!unique.insert(l).second) return "lists the label \"" + printable(l) + "\" twice";
    if (!allowed.empty() && !allowed.count(l)) return "has the label \"" + printable(l) + "\", which is not one of the problem's labels";
  }
  if (w.confusion.size() != k * k)
    return "has a confusion matrix of " + std::to_string(w.confusion.size()) + " cells for " + std::to_string(k) +
           " labels; K×K = " + std::to_string(k * k) + " expected";
  for (std::size_t t = 0; t < k; ++t) {
    double sum = 0;
    for (std::size_t a = 0; a < k; ++a) {
      const double p = w.confusion[t * k + a];
      if (!std::isfinite(p) || p < 0) return "has P(answer | truth) " + std::to_string(p) + " in row " + std::to_string(t);
      sum += p;
    }
    if (std::abs(sum - 1.0) > 1e-9) return "has row " + std::to_string(t) + " summing to " + std::to_string(sum) + ", not 1";
  }
  if (!std::isfinite(w.answers) || w.answers < 0) return "has a vote weight of " + std::to_string(w.answers);
  return {};
}

void check_aggregate(Kit& k, const sdk::AggregationProblem& problem, const std::string& what) {
  Instance inst = k.make_instance();
  if (!inst) FAIL() << "could not make an instance:\n" << list_errors(inst.errors);
  sdk::AggregationResult result;
  result.posteriors.resize(1);
  result.posteriors[0].item = "conformance-sentinel";
  result.workers.resize(1);
  result.workers[0].worker = "conformance-sentinel";
  sdk::Status s;
  {
    Activity act("aggregate(" + what + ")");
    s = inst.aggregator->aggregate(problem, result);
  }
  const auto& out = result.posteriors;
  if (out.empty()) FAIL() << "aggregate() removed the posteriors already in `out`; append, never clear";
  EXPECT_EQ(out[0].item, "conformance-sentinel") << "aggregate() changed a posterior it did not make";
  if (result.workers.empty()) FAIL() << "aggregate() removed the worker models already in `out`; append, never clear";
  EXPECT_EQ(result.workers[0].worker, "conformance-sentinel") << "aggregate() changed a worker model it did not make";
  {
    // The posteriors-only form (compiled into the caller) must give the same posteriors.
    std::vector<sdk::Posterior> only;
    const sdk::Status s2 = inst.aggregator->aggregate(problem, only);
    EXPECT_EQ(s2.code(), s.code()) << "aggregate() into a vector of posteriors gave another status: " << s2.to_string();
    if (s2.is_ok() && s.is_ok()) {
      EXPECT_EQ(only.size() + 1, out.size()) << "aggregate() into a vector of posteriors gave another number of posteriors";
    }
  }
  if (!s.is_ok()) return;
  std::set<std::string> asked;
  for (const auto& v : problem.votes) asked.insert(v.item);
  for (const auto& m : problem.model) asked.insert(m.item);
  const std::set<std::string> labels(problem.labels.begin(), problem.labels.end());
  std::set<std::string> seen;
  std::size_t failures = 0;
  for (std::size_t i = 1; i < out.size() && failures < 20; ++i) {
    const sdk::Posterior& p = out[i];
    const std::string who = "the posterior of item \"" + printable(p.item) + "\"";
    if (!asked.count(p.item)) { ++failures; ADD_FAILURE() << who << ": the problem has no such item"; }
    if (!seen.insert(p.item).second) { ++failures; ADD_FAILURE() << who << " was given twice; one per item"; }
    for (const auto& problem_text : distribution_problems(p.distribution)) {
      ++failures;
      ADD_FAILURE() << who << ": its distribution " << problem_text;
    }
    if (!labels.empty())
      for (const auto& c : p.distribution.candidates())
        if (!labels.count(c.value)) {
          ++failures;
          ADD_FAILURE() << who << " has the value \"" << printable(c.value)
                        << "\", which is not one of the problem's labels";
        }
  }
  std::set<std::string> workers_seen;
  for (std::size_t i = 1; i < result.workers.size() && failures < 20; ++i) {
    const sdk::WorkerModel& w = result.workers[i];
    const std::string who = "the worker model of \"" + printable(w.worker) + "\"";
    if (!workers_seen.insert(w.worker).second) { ++failures; ADD_FAILURE() << who << " was given twice; one per worker"; }
    if (const std::string why = worker_model_problem(w, labels); !why.empty()) {
      ++failures;
      ADD_FAILURE() << who << " " << why;
    }
  }
  if (!std::isnan(result.log_likelihood) && !std::isfinite(result.log_likelihood))
    ADD_FAILURE() << "aggregate() gave a log-likelihood of " << result.log_likelihood << "; finite or NaN (none)";
}

// ---- backends -----------------------------------------------------------------------------------------

sdk::Task ordinary_task(std::string id = "conformance-task-1") {
  sdk::Task t;
  t.id = std::move(id);
  t.case_id = "case-conformance-1";
  t.variable = "time[0].polarity";
  t.options = {"positive", "negative"};
  t.allow_other = true;
  t.instructions = "Is this time offered, or refused?";
  t.snippet = "Could we meet Tuesday at 3?";
  t.highlight = {14, 21};
  t.language = "en";
  t.created = sys_days{std::chrono::year{2026} / 11 / 20} + 9h;
  return t;
}

const sdk::WorkerRef kWorker{"worker-1", "conformance"};

std::string answer_key(const sdk::Answer& a) {
  return a.task_id + '\x1f' + a.worker.id + '\x1f' + a.value + '\x1f' + a.other_text + '\x1f' +
         std::to_string(a.answered_at.time_since_epoch().count());
}

// Polls and checks the answers; `seen` holds the keys of answers returned by earlier polls.
void poll_and_check(sdk::Backend& b, std::map<std::string, int>& seen, int poll_number) {
  std::vector<sdk::Answer> out(1);
  out[0].task_id = "conformance-sentinel";
  sdk::Status s;
  {
    Activity act("poll() #" + std::to_string(poll_number));
    s = b.poll(out);
  }
  if (out.empty()) FAIL() << "poll() removed the answers already in `out`; append, never clear";
  EXPECT_EQ(out[0].task_id, "conformance-sentinel") << "poll() changed an answer it did not return";
  if (!s.is_ok()) return;
  std::set<std::string> this_poll;
  for (std::size_t i = 1; i < out.size(); ++i) {
    const sdk::Answer& a = out[i];
    if (a.task_id.empty()) ADD_FAILURE() << "poll() returned an answer with no task id";
    if (a.worker.id.empty()) ADD_FAILURE() << "poll() returned an answer to \"" << printable(a.task_id) << "\" with no worker";
    const std::string key = answer_key(a);
    auto it = seen.find(key);
    if (it != seen.end() && it->second != poll_number)
      ADD_FAILURE() << "poll() #" << poll_number << " returned the answer of worker \"" << printable(a.worker.id)
                    << "\" to task \"" << printable(a.task_id) << "\" again (first returned by poll() #" << it->second
                    << "); an answer is returned once";
    seen.emplace(key, poll_number);
  }
}

std::vector<fs::path> folders_under(const fs::path& root) {
  std::vector<fs::path> dirs = {root};
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_directory(ec)) dirs.push_back(it->path());
  return dirs;
}

void write_hostile_answer_files(const fs::path& dir) {
  std::ofstream f(dir / "conformance-hostile.jsonl", std::ios::binary);
  f << "\n"
    << "not json at all\n"
    << "{}\n"
    << "[1, 2, 3]\n"
    << "{\"task_id\": \"conformance-task-1\"}\n"
    << "{\"task_id\": 5, \"worker\": [], \"value\": {}, \"answered_at\": \"yesterday\"}\n"
    << "{\"task_id\": \"conformance-task-1\", \"worker\": \"worker-1\", \"value\": \"positive\", \"other_text\": \"\", "
       "\"answered_at\": \"2026-11-20T10:00:00Z\"}\n"
    << "{\"task_id\": \"\", \"worker\": \"\", \"value\": \"\", \"answered_at\": \"2026-02-30T25:61:61Z\"}\n"
    << std::string("{\"task_id\": \"a\0b\"}\n", 19) << "{\"task_id\": \"\xff\xfe\"}\n"
    << "{\"task_id\": \"" << std::string(kMegabyte, 'x') << "\"}\n"
    << "{\"task_id\": \"unterminated";
  f.close();
  std::ofstream(dir / "conformance-empty.jsonl", std::ios::binary).close();
  std::error_code ec;
  fs::create_directory(dir / "conformance-folder.jsonl", ec);
}

struct BackendCase {
  std::string name;
  std::function<void(sdk::Backend&, const fs::path& temp_dir)> run;
};

sdk::Status post(sdk::Backend& b, const sdk::Task& t, const sdk::WorkerRef& w, const std::string& what) {
  Activity act("post(" + what + ")");
  return b.post(t, w);
}

sdk::Status cancel(sdk::Backend& b, std::string_view id, const std::string& what) {
  Activity act("cancel(" + what + ")");
  return b.cancel(id);
}

std::vector<BackendCase> backend_inputs() {
  std::vector<BackendCase> cases;
  cases.push_back({"post_empty_task", [](sdk::Backend& b, const fs::path&) {
                     post(b, sdk::Task{}, sdk::WorkerRef{}, "an empty task to an empty worker");
                     post(b, sdk::Task{}, kWorker, "an empty task");
                   }});
  cases.push_back({"post_task_without_id", [](sdk::Backend& b, const fs::path&) {
                     post(b, ordinary_task(""), kWorker, "a task with an empty id");
                   }});
  cases.push_back({"post_task_without_options", [](sdk::Backend& b, const fs::path&) {
                     sdk::Task t = ordinary_task("conformance-no-options");
                     t.options.clear();
                     t.allow_other = false;
                     post(b, t, kWorker, "a task with no options and no \"other\"");
                     t.allow_other = true;
                     t.id = "conformance-only-other";
                     post(b, t, kWorker, "a task with only \"other\"");
                   }});
  cases.push_back({"post_one_megabyte_snippet", [](sdk::Backend& b, const fs::path&) {
                     sdk::Task t = ordinary_task("conformance-big");
                     t.snippet = repeat_to("Could we meet Tuesday at 3? ", kMegabyte);
                     t.highlight = {kMegabyte - 10, kMegabyte - 2};
                     post(b, t, kWorker, "a task with a 1 MB snippet");
                   }});
  cases.push_back({"post_invalid_utf8", [](sdk::Backend& b, const fs::path&) {
                     sdk::Task t = ordinary_task("conformance-\xff");
                     t.case_id = t.variable = t.instructions = t.snippet = t.language = "\xc3\x28\xff";
                     t.options = {"\xe2\x82", "\x80"};
                     t.highlight = {0, 1};
                     post(b, t, sdk::WorkerRef{"\xfe", "\xff"}, "a task whose every text is invalid UTF-8");
                   }});
  cases.push_back({"post_nul_bytes", [](sdk::Backend& b, const fs::path&) {
                     const std::string nul("a\0b", 3);
                     sdk::Task t = ordinary_task("conformance-" + nul);
                     t.snippet = nul + nul;
                     t.highlight = {0, 3};
                     t.options = {nul, "x"};
                     post(b, t, sdk::WorkerRef{nul, nul}, "a task with NUL bytes");
                   }});
  cases.push_back({"post_highlight_past_the_end", [](sdk::Backend& b, const fs::path&) {
                     sdk::Task t = ordinary_task("conformance-highlight");
                     t.highlight = {5, std::size_t{1} << 40};
                     post(b, t, kWorker, "a task whose highlight runs past its snippet");
                     t.highlight = {30, 2};
                     t.id = "conformance-highlight-reversed";
                     post(b, t, kWorker, "a task whose highlight ends before it begins");
                   }});
  cases.push_back({"post_ten_thousand_options", [](sdk::Backend& b, const fs::path&) {
                     sdk::Task t = ordinary_task("conformance-many-options");
                     t.options.clear();
                     for (int i = 0; i < 10000; ++i) t.options.push_back("option " + std::to_string(i));
                     post(b, t, kWorker, "a task with 10000 options");
                   }});
  cases.push_back({"post_the_same_task_twice", [](sdk::Backend& b, const fs::path&) {
                     post(b, ordinary_task(), kWorker, "a task");
                     post(b, ordinary_task(), kWorker, "the same task again");
                   }});
  cases.push_back({"post_odd_times", [](sdk::Backend& b, const fs::path&) {
                     sdk::Task t = ordinary_task("conformance-past");
                     t.created = sys_days{std::chrono::year{1800} / 1 / 1};
                     post(b, t, kWorker, "a task created in 1800");
                     t.id = "conformance-future";
                     t.created = sys_days{std::chrono::year{9999} / 12 / 31} + 23h + 59min + 59s;
                     post(b, t, kWorker, "a task created in 9999");
                   }});
  cases.push_back({"cancel_odd_ids", [](sdk::Backend& b, const fs::path&) {
                     post(b, ordinary_task(), kWorker, "a task");
                     cancel(b, "", "an empty id");
                     cancel(b, "conformance-never-posted", "an id never posted");
                     cancel(b, std::string(kMegabyte, 'x'), "a 1 MB id");
                     cancel(b, "\xff\xfe", "an id that is invalid UTF-8");
                     cancel(b, std::string_view("a\0b", 3), "an id with a NUL byte");
                     cancel(b, "conformance-task-1", "a posted task");
                     cancel(b, "conformance-task-1", "a task already cancelled");
                   }});
  cases.push_back({"poll_hostile_answer_files", [](sdk::Backend& b, const fs::path& temp) {
                     post(b, ordinary_task(), kWorker, "a task");
                     std::map<std::string, int> seen;
                     poll_and_check(b, seen, 1);
                     for (const auto& dir : folders_under(temp)) write_hostile_answer_files(dir);
                     for (int i = 2; i <= 4; ++i) poll_and_check(b, seen, i);
                   }});
  cases.push_back({"folders_vanish", [](sdk::Backend& b, const fs::path& temp) {
                     post(b, ordinary_task(), kWorker, "a task");
                     std::map<std::string, int> seen;
                     poll_and_check(b, seen, 1);
                     std::error_code ec;
                     for (const auto& entry : fs::directory_iterator(temp, ec)) fs::remove_all(entry.path(), ec);
                     post(b, ordinary_task("conformance-task-2"), kWorker, "a task after its folders were deleted");
                     cancel(b, "conformance-task-1", "a task after its folders were deleted");
                     poll_and_check(b, seen, 2);
                   }});
  cases.push_back({"folders_replaced_by_files", [](sdk::Backend& b, const fs::path& temp) {
                     post(b, ordinary_task(), kWorker, "a task");
                     std::map<std::string, int> seen;
                     poll_and_check(b, seen, 1);
                     std::error_code ec;
                     for (const auto& dir : folders_under(temp)) {
                       if (dir == temp) continue;
                       fs::remove_all(dir, ec);
                       std::ofstream(dir, std::ios::binary) << "not a folder\n";
                     }
                     post(b, ordinary_task("conformance-task-2"), kWorker, "a task after its folders became files");
                     cancel(b, "conformance-task-1", "a task after its folders became files");
                     poll_and_check(b, seen, 2);
                   }});
  return cases;
}

void check_backend(Kit& k, const BackendCase& c) {
  Instance inst = k.make_instance();
  if (!inst) FAIL() << "could not make an instance:\n" << list_errors(inst.errors);
  c.run(*inst.backend, inst.temp_dir);
  std::map<std::string, int> seen;
  poll_and_check(*inst.backend, seen, 99);
}

}  // namespace

void register_hostile_tests(Kit& k) {
  const std::string& kind = k.info->kind;
  const std::vector<std::string> words = k.config_words();
  if (kind == "extractor") {
    for (auto& [name, msg] : extractor_inputs(words))
      add_test("Hostile", "extract_" + name, [&k, name = name, msg = std::move(msg)] { check_extract(k, msg, name); });
  } else if (kind == "estimator") {
    const sdk::Message msg = ordinary_message(kSentence);
    for (const auto& [name, input] : estimator_inputs(words)) {
      add_test("Hostile", "estimate_" + name, [&k, msg, name = name, input = input] {
        check_estimate(k, msg, input, name);
      });
      if (name == "spans_past_the_end")
        add_test("Hostile", "estimate_" + name + "_of_an_empty_message", [&k, name = name, input = input] {
          check_estimate(k, sdk::Message{}, input, name + " of an empty message");
        });
    }
  } else if (kind == "aggregator") {
    for (auto& [name, problem] : aggregator_inputs())
      add_test("Hostile", "aggregate_" + name, [&k, name = name, problem = std::move(problem)] {
        check_aggregate(k, problem, name);
      });
  } else if (kind == "backend") {
    for (auto& c : backend_inputs()) add_test("Hostile", c.name, [&k, c] { check_backend(k, c); });
  }
}

}  // namespace tandem::conformance::detail
