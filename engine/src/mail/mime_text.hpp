// Text helpers of the MIME layer (engine-internal): bytes in a declared charset to UTF-8, UTF-8 repair,
// line ends, RFC 3676 format=flowed. No GMime types here; the charset conversion is iconv's.
#ifndef TANDEM_MAIL_MIME_TEXT_HPP_
#define TANDEM_MAIL_MIME_TEXT_HPP_

#include <cstddef>
#include <string>
#include <string_view>

namespace tandem::mail::detail {

bool is_valid_utf8(std::string_view s);

// `s` with every byte that does not start a valid UTF-8 sequence replaced by U+FFFD (NUL bytes too);
// `replaced` (when given) counts the replacements.
std::string repair_utf8(std::string_view s, std::size_t* replaced = nullptr);

struct Decoded {
  std::string text;            // UTF-8
  std::string used_charset;    // what the bytes were read as ("utf-8", "windows-1252", "ISO-2022-JP", ...)
  std::string problem;         // empty, or what was guessed or replaced, without the part's name:
                               // "unknown charset x-foo: read as windows-1252"
};

// Bytes of a text part to UTF-8. `declared` is the charset parameter as written (may be empty or
// unknown). Labels are read as browsers read them (iso-8859-1 and us-ascii as windows-1252, iso-8859-8-i
// as iso-8859-8, ...); undeclared or unknown charsets are read as UTF-8 when the bytes are valid UTF-8,
// else as windows-1252; bytes the charset cannot convert become U+FFFD. A leading byte order mark is
// dropped.
Decoded to_utf8(std::string_view bytes, std::string_view declared);

// Raw 8-bit bytes inside RFC 2047 Q-encoded words (which RFC 2047 forbids, and old clients wrote) as
// =XX escapes, so the word decodes with its own charset: "=?iso-8859-1?Q?M\xFCller?=" gives
// "=?iso-8859-1?Q?M=FCller?=". Everything else is left as it is.
std::string escape_8bit_in_encoded_words(std::string_view s);

// CRLF and lone CR to LF.
std::string normalize_newlines(std::string_view s);

// RFC 3676: joins the soft-broken lines of a format=flowed body (LF line ends), removes space-stuffing,
// and with delsp=yes the space before each soft break. Quoted lines keep their depth, written as one ">"
// per level and a space (">> text").
std::string unflow(std::string_view s, bool delsp);

}  // namespace tandem::mail::detail

#endif  // TANDEM_MAIL_MIME_TEXT_HPP_
