// The MIME layer: the shared MIME cases (../shared/eval/mail/mime, scored per field), our own fixtures
// (tests/data/mail/*.mime.yaml, one parameterised test walks them), and generated bad input (a 50 MB
// message, nesting 100 deep, thousands of parts, empty input).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "mail/mime_text.hpp"
#include "tandem/mail.hpp"

namespace tandem::mail {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// "1994-10-07T16:15:05-07:00": the sent instant in the sender's offset, as RFC 3339.
std::string rfc3339(const ParsedMail& m) {
  using namespace std::chrono;
  const auto local = m.sent + minutes(m.utc_offset_minutes);
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  const int off = m.utc_offset_minutes < 0 ? -m.utc_offset_minutes : m.utc_offset_minutes;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld%c%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()), m.utc_offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

std::string crlf_to_lf(std::string s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out.push_back(s[i]);
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// The first field that is not valid UTF-8, or "".
std::string non_utf8_field(const ParsedMail& m) {
  auto bad = [](const std::string& s) { return !detail::is_valid_utf8(s); };
  if (bad(m.subject)) return "subject";
  if (bad(m.from.name) || bad(m.from.address)) return "from";
  if (bad(m.text)) return "text";
  if (bad(m.html)) return "html";
  if (bad(m.date_header)) return "date_header";
  if (bad(m.message_id) || bad(m.in_reply_to)) return "message ids";
  for (const auto& r : m.references)
    if (bad(r)) return "references";
  for (const auto* list : {&m.to, &m.cc, &m.reply_to})
    for (const Address& a : *list)
      if (bad(a.name) || bad(a.address)) return "to/cc/reply_to";
  for (const Attachment& a : m.attachments)
    if (bad(a.filename) || bad(a.content_type)) return "attachments";
  for (const std::string& p : m.problems)
    if (bad(p)) return "problems";
  if (bad(m.content_type)) return "content_type";
  return "";
}

bool all_utf8(const ParsedMail& m) { return non_utf8_field(m).empty(); }

// ---------------------------------------------------------------------------------------------------
// The shared cases. Each field a case asserts is scored; a field the case leaves null where "null"
// means "absent" is scored as absence. Line ends: our text uses LF, so expected CRLF (decoded base64
// payloads keep it in the peer's output) counts as LF.

struct Tally {
  int right = 0;
  int total = 0;
  std::vector<std::string> misses;
};

std::string addresses_text(const std::vector<Address>& v) {
  std::string s = "[";
  for (const Address& a : v) s += "{" + a.name + " <" + a.address + ">}";
  return s + "]";
}

std::vector<Address> expected_addresses(const nlohmann::json& j) {
  std::vector<Address> v;
  for (const auto& a : j)
    v.push_back({a["name"].is_null() ? "" : a["name"].get<std::string>(),
                 a["address"].is_null() ? "" : a["address"].get<std::string>()});
  return v;
}

// Code points of UTF-8 text.
std::vector<std::string> code_points(const std::string& s) {
  std::vector<std::string> v;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = 1;
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0xF0) n = 4;
    else if (b >= 0xE0) n = 3;
    else if (b >= 0xC0) n = 2;
    v.push_back(s.substr(i, n));
    i += n;
  }
  return v;
}

// Equal, where U+FFFD in `want` (bytes the peer could not decode: raw 8-bit header text it reads as
// UTF-8) stands for any one character: reading those bytes in a legacy charset is as right.
bool same_text(const std::string& got, const std::string& want) {
  if (want.find("\xEF\xBF\xBD") == std::string::npos) return got == want;
  const auto g = code_points(got), w = code_points(want);
  if (g.size() != w.size()) return false;
  for (std::size_t i = 0; i < g.size(); ++i)
    if (g[i] != w[i] && w[i] != "\xEF\xBF\xBD") return false;
  return true;
}

