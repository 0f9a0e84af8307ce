// The reply-extraction figure: every case of ../shared/eval/mail/reply/cases.jsonl through
// tandem::mail::extract_reply, compared as the case's `compare` field says (../shared/eval/mail/README.md),
// the match rate printed per source and overall, and the test failing under 0.90 overall.
//
// Cases where our definition (docs/mail.md, "Reply extraction") deliberately differs from a source count
// as misses here; they are listed in the doc. The 9 `.html` inputs wait for html_to_text (MIME work on
// another branch) and are reported apart, outside the figure. Cases whose only assertion is a fragment
// count (the README calls those information only) are reported apart too. `.eml` inputs: the first
// text/plain part, transfer-decoded by the small reader below (test code, not the engine's MIME parser).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tandem/reply.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string trim(std::string_view s) {
  const char* ws = " \t\r\n\f\v";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

// ---- a minimal reader for the fixtures' .eml files: headers, one level of multipart, base64 and
// quoted-printable. Enough for single-part and multipart/alternative mail; not a MIME parser.

struct Part {
  std::map<std::string, std::string> headers;  // lower-case names, unfolded values
  std::string body;
};

Part split_part(std::string_view raw) {
  Part p;
  std::size_t pos = 0;
  std::string last;
  while (pos < raw.size()) {
    std::size_t e = raw.find('\n', pos);
    if (e == std::string_view::npos) e = raw.size();
    std::string line(raw.substr(pos, e - pos));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    pos = e + 1;
    if (line.empty()) break;
    if ((line[0] == ' ' || line[0] == '\t') && !last.empty()) {
      p.headers[last] += " " + trim(line);
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    last = lower(trim(line.substr(0, colon)));
    p.headers[last] = trim(line.substr(colon + 1));
  }
  p.body = pos < raw.size() ? std::string(raw.substr(pos)) : std::string();
  return p;
}

std::string param(const std::string& header, const std::string& name) {
  const std::string h = lower(header);
  const auto at = h.find(name + "=");
  if (at == std::string::npos) return {};
  std::size_t b = at + name.size() + 1;
  if (b < header.size() && header[b] == '"') {
    const auto e = header.find('"', b + 1);
    return header.substr(b + 1, e == std::string::npos ? std::string::npos : e - b - 1);
  }
  const auto e = header.find_first_of("; \t", b);
  return header.substr(b, e == std::string::npos ? std::string::npos : e - b);
}

std::string decode_base64(std::string_view s) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  unsigned buf = 0;
  int bits = 0;
  for (char c : s) {
    const int v = value(c);
    if (v < 0) continue;
    buf = (buf << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xFF));
    }
  }
  return out;
}

std::string decode_quoted_printable(std::string_view s) {
  std::string out;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '=') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 1 < s.size() && s[i + 1] == '\n') { ++i; continue; }                       // soft break
    if (i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n') { i += 2; continue; }
    if (i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
      continue;
    }
    out.push_back('=');
  }
  return out;
}

std::string decoded(const Part& p) {
  const auto it = p.headers.find("content-transfer-encoding");
  const std::string cte = it == p.headers.end() ? "" : lower(it->second);
  if (cte == "base64") return decode_base64(p.body);
  if (cte == "quoted-printable") return decode_quoted_printable(p.body);
  return p.body;
}

// The first text/plain part of a message, transfer-decoded; nullopt when there is none.
std::optional<std::string> first_text_plain(std::string_view raw, int depth = 0) {
  const Part p = split_part(raw);
  const auto ct_it = p.headers.find("content-type");
  const std::string ct = ct_it == p.headers.end() ? "text/plain" : ct_it->second;
  const std::string type = lower(trim(ct.substr(0, ct.find(';'))));
  if (type.rfind("multipart/", 0) == 0 && depth < 3) {
    const std::string boundary = param(ct, "boundary");
    if (boundary.empty()) return std::nullopt;
    const std::string delim = "--" + boundary;
    std::size_t pos = p.body.find(delim);
    while (pos != std::string::npos) {
      std::size_t start = p.body.find('\n', pos);
      if (start == std::string::npos || p.body.compare(pos + delim.size(), 2, "--") == 0) break;
      ++start;
      const std::size_t next = p.body.find("\n" + delim, start);
      const std::string_view inner(p.body.data() + start, (next == std::string::npos ? p.body.size() : next) - start);
      if (auto t = first_text_plain(inner, depth + 1)) return t;
      pos = next == std::string::npos ? next : next + 1;
    }
    return std::nullopt;
  }
  if (type != "text/plain") return std::nullopt;
  return decoded(p);
}

// ---- comparison

std::string without_whitespace(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') out.push_back(c);
  return out;
}

bool check_passes(const json& check, const std::string& visible, std::string& why) {
  const std::string type = check.value("type", "");
  if (type == "contains" || type == "not_contains") {
    const std::string value = check.value("value", "");
    const bool found = visible.find(value) != std::string::npos;
    if (found != (type == "contains")) why = type + " \"" + value + "\"";
    return found == (type == "contains");
  }
  if (type == "nonempty") {
    if (trim(visible).empty()) why = "nonempty";
    return !trim(visible).empty();
  }
  if (type == "regex") {
    std::string pattern = check.value("pattern", "");
    auto flags = std::regex::ECMAScript;
    if (pattern.rfind("(?m)", 0) == 0) {
      pattern = pattern.substr(4);
      flags |= std::regex::multiline;
    }
    const bool ok = std::regex_search(visible, std::regex(pattern, flags));
    if (!ok) why = "regex " + pattern;
    return ok;
  }
  why = "unknown check type " + type;
  return false;
}

