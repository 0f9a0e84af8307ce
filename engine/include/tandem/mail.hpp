// tandem — the MIME layer: one raw RFC 5322 message in, its headers, bodies and attachment list out, every
// string decoded to UTF-8. What the rest of the mail work (reply extraction, threads, sender context)
// reads; the rules are in docs/mail.md, "MIME".
//
//   auto parsed = tandem::mail::parse_mail(raw);             // raw: the bytes of an .eml
//   if (!parsed) { std::cerr << parsed.status().to_string() << "\n"; return 1; }
//   use(parsed->subject, parsed->from.address, parsed->text);
//   if (parsed->best_effort) log(parsed->problems);           // what had to be guessed or repaired
//
// Errors (sdk::Code::invalid_input) only for what cannot be read at all or is past a limit: an empty
// message, a message over Limits::max_bytes, MIME nesting deeper than Limits::max_depth, more parts than
// Limits::max_parts. Everything else (a truncated multipart, an unknown charset, 8-bit bytes in headers, a
// broken Date) gives a best-effort parse with `best_effort` set and one note per repair in `problems`.
//
// Thread-safety: parse_mail and html_to_text may be called from many threads at once. The first call
// initialises GMime once for the process (std::call_once); nothing else is shared between calls.
// Ownership: results are plain values owned by the caller; `raw` and `html` are only read during the call.
#ifndef TANDEM_MAIL_HPP_
#define TANDEM_MAIL_HPP_

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/export.h"
#include "tandem/sdk/status.hpp"

namespace tandem::mail {

// One mailbox of From/To/Cc/Reply-To. Members of an RFC 5322 group are listed one by one.
struct Address {
  std::string name;     // display name, RFC 2047 decoded, UTF-8; empty when there is none
  std::string address;  // "local@domain" as written (no angle brackets)
};

// A part that is not a body: listed, its content not returned.
struct Attachment {
  std::string filename;      // RFC 2231 / 2047 decoded (Content-Disposition filename, else Content-Type name)
  std::string content_type;  // "type/subtype", lower case
  std::size_t size = 0;      // decoded size in bytes (an attached message: its size as written)
};

// Past any of these parse_mail returns an error instead of a parse.
struct Limits {
  std::size_t max_bytes = 25u * 1024u * 1024u;  // the raw message (mail.max_bytes)
  int max_depth = 32;                           // nested multiparts below the top level (mail.max_depth)
  std::size_t max_parts = 1000;                 // MIME entities, containers included (mail.max_parts)
};

struct ParsedMail {
  std::string subject;                 // RFC 2047 decoded
  Address from;                        // the first mailbox of From; empty when there is none
  std::vector<Address> to, cc, reply_to;
  std::string date_header;             // the Date header as written (unfolded); empty when absent
  bool has_date = false;               // Date was present and could be read; `sent` is meaningful only then
  std::chrono::sys_seconds sent{};     // the instant of Date, UTC
  int utc_offset_minutes = 0;          // the offset written in Date ("-0700" gives -420)
  std::string message_id;              // without angle brackets
  std::string in_reply_to;             // the first message id of In-Reply-To, without angle brackets
  std::vector<std::string> references; // message ids of References, oldest first, without angle brackets
  std::string content_type;            // top level "type/subtype", lower case ("text/plain" when absent)

  // The decoded first text/plain body (not an attachment, not inside an attached message), UTF-8 with LF
  // line ends, format=flowed joined. When the mail has no such body (or it is blank) but has HTML: the
  // HTML as text (html_to_text) and text_from_html set.
  std::string text;
  bool text_from_html = false;
  std::string html;                    // the decoded first text/html body, UTF-8 (empty when none)

  std::vector<Attachment> attachments; // every other leaf part, and attached messages, in message order
  std::size_t part_count = 0;          // MIME entities: the top level, containers and leaves; an attached
                                       // message counts as one

  std::vector<std::string> problems;   // one note per repair: "truncated multipart at part 1 ...",
                                       // "unknown charset x-foo in part 1: read as windows-1252", ...
  bool best_effort = false;            // problems is not empty: some of the above was guessed or repaired
};

// Parses one message. Never throws for any input; see the top comment for what is an error.
// Errors name the limit and where: "message is 52428800 bytes, over the limit of 26214400 (mail.max_bytes)".
TANDEM_API sdk::Result<ParsedMail> parse_mail(std::string_view raw, const Limits& limits = {});

// HTML (UTF-8) to plain text as a browser lays it out, through a real HTML5 parser: block elements and
// <br> end lines, paragraphs are set apart by a blank line, list items start with "- " or "1. ", table
// cells are separated by a tab, lines inside <blockquote> start with "> " (one per level, at most 16), <head>,
// <script>, <style> and hidden elements are dropped, entities are decoded, white space is collapsed as in
// CSS `white-space: normal` (kept inside <pre>), U+00A0 becomes a plain space. Invalid UTF-8 is replaced
// with U+FFFD. HTML nested deeper than a few thousand elements is converted up to that point only
// (the rest is dropped: an HTML5 parser is quadratic in nesting depth). Never throws for any input.
TANDEM_API std::string html_to_text(std::string_view html);

}  // namespace tandem::mail

#endif  // TANDEM_MAIL_HPP_
