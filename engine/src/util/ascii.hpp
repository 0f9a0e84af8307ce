// ASCII case: what addresses, zone names and data keys compare in (Unicode text goes through ICU's case
// folding, services.locale().fold_case).
#ifndef TANDEM_UTIL_ASCII_HPP_
#define TANDEM_UTIL_ASCII_HPP_

#include <string>
#include <string_view>

namespace tandem::util {

// `s` with A-Z as a-z; every other byte as it is.
inline std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace tandem::util

#endif  // TANDEM_UTIL_ASCII_HPP_
