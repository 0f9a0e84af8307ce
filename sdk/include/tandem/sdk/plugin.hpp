// tandem SDK — writing a plugin: the context a plugin is built with and the one export macro.
//
//   class Dates final : public tandem::sdk::ExtractorPlugin {
//    public:
//     explicit Dates(const tandem::sdk::PluginContext& ctx);          // read ctx.config() here
//     static void check_config(const tandem::sdk::ConfigNode& config,  // optional: checks beyond
//                              tandem::sdk::ConfigErrors& errors);     // the JSON schema
//    protected:
//     tandem::sdk::Status on_extract(const tandem::sdk::Message&,
//                                    std::vector<tandem::sdk::Annotation>&) override;
//   };
//   TANDEM_PLUGIN(Dates, .name = "acme.extractor.dates", .version = "1.2.0", .status = "alpha",
//                 .summary = "Dates in ISO form", .config_schema = R"({"type":"object"})",
//                 .thread_safe = true)
//
// The macro generates the C descriptor (abi.h), a create/destroy pair that never throws, and the
// exported `tandem_plugin` alias. Fields are designated initializers, in the order of PluginMeta.
// Use it once per library, at namespace scope, in one .cpp file.
//
// Errors across the boundary: configuration problems go to ctx.errors() (with the node they concern);
// a constructor that throws is reported as a config error at the instance's root node; calls return
// Status, and the SDK bases catch whatever a hook throws. Nothing unwinds into the host.
#ifndef TANDEM_SDK_PLUGIN_HPP_
#define TANDEM_SDK_PLUGIN_HPP_

#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "tandem/sdk/abi.h"
#include "tandem/sdk/aggregator.hpp"
#include "tandem/sdk/backend.hpp"
#include "tandem/sdk/config.hpp"
#include "tandem/sdk/estimator.hpp"
#include "tandem/sdk/extractor.hpp"
#include "tandem/sdk/services.hpp"
#include "tandem/sdk/status.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem::sdk {

// What a plugin's constructor receives. OWNERSHIP: all borrowed; `services()` outlives the plugin
// object, the rest only the constructor call.
class PluginContext {
 public:
  PluginContext(std::string_view instance_name, const ConfigNode& config, Services& services, ConfigErrors& errors)
      : instance_name_(instance_name), config_(config), services_(services), errors_(errors) {}

  std::string_view instance_name() const noexcept { return instance_name_; }
  const ConfigNode& config() const noexcept { return config_; }
  Services& services() const noexcept { return services_; }
  // Report what is wrong with the config here; any error makes the creation fail with all of them.
  ConfigErrors& errors() const noexcept { return errors_; }

 private:
  std::string_view instance_name_;
  const ConfigNode& config_;
  Services& services_;
  ConfigErrors& errors_;
};

// The descriptor a plugin declares. `config_schema` is JSON Schema text (the subset in sdk/README.md);
// the default accepts an empty config only.
struct PluginMeta {
  const char* name = nullptr;
  const char* version = nullptr;
  const char* status = "alpha";
  const char* summary = "";
  const char* config_schema = R"({"type":"object","additionalProperties":false})";
  bool thread_safe = false;
};

namespace detail {

constexpr bool meta_is_valid(const PluginMeta& m) {
  if (m.name == nullptr || m.version == nullptr || m.status == nullptr || m.summary == nullptr ||
      m.config_schema == nullptr)
    return false;
  const std::string_view name(m.name);
  const std::string_view status(m.status);
  if (name.find('.') == std::string_view::npos || name.front() == '.' || name.back() == '.') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) return false;
  return status == "stable" || status == "alpha" || status == "wip";
}

template <typename C>
concept HasCheckConfig = requires(const ConfigNode& n, ConfigErrors& e) { C::check_config(n, e); };

// Both report into a collector that may already hold other instances' errors: what counts is what
// this call added.
template <typename C>
int check_config(const void* config, void* errors, void* /*services*/) noexcept {
  auto& errs = *static_cast<ConfigErrors*>(errors);
  const std::size_t before = errs.size();
  const auto& node = *static_cast<const ConfigNode*>(config);
  try {
    if constexpr (HasCheckConfig<C>) C::check_config(node, errs);
  } catch (const std::exception& e) {
    try { errs.add(node, std::string("the plugin's config check threw: ") + e.what()); } catch (...) {}
  } catch (...) {
    try { errs.add(node, "the plugin's config check threw a non-standard exception"); } catch (...) {}
  }
  return errs.size() == before ? 0 : 1;
}

