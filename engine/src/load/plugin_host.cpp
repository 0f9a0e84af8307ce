// PluginHost: Boost.DLL loading with every check done before a plugin is trusted (STYLE.md section 2).
#include "tandem/plugin_host.hpp"

#include <dlfcn.h>

// Boost 1.74's library_info headers use std::vector and std::string without including them.
#include <string>
#include <vector>

#include <boost/dll/library_info.hpp>
#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <exception>
#include <fstream>
#include <system_error>
#include <utility>
#include <variant>

#include "load/descriptor.hpp"
#include "load/search_paths.hpp"
#include "pipeline/schema.hpp"
#include "tandem/sdk/abi.h"
#include "tandem/services.hpp"

#ifndef TANDEM_PLUGIN_SUBDIR
#define TANDEM_PLUGIN_SUBDIR "tandem/plugins"
#endif

namespace tandem {
namespace {

namespace fs = std::filesystem;

const char kNotAPlugin[] =
    "not a tandem plugin: it exports no tandem_plugin descriptor (a plugin exports one with "
    "TANDEM_PLUGIN(...) from <tandem/sdk/plugin.hpp>)";

// One loaded, checked plugin library. Immutable once loaded.
struct LoadedPlugin {
  PluginInfo info;  // info.path is the canonical file
  std::shared_ptr<boost::dll::shared_library> library;
  const tandem_plugin_info* descriptor = nullptr;  // inside `library`
  std::shared_ptr<const detail::ConfigSchema> schema;
};

// A refused file: the problem and the Status code load() returns for it.
struct Refusal {
  LoadProblem problem;
  sdk::Code code = sdk::Code::invalid_input;
};

// Frees an object with the destroy function of the library that made it, and keeps that library loaded
// and the services alive until then: objects made by a plugin hold no reference to its library of their
// own (Boost.DLL tutorial, "library reference counting"). Members are released after the call, so the
// library is unloaded only once `destroy` has returned.
template <typename T>
struct InstanceDeleter {
  void (*destroy)(void*) = nullptr;
  std::shared_ptr<boost::dll::shared_library> library;
  std::shared_ptr<sdk::Services> services;
  void operator()(T* object) const noexcept {
    if (object != nullptr) destroy(static_cast<void*>(object));
  }
};

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// What library_info's exception means for someone who put a file into a plugin folder. Boost reports a
// short file as a stream error whatever it holds, so the first bytes decide between "not ELF at all" and
// "ELF, but damaged".
std::string not_a_library_reason(const std::exception& e, const fs::path& file) {
  const std::string_view what = e.what();
  if (what.find("Not native format") != std::string_view::npos)
    return "not a shared library for this platform (" + std::string(what) + ")";
  char magic[4] = {};
  std::ifstream in(file, std::ios::binary);
  in.read(magic, sizeof magic);
  if (in.gcount() == 0) return "not a shared library (the file is empty)";
  if (in.gcount() < 4 || std::string_view(magic, 4) != "\x7f" "ELF") return "not a shared library (not an ELF file)";
  return "not a shared library (its ELF headers cannot be read: the file is truncated or damaged)";
}

// dlerror()'s text without the file name it starts with (the problem names the file already).
std::string loader_reason(const char* dl_error, const fs::path& file) {
  std::string text = dl_error ? dl_error : "unknown error";
  const std::string prefix = file.string() + ": ";
  if (text.rfind(prefix, 0) == 0) text.erase(0, prefix.size());
  return "the dynamic loader refused it: " + text;
}

std::string_view last_part(std::string_view name) noexcept {
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

std::string with_article(std::string_view kind) {
  const bool vowel = !kind.empty() && std::string_view("aeiou").find(kind.front()) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ") + std::string(kind);
}

void add_error(sdk::ConfigErrors& errors, const sdk::ConfigNode& at, std::string message) noexcept {
  try {
    errors.add(at, std::move(message));
  } catch (...) {
    // Out of memory while reporting: the caller still gets nullptr.
  }
}

}  // namespace

struct PluginHost::Impl {
  std::shared_ptr<sdk::Services> services;
  std::vector<std::unique_ptr<LoadedPlugin>> plugins;  // load order; unique_ptr keeps PluginInfo* stable

  const LoadedPlugin* by_file(const fs::path& canonical) const {
    for (const auto& p : plugins)
      if (p->info.path == canonical) return p.get();
    return nullptr;
  }
  const LoadedPlugin* by_name(std::string_view name) const {
    for (const auto& p : plugins)
      if (p->info.name == name) return p.get();
    return nullptr;
  }
  // The loaded plugin a PluginInfo stands for: one of ours, or a copy of one (matched by name and file).
  const LoadedPlugin* of(const PluginInfo& info) const {
    for (const auto& p : plugins)
      if (&p->info == &info) return p.get();
    const LoadedPlugin* p = by_name(info.name);
    return p != nullptr && (info.path.empty() || info.path == p->info.path) ? p : nullptr;
  }

