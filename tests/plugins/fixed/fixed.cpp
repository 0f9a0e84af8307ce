// test.extractor.fixed — returns, for every message, the annotations its config lists, in config order:
//
//   annotations:
//     - variable: request
//       candidates: {meet: 0.75, cancel: 0.25}   # weights as written; the engine normalises them
//
// Each annotation is message-level (empty span at 0). With `refuse: "why"` the constructor reports a
// config error at that key, which the schema and check_config cannot see: only making the instance
// finds it (so it shows where Engine::open reports creation errors).
#include <tandem/sdk/plugin.hpp>

#include <string>
#include <vector>

namespace {

class Fixed final : public tandem::sdk::ExtractorPlugin {
 public:
  explicit Fixed(const tandem::sdk::PluginContext& ctx) {
    const tandem::sdk::ConfigNode& config = ctx.config();
    if (const auto* refuse = config.find("refuse")) ctx.errors().add(*refuse, "refused when made: " + refuse->scalar());
    for (const auto& item : config["annotations"].items()) {
      tandem::sdk::Annotation a;
      a.variable.name = item.get_string("variable");
      for (const auto& c : item["candidates"].entries())
        a.variable.distribution.add(c.key.scalar(), c.value.as_double().value_or(0.0));
      annotations_.push_back(std::move(a));
    }
  }

 protected:
  tandem::sdk::Status on_extract(const tandem::sdk::Message&, std::vector<tandem::sdk::Annotation>& out) override {
    out.insert(out.end(), annotations_.begin(), annotations_.end());
    return {};
  }

 private:
  std::vector<tandem::sdk::Annotation> annotations_;
};

}  // namespace

TANDEM_PLUGIN(Fixed, .name = "test.extractor.fixed", .version = "1.0.0", .status = "stable",
              .summary = "Returns the annotations its config lists (tests only)",
              .config_schema = R"({"type":"object","properties":{
                  "annotations":{"type":"array","default":[],"items":{"type":"object","required":["variable","candidates"],
                    "properties":{"variable":{"type":"string","minLength":1},
                                  "candidates":{"type":"object","minProperties":1,
                                                "additionalProperties":{"type":"number","minimum":0}}}}},
                  "refuse":{"type":"string","description":"report this config error from the constructor"}}})",
              .thread_safe = true);
