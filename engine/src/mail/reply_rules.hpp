// Internal: the compiled form of the reply-extraction rules (config/mail/reply/*.yaml) and the text
// helpers both the loader and the extractor use.
//
// Patterns are words with "*" for any run of text. They are compiled into the literal pieces between the
// stars, already case-folded and with spaces normalised, so matching is a handful of substring searches
// over a bounded window: never a regular expression, never backtracking beyond one star at a time.
//
// Thread-safety: everything here is immutable once built; the functions have no shared state.
#ifndef TANDEM_ENGINE_MAIL_REPLY_RULES_HPP_
#define TANDEM_ENGINE_MAIL_REPLY_RULES_HPP_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/reply.hpp"

namespace tandem::mail::detail {

// Lower case for ASCII, Latin-1, Latin Extended-A and Cyrillic letters; every other byte unchanged. The
// result has the same length as the input, so offsets into it are offsets into the input.
std::string fold(std::string_view text);

// Folded, every run of white space (space, tab, CR, LF, no-break space) as one space, no space before
// ":", a space put between ">" and a letter or digit after it ("<a@b.c>wrote:"), trimmed.
std::string normalize(std::string_view text);

// A pattern: literal pieces of folded, normalised text between "*"s.
struct Glob {
  std::string text;                // as written in the file
  std::string language;
  std::vector<std::string> pieces; // the literals, in order
  bool leading_star = false;       // "* wrote:"
  bool trailing_star = false;      // "Sent from my *"

  // Whether the whole of `s` (normalised) matches.
  bool matches(std::string_view s) const;
};

// Compiles `pattern`; an empty string on success, else what is wrong with it.
std::string compile_glob(std::string_view pattern, std::string language, Glob& out);

enum class FieldRole { from, sent, date, to, cc, subject };

struct HeaderField {
  std::string key;  // folded, normalised ("envoyé le")
  FieldRole role;
  std::string language;
};

struct Phrase {
  std::string text;  // folded, normalised
  std::string language;
  std::string as_written;
};

// One language file as read.
struct LanguageFile {
  std::string language;
  std::string file;
  bool replace = false;
  std::vector<Glob> quote_headers;
  std::vector<Phrase> original_message;
  std::vector<Phrase> forwarded;
  std::vector<HeaderField> header_fields;
  std::vector<Glob> mobile_footers;
  std::vector<Phrase> sign_offs;
  std::vector<Glob> disclaimers;
  std::vector<Glob> list_footers;
};

// Reads one rules file; problems go to `errors` as "file:line:column: error: path: message".
bool read_language_file(const std::string& file_name, std::string_view text, LanguageFile& out,
                        std::vector<std::string>& errors);

// The bundled files (generated at build time from config/mail/reply/*.yaml).
struct BundledFile {
  const char* name;
  const char* text;
  std::size_t size;
};
const BundledFile* bundled_reply_files(std::size_t& count) noexcept;

}  // namespace tandem::mail::detail

namespace tandem::mail {

struct ReplyRules::Impl {
  std::vector<detail::LanguageFile> languages;  // merged, one per language, sorted by language

  // Every language's rules side by side: mail mixes languages, so all apply to every message.
  std::vector<detail::Glob> quote_headers;
  std::vector<detail::Phrase> original_message;
  std::vector<detail::Phrase> forwarded;
  std::vector<detail::HeaderField> header_fields;
  std::vector<detail::Glob> mobile_footers;
  std::vector<detail::Phrase> sign_offs;
  std::vector<detail::Glob> disclaimers;
  std::vector<detail::Glob> list_footers;
  std::vector<std::string> header_tails;  // last words of the quote-header patterns ("wrote:")
  std::size_t longest_field_key = 0;      // bytes

  void index();  // fills the flat lists from `languages`
};

}  // namespace tandem::mail

#endif  // TANDEM_ENGINE_MAIL_REPLY_RULES_HPP_
