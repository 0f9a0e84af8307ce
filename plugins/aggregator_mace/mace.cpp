#include "mace.hpp"

#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <utility>

namespace tandem::plugins {
namespace {

constexpr const char* kSchema = R"({
  "type": "object",
  "description": "MACE (Hovy et al. 2013): each worker knows the answer with probability theta, else answers from their own label distribution; variational Bayes or EM.",
  "properties": {
    "training": {"enum": ["variational", "em"], "default": "variational",
      "description": "variational: variational Bayes with the priors below (the paper's default); em: maximum likelihood with `smoothing`."},
    "alpha": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000, "default": 0.5,
      "description": "Variational: the Beta prior's pseudo-count for knowing (competence)."},
    "beta": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000, "default": 0.5,
      "description": "Variational: the Beta prior's pseudo-count for spamming."},
    "strategy_prior": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000, "default": 10,
      "description": "Variational: the symmetric Dirichlet prior's pseudo-count per label of a spammer's answer distribution."},
    "smoothing": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000, "default": 0.01,
      "description": "EM: pseudo-count added to every expected count, so that no probability is 0."},
    "restarts": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 10,
      "description": "Runs of EM: the first from `init`, the others from random posteriors; the run with the highest log-likelihood wins."},
    "seed": {"type": "integer", "minimum": 0, "default": 0,
      "description": "Seed of the random starts (the same seed gives the same result)."},
    )" TANDEM_CROWD_COMMON_SCHEMA_PROPERTIES R"(
  },
  "additionalProperties": false
})";

struct Priors {
  bool variational;
  double alpha, beta, strategy, smoothing;
};

// The EM state per worker w: know_[w] ~ θ, spam_[w] ~ 1 − θ, xi_[w*K + a] ~ ξ(a) (under variational Bayes
// the exponentiated expected logs, which need not sum to 1). From them, per (worker, answer a):
// base = log(spam·ξ(a)), the likelihood of a when the truth is not a, and extra = log(know + spam·ξ(a)) −
// base, added when the truth is a; share = know / (know + spam·ξ(a)), the chance a right answer was known.
class Model {
 public:
  Model(const crowd::Dense& d, const Priors& priors)
      : k_(d.k()), priors_(priors), know_(d.n_workers()), spam_(d.n_workers()), xi_(d.n_workers() * k_),
        c_know_(d.n_workers()), c_spam_(d.n_workers()), c_xi_(xi_.size()), base_(xi_.size()), extra_(xi_.size()),
        share_(xi_.size()) {}

  void m_step(const crowd::Dense& d, const std::vector<double>& t) {
    const std::size_t k = k_;
    std::fill(c_know_.begin(), c_know_.end(), 0.0);
    std::fill(c_spam_.begin(), c_spam_.end(), 0.0);
    std::fill(c_xi_.begin(), c_xi_.end(), 0.0);
    for (std::size_t i = 0; i < d.n_items(); ++i) {
      const double* row = &t[i * k];
      for (std::uint32_t j = d.begin[i]; j < d.begin[i + 1]; ++j) {
        const std::size_t w = d.worker[j];
        const std::size_t a = d.label[j];
        // Known only if the truth is a and the worker knew it; otherwise spammed.
        const double known = d.weight[j] * row[a] * (first_ ? 1.0 : share_[w * k + a]);
        c_know_[w] += known;
        c_spam_[w] += d.weight[j] - known;
        c_xi_[w * k + a] += d.weight[j] - known;
      }
    }
    first_ = false;
    const double kd = static_cast<double>(k);
    for (std::size_t w = 0; w < d.n_workers(); ++w) {
      double xi_total = 0;
      for (std::size_t a = 0; a < k; ++a) xi_total += c_xi_[w * k + a];
      if (priors_.variational) {
        const double all = crowd::digamma(c_know_[w] + c_spam_[w] + priors_.alpha + priors_.beta);
        know_[w] = std::exp(crowd::digamma(c_know_[w] + priors_.alpha) - all);
        spam_[w] = std::exp(crowd::digamma(c_spam_[w] + priors_.beta) - all);
        const double xi_all = crowd::digamma(xi_total + kd * priors_.strategy);
        for (std::size_t a = 0; a < k; ++a)
          xi_[w * k + a] = std::exp(crowd::digamma(c_xi_[w * k + a] + priors_.strategy) - xi_all);
      } else {
        const double s = priors_.smoothing;
        know_[w] = (c_know_[w] + s) / (c_know_[w] + c_spam_[w] + 2 * s);
        spam_[w] = 1 - know_[w];
        for (std::size_t a = 0; a < k; ++a) xi_[w * k + a] = (c_xi_[w * k + a] + s) / (xi_total + kd * s);
      }
      for (std::size_t a = 0; a < k; ++a) {
        const double guess = spam_[w] * xi_[w * k + a];
        base_[w * k + a] = std::log(guess);
        extra_[w * k + a] = std::log(know_[w] + guess) - base_[w * k + a];
        share_[w * k + a] = know_[w] / (know_[w] + guess);
      }
    }
  }

