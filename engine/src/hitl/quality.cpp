#include "hitl/quality.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "hitl/workers.hpp"
#include "tandem/sdk/config.hpp"

namespace tandem::hitl {

namespace stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kTiny = 1e-300;
constexpr double kEps = 1e-15;
constexpr int kMaxIterations = 1000;

// The continued fraction of I_x(a, b), evaluated with the modified Lentz method (Press et al.,
// Numerical Recipes, 3rd ed., §6.4 "Incomplete Beta Function", and §5.2 for Lentz's method). It
// converges fast for x < (a + 1) / (a + b + 2); beta_inc uses the symmetry I_x(a, b) = 1 - I_{1-x}(b, a)
// otherwise.
double beta_continued_fraction(double a, double b, double x) {
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::abs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));  // the even step d_{2m}
    d = 1 + aa * d;
    if (std::abs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));  // the odd step d_{2m+1}
    d = 1 + aa * d;
    if (std::abs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::abs(del - 1) < kEps) break;
  }
  return h;
}

}  // namespace

double beta_inc(double a, double b, double x) {
  if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1)) return kNaN;
  if (x == 0 || x == 1) return x;
  // The front factor x^a (1-x)^b / (a B(a, b)), in logs against overflow.
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(log_front);
  if (x < (a + 1) / (a + b + 2)) return front * beta_continued_fraction(a, b, x) / a;
  return 1 - front * beta_continued_fraction(b, a, 1 - x) / b;
}

double beta_quantile(double a, double b, double p) {
  if (!(a > 0) || !(b > 0) || !(p >= 0) || !(p <= 1)) return kNaN;
  if (p == 0) return 0;
  if (p == 1) return 1;
  // Bisection on the monotone I_x(a, b): each step halves the bracket, so 60 steps bring it below 1e-17,
  // whatever the shape (no derivative, so no trouble near 0 or 1 where Newton's method overshoots).
  double lo = 0, hi = 1;
  for (int i = 0; i < 100 && hi - lo > 1e-14; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (beta_inc(a, b, mid) < p)
      lo = mid;
    else
      hi = mid;
  }
  return 0.5 * (lo + hi);
}

double gamma_q(double a, double x) {
  if (!(a > 0) || !(x >= 0)) return kNaN;
  if (x == 0) return 1;
  const double log_front = -x + a * std::log(x) - std::lgamma(a);
  if (x < a + 1) {
    // The series of P(a, x) (Numerical Recipes §6.2, gser): sum x^n / (a (a+1) ... (a+n)).
    double ap = a, sum = 1 / a, del = sum;
    for (int n = 0; n < kMaxIterations; ++n) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (std::abs(del) < std::abs(sum) * kEps) break;
    }
    return std::max(0.0, 1 - sum * std::exp(log_front));
  }
  // The continued fraction of Q(a, x) by the modified Lentz method (Numerical Recipes §6.2, gcf).
  double b = x + 1 - a, c = 1 / kTiny, d = 1 / b, h = d;
  for (int i = 1; i <= kMaxIterations; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::abs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::abs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::abs(del - 1) < kEps) break;
  }
  return std::exp(log_front) * h;
}

double chi_square_sf(double x, int df) {
  if (df < 1 || std::isnan(x)) return kNaN;
  if (x <= 0) return 1;
  return gamma_q(0.5 * df, 0.5 * x);
}

