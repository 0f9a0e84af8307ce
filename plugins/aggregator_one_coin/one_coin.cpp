#include "one_coin.hpp"

#include <cmath>
#include <cstdint>

namespace tandem::plugins {
namespace {

constexpr const char* kSchema = R"({
  "type": "object",
  "description": "One-coin Dawid–Skene: one accuracy per worker (errors spread evenly over the wrong labels) and class priors, fitted by EM.",
  "properties": {
    "smoothing": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000, "default": 0.01,
      "description": "Pseudo-count added to every answer cell of a worker (one right, K-1 wrong) and to every class count, so that no probability is 0."},
    )" TANDEM_CROWD_COMMON_SCHEMA_PROPERTIES R"(
  },
  "additionalProperties": false
})";

// The EM state: per worker its accuracy p, kept as log((1-p)/(K-1)) (any answer's "wrong" term) and
// log p − that (the extra for the answer that is the truth); log class priors.
class Model {
 public:
  Model(const crowd::Dense& d, double smoothing)
      : k_(d.k()), smoothing_(smoothing), accuracy_(d.n_workers()), wrong_(d.n_workers()), extra_(d.n_workers()),
        right_(d.n_workers()), logpi_(k_), prior_(k_) {}

  void m_step(const crowd::Dense& d, const std::vector<double>& t) {
    const std::size_t k = k_;
    std::fill(right_.begin(), right_.end(), 0.0);
    std::fill(prior_.begin(), prior_.end(), smoothing_);
    for (std::size_t i = 0; i < d.n_items(); ++i) {
      const double* row = &t[i * k];
      for (std::size_t c = 0; c < k; ++c) prior_[c] += row[c];
      for (std::uint32_t j = d.begin[i]; j < d.begin[i + 1]; ++j) right_[d.worker[j]] += d.weight[j] * row[d.label[j]];
    }
    const double kd = static_cast<double>(k);
    for (std::size_t w = 0; w < d.n_workers(); ++w) {
      const double p = (right_[w] + smoothing_) / (d.worker_weight[w] + kd * smoothing_);
      accuracy_[w] = p;
      wrong_[w] = std::log((1 - p) / (kd - 1));
      extra_[w] = std::log(p) - wrong_[w];
    }
    double total = 0;
    for (const double p : prior_) total += p;
    for (std::size_t c = 0; c < k; ++c) logpi_[c] = std::log(prior_[c] / total);
  }

  double e_step(const crowd::Dense& d, std::vector<double>& t) const {
    const std::size_t k = k_;
    double ll = 0;
    for (std::size_t i = 0; i < d.n_items(); ++i) {
      double* row = &t[i * k];
      for (std::size_t c = 0; c < k; ++c) row[c] = logpi_[c];
      double common = 0;  // the "wrong" terms, the same for every truth: they matter to the LL only
      for (std::uint32_t j = d.begin[i]; j < d.begin[i + 1]; ++j) {
        const std::uint32_t w = d.worker[j];
        common += d.weight[j] * wrong_[w];
        row[d.label[j]] += d.weight[j] * extra_[w];
      }
      ll += crowd::normalize_log_row(row, k) + common;
    }
    return ll;
  }

  std::vector<double> confusion(std::size_t w) const {
    const double wrong = (1 - accuracy_[w]) / static_cast<double>(k_ - 1);
    std::vector<double> m(k_ * k_, wrong);
    for (std::size_t c = 0; c < k_; ++c) m[c * k_ + c] = accuracy_[w];
    return m;
  }

 private:
  std::size_t k_;
  double smoothing_;
  std::vector<double> accuracy_, wrong_, extra_, right_, logpi_, prior_;
};

}  // namespace

OneCoin::OneCoin(const sdk::PluginContext& ctx)
    : services_(ctx.services()),
      instance_(ctx.instance_name()),
      config_(crowd::read_common_config(ctx.config())),
      smoothing_(ctx.config().get_double("smoothing", 0.01)) {}

sdk::Status OneCoin::on_aggregate_result(const sdk::AggregationProblem& problem, sdk::AggregationResult& out) {
  crowd::Dense d;
  std::string ignored;
  const sdk::Status s = crowd::prepare(problem, config_.prepare, 0, d, ignored);
  crowd::log_ignored(services_, instance_, ignored);
  if (!s.is_ok()) return s;
  std::vector<double> t;
  if (config_.hard_init) crowd::hard_majority_vote(d, t);
  else crowd::soft_majority_vote(d, t);
  if (d.k() == 1) {  // one label: nothing to infer; every worker is right
    crowd::append_posteriors(d, t, out.posteriors);
    for (std::size_t w = 0; w < d.n_workers(); ++w) crowd::append_worker_model(d, w, {1.0}, out.workers);
    out.iterations = 0;
    out.log_likelihood = 0;
    out.converged = true;
    return sdk::Status::ok();
  }
  Model model(d, smoothing_);
  crowd::run_em(d, model, config_.em, t, out);
  crowd::append_posteriors(d, t, out.posteriors);
  for (std::size_t w = 0; w < d.n_workers(); ++w) crowd::append_worker_model(d, w, model.confusion(w), out.workers);
  return sdk::Status::ok();
}

}  // namespace tandem::plugins

TANDEM_PLUGIN(tandem::plugins::OneCoin, .name = "tandem.aggregator.one_coin", .version = "0.1.0", .status = "alpha",
              .summary = "One-coin Dawid–Skene EM: one accuracy per worker (the model too), class priors",
              .config_schema = tandem::plugins::kSchema, .thread_safe = true);