  double e_step(const crowd::Dense& d, std::vector<double>& t) const {
    const std::size_t k = k_;
    const double log_uniform = -std::log(static_cast<double>(k));
    double ll = 0;
    for (std::size_t i = 0; i < d.n_items(); ++i) {
      double* row = &t[i * k];
      for (std::size_t c = 0; c < k; ++c) row[c] = log_uniform;
      double common = 0;
      for (std::uint32_t j = d.begin[i]; j < d.begin[i + 1]; ++j) {
        const std::size_t wa = static_cast<std::size_t>(d.worker[j]) * k + d.label[j];
        common += d.weight[j] * base_[wa];
        row[d.label[j]] += d.weight[j] * extra_[wa];
      }
      ll += crowd::normalize_log_row(row, k) + common;
    }
    return ll;
  }

  // P(a | t) = θ·[a = t] + (1 − θ)·ξ(a), with θ and ξ at their point estimates (posterior means under
  // variational Bayes).
  std::vector<double> confusion(std::size_t w) const {
    const std::size_t k = k_;
    const double kd = static_cast<double>(k);
    double theta, xi_total = 0;
    std::vector<double> xi(k);
    for (std::size_t a = 0; a < k; ++a) xi_total += c_xi_[w * k + a];
    if (priors_.variational) {
      theta = (c_know_[w] + priors_.alpha) / (c_know_[w] + c_spam_[w] + priors_.alpha + priors_.beta);
      for (std::size_t a = 0; a < k; ++a) xi[a] = (c_xi_[w * k + a] + priors_.strategy) / (xi_total + kd * priors_.strategy);
    } else {
      theta = know_[w];
      for (std::size_t a = 0; a < k; ++a) xi[a] = xi_[w * k + a];
    }
    std::vector<double> m(k * k);
    for (std::size_t c = 0; c < k; ++c)
      for (std::size_t a = 0; a < k; ++a) m[c * k + a] = (a == c ? theta : 0.0) + (1 - theta) * xi[a];
    return m;
  }

 private:
  std::size_t k_;
  Priors priors_;
  bool first_ = true;  // the first M-step has no shares yet: an answer that agrees with the start counts as known
  std::vector<double> know_, spam_, xi_, c_know_, c_spam_, c_xi_, base_, extra_, share_;
};

}  // namespace

Mace::Mace(const sdk::PluginContext& ctx)
    : services_(ctx.services()),
      instance_(ctx.instance_name()),
      config_(crowd::read_common_config(ctx.config())),
      variational_(ctx.config().get_string("training", "variational") == "variational"),
      alpha_(ctx.config().get_double("alpha", 0.5)),
      beta_(ctx.config().get_double("beta", 0.5)),
      strategy_prior_(ctx.config().get_double("strategy_prior", 10.0)),
      smoothing_(ctx.config().get_double("smoothing", 0.01)),
      restarts_(static_cast<std::size_t>(ctx.config().get_int("restarts", 10))),
      seed_(static_cast<std::uint64_t>(ctx.config().get_int("seed", 0))) {}

sdk::Status Mace::on_aggregate_result(const sdk::AggregationProblem& problem, sdk::AggregationResult& out) {
  crowd::Dense d;
  std::string ignored;
  const sdk::Status s = crowd::prepare(problem, config_.prepare, 1, d, ignored);
  crowd::log_ignored(services_, instance_, ignored);
  if (!s.is_ok()) return s;
  const Priors priors{variational_, alpha_, beta_, strategy_prior_, smoothing_};
  // Restart 0 starts from `init`, the others from random posteriors (uniform in [0, 1), normalised;
  // doubles from the raw 64-bit engine, so the same seed gives the same bits everywhere).
  std::mt19937_64 rng(seed_);
  std::vector<double> best_t, t;
  std::vector<double> start;
  std::unique_ptr<Model> best;
  sdk::AggregationResult best_run;
  for (std::size_t r = 0; r < restarts_; ++r) {
    if (r == 0) {
      if (config_.hard_init) crowd::hard_majority_vote(d, t);
      else crowd::soft_majority_vote(d, t);
    } else {
      const std::size_t k = d.k();
      t.assign(d.n_items() * k, 0.0);
      for (std::size_t i = 0; i < d.n_items(); ++i) {
        double sum = 0;
        for (std::size_t c = 0; c < k; ++c) sum += t[i * k + c] = static_cast<double>(rng() >> 11) * 0x1.0p-53 + 1e-9;
        for (std::size_t c = 0; c < k; ++c) t[i * k + c] /= sum;
      }
    }
    auto model = std::make_unique<Model>(d, priors);
    sdk::AggregationResult run;
    crowd::run_em(d, *model, config_.em, t, run);
    if (!best || run.log_likelihood > best_run.log_likelihood) {
      best = std::move(model);
      best_run = run;
      best_t.swap(t);
    }
  }
  out.iterations = best_run.iterations;
  out.log_likelihood = best_run.log_likelihood;
  out.converged = best_run.converged;
  crowd::append_posteriors(d, best_t, out.posteriors);
  for (std::size_t w = 0; w < d.n_workers(); ++w) crowd::append_worker_model(d, w, best->confusion(w), out.workers);
  return sdk::Status::ok();
}

}  // namespace tandem::plugins

TANDEM_PLUGIN(tandem::plugins::Mace, .name = "tandem.aggregator.mace", .version = "0.1.0", .status = "alpha",
              .summary = "MACE (Hovy et al. 2013): per worker a competence and a guessing distribution (the model too)",
              .config_schema = tandem::plugins::kSchema, .thread_safe = true);