Interval wilson(double right, double n, double z) {
  if (!(n > 0)) return {0, 1};
  const double p = right / n;
  const double z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace stats

namespace {

// Pearson's chi-square of a table (rows × columns of counts); rows or columns that are all zero are left
// out, so df counts only what was observed.
void pearson(const std::vector<std::vector<std::int64_t>>& table, double& chi_square, int& df, double& p) {
  std::vector<double> row_sum(table.size(), 0), col_sum;
  double total = 0;
  for (std::size_t r = 0; r < table.size(); ++r) {
    if (col_sum.size() < table[r].size()) col_sum.resize(table[r].size(), 0);
    for (std::size_t c = 0; c < table[r].size(); ++c) {
      row_sum[r] += static_cast<double>(table[r][c]);
      col_sum[c] += static_cast<double>(table[r][c]);
      total += static_cast<double>(table[r][c]);
    }
  }
  chi_square = 0;
  df = 0;
  p = 1;
  if (total <= 0) return;
  int rows = 0, cols = 0;
  for (double s : row_sum) rows += s > 0;
  for (double s : col_sum) cols += s > 0;
  for (std::size_t r = 0; r < table.size(); ++r) {
    if (row_sum[r] <= 0) continue;
    for (std::size_t c = 0; c < col_sum.size(); ++c) {
      if (col_sum[c] <= 0) continue;
      const double expected = row_sum[r] * col_sum[c] / total;
      const double observed = c < table[r].size() ? static_cast<double>(table[r][c]) : 0.0;
      chi_square += (observed - expected) * (observed - expected) / expected;
    }
  }
  df = (rows - 1) * (cols - 1);
  p = df > 0 ? stats::chi_square_sf(chi_square, df) : 1;
}

std::string joined(std::vector<std::string> values) {
  if (values.empty()) return "(none)";
  std::sort(values.begin(), values.end());
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : "+") + v;
  return out;
}

bool has(const std::vector<std::string>& values, std::string_view v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

}  // namespace

const std::vector<std::string>& attribute_names() {
  static const std::vector<std::string> names = {"backend", "locale",   "languages", "skills",     "tags",
                                                 "tier",    "tag:NAME", "skill:NAME", "language:NAME"};
  return names;
}

std::optional<std::string> attribute_value(const store::WorkerRecord& w, std::string_view attribute) {
  const auto with_prefix = [&](std::string_view prefix, const std::vector<std::string>& values)
      -> std::optional<std::string> {
    const std::string_view name = attribute.substr(prefix.size());
    if (name.empty()) return std::nullopt;
    return has(values, name) ? std::string(name) : "not " + std::string(name);
  };
  if (attribute == "backend") return w.ref.backend.empty() ? "(none)" : w.ref.backend;
  if (attribute == "locale") return w.locale.empty() ? "(none)" : w.locale;
  if (attribute == "languages" || attribute == "language") return joined(w.languages);
  if (attribute == "skills" || attribute == "skill") return joined(w.skills);
  if (attribute == "tier") return std::to_string(worker_tier(w));
  if (attribute == "tags" || attribute == "tag") {
    std::vector<std::string> tags;
    for (const auto& t : w.tags)
      if (t.rfind("tier:", 0) != 0) tags.push_back(t);
    return joined(tags);
  }
  if (attribute.rfind("tag:", 0) == 0) return with_prefix("tag:", w.tags);
  if (attribute.rfind("skill:", 0) == 0) return with_prefix("skill:", w.skills);
  if (attribute.rfind("language:", 0) == 0) return with_prefix("language:", w.languages);
  return std::nullopt;
}

sdk::Result<DeliveredQuality> delivered_quality(store::Store& store, std::string_view variable) {
  DeliveredQuality q;
  q.variable = std::string(variable);
  const sdk::Status s = store.read([&](store::Reader& r) -> sdk::Status {
    auto answers = answers_of_family(r, variable, store::Seconds::min(), store::Seconds::max());
    if (!answers.is_ok()) return answers.status();
    // Every task answered about the variable, in first-answer order, with its answers.
    std::vector<std::string> order;
    std::map<std::string, std::vector<const store::AnswerRecord*>> by_task;
    for (const auto& a : answers.value()) {
      auto& list = by_task[a.answer.task_id];
      if (list.empty()) order.push_back(a.answer.task_id);
      list.push_back(&a);
    }
    double sum_p = 0, sum_var = 0;
    for (const auto& id : order) {
      auto task = r.get_task(id);
      if (!task.is_ok()) return task.status();
      const store::TaskRecord& t = task.value();
      if (t.kind == store::TaskKind::gold) {
        auto gold = r.gold(id);
        if (!gold.is_ok()) {
          if (gold.status().code() == sdk::Code::not_found) continue;  // a gold task without its record yet
          return gold.status();
        }
        // What the crowd delivered on it: the most frequent answer, ties to the earliest.
        std::map<std::string, int> votes;
        std::string best;
        int best_votes = 0;
        for (const auto* a : by_task[id]) {
          const std::string value = a->answer.value.empty() ? a->answer.other_text : a->answer.value;
          ++q.gold_answers;
          if (value == gold.value().correct) ++q.gold_answers_right;
          if (++votes[value] > best_votes) {
            best_votes = votes[value];
            best = value;
          }
        }
        ++q.gold_checked;
        if (best == gold.value().correct) ++q.gold_right;
        continue;
      }
      if (t.state != store::TaskState::accepted || t.posterior.empty()) continue;
      const double p = t.posterior.top_p();
      ++q.delivered;
      sum_p += p;
      sum_var += p * (1 - p);
    }
    if (q.gold_checked > 0) {
      q.gold_accuracy = static_cast<double>(q.gold_right) / static_cast<double>(q.gold_checked);
      q.gold_interval = stats::wilson(static_cast<double>(q.gold_right), static_cast<double>(q.gold_checked));
    } else {
      q.gold_interval = {0, 1};
    }
    if (q.delivered > 0) {
      const double n = static_cast<double>(q.delivered);
      q.estimated_accuracy = sum_p / n;
    }
    if (q.gold_checked > 0) {
      q.interval = q.gold_interval;
      q.interval_method = "wilson_gold";
    } else if (q.delivered > 0) {
      const double n = static_cast<double>(q.delivered);
      const double half = 1.96 * std::sqrt(sum_var) / n;
      q.interval = {std::max(0.0, q.estimated_accuracy - half), std::min(1.0, q.estimated_accuracy + half)};
      q.interval_method = "posterior";
    } else {
      q.interval = {0, 1};
      q.interval_method = "none";
    }
    return sdk::Status::ok();
  });
  if (!s.is_ok()) return s;
  return q;
}

sdk::Result<GroupReport> group_report(store::Store& store, std::string_view variable, std::string_view attribute) {
  store::WorkerRecord probe;
  if (!attribute_value(probe, attribute)) {
    std::string list;
    for (const auto& n : attribute_names()) list += (list.empty() ? "" : ", ") + n;
    return sdk::Status::invalid_input("unknown worker attribute \"" + std::string(attribute) + "\"" +
                                      sdk::did_you_mean(attribute, attribute_names()) + " (known: " + list + ")");
  }
  GroupReport report;
  report.variable = std::string(variable);
  report.attribute = std::string(attribute);
  const sdk::Status s = store.read([&](store::Reader& r) -> sdk::Status {
    store::WorkerQuery all;
    all.active_only = false;
    auto workers = r.find_workers(all);
    if (!workers.is_ok()) return workers.status();
    std::map<std::string, std::string, std::less<>> group_of;  // worker id -> group
    for (const auto& w : workers.value()) group_of[w.ref.id] = *attribute_value(w, attribute);
    auto answers = answers_of_family(r, variable, store::Seconds::min(), store::Seconds::max());
    if (!answers.is_ok()) return answers.status();
    std::set<std::string> values;
    std::map<std::string, std::map<std::string, std::int64_t>> counts;  // group -> value -> n
    std::map<std::string, std::set<std::string>> members;
    for (const auto& a : answers.value()) {
      auto it = group_of.find(a.answer.worker.id);
      const std::string group = it != group_of.end() ? it->second : "(unregistered)";
      const std::string value = a.answer.value.empty() ? "(other)" : a.answer.value;
      values.insert(value);
      ++counts[group][value];
      members[group].insert(a.answer.worker.id);
    }
    report.values.assign(values.begin(), values.end());
    std::vector<std::vector<std::int64_t>> table;
    for (const auto& [group, by_value] : counts) {
      GroupRow row;
      row.group = group;
      row.workers = static_cast<std::int64_t>(members[group].size());
      for (const auto& v : report.values) {
        auto it = by_value.find(v);
        row.counts.push_back(it != by_value.end() ? it->second : 0);
        row.total += row.counts.back();
      }
      table.push_back(row.counts);
      report.groups.push_back(std::move(row));
    }
    pearson(table, report.chi_square, report.df, report.p_value);
    // Each group against the rest: a 2 × values table.
    for (std::size_t g = 0; g < report.groups.size(); ++g) {
      std::vector<std::vector<std::int64_t>> two(2, std::vector<std::int64_t>(report.values.size(), 0));
      for (std::size_t h = 0; h < table.size(); ++h)
        for (std::size_t c = 0; c < report.values.size(); ++c) two[h == g ? 0 : 1][c] += table[h][c];
      GroupRow& row = report.groups[g];
      pearson(two, row.chi_square, row.df, row.p_value);
      row.flagged = row.df > 0 && row.p_value < report.alpha;
    }
    return sdk::Status::ok();
  });
  if (!s.is_ok()) return s;
  return report;
}

}  // namespace tandem::hitl