bool same_addresses(const std::vector<Address>& a, const std::vector<Address>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same_text(a[i].name, b[i].name) || a[i].address != b[i].address) return false;
  return true;
}

std::string show(const std::string& s) {
  std::string out = s.substr(0, 70);
  for (char& c : out)
    if (c == '\n') c = '|';
  return "\"" + out + (s.size() > 70 ? "...\"" : "\"");
}

TEST(MimeSharedCases, FieldsMatchThePeersExpectations) {
  const fs::path dir = fs::path(TANDEM_SOURCE_DIR) / ".." / "shared" / "eval" / "mail" / "mime";
  if (!fs::exists(dir / "cases.jsonl")) GTEST_SKIP() << "no shared MIME cases at " << dir << " (../shared absent)";

  std::map<std::string, Tally> fields;
  auto score = [&](const std::string& field, const std::string& id, bool right, const std::string& detail) {
    Tally& t = fields[field];
    ++t.total;
    if (right) ++t.right;
    else t.misses.push_back(id + ": " + detail);
  };

  std::ifstream cases(dir / "cases.jsonl");
  std::string line;
  int n = 0;
  while (std::getline(cases, line)) {
    if (line.empty()) continue;
    const auto c = nlohmann::json::parse(line);
    const std::string id = c["id"];
    const auto& e = c["expect"];
    const std::string raw = read_file(dir / c["file"].get<std::string>());
    ++n;
    auto parsed = parse_mail(raw);
    score("parsed", id, parsed.is_ok(), parsed.status().to_string());
    if (!parsed) continue;
    const ParsedMail& m = *parsed;
    score("utf8", id, all_utf8(m), "a string is not valid UTF-8");

    if (e.contains("subject")) {
      bool right = e["subject"].is_null() ? m.subject.empty() : same_text(m.subject, e["subject"].get<std::string>());
      if (!right && e.contains("subject_alternatives"))
        for (const auto& alt : e["subject_alternatives"]) right = right || m.subject == alt.get<std::string>();
      score("subject", id, right, show(m.subject));
    }
    if (e.contains("from")) {
      const bool right = e["from"].is_null()
                             ? m.from.address.empty()
                             : same_addresses({m.from}, {expected_addresses(e["from"]).front()});
      score("from", id, right, addresses_text({m.from}));
    }
    if (e.contains("to")) {
      const bool right = e["to"].is_null() ? m.to.empty() : same_addresses(m.to, expected_addresses(e["to"]));
      score("to", id, right, addresses_text(m.to));
    }
    if (e.contains("date")) {
      const bool right = e["date"].is_null() ? !m.has_date : m.has_date && rfc3339(m) == e["date"].get<std::string>();
      score("date", id, right, m.has_date ? rfc3339(m) : "no date (" + m.date_header + ")");
    }
    if (e.contains("content_type") && !e["content_type"].is_null())
      score("content_type", id, m.content_type == e["content_type"].get<std::string>(), m.content_type);
    if (e.contains("part_count") && !e["part_count"].is_null())
      score("part_count", id, m.part_count == e["part_count"].get<std::size_t>(), std::to_string(m.part_count));
    if (e.contains("attachment_parts") && !e["attachment_parts"].is_null()) {
      std::vector<std::string> want, got;
      for (const auto& a : e["attachment_parts"]) want.push_back(a["content_type"]);
      for (const Attachment& a : m.attachments) got.push_back(a.content_type);
      std::string g;
      for (const auto& s : got) g += s + " ";
      score("attachments", id, want == got, g);
    }
    if (e.contains("html_body_parts") && e["html_body_parts"].is_array() && c["source"] != "nodemailer/mailparser") {
      bool has_html = false;
      for (const auto& p : e["html_body_parts"]) has_html = has_html || p["kind"] == "html";
      score("html", id, has_html == !m.html.empty(), m.html.empty() ? "no html" : "html");
    }
    if (e.contains("text_body")) {
      // The peers' text body is the text/plain body; null: there is none (we then give the HTML as text).
      const bool peer_trims = c["source"] == "nodemailer/mailparser";
      if (e["text_body"].is_null()) {
        score("text", id, m.text_from_html || m.text.empty(), "text from a text/plain part: " + show(m.text));
      } else {
        std::string want = crlf_to_lf(e["text_body"].get<std::string>());
        std::string got = m.text;
        if (peer_trims) want = trim(want), got = trim(got);
        score("text", id, !m.text_from_html && got == want, show(got) + " want " + show(want));
      }
    }
    if (e.contains("text_body_joined")) {
      // mailparser joins the HTML part (as text) and the text part with "\n".
      const std::string got = trim(html_to_text(m.html)) + "\n" + trim(m.text);
      score("text", id, got == e["text_body_joined"].get<std::string>(), show(got));
    }
  }

  std::printf("MIME shared cases: %d\n", n);
  for (const auto& [field, t] : fields) {
    std::printf("  %-13s %2d/%2d  %.3f\n", field.c_str(), t.right, t.total, t.total ? double(t.right) / t.total : 1.0);
    for (const auto& miss : t.misses) std::printf("      miss %s\n", miss.c_str());
  }
  // Bars: every field right in every case, except where the peer's expectation is not what tandem wants
  // (docs/mail.md, "MIME", lists them): one miss allowed in date, part_count and attachments, three in
  // text.
  //  - stalwart/thirdparty/015: the outer multipart holds a text and three attached messages, each
  //    closed by the outer boundary; the peer lets the first attached message's unterminated inner
  //    multipart swallow the other two (3 parts, 1 attachment), we read the 5 parts GMime finds.
  //  - format=flowed bodies (thirdparty/015, malformed/020): we join soft line breaks and undo
  //    space-stuffing (RFC 3676); the peer returns the wire lines.
  //  - stalwart/malformed/019, a fuzzed message: its well-formed Date says 10:00:01, the peer reads the
  //    garbled one as 10:00:00; its text/plain part is empty, so we give the HTML part's text.
  auto rate = [&](const char* f) { const Tally& t = fields[f]; return t.total ? double(t.right) / t.total : 1.0; };
  auto all_but = [&](const char* f, int misses) {
    const Tally& t = fields[f];
    return t.total ? double(t.total - misses) / t.total : 1.0;
  };
  for (const char* f : {"parsed", "utf8", "subject", "from", "to", "content_type", "html"})
    EXPECT_EQ(rate(f), 1.0) << f;
  EXPECT_GE(rate("date"), all_but("date", 1));
  EXPECT_GE(rate("part_count"), all_but("part_count", 1));
  EXPECT_GE(rate("attachments"), all_but("attachments", 1));
  EXPECT_GE(rate("text"), all_but("text", 3));
}

