// tandem — mail intake: one raw message (an .eml, a message from mbox, Maildir or a milter) becomes the
// sdk::Message the extractors read, with everything the mail itself says and what was inferred about it
// (docs/mail.md).
//
//   auto opened = tandem::Engine::open("config/default.yaml");
//   auto mail = tandem::read_mail(raw, opened.engine->pipeline().mail, *services);
//   if (!mail) { std::cerr << mail.status().message() << "\n"; return; }    // over a limit, empty
//   tandem::MessageResult r = opened.engine->process(mail->message, mail->context);
//
// What read_mail does, in order: MIME (tandem/mail.hpp) -> the new text of the latest reply
// (tandem/reply.hpp) -> the thread (Message-ID, In-Reply-To, References) -> the people (From, To, Cc,
// Reply-To; the assistant's own addresses from the pipeline's `mail` section) -> the sender's context: the
// sent instant and UTC offset from Date; zone and locale from the people directory, else inferred from the
// offset and the reply's language as the variables `sender.zone` and `sender.locale` (annotations in
// `context`, routed like any other), never silently.
//
// Thread-safety: read_mail may be called from many threads at once. Ownership: results are plain values.
#ifndef TANDEM_INTAKE_HPP_
#define TANDEM_INTAKE_HPP_

#include <string>
#include <string_view>
#include <vector>

#include "tandem/export.h"
#include "tandem/mail.hpp"
#include "tandem/pipeline.hpp"
#include "tandem/sdk/services.hpp"
#include "tandem/sdk/status.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem {

struct MailMessage {
  sdk::Message message;                 // what the extractors read: message.text is the reply text
  std::vector<sdk::Annotation> context; // `sender.zone`, `sender.locale` when they were inferred
  mail::ParsedMail parsed;              // the MIME layer's result (headers, bodies, attachments, problems)
  std::string reply_text;               // = message.text
  std::string language;                 // ISO 639-1 of the reply ("" when undecidable)
  bool sender_known = false;            // the sender is in the people directory
  bool to_assistant = false;            // one of the assistant's addresses is in To or Cc
  bool assistant_cc = false;            // ... in Cc: the sender copied the assistant in
  std::string assistant_address;        // which of its addresses
  std::vector<std::string> problems;    // the MIME layer's, and what intake had to guess
};

// Reads one raw message by the pipeline's `mail` section. Errors (invalid_input) only where the MIME layer
// refuses the message (empty, over a limit); they name the limit's key.
TANDEM_API sdk::Result<MailMessage> read_mail(std::string_view raw, const MailSpec& spec,
                                              const sdk::Services& services);

// The case id of a message: "m-" and 16 hex digits of a hash of its Message-ID (of its bytes when it has
// none), so that the same mail read twice is the same case.
TANDEM_API std::string case_id_for(const mail::ParsedMail& parsed, std::string_view raw);

// The locale a text's own words suggest, for a body that comes without headers: its language (function
// words and scheduling words of en, de, fr, es, it, nl, pt) and that language's likely locale ("hättest du
// nächste Woche Zeit" -> "de_DE"), the most likely one however short the text. Empty when no word of
// any of them occurs.
TANDEM_API std::string locale_of_text(std::string_view text, const sdk::LocaleFacts& facts);

// Splits an mbox file (mboxrd and mboxo: lines "From " start a message; ">From " unquoted) into raw messages.
TANDEM_API std::vector<std::string> split_mbox(std::string_view mbox);

}  // namespace tandem

#endif  // TANDEM_INTAKE_HPP_