template <typename C>
void* create(const tandem_create_args* args) noexcept {
  if (args == nullptr || args->abi_version != TANDEM_SDK_ABI_VERSION ||
      args->args_size < sizeof(tandem_create_args) || args->errors == nullptr || args->config == nullptr ||
      args->services == nullptr)
    return nullptr;
  auto& errs = *static_cast<ConfigErrors*>(args->errors);
  const std::size_t before = errs.size();
  const auto& node = *static_cast<const ConfigNode*>(args->config);
  try {
    if (check_config<C>(args->config, args->errors, args->services) != 0) return nullptr;
    const PluginContext ctx(args->instance_name ? args->instance_name : "", node,
                            *static_cast<Services*>(args->services), errs);
    auto object = std::make_unique<C>(ctx);
    if (errs.size() != before) return nullptr;
    typename C::Interface* iface = object.release();
    return static_cast<void*>(iface);
  } catch (const std::exception& e) {
    try { errs.add(node, std::string("the plugin failed to start: ") + e.what()); } catch (...) {}
  } catch (...) {
    try { errs.add(node, "the plugin failed to start: non-standard exception"); } catch (...) {}
  }
  return nullptr;
}

template <typename C>
void destroy(void* object) noexcept {
  delete static_cast<typename C::Interface*>(object);
}

template <typename C>
constexpr void check_plugin_class() {
  using I = typename C::Interface;
  static_assert(std::is_same_v<I, Extractor> || std::is_same_v<I, Estimator> || std::is_same_v<I, Backend> ||
                    std::is_same_v<I, Aggregator>,
                "TANDEM_PLUGIN: the class must derive from one of the SDK plugin bases");
  static_assert(std::is_base_of_v<ExtractorPlugin, C> || std::is_base_of_v<EstimatorPlugin, C> ||
                    std::is_base_of_v<BackendPlugin, C> || std::is_base_of_v<AggregatorPlugin, C>,
                "TANDEM_PLUGIN: derive from ExtractorPlugin, EstimatorPlugin, BackendPlugin or AggregatorPlugin "
                "(they keep exceptions inside the plugin)");
  static_assert(std::is_constructible_v<C, const PluginContext&>,
                "TANDEM_PLUGIN: the class needs a constructor taking const tandem::sdk::PluginContext&");
}

template <typename C>
constexpr tandem_plugin_info make_info(const PluginMeta& m) {
  check_plugin_class<C>();
  return tandem_plugin_info{
      TANDEM_SDK_ABI_VERSION,
      static_cast<uint32_t>(sizeof(tandem_plugin_info)),
      TANDEM_SDK_TOOLCHAIN,
      m.name,
      C::Interface::kKind.data(),
      m.version,
      m.status,
      m.summary,
      m.config_schema,
      m.thread_safe ? 1u : 0u,
      0u,
      &check_config<C>,
      &create<C>,
      &destroy<C>,
  };
}

}  // namespace detail
}  // namespace tandem::sdk

#if defined(__GNUC__) || defined(__clang__)
#define TANDEM_SDK_EXPORT __attribute__((visibility("default")))
#define TANDEM_SDK_ALIAS_SECTION __attribute__((section("boostdll")))
#else
#error "tandem plugins are built with GCC or Clang"
#endif

// Exports `Class` as this library's plugin. See the top of this file.
// The alias has the layout of Boost.DLL's BOOST_DLL_ALIAS(info, tandem_plugin): an exported
// `const void*` in section "boostdll" holding the descriptor's address.
// With TANDEM_PLUGIN_NO_EXPORT defined, the checks still run but nothing is exported: for linking
// plugin sources straight into a test or benchmark program, several at once.
#if defined(TANDEM_PLUGIN_NO_EXPORT)
#define TANDEM_PLUGIN_DEFINE_ALIAS_
#else
#define TANDEM_PLUGIN_DEFINE_ALIAS_                                                                 \
  extern "C" TANDEM_SDK_EXPORT const void* tandem_plugin;                                           \
  TANDEM_SDK_ALIAS_SECTION const void* tandem_plugin = static_cast<const void*>(&kInfo);
#endif

#define TANDEM_PLUGIN(Class, ...)                                                                   \
  namespace tandem_plugin_export_ {                                                                 \
  constexpr ::tandem::sdk::PluginMeta kMeta{__VA_ARGS__};                                           \
  static_assert(::tandem::sdk::detail::meta_is_valid(kMeta),                                        \
                "TANDEM_PLUGIN: .name (dotted, lower case) and .version are required; .status is "  \
                "stable, alpha or wip");                                                            \
  [[maybe_unused]] constexpr tandem_plugin_info kInfo = ::tandem::sdk::detail::make_info<Class>(kMeta); \
  TANDEM_PLUGIN_DEFINE_ALIAS_                                                                       \
  }                                                                                                 \
  static_assert(true, "")

#endif  // TANDEM_SDK_PLUGIN_HPP_
