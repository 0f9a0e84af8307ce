// The human-in-the-loop simulation of shared/eval/crowd/SIMULATION.md (see tandem/simulation.hpp).
//
// One seed builds one world: a class prior, N items (truth, difficulty, the model's logits), a held-out
// set that fixes the model's temperature, a pool of M workers with hidden confusion matrices, and G gold
// items. Every policy then labels the same items; a worker's answer on an item is one draw of the stream
// ("answers", item, worker), whoever asks. Figures are averaged over the seeds with a 95% interval.
#include "tandem/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "hitl/random.hpp"
#include "pipeline/schema.hpp"
#include "pipeline/yaml_reader.hpp"

namespace tandem::sim {
namespace {

using detail::hitl::Stream;

// ---------------------------------------------------------------------------------------------- spec
constexpr const char* kSpecSchema = R"({
  "type": "object",
  "properties": {
    "seeds": {"type": "object", "properties": {
      "first": {"type": "integer", "minimum": 0, "default": 1},
      "count": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 20}}},
    "items": {"type": "integer", "minimum": 10, "maximum": 10000000, "default": 10000},
    "classes": {"type": "integer", "minimum": 2, "maximum": 64, "default": 4},
    "prior": {"type": "object", "properties": {
      "dirichlet_alpha": {"type": "number", "exclusiveMinimum": 0, "default": 2},
      "skewed": {"type": "array", "items": {"type": "number", "minimum": 0}, "minItems": 2}}},
    "model": {"type": "object", "properties": {
      "signal": {"type": "number", "minimum": 0, "default": 3},
      "noise": {"type": "number", "exclusiveMinimum": 0, "default": 1},
      "beta": {"type": "number", "minimum": 0, "default": 1},
      "calibration": {"enum": ["calibrated", "over", "under"], "default": "calibrated"},
      "heldout_items": {"type": "integer", "minimum": 10, "default": 1000},
      "audit_share": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.02}}},
    "workers": {"type": "object", "properties": {
      "count": {"type": "integer", "minimum": 2, "maximum": 1000000, "default": 200},
      "types": {"type": "object", "additionalProperties": {"type": "object", "properties": {
        "share": {"type": "number", "minimum": 0, "maximum": 1},
        "cost": {"type": "number", "minimum": 0}}, "required": ["share"]}},
      "expert_answer_cap": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.1},
      "min_accuracy": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.6}}},
    "gold": {"type": "object", "properties": {
      "items": {"type": "integer", "minimum": 0, "default": 200},
      "rate": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.05}}},
    "refit": {"type": "object", "properties": {
      "window": {"type": "integer", "minimum": 1, "default": 2000},
      "every": {"type": "integer", "minimum": 1, "default": 500}}},
    "budget": {"type": "object", "properties": {
      "answers": {"type": "integer", "minimum": 1, "maximum": 100, "default": 7},
      "cost": {"type": "number", "exclusiveMinimum": 0, "default": 10}}},
    "thresholds": {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0, "maximum": 1}, "minItems": 1},
    "policies": {"type": "array", "minItems": 1, "uniqueItems": true, "items": {
      "enum": ["mv3", "mv5", "ds3", "ds5", "model_only", "adaptive", "escalating", "voi", "model_worker"]}}
  }
})";

const std::vector<std::string>& type_names() {
  static const std::vector<std::string> names = {"expert", "good", "sloppy", "uniform_spammer", "biased_spammer",
                                                 "adversarial"};
  return names;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

SpecResult parse_spec(const std::string& text, const std::string& file_name) {
  SpecResult out;
  sdk::ConfigErrors errors;
  const auto doc = detail::parse_yaml_document(text, file_name, errors);
  const auto schema = detail::ConfigSchema::parse(kSpecSchema);
  if (!schema.is_ok()) {
    out.errors.push_back("internal error: the simulation spec schema: " + schema.status().message());
    return out;
  }
  sdk::ConfigNode root;
  if (doc) root = detail::to_config_node(*doc, text, file_name, errors);
  const bool parsed = errors.empty();
  if (parsed) root = schema.value()->check(root, errors);
  Spec spec;
  if (parsed) {  // every key is read, so that one run reports every problem
    const auto node = [&](std::string_view a, std::string_view b = {}) -> const sdk::ConfigNode* {
      const sdk::ConfigNode* n = root.find(a);
      return n != nullptr && !b.empty() ? n->find(b) : n;
    };
    const auto num = [&](std::string_view a, std::string_view b, double fallback) {
      const sdk::ConfigNode* n = node(a, b);
      return n != nullptr ? n->as_double().value_or(fallback) : fallback;
    };
    const auto integer = [&](std::string_view a, std::string_view b, std::int64_t fallback) {
      const sdk::ConfigNode* n = node(a, b);
      return n != nullptr ? n->as_int().value_or(fallback) : fallback;
    };
    spec.first_seed = static_cast<std::uint64_t>(integer("seeds", "first", 1));
    spec.seeds = static_cast<int>(integer("seeds", "count", 20));
    spec.items = static_cast<int>(integer("items", {}, 10000));
    spec.classes = static_cast<int>(integer("classes", {}, 4));
    spec.prior_alpha = num("prior", "dirichlet_alpha", 2);
    if (const sdk::ConfigNode* s = node("prior", "skewed")) {
      double sum = 0;
      for (const auto& v : s->items()) sum += v.as_double().value_or(0);
      for (const auto& v : s->items()) spec.skewed_prior.push_back(sum > 0 ? v.as_double().value_or(0) / sum : 0);
      if (static_cast<int>(spec.skewed_prior.size()) != spec.classes || sum <= 0)
        errors.add(*s, "expected " + std::to_string(spec.classes) + " non-negative weights (one per class, not all 0), got " +
                           std::to_string(spec.skewed_prior.size()));
    }
    spec.model_signal = num("model", "signal", 3);
    spec.model_noise = num("model", "noise", 1);
    spec.model_beta = num("model", "beta", 1);
    if (const sdk::ConfigNode* c = node("model", "calibration")) spec.calibration = c->scalar();
    spec.heldout_items = static_cast<int>(integer("model", "heldout_items", 1000));
    spec.audit_share = num("model", "audit_share", 0.02);
    spec.workers = static_cast<int>(integer("workers", "count", 200));
    spec.expert_answer_cap = num("workers", "expert_answer_cap", 0.1);
    spec.min_worker_accuracy = num("workers", "min_accuracy", 0.6);
    if (const sdk::ConfigNode* types = node("workers", "types")) {
      std::vector<WorkerType> pool;
      double sum = 0;
      for (const auto& entry : types->entries()) {
        const std::string& name = entry.key.scalar();
        const sdk::ConfigNode& t = entry.value;
        const auto& names = type_names();
        if (std::find(names.begin(), names.end(), name) == names.end()) {
          std::string list;
          for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
          errors.add(entry.key, "unknown worker type \"" + name + "\"" + sdk::did_you_mean(name, names) + " (known: " + list + ")");
          sum += t.get_double("share", 0);  // one error for one mistake: the shares still add up
          continue;
        }
        WorkerType w{name, t.get_double("share", 0), t.get_double("cost", name == "expert" ? 5.0 : 1.0)};
        sum += w.share;
        pool.push_back(w);
      }
      if (std::abs(sum - 1.0) > 1e-6) errors.add(*types, "expected worker type shares that sum to 1, got " + number(sum));
      spec.pool = pool;
    }
    spec.gold_items = static_cast<int>(integer("gold", "items", 200));
    spec.gold_rate = num("gold", "rate", 0.05);
    if (spec.gold_items >= spec.items) {
      if (const sdk::ConfigNode* g = node("gold", "items"))
        errors.add(*g, "expected fewer gold items than items (" + std::to_string(spec.items) + "), got " +
                           std::to_string(spec.gold_items));
    }
    spec.window = static_cast<int>(integer("refit", "window", 2000));
    spec.refit_every = static_cast<int>(integer("refit", "every", 500));
    spec.max_answers = static_cast<int>(integer("budget", "answers", 7));
    spec.max_cost = num("budget", "cost", 10);
    if (const sdk::ConfigNode* t = node("thresholds")) {
      spec.thresholds.clear();
      for (const auto& v : t->items()) spec.thresholds.push_back(v.as_double().value_or(0.95));
    }
    if (const sdk::ConfigNode* p = node("policies")) {
      spec.policies.clear();
      for (const auto& v : p->items()) spec.policies.push_back(v.scalar());
    }
  }
  errors.sort();
  for (const auto& e : errors.all())
    out.errors.push_back(e.mark.file + ":" + std::to_string(e.mark.line) + ":" + std::to_string(e.mark.column) +
                         ": error: " + (e.path.empty() ? "" : e.path + ": ") + e.message);
  if (out.errors.empty()) out.spec = spec;
  return out;
}

SpecResult read_spec(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    SpecResult out;
    out.errors.push_back(file.string() + ": error: cannot open the simulation spec");
    return out;
  }
  std::stringstream text;
  text << in.rdbuf();
  return parse_spec(text.str(), file.string());
}

