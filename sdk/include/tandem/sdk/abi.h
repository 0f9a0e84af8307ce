/* tandem SDK — the C descriptor every plugin library exports.
 *
 * This is the only thing the host reads from a library before it trusts it. It is plain C so that its
 * layout does not depend on the C++ compiler: fixed-width integers, static strings, function pointers.
 * A plugin never fills it by hand; TANDEM_PLUGIN (plugin.hpp) generates it.
 *
 * How it is found: the library exports one symbol, `tandem_plugin`, laid out as a Boost.DLL alias (a
 * `const void*` in the section "boostdll" pointing at the descriptor), so the host reads it with
 * boost::dll::shared_library::get_alias and lists it with boost::dll::library_info without loading the
 * file. Plugins do not need Boost to produce it.
 *
 * Version rule: the host compares `abi_version` first and reads nothing else when it differs. It then
 * reads no field past `info_size`. TANDEM_SDK_ABI_VERSION changes on ANY change of layout, of a
 * virtual table, or of an SDK value type that crosses the boundary; the CMake package's major version
 * changes with it, so find_package(tandem N) cannot pick an incompatible SDK.
 *
 * Thread-safety: the descriptor is immutable. `create` and `destroy` may be called from any thread.
 */
#ifndef TANDEM_SDK_ABI_H_
#define TANDEM_SDK_ABI_H_

#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
#include <cstddef> /* defines the standard library's macros that the toolchain tag reads */
#endif

#define TANDEM_SDK_ABI_VERSION 3u

/* The exported alias name and the section Boost.DLL lists aliases in. */
#define TANDEM_PLUGIN_SYMBOL "tandem_plugin"
#define TANDEM_PLUGIN_SECTION "boostdll"

/* C++ objects cross the boundary (SDK interfaces and std:: value types), so host and plugin must share
 * one C++ ABI and one standard library build. The tag names it; the host refuses any other. */
#if defined(__GLIBCXX__)
#if defined(_GLIBCXX_USE_CXX11_ABI) && _GLIBCXX_USE_CXX11_ABI
#define TANDEM_SDK_STDLIB_TAG "libstdc++/cxx11"
#else
#define TANDEM_SDK_STDLIB_TAG "libstdc++/cow"
#endif
#elif defined(_LIBCPP_VERSION)
#define TANDEM_SDK_STDLIB_TAG "libc++"
#else
#define TANDEM_SDK_STDLIB_TAG "unknown-stdlib"
#endif
#if defined(_GLIBCXX_DEBUG)
#define TANDEM_SDK_DEBUG_TAG "/debug-containers"
#else
#define TANDEM_SDK_DEBUG_TAG ""
#endif
#if defined(__GNUC__) || defined(__clang__)
#define TANDEM_SDK_TOOLCHAIN "itanium/" TANDEM_SDK_STDLIB_TAG TANDEM_SDK_DEBUG_TAG
#else
#define TANDEM_SDK_TOOLCHAIN "other/" TANDEM_SDK_STDLIB_TAG TANDEM_SDK_DEBUG_TAG
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* What the host passes to `create`. OWNERSHIP: every pointer is borrowed; `config` lives for the call
 * only, `services` outlives every object the plugin makes. */
typedef struct tandem_create_args {
  uint32_t abi_version;       /* TANDEM_SDK_ABI_VERSION of the host */
  uint32_t args_size;         /* sizeof(tandem_create_args) the host was built with */
  const char* instance_name;  /* the instance's name in the pipeline, NUL-terminated UTF-8 */
  const void* config;         /* const tandem::sdk::ConfigNode*: the instance's config, schema-checked */
  void* services;             /* tandem::sdk::Services*: logger, clock, time and locale facts */
  void* errors;               /* tandem::sdk::ConfigErrors*: where `create` reports config problems */
} tandem_create_args;

typedef struct tandem_plugin_info {
  uint32_t abi_version;       /* first field, forever */
  uint32_t info_size;         /* sizeof(tandem_plugin_info) the plugin was built with */
  const char* toolchain;      /* TANDEM_SDK_TOOLCHAIN at build time */
  const char* name;           /* dotted, owner first: "acme.extractor.dates"; "tandem." is ours */
  const char* kind;           /* "extractor" | "estimator" | "backend" | "aggregator" */
  const char* version;        /* the plugin's own semantic version */
  const char* status;         /* "stable" | "alpha" | "wip" */
  const char* summary;        /* one line for `tandem plugins` */
  const char* config_schema;  /* JSON Schema (the subset in sdk/README.md) of the instance's config */
  uint32_t thread_safe;       /* 1: one instance may be called from several threads at once */
  uint32_t reserved;
  /* Checks a config node beyond its schema; adds to `errors` (a tandem::sdk::ConfigErrors*).
   * Never throws; returns 0 when the config is usable. */
  int (*check_config)(const void* config, void* errors, void* services);
  /* Makes one instance. Returns a pointer to the kind's SDK interface (tandem::sdk::Extractor* ...)
   * or NULL with the reasons added to args->errors. Never throws. */
  void* (*create)(const tandem_create_args* args);
  /* Destroys an object `create` returned. Never throws. */
  void (*destroy)(void* object);
} tandem_plugin_info;

#ifdef __cplusplus
}
#endif

#endif /* TANDEM_SDK_ABI_H_ */