// ---------------------------------------------------------------------------------------------------
// Our fixtures: tests/data/mail/NAME.mime.yaml names its input and what the parse must give.

std::vector<fs::path> fixture_specs() {
  std::vector<fs::path> specs;
  const fs::path dir = fs::path(TANDEM_TEST_DATA_DIR) / "mail";
  if (!fs::exists(dir)) return specs;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 10 && name.compare(name.size() - 10, 10, ".mime.yaml") == 0) specs.push_back(entry.path());
  }
  std::sort(specs.begin(), specs.end());
  return specs;
}

class MimeFixtures : public ::testing::TestWithParam<fs::path> {};

TEST_P(MimeFixtures, ParseGivesWhatTheSpecSays) {
  const YAML::Node spec = YAML::LoadFile(GetParam().string());
  const std::string raw = read_file(GetParam().parent_path() / spec["input"].as<std::string>());
  const auto parsed = parse_mail(raw);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  const ParsedMail& m = *parsed;
  EXPECT_TRUE(all_utf8(m));
  std::string problems;
  for (const auto& p : m.problems) problems += "\n  " + p;
  SCOPED_TRACE("problems:" + problems);

  auto address = [](const YAML::Node& n) { return Address{n["name"].as<std::string>(""), n["address"].as<std::string>("")}; };
  auto addresses = [&](const YAML::Node& n) {
    std::vector<Address> v;
    for (const auto& a : n) v.push_back(address(a));
    return v;
  };
  if (spec["subject"]) { EXPECT_EQ(m.subject, spec["subject"].as<std::string>()); }
  if (spec["subject_contains"]) { EXPECT_NE(m.subject.find(spec["subject_contains"].as<std::string>()), std::string::npos) << m.subject; }
  if (spec["from"]) {
    const Address want = address(spec["from"]);
    if (spec["from"]["name"]) { EXPECT_EQ(m.from.name, want.name); }
    EXPECT_EQ(m.from.address, want.address);
  }
  if (spec["to"]) { EXPECT_TRUE(same_addresses(m.to, addresses(spec["to"]))) << addresses_text(m.to); }
  if (spec["cc"]) { EXPECT_TRUE(same_addresses(m.cc, addresses(spec["cc"]))) << addresses_text(m.cc); }
  if (spec["to_names_contain"]) {
    std::string names;
    for (const Address& a : m.to) names += a.name + " | ";
    for (const auto& s : spec["to_names_contain"]) { EXPECT_NE(names.find(s.as<std::string>()), std::string::npos) << names; }
  }
  if (spec["date"]) {
    EXPECT_TRUE(m.has_date);
    EXPECT_EQ(rfc3339(m), spec["date"].as<std::string>());
  }
  if (spec["has_date"]) { EXPECT_EQ(m.has_date, spec["has_date"].as<bool>()); }
  if (spec["message_id"]) { EXPECT_EQ(m.message_id, spec["message_id"].as<std::string>()); }
  if (spec["in_reply_to"]) { EXPECT_EQ(m.in_reply_to, spec["in_reply_to"].as<std::string>()); }
  if (spec["references"]) { EXPECT_EQ(m.references, spec["references"].as<std::vector<std::string>>()); }
  if (spec["content_type"]) { EXPECT_EQ(m.content_type, spec["content_type"].as<std::string>()); }
  if (spec["text"]) { EXPECT_EQ(m.text, spec["text"].as<std::string>()); }
  if (spec["text_lacks"])
    for (const auto& s : spec["text_lacks"]) { EXPECT_EQ(m.text.find(s.as<std::string>()), std::string::npos) << m.text; }
  if (spec["text_from_html"]) { EXPECT_EQ(m.text_from_html, spec["text_from_html"].as<bool>()); }
  if (spec["part_count"]) { EXPECT_EQ(m.part_count, spec["part_count"].as<std::size_t>()); }
  if (spec["attachments"]) {
    ASSERT_EQ(m.attachments.size(), spec["attachments"].size());
    for (std::size_t i = 0; i < m.attachments.size(); ++i) {
      const YAML::Node a = spec["attachments"][i];
      if (a["filename"]) { EXPECT_EQ(m.attachments[i].filename, a["filename"].as<std::string>()); }
      EXPECT_EQ(m.attachments[i].content_type, a["content_type"].as<std::string>());
      if (a["size"]) { EXPECT_EQ(m.attachments[i].size, a["size"].as<std::size_t>()); }
    }
  }
  if (spec["best_effort"]) { EXPECT_EQ(m.best_effort, spec["best_effort"].as<bool>()); }
  if (spec["problems_contain"])
    for (const auto& s : spec["problems_contain"]) { EXPECT_NE(problems.find(s.as<std::string>()), std::string::npos) << s; }
  if (spec["problems_lack"])
    for (const auto& s : spec["problems_lack"]) { EXPECT_EQ(problems.find(s.as<std::string>()), std::string::npos) << s; }
}

