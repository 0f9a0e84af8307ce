// tandem SDK — the value types every stage shares.
//
// One representation: every uncertain thing is a *variable* ("time[2].polarity", "request") whose
// value is a categorical distribution over candidate values. Extractors produce annotations (a
// variable's distribution plus the text span it came from), estimators recalibrate them, the router
// turns unsure ones into tasks, backends return answers, and aggregators combine answers (and the
// model's own distribution) into posteriors.
//
// Text is UTF-8 everywhere; spans are byte offsets into Message::text, half-open [begin, end).
// Instants are std::chrono::sys_seconds (UTC); zones are IANA names; locales are ICU ids ("en_GB").
//
// Thread-safety: plain values; copy freely, share const.
#ifndef TANDEM_SDK_TYPES_HPP_
#define TANDEM_SDK_TYPES_HPP_

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::sdk {

// A half-open byte range [begin, end) of a UTF-8 text.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;

  std::size_t size() const noexcept { return end > begin ? end - begin : 0; }
  bool empty() const noexcept { return end <= begin; }
  bool fits(std::string_view text) const noexcept { return begin <= end && end <= text.size(); }
  // The spanned text; empty when the span does not fit `text`.
  std::string_view of(std::string_view text) const noexcept {
    return fits(text) ? text.substr(begin, end - begin) : std::string_view();
  }
  friend bool operator==(const Span&, const Span&) = default;
};

struct Participant {
  std::string name;     // display name, decoded ("Zoë Martin")
  std::string address;  // "zoe@example.org"
  std::string role;     // what the people directory says the person does ("Technical Recruiter"), "" unknown
  bool assistant = false;  // one of the assistant's own addresses (the pipeline's mail.assistant)
  friend bool operator==(const Participant&, const Participant&) = default;
};

// One message as every stage sees it. The mail stage fills it; stages after it only read it.
struct Message {
  std::string id;           // the case id the engine gave it
  std::string message_id;   // RFC 5322 Message-ID, without angle brackets
  std::string thread_id;    // the thread it belongs to
  std::string subject;
  Participant from;
  std::vector<Participant> to;
  std::vector<Participant> cc;
  std::chrono::sys_seconds sent{};   // the sent instant (UTC)
  int utc_offset_minutes = 0;        // the sender's offset at `sent`, from the Date header
  std::string sender_zone;           // IANA zone, "" when unknown
  std::string sender_locale;         // ICU locale id, "" when unknown
  std::string language;              // ISO 639-1 of `text`, "" when unknown
  std::string text;                  // the new text of the latest reply: what extractors read
  std::string quoted;                // the earlier messages the reply quotes, as written below or above it
                                     // ("On ... wrote:" headers and "> " marks kept), "" when none
  std::string signature;             // the sender's signature block that was cut from `text`, "" when none
};

// One candidate value of a variable and its probability.
struct Candidate {
  std::string value;  // the canonical wire form ("positive", "2026-12-01T15:00/PT1H", "schedule")
  double p = 0.0;
  friend bool operator==(const Candidate&, const Candidate&) = default;
};

// A categorical distribution over candidate values. Kept sorted by decreasing probability (ties by
// value) after normalize(); values are unique.
class Distribution {
 public:
  Distribution() = default;
  explicit Distribution(std::vector<Candidate> c) : candidates_(std::move(c)) { normalize(); }

  const std::vector<Candidate>& candidates() const noexcept { return candidates_; }
  std::size_t size() const noexcept { return candidates_.size(); }
  bool empty() const noexcept { return candidates_.empty(); }

  // Adds `p` to `value` (creating it); call normalize() when done.
  void add(std::string_view value, double p) {
    for (auto& c : candidates_)
      if (c.value == value) { c.p += p; return; }
    candidates_.push_back({std::string(value), p});
  }

  // Scales to a sum of 1 (uniform when every weight is 0), drops negative and non-finite weights,
  // merges duplicates and sorts by decreasing probability (equal ones by value). O(n log n), in place;
  // weights are first divided by the largest one, so that no sum of finite weights overflows.
  void normalize() {
    double largest = 0;
    for (auto& c : candidates_) {
      if (!(std::isfinite(c.p) && c.p > 0)) c.p = 0;
      largest = std::max(largest, c.p);
    }
    const auto by_value = [](const Candidate& a, const Candidate& b) { return a.value < b.value; };
    const auto by_p = [](const Candidate& a, const Candidate& b) { return a.p > b.p; };
    // Most distributions hold a handful of candidates: insertion sort, stable and allocation-free.
    constexpr std::size_t kSmall = 16;
    const bool small = candidates_.size() <= kSmall;
    if (small) insertion_sort(by_value);
    else std::stable_sort(candidates_.begin(), candidates_.end(), by_value);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < candidates_.size(); ++i) {
      const double p = largest > 0 ? candidates_[i].p / largest : 0.0;
      if (kept > 0 && candidates_[kept - 1].value == candidates_[i].value) {
        candidates_[kept - 1].p += p;
      } else {
        if (kept != i) candidates_[kept].value = std::move(candidates_[i].value);
        candidates_[kept].p = p;
        ++kept;
      }
    }
    candidates_.resize(kept);
    double sum = 0;
    for (const auto& c : candidates_) sum += c.p;
    for (auto& c : candidates_) c.p = sum > 0 ? c.p / sum : 1.0 / static_cast<double>(candidates_.size());
    if (small) insertion_sort(by_p);
    else std::stable_sort(candidates_.begin(), candidates_.end(), by_p);
  }

  // The most probable candidate; precondition: !empty().
  const Candidate& top() const { return candidates_.front(); }
  double top_p() const noexcept { return candidates_.empty() ? 0.0 : candidates_.front().p; }
  double p(std::string_view value) const noexcept {
    for (const auto& c : candidates_)
      if (c.value == value) return c.p;
    return 0.0;
  }
  friend bool operator==(const Distribution&, const Distribution&) = default;

 private:
  template <typename Less>
  void insertion_sort(Less less) {
    for (std::size_t i = 1; i < candidates_.size(); ++i) {
      for (std::size_t j = i; j > 0 && less(candidates_[j], candidates_[j - 1]); --j)
        std::swap(candidates_[j], candidates_[j - 1]);
    }
  }

  std::vector<Candidate> candidates_;
};

