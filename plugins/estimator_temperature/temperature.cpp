#include "temperature.hpp"

#include <cmath>
#include <utility>

namespace tandem::plugins {
namespace {

constexpr const char* kSchema = R"({
  "type": "object",
  "description": "Temperature scaling: each probability p becomes p^(1/T), then the distribution is renormalised.",
  "properties": {
    "temperature": {
      "type": "number",
      "exclusiveMinimum": 0,
      "maximum": 100,
      "default": 1,
      "description": "T for every variable not listed in per_variable. Above 1 flattens, below 1 sharpens."
    },
    "per_variable": {
      "type": "object",
      "additionalProperties": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
      "description": "Variable name -> T. The key \"time.polarity\" also matches \"time[3].polarity\"; an exact key wins."
    }
  },
  "additionalProperties": false
})";

bool is_lower_or_digit(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

// The pattern ^[a-z][a-z0-9_]*(\[[0-9]+\])?(\.[a-z][a-z0-9_]*)*$, by hand.
bool is_variable_name(std::string_view s) noexcept {
  std::size_t i = 0;
  const auto word = [&]() {
    if (i >= s.size() || s[i] < 'a' || s[i] > 'z') return false;
    while (i < s.size() && is_lower_or_digit(s[i])) ++i;
    return true;
  };
  if (!word()) return false;
  if (i < s.size() && s[i] == '[') {
    const std::size_t digits = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == digits || i >= s.size() || s[i] != ']') return false;
    ++i;
  }
  while (i < s.size()) {
    if (s[i] != '.') return false;
    ++i;
    if (!word()) return false;
  }
  return true;
}

}  // namespace

std::string without_indices(std::string_view variable) {
  std::string out;
  out.reserve(variable.size());
  for (std::size_t i = 0; i < variable.size(); ++i) {
    if (variable[i] == '[') {
      const std::size_t close = variable.find(']', i);
      if (close != std::string_view::npos) {
        i = close;
        continue;
      }
    }
    out.push_back(variable[i]);
  }
  return out;
}

sdk::Distribution scale_by_temperature(const sdk::Distribution& d, double t) {
  std::vector<sdk::Candidate> c = d.candidates();
  if (c.empty()) return d;
  if (!std::isfinite(t) || t <= 0) t = 1.0;
  double top = 0.0;
  for (auto& x : c) {
    if (!std::isfinite(x.p) || x.p < 0) x.p = 0.0;
    top = std::max(top, x.p);
  }
  // Relative to the top probability even when t == 1: the weights are then at most 1, so their sum
  // cannot overflow (1e308 + 1e308 would make Distribution's normalisation divide by infinity).
  if (top > 0.0) {
    const double log_top = std::log(top);
    for (auto& x : c) {
      if (x.p <= 0.0) continue;
      x.p = t == 1.0 ? x.p / top : std::exp((std::log(x.p) - log_top) / t);
    }
  }
  return sdk::Distribution(std::move(c));  // renormalises; uniform when nothing was positive
}

void Temperature::check_config(const sdk::ConfigNode& config, sdk::ConfigErrors& errors) {
  const sdk::ConfigNode& per = config["per_variable"];
  if (!per.is_map()) return;
  for (const auto& entry : per.entries()) {
    if (!is_variable_name(entry.key.scalar()))
      errors.add(entry.key, "\"" + entry.key.scalar() +
                                "\" is not a variable name (lower-case words joined by dots, the first "
                                "optionally indexed: \"request\", \"time.polarity\", \"time[0].value\")");
  }
}

Temperature::Temperature(const sdk::PluginContext& ctx) {
  const sdk::ConfigNode& config = ctx.config();
  temperature_ = config.get_double("temperature", 1.0);
  for (const auto& entry : config["per_variable"].entries()) {
    const auto t = entry.value.as_double();
    if (!t || !(*t > 0)) {
      ctx.errors().add(entry.value, "expected a number above 0, got \"" + entry.value.scalar() + "\"");
      continue;
    }
    per_variable_[entry.key.scalar()] = *t;
  }
}

double Temperature::temperature_for(std::string_view variable) const {
  if (per_variable_.empty()) return temperature_;
  if (auto it = per_variable_.find(variable); it != per_variable_.end()) return it->second;
  if (variable.find('[') != std::string_view::npos) {
    if (auto it = per_variable_.find(without_indices(variable)); it != per_variable_.end()) return it->second;
  }
  return temperature_;
}

sdk::Status Temperature::on_estimate(const sdk::Message& /*msg*/, std::vector<sdk::Annotation>& annotations) {
  for (auto& a : annotations) {
    if (a.variable.distribution.empty()) continue;
    a.variable.distribution = scale_by_temperature(a.variable.distribution, temperature_for(a.variable.name));
  }
  return sdk::Status::ok();
}

}  // namespace tandem::plugins

TANDEM_PLUGIN(tandem::plugins::Temperature, .name = "tandem.estimator.temperature", .version = "0.1.0",
              .status = "alpha", .summary = "Temperature scaling of annotation distributions, per variable",
              .config_schema = tandem::plugins::kSchema, .thread_safe = true);