namespace {

// ---------------------------------------------------------------------------------------------- world
struct Worker {
  int type = 0;   // index into type_names()
  double cost = 1;
  bool expert = false;
  std::vector<double> confusion;  // K×K, row = truth
};

struct World {
  int k = 0;
  std::vector<double> prior;
  std::vector<int> truth;
  std::vector<double> difficulty;
  std::vector<double> model;   // N×K tempered probabilities
  std::vector<bool> gold;
  std::vector<int> gold_list;
  std::vector<Worker> workers;
  std::vector<int> non_experts, experts;
  double temperature = 1;
};

void softmax(const double* z, double t, int k, double* out) {
  double m = z[0] / t;
  for (int c = 1; c < k; ++c) m = std::max(m, z[c] / t);
  double sum = 0;
  for (int c = 0; c < k; ++c) sum += out[c] = std::exp(z[c] / t - m);
  for (int c = 0; c < k; ++c) out[c] /= sum;
}

// The model's logits for one item (§3).
void logits(const Spec& s, std::uint64_t seed, std::string_view stream, int i, int y, double d, double* z) {
  Stream r(seed, stream, static_cast<std::uint64_t>(i));
  for (int c = 0; c < s.classes; ++c) z[c] = s.model_noise * r.normal();
  z[y] += s.model_beta * (1 - d) * s.model_signal;
}

// The temperature that minimises the negative log-likelihood on held-out items (golden-section on log T).
double calibrate(const Spec& s, std::uint64_t seed, const std::vector<double>& prior) {
  const int k = s.classes;
  const int n = s.heldout_items;
  std::vector<double> z(static_cast<std::size_t>(n * k));
  std::vector<int> y(static_cast<std::size_t>(n));
  Stream items(seed, "heldout");
  for (int i = 0; i < n; ++i) {
    y[static_cast<std::size_t>(i)] = static_cast<int>(items.categorical(prior.data(), static_cast<std::size_t>(k)));
    const double d = items.beta(2, 5);
    logits(s, seed, "heldout_model", i, y[static_cast<std::size_t>(i)], d, &z[static_cast<std::size_t>(i * k)]);
  }
  std::vector<double> p(static_cast<std::size_t>(k));
  const auto nll = [&](double log_t) {
    const double t = std::exp(log_t);
    double sum = 0;
    for (int i = 0; i < n; ++i) {
      softmax(&z[static_cast<std::size_t>(i * k)], t, k, p.data());
      sum -= std::log(std::max(p[static_cast<std::size_t>(y[static_cast<std::size_t>(i)])], 1e-300));
    }
    return sum;
  };
  double a = std::log(0.05), b = std::log(20.0);
  const double g = (std::sqrt(5.0) - 1) / 2;
  double c = b - g * (b - a), d = a + g * (b - a);
  double fc = nll(c), fd = nll(d);
  for (int it = 0; it < 80 && b - a > 1e-6; ++it) {
    if (fc < fd) {
      b = d, d = c, fd = fc, c = b - g * (b - a), fc = nll(c);
    } else {
      a = c, c = d, fc = fd, d = a + g * (b - a), fd = nll(d);
    }
  }
  return std::exp((a + b) / 2);
}

World build_world(const Spec& s, std::uint64_t seed) {
  World w;
  const int k = w.k = s.classes;
  if (!s.skewed_prior.empty()) {
    w.prior = s.skewed_prior;
  } else {
    Stream r(seed, "prior");
    w.prior = r.dirichlet(std::vector<double>(static_cast<std::size_t>(k), s.prior_alpha));
  }
  const double t_cal = calibrate(s, seed, w.prior);
  w.temperature = s.calibration == "over" ? t_cal * 0.5 : s.calibration == "under" ? t_cal * 2 : t_cal;
  const auto n = static_cast<std::size_t>(s.items);
  w.truth.resize(n);
  w.difficulty.resize(n);
  w.model.resize(n * static_cast<std::size_t>(k));
  Stream items(seed, "items");
  std::vector<double> z(static_cast<std::size_t>(k));
  for (std::size_t i = 0; i < n; ++i) {
    w.truth[i] = static_cast<int>(items.categorical(w.prior.data(), static_cast<std::size_t>(k)));
    w.difficulty[i] = items.beta(2, 5);
    logits(s, seed, "model", static_cast<int>(i), w.truth[i], w.difficulty[i], z.data());
    softmax(z.data(), w.temperature, k, &w.model[i * static_cast<std::size_t>(k)]);
  }
  // Gold: G items chosen without replacement.
  w.gold.assign(n, false);
  Stream g(seed, "gold");
  while (static_cast<int>(w.gold_list.size()) < s.gold_items) {
    const std::size_t i = g.below(n);
    if (!w.gold[i]) w.gold[i] = true, w.gold_list.push_back(static_cast<int>(i));
  }
  // The pool: each type's share of M, rounded; the rest goes to the largest type.
  Stream pool(seed, "pool");
  std::vector<int> types;
  for (std::size_t t = 0; t < s.pool.size(); ++t)
    for (int j = 0; j < static_cast<int>(std::lround(s.pool[t].share * s.workers)); ++j) types.push_back(static_cast<int>(t));
  std::size_t largest = 0;
  for (std::size_t t = 1; t < s.pool.size(); ++t)
    if (s.pool[t].share > s.pool[largest].share) largest = t;
  while (static_cast<int>(types.size()) < s.workers) types.push_back(static_cast<int>(largest));
  types.resize(static_cast<std::size_t>(s.workers));
  const auto kk = static_cast<std::size_t>(k);
  for (int type_index : types) {
    const WorkerType& wt = s.pool[static_cast<std::size_t>(type_index)];
    const auto& names = type_names();
    const int type = static_cast<int>(std::find(names.begin(), names.end(), wt.name) - names.begin());
    Worker wk;
    wk.type = type;
    wk.cost = wt.cost;
    wk.expert = wt.name == "expert";
    wk.confusion.assign(kk * kk, 0);
    const auto spread = [&](std::size_t row, double diag) {
      wk.confusion[row * kk + row] = diag;
      const auto off = pool.dirichlet(std::vector<double>(kk - 1, 1.0));
      for (std::size_t c = 0, j = 0; c < kk; ++c)
        if (c != row) wk.confusion[row * kk + c] = (1 - diag) * off[j++];
    };
    for (std::size_t row = 0; row < kk; ++row) {
      if (wt.name == "expert") spread(row, pool.beta(40, 2));
      else if (wt.name == "good") spread(row, pool.beta(12, 3));
      else if (wt.name == "sloppy") spread(row, pool.beta(4, 4));
      else if (wt.name == "uniform_spammer")
        for (std::size_t c = 0; c < kk; ++c) wk.confusion[row * kk + c] = 1.0 / static_cast<double>(kk);
      else if (wt.name == "adversarial") {
        // Most of the off-diagonal mass on one confusable class of each row.
        const double diag = pool.beta(2, 12);
        std::size_t other = pool.below(kk - 1);
        if (other >= row) ++other;
        for (std::size_t c = 0; c < kk; ++c) {
          if (c == row) wk.confusion[row * kk + c] = diag;
          else if (c == other) wk.confusion[row * kk + c] = (1 - diag) * (kk > 2 ? 0.9 : 1.0);
          else wk.confusion[row * kk + c] = (1 - diag) * 0.1 / static_cast<double>(kk - 2);
        }
      }
    }
    if (wt.name == "biased_spammer") {
      const std::size_t fav = pool.below(kk);
      for (std::size_t row = 0; row < kk; ++row)
        for (std::size_t c = 0; c < kk; ++c)
          wk.confusion[row * kk + c] = c == fav ? 0.9 : 0.1 / static_cast<double>(kk - 1);
    }
    (wk.expert ? w.experts : w.non_experts).push_back(static_cast<int>(w.workers.size()));
    w.workers.push_back(std::move(wk));
  }
  return w;
}

// Worker w's answer on item i: the same draw for every policy (common random numbers).
int answer(const World& w, std::uint64_t seed, int item, int worker) {
  Stream r(seed, "answers", static_cast<std::uint64_t>(item), static_cast<std::uint64_t>(worker));
  const auto k = static_cast<std::size_t>(w.k);
  const double d = w.difficulty[static_cast<std::size_t>(item)];
  const double* row = &w.workers[static_cast<std::size_t>(worker)].confusion[static_cast<std::size_t>(w.truth[static_cast<std::size_t>(item)]) * k];
  std::vector<double> p(k);
  for (std::size_t c = 0; c < k; ++c) p[c] = (1 - d) * row[c] + d / static_cast<double>(k);
  return static_cast<int>(r.categorical(p.data(), k));
}

// ---------------------------------------------------------------------------------------------- outcomes
struct Outcome {
  int label = 0;
  std::vector<double> posterior;
  int answers = 0;
  double cost = 0;
  bool unresolved = false;
  bool nobody_left = false;    // stopped because no eligible worker was left to ask (below tau: unresolved too)
  bool auto_accepted = false;  // accepted on the model's word, with no person asked
  int expert_answers = 0;
};

// One seed's worker-model quality for one worker type (see WorkerTypeReport); NaN where undefined.
struct TypeFigures {
  double diag_error = std::nan(""), diag_error_effective = std::nan(""), excluded = std::nan(""),
         answers_before = std::nan(""), answers = std::nan("");
};

struct SeedFigures {
  double accuracy = 0, answers = 0, cost = 0, auto_share = 0, auto_acc = 0, routed_acc = 0, unresolved = 0,
         unresolved_acc = 0, nobody_left = 0, expert_share = 0, ece = 0, confident_acc = 0;
  std::vector<double> histogram;
  std::vector<TypeFigures> types;  // indexed like type_names(); empty for policies without worker estimates
};

double ece15(const std::vector<double>& conf, const std::vector<bool>& correct) {
  constexpr int kBins = 15;
  std::vector<double> c(kBins, 0), a(kBins, 0), n(kBins, 0);
  for (std::size_t i = 0; i < conf.size(); ++i) {
    const int b = std::min(kBins - 1, static_cast<int>(conf[i] * kBins));
    c[static_cast<std::size_t>(b)] += conf[i];
    a[static_cast<std::size_t>(b)] += correct[i] ? 1 : 0;
    n[static_cast<std::size_t>(b)] += 1;
  }
  double e = 0;
  for (int b = 0; b < kBins; ++b)
    if (n[static_cast<std::size_t>(b)] > 0)
      e += std::abs(a[static_cast<std::size_t>(b)] - c[static_cast<std::size_t>(b)]);
  return conf.empty() ? 0 : e / static_cast<double>(conf.size());
}

SeedFigures figures(const Spec& s, const World& w, const std::vector<Outcome>& out, double tau) {
  SeedFigures f;
  f.histogram.assign(static_cast<std::size_t>(s.max_answers + 1), 0);
  double n = 0, correct = 0, auto_n = 0, auto_ok = 0, routed_n = 0, routed_ok = 0, conf_n = 0, conf_ok = 0,
         unresolved_ok = 0, expert_answers = 0;
  std::vector<double> conf;
  std::vector<bool> ok;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (w.gold[i]) continue;
    const Outcome& o = out[i];
    const bool right = o.label == w.truth[i];
    n += 1;
    correct += right;
    f.answers += o.answers;
    f.cost += o.cost;
    f.unresolved += o.unresolved;
    if (o.unresolved) unresolved_ok += right;
    f.nobody_left += o.nobody_left;
    expert_answers += o.expert_answers;
    f.histogram[static_cast<std::size_t>(std::min(o.answers, s.max_answers))] += 1;
    if (o.auto_accepted) auto_n += 1, auto_ok += right;
    else if (o.answers > 0) routed_n += 1, routed_ok += right;
    const double top = *std::max_element(o.posterior.begin(), o.posterior.end());
    conf.push_back(top);
    ok.push_back(right);
    if (top >= tau) conf_n += 1, conf_ok += right;
  }
  f.accuracy = correct / n;
  f.unresolved_acc = f.unresolved > 0 ? unresolved_ok / f.unresolved : std::nan("");
  f.expert_share = f.answers > 0 ? expert_answers / f.answers : std::nan("");
  f.answers /= n;
  f.cost /= n;
  f.unresolved /= n;
  f.nobody_left /= n;
  f.auto_share = auto_n / n;
  f.auto_acc = auto_n > 0 ? auto_ok / auto_n : std::nan("");
  f.routed_acc = routed_n > 0 ? routed_ok / routed_n : std::nan("");
  f.confident_acc = conf_n > 0 ? conf_ok / conf_n : std::nan("");
  f.ece = ece15(conf, ok);
  for (double& h : f.histogram) h /= n;
  return f;
}