// A named uncertain thing and its current distribution.
struct Variable {
  std::string name;  // wire name: "request", "time[2].value", "time[2].polarity"
  Distribution distribution;
};

// What an extractor says about one variable of a message.
struct Annotation {
  Variable variable;
  Span span;            // where in Message::text it came from; empty for message-level variables
  std::string source;   // the plugin instance that produced it (the engine fills it)
  std::string note;     // optional short evidence for people and logs ("cue 'grab coffee'")
};

// A worker: a person (or the model, id "model:<instance>") who answers tasks.
struct WorkerRef {
  std::string id;       // stable id in the worker registry
  std::string backend;  // the backend instance that reaches them, "" for the model
  friend bool operator==(const WorkerRef&, const WorkerRef&) = default;
};

// A multiple-choice question about one variable, as a backend delivers it. It carries only the
// snippet the question needs, never the whole message.
struct Task {
  std::string id;
  std::string case_id;
  std::string variable;               // "time[2].polarity"
  std::vector<std::string> options;   // candidate values, in the order shown
  bool allow_other = true;            // "none of these" with free text
  std::string instructions;           // per-variable text from the pipeline
  std::string snippet;                // the span and a bounded context window
  Span highlight;                     // the span, as bytes of `snippet`
  std::string language;               // of the snippet
  std::chrono::sys_seconds created{};
};

// One worker's answer to one task.
struct Answer {
  std::string task_id;
  WorkerRef worker;
  std::string value;        // one of the task's options, or "" with `other_text`
  std::string other_text;   // free text for "none of these"
  std::chrono::sys_seconds answered_at{};
};

// One vote in an aggregation problem: `worker` said `label` about `item`.
struct Vote {
  std::string item;
  std::string worker;
  std::string label;
};

// What an aggregator is given: the votes about a set of items (one variable's tasks), the labels that
// may be chosen (empty: those that occur), and optionally the model's own distribution per item.
struct AggregationProblem {
  std::string variable;
  std::vector<std::string> labels;
  std::vector<Vote> votes;
  struct Prior {
    std::string item;
    Distribution distribution;
  };
  std::vector<Prior> model;   // the model's view, for aggregators that treat it as one more worker
};

// An aggregator's belief about one item after combining the evidence.
struct Posterior {
  std::string item;
  Distribution distribution;
};

// What an aggregator learned of one worker's skill on the problem's variable: a confusion matrix over
// the problem's labels. The engine keeps it per (worker, variable) to choose, escalate to and revoke
// workers. The model, when an aggregator treats it as a worker, has one too (its id is the aggregator's
// choice, "model" by default).
struct WorkerModel {
  std::string worker;               // the votes' worker id
  std::vector<std::string> labels;  // the K labels: the order of the matrix's rows and columns
  // K×K, row-major: confusion[t * K + a] = P(the worker answers labels[a] | the truth is labels[t]).
  // Every row is finite, non-negative and sums to 1.
  std::vector<double> confusion;
  double answers = 0;  // the weight of this worker's votes that counted (a vote is 1; the model's, its mass)

  std::size_t size() const noexcept { return labels.size(); }
  // P(answer a | truth t), by index; precondition: t, a < size().
  double p(std::size_t truth, std::size_t answer) const { return confusion[truth * labels.size() + answer]; }
};

// Everything an aggregator returns for one problem. Methods without a worker model (majority vote)
// leave `workers` empty; methods without iterations leave `iterations` 0 and `log_likelihood` NaN.
struct AggregationResult {
  std::vector<Posterior> posteriors;   // one per item with evidence (built-ins: first-appearance order)
  std::vector<WorkerModel> workers;    // at most one per worker whose votes counted (built-ins: same order)
  std::size_t iterations = 0;          // EM iterations run (0: a closed-form method)
  // The log-likelihood of the counted votes under the final parameters (natural log); NaN when the
  // method has none.
  double log_likelihood = std::numeric_limits<double>::quiet_NaN();
  bool converged = true;               // false: the method stopped at its iteration limit
};

}  // namespace tandem::sdk

#endif  // TANDEM_SDK_TYPES_HPP_