INSTANTIATE_TEST_SUITE_P(Mail, MimeFixtures, ::testing::ValuesIn(fixture_specs()),
                         [](const ::testing::TestParamInfo<fs::path>& param_info) {
                           std::string name = param_info.param.filename().string();
                           name = name.substr(0, name.size() - 10);
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

// ---------------------------------------------------------------------------------------------------
// Generated bad input: limits, depth, size, emptiness.

std::string nested(int levels) {
  std::string s = "From: a@example.com\nSubject: deep\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b0\n\n";
  for (int i = 1; i < levels; ++i)
    s += "--b" + std::to_string(i - 1) + "\nContent-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n";
  s += "--b" + std::to_string(levels - 1) + "\nContent-Type: text/plain\n\ninnermost\n";
  for (int i = levels - 1; i >= 0; --i) s += "--b" + std::to_string(i) + "--\n";
  return s;
}

TEST(ParseMail, RefusesAMessageOverMaxBytesNamingTheLimit) {
  std::string raw = "From: a@example.com\nSubject: big\nContent-Type: text/plain\n\n";
  raw.resize(50u * 1000u * 1000u, 'x');
  const auto parsed = parse_mail(raw);
  ASSERT_FALSE(parsed.is_ok());
  EXPECT_EQ(parsed.status().code(), sdk::Code::invalid_input);
  EXPECT_EQ(parsed.status().message(), "message is 50000000 bytes, over the limit of 26214400 (mail.max_bytes)");
  Limits roomy;
  roomy.max_bytes = 64u * 1024u * 1024u;
  const auto big = parse_mail(raw, roomy);
  ASSERT_TRUE(big.is_ok()) << big.status().to_string();
  EXPECT_EQ(big->text.size(), raw.size() - raw.find("\n\n") - 2);
}

TEST(ParseMail, RefusesNestingDeeperThanMaxDepthNamingThePart) {
  const auto parsed = parse_mail(nested(100));
  ASSERT_FALSE(parsed.is_ok());
  std::string path = "1";
  for (int i = 1; i < 33; ++i) path += ".1";
  EXPECT_EQ(parsed.status().message(), "MIME nesting deeper than 32 at part " + path + " (mail.max_depth)");

  Limits deep;
  deep.max_depth = 200;
  const auto read = parse_mail(nested(100), deep);
  ASSERT_TRUE(read.is_ok()) << read.status().to_string();
  EXPECT_EQ(read->text, "innermost");
  EXPECT_EQ(read->part_count, 101u);
  EXPECT_FALSE(read->best_effort) << read->problems.front();
}

TEST(ParseMail, NestingPastGMimesOwnLimitIsNoCrash) {
  Limits deep;
  deep.max_depth = 5000;
  deep.max_parts = 5000;
  const auto parsed = parse_mail(nested(3000), deep);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  EXPECT_TRUE(parsed->best_effort);
}

TEST(ParseMail, RefusesMorePartsThanMaxParts) {
  std::string raw = "From: a@example.com\nContent-Type: multipart/mixed; boundary=p\n\n";
  for (int i = 0; i < 1500; ++i) raw += "--p\nContent-Type: text/plain\n\npart " + std::to_string(i) + "\n";
  raw += "--p--\n";
  const auto parsed = parse_mail(raw);
  ASSERT_FALSE(parsed.is_ok());
  EXPECT_EQ(parsed.status().message(), "message has more than 1000 MIME parts (mail.max_parts)");
  Limits many;
  many.max_parts = 2000;
  const auto read = parse_mail(raw, many);
  ASSERT_TRUE(read.is_ok());
  EXPECT_EQ(read->part_count, 1501u);
  EXPECT_EQ(read->text, "part 0");
}

TEST(ParseMail, RefusesEmptyInput) {
  const auto empty = parse_mail("");
  ASSERT_FALSE(empty.is_ok());
  EXPECT_EQ(empty.status().message(), "message is empty (0 bytes)");
  const auto blank = parse_mail(" \r\n\r\n\t");
  ASSERT_FALSE(blank.is_ok());
  EXPECT_EQ(blank.status().message(), "message has no content: 6 bytes of white space");
}

TEST(ParseMail, ReadsHeadersWithAnEmptyBody) {
  const auto parsed = parse_mail("From: a@example.com\nSubject: nothing here\n");
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_EQ(parsed->subject, "nothing here");
  EXPECT_EQ(parsed->text, "");
  EXPECT_EQ(parsed->part_count, 1u);
}

TEST(ParseMail, SkipsAnMboxFromLine) {
  const auto parsed = parse_mail("From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\nSubject: s\n\nbody\n");
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_EQ(parsed->from.address, "a@example.com");
  EXPECT_EQ(parsed->text, "body\n");
  EXPECT_FALSE(parsed->best_effort);
}

TEST(ParseMail, TextStartingWithFromIsABareBody) {
  const auto parsed = parse_mail("From what I hear, Tuesday is out.\nThursday?\n");
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_EQ(parsed->text, "From what I hear, Tuesday is out.\nThursday?\n");
  EXPECT_TRUE(parsed->best_effort);
}

// Calls on many threads at once (the first of them initialising GMime) give what one thread gives.
TEST(ParseMail, ConcurrentCallsAgree) {
  std::vector<std::string> inputs;
  for (const auto& spec : fixture_specs()) {
    const YAML::Node n = YAML::LoadFile(spec.string());
    inputs.push_back(read_file(spec.parent_path() / n["input"].as<std::string>()));
  }
  ASSERT_FALSE(inputs.empty());
  std::vector<std::vector<std::string>> seen(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < seen.size(); ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 25; ++round)
        for (const std::string& in : inputs) {
          const auto r = parse_mail(in);
          seen[t].push_back(r ? r->subject + "|" + r->text + "|" + std::to_string(r->problems.size()) : r.status().message());
        }
    });
  for (auto& th : threads) th.join();
  for (std::size_t t = 1; t < seen.size(); ++t) EXPECT_EQ(seen[t], seen[0]);
  const auto one = parse_mail(inputs[0]);
  ASSERT_TRUE(one.is_ok());
  EXPECT_EQ(seen[0][0], one->subject + "|" + one->text + "|" + std::to_string(one->problems.size()));
}