int argmax_tie(const std::vector<double>& v, Stream& r) {
  const double top = *std::max_element(v.begin(), v.end());
  std::vector<int> best;
  for (std::size_t c = 0; c < v.size(); ++c)
    if (v[c] >= top - 1e-12) best.push_back(static_cast<int>(c));
  return best.size() == 1 ? best[0] : best[r.below(best.size())];
}

// n distinct non-expert workers for item i, from the stream ("order", i): the first n of its order.
std::vector<int> fixed_workers(const World& w, std::uint64_t seed, int item, int n) {
  Stream r(seed, "order", static_cast<std::uint64_t>(item));
  std::vector<int> chosen;
  while (static_cast<int>(chosen.size()) < n && chosen.size() < w.non_experts.size()) {
    const int c = w.non_experts[r.below(w.non_experts.size())];
    if (std::find(chosen.begin(), chosen.end(), c) == chosen.end()) chosen.push_back(c);
  }
  return chosen;
}

// MV-n and, from the same answers, DS-n (when an aggregator is given).
void fixed_policies(const Spec& s, const World& w, std::uint64_t seed, int n, std::vector<Outcome>& mv,
                    std::vector<Outcome>* ds, sdk::Aggregator* aggregator, std::vector<std::string>& notes) {
  const auto N = static_cast<std::size_t>(s.items);
  const auto k = static_cast<std::size_t>(w.k);
  mv.assign(N, Outcome{});
  sdk::AggregationProblem problem;
  problem.variable = "simulated";
  for (std::size_t c = 0; c < k; ++c) problem.labels.push_back(std::to_string(c));
  for (std::size_t i = 0; i < N; ++i) {
    if (w.gold[i]) continue;
    const std::vector<int> who = fixed_workers(w, seed, static_cast<int>(i), n);
    std::vector<double> votes(k, 0);
    Outcome& o = mv[i];
    for (int wk : who) {
      const int a = answer(w, seed, static_cast<int>(i), wk);
      votes[static_cast<std::size_t>(a)] += 1;
      o.cost += w.workers[static_cast<std::size_t>(wk)].cost;
      ++o.answers;
      if (ds != nullptr) problem.votes.push_back({std::to_string(i), std::to_string(wk), std::to_string(a)});
    }
    Stream tie(seed, "order", i, 1);
    o.label = argmax_tie(votes, tie);
    o.posterior.resize(k);
    for (std::size_t c = 0; c < k; ++c) o.posterior[c] = votes[c] / static_cast<double>(std::max(o.answers, 1));
  }
  if (ds == nullptr || aggregator == nullptr) return;
  sdk::AggregationResult result;
  const sdk::Status st = aggregator->aggregate(problem, result);
  if (!st.is_ok()) {
    notes.push_back("DS-" + std::to_string(n) + ": the aggregator failed: " + st.message());
    return;
  }
  *ds = mv;
  for (const auto& p : result.posteriors) {
    const std::size_t i = std::stoul(p.item);
    Outcome& o = (*ds)[i];
    std::fill(o.posterior.begin(), o.posterior.end(), 0.0);
    for (const auto& c : p.distribution.candidates()) o.posterior[std::stoul(c.value)] = c.p;
    Stream tie(seed, "order", i, 2);
    o.label = argmax_tie(o.posterior, tie);
  }
}

