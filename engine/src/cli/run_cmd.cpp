// `tandem run --pipeline P MAIL...`: the main job in batch. Every message goes through the whole flow —
// intake, extraction, routing, people, aggregation, resolution, slots, reply and invitation — and one JSON
// object per message says what was decided (docs/scheduling.md, "tandem run"). Progress on a terminal and a
// summary table on stderr.
//
// MAIL: .eml files, mbox files, Maildir folders, folders of such files (cli/mail_input.hpp), read by the mail
// stage (tandem/intake.hpp). A bare text body (a file without a header block) is read as the reply itself;
// its sender's context comes from --sent, --tz and --locale.
//
// People: when the pipeline has a `human` stage, what the models are unsure of becomes a case in the store
// (--store, else a store of this run in a temporary folder) and the service loop (tandem/human_loop.hpp) is
// stepped until the case's tasks are settled or nobody answers any more; the settled values replace the
// models' readings before the decision. A case still waiting is reported as `waiting`, with the decision the
// models' readings give, and no draft leaves.
#include <CLI/CLI.hpp>
#include <date/date.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/cli.hpp"
#include "cli/mail_input.hpp"
#include "tandem/cases.hpp"
#include "tandem/decision.hpp"
#include "tandem/drafts.hpp"
#include "tandem/engine.hpp"
#include "tandem/human_loop.hpp"
#include "tandem/intake.hpp"
#include "tandem/intent.hpp"
#include "tandem/scheduling.hpp"
#include "tandem/services.hpp"

