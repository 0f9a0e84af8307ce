#include "truth_inference.hpp"

#include <algorithm>
#include <cstring>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#include <utility>

namespace tandem::plugins::crowd {
namespace {

// A 64-bit hash of a short string: 8-byte words mixed by multiplication (strings here are ids and labels,
// mostly under 16 bytes; std::hash's general-purpose path was a third of the time of a large problem).
std::uint64_t hash_of(std::string_view s) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (s.size() * 0xff51afd7ed558ccdull);
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  std::uint64_t w = 0;
  std::memcpy(&w, s.data() + i, s.size() - i);
  h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 29);
}

// Interns strings in first-appearance order: an open-addressing table (linear probing) of name ids,
// with each name's hash kept beside it.
class Interner {
 public:
  explicit Interner(std::vector<std::string_view>& names) : names_(names) { rehash(64); }
  void reserve(std::size_t n) {
    std::size_t size = 64;
    while (size < 2 * n) size *= 2;
    if (size > slots_.size()) rehash(size);
  }
  std::uint32_t id(std::string_view s) {
    const std::uint64_t h = hash_of(s);
    std::size_t at = h & mask_;
    for (;;) {
      const std::uint32_t slot = slots_[at];
      if (slot == 0) break;
      if (hashes_[slot - 1] == h && names_[slot - 1] == s) return slot - 1;
      at = (at + 1) & mask_;
    }
    const auto id = static_cast<std::uint32_t>(names_.size());
    names_.push_back(s);
    hashes_.push_back(h);
    slots_[at] = id + 1;
    if (2 * names_.size() > slots_.size()) rehash(2 * slots_.size());
    return id;
  }
  std::int64_t find(std::string_view s) const {
    const std::uint64_t h = hash_of(s);
    for (std::size_t at = h & mask_;; at = (at + 1) & mask_) {
      const std::uint32_t slot = slots_[at];
      if (slot == 0) return -1;
      if (hashes_[slot - 1] == h && names_[slot - 1] == s) return slot - 1;
    }
  }

 private:
  void rehash(std::size_t size) {
    slots_.assign(size, 0);
    mask_ = size - 1;
    for (std::size_t i = 0; i < hashes_.size(); ++i) {
      std::size_t at = hashes_[i] & mask_;
      while (slots_[at] != 0) at = (at + 1) & mask_;
      slots_[at] = static_cast<std::uint32_t>(i + 1);
    }
  }

  std::vector<std::string_view>& names_;
  std::vector<std::uint64_t> hashes_;
  std::vector<std::uint32_t> slots_;  // id + 1; 0 = empty
  std::size_t mask_ = 0;
};