// The adaptive policies (§5 and its variants 5b, 6 and 7) share one loop; they differ in whom they ask and
// in the prior.
enum class Routing {
  uniform,   // 5 / 5b: uniformly among the non-experts estimated good enough and not asked on the item yet
  escalate,  // 6: as uniform, but after two non-expert answers below tau an expert (within their capacity)
  voi,       // 7: the worker with the highest expected drop of 1 - max posterior per unit cost
};
enum class Prior {
  model_probabilities,  // 5b: the model's probabilities p_i
  model_worker,         // 5: the model's vote argmax p_i through its own confusion matrix (gold and audits)
};

struct Variant {
  Routing routing = Routing::uniform;
  Prior prior = Prior::model_probabilities;
};

Variant variant_of(const std::string& policy) {
  if (policy == "escalating") return {Routing::escalate, Prior::model_probabilities};
  if (policy == "voi") return {Routing::voi, Prior::model_probabilities};
  if (policy == "model_worker") return {Routing::uniform, Prior::model_worker};
  return {};
}

bool is_adaptive(const std::string& policy) {
  return policy == "adaptive" || policy == "escalating" || policy == "voi" || policy == "model_worker";
}

struct PolicyRun {
  std::vector<Outcome> out;
  std::vector<TypeFigures> types;  // indexed like type_names()
};

