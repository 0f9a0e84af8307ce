// test.extractor.status_error — appends an annotation of "partial", then returns the error Status its
// config names: {code: invalid_input | not_found | unavailable | plugin_failed | internal, message: ...}.
// The engine must discard the appended annotation (an extractor's output counts only when it succeeds)
// and make the message failed, retryable unless the code is invalid_input.
#include <tandem/sdk/plugin.hpp>

#include <string>
#include <vector>

namespace {

tandem::sdk::Code code_named(const std::string& name) {
  using tandem::sdk::Code;
  for (Code c : {Code::invalid_input, Code::not_found, Code::unavailable, Code::plugin_failed, Code::internal})
    if (tandem::sdk::code_name(c) == name) return c;
  return Code::internal;  // the schema's enum admits no other name
}

class StatusError final : public tandem::sdk::ExtractorPlugin {
 public:
  explicit StatusError(const tandem::sdk::PluginContext& ctx)
      : code_(code_named(ctx.config().get_string("code"))), message_(ctx.config().get_string("message")) {}

 protected:
  tandem::sdk::Status on_extract(const tandem::sdk::Message&, std::vector<tandem::sdk::Annotation>& out) override {
    tandem::sdk::Annotation a;
    a.variable.name = "partial";
    a.variable.distribution.add("yes", 1.0);
    out.push_back(std::move(a));
    return {code_, message_};
  }

 private:
  tandem::sdk::Code code_;
  std::string message_;
};

}  // namespace

TANDEM_PLUGIN(StatusError, .name = "test.extractor.status_error", .version = "1.0.0",
              .summary = "Returns the error Status its config names (tests only)",
              .config_schema = R"({"type":"object","required":["code"],"properties":{
                  "code":{"enum":["invalid_input","not_found","unavailable","plugin_failed","internal"]},
                  "message":{"type":"string","default":"failed as configured"}}})",
              .thread_safe = true);
