// test.extractor.bad_annotation — returns a well-formed annotation of "good" and then one annotation of
// "bad" with the defect its config names:
//   span_past_end         span [0, text size + 1)
//   nan_probability       candidates {a: NaN, b: 0.5}
//   negative_probability  candidates {a: -0.25, b: 0.5}
//   zero_probabilities    candidates {a: 0, b: 0}
//   no_candidates         an empty distribution
//   no_variable           an empty variable name (candidates {a: 1})
// The engine must refuse the extractor's whole output and say what was wrong.
#include <tandem/sdk/plugin.hpp>

#include <limits>
#include <string>
#include <vector>

namespace {

class BadAnnotation final : public tandem::sdk::ExtractorPlugin {
 public:
  explicit BadAnnotation(const tandem::sdk::PluginContext& ctx) : defect_(ctx.config().get_string("defect")) {}

 protected:
  tandem::sdk::Status on_extract(const tandem::sdk::Message& msg, std::vector<tandem::sdk::Annotation>& out) override {
    tandem::sdk::Annotation good;
    good.variable.name = "good";
    good.variable.distribution.add("fine", 1.0);
    out.push_back(std::move(good));

    // Distribution::add, never the normalising constructor: the weights must reach the engine as written.
    tandem::sdk::Annotation bad;
    bad.variable.name = "bad";
    if (defect_ == "span_past_end") {
      bad.variable.distribution.add("a", 1.0);
      bad.span = {0, msg.text.size() + 1};
    } else if (defect_ == "nan_probability") {
      bad.variable.distribution.add("a", std::numeric_limits<double>::quiet_NaN());
      bad.variable.distribution.add("b", 0.5);
    } else if (defect_ == "negative_probability") {
      bad.variable.distribution.add("a", -0.25);
      bad.variable.distribution.add("b", 0.5);
    } else if (defect_ == "zero_probabilities") {
      bad.variable.distribution.add("a", 0.0);
      bad.variable.distribution.add("b", 0.0);
    } else if (defect_ == "no_variable") {
      bad.variable.name.clear();
      bad.variable.distribution.add("a", 1.0);
    }  // no_candidates: nothing added
    out.push_back(std::move(bad));
    return {};
  }

 private:
  std::string defect_;
};

}  // namespace

TANDEM_PLUGIN(BadAnnotation, .name = "test.extractor.bad_annotation", .version = "1.0.0",
              .summary = "Returns a malformed annotation (tests only)",
              .config_schema = R"({"type":"object","required":["defect"],"properties":{
                  "defect":{"enum":["span_past_end","nan_probability","negative_probability",
                                    "zero_probabilities","no_candidates","no_variable"]}}})",
              .thread_safe = true);
