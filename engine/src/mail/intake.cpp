#include "tandem/intake.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "mail/language.hpp"
#include "mail/sender_context.hpp"
#include "tandem/reply.hpp"

namespace tandem {
namespace {

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string offset_text(int minutes) {
  char buf[16];
  const int a = minutes < 0 ? -minutes : minutes;
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", minutes < 0 ? '-' : '+', a / 60, a % 60);
  return buf;
}

sdk::Participant participant(const mail::Address& a, const MailSpec& spec) {
  const Person* known = spec.person(a.address);
  return {a.name, a.address, known != nullptr ? known->role : std::string(), spec.is_assistant(a.address)};
}

std::string language_of_locale(std::string_view locale) {
  return std::string(locale.substr(0, locale.find_first_of("_-@")));
}

std::string region_of_locale(std::string_view locale) {
  const std::size_t cut = locale.find_first_of("_-");
  if (cut == std::string_view::npos) return {};
  std::string_view rest = locale.substr(cut + 1);
  // "sr_Latn_RS": skip a script subtag (four letters).
  if (const std::size_t next = rest.find_first_of("_-"); next == 4) rest = rest.substr(5);
  const std::string_view region = rest.substr(0, rest.find_first_of("_-@"));
  return region.size() == 2 || region.size() == 3 ? std::string(region) : std::string();
}

}  // namespace

std::string case_id_for(const mail::ParsedMail& parsed, std::string_view raw) {
  const std::uint64_t h = fnv1a(parsed.message_id.empty() ? raw : std::string_view(parsed.message_id));
  char buf[24];
  std::snprintf(buf, sizeof buf, "m-%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::vector<std::string> split_mbox(std::string_view mbox) {
  std::vector<std::string> out;
  std::string current;
  bool in_message = false;
  std::size_t pos = 0;
  while (pos < mbox.size()) {
    std::size_t end = mbox.find('\n', pos);
    const std::size_t next = end == std::string_view::npos ? mbox.size() : end + 1;
    std::string_view line = mbox.substr(pos, next - pos);
    pos = next;
    if (line.substr(0, 5) == "From ") {
      if (in_message) out.push_back(std::move(current));
      current.clear();
      in_message = true;
      continue;
    }
    if (!in_message) continue;  // text before the first separator is no message
    // mboxrd: ">From ", ">>From " ... lose one '>'; mboxo's ">From " reads the same.
    std::size_t q = 0;
    while (q < line.size() && line[q] == '>') ++q;
    if (q > 0 && line.substr(q, 5) == "From ") line.remove_prefix(1);
    current.append(line);
  }
  if (in_message) out.push_back(std::move(current));
  // The blank line that separates messages belongs to none of them.
  for (std::string& m : out) {
    if (m.size() >= 2 && m.compare(m.size() - 2, 2, "\n\n") == 0) m.pop_back();
    else if (m.size() >= 4 && m.compare(m.size() - 4, 4, "\r\n\r\n") == 0) m.resize(m.size() - 2);
  }
  return out;
}

sdk::Result<MailMessage> read_mail(std::string_view raw, const MailSpec& spec, const sdk::Services& services) {
  mail::Limits limits;
  limits.max_bytes = spec.max_bytes;
  limits.max_depth = spec.max_depth;
  limits.max_parts = spec.max_parts;
  auto parsed = mail::parse_mail(raw, limits);
  if (!parsed.is_ok()) return parsed.status();

  MailMessage out;
  out.parsed = std::move(parsed).value();
  const mail::ParsedMail& p = out.parsed;
  out.problems = p.problems;
  sdk::Message& m = out.message;

  // The reply: what the sender newly wrote.
  mail::ReplyHints hints;
  hints.sender_name = p.from.name;
  hints.sender_address = p.from.address;
  mail::ReplyParts parts = mail::extract_reply(p.text, hints);
  out.reply_text = std::move(parts.reply);
  m.quoted = std::move(parts.quoted);
  m.signature = std::move(parts.signature);

  // The thread: its first message as References name it, else the one this answers, else this one.
  m.id = case_id_for(p, raw);
  m.message_id = p.message_id;
  m.thread_id = !p.references.empty() ? p.references.front()
                : !p.in_reply_to.empty() ? p.in_reply_to
                : !p.message_id.empty() ? p.message_id
                                        : m.id;
  m.subject = p.subject;
  m.from = participant(p.from, spec);
  for (const auto& a : p.to) m.to.push_back(participant(a, spec));
  for (const auto& a : p.cc) m.cc.push_back(participant(a, spec));

  // People: the assistant, and what the directory knows of the sender.
  for (const auto& a : p.to)
    if (!out.to_assistant && spec.is_assistant(a.address)) {
      out.to_assistant = true;
      out.assistant_address = a.address;
    }
  for (const auto& a : p.cc)
    if (spec.is_assistant(a.address)) {
      out.assistant_cc = true;
      if (!out.to_assistant) out.assistant_address = a.address;
      out.to_assistant = true;
      break;
    }
  const Person* person = spec.person(p.from.address);
  out.sender_known = person != nullptr;

  // The sent instant: Date, else the time of reading (said so).
  if (p.has_date) {
    m.sent = p.sent;
    m.utc_offset_minutes = p.utc_offset_minutes;
  } else {
    m.sent = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    m.utc_offset_minutes = 0;
    out.problems.push_back(p.date_header.empty() ? "no Date header: the time of reading stands in for the sent time"
                                                 : "unreadable Date header \"" + p.date_header +
                                                       "\": the time of reading stands in for the sent time");
  }

  // The language: the reply's words; where they do not decide, the language the sender is known to use.
  const sdk::Distribution words = detail::mail::detect_language(out.reply_text);
  const std::string known_language = person && !person->locale.empty() ? language_of_locale(person->locale) : "";
  if (!words.empty() && (words.top_p() >= 0.5 || known_language.empty())) out.language = words.top().value;
  else out.language = known_language;
  m.language = out.language;

  // Zone and locale: known, or inferred as variables with candidates.
  const std::string known_region = person && !person->locale.empty() ? region_of_locale(person->locale) : "";
  sdk::Distribution zones;
  if (person && !person->zone.empty()) {
    // Home, or a trip's zone on the day the mail was written (that day as the Date header's offset has it).
    const std::chrono::year_month_day written{
        std::chrono::floor<std::chrono::days>(m.sent + std::chrono::minutes(m.utc_offset_minutes))};
    m.sender_zone = person->zone_on(written);
  } else if (p.has_date) {
    zones = detail::mail::zone_candidates(m.sent, m.utc_offset_minutes, out.language, known_region);
    if (zones.empty()) {
      out.problems.push_back("no time zone has the Date header's offset " + offset_text(m.utc_offset_minutes) +
                             " at the sent instant: times are read at that fixed offset");
    } else {
      m.sender_zone = zones.top().value;
      sdk::Annotation a;
      a.variable.name = "sender.zone";
      a.variable.distribution = zones;
      a.source = "mail";
      a.note = "inferred from the Date offset " + offset_text(m.utc_offset_minutes) +
               (out.language.empty() ? std::string() : " and the language " + out.language) +
               (person ? " (the people directory gives no zone)" : " (the sender is not in the people directory)");
      out.context.push_back(std::move(a));
    }
  }
  if (person && !person->locale.empty()) {
    m.sender_locale = person->locale;
  } else {
    if (zones.empty() && !m.sender_zone.empty())
      zones = sdk::Distribution(std::vector<sdk::Candidate>{{m.sender_zone, 1.0}});
    const std::string lang = out.language.empty() ? "en" : out.language;
    sdk::Distribution locales = detail::mail::locale_candidates(lang, zones, services.locale());
    m.sender_locale = locales.top().value;
    sdk::Annotation a;
    a.variable.name = "sender.locale";
    a.variable.distribution = std::move(locales);
    a.source = "mail";
    a.note = out.language.empty() ? "no language could be read from the reply: English assumed, with the zone's region"
                                  : "the reply's language " + out.language + " with the region of the sender's zone";
    if (out.language.empty()) out.problems.push_back("the reply's language could not be read");
    out.context.push_back(std::move(a));
  }
  m.text = out.reply_text;
  return out;
}

std::string locale_of_text(std::string_view text, const sdk::LocaleFacts& facts) {
  const sdk::Distribution languages = detail::mail::detect_language(text);
  if (languages.empty()) return {};
  const sdk::Distribution locales = detail::mail::locale_candidates(languages.top().value, {}, facts);
  return locales.empty() ? std::string() : locales.top().value;
}

}  // namespace tandem
