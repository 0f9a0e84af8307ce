// `tandem run --pipeline P MAIL...`: messages through the pipeline in batch, one JSON object each on
// stdout, progress and a summary on stderr.
//
// MAIL: .eml files, mbox files, Maildir folders (cli/mail_input.hpp), read by the mail stage
// (tandem/intake.hpp): the reply text, the thread, the people and the sender's context from the headers and
// the pipeline's people directory. A bare text body (a file without a header block) is read as the reply
// itself; its sender's context comes from --sent, --tz and --locale.
#include <CLI/CLI.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/cli.hpp"
#include "cli/mail_input.hpp"
#include "tandem/intake.hpp"
#include "tandem/cases.hpp"
#include "tandem/engine.hpp"
#include "tandem/services.hpp"

namespace tandem::cli {
namespace {

struct RunOptions {
  std::filesystem::path pipeline;
  std::vector<std::filesystem::path> mail;
  std::string sent;
  std::string tz = "UTC";
  std::string locale = "en_US";
  std::filesystem::path store;  // empty: say what would be asked, write nothing
  bool quiet = false;
};

nlohmann::ordered_json annotation_json(const sdk::Annotation& a, const std::string& text) {
  nlohmann::ordered_json candidates = nlohmann::ordered_json::array();
  for (const auto& c : a.variable.distribution.candidates()) candidates.push_back({{"value", c.value}, {"p", c.p}});
  nlohmann::ordered_json out = {{"variable", a.variable.name}, {"candidates", candidates}, {"source", a.source}};
  if (!a.span.empty()) {
    out["span"] = {a.span.begin, a.span.end};
    out["text"] = std::string(a.span.of(text));
  }
  if (!a.note.empty()) out["note"] = a.note;
  return out;
}

int run(const RunOptions& o) {
  auto services = make_services();
  std::chrono::sys_seconds sent = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  int offset = 0;
  if (!o.sent.empty() && !parse_instant(o.sent, sent, offset)) {
    std::cerr << "tandem: error: --sent: expected an ISO 8601 instant like 2026-11-24T09:30:00+01:00, got \"" << o.sent
              << "\"\n";
    return kExitUsage;
  }
  if (!services->time().has_zone(o.tz)) {
    std::cerr << "tandem: error: --tz: \"" << o.tz << "\" is not an IANA time zone the tz database knows\n";
    return kExitUsage;
  }
  if (!services->locale().has_locale(o.locale)) {
    std::cerr << "tandem: error: --locale: \"" << o.locale << "\" is not a locale ICU has data for\n";
    return kExitUsage;
  }
  if (o.sent.empty()) offset = services->time().utc_offset_minutes(sent, o.tz).value_or(0);

  auto opened = Engine::open(o.pipeline, services);
  for (const auto& w : opened.warnings) std::cerr << "tandem: warning: " << w << "\n";
  if (!opened.engine) {
    for (const auto& e : opened.errors) std::cerr << e << "\n";
    return kExitBadInput;
  }
  Engine& engine = *opened.engine;
  std::unique_ptr<CaseStore> cases;
  if (!o.store.empty()) {
    auto c = CaseStore::open(o.store);
    if (!c.is_ok()) {
      std::cerr << "tandem: error: --store: " << c.status().message() << "\n";
      return kExitBadInput;
    }
    cases = std::move(c.value());
  }
  std::size_t tasks_written = 0, cases_written = 0;

  std::size_t done = 0, failed = 0, unreadable = 0, asked = 0, n = 0;
  const std::vector<MailInput> inputs = collect_mail(o.mail);
  for (const MailInput& input : inputs) {
    ++n;
    nlohmann::ordered_json out = {{"file", input.name}};
    if (!input.error.empty()) {
      std::cerr << input.name << ": error: " << input.error << "\n";
      out["state"] = "unreadable";
      out["error"] = input.error;
      std::cout << out.dump() << "\n";
      ++unreadable;
      continue;
    }
    sdk::Message msg;
    std::vector<sdk::Annotation> context;
    if (input.kind == MailInput::Kind::message) {
      auto read = read_mail(input.raw, engine.pipeline().mail, *services);
      if (!read.is_ok()) {
        std::cerr << input.name << ": error: " << read.status().message() << "\n";
        out["state"] = "unreadable";
        out["error"] = read.status().message();
        std::cout << out.dump() << "\n";
        ++unreadable;
        continue;
      }
      MailMessage& mail = read.value();
      for (const auto& problem : mail.problems) std::cerr << input.name << ": warning: " << problem << "\n";
      msg = std::move(mail.message);
      context = std::move(mail.context);
      nlohmann::ordered_json participants = nlohmann::ordered_json::array();
      participants.push_back({{"role", "from"}, {"name", msg.from.name}, {"address", msg.from.address}});
      for (const auto& p : msg.to) participants.push_back({{"role", "to"}, {"name", p.name}, {"address", p.address}});
      for (const auto& p : msg.cc) participants.push_back({{"role", "cc"}, {"name", p.name}, {"address", p.address}});
      out["mail"] = {{"case_id", msg.id},
                     {"message_id", msg.message_id},
                     {"thread_id", msg.thread_id},
                     {"subject", msg.subject},
                     {"sent", iso_instant(msg.sent, msg.utc_offset_minutes)},
                     {"zone", msg.sender_zone},
                     {"locale", msg.sender_locale},
                     {"language", msg.language},
                     {"sender_known", mail.sender_known},
                     {"to_assistant", mail.to_assistant},
                     {"problems", mail.problems}};
      out["participants"] = participants;
    } else {
      msg.id = std::filesystem::path(input.name).filename().string();
      msg.text = input.raw;
      msg.sent = sent;
      msg.utc_offset_minutes = offset;
      msg.sender_zone = o.tz;
      msg.sender_locale = *services->locale().canonical(o.locale);
      msg.language = msg.sender_locale.substr(0, msg.sender_locale.find('_'));
    }
    const std::string& file_name = input.name;

    const MessageResult r = engine.process(msg, context);
    out["state"] = r.state == MessageResult::State::done ? "done" : "failed";
    if (r.state == MessageResult::State::failed) {
      out["error"] = r.error;
      out["retryable"] = r.retryable;
      std::cerr << file_name << ": error: " << r.error << (r.retryable ? " (retryable)" : "") << "\n";
      ++failed;
    } else {
      ++done;
    }
    out["annotations"] = nlohmann::ordered_json::array();
    for (const auto& a : r.annotations) out["annotations"].push_back(annotation_json(a, msg.text));
    out["ask"] = nlohmann::ordered_json::array();
    for (const auto& u : r.unsure)
      out["ask"].push_back({{"variable", u.variable}, {"top_p", u.top_p}, {"threshold", u.threshold}});
    asked += r.unsure.size();
    if (cases && r.state == MessageResult::State::done) {
      auto routed = cases->route(engine.pipeline(), msg, r);
      if (!routed.is_ok()) {
        std::cerr << file_name << ": error: " << routed.status().message() << "\n";  // names the store
        out["state"] = "failed";
        out["error"] = routed.status().message();
        --done;
        ++failed;
      } else {
        out["case"] = routed.value().case_id.empty() ? nlohmann::ordered_json(nullptr)
                                                     : nlohmann::ordered_json(routed.value().case_id);
        out["tasks"] = nlohmann::ordered_json::array();
        for (const AskedTask& t : routed.value().tasks)
          out["tasks"].push_back({{"id", t.id}, {"variable", t.variable}, {"kind", t.kind}, {"options", t.options},
                                  {"snippet", t.snippet}, {"highlight", {t.highlight.begin, t.highlight.end}}});
        tasks_written += routed.value().tasks.size();
        cases_written += routed.value().tasks.empty() ? 0 : 1;
      }
    }
    std::cout << out.dump() << "\n";
    if (!o.quiet) std::cerr << "[" << n << "/" << inputs.size() << "] " << std::filesystem::path(file_name).filename().string() << ": "
                            << out["state"].get<std::string>() << "\n";
  }
  std::cerr << "tandem run: " << inputs.size() << " messages: " << done << " done, " << failed << " failed, "
            << unreadable << " unreadable; " << asked << " variables below their threshold";
  if (cases)
    std::cerr << "; " << tasks_written << " tasks in " << cases_written << " new cases written to " << cases->location();
  std::cerr << "\n";
  return (failed || unreadable) ? kExitBadInput : kExitOk;
}

}  // namespace

void add_run(CLI::App& app, Command& chosen) {
  auto o = std::make_shared<RunOptions>();
  auto* sub = app.add_subcommand("run", "Run messages through a pipeline: one JSON object per message on stdout.");
  sub->add_option("--pipeline,-p", o->pipeline, "Pipeline YAML file")->required();
  sub->add_option("MAIL", o->mail,
                  "Messages: .eml files, mbox files, Maildir folders; a file without a header block is a bare "
                  "text body")
      ->required();
  sub->add_option("--sent", o->sent, "Bare text bodies only: when they were sent (ISO 8601 with offset); default: now");
  sub->add_option("--tz", o->tz, "Bare text bodies only: the sender's IANA time zone")->capture_default_str();
  sub->add_option("--locale", o->locale, "Bare text bodies only: the sender's ICU locale")->capture_default_str();
  sub->add_option("--store", o->store,
                  "Case store (SQLite, created when missing): each message whose annotations need people becomes "
                  "a case with its tasks, in one transaction; without it nothing is written");
  sub->add_flag("--quiet,-q", o->quiet, "No progress lines");
  sub->callback([&chosen, o] { chosen.run = [o] { return run(*o); }; });
}

}  // namespace tandem::cli