// Any byte string is either an error or a parse of valid UTF-8: a seeded sweep of mutations of the
// fixtures (cut, flipped, duplicated), a cheap stand-in until the fuzz target runs in the suite.
TEST(ParseMail, MutatedFixturesNeverCrashAndStayUtf8) {
  std::vector<std::string> seeds;
  for (const auto& spec : fixture_specs()) {
    const YAML::Node n = YAML::LoadFile(spec.string());
    seeds.push_back(read_file(spec.parent_path() / n["input"].as<std::string>()));
  }
  ASSERT_FALSE(seeds.empty());
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  int parsed_ok = 0;
  for (int round = 0; round < 600; ++round) {
    std::string s = seeds[next() % seeds.size()];
    for (int k = 0, edits = 1 + static_cast<int>(next() % 8); k < edits && !s.empty(); ++k) {
      const std::size_t at = next() % s.size();
      switch (next() % 4) {
        case 0: s[at] = static_cast<char>(next() & 0xFF); break;
        case 1: s.resize(at); break;
        case 2: s.insert(at, s.substr(at, next() % 200)); break;
        default: s.insert(at, 1, "\n-=?<>\"\\\x80\xff"[next() % 11]); break;
      }
    }
    const auto r = parse_mail(s);
    if (r) {
      ++parsed_ok;
      EXPECT_EQ(non_utf8_field(*r), "") << "round " << round;
    } else {
      EXPECT_FALSE(r.status().message().empty());
    }
  }
  EXPECT_GT(parsed_ok, 500);
}

}  // namespace
}  // namespace tandem::mail
