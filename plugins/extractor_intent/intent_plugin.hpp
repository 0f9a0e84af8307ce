// tandem.extractor.intent — the scheduling intent of the newest message: request, event type, duration,
// location, required and optional participants, and the sessions of an interview loop, each a variable
// with a categorical distribution (intent.hpp has the rules, data/<lang>.yaml the wording; README.md the
// config reference).
//
// Thread-safety: an instance is immutable after construction; extract() may run on many threads at once.
// Ownership: keeps a reference to the host's Services, which outlives the instance.
#ifndef TANDEM_PLUGINS_EXTRACTOR_INTENT_INTENT_PLUGIN_HPP_
#define TANDEM_PLUGINS_EXTRACTOR_INTENT_INTENT_PLUGIN_HPP_

#include <map>
#include <string>
#include <vector>

#include "intent.hpp"
#include "lexicon.hpp"
#include "tandem/sdk/plugin.hpp"

namespace tandem::plugins::intent {

class IntentExtractor final : public sdk::ExtractorPlugin {
 public:
  explicit IntentExtractor(const sdk::PluginContext& ctx);

  // The languages loaded (ISO 639-1 codes), for tests and logs.
  std::vector<std::string> languages() const;

 protected:
  sdk::Status on_extract(const sdk::Message& msg, std::vector<sdk::Annotation>& out) override;

 private:
  const Language* language_for(const sdk::Message& msg) const;

  sdk::Services& services_;
  std::map<std::string, Language> languages_;
  std::map<std::string, std::vector<std::string>> calendar_words_;  // per language, folded
  std::string default_language_;
  Directory directory_;
  Options options_;
};

}  // namespace tandem::plugins::intent

#endif  // TANDEM_PLUGINS_EXTRACTOR_INTENT_INTENT_PLUGIN_HPP_
