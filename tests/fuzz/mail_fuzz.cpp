// libFuzzer target for the mail intake (docs/mail.md, "Fuzzing"): any bytes, as a mail server or an mbox
// would hand them over, through
//   1. parse_mail (GMime), then extract_reply on the text it found, with the sender as hint;
//   2. extract_reply on the raw bytes as a bare body (the `tandem mail reply FILE` path for a text file);
//   3. html_to_text on the raw bytes when they look like HTML;
//   4. read_mail with a default MailSpec and the real services (language, zone and locale inference).
// Besides crashes, leaks, undefined behaviour and hangs (the sanitizers' and libFuzzer's job), it checks
// what the headers promise for every input, and aborts with a message naming the broken promise:
//   - parse_mail never reports an internal error (an exception it had to catch);
//   - every string of a ParsedMail is valid UTF-8; `text` has LF line ends only; best_effort says
//     whether problems is empty;
//   - a reply has no trailing white space on any line and no blank first or last line; every removal
//     names lines inside the input, first <= last;
//   - html_to_text returns valid UTF-8 for any input;
//   - read_mail accepts what parse_mail accepts (same limits), and its message text is the reply text.
//
// Built only with -DTANDEM_FUZZ=ON and clang (scripts/fuzz.sh does both).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/intake.hpp"
#include "tandem/mail.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/reply.hpp"
#include "tandem/services.hpp"

namespace {

[[noreturn]] void broken(const std::string& what) {
  std::fprintf(stderr, "mail_fuzz: broken promise: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

// Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF), written here rather
// than taken from the engine so that the check does not share the code it checks.
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((b & 0xE0) == 0xC0) {
      len = 2;
      cp = b & 0x1Fu;
    } else if ((b & 0xF0) == 0xE0) {
      len = 3;
      cp = b & 0x0Fu;
    } else if ((b & 0xF8) == 0xF0) {
      len = 4;
      cp = b & 0x07u;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3Fu);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

void expect_utf8(std::string_view value, const char* field) {
  if (!valid_utf8(value)) broken(std::string("ParsedMail.") + field + " is not valid UTF-8");
}

void check_parsed(const tandem::mail::ParsedMail& p) {
  expect_utf8(p.subject, "subject");
  for (const auto* list : {&p.to, &p.cc, &p.reply_to})
    for (const auto& a : *list) {
      expect_utf8(a.name, "to/cc/reply_to name");
      expect_utf8(a.address, "to/cc/reply_to address");
    }
  expect_utf8(p.from.name, "from.name");
  expect_utf8(p.from.address, "from.address");
  expect_utf8(p.date_header, "date_header");
  expect_utf8(p.message_id, "message_id");
  expect_utf8(p.in_reply_to, "in_reply_to");
  for (const auto& r : p.references) expect_utf8(r, "references");
  expect_utf8(p.content_type, "content_type");
  expect_utf8(p.text, "text");
  expect_utf8(p.html, "html");
  for (const auto& a : p.attachments) {
    expect_utf8(a.filename, "attachments.filename");
    expect_utf8(a.content_type, "attachments.content_type");
  }
  for (const auto& note : p.problems) expect_utf8(note, "problems");
  if (p.text.find('\r') != std::string::npos) broken("ParsedMail.text has a CR (LF line ends promised)");
  if (p.best_effort != !p.problems.empty()) broken("ParsedMail.best_effort disagrees with problems");
}

std::size_t line_count(std::string_view text) {
  if (text.empty()) return 0;
  std::size_t n = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    if ((text[i] == '\n' || text[i] == '\r') && i + 1 < text.size()) ++n;
  }
  return n;
}

void check_reply(std::string_view input, const tandem::mail::ReplyParts& parts, bool input_is_utf8) {
  const std::string& r = parts.reply;
  if (input_is_utf8 && !valid_utf8(r)) broken("reply of valid UTF-8 is not valid UTF-8");
  if (!r.empty()) {
    if (r.front() == '\n' || r.back() == '\n') broken("reply starts or ends with a blank line");
    std::size_t start = 0;
    while (start <= r.size()) {
      const std::size_t nl = std::min(r.find('\n', start), r.size());
      if (nl > start && (r[nl - 1] == ' ' || r[nl - 1] == '\t'))
        broken("reply line " + std::to_string(start) + " ends in white space");
      start = nl + 1;
    }
  }
  const std::size_t lines = line_count(input);
  for (const auto& removal : parts.removed) {
    if (removal.first_line < 1 || removal.first_line > removal.last_line || removal.last_line > lines)
      broken("removal " + std::string(tandem::mail::to_string(removal.kind)) + " names lines " +
             std::to_string(removal.first_line) + "-" + std::to_string(removal.last_line) + " of " +
             std::to_string(lines));
  }
}

// "<" followed by a letter, '/' or '!' somewhere near the start: worth reading as HTML.
bool looks_like_html(std::string_view s) {
  const std::string_view head = s.substr(0, 1024);
  for (std::size_t i = head.find('<'); i != std::string_view::npos && i + 1 < head.size();
       i = head.find('<', i + 1)) {
    const char c = head[i + 1];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' || c == '!') return true;
  }
  return false;
}

const tandem::sdk::Services& services() {
  static const std::shared_ptr<tandem::sdk::Services> s =
      tandem::make_services({tandem::sdk::LogLevel::error});
  return *s;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  services();  // the tz database and ICU data, loaded once rather than inside the first input
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);

  // 1. The message as mail, and its reply.
  const auto parsed = tandem::mail::parse_mail(raw);
  if (!parsed && parsed.status().code() == tandem::sdk::Code::internal)
    broken("parse_mail failed internally: " + parsed.status().to_string());
  if (parsed) {
    check_parsed(*parsed);
    tandem::mail::ReplyHints hints;
    hints.sender_name = parsed->from.name;
    hints.sender_address = parsed->from.address;
    check_reply(parsed->text, tandem::mail::extract_reply(parsed->text, hints), true);
  }

  // 2. The bytes as a bare body.
  check_reply(raw, tandem::mail::extract_reply(raw), valid_utf8(raw));

  // 3. The bytes as HTML.
  if (looks_like_html(raw) && !valid_utf8(tandem::mail::html_to_text(raw)))
    broken("html_to_text returned invalid UTF-8");

  // 4. The whole intake.
  const tandem::MailSpec spec;
  const auto mail = tandem::read_mail(raw, spec, services());
  if (parsed.is_ok() != mail.is_ok())
    broken("parse_mail and read_mail disagree: " + (mail ? std::string("read_mail accepted")
                                                         : mail.status().to_string()));
  if (mail && mail->message.text != mail->reply_text) broken("read_mail: message text is not the reply text");
  return 0;
}