struct Tally {
  int matched = 0;
  int scored = 0;
  int pending_html = 0;
  int info_only = 0;
};

TEST(ReplyCases, MatchRatePerSourceAtLeastNinetyPercentOverall) {
  const fs::path dir = fs::path(TANDEM_SOURCE_DIR) / ".." / "shared" / "eval" / "mail" / "reply";
  const fs::path cases_file = dir / "cases.jsonl";
  if (!fs::exists(cases_file)) GTEST_SKIP() << "no " << cases_file << " (../shared absent): reply figure not measured";

  std::map<std::string, Tally> per_source;
  Tally all;
  std::vector<std::string> misses;
  std::ifstream in(cases_file);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (trim(line).empty()) continue;
    const json c = json::parse(line);
    const std::string id = c.at("id");
    const std::string source = c.at("source");
    const std::string file = c.at("file");
    const std::string compare = c.at("compare");
    Tally& t = per_source[source];
    if (file.size() > 5 && file.substr(file.size() - 5) == ".html") {
      ++t.pending_html;
      ++all.pending_html;
      continue;
    }
    const bool has_checks = c.contains("checks") && c["checks"].is_array() && !c["checks"].empty();
    if (compare == "checks" && !has_checks) {  // only a fragment count: information, not an assertion
      ++t.info_only;
      ++all.info_only;
      continue;
    }
    std::string input = slurp(dir / file);
    if (c.contains("input_part") && c["input_part"].is_string()) {
      auto body = first_text_plain(input);
      ASSERT_TRUE(body.has_value()) << id << ": no text/plain part in " << file;
      input = *body;
    }
    tandem::mail::ReplyHints hints;
    if (c.contains("sender") && c["sender"].is_string()) hints.sender_name = c["sender"].get<std::string>();

    const auto t0 = std::chrono::steady_clock::now();
    const tandem::mail::ReplyParts parts = tandem::mail::extract_reply(input, hints);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const std::string& visible = parts.reply;

    bool ok = false;
    std::string why;
    if (compare == "exact" || compare == "strip" || compare == "ignore_whitespace") {
      const std::string expected = c.at("expect_visible");
      if (compare == "exact") ok = visible == expected;
      else if (compare == "strip") ok = trim(visible) == trim(expected);
      else ok = without_whitespace(visible) == without_whitespace(expected);
      if (!ok) why = "got " + json(visible).dump() + ", expected " + json(expected).dump();
    } else if (compare == "checks") {
      ok = true;
      for (const auto& check : c["checks"]) ok = check_passes(check, visible, why) && ok;
      if (!ok) why = "failed " + why + "; got " + json(visible).dump();
    } else if (compare == "perf") {
      const double limit = c.value("max_seconds", 1.0);
      ok = seconds <= limit;
      if (!ok) why = "took " + std::to_string(seconds) + " s, limit " + std::to_string(limit) + " s";
    } else {
      ADD_FAILURE() << "cases.jsonl:" << line_no << ": unknown compare mode \"" << compare << "\"";
      continue;
    }
    ++t.scored;
    ++all.scored;
    if (ok) {
      ++t.matched;
      ++all.matched;
    } else {
      std::string shown = why.size() > 300 ? why.substr(0, 300) + "…" : why;
      misses.push_back(id + " (" + compare + "): " + shown);
    }
  }

  ASSERT_GT(all.scored, 0) << "no case scored from " << cases_file;
  std::cout << "reply extraction on " << cases_file.lexically_normal().string() << "\n";
  std::cout << std::fixed << std::setprecision(3);
  for (const auto& [source, t] : per_source) {
    std::cout << "  " << std::left << std::setw(28) << source << std::right << std::setw(3) << t.matched << "/"
              << std::setw(3) << t.scored << "  " << (t.scored ? static_cast<double>(t.matched) / t.scored : 0.0);
    if (t.pending_html) std::cout << "  (+" << t.pending_html << " .html pending html_to_text)";
    if (t.info_only) std::cout << "  (+" << t.info_only << " fragment-count only, not scored)";
    std::cout << "\n";
  }
  const double rate = static_cast<double>(all.matched) / all.scored;
  std::cout << "  " << std::left << std::setw(28) << "overall" << std::right << std::setw(3) << all.matched << "/"
            << std::setw(3) << all.scored << "  " << rate << "  (bar 0.900)\n";
  std::cout << "  not in the figure: " << all.pending_html << " .html cases pending html_to_text (MIME branch), "
            << all.info_only << " cases asserting only a fragment count\n";
  std::cout << "  misses (docs/mail.md lists the deliberate ones):\n";
  for (const auto& m : misses) std::cout << "    " << m << "\n";
  EXPECT_GE(rate, 0.90);
}

}  // namespace