std::string count_of(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

void advise_huge_pages(const void* data, std::size_t bytes) noexcept {
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

sdk::Status prepare(const sdk::AggregationProblem& problem, const PrepareOptions& options, int worker_power,
                    Dense& out, std::string& ignored) {
  out = Dense{};
  ignored.clear();
  Interner items(out.items), workers(out.workers), labels(out.labels);
  items.reserve(problem.votes.size() / 4 + problem.model.size() + 16);
  workers.reserve(1024);
  const bool closed = !problem.labels.empty();
  for (const auto& l : problem.labels)
    if (!l.empty()) labels.id(l);
  const auto label_of = [&](std::string_view l) -> std::int64_t {
    if (closed) return labels.find(l);
    return labels.id(l);
  };

  // Answers in input order; grouped by item below. `grouped` stays true while every item's answers are
  // contiguous (ids are given in first-appearance order, so: item ids never decrease), the usual layout
  // of an answer file, which then needs no reordering.
  std::vector<std::uint32_t> item_of;
  bool grouped = true;
  std::size_t model_candidates = 0;
  if (options.model_as_worker)
    for (const auto& prior : problem.model) model_candidates += prior.distribution.size();
  const std::size_t capacity = problem.votes.size() + model_candidates;
  reserve_huge(item_of, capacity);
  reserve_huge(out.worker, capacity);
  reserve_huge(out.label, capacity);
  reserve_huge(out.weight, capacity);
  const auto add = [&](std::uint32_t item, std::uint32_t worker, std::uint32_t label, double weight) {
    if (!item_of.empty() && item < item_of.back()) grouped = false;
    item_of.push_back(item);
    out.worker.push_back(worker);
    out.label.push_back(label);
    out.weight.push_back(weight);
  };
  std::size_t no_item = 0, no_worker = 0, no_label = 0, outside = 0;
  std::string_view last_item;
  std::uint32_t last_item_id = 0;
  std::string_view outside_example;
  for (const auto& v : problem.votes) {
    if (v.item.empty()) { ++no_item; continue; }
    if (v.worker.empty()) { ++no_worker; continue; }
    if (v.label.empty()) { ++no_label; continue; }
    const std::int64_t l = label_of(v.label);
    if (l < 0) {
      if (outside++ == 0) outside_example = v.label;
      continue;
    }
    // Answers usually come grouped by item: the previous vote's item is checked before the table.
    if (v.item.data() != last_item.data() && v.item != last_item) {
      last_item = v.item;
      last_item_id = items.id(v.item);
    }
    add(last_item_id, workers.id(v.worker), static_cast<std::uint32_t>(l), 1.0);
  }

  std::size_t model_outside = 0, model_unusable = 0;
  if (options.model_as_worker && !problem.model.empty()) {
    const std::size_t before = out.workers.size();
    const std::uint32_t model = workers.id(options.model_worker);
    const bool created = out.workers.size() > before;
    std::size_t added = 0;
    for (const auto& prior : problem.model) {
      // The model's distribution as given, cleaned (negative or non-finite probabilities count as 0) and
      // renormalised relative to its top value, so that the sum cannot overflow.
      double top = 0;
      for (const auto& c : prior.distribution.candidates())
        if (std::isfinite(c.p) && c.p > top) top = c.p;
      if (prior.item.empty() || !(top > 0)) { ++model_unusable; continue; }
      double sum = 0;
      for (const auto& c : prior.distribution.candidates())
        if (std::isfinite(c.p) && c.p > 0) sum += c.p / top;
      for (const auto& c : prior.distribution.candidates()) {
        if (!std::isfinite(c.p) || c.p <= 0) continue;
        const std::int64_t l = c.value.empty() ? -1 : label_of(c.value);
        if (l < 0) { ++model_outside; continue; }
        add(items.id(prior.item), model, static_cast<std::uint32_t>(l), options.model_weight * (c.p / top) / sum);
        ++added;
      }
    }
    if (created && added == 0) out.workers.pop_back();  // the model said nothing usable
  }

  if (no_item + no_worker + no_label + outside + model_outside + model_unusable > 0) {
    std::string m = "variable \"" + problem.variable + "\": ignored";
    bool first = true;
    const auto part = [&](std::size_t n, const std::string& what) {
      if (n == 0) return;
      m += (first ? " " : ", ") + what;
      first = false;
    };
    part(no_item, count_of(no_item, "vote with no item", "votes with no item"));
    part(no_worker, count_of(no_worker, "vote with no worker", "votes with no worker"));
    part(no_label, count_of(no_label, "vote with an empty label", "votes with an empty label"));
    part(outside, count_of(outside, "vote", "votes") + " whose label is not one of the problem's labels (e.g. \"" +
                      std::string(outside_example) + "\")");
    part(model_outside, count_of(model_outside, "model candidate", "model candidates") + " outside the problem's labels");
    part(model_unusable, count_of(model_unusable, "model prior", "model priors") + " with no item or no positive probability");
    ignored = std::move(m);
  }

  const std::size_t k = out.labels.size();
  if (k > options.max_labels)
    return sdk::Status::invalid_input("variable \"" + problem.variable + "\": " + std::to_string(k) +
                                      " labels, more than max_labels (" + std::to_string(options.max_labels) + ")");
  std::size_t cells_per_worker = 1;
  for (int p = 0; p < worker_power; ++p) cells_per_worker *= k;
  if (out.items.size() * k > kMaxCells || out.workers.size() * cells_per_worker > kMaxCells)
    return sdk::Status::invalid_input("variable \"" + problem.variable + "\": " + std::to_string(out.items.size()) +
                                      " items, " + std::to_string(out.workers.size()) + " workers and " +
                                      std::to_string(k) + " labels need more than " + std::to_string(kMaxCells) +
                                      " cells in one table; split the problem");

  // Group by item: offsets, then (unless already grouped) a stable counting sort, so that answers keep
  // their input order within an item.
  const std::size_t n_items = out.items.size(), n = item_of.size();
  out.begin.assign(n_items + 1, 0);
  for (const std::uint32_t i : item_of) ++out.begin[i + 1];
  for (std::size_t i = 0; i < n_items; ++i) out.begin[i + 1] += out.begin[i];
  if (!grouped) {
    std::vector<std::uint32_t> next(out.begin.begin(), out.begin.end() - 1), worker(n), label(n);
    std::vector<double> weight(n);
    for (std::size_t j = 0; j < n; ++j) {
      const std::uint32_t at = next[item_of[j]]++;
      worker[at] = out.worker[j];
      label[at] = out.label[j];
      weight[at] = out.weight[j];
    }
    out.worker.swap(worker);
    out.label.swap(label);
    out.weight.swap(weight);
  }
  out.worker_weight.assign(out.workers.size(), 0.0);
  for (std::size_t j = 0; j < n; ++j) out.worker_weight[out.worker[j]] += out.weight[j];
  out.total_weight = 0;
  for (const double w : out.weight) out.total_weight += w;
  return sdk::Status::ok();
}

void soft_majority_vote(const Dense& d, std::vector<double>& t) {
  const std::size_t k = d.k();
  t.assign(d.n_items() * k, 0.0);
  for (std::size_t i = 0; i < d.n_items(); ++i) {
    double* row = &t[i * k];
    double sum = 0;
    for (std::uint32_t j = d.begin[i]; j < d.begin[i + 1]; ++j) {
      row[d.label[j]] += d.weight[j];
      sum += d.weight[j];
    }
    for (std::size_t c = 0; c < k; ++c) row[c] /= sum;
  }
}

void hard_majority_vote(const Dense& d, std::vector<double>& t) {
  const std::size_t k = d.k();
  soft_majority_vote(d, t);
  for (std::size_t i = 0; i < d.n_items(); ++i) {
    double* row = &t[i * k];
    const double top = *std::max_element(row, row + k);
    std::size_t ties = 0;
    for (std::size_t c = 0; c < k; ++c) ties += row[c] == top ? 1 : 0;
    for (std::size_t c = 0; c < k; ++c) row[c] = row[c] == top ? 1.0 / static_cast<double>(ties) : 0.0;
  }
}

double normalize_log_row(double* row, std::size_t k) noexcept {
  double top = row[0];
  for (std::size_t c = 1; c < k; ++c) top = std::max(top, row[c]);
  double sum = 0;
  for (std::size_t c = 0; c < k; ++c) {
    row[c] = std::exp(row[c] - top);
    sum += row[c];
  }
  const double inv = 1.0 / sum;
  for (std::size_t c = 0; c < k; ++c) row[c] *= inv;
  return top + std::log(sum);
}

double digamma(double x) noexcept {
  double result = 0;
  while (x < 6) {
    result -= 1 / x;
    x += 1;
  }
  const double f = 1 / (x * x);
  return result + std::log(x) - 0.5 / x -
         f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
}

void append_posteriors(const Dense& d, const std::vector<double>& t, std::vector<sdk::Posterior>& out) {
  const std::size_t k = d.k();
  out.reserve(out.size() + d.n_items());
  std::vector<sdk::Candidate> candidates;
  for (std::size_t i = 0; i < d.n_items(); ++i) {
    candidates.clear();
    for (std::size_t c = 0; c < k; ++c)
      if (t[i * k + c] > 0) candidates.push_back({std::string(d.labels[c]), t[i * k + c]});
    out.push_back({std::string(d.items[i]), sdk::Distribution(candidates)});
  }
}

void append_worker_model(const Dense& d, std::size_t worker, std::vector<double> confusion,
                         std::vector<sdk::WorkerModel>& out) {
  const std::size_t k = d.k();
  for (std::size_t t = 0; t < k; ++t) {
    double sum = 0;
    for (std::size_t a = 0; a < k; ++a) sum += confusion[t * k + a];
    for (std::size_t a = 0; a < k; ++a) confusion[t * k + a] /= sum;
  }
  sdk::WorkerModel m;
  m.worker = std::string(d.workers[worker]);
  m.labels.reserve(k);
  for (const auto l : d.labels) m.labels.emplace_back(l);
  m.confusion = std::move(confusion);
  m.answers = d.worker_weight[worker];
  out.push_back(std::move(m));
}

CommonConfig read_common_config(const sdk::ConfigNode& c) {
  CommonConfig r;
  r.em.tolerance = c.get_double("tolerance", r.em.tolerance);
  r.em.max_iterations = static_cast<std::size_t>(c.get_int("max_iterations", 100));
  r.hard_init = c.get_string("init", "soft_majority_vote") == "majority_vote";
  r.prepare.model_as_worker = c.get_bool("model_as_worker", true);
  r.prepare.model_weight = c.get_double("model_weight", 1.0);
  r.prepare.model_worker = c.get_string("model_worker", "model");
  r.prepare.max_labels = static_cast<std::size_t>(c.get_int("max_labels", 256));
  return r;
}

void log_ignored(sdk::Services& services, const std::string& instance, const std::string& ignored) {
  if (!ignored.empty()) services.logger().log(sdk::LogLevel::warning, instance, ignored);
}

}  // namespace tandem::plugins::crowd