  std::variant<const PluginInfo*, Refusal> load(const fs::path& file) noexcept;
  std::variant<const PluginInfo*, Refusal> load_checked(const fs::path& path);
  sdk::ConfigNode check(const LoadedPlugin& plugin, const sdk::ConfigNode& config, sdk::ConfigErrors& errors) const;
  template <typename T>
  std::shared_ptr<T> make(const PluginInfo& plugin, std::string_view instance, const sdk::ConfigNode& config,
                          sdk::ConfigErrors& errors) noexcept;
};

std::variant<const PluginInfo*, Refusal> PluginHost::Impl::load(const fs::path& file) noexcept {
  fs::path path = file;
  try {
    std::error_code ec;
    if (fs::path absolute = fs::absolute(file, ec); !ec) path = absolute.lexically_normal();
    return load_checked(path);
  } catch (const std::exception& e) {
    try {
      return Refusal{LoadProblem{path, std::string("unexpected error while loading: ") + e.what()}, sdk::Code::internal};
    } catch (...) {
      return Refusal{LoadProblem{}, sdk::Code::internal};
    }
  } catch (...) {
    return Refusal{LoadProblem{}, sdk::Code::internal};
  }
}

std::variant<const PluginInfo*, Refusal> PluginHost::Impl::load_checked(const fs::path& path) {
  auto refuse = [&path](std::string reason, sdk::Code code = sdk::Code::invalid_input) {
    return Refusal{LoadProblem{path, std::move(reason)}, code};
  };

  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (st.type() == fs::file_type::not_found) return refuse("no such file", sdk::Code::not_found);
  if (ec) return refuse("cannot read it: " + ec.message(), sdk::Code::unavailable);
  if (fs::is_directory(st)) return refuse("not a shared library (it is a directory)");
  if (!fs::is_regular_file(st)) return refuse("not a shared library (not a regular file)");

  fs::path canonical = fs::canonical(path, ec);
  if (ec) canonical = path;
  if (const LoadedPlugin* already = by_file(canonical)) return &already->info;

  // 1. The file's headers, read without running any of its code: only a library that exports the
  //    `tandem_plugin` alias (in the section Boost.DLL aliases live in) is ever opened.
  bool has_section = false, has_symbol_table = false, has_alias = false;
  try {
    boost::dll::library_info headers(canonical);
    const std::vector<std::string> sections = headers.sections();
    has_section = contains(sections, TANDEM_PLUGIN_SECTION);
    has_symbol_table = contains(sections, ".symtab");
    if (has_section && has_symbol_table) has_alias = contains(headers.symbols(TANDEM_PLUGIN_SECTION), TANDEM_PLUGIN_SYMBOL);
  } catch (const std::exception& e) {
    return refuse(not_a_library_reason(e, canonical));
  }
  // A stripped library has no .symtab to list; it is opened when it has the section, and dlsym decides.
  if (!has_section || (has_symbol_table && !has_alias)) return refuse(kNotAPlugin);

  // 2. Open it. RTLD_NOW: a missing symbol shows now, as a refusal, not later as a crash mid-message.
  //    RTLD_LOCAL: plugins cannot see or shadow each other's symbols.
  auto library = std::make_shared<boost::dll::shared_library>();
  {
    boost::dll::fs::error_code load_ec;
    library->load(canonical, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, load_ec);
    if (load_ec || !library->is_loaded()) return refuse(loader_reason(dlerror(), canonical));
  }
  if (!library->has(TANDEM_PLUGIN_SYMBOL)) return refuse(kNotAPlugin);
  if (library->get<const tandem_plugin_info*>(TANDEM_PLUGIN_SYMBOL) == nullptr)
    return refuse("invalid descriptor: the tandem_plugin alias points nowhere");
  const tandem_plugin_info& descriptor = library->get_alias<const tandem_plugin_info>(TANDEM_PLUGIN_SYMBOL);

  // 3. The descriptor: ABI first, then size, toolchain and fields.
  auto checked = detail::check_descriptor(descriptor);
  if (!checked) return refuse(checked.status().message());
  PluginInfo info = std::move(checked).value();
  info.path = canonical;

  if (const LoadedPlugin* same = by_name(info.name))
    return refuse("plugin name '" + info.name + "' is already provided by " + same->info.path.string());

  // 4. The config schema, parsed once here and kept for every check_config and make_*.
  auto schema = detail::ConfigSchema::parse(info.config_schema);
  if (!schema) return refuse("invalid config schema: " + schema.status().message());

  auto loaded = std::make_unique<LoadedPlugin>();
  loaded->info = std::move(info);
  loaded->library = std::move(library);
  loaded->descriptor = &descriptor;
  loaded->schema = std::move(schema).value();
  plugins.push_back(std::move(loaded));
  return &plugins.back()->info;
}

sdk::ConfigNode PluginHost::Impl::check(const LoadedPlugin& plugin, const sdk::ConfigNode& config,
                                        sdk::ConfigErrors& errors) const {
  const std::size_t before = errors.size();
  sdk::ConfigNode with_defaults = plugin.schema->check(config, errors);
  // The plugin's own check assumes a config its schema accepted.
  if (errors.size() > before || plugin.descriptor->check_config == nullptr) return with_defaults;
  // A fresh collector with the caller's prefix: the SDK's check answers "any errors?" of the whole
  // collector, and the caller's may hold errors of other instances already.
  sdk::ConfigErrors own(errors.prefix());
  plugin.descriptor->check_config(&with_defaults, &own, services.get());
  for (const auto& e : own.all()) errors.add(e);
  return with_defaults;
}

template <typename T>
std::shared_ptr<T> PluginHost::Impl::make(const PluginInfo& plugin, std::string_view instance,
                                          const sdk::ConfigNode& config, sdk::ConfigErrors& errors) noexcept {
  try {
    const LoadedPlugin* p = of(plugin);
    if (p == nullptr) {
      add_error(errors, config, "plugin \"" + plugin.name + "\" is not loaded");
      return nullptr;
    }
    if (p->info.kind != T::kKind) {
      add_error(errors, config,
                "plugin \"" + p->info.name + "\" is " + with_article(p->info.kind) + ", not " + with_article(T::kKind));
      return nullptr;
    }
    const std::size_t before = errors.size();
    const sdk::ConfigNode node = check(*p, config, errors);
    if (errors.size() > before) return nullptr;

    sdk::ConfigErrors own(errors.prefix());
    const std::string name(instance);
    const tandem_create_args args{TANDEM_SDK_ABI_VERSION, static_cast<std::uint32_t>(sizeof(tandem_create_args)),
                                  name.c_str(), &node, services.get(), &own};
    void* raw = p->descriptor->create(&args);
    for (const auto& e : own.all()) errors.add(e);
    if (raw == nullptr) {
      if (own.empty())
        add_error(errors, config,
                  "plugin \"" + p->info.name + "\" could not make instance \"" + name + "\" and gave no reason");
      return nullptr;
    }
    if (!own.empty()) {  // made, yet with config errors: not usable
      p->descriptor->destroy(raw);
      return nullptr;
    }
    // `create` returned the kind's interface pointer as void*: cast back to exactly that type.
    return std::shared_ptr<T>(static_cast<T*>(raw), InstanceDeleter<T>{p->descriptor->destroy, p->library, services});
  } catch (const std::exception& e) {
    add_error(errors, config, std::string("could not make instance \"") + std::string(instance) + "\": " + e.what());
  } catch (...) {
    add_error(errors, config, "could not make instance \"" + std::string(instance) + "\"");
  }
  return nullptr;
}

PluginHost::PluginHost(std::shared_ptr<sdk::Services> services) : impl_(std::make_unique<Impl>()) {
  impl_->services = services ? std::move(services) : make_services();
}

PluginHost::~PluginHost() = default;

std::vector<fs::path> PluginHost::search_paths(const std::vector<fs::path>& first) {
  std::optional<fs::path> bundled;
  try {
    if (auto code = detail::engine_code_file()) bundled = detail::bundled_plugin_dir(*code, TANDEM_PLUGIN_SUBDIR);
  } catch (...) {
    // The engine cannot tell where it is: only the explicit paths are searched.
  }
  return detail::plugin_search_paths(first, std::getenv("TANDEM_PLUGIN_PATH"), bundled);
}

sdk::Result<const PluginInfo*> PluginHost::load(const fs::path& file) {
  try {
    auto outcome = impl_->load(file);
    if (auto* refusal = std::get_if<Refusal>(&outcome))
      return sdk::Status(refusal->code, refusal->problem.to_string());
    return std::get<const PluginInfo*>(outcome);
  } catch (...) {
    return sdk::Status(sdk::Code::internal, "out of memory while loading " + file.string());
  }
}

std::vector<LoadProblem> PluginHost::load_directory(const fs::path& dir) {
  std::vector<LoadProblem> problems;
  try {
    std::error_code ec;
    const fs::file_status st = fs::status(dir, ec);
    if (st.type() == fs::file_type::not_found) return {LoadProblem{dir, "no such directory"}};
    if (!fs::is_directory(st)) return {LoadProblem{dir, ec ? "cannot read it: " + ec.message() : "not a directory"}};

    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".so") files.push_back(it->path());
    if (ec) problems.push_back(LoadProblem{dir, "cannot list the directory: " + ec.message()});
    // Sorted, so which of two same-named plugins wins does not depend on the file system's order.
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto outcome = impl_->load(f);
      if (auto* refusal = std::get_if<Refusal>(&outcome)) problems.push_back(std::move(refusal->problem));
    }
  } catch (const std::exception& e) {
    try {
      problems.push_back(LoadProblem{dir, std::string("unexpected error while loading: ") + e.what()});
    } catch (...) {
    }
  }
  return problems;
}