// One adaptive policy over one world at one tau. Every policy: items whose model probability reaches tau are
// accepted on the model's word (§3), a share `audit_share` of them is routed anyway; the others are asked one
// worker at a time (never twice the same), the posterior multiplied by the worker's estimated confusion
// column of the answer, until the posterior's top reaches tau, B_max answers or C_max cost (then
// "unresolved"), or nobody is left to ask (also "unresolved").
//
// Worker estimates, shared by all variants: Dirichlet pseudo-counts (an unknown worker is about 2/3 right),
// gold answers counted exactly, and after each item every answer on it counted with the item's final
// posterior (the cheap incremental update); every `refit_every` answers, Dawid–Skene over the last `window`
// answers replaces the soft counts of the answers still in the window (when an aggregator is given). A worker
// whose estimated accuracy (mean diagonal) is below `min_worker_accuracy` is not asked.
//
// Draws: the answer of worker w on item i is the stream ("answers", i, w) whoever asks; the choice among
// equals at the item's n-th question is the stream ("order", i, n + 3) — the same for every variant.
PolicyRun adaptive(const Spec& s, const World& w, std::uint64_t seed, double tau, Variant v,
                   sdk::Aggregator* aggregator) {
  const auto N = static_cast<std::size_t>(s.items);
  const auto k = static_cast<std::size_t>(w.k);
  const std::size_t M = w.workers.size();
  // Prior pseudo-counts: an unknown worker is estimated about 2/3 right, enough to be asked.
  const double diag_prior = 3.0;
  const double off_prior = 1.5 / static_cast<double>(k - 1);
  std::vector<double> gold_counts(M * k * k, 0), soft(M * k * k, 0);
  std::vector<double> est(M * k * k);
  std::vector<double> row_negentropy(M * k, 0);  // voi: sum_a L(a|t) log L(a|t) per worker and true class
  std::vector<int> given(M, 0);                   // answers each worker gave, gold included
  std::vector<int> excluded_at(M, -1);            // answers given when last estimated below the bar; -1: above
  const auto accuracy = [&](std::size_t wk) {
    double acc = 0;
    for (std::size_t t = 0; t < k; ++t) acc += est[(wk * k + t) * k + t];
    return acc / static_cast<double>(k);
  };
  const auto refresh = [&](std::size_t wk) {
    for (std::size_t t = 0; t < k; ++t) {
      double sum = 0;
      for (std::size_t a = 0; a < k; ++a) {
        const std::size_t at = (wk * k + t) * k + a;
        sum += est[at] = gold_counts[at] + soft[at] + (a == t ? diag_prior : off_prior);
      }
      double h = 0;
      for (std::size_t a = 0; a < k; ++a) {
        double& e = est[(wk * k + t) * k + a];
        e /= sum;
        h += e * std::log(e);
      }
      row_negentropy[wk * k + t] = h;
    }
    if (accuracy(wk) < s.min_worker_accuracy) {
      if (excluded_at[wk] < 0) excluded_at[wk] = given[wk];
    } else {
      excluded_at[wk] = -1;
    }
  };
  for (std::size_t wk = 0; wk < M; ++wk) refresh(wk);

  // Variant 5: the model is one more worker. Its answer is its most probable class; its confusion matrix is
  // counted on gold items (against their truth, all known from the start) and on audited items (against
  // their final label, as each audit ends), separately for the two populations it is applied to: items the
  // model is unsure of (max p < tau: the routed ones) and items it is confident of (the audited ones). One
  // matrix for both would carry the confident items' accuracy over to the unsure ones.
  std::vector<double> model_counts(2 * k * k), class_prior(k, 1.0);
  const auto vote_of = [&](std::size_t i) {
    const double* p = &w.model[i * k];
    return static_cast<std::size_t>(std::max_element(p, p + k) - p);
  };
  const auto stratum_of = [&](std::size_t i) -> std::size_t {
    const double* p = &w.model[i * k];
    return *std::max_element(p, p + k) >= tau ? 1 : 0;
  };
  if (v.prior == Prior::model_worker) {
    for (std::size_t st = 0; st < 2; ++st)
      for (std::size_t t = 0; t < k; ++t)
        for (std::size_t a = 0; a < k; ++a) model_counts[(st * k + t) * k + a] = a == t ? diag_prior : off_prior;
    for (int g : w.gold_list) {
      const auto gi = static_cast<std::size_t>(g);
      const auto truth = static_cast<std::size_t>(w.truth[gi]);
      model_counts[(stratum_of(gi) * k + truth) * k + vote_of(gi)] += 1;
      class_prior[truth] += 1;  // the class prior: gold truths, Laplace-smoothed
    }
  }
  const auto model_prior = [&](std::size_t i, std::vector<double>& post) {
    const std::size_t st = stratum_of(i), vote = vote_of(i);
    post.assign(k, 0);
    double sum = 0;
    for (std::size_t t = 0; t < k; ++t) {
      double row = 0;
      for (std::size_t a = 0; a < k; ++a) row += model_counts[(st * k + t) * k + a];
      sum += post[t] = class_prior[t] * model_counts[(st * k + t) * k + vote] / row;
    }
    for (double& p : post) p /= sum;
  };

  struct Given {
    int item, worker, label;
  };
  std::vector<Given> log;
  std::vector<double> contrib;          // per answer: the posterior it was counted with (K values)
  std::vector<double> old(M * k * k, 0);  // counts of the answers that left the refit window
  std::size_t retired = 0;
  std::size_t since_refit = 0;
  double expert_answers = 0, all_answers = 0;
  PolicyRun run;
  std::vector<Outcome>& out = run.out;
  out.resize(N);
  Stream gold_mix(seed, "gold_mix");
  std::vector<int> asked;
  std::vector<int> candidates;
  std::vector<double> joint(k * k), evidence(k);
  const auto not_asked = [&](int e) { return std::find(asked.begin(), asked.end(), e) == asked.end(); };
  const auto good_enough = [&](int e) { return accuracy(static_cast<std::size_t>(e)) >= s.min_worker_accuracy; };
  const auto experts_free = [&] { return expert_answers < s.expert_answer_cap * (all_answers + 1); };
  // Policy 7's choice: the expected drop of 1 - max posterior after one more answer, per unit cost, with the
  // worker's estimated confusion matrix: sum_a max_t pi(t) L(a|t) - max_t pi(t). It is 0 for everyone when no
  // single answer can change the most probable class (common when the prior is lopsided), so equal drops are
  // told apart by the expected information (mutual information of the answer and the class) per unit cost,
  // then at random.
  const auto choose_voi = [&](const std::vector<double>& post, Stream& pick) {
    constexpr double kTie = 1e-12;
    const double top = *std::max_element(post.begin(), post.end());
    double best_gain = -1, best_info = -1;
    std::vector<int> tied;
    for (int c : candidates) {
      const auto wc = static_cast<std::size_t>(c);
      double gain = -top, info = 0;
      for (std::size_t a = 0; a < k; ++a) {
        double best = 0, pa = 0;
        for (std::size_t t = 0; t < k; ++t) {
          const double j = post[t] * est[(wc * k + t) * k + a];
          best = std::max(best, j);
          pa += j;
        }
        gain += best;
        if (pa > 0) info -= pa * std::log(pa);
      }
      for (std::size_t t = 0; t < k; ++t) info += post[t] * row_negentropy[wc * k + t];
      const double cost = std::max(w.workers[wc].cost, 0.01);
      gain /= cost;
      info /= cost;
      if (gain > best_gain + kTie || (gain > best_gain - kTie && info > best_info + kTie)) {
        best_gain = std::max(gain, best_gain);
        best_info = info;
        tied.assign(1, c);
      } else if (gain > best_gain - kTie && info > best_info - kTie) {
        tied.push_back(c);
      }
    }
    return tied.empty() ? -1 : tied[tied.size() == 1 ? 0 : pick.below(tied.size())];
  };
  for (std::size_t i = 0; i < N; ++i) {
    // Gold questions mixed into the stream of tasks: they score workers and count nowhere else.
    if (!w.gold_list.empty() && gold_mix.uniform() < s.gold_rate) {
      const int g = w.gold_list[gold_mix.below(w.gold_list.size())];
      const int wk = w.non_experts[gold_mix.below(w.non_experts.size())];
      const int a = answer(w, seed, g, wk);
      gold_counts[(static_cast<std::size_t>(wk) * k + static_cast<std::size_t>(w.truth[static_cast<std::size_t>(g)])) * k +
                  static_cast<std::size_t>(a)] += 1;
      ++given[static_cast<std::size_t>(wk)];
      refresh(static_cast<std::size_t>(wk));
    }
    if (w.gold[i]) continue;
    Outcome& o = out[i];
    const bool confident = *std::max_element(&w.model[i * k], &w.model[i * k] + k) >= tau;
    if (v.prior == Prior::model_worker) model_prior(i, o.posterior);
    else o.posterior.assign(&w.model[i * k], &w.model[i * k] + k);
    const bool audited = confident && Stream(seed, "audit", i).uniform() < s.audit_share;
    const bool model_says = confident && !audited;  // §3: accepted on the model's word
    o.auto_accepted = model_says;
    asked.clear();
    int non_expert_answers = 0;
    while (!o.auto_accepted) {
      const double top = *std::max_element(o.posterior.begin(), o.posterior.end());
      if (top >= tau && !(audited && o.answers == 0)) break;
      if (o.answers >= s.max_answers || o.cost >= s.max_cost) {
        o.unresolved = top < tau;
        break;
      }
      Stream pick(seed, "order", i, static_cast<std::uint64_t>(o.answers) + 3);
      int chosen = -1;
      if (v.routing == Routing::voi) {
        candidates.clear();
        for (int e : w.non_experts)
          if (not_asked(e) && good_enough(e)) candidates.push_back(e);
        if (experts_free())
          for (int e : w.experts)
            if (not_asked(e) && good_enough(e)) candidates.push_back(e);
        chosen = choose_voi(o.posterior, pick);
      } else {
        if (v.routing == Routing::escalate && non_expert_answers >= 2 && experts_free()) {
          candidates.clear();
          for (int e : w.experts)
            if (not_asked(e)) candidates.push_back(e);
          if (!candidates.empty()) chosen = candidates[pick.below(candidates.size())];
        }
        if (chosen < 0) {
          candidates.clear();
          for (int e : w.non_experts)
            if (not_asked(e) && good_enough(e)) candidates.push_back(e);
          if (!candidates.empty()) chosen = candidates[pick.below(candidates.size())];
        }
      }
      if (chosen < 0) {
        o.unresolved = top < tau;
        o.nobody_left = true;
        break;
      }
      const Worker& wk = w.workers[static_cast<std::size_t>(chosen)];
      const int a = answer(w, seed, static_cast<int>(i), chosen);
      asked.push_back(chosen);
      ++o.answers;
      ++given[static_cast<std::size_t>(chosen)];
      o.cost += wk.cost;
      all_answers += 1;
      if (wk.expert) {
        expert_answers += 1;
        ++o.expert_answers;
      } else {
        ++non_expert_answers;
      }
      double sum = 0;
      for (std::size_t t = 0; t < k; ++t)
        sum += o.posterior[t] *= est[(static_cast<std::size_t>(chosen) * k + t) * k + static_cast<std::size_t>(a)];
      for (double& p : o.posterior) p /= sum;
      log.push_back({static_cast<int>(i), chosen, a});
      ++since_refit;
    }
    // SIMULATION.md §6 counts as auto-accepted the items decided with no human answer: with the model as a
    // worker (variant 5) that includes unsure items whose prior alone reaches tau.
    if (o.answers == 0 && !o.unresolved) o.auto_accepted = true;
    Stream tie(seed, "order", i, 2);
    o.label = model_says && v.prior == Prior::model_worker ? static_cast<int>(vote_of(i)) : argmax_tie(o.posterior, tie);
    // The model's audits: its vote on a confident item against the item's final label (variant 5).
    if (v.prior == Prior::model_worker && audited && o.answers > 0)
      model_counts[(k + static_cast<std::size_t>(o.label)) * k + vote_of(i)] += 1;
    // The incremental update: each answer of the item counts toward its worker, weighted by the posterior.
    contrib.resize(log.size() * k);
    for (std::size_t j = log.size() - static_cast<std::size_t>(o.answers); j < log.size(); ++j) {
      const auto wk = static_cast<std::size_t>(log[j].worker);
      for (std::size_t t = 0; t < k; ++t) {
        soft[(wk * k + t) * k + static_cast<std::size_t>(log[j].label)] += o.posterior[t];
        contrib[j * k + t] = o.posterior[t];
      }
      refresh(wk);
    }
    if (aggregator != nullptr && since_refit >= static_cast<std::size_t>(s.refit_every)) {
      since_refit = 0;
      sdk::AggregationProblem problem;
      problem.variable = "simulated";
      for (std::size_t c = 0; c < k; ++c) problem.labels.push_back(std::to_string(c));
      const std::size_t from = log.size() > static_cast<std::size_t>(s.window) ? log.size() - static_cast<std::size_t>(s.window) : 0;
      int last_item = -1;
      for (std::size_t j = from; j < log.size(); ++j) {
        problem.votes.push_back({std::to_string(log[j].item), std::to_string(log[j].worker), std::to_string(log[j].label)});
        if (log[j].item == last_item) continue;
        // The model's view of the item: one more worker whose skill DS learns too (§3, model-as-a-worker).
        last_item = log[j].item;
        std::vector<sdk::Candidate> view;
        for (std::size_t c = 0; c < k; ++c)
          view.push_back({std::to_string(c), w.model[static_cast<std::size_t>(last_item) * k + c]});
        problem.model.push_back({std::to_string(last_item), sdk::Distribution(std::move(view))});
      }
      sdk::AggregationResult result;
      if (aggregator->aggregate(problem, result).is_ok()) {
        // Answers that left the window keep what the incremental update gave them; the window's answers
        // count with Dawid–Skene's posteriors of their items instead (its M-step statistics).
        for (; retired < from; ++retired) {
          const auto wk = static_cast<std::size_t>(log[retired].worker);
          for (std::size_t t = 0; t < k; ++t)
            old[(wk * k + t) * k + static_cast<std::size_t>(log[retired].label)] += contrib[retired * k + t];
        }
        std::unordered_map<int, std::vector<double>> post;
        for (const auto& p : result.posteriors) {
          std::vector<double> pv(k, 0);
          for (const auto& c : p.distribution.candidates()) pv[std::stoul(c.value)] = c.p;
          post.emplace(std::stoi(p.item), std::move(pv));
        }
        soft = old;
        for (std::size_t j = from; j < log.size(); ++j) {
          const auto it = post.find(log[j].item);
          const auto wk = static_cast<std::size_t>(log[j].worker);
          for (std::size_t t = 0; t < k; ++t)
            soft[(wk * k + t) * k + static_cast<std::size_t>(log[j].label)] +=
                it != post.end() ? it->second[t] : contrib[j * k + t];
        }
        for (std::size_t wk = 0; wk < M; ++wk) refresh(wk);
      }
    }
  }

  // Worker-model quality at the end of the run, per type: the estimated diagonal against the true one, and
  // against the difficulty-averaged matrix the answers come from.
  double mean_difficulty = 0;
  for (double d : w.difficulty) mean_difficulty += d;
  mean_difficulty /= static_cast<double>(std::max<std::size_t>(w.difficulty.size(), 1));
  const std::size_t types = type_names().size();
  std::vector<double> n(types, 0), err(types, 0), err_eff(types, 0), excluded(types, 0), before(types, 0), answers(types, 0);
  for (std::size_t wk = 0; wk < M; ++wk) {
    const Worker& worker = w.workers[wk];
    const auto type = static_cast<std::size_t>(worker.type);
    n[type] += 1;
    for (std::size_t t = 0; t < k; ++t) {
      const double truth = worker.confusion[t * k + t];
      const double effective = (1 - mean_difficulty) * truth + mean_difficulty / static_cast<double>(k);
      err[type] += std::abs(est[(wk * k + t) * k + t] - truth) / static_cast<double>(k);
      err_eff[type] += std::abs(est[(wk * k + t) * k + t] - effective) / static_cast<double>(k);
    }
    answers[type] += given[wk];
    if (excluded_at[wk] >= 0) excluded[type] += 1, before[type] += excluded_at[wk];
  }
  run.types.resize(types);
  for (std::size_t t = 0; t < types; ++t) {
    if (n[t] == 0) continue;
    TypeFigures& f = run.types[t];
    f.diag_error = err[t] / n[t];
    f.diag_error_effective = err_eff[t] / n[t];
    f.excluded = excluded[t] / n[t];
    f.answers_before = excluded[t] > 0 ? before[t] / excluded[t] : std::nan("");
    f.answers = answers[t] / n[t];
  }
  return run;
}

