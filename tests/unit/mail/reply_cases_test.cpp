// The reply-extraction figure: every case of ../shared/eval/mail/reply/cases.jsonl through
// tandem::mail::extract_reply, compared as the case's `compare` field says (../shared/eval/mail/README.md),
// the match rate printed per source and overall, and the test failing under 0.90 overall.
//
// Cases where our definition (docs/mail.md, "Reply extraction") deliberately differs from a source count
// as misses here; they are listed in the doc. `.html` inputs go through tandem::mail::html_to_text and
// `.eml` inputs through tandem::mail::parse_mail first, as mail does in the engine. Cases whose only
// assertion is a fragment count (the README calls those information only) are reported apart.
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

#include "tandem/mail.hpp"
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


std::string trim(std::string_view s) {
  const char* ws = " \t\r\n\f\v";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
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
  int from_html = 0;  // of `scored`: read through html_to_text
  int from_eml = 0;   // of `scored`: read through parse_mail
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
    const bool has_checks = c.contains("checks") && c["checks"].is_array() && !c["checks"].empty();
    if (compare == "checks" && !has_checks) {  // only a fragment count: information, not an assertion
      ++t.info_only;
      ++all.info_only;
      continue;
    }
    std::string input = slurp(dir / file);
    if (file.size() > 5 && file.substr(file.size() - 5) == ".html") {
      input = tandem::mail::html_to_text(input);
      ++t.from_html;
    } else if (file.size() > 4 && file.substr(file.size() - 4) == ".eml") {
      auto parsed = tandem::mail::parse_mail(input);
      ASSERT_TRUE(parsed.is_ok()) << id << ": " << parsed.status().message();
      input = parsed->text;
      ++t.from_eml;
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
    if (t.from_html) std::cout << "  (" << t.from_html << " .html through html_to_text)";
    if (t.from_eml) std::cout << "  (" << t.from_eml << " .eml through parse_mail)";
    if (t.info_only) std::cout << "  (+" << t.info_only << " fragment-count only, not scored)";
    std::cout << "\n";
  }
  const double rate = static_cast<double>(all.matched) / all.scored;
  std::cout << "  " << std::left << std::setw(28) << "overall" << std::right << std::setw(3) << all.matched << "/"
            << std::setw(3) << all.scored << "  " << rate << "  (bar 0.900)\n";
  std::cout << "  not in the figure: " << all.info_only << " cases asserting only a fragment count\n";
  std::cout << "  misses (docs/mail.md lists the deliberate ones):\n";
  for (const auto& m : misses) std::cout << "    " << m << "\n";
  EXPECT_GE(rate, 0.90);
}

}  // namespace