std::vector<LoadProblem> PluginHost::load_all(const std::vector<fs::path>& dirs, bool missing_ok) {
  std::vector<LoadProblem> problems;
  try {
    for (const auto& dir : dirs) {
      std::error_code ec;
      if (missing_ok && !fs::exists(dir, ec)) continue;
      auto more = load_directory(dir);
      problems.insert(problems.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
    }
  } catch (...) {
    // Only allocation can fail here; what was gathered so far is returned.
  }
  return problems;
}

const PluginInfo* PluginHost::find(std::string_view name) const {
  if (const LoadedPlugin* p = impl_->by_name(name)) return &p->info;
  const PluginInfo* match = nullptr;
  for (const auto& p : impl_->plugins) {
    if (last_part(p->info.name) != name) continue;
    if (match != nullptr) return nullptr;  // ambiguous: the full name is needed
    match = &p->info;
  }
  return match;
}

std::vector<const PluginInfo*> PluginHost::plugins() const {
  std::vector<const PluginInfo*> out;
  out.reserve(impl_->plugins.size());
  for (const auto& p : impl_->plugins) out.push_back(&p->info);
  std::sort(out.begin(), out.end(), [](const PluginInfo* a, const PluginInfo* b) { return a->name < b->name; });
  return out;
}

std::vector<std::string> PluginHost::names() const {
  std::vector<std::string> out;
  for (const PluginInfo* p : plugins()) out.push_back(p->name);
  return out;
}

sdk::ConfigNode PluginHost::check_config(const PluginInfo& plugin, const sdk::ConfigNode& config,
                                         sdk::ConfigErrors& errors) const {
  try {
    const LoadedPlugin* p = impl_->of(plugin);
    if (p == nullptr) {
      add_error(errors, config, "plugin \"" + plugin.name + "\" is not loaded");
      return config;
    }
    return impl_->check(*p, config, errors);
  } catch (const std::exception& e) {
    add_error(errors, config, std::string("could not check the config: ") + e.what());
  } catch (...) {
    add_error(errors, config, "could not check the config");
  }
  return sdk::ConfigNode();
}

std::shared_ptr<sdk::Extractor> PluginHost::make_extractor(const PluginInfo& plugin, std::string_view instance,
                                                           const sdk::ConfigNode& config, sdk::ConfigErrors& errors) {
  return impl_->make<sdk::Extractor>(plugin, instance, config, errors);
}

std::shared_ptr<sdk::Estimator> PluginHost::make_estimator(const PluginInfo& plugin, std::string_view instance,
                                                           const sdk::ConfigNode& config, sdk::ConfigErrors& errors) {
  return impl_->make<sdk::Estimator>(plugin, instance, config, errors);
}

std::shared_ptr<sdk::Backend> PluginHost::make_backend(const PluginInfo& plugin, std::string_view instance,
                                                       const sdk::ConfigNode& config, sdk::ConfigErrors& errors) {
  return impl_->make<sdk::Backend>(plugin, instance, config, errors);
}

std::shared_ptr<sdk::Aggregator> PluginHost::make_aggregator(const PluginInfo& plugin, std::string_view instance,
                                                             const sdk::ConfigNode& config, sdk::ConfigErrors& errors) {
  return impl_->make<sdk::Aggregator>(plugin, instance, config, errors);
}

sdk::Services& PluginHost::services() const noexcept { return *impl_->services; }

const std::shared_ptr<sdk::Services>& PluginHost::shared_services() const noexcept { return impl_->services; }

}  // namespace tandem