Figure over(const std::vector<double>& xs) {
  std::vector<double> v;
  for (double x : xs)
    if (!std::isnan(x)) v.push_back(x);
  Figure f;
  if (v.empty()) {
    f.mean = f.low = f.high = std::nan("");
    return f;
  }
  f.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  double var = 0;
  for (double x : v) var += (x - f.mean) * (x - f.mean);
  const double sd = v.size() > 1 ? std::sqrt(var / static_cast<double>(v.size() - 1)) : 0;
  const double half = 1.96 * sd / std::sqrt(static_cast<double>(v.size()));
  f.low = f.mean - half;
  f.high = f.mean + half;
  return f;
}

}  // namespace

Crossing cost_to_reach(std::vector<CurvePoint> curve, double accuracy) {
  std::stable_sort(curve.begin(), curve.end(), [](const CurvePoint& a, const CurvePoint& b) { return a.cost < b.cost; });
  if (curve.empty()) return {Reach::not_reached, std::nan(""), {}};
  if (curve.front().accuracy >= accuracy) return {Reach::below_sweep, curve.front().cost, curve.front()};
  for (std::size_t j = 1; j < curve.size(); ++j) {
    const CurvePoint& a = curve[j - 1];
    const CurvePoint& b = curve[j];
    if (b.accuracy < accuracy) continue;
    return {Reach::interpolated, a.cost + (b.cost - a.cost) * (accuracy - a.accuracy) / (b.accuracy - a.accuracy), b};
  }
  const auto best = std::max_element(curve.begin(), curve.end(),
                                     [](const CurvePoint& a, const CurvePoint& b) { return a.accuracy < b.accuracy; });
  return {Reach::not_reached, std::nan(""), *best};
}

