// Helpers of the drafts tests: instants written as UTC dates and times, and a substring test for texts.
#ifndef TANDEM_TESTS_UNIT_DRAFTS_HELPERS_HPP_
#define TANDEM_TESTS_UNIT_DRAFTS_HELPERS_HPP_

#include <chrono>
#include <string>

namespace tandem::drafts::testing {

// The instant of y-mo-d h:mi in UTC.
inline std::chrono::sys_seconds utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
  using namespace std::chrono;
  return sys_days{year{y} / mo / d} + hours{h} + minutes{mi};
}

// Whether `text` holds `piece`.
inline bool has(const std::string& text, const std::string& piece) { return text.find(piece) != std::string::npos; }

}  // namespace tandem::drafts::testing

#endif  // TANDEM_TESTS_UNIT_DRAFTS_HELPERS_HPP_
