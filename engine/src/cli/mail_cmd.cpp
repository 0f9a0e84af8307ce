// `tandem mail parse FILE.eml` and `tandem mail reply FILE`: the mail stage on its own (docs/mail.md).
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/cli.hpp"
#include "cli/mail_input.hpp"
#include "tandem/intake.hpp"
#include "tandem/mail.hpp"
#include "tandem/reply.hpp"
#include "tandem/services.hpp"

namespace tandem::cli {
namespace {

struct MailOptions {
  std::filesystem::path file;
  std::filesystem::path pipeline;  // optional: the mail section (assistant, people, limits)
  bool eml = false;
  bool body = false;
};

nlohmann::ordered_json address_json(const mail::Address& a) {
  return {{"name", a.name}, {"address", a.address}};
}

nlohmann::ordered_json addresses_json(const std::vector<mail::Address>& list) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& a : list) out.push_back(address_json(a));
  return out;
}

// The pipeline's mail section, or the defaults when no pipeline is given.
bool mail_spec(const std::filesystem::path& pipeline, MailSpec& spec) {
  if (pipeline.empty()) return true;
  PluginHost host(make_services());
  auto loaded = load_pipeline(pipeline, host);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
    return false;
  }
  spec = loaded.pipeline->mail;
  return true;
}

int run_parse(const MailOptions& o) {
  MailSpec spec;
  if (!mail_spec(o.pipeline, spec)) return kExitBadInput;
  std::string raw;
  if (!read_file(o.file, raw)) return kExitBadInput;
  auto services = make_services();
  auto read = read_mail(raw, spec, *services);
  if (!read.is_ok()) {
    std::cerr << o.file.string() << ": error: " << read.status().message() << "\n";
    return kExitBadInput;
  }
  const MailMessage& m = read.value();
  const mail::ParsedMail& p = m.parsed;
  nlohmann::ordered_json refs = nlohmann::ordered_json::array();
  for (const auto& r : p.references) refs.push_back(r);
  nlohmann::ordered_json out = {
      {"subject", p.subject},
      {"from", address_json(p.from)},
      {"to", addresses_json(p.to)},
      {"cc", addresses_json(p.cc)},
      {"reply_to", addresses_json(p.reply_to)},
      {"date", p.has_date ? nlohmann::ordered_json(p.date_header) : nlohmann::ordered_json(nullptr)},
      {"message_id", p.message_id.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(p.message_id)},
      {"in_reply_to", p.in_reply_to.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(p.in_reply_to)},
      {"references", refs},
      {"text", p.text},
      {"reply_text", m.reply_text},
      {"language", m.language.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(m.language)},
  };
  out["case_id"] = m.message.id;
  out["thread_id"] = m.message.thread_id;
  out["sent"] = iso_instant(m.message.sent, m.message.utc_offset_minutes);
  nlohmann::ordered_json sender = {{"known", m.sender_known},
                                   {"zone", m.message.sender_zone},
                                   {"locale", m.message.sender_locale}};
  for (const auto& a : m.context) {
    nlohmann::ordered_json candidates = nlohmann::ordered_json::array();
    for (const auto& c : a.variable.distribution.candidates()) candidates.push_back({{"value", c.value}, {"p", c.p}});
    sender["inferred"][a.variable.name] = {{"candidates", candidates}, {"note", a.note}};
  }
  out["sender"] = sender;
  out["assistant"] = {{"addressed", m.to_assistant},
                      {"cc", m.assistant_cc},
                      {"address", m.assistant_address.empty() ? nlohmann::ordered_json(nullptr)
                                                              : nlohmann::ordered_json(m.assistant_address)},
                      {"by", m.to_assistant ? nlohmann::ordered_json(p.from.address) : nlohmann::ordered_json(nullptr)}};
  out["content_type"] = p.content_type;
  out["text_from_html"] = p.text_from_html;
  nlohmann::ordered_json attachments = nlohmann::ordered_json::array();
  for (const auto& a : p.attachments)
    attachments.push_back({{"filename", a.filename}, {"content_type", a.content_type}, {"size", a.size}});
  out["attachments"] = attachments;
  out["part_count"] = p.part_count;
  out["best_effort"] = p.best_effort;
  out["problems"] = m.problems;
  std::cout << out.dump(2) << "\n";
  return kExitOk;
}

int run_reply(const MailOptions& o) {
  std::string raw;
  if (!read_file(o.file, raw)) return kExitBadInput;
  const bool eml = o.eml || (!o.body && looks_like_message(o.file, raw));
  std::string text = raw;
  mail::ReplyHints hints;
  if (eml) {
    MailSpec spec;
    if (!mail_spec(o.pipeline, spec)) return kExitBadInput;
    mail::Limits limits;
    limits.max_bytes = spec.max_bytes;
    limits.max_depth = spec.max_depth;
    limits.max_parts = spec.max_parts;
    auto parsed = mail::parse_mail(raw, limits);
    if (!parsed.is_ok()) {
      std::cerr << o.file.string() << ": error: " << parsed.status().message() << "\n";
      return kExitBadInput;
    }
    for (const auto& problem : parsed->problems) std::cerr << o.file.string() << ": warning: " << problem << "\n";
    text = parsed->text;
    hints.sender_name = parsed->from.name;
    hints.sender_address = parsed->from.address;
  }
  const std::string reply = mail::extract_reply(text, hints).reply;
  std::cout << reply;
  if (!reply.empty()) std::cout << "\n";
  return kExitOk;
}

}  // namespace

void add_mail(CLI::App& app, Command& chosen) {
  CLI::App* mail = app.add_subcommand("mail", "The mail stage on its own: MIME, the reply, the thread and the sender");
  mail->require_subcommand(1);

  auto po = std::make_shared<MailOptions>();
  CLI::App* parse = mail->add_subcommand(
      "parse", "One message as JSON: headers decoded, the body, the new reply text, thread, sender context");
  parse->add_option("FILE", po->file, "The message (.eml)")->required();
  parse->add_option("--pipeline,-p", po->pipeline,
                    "A pipeline whose mail section gives the assistant's addresses, the people directory and limits");
  parse->callback([&chosen, po] { chosen.run = [po] { return run_parse(*po); }; });

  auto ro = std::make_shared<MailOptions>();
  CLI::App* reply = mail->add_subcommand("reply", "The new text of the latest reply, as plain text");
  reply->add_option("FILE", ro->file, "An .eml, or a bare text body")->required();
  reply->add_option("--pipeline,-p", ro->pipeline, "A pipeline whose mail section gives the limits");
  auto* eml = reply->add_flag("--eml", ro->eml, "FILE is a whole message (default: decided by its first lines)");
  auto* body = reply->add_flag("--body", ro->body, "FILE is a bare text body");
  eml->excludes(body);
  reply->callback([&chosen, ro] { chosen.run = [ro] { return run_reply(*ro); }; });
}

}  // namespace tandem::cli