Crossing accuracy_at(std::vector<CurvePoint> curve, double cost) {
  std::stable_sort(curve.begin(), curve.end(), [](const CurvePoint& a, const CurvePoint& b) { return a.cost < b.cost; });
  if (curve.empty()) return {Reach::not_reached, std::nan(""), {}};
  if (cost < curve.front().cost) return {Reach::below_sweep, std::nan(""), curve.front()};
  if (cost > curve.back().cost) return {Reach::above_sweep, std::nan(""), curve.back()};
  for (std::size_t j = 1; j < curve.size(); ++j) {
    const CurvePoint& a = curve[j - 1];
    const CurvePoint& b = curve[j];
    if (cost > b.cost) continue;
    if (b.cost == a.cost) return {Reach::interpolated, std::max(a.accuracy, b.accuracy), b};
    return {Reach::interpolated, a.accuracy + (b.accuracy - a.accuracy) * (cost - a.cost) / (b.cost - a.cost), b};
  }
  return {Reach::interpolated, curve.front().accuracy, curve.front()};  // a single point, at exactly its cost
}

Report run(const Spec& s, sdk::Aggregator* dawid_skene) {
  Report report;
  struct Key {
    std::string policy;
    double tau;
  };
  std::vector<Key> keys;
  const double headline = s.thresholds.front();
  for (const auto& p : s.policies) {
    if ((p == "ds3" || p == "ds5") && dawid_skene == nullptr) continue;
    if (is_adaptive(p))
      for (double t : s.thresholds) keys.push_back({p, t});
    else
      keys.push_back({p, headline});
  }
  if (dawid_skene == nullptr) {
    for (const auto& p : s.policies)
      if (p == "ds3" || p == "ds5")
        report.notes.push_back(p + " left out: no Dawid–Skene aggregator was given");
    report.notes.push_back("adaptive policies: incremental worker estimates only (no Dawid–Skene refit)");
  }
  std::vector<std::vector<SeedFigures>> per(keys.size());
  std::vector<double> model_acc, model_ece, temps;
  const auto wants = [&](const std::string& p) { return std::find(s.policies.begin(), s.policies.end(), p) != s.policies.end(); };
  for (int r = 0; r < s.seeds; ++r) {
    const std::uint64_t seed = s.first_seed + static_cast<std::uint64_t>(r);
    const World w = build_world(s, seed);
    temps.push_back(w.temperature);
    {
      double ok = 0, n = 0;
      std::vector<double> conf;
      std::vector<bool> right;
      for (std::size_t i = 0; i < w.truth.size(); ++i) {
        const double* p = &w.model[i * static_cast<std::size_t>(w.k)];
        const auto top = std::max_element(p, p + w.k);
        const bool good = static_cast<int>(top - p) == w.truth[i];
        ok += good;
        n += 1;
        conf.push_back(*top);
        right.push_back(good);
      }
      model_acc.push_back(ok / n);
      model_ece.push_back(ece15(conf, right));
    }
    std::vector<Outcome> mv3, mv5, ds3, ds5;
    if (wants("mv3") || wants("ds3"))
      fixed_policies(s, w, seed, 3, mv3, wants("ds3") ? &ds3 : nullptr, dawid_skene, report.notes);
    if (wants("mv5") || wants("ds5"))
      fixed_policies(s, w, seed, 5, mv5, wants("ds5") ? &ds5 : nullptr, dawid_skene, report.notes);
    for (std::size_t j = 0; j < keys.size(); ++j) {
      const Key& key = keys[j];
      const std::vector<Outcome>* o = nullptr;
      std::vector<Outcome> made;
      std::vector<TypeFigures> types;
      if (key.policy == "mv3") o = &mv3;
      else if (key.policy == "mv5") o = &mv5;
      else if (key.policy == "ds3") o = &ds3;
      else if (key.policy == "ds5") o = &ds5;
      else if (key.policy == "model_only") {
        made.resize(w.truth.size());
        for (std::size_t i = 0; i < w.truth.size(); ++i) {
          const double* p = &w.model[i * static_cast<std::size_t>(w.k)];
          made[i].posterior.assign(p, p + w.k);
          made[i].label = static_cast<int>(std::max_element(p, p + w.k) - p);
          made[i].auto_accepted = true;
        }
        o = &made;
      } else {
        PolicyRun pr = adaptive(s, w, seed, key.tau, variant_of(key.policy), dawid_skene);
        made = std::move(pr.out);
        types = std::move(pr.types);
        o = &made;
      }
      if (o->empty()) continue;
      per[j].push_back(figures(s, w, *o, key.tau));
      per[j].back().types = std::move(types);
    }
  }
  for (std::size_t j = 0; j < keys.size(); ++j) {
    if (per[j].empty()) continue;
    PolicyReport pr;
    pr.policy = keys[j].policy;
    pr.threshold = keys[j].tau;
    const auto col = [&](auto member) {
      std::vector<double> v;
      for (const auto& f : per[j]) v.push_back(f.*member);
      return over(v);
    };
    pr.accuracy = col(&SeedFigures::accuracy);
    pr.answers_per_item = col(&SeedFigures::answers);
    pr.cost_per_item = col(&SeedFigures::cost);
    pr.auto_accept_share = col(&SeedFigures::auto_share);
    pr.auto_accept_accuracy = col(&SeedFigures::auto_acc);
    pr.routed_accuracy = col(&SeedFigures::routed_acc);
    pr.unresolved_share = col(&SeedFigures::unresolved);
    pr.unresolved_accuracy = col(&SeedFigures::unresolved_acc);
    pr.nobody_left_share = col(&SeedFigures::nobody_left);
    pr.expert_answer_share = col(&SeedFigures::expert_share);
    pr.ece = col(&SeedFigures::ece);
    pr.confident_accuracy = col(&SeedFigures::confident_acc);
    pr.answers_histogram.assign(static_cast<std::size_t>(s.max_answers + 1), 0);
    for (const auto& f : per[j])
      for (std::size_t h = 0; h < f.histogram.size(); ++h) pr.answers_histogram[h] += f.histogram[h] / static_cast<double>(per[j].size());
    if (!per[j].front().types.empty()) {
      for (std::size_t t = 0; t < type_names().size(); ++t) {
        const auto type_col = [&](double TypeFigures::*member) {
          std::vector<double> v;
          for (const auto& f : per[j]) v.push_back(f.types[t].*member);
          return over(v);
        };
        if (std::isnan(per[j].front().types[t].answers)) continue;  // no worker of this type
        WorkerTypeReport wt;
        wt.type = type_names()[t];
        const auto in_pool = std::find_if(s.pool.begin(), s.pool.end(), [&](const WorkerType& p) { return p.name == wt.type; });
        wt.workers = in_pool == s.pool.end() ? 0 : static_cast<int>(std::lround(in_pool->share * s.workers));
        wt.diag_error = type_col(&TypeFigures::diag_error);
        wt.diag_error_effective = type_col(&TypeFigures::diag_error_effective);
        wt.excluded_share = type_col(&TypeFigures::excluded);
        wt.answers_before_exclusion = type_col(&TypeFigures::answers_before);
        wt.answers_per_worker = type_col(&TypeFigures::answers);
        pr.worker_types.push_back(std::move(wt));
      }
    }
    report.policies.push_back(std::move(pr));
  }

  // The headline numbers: each adaptive policy's tau sweep against the MV-5 and MV-3 points.
  const auto key_of = [&](const std::string& policy) {
    for (std::size_t j = 0; j < keys.size(); ++j)
      if (keys[j].policy == policy && !per[j].empty()) return static_cast<int>(j);
    return -1;
  };
  const int mv3_key = key_of("mv3"), mv5_key = key_of("mv5");
  bool any_adaptive = false;
  for (const auto& p : s.policies) {
    if (!is_adaptive(p)) continue;
    any_adaptive = true;
    if (mv3_key < 0 || mv5_key < 0) continue;
    Headline h;
    h.policy = p;
    std::vector<CurvePoint> means;
    std::vector<std::vector<CurvePoint>> seeds(static_cast<std::size_t>(s.seeds));
    for (std::size_t j = 0; j < keys.size(); ++j) {
      if (keys[j].policy != p || per[j].size() != static_cast<std::size_t>(s.seeds)) continue;
      CurvePoint m;
      for (std::size_t r = 0; r < per[j].size(); ++r) {
        seeds[r].push_back({per[j][r].cost, per[j][r].accuracy});
        m.cost += per[j][r].cost / static_cast<double>(per[j].size());
        m.accuracy += per[j][r].accuracy / static_cast<double>(per[j].size());
      }
      means.push_back(m);
    }
    const auto mean_of = [&](int key, double SeedFigures::*member) {
      double sum = 0;
      for (const auto& f : per[static_cast<std::size_t>(key)]) sum += f.*member;
      return sum / static_cast<double>(per[static_cast<std::size_t>(key)].size());
    };
    h.cost_at_mv5_accuracy = cost_to_reach(means, mean_of(mv5_key, &SeedFigures::accuracy));
    h.accuracy_at_mv3_cost = accuracy_at(means, mean_of(mv3_key, &SeedFigures::cost));
    std::vector<double> costs, accuracies;
    for (std::size_t r = 0; r < seeds.size(); ++r) {
      const Crossing c = cost_to_reach(seeds[r], per[static_cast<std::size_t>(mv5_key)][r].accuracy);
      costs.push_back(c.reach == Reach::interpolated ? c.value : std::nan(""));
      const Crossing a = accuracy_at(seeds[r], per[static_cast<std::size_t>(mv3_key)][r].cost);
      accuracies.push_back(a.reach == Reach::interpolated ? a.value : std::nan(""));
    }
    // A Figure over seeds only when every seed's curve crosses: a mean of the crossing ones would be biased.
    const auto all_seeds = [](const std::vector<double>& v) {
      return std::none_of(v.begin(), v.end(), [](double x) { return std::isnan(x); }) ? over(v) : over({});
    };
    h.cost_at_mv5_accuracy_seeds = all_seeds(costs);
    h.accuracy_at_mv3_cost_seeds = all_seeds(accuracies);
    report.headlines.push_back(std::move(h));
  }
  if (any_adaptive && (mv3_key < 0 || mv5_key < 0))
    report.notes.push_back("headline numbers left out: they need mv3 and mv5 among the policies");
  report.model_accuracy = over(model_acc);
  report.model_ece = over(model_ece);
  report.temperature = over(temps);
  return report;
}

}  // namespace tandem::sim
