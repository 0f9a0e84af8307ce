#include "dawid_skene.hpp"

#include <cmath>
#include <cstdint>

namespace tandem::plugins {
namespace {

constexpr const char* kSchema = R"({
  "type": "object",
  "description": "Dawid–Skene (1979): a confusion matrix per worker and class priors, fitted by EM from majority vote.",
  "properties": {
    "smoothing": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000, "default": 1e-6,
      "description": "Pseudo-count added to every cell of every confusion matrix and to every class count, so that no probability is 0."},
    "stopping": {"enum": ["answer_elbo", "log_likelihood"], "default": "answer_elbo",
      "description": "answer_elbo: crowd-kit 1.x's rule, stop as soon as the per-answer ELBO (class prior counted once per answer) rises by less than `tolerance`; it is not monotone and stops early on redundant sets, which regularises. log_likelihood: stop when the marginal log-likelihood per answer changes by less than `tolerance` (EM to convergence)."},
    )" TANDEM_CROWD_COMMON_SCHEMA_PROPERTIES R"(
  },
  "additionalProperties": false
})";

// The EM state: log P(answer a | truth k) stored as logc[(w*K + a)*K + k] (the K truths of one answer
// side by side, which is what the E-step reads per answer), and log class priors.
class Model {
 public:
  Model(const crowd::Dense& d, double smoothing)
      : k_(d.k()), smoothing_(smoothing), logc_(d.n_workers() * k_ * k_), count_(logc_.size()), logpi_(k_),
        prior_(k_), row_sum_(d.n_workers() * k_) {}

  void m_step(const crowd::Dense& d, const std::vector<double>& t) {
    const std::size_t k = k_;
    std::fill(count_.begin(), count_.end(), smoothing_);
    std::fill(prior_.begin(), prior_.end(), smoothing_);
    for (std::size_t i = 0; i < d.n_items(); ++i) {
      const double* row = &t[i * k];
      for (std::size_t c = 0; c < k; ++c) prior_[c] += row[c];
      for (std::uint32_t j = d.begin[i]; j < d.begin[i + 1]; ++j) {
        double* cell = &count_[(static_cast<std::size_t>(d.worker[j]) * k + d.label[j]) * k];
        const double w = d.weight[j];
        for (std::size_t c = 0; c < k; ++c) cell[c] += w * row[c];
      }
    }
    std::fill(row_sum_.begin(), row_sum_.end(), 0.0);
    for (std::size_t w = 0; w < d.n_workers(); ++w)
      for (std::size_t a = 0; a < k; ++a)
        for (std::size_t c = 0; c < k; ++c) row_sum_[w * k + c] += count_[(w * k + a) * k + c];
    for (std::size_t w = 0; w < d.n_workers(); ++w)
      for (std::size_t a = 0; a < k; ++a)
        for (std::size_t c = 0; c < k; ++c)
          logc_[(w * k + a) * k + c] = std::log(count_[(w * k + a) * k + c] / row_sum_[w * k + c]);
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
      for (std::uint32_t j = d.begin[i]; j < d.begin[i + 1]; ++j) {
        const double* lc = &logc_[(static_cast<std::size_t>(d.worker[j]) * k + d.label[j]) * k];
        const double w = d.weight[j];
        for (std::size_t c = 0; c < k; ++c) row[c] += w * lc[c];
      }
      ll += crowd::normalize_log_row(row, k);
    }
    return ll;
  }

  // The per-answer "ELBO" of crowd::Stopping::answer_elbo, under the current parameters.
  double per_answer_objective(const crowd::Dense& d, const std::vector<double>& t) const {
    const std::size_t k = k_;
    double sum = 0;
    for (std::size_t i = 0; i < d.n_items(); ++i) {
      const double* row = &t[i * k];
      for (std::uint32_t j = d.begin[i]; j < d.begin[i + 1]; ++j) {
        const double* lc = &logc_[(static_cast<std::size_t>(d.worker[j]) * k + d.label[j]) * k];
        double e = 0;
        for (std::size_t c = 0; c < k; ++c) e += row[c] * (lc[c] + logpi_[c]);
        sum += d.weight[j] * e;
      }
      for (std::size_t c = 0; c < k; ++c)
        if (row[c] > 0) sum -= row[c] * std::log(row[c]);
    }
    return sum / d.total_weight;
  }

  // The confusion matrix of worker `w`, rows = truth.
  std::vector<double> confusion(std::size_t w) const {
    std::vector<double> m(k_ * k_);
    for (std::size_t c = 0; c < k_; ++c)
      for (std::size_t a = 0; a < k_; ++a) m[c * k_ + a] = std::exp(logc_[(w * k_ + a) * k_ + c]);
    return m;
  }

 private:
  std::size_t k_;
  double smoothing_;
  std::vector<double> logc_, count_, logpi_, prior_, row_sum_;
};

}  // namespace

DawidSkene::DawidSkene(const sdk::PluginContext& ctx)
    : services_(ctx.services()),
      instance_(ctx.instance_name()),
      config_(crowd::read_common_config(ctx.config())),
      smoothing_(ctx.config().get_double("smoothing", 1e-6)),
      stopping_(ctx.config().get_string("stopping", "answer_elbo") == "log_likelihood" ? crowd::Stopping::log_likelihood
                                                                                       : crowd::Stopping::answer_elbo) {}

sdk::Status DawidSkene::on_aggregate_result(const sdk::AggregationProblem& problem, sdk::AggregationResult& out) {
  crowd::Dense d;
  std::string ignored;
  const sdk::Status s = crowd::prepare(problem, config_.prepare, 2, d, ignored);
  crowd::log_ignored(services_, instance_, ignored);
  if (!s.is_ok()) return s;
  std::vector<double> t;
  if (config_.hard_init) crowd::hard_majority_vote(d, t);
  else crowd::soft_majority_vote(d, t);
  Model model(d, smoothing_);
  crowd::run_em(d, model, config_.em, t, out, stopping_);
  crowd::append_posteriors(d, t, out.posteriors);
  for (std::size_t w = 0; w < d.n_workers(); ++w) crowd::append_worker_model(d, w, model.confusion(w), out.workers);
  return sdk::Status::ok();
}

}  // namespace tandem::plugins

TANDEM_PLUGIN(tandem::plugins::DawidSkene, .name = "tandem.aggregator.dawid_skene", .version = "0.1.0",
              .status = "alpha", .summary = "Dawid–Skene EM: a confusion matrix per worker (the model too), class priors",
              .config_schema = tandem::plugins::kSchema, .thread_safe = true);
