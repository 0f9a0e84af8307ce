// tandem SDK — extractor plugins: read a message, add annotations.
//
// Write a plugin by deriving from ExtractorPlugin and implementing on_extract; export it with
// TANDEM_PLUGIN (plugin.hpp). The host calls extract(), which never throws.
//
// Thread-safety: unless the descriptor says thread_safe, the host calls one instance from one thread at
// a time. Ownership: `msg` is borrowed for the call; annotations appended to `out` belong to the caller.
#ifndef TANDEM_SDK_EXTRACTOR_HPP_
#define TANDEM_SDK_EXTRACTOR_HPP_

#include <string_view>
#include <vector>

#include "tandem/sdk/detail_guard.hpp"
#include "tandem/sdk/status.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem::sdk {

class Extractor {
 public:
  using Interface = Extractor;
  static constexpr std::string_view kKind = "extractor";
  virtual ~Extractor() = default;

  // Appends this extractor's annotations of `msg` to `out`. "Found nothing" is ok with nothing added;
  // an error Status means the extractor itself broke, and the host discards what it appended.
  virtual Status extract(const Message& msg, std::vector<Annotation>& out) noexcept = 0;
};

class ExtractorPlugin : public Extractor {
 public:
  Status extract(const Message& msg, std::vector<Annotation>& out) noexcept final {
    return detail::guard([&] { return on_extract(msg, out); });
  }

 protected:
  // Called once per message; `msg` outlives the call but not the case.
  virtual Status on_extract(const Message& msg, std::vector<Annotation>& out) = 0;
};

}  // namespace tandem::sdk

#endif  // TANDEM_SDK_EXTRACTOR_HPP_
