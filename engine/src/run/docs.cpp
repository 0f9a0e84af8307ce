#include "pipeline/schema.hpp"
#include "tandem/pipeline.hpp"

namespace tandem {

std::string config_reference(const PluginInfo& plugin) {
  auto schema = detail::ConfigSchema::parse(plugin.config_schema);
  if (!schema) return "(the config schema is not valid: " + schema.status().message() + ")\n";
  return (*schema)->markdown();
}

}  // namespace tandem
