#include "load/descriptor.hpp"

#include <string>
#include <vector>


namespace tandem::detail {
namespace {

constexpr std::string_view kKinds[] = {"extractor", "estimator", "backend", "aggregator"};
constexpr std::string_view kStatuses[] = {"stable", "alpha", "wip"};

bool is_one_of(std::string_view value, const std::string_view* begin, const std::string_view* end) noexcept {
  for (auto* it = begin; it != end; ++it)
    if (*it == value) return true;
  return false;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string rebuild_hint() {
  return "rebuild it against tandem " + std::to_string(TANDEM_SDK_ABI_VERSION) + ".x";
}

}  // namespace

const std::string_view kPluginKindList = "extractor, estimator, backend, aggregator";

bool is_valid_plugin_name(std::string_view name) noexcept {
  if (name.empty() || name.front() == '.' || name.back() == '.' || name.find('.') == std::string_view::npos ||
      name.find("..") != std::string_view::npos)
    return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) return false;
  return true;
}

sdk::Result<PluginInfo> check_descriptor(const tandem_plugin_info& info) {
  if (info.abi_version != TANDEM_SDK_ABI_VERSION)
    return sdk::Status::invalid_input("built for tandem SDK ABI " + std::to_string(info.abi_version) +
                                      ", this engine speaks ABI " + std::to_string(TANDEM_SDK_ABI_VERSION) + ": " +
                                      rebuild_hint());
  if (info.info_size < sizeof(tandem_plugin_info))
    return sdk::Status::invalid_input("its descriptor is " + std::to_string(info.info_size) +
                                      " bytes, tandem SDK ABI " + std::to_string(TANDEM_SDK_ABI_VERSION) +
                                      " needs " + std::to_string(sizeof(tandem_plugin_info)) + ": " + rebuild_hint());
  const std::string_view ours = TANDEM_SDK_TOOLCHAIN;
  if (info.toolchain == nullptr || ours != info.toolchain)
    return sdk::Status::invalid_input(
        "built with toolchain " + (info.toolchain ? quoted(info.toolchain) : std::string("(none given)")) +
        ", this engine was built with " + quoted(ours) +
        ": rebuild it with the same C++ ABI and standard library as the engine");

  std::vector<std::string> problems;
  if (info.name == nullptr || *info.name == '\0') problems.emplace_back("no name");
  else if (!is_valid_plugin_name(info.name))
    problems.push_back("name " + quoted(info.name) +
                       " is not dotted lower case (owner first, e.g. \"acme.extractor.dates\")");
  if (info.kind == nullptr || *info.kind == '\0') problems.push_back("no kind (one of " + std::string(kPluginKindList) + ")");
  else if (!is_one_of(info.kind, std::begin(kKinds), std::end(kKinds)))
    problems.push_back("kind " + quoted(info.kind) + " is not one of " + std::string(kPluginKindList));
  if (info.version == nullptr || *info.version == '\0') problems.emplace_back("no version");
  if (info.status == nullptr || *info.status == '\0') problems.emplace_back("no status (one of stable, alpha, wip)");
  else if (!is_one_of(info.status, std::begin(kStatuses), std::end(kStatuses)))
    problems.push_back("status " + quoted(info.status) + " is not one of stable, alpha, wip");
  if (info.config_schema == nullptr) problems.emplace_back("no config_schema");
  if (info.thread_safe > 1) problems.push_back("thread_safe is " + std::to_string(info.thread_safe) + ", not 0 or 1");
  if (info.create == nullptr) problems.emplace_back("no create function");
  if (info.destroy == nullptr) problems.emplace_back("no destroy function");
  if (!problems.empty()) {
    std::string reason = "invalid descriptor: ";
    for (std::size_t i = 0; i < problems.size(); ++i) reason += (i ? "; " : "") + problems[i];
    return sdk::Status::invalid_input(std::move(reason));
  }

  PluginInfo out;
  out.name = info.name;
  out.kind = info.kind;
  out.version = info.version;
  out.status = info.status;
  out.summary = info.summary ? info.summary : "";
  out.config_schema = info.config_schema;
  out.toolchain = info.toolchain;
  out.abi_version = info.abi_version;
  out.thread_safe = info.thread_safe == 1;
  return out;
}

}  // namespace tandem::detail
