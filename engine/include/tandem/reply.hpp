// tandem — reply extraction: the new text of the latest reply in a plain-text mail body.
//
//   tandem::mail::ReplyParts parts = tandem::mail::extract_reply(body);
//   use(parts.reply);              // what the sender newly wrote
//   for (auto& r : parts.removed)  // what was taken out, and by which rule
//     log(r.kind, r.rule, r.language, r.first_line, r.last_line);
//
// What counts as the reply is defined in docs/mail.md, section "Reply extraction": quoted history
// ("> " blocks, "On … wrote:" headers, Outlook header blocks, "-----Original Message-----", forwarded
// messages), signatures ("-- ", "-Name", a sign-off with a name block, a name/title block with contact
// lines), mobile footers ("Sent from my iPhone") and disclaimers are removed; a one-line sign-off such as
// "Thanks, Sam" stays. The language rules are data: config/mail/reply/<lang>.yaml, compiled into the
// engine at build time; ReplyRules::load() adds or overrides languages from a directory.
//
// Every input runs in time linear in its length: the text is read line by line, no regular expression
// runs over it, and no rule looks at more than a few lines or a bounded number of bytes at a time.
//
// Ownership: extract_reply copies what it returns; it keeps no reference to `text`. A ReplyRules owns its
// rules; copies share them (they are immutable).
// Thread-safety: a ReplyRules is immutable after construction: one object (bundled() included) may be
// used by many threads at once. extract_reply has no shared state. ReplyRules::bundled() parses the
// bundled files once, on first use, thread-safely.
#ifndef TANDEM_REPLY_HPP_
#define TANDEM_REPLY_HPP_

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tandem/export.h"

namespace tandem::mail {

// One stretch of lines taken out of the reply, and why.
struct ReplyRemoval {
  enum class Kind {
    quote_block,        // lines starting with ">"
    quote_header,       // "On … wrote:" (or a language's equivalent), with the history it introduces
    dated_header,       // "2017-11-24 16:32 GMT+01:00 Name <address>:" (a date and an address, no verb)
    original_message,   // "-----Original Message-----" and everything after it
    forwarded_message,  // "---------- Forwarded message ---------" and everything after it
    header_block,       // Outlook-style "From:/Sent:/To:/Subject:" block and everything after it
    mobile_footer,      // "Sent from my iPhone", "Von meinem iPhone gesendet", …
    after_footer,       // unquoted text after a mobile footer (the message a phone appended)
    signature,          // "-- " or "--" delimiter and what follows
    dash_name,          // "-Name" line and what follows
    sign_off,           // "Best regards," followed by name/title lines
    name_block,         // a last paragraph of name, title and contact lines
    disclaimer,         // "The information contained in this …" and what follows
    list_footer,        // "____" + "xyz mailing list" footer
  };
  Kind kind = Kind::quote_block;
  std::string rule;       // the pattern or structural rule that matched, e.g. "On * wrote:"
  std::string language;   // "en", "de", …; empty for structural rules that belong to no language
  std::size_t first_line = 0;  // 1-based lines of the input, inclusive
  std::size_t last_line = 0;
  bool to_signature = false;   // true: the lines went to ReplyParts::signature; false: to quoted
};

TANDEM_API const char* to_string(ReplyRemoval::Kind kind) noexcept;

struct ReplyParts {
  std::string reply;      // the new text: lines without trailing whitespace, joined by "\n", no
                          // leading or trailing blank lines
  std::string quoted;     // quoted history that was removed, same line form
  std::string signature;  // signature, mobile footer, disclaimer that were removed, same line form
  std::vector<ReplyRemoval> removed;  // in input order
};

// What is known about the sender (from the message's From header); empty fields are unknown. A last
// paragraph that starts with the sender's name is taken as their signature.
struct ReplyHints {
  std::string sender_name;     // display name, e.g. "Sam Lee"
  std::string sender_address;  // e.g. "sam@example.com"
};

// A rules file that could not be read: every problem as "file:line:column: error: path: message".
class TANDEM_API ReplyRulesError : public std::runtime_error {
 public:
  explicit ReplyRulesError(std::vector<std::string> errors);
  const std::vector<std::string>& errors() const noexcept { return errors_; }

 private:
  std::vector<std::string> errors_;
};

// The per-language rules (quote headers, original-message markers, header field names, mobile footers,
// sign-offs, disclaimer openers). See config/mail/reply/README.md for the file format.
class TANDEM_API ReplyRules {
 public:
  // The rules compiled into the engine (config/mail/reply/*.yaml at build time). Never throws: the
  // bundled files are checked by the build's tests.
  static const ReplyRules& bundled();

  // The bundled rules plus every `*.yaml` file in `directory`: a file for a language already known adds
  // to it, or replaces it when it says `replace: true`; a file for a new language adds that language.
  // Throws ReplyRulesError naming every problem (file:line:column) if any file is invalid, and when
  // `directory` is not a readable directory.
  static ReplyRules load(const std::string& directory);

  // Rules from explicit (file name, YAML text) pairs on top of the bundled ones, as load() does for a
  // directory; `with_bundled = false` starts from nothing. Throws ReplyRulesError.
  static ReplyRules from_texts(const std::vector<std::pair<std::string, std::string>>& files,
                               bool with_bundled = true);

  // The languages known, sorted ("da", "de", "en", …).
  std::vector<std::string> languages() const;

  struct Impl;
  const Impl& impl() const noexcept { return *impl_; }

 private:
  explicit ReplyRules(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// The reply, quoted history and signature of a plain-text body. `text` is UTF-8 (other bytes pass
// through untouched); lines may end in "\n", "\r\n" or "\r". Never throws except std::bad_alloc.
TANDEM_API ReplyParts extract_reply(std::string_view text, const ReplyRules& rules = ReplyRules::bundled());
TANDEM_API ReplyParts extract_reply(std::string_view text, const ReplyHints& hints,
                                    const ReplyRules& rules = ReplyRules::bundled());

}  // namespace tandem::mail

#endif  // TANDEM_REPLY_HPP_
