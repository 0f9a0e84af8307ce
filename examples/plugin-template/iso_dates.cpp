// acme.extractor.iso_dates — a template for tandem plugins: finds ISO 8601 calendar dates
// ("2026-12-01") in a message and annotates each as a variable `date[i]` with the date as its value.
//
// Everything a plugin needs is here: a class deriving from an SDK plugin base, a constructor reading
// its config, an optional static check_config for what the JSON schema cannot say, the hook, and the
// one export macro. It includes SDK headers only.
#include <tandem/sdk/plugin.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace acme {

namespace sdk = tandem::sdk;

constexpr const char* kSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "variable": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "default": "date",
                 "description": "Name of the variables made: date[0], date[1], ..."},
    "min_year": {"type": "integer", "minimum": 1, "maximum": 9999, "default": 1900,
                 "description": "Dates before this year are not dates (product codes, ids)"},
    "max_year": {"type": "integer", "minimum": 1, "maximum": 9999, "default": 2100,
                 "description": "Dates after this year are not dates"}
  }
})json";

class IsoDates final : public sdk::ExtractorPlugin {
 public:
  explicit IsoDates(const sdk::PluginContext& ctx)
      : variable_(ctx.config().get_string("variable", "date")),
        min_year_(static_cast<int>(ctx.config().get_int("min_year", 1900))),
        max_year_(static_cast<int>(ctx.config().get_int("max_year", 2100))) {}

  // What the schema cannot say: the range must not be empty.
  static void check_config(const sdk::ConfigNode& config, sdk::ConfigErrors& errors) {
    const auto min = config.get_int("min_year", 1900);
    const auto max = config.get_int("max_year", 2100);
    if (min > max) {
      const sdk::ConfigNode& at = config.has("max_year") ? config["max_year"] : config;
      errors.add(at, "max_year " + std::to_string(max) + " is before min_year " + std::to_string(min));
    }
  }

 protected:
  sdk::Status on_extract(const sdk::Message& msg, std::vector<sdk::Annotation>& out) override {
    const std::string& t = msg.text;
    int index = 0;
    for (std::size_t i = 0; i + 10 <= t.size(); ++i) {
      if (!starts_date(t, i)) continue;
      int y = 0, m = 0, d = 0;
      if (std::sscanf(t.c_str() + i, "%4d-%2d-%2d", &y, &m, &d) != 3) continue;
      const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                                             std::chrono::day(static_cast<unsigned>(d))};
      if (!date.ok() || y < min_year_ || y > max_year_) continue;
      sdk::Annotation a;
      a.variable.name = variable_ + "[" + std::to_string(index++) + "]";
      a.variable.distribution = sdk::Distribution({{t.substr(i, 10), 1.0}});
      a.span = {i, i + 10};
      a.note = "ISO 8601 date";
      out.push_back(std::move(a));
      i += 9;
    }
    return sdk::Status::ok();
  }

 private:
  static bool digit(char c) { return c >= '0' && c <= '9'; }
  // dddd-dd-dd at i, not inside a longer run of digits.
  static bool starts_date(const std::string& t, std::size_t i) {
    if (i > 0 && (digit(t[i - 1]) || t[i - 1] == '-')) return false;
    if (i + 10 < t.size() && (digit(t[i + 10]) || t[i + 10] == '-')) return false;
    for (std::size_t k = 0; k < 10; ++k) {
      const bool dash = k == 4 || k == 7;
      if (dash ? t[i + k] != '-' : !digit(t[i + k])) return false;
    }
    return true;
  }

  std::string variable_;
  int min_year_;
  int max_year_;
};

}  // namespace acme

TANDEM_PLUGIN(acme::IsoDates,
              .name = "acme.extractor.iso_dates",
              .version = "0.1.0",
              .status = "alpha",
              .summary = "ISO 8601 calendar dates (2026-12-01) as date[i] variables",
              .config_schema = acme::kSchema,
              .thread_safe = true);