namespace tandem::cli {
namespace {

struct RunOptions {
  std::filesystem::path pipeline;
  std::vector<std::filesystem::path> mail;
  std::string sent;
  std::string tz = "UTC";
  std::string locale;  // "": the language of each bare body, by its words (en_US when unsure)
  std::filesystem::path store;      // empty: a store of this run only (when people are in the loop)
  std::filesystem::path people;     // overrides the pipeline's mail.people
  std::filesystem::path calendars;  // overrides the pipeline's schedule.calendars
  std::filesystem::path drafts;     // overrides the pipeline's act.drafts
  std::filesystem::path roster;     // overrides the pipeline's workers
  // Service-loop steps per message before it is left waiting; default 50 with the run's own store, 0 with
  // --store (the cases wait there for `tandem serve`).
  std::optional<int> max_steps;
  bool quiet = false;
  bool progress = false;            // progress lines even when stderr is no terminal
};

nlohmann::ordered_json annotation_json(const sdk::Annotation& a, const std::string& text) {
  nlohmann::ordered_json candidates = nlohmann::ordered_json::array();
  for (const auto& c : a.variable.distribution.candidates()) candidates.push_back({{"value", c.value}, {"p", c.p}});
  nlohmann::ordered_json out = {{"variable", a.variable.name}, {"candidates", candidates}, {"source", a.source}};
  if (!a.span.empty() && a.span.end <= text.size()) {
    out["span"] = {a.span.begin, a.span.end};
    out["text"] = std::string(a.span.of(text));
  }
  if (!a.note.empty()) out["note"] = a.note;
  return out;
}

// A time item as shared/eval/time/FORMAT.md's answer has it (the fields as `tandem times` writes them).
nlohmann::ordered_json time_json(const TimeItem& t) {
  const auto wall = [](local_minutes m) {
    return date::format("%Y-%m-%dT%H:%M", date::local_time<std::chrono::minutes>{m.time_since_epoch()});
  };
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  if (t.start) out["start"] = wall(*t.start);
  if (t.end && !t.point()) out["end"] = wall(*t.end);
  out["polarity"] = t.polarity;
  out["confidence"] = t.confidence;
  nlohmann::ordered_json candidates = nlohmann::ordered_json::array();
  for (const sdk::Candidate& c : t.readings) {
    nlohmann::ordered_json one = nlohmann::ordered_json::object();
    if (!value_fields(c.value, one)) continue;
    one["p"] = c.p;
    candidates.push_back(std::move(one));
  }
  out["candidates"] = std::move(candidates);
  if (!t.text.empty()) out["text"] = t.text;
  return out;
}

nlohmann::ordered_json slot_json(const scheduling::Slot& s, const std::string& zone) {
  nlohmann::ordered_json out = {{"start", scheduling::format_instant(s.start, zone)},
                                {"end", scheduling::format_instant(s.end, zone)},
                                {"score", s.score},
                                {"reasons", s.reasons}};
  if (!s.optional_free.empty()) out["optional_free"] = s.optional_free;
  if (!s.sessions.empty()) {
    nlohmann::ordered_json sessions = nlohmann::ordered_json::array();
    for (const scheduling::Window& w : s.sessions)
      sessions.push_back({{"start", scheduling::format_instant(w.begin, zone)}, {"end", scheduling::format_instant(w.end, zone)}});
    out["sessions"] = std::move(sessions);
  }
  return out;
}

// The quoted history as text the extractors can read: quote marks and the quote headers' lines removed.
std::string unquoted(std::string_view quoted) {
  std::string out;
  std::size_t from = 0;
  while (from < quoted.size()) {
    std::size_t end = quoted.find('\n', from);
    if (end == std::string_view::npos) end = quoted.size();
    std::string_view line = quoted.substr(from, end - from);
    from = end + 1;
    while (!line.empty() && (line.front() == '>' || line.front() == ' ')) line.remove_prefix(1);
    out.append(line);
    out.push_back('\n');
  }
  return out;
}

// What the directory (else the mail's headers and the sender's context) says of one person.
drafts::Person draft_person(const PeopleDirectory& people, const std::string& address, const sdk::Message& msg) {
  drafts::Person out;
  out.email = address;
  if (const Person* p = people.find(address)) {
    out.name = p->name;
    out.locale = p->locale;
    out.zone = p->zone_on(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(msg.sent)});
  }
  const auto named = [&](const sdk::Participant& p) {
    if (out.name.empty() && MailSpec::equal_address(p.address, address)) out.name = p.name;
  };
  named(msg.from);
  for (const auto& p : msg.to) named(p);
  for (const auto& p : msg.cc) named(p);
  if (out.locale.empty()) out.locale = msg.sender_locale;
  if (out.zone.empty()) out.zone = msg.sender_zone;
  return out;
}

// The reply a decision calls for (and its invitation), or nothing: a message with nothing to schedule gets
// no reply; `why` says why there is none.
std::optional<drafts::DraftInput> draft_input(const sdk::Message& msg, const SchedulingIntent& intent,
                                              const Decision& decision, const PeopleDirectory& people,
                                              const MailSpec& mail, bool hold, std::string& why) {
  using Kind = drafts::DraftInput::Kind;
  drafts::DraftInput in;
  if (intent.request == "cancel") {
    if (!decision.existing) {
      why = "a cancellation of a meeting no calendar holds";
      return std::nullopt;
    }
    in.kind = Kind::cancelled;
  } else if (intent.request == "decline") {
    in.kind = Kind::declined;
  } else if (!intent.scheduling()) {
    why = "nothing to schedule";
    return std::nullopt;
  } else if (intent.dates_unknown || (intent.participants.empty() && intent.sessions.empty())) {
    in.kind = Kind::need_info;
    if (intent.dates_unknown) in.missing.push_back("dates");
    if (intent.participants.empty() && intent.sessions.empty()) in.missing.push_back("participants");
  } else if (decision.solved.nothing_fits) {
    in.kind = Kind::nothing_fits;
    if (decision.solved.compromise) {
      in.slots.push_back({decision.solved.compromise->slot.start, decision.solved.compromise->slot.end});
      for (const scheduling::Violation& v : decision.solved.compromise->broken) {  // worded in the recipient's language
        std::optional<drafts::Slot> window;
        if (v.window) window = drafts::Slot{v.window->begin, v.window->end};
        in.broken_rules.push_back({v.constraint, v.person, v.minutes, v.meetings, v.limit, window});
      }
    }
  } else {
    // One slot agreed (an acceptance, or a single offered time that fits): confirm it; else offer the best.
    const bool one_point = decision.request.offered.empty() && decision.request.offered_points.size() == 1;
    in.kind = intent.request == "accept_proposal" || one_point ? Kind::confirm : Kind::propose;
    for (const scheduling::Slot& s : decision.solved.slots) {
      in.slots.push_back({s.start, s.end});
      if (in.kind == Kind::confirm) break;
    }
  }
  if (in.kind == Kind::cancelled || (in.kind == Kind::declined && decision.existing))
    in.slots = {{decision.existing->start, decision.existing->end}};

  // Whom it addresses: the sender; but a sender who only arranges the meeting (not among its attendees)
  // is answered through the attendee the mail was written to ("the assistant will send you options").
  std::string recipient = msg.from.address;
  const auto attends = [&](const std::string& a) {
    return std::any_of(intent.participants.begin(), intent.participants.end(),
                       [&](const std::string& p) { return MailSpec::equal_address(p, a); });
  };
  if (!attends(msg.from.address))
    for (const auto& p : msg.to)
      if (!mail.is_assistant(p.address) && attends(p.address)) {
        recipient = p.address;
        break;
      }
  // A decline answers the invitation, on the sender's behalf: to the meeting's organizer (its calendar
  // entry's ORGANIZER), else to whom the mail was written.
  if (in.kind == Kind::declined) {
    std::string to;
    if (decision.existing && decision.existing->organizer &&
        !MailSpec::equal_address(decision.existing->organizer->email, msg.from.address) &&
        !mail.is_assistant(decision.existing->organizer->email))
      to = decision.existing->organizer->email;
    for (const auto& p : msg.to)
      if (to.empty() && !mail.is_assistant(p.address) && !MailSpec::equal_address(p.address, msg.from.address)) to = p.address;
    if (!to.empty()) recipient = to;
  }
  in.recipient = draft_person(people, recipient, msg);
  in.organizer = draft_person(people, msg.from.address, msg);
  // A reply to the one who wrote is the assistant's own: it signs with the name the mail gave it (none:
  // unsigned), not with the recipient's.
  if (MailSpec::equal_address(in.recipient.email, in.organizer.email)) {
    in.sender = drafts::Person{};
    for (const auto* list : {&msg.to, &msg.cc})
      for (const sdk::Participant& p : *list)
        if (p.assistant && in.sender.email.empty()) in.sender.name = p.name, in.sender.email = p.address;
    if (in.sender.email.empty() && !mail.assistant.empty()) in.sender.email = mail.assistant.front();
  }
  in.sender_zone = msg.sender_zone;
  for (const std::string& a : intent.participants) in.attendees.push_back(draft_person(people, a, msg));
  for (const Session& s : intent.sessions)
    for (const std::string& a : s.with)
      if (std::none_of(in.attendees.begin(), in.attendees.end(), [&](const drafts::Person& p) { return p.email == a; }))
        in.attendees.push_back(draft_person(people, a, msg));
  for (const std::string& a : intent.optional) {
    drafts::Person p = draft_person(people, a, msg);
    p.optional = true;
    in.attendees.push_back(std::move(p));
  }
  in.event_type = intent.event_type;
  in.location = intent.location;
  in.duration_minutes = decision.slot_minutes;
  in.in_reply_to = msg.message_id;
  in.subject = msg.subject;
  in.uid = decision.existing ? decision.existing->uid : msg.id + "@tandem";
  in.sequence = decision.existing ? 1 : 0;
  in.now = decision.now;
  in.hold = hold;
  return in;
}

// Writes a draft as FOLDER/<case>.txt (headers and body) and FOLDER/<case>.ics; held drafts go to
// FOLDER/held/. Returns the paths written.
nlohmann::ordered_json write_draft(const drafts::Draft& d, const std::filesystem::path& folder,
                                   const std::string& case_id, std::string& error) {
  const std::filesystem::path dir = d.held ? folder / "held" : folder;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    error = "cannot make the drafts folder " + dir.string() + ": " + ec.message();
    return nullptr;
  }
  std::string name = case_id;
  for (char& c : name)
    if (c == '/' || c == '\\' || c == ':') c = '_';
  nlohmann::ordered_json out = {{"language", d.language}, {"held", d.held}};
  {
    std::ofstream f(dir / (name + ".txt"), std::ios::binary);
    f << "To: ";
    for (std::size_t i = 0; i < d.to.size(); ++i) f << (i ? ", " : "") << d.to[i];
    f << "\n";
    if (!d.cc.empty()) {
      f << "Cc: ";
      for (std::size_t i = 0; i < d.cc.size(); ++i) f << (i ? ", " : "") << d.cc[i];
      f << "\n";
    }
    f << "Subject: " << d.subject << "\n";
    if (!d.in_reply_to.empty()) f << "In-Reply-To: <" << d.in_reply_to << ">\n";
    f << "\n" << d.body;
    if (!d.body.empty() && d.body.back() != '\n') f << "\n";
    if (!f) {
      error = "cannot write " + (dir / (name + ".txt")).string();
      return nullptr;
    }
    out["reply"] = (dir / (name + ".txt")).string();
  }
  if (!d.invitation.empty()) {
    std::ofstream f(dir / (name + ".ics"), std::ios::binary);
    f << d.invitation;
    if (!f) {
      error = "cannot write " + (dir / (name + ".ics")).string();
      return nullptr;
    }
    out["invitation"] = (dir / (name + ".ics")).string();
    out["method"] = d.method;
  }
  return out;
}

