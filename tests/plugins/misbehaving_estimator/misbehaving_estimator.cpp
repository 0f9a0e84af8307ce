// test.estimator.misbehaving — first squares every candidate's probability (a deterministic
// recalibration: {0.75, 0.25} becomes {0.9, 0.1} once normalised), then commits the defect its config
// names:
//   none              nothing more: a well-behaved estimator
//   drop              removes the last annotation
//   add               appends a copy of the first annotation
//   rename            renames the first annotation's variable to "<name>.renamed"
//   move_span         moves the first annotation's span one byte on
//   nan_probability   sets the first annotation's top candidate to NaN
//   fail_unavailable  returns Status unavailable("model server down") after the edits
// The engine must refuse every defect and keep the annotations as they were before the estimator.
#include <tandem/sdk/plugin.hpp>

#include <limits>
#include <string>
#include <vector>

namespace {

class Misbehaving final : public tandem::sdk::EstimatorPlugin {
 public:
  explicit Misbehaving(const tandem::sdk::PluginContext& ctx) : defect_(ctx.config().get_string("defect")) {}

 protected:
  tandem::sdk::Status on_estimate(const tandem::sdk::Message&, std::vector<tandem::sdk::Annotation>& annotations) override {
    for (auto& a : annotations) {
      tandem::sdk::Distribution sharper;
      for (const auto& c : a.variable.distribution.candidates()) sharper.add(c.value, c.p * c.p);
      sharper.normalize();
      a.variable.distribution = std::move(sharper);
    }
    if (annotations.empty() || defect_ == "none") return {};
    if (defect_ == "drop") {
      annotations.pop_back();
    } else if (defect_ == "add") {
      annotations.push_back(annotations.front());
    } else if (defect_ == "rename") {
      annotations.front().variable.name += ".renamed";
    } else if (defect_ == "move_span") {
      annotations.front().span.begin += 1;
      annotations.front().span.end += 1;
    } else if (defect_ == "nan_probability") {
      tandem::sdk::Distribution d;
      for (const auto& c : annotations.front().variable.distribution.candidates())
        d.add(c.value, d.empty() ? std::numeric_limits<double>::quiet_NaN() : c.p);
      annotations.front().variable.distribution = std::move(d);
    } else if (defect_ == "fail_unavailable") {
      return tandem::sdk::Status::unavailable("model server down");
    }
    return {};
  }

 private:
  std::string defect_;
};

}  // namespace

TANDEM_PLUGIN(Misbehaving, .name = "test.estimator.misbehaving", .version = "1.0.0",
              .summary = "Sharpens distributions, then breaks the estimator contract as configured (tests only)",
              .config_schema = R"({"type":"object","properties":{
                  "defect":{"enum":["none","drop","add","rename","move_span","nan_probability","fail_unavailable"],
                            "default":"none"}}})",
              .thread_safe = true);
