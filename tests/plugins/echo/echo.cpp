// test.extractor.echo — annotates the whole text as the variable "echo", with one candidate: the
// configured prefix followed by the text. The note is the case-folded text, through the engine's
// services, so tests can tell that the services outlive the host that made the instance.
#include <tandem/sdk/plugin.hpp>

#include <string>
#include <vector>

namespace {

class Echo final : public tandem::sdk::ExtractorPlugin {
 public:
  explicit Echo(const tandem::sdk::PluginContext& ctx)
      : prefix_(ctx.config().get_string("prefix")), services_(ctx.services()) {}

  // Beyond the schema: the prefix goes into one line of output, so it may not break lines.
  static void check_config(const tandem::sdk::ConfigNode& config, tandem::sdk::ConfigErrors& errors) {
    if (const auto* prefix = config.find("prefix"); prefix && prefix->scalar().find('\n') != std::string::npos)
      errors.add(*prefix, "expected one line, got a line break");
  }

 protected:
  tandem::sdk::Status on_extract(const tandem::sdk::Message& msg, std::vector<tandem::sdk::Annotation>& out) override {
    tandem::sdk::Annotation a;
    a.variable.name = "echo";
    a.variable.distribution = tandem::sdk::Distribution({{prefix_ + msg.text, 1.0}});
    a.span = {0, msg.text.size()};
    a.note = services_.locale().fold_case(msg.text);
    out.push_back(std::move(a));
    return {};
  }

 private:
  std::string prefix_;
  tandem::sdk::Services& services_;
};

}  // namespace

TANDEM_PLUGIN(Echo, .name = "test.extractor.echo", .version = "1.0.0", .status = "stable",
              .summary = "Echoes the message text (tests only)",
              .config_schema = R"({"type":"object","properties":{
                  "prefix":{"type":"string","default":"","description":"put in front of the echoed text"}}})",
              .thread_safe = true);