const char* draft_kind(drafts::DraftInput::Kind k) {
  using Kind = drafts::DraftInput::Kind;
  switch (k) {
    case Kind::propose: return "propose";
    case Kind::confirm: return "confirm";
    case Kind::nothing_fits: return "nothing_fits";
    case Kind::cancelled: return "cancelled";
    case Kind::declined: return "declined";
    case Kind::need_info: return "need_info";
    case Kind::none: return "none";
  }
  return "none";
}

// The summary's counts.
struct Summary {
  std::size_t done = 0, unreadable = 0, below_threshold = 0, tasks = 0, cases = 0;
  std::size_t messages = 0, automatic = 0, to_people = 0, waiting = 0, questions = 0, answers = 0, slots = 0,
              compromises = 0, nothing_to_schedule = 0, drafts = 0;
  std::vector<std::string> failures;  // "file: reason"
};

void print_summary(const Summary& s, const std::string& store, std::ostream& out) {
  out << "tandem run: " << s.messages << " messages: " << s.done << " done, " << s.failures.size() - s.unreadable
      << " failed, " << s.unreadable << " unreadable; " << s.below_threshold << " variables below their threshold";
  if (!store.empty()) out << "; " << s.tasks << " tasks in " << s.cases << " new cases written to " << store;
  out << "\n";
  const auto row = [&](const char* what, std::size_t n, const std::string& more = {}) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "  %-28s %6zu", what, n);
    out << buf << more << "\n";
  };
  out << "tandem run: summary\n";
  row("messages", s.messages);
  row("resolved automatically", s.automatic);
  row("sent to people", s.to_people, "  (" + std::to_string(s.questions) + " questions)");
  row("  still waiting for people", s.waiting);
  row("answers used", s.answers);
  row("nothing to schedule", s.nothing_to_schedule);
  row("slots proposed", s.slots);
  row("compromises", s.compromises);
  row("drafts written", s.drafts);
  row("failures", s.failures.size());
  for (const std::string& f : s.failures) out << "    " << f << "\n";
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
  if (!o.locale.empty() && !services->locale().has_locale(o.locale)) {
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
  const PipelineSpec& pipeline = engine.pipeline();

  // The people directory and the calendars: the pipeline's, or the command line's.
  MailSpec mail_spec = pipeline.mail;
  PeopleDirectory people;
  const std::filesystem::path people_file = !o.people.empty() ? o.people : pipeline.mail.people_file;
  if (!people_file.empty()) {
    auto loaded = load_people(people_file, *services);
    if (!loaded.is_ok()) {
      std::cerr << loaded.status().message() << "\n";
      return kExitBadInput;
    }
    people = std::move(loaded).value();
    if (!o.people.empty()) {
      mail_spec.people = people.people;
      mail_spec.people_file = people.file;
      for (const std::string& a : people.assistant)
        if (!mail_spec.is_assistant(a)) mail_spec.assistant.push_back(a);
    }
  }
  const std::filesystem::path calendars = !o.calendars.empty() ? o.calendars : pipeline.schedule.calendars;
  auto decider_made = Decider::create(pipeline.schedule, people, calendars);
  if (!decider_made.is_ok()) {
    std::cerr << decider_made.status().message() << "\n";
    return kExitBadInput;
  }
  const Decider& decider = *decider_made.value();

  // People in the loop: the store and the service loop, when the pipeline has someone to ask.
  std::unique_ptr<CaseStore> cases;
  std::unique_ptr<PluginHost> loop_host;
  std::optional<PipelineLoad> loop_pipeline;
  std::unique_ptr<HumanLoop> loop;
  std::filesystem::path temp_dir;
  const bool people_in_loop = !pipeline.in_stage(Stage::human).empty();
  if (people_in_loop || !o.store.empty()) {
    std::filesystem::path store = o.store;
    if (store.empty()) {
      char pattern[] = "/tmp/tandem-run-XXXXXX";
      if (const char* made = ::mkdtemp(pattern)) temp_dir = made;
      store = temp_dir / "cases.db";
    }
    auto c = CaseStore::open(store);
    if (!c.is_ok()) {
      std::cerr << "tandem: error: --store: " << c.status().message() << "\n";
      return kExitBadInput;
    }
    cases = std::move(c.value());
    if (people_in_loop) {
      loop_host = std::make_unique<PluginHost>(services);
      loop_host->load_all(PluginHost::search_paths(pipeline.plugin_paths));
      loop_pipeline = load_pipeline(pipeline.file, *loop_host);  // the loop keeps a reference to it
      const PipelineLoad& reloaded = *loop_pipeline;
      if (!reloaded.ok()) {
        for (const auto& e : reloaded.errors) std::cerr << e.to_string() << "\n";
        return kExitBadInput;
      }
      HumanLoopOptions lo;
      lo.store = store;
      const std::filesystem::path roster = !o.roster.empty() ? o.roster : pipeline.workers;
      if (!roster.empty()) lo.roster = roster;
      auto l = HumanLoop::open(*reloaded.pipeline, *loop_host, lo);
      if (!l.is_ok()) {
        std::cerr << l.status().message() << "\n";
        return kExitBadInput;
      }
      loop = std::move(l).value();
    }
  }
  const std::filesystem::path drafts_dir = !o.drafts.empty() ? o.drafts : pipeline.act.drafts;
  drafts::Templates templates = drafts::Templates::bundled();
  if (!pipeline.act.templates.empty()) {
    try {
      templates = drafts::Templates::load(pipeline.act.templates.string());
    } catch (const drafts::TemplatesError& e) {
      for (const std::string& line : e.errors()) std::cerr << line << "\n";
      return kExitBadInput;
    }
  }
  const bool progress = !o.quiet && (o.progress || ::isatty(STDERR_FILENO) == 1);
  const int max_steps = o.max_steps.value_or(o.store.empty() ? 50 : 0);

  Summary summary;
  const std::vector<MailInput> inputs = collect_mail(o.mail);
  for (const MailInput& input : inputs) {
    ++summary.messages;
    nlohmann::ordered_json out = {{"file", input.name}};
    const auto fail = [&](const std::string& state, const std::string& error) {
      std::cerr << input.name << ": error: " << error << "\n";
      out["state"] = state;
      out["error"] = error;
      std::cout << out.dump() << "\n";
      summary.failures.push_back(input.name + ": " + error);
    };
    if (!input.error.empty()) {
      fail("unreadable", input.error);
      ++summary.unreadable;
      continue;
    }
    sdk::Message msg;
    std::vector<sdk::Annotation> context;
    nlohmann::ordered_json mail_json;
    if (input.kind == MailInput::Kind::message) {
      auto read = read_mail(input.raw, mail_spec, *services);
      if (!read.is_ok()) {
        fail("unreadable", read.status().message());
        ++summary.unreadable;
        continue;
      }
      MailMessage& mail = read.value();
      for (const auto& problem : mail.problems) std::cerr << input.name << ": warning: " << problem << "\n";
      msg = std::move(mail.message);
      context = std::move(mail.context);
      nlohmann::ordered_json headers = nlohmann::ordered_json::array();
      headers.push_back({{"role", "from"}, {"name", msg.from.name}, {"address", msg.from.address}});
      for (const auto& p : msg.to) headers.push_back({{"role", "to"}, {"name", p.name}, {"address", p.address}});
      for (const auto& p : msg.cc) headers.push_back({{"role", "cc"}, {"name", p.name}, {"address", p.address}});
      mail_json = {{"case_id", msg.id},
                   {"message_id", msg.message_id},
                   {"thread_id", msg.thread_id},
                   {"subject", msg.subject},
                   {"from", msg.from.address},
                   {"sent", iso_instant(msg.sent, msg.utc_offset_minutes)},
                   {"zone", msg.sender_zone},
                   {"locale", msg.sender_locale},
                   {"language", msg.language},
                   {"sender_known", mail.sender_known},
                   {"to_assistant", mail.to_assistant},
                   {"problems", mail.problems},
                   {"people", std::move(headers)}};
    } else {
      msg.id = std::filesystem::path(input.name).filename().string();
      msg.text = input.raw;
      msg.sent = sent;
      msg.utc_offset_minutes = offset;
      msg.sender_zone = o.tz;
      std::string locale = o.locale.empty() ? std::string("en_US") : o.locale;
      if (o.locale.empty()) {
        // No --locale: the body's own words say its language ("hättest du nächste Woche Zeit"), and the
        // language's likely locale stands in (de -> de_DE).
        const std::string found = locale_of_text(msg.text, services->locale());
        if (!found.empty() && found.substr(0, 2) != "en") locale = found;  // English keeps en_US
      }
      msg.sender_locale = *services->locale().canonical(locale);
      msg.language = msg.sender_locale.substr(0, msg.sender_locale.find('_'));
    }
    out["message_id"] = msg.message_id.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(msg.message_id);

    MessageResult r = engine.process(msg, context);
    if (r.state == MessageResult::State::failed) {
      fail("failed", r.error + (r.retryable ? " (retryable)" : ""));
      continue;
    }

    // Resolve and decide on the models' readings; the quoted history's times when an acceptance needs them.
    const auto decide = [&](const SettledValues& settled) {
      SchedulingIntent intent = resolve_intent(msg, r.annotations, settled);
      std::vector<TimeItem> quoted_times;
      if (intent.request == "accept_proposal" && !msg.quoted.empty()) {
        sdk::Message q = msg;
        q.text = unquoted(msg.quoted);
        q.quoted.clear();
        const MessageResult qr = engine.process(q, context);
        if (qr.state == MessageResult::State::done) quoted_times = resolve_intent(q, qr.annotations).times;
      }
      Decision decision = decider.decide(msg, intent, quoted_times);
      // The calendars complete who attends (the existing meeting's own attendees): reported and drafted so.
      intent.participants = decision.participants;
      intent.optional = decision.optional;
      return std::make_pair(std::move(intent), std::move(decision));
    };
    auto [intent, decision] = decide({});
    for (sdk::Annotation& q : decision.questions) r.annotations.push_back(q);
    // What the calendars settle needs nobody: a reschedule that does not say how long keeps the length of
    // the meeting it moves.
    if (intent.request == "reschedule" && decision.existing && !intent.duration_minutes) {
      const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(decision.existing->end - decision.existing->start);
      for (sdk::Annotation& a : r.annotations)
        if (a.variable.name == "duration" && !a.variable.distribution.empty() &&
            a.variable.distribution.top().value == "none") {
          a.variable.distribution = sdk::Distribution(std::vector<sdk::Candidate>{{std::to_string(minutes.count()), 1.0}});
          a.source = "decide";
          a.note = "the length of the meeting it moves (" + decision.existing->summary + ")";
        }
      r.unsure.erase(std::remove_if(r.unsure.begin(), r.unsure.end(), [](const Unsure& u) { return u.variable == "duration"; }),
                     r.unsure.end());
      std::tie(intent, decision) = decide({});
    }

    // People: route what is unsure, step the loop until it settles, decide again on the settled values.
    std::vector<std::string> asked, audited, for_expert;
    std::size_t answers = 0;
    bool waiting = false;
    if (cases) {
      // The same mail read again (a rerun once people answered through a task folder): its case resumes,
      // nobody is asked twice, and what they settled since decides.
      auto known = cases->has_case(msg.id);
      if (!known.is_ok()) {
        fail("failed", known.status().message());
        continue;
      }
      std::size_t tasks = 0;
      if (known.value()) {
        auto before = cases->outcome(msg.id);
        if (!before.is_ok()) {
          fail("failed", before.status().message());
          continue;
        }
        for (const TaskOutcome& t : before.value()) asked.push_back(t.variable);
        tasks = before.value().size();
        out["case"] = msg.id;
        out["resumed"] = true;
      } else {
        auto routed = cases->route(pipeline, msg, r);
        if (!routed.is_ok()) {
          fail("failed", routed.status().message());
          continue;
        }
        for (const AskedTask& t : routed.value().tasks)  // an audit is asked to measure the model, not for doubt
          (t.kind == "audit" ? audited : asked).push_back(t.variable);
        tasks = routed.value().tasks.size();
        if (tasks > 0) {
          out["case"] = routed.value().case_id;
          summary.tasks += tasks;
          ++summary.cases;
        }
      }
      if (tasks > 0) {
        std::vector<TaskOutcome> outcome;
        if (auto now_outcome = cases->outcome(msg.id); now_outcome.is_ok()) outcome = std::move(now_outcome).value();
        const auto open_tasks = [](const std::vector<TaskOutcome>& list) {
          return std::any_of(list.begin(), list.end(), [](const TaskOutcome& t) { return t.state == "open"; });
        };
        for (int step = 0; loop && step < max_steps && open_tasks(outcome); ++step) {
          auto report = loop->step(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
          if (!report.is_ok()) break;
          auto now_outcome = cases->outcome(msg.id);
          if (!now_outcome.is_ok()) break;
          outcome = std::move(now_outcome).value();
          if (report.value().quiet() && step > 2) break;
        }
        SettledValues settled;
        for (const TaskOutcome& t : outcome) {
          answers += static_cast<std::size_t>(t.answers);
          if (t.state == "open") {
            waiting = true;
          } else if (t.settled() && !t.value.empty()) {
            settled[t.variable] = t.value;
          } else if ((t.state == "expert" || t.state == "exhausted") && t.answers > 0 && !t.value.empty()) {
            // People answered without reaching the threshold: what they said so far (the posterior's top)
            // stands until an expert decides, rather than the model's first reading; the case stays open
            // for the expert in the store.
            settled[t.variable] = t.value;
            for_expert.push_back(t.variable);
          }
        }
        if (!settled.empty()) std::tie(intent, decision) = decide(settled);
      }
    } else {
      for (const Unsure& u : r.unsure) asked.push_back(u.variable);
      for (const sdk::Annotation& q : decision.questions) asked.push_back(q.variable.name);
    }

    // The decision.
    const std::string zone = !intent.zone.empty() ? intent.zone : "UTC";
    out["state"] = waiting ? "waiting" : "done";
    out["request"] = intent.request.empty() ? "none" : intent.request;
    out["event_type"] = intent.event_type.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(intent.event_type);
    // The length the thread gives; a reschedule that gives none keeps the existing meeting's.
    std::optional<int> duration = intent.duration_minutes;
    if (!duration && intent.request == "reschedule" && decision.existing)
      duration = static_cast<int>(
          std::chrono::duration_cast<std::chrono::minutes>(decision.existing->end - decision.existing->start).count());
    out["duration_minutes"] = duration ? nlohmann::ordered_json(*duration) : nlohmann::ordered_json(nullptr);
    out["location"] = intent.location.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(intent.location);
    out["participants"] = intent.participants;
    out["optional"] = intent.optional;
    if (!intent.sessions.empty()) {
      nlohmann::ordered_json sessions = nlohmann::ordered_json::array();
      for (const Session& s : intent.sessions) sessions.push_back({{"with", s.with}, {"minutes", s.minutes}});
      out["sessions"] = std::move(sessions);
    }
    nlohmann::ordered_json times = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < intent.times.size(); ++i) {
      nlohmann::ordered_json t = time_json(intent.times[i]);
      if (i < decision.names_existing.size() && decision.names_existing[i]) t["polarity"] = "neutral";
      times.push_back(std::move(t));
    }
    out["times"] = std::move(times);
    if (decision.existing) {
      out["event_uid"] = decision.existing->uid;
      out["existing"] = {{"uid", decision.existing->uid},
                         {"summary", decision.existing->summary},
                         {"start", scheduling::format_instant(decision.existing->start, zone)},
                         {"end", scheduling::format_instant(decision.existing->end, zone)}};
    } else {
      out["event_uid"] = nullptr;
    }
    nlohmann::ordered_json slots = nlohmann::ordered_json::array();
    if (decision.scheduled) {
      out["slot_minutes"] = decision.slot_minutes;
      for (const scheduling::Slot& s : decision.solved.slots) slots.push_back(slot_json(s, zone));
    }
    out["slots"] = std::move(slots);
    out["nothing_fits"] = decision.scheduled && decision.solved.nothing_fits;
    if (decision.scheduled && decision.solved.nothing_fits) {
      out["why_none"] = decision.solved.why_none;
      if (decision.solved.compromise) {
        nlohmann::ordered_json c = slot_json(decision.solved.compromise->slot, zone);
        nlohmann::ordered_json broken = nlohmann::ordered_json::array();
        for (const scheduling::Violation& v : decision.solved.compromise->broken)
          broken.push_back({{"constraint", v.constraint}, {"person", v.person}, {"minutes", v.minutes}, {"text", v.text}});
        c["broken"] = std::move(broken);
        out["compromise"] = std::move(c);
      } else {
        out["compromise"] = nullptr;
      }
    }
    out["asked"] = asked;
    if (!audited.empty()) out["audited"] = audited;
    if (!for_expert.empty()) out["for_expert"] = for_expert;
    out["answers_used"] = answers;
    if (!decision.notes.empty()) out["notes"] = decision.notes;
    if (!intent.problems.empty()) out["problems"] = intent.problems;
    if (!mail_json.is_null()) out["mail"] = std::move(mail_json);
    out["annotations"] = nlohmann::ordered_json::array();
    for (const auto& a : r.annotations) out["annotations"].push_back(annotation_json(a, msg.text));
    // The reply and the invitation: drafted when the decision is final (people asked have answered).
    if (!waiting) {
      std::string why;
      if (auto in = draft_input(msg, intent, decision, decider.people(), mail_spec, pipeline.act.review, why)) {
        auto d = drafts::draft(*in, templates);
        if (!d.is_ok()) {
          out["draft"] = {{"error", d.status().message()}};
          std::cerr << input.name << ": warning: no draft: " << d.status().message() << "\n";
        } else {
          nlohmann::ordered_json dj = {{"kind", draft_kind(in->kind)}, {"language", d.value().language},
                                       {"held", d.value().held}, {"subject", d.value().subject},
                                       {"body", d.value().body}};
          if (!d.value().method.empty()) dj["invitation_method"] = d.value().method;
          if (!drafts_dir.empty()) {
            std::string error;
            nlohmann::ordered_json files = write_draft(d.value(), drafts_dir, msg.id, error);
            if (files.is_null()) std::cerr << input.name << ": warning: " << error << "\n";
            else dj["files"] = std::move(files);
          }
          out["draft"] = std::move(dj);
          ++summary.drafts;
        }
      } else {
        out["draft"] = nullptr;
      }
    } else {
      out["draft"] = nullptr;
    }

    // The summary.
    ++summary.done;
    summary.below_threshold += r.unsure.size();
    if (!asked.empty()) {
      ++summary.to_people;
      summary.questions += asked.size();
    } else {
      ++summary.automatic;
    }
    if (waiting) ++summary.waiting;
    summary.answers += answers;
    if (!intent.scheduling()) ++summary.nothing_to_schedule;
    if (decision.scheduled) summary.slots += decision.solved.slots.size();
    if (decision.scheduled && decision.solved.nothing_fits && decision.solved.compromise) ++summary.compromises;

    std::cout << out.dump() << "\n";
    if (progress) {
      std::cerr << "[" << summary.messages << "/" << inputs.size() << "] "
                << std::filesystem::path(input.name).filename().string() << ": " << out["request"].get<std::string>();
      if (!intent.event_type.empty()) std::cerr << ", " << intent.event_type;
      if (decision.scheduled) {
        std::cerr << ", " << decision.slot_minutes << " min";
        if (!decision.solved.slots.empty())
          std::cerr << ": " << scheduling::format_instant(decision.solved.slots.front().start, zone) << " (best of "
                    << decision.solved.slots.size() << ")";
        else if (decision.solved.nothing_fits)
          std::cerr << ": nothing fits" << (decision.solved.compromise ? ", compromise offered" : "");
      }
      if (waiting) std::cerr << "; waiting for people (" << asked.size() << " questions)";
      else if (!asked.empty()) std::cerr << "; " << asked.size() << " questions answered by people";
      if (out.contains("draft") && out["draft"].is_object() && out["draft"].contains("kind"))
        std::cerr << "; draft: " << out["draft"]["kind"].get<std::string>();
      std::cerr << "\n";
    }
  }
  print_summary(summary, o.store.empty() ? std::string() : cases->location(), std::cerr);
  if (!temp_dir.empty()) {
    loop.reset();
    cases.reset();
    std::error_code ec;
    std::filesystem::remove_all(temp_dir, ec);
  }
  return summary.failures.empty() ? kExitOk : kExitBadInput;
}

}  // namespace

