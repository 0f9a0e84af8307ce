// Regressions found while fuzzing the mail intake (tests/fuzz/mail_fuzz.cpp; docs/mail.md, "Fuzzing").
// Inputs are in tests/data/mail/fuzz/, which scripts/fuzz.sh also takes as seeds, so that the fuzzer
// replays them under ASan and UBSan on every run.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "mail/html_text.hpp"
#include "tandem/mail.hpp"
#include "tandem/reply.hpp"

namespace tandem::mail {
namespace {

namespace fs = std::filesystem;

std::string fixture(const char* name) {
  const fs::path p = fs::path(TANDEM_TEST_DATA_DIR) / "mail" / "fuzz" / name;
  std::ifstream in(p, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << p;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
  }
  return lines;
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  out.reserve(s.size() * static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.append(s);
  return out;
}

// <ol start> past a long: strtol gave LONG_MAX and the next item's number overflowed (UBSan: signed
// integer overflow in html_text.cpp). A start is now read within a 32-bit counter's range.
TEST(FuzzRegression, OrderedListStartPastALongCountsOnWithoutOverflow) {
  EXPECT_EQ(html_to_text(fixture("ol_start_overflow.html")),
            "2147483647. first\n2147483648. second\n\n-2147483648. low\n-2147483647. next\n");
}

// Every line carried its whole depth: 500 nested <ul><li> and 2,000 items made 2 MB of indentation from
// 14 KB (a 61 KB message: 28 MB of text and 55 s in the fuzz build). Indentation now stops growing at
// kMaxIndentBytes, and the message reads quickly.
TEST(FuzzRegression, DeepListsDoNotMultiplyTheText) {
  const std::string raw = fixture("nested_list_lines.eml");
  const auto start = std::chrono::steady_clock::now();
  const auto parsed = parse_mail(raw);
  ASSERT_TRUE(parsed) << parsed.status().to_string();
  const ReplyParts reply = extract_reply(parsed->text);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(parsed->text_from_html);
  EXPECT_LT(parsed->text.size(), 100000u);  // 2 MB before
  EXPECT_LT(seconds, 2.0);
  const auto lines = lines_of(parsed->text);
  ASSERT_GE(lines.size(), 2000u);
  const std::string deepest = std::string(detail::kMaxIndentBytes, ' ') + "- x";
  EXPECT_EQ(lines.back(), deepest);
  for (const auto& l : lines) EXPECT_LE(l.size(), deepest.size());
  EXPECT_FALSE(reply.reply.empty());
}

// The same with quotes: 500 nested <blockquote> put 1,000 bytes of "> " before every line. Quote marks now
// stop at kMaxQuoteLevels.
TEST(FuzzRegression, DeepQuotesDoNotMultiplyTheText) {
  const std::string html = fixture("nested_quote_lines.html");
  const std::string text = html_to_text(html);
  EXPECT_LT(text.size(), 100000u);  // 2 MB before
  const auto lines = lines_of(text);
  ASSERT_EQ(lines.size(), 2000u);
  const std::string deepest = repeat("> ", detail::kMaxQuoteLevels) + "x";
  for (const auto& l : lines) EXPECT_EQ(l, deepest);
  // Shallow quotes keep one mark per level.
  EXPECT_EQ(html_to_text(repeat("<blockquote>", 3) + "x"), "> > > x\n");
}

// Text past kMaxTextBytes is dropped, and parse_mail says so.
TEST(FuzzRegression, TextPastTheLimitIsCutAndNoted) {
  // Every "<li>" a line of about 80 bytes: the deepest quote marks, indentation and a long number.
  const std::string html = repeat("<blockquote>", detail::kMaxQuoteLevels) +
                           repeat("<ol start=-2147483648><li>", 3) + repeat("<li>x", 250000);
  const detail::HtmlText h = detail::convert_html(html);
  EXPECT_TRUE(h.cut_for_text);
  EXPECT_LE(h.text.size(), detail::kMaxTextBytes);
  EXPECT_GT(h.text.size(), detail::kMaxTextBytes / 2);

  const auto parsed = parse_mail("From: a@example.com\r\nContent-Type: text/html\r\n\r\n" + html);
  ASSERT_TRUE(parsed) << parsed.status().to_string();
  EXPECT_TRUE(parsed->best_effort);
  EXPECT_TRUE(std::any_of(parsed->problems.begin(), parsed->problems.end(), [](const std::string& p) {
    return p.find("HTML body's text is over 16777216 bytes") != std::string::npos;
  })) << ::testing::PrintToString(parsed->problems);
}

}  // namespace
}  // namespace tandem::mail

namespace tandem::mail {
namespace {

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    i += n;
  }
  return true;
}

// A numeric character reference past U+10FFFF, without its semicolon, in text that looks like HTML.
TEST(FuzzRegression, HtmlToTextGivesValidUtf8ForOutOfRangeCharacterReferences) {
  const std::string text = html_to_text(fixture("char_ref_in_text.html"));
  EXPECT_TRUE(valid_utf8(text)) << text;
  EXPECT_TRUE(valid_utf8(html_to_text("<p>a &#x110000; b &#xBBBBBBBBBBBB c &#55296; d</p>")));
}

}  // namespace
}  // namespace tandem::mail