void add_run(CLI::App& app, Command& chosen) {
  auto o = std::make_shared<RunOptions>();
  auto* sub = app.add_subcommand(
      "run", "The main job: messages through the whole pipeline, one JSON object per message on stdout (request, "
             "event, participants, times, ranked slots, what was asked), a summary on stderr.");
  sub->add_option("--pipeline,-p", o->pipeline, "Pipeline YAML file")->required();
  sub->add_option("MAIL", o->mail,
                  "Messages: .eml files, mbox files, Maildir folders, folders of them; a file without a header block "
                  "is a bare text body")
      ->required();
  sub->add_option("--people", o->people, "People directory (YAML) instead of the pipeline's mail.people");
  sub->add_option("--calendars", o->calendars,
                  "Folder of calendars (.ics) found by the file names the directory gives, instead of the pipeline's "
                  "schedule.calendars");
  sub->add_option("--drafts", o->drafts, "Folder the drafted replies and invitations go to, instead of act.drafts");
  sub->add_option("--store", o->store,
                  "Case store (SQLite, created when missing) for what needs people; default: one for this run only");
  sub->add_option("--roster", o->roster, "Workers (YAML) the human stage reaches, instead of the pipeline's workers");
  sub->add_option("--max-steps", o->max_steps,
                  "Service-loop steps per message before it is left waiting (default 50; 0 with --store, where the "
                  "cases wait for `tandem serve`; running the same mail again with the store resumes its case)")
      ->check(CLI::Range(0, 100000));
  sub->add_option("--sent", o->sent, "Bare text bodies only: when they were sent (ISO 8601 with offset); default: now");
  sub->add_option("--tz", o->tz, "Bare text bodies only: the sender's IANA time zone")->capture_default_str();
  sub->add_option("--locale", o->locale,
                  "Bare text bodies only: the sender's ICU locale (default: the language of each body's words, "
                  "en_US when unsure)");
  sub->add_flag("--quiet,-q", o->quiet, "No progress lines (they are shown only on a terminal anyway)");
  sub->add_flag("--progress", o->progress, "Progress lines on stderr even when it is no terminal");
  sub->callback([&chosen, o] { chosen.run = [o] { return run(*o); }; });
}

}  // namespace tandem::cli
