// HTML to text: layout rules table-driven, real clients' HTML replies (talon's fixtures in
// ../shared/eval/mail/reply/talon), and input built to make an HTML5 parser slow.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "mail/html_text.hpp"
#include "mail/mime_text.hpp"
#include "tandem/mail.hpp"

namespace tandem::mail {
namespace {

namespace fs = std::filesystem;

struct Case {
  const char* what;
  const char* html;
  const char* text;
};

const Case kCases[] = {
    {"inline text collapses white space", "<p>  Tuesday\n   at\t3 pm </p>", "Tuesday at 3 pm\n"},
    {"br ends a line", "Hi<br>there<br/>you", "Hi\nthere\nyou\n"},
    {"two br make a blank line", "a<br><br>b", "a\n\nb\n"},
    {"a trailing br in a block adds no line", "<div>Hi<br></div><div>there</div>", "Hi\nthere\n"},
    {"an empty div with a br is a blank line", "<div>Hi</div><div><br></div><div>there</div>", "Hi\n\nthere\n"},
    {"paragraphs are set apart", "<p>one</p><p>two</p>", "one\n\ntwo\n"},
    {"Word's MsoNormal paragraphs are lines", "<p class=MsoNormal>one</p><p class=MsoNormal>two</p>",
     "one\ntwo\n"},
    {"margin:0 paragraphs are lines", "<p style='margin: 0cm 0cm 0pt'>one</p><p style=\"margin:0\">two</p>",
     "one\ntwo\n"},
    {"headings are set apart", "<h1>Agenda</h1>first item", "Agenda\n\nfirst item\n"},
    {"script, style, head and title dropped",
     "<html><head><title>T</title><style>p{}</style></head><body><script>x=1</script>shown</body></html>",
     "shown\n"},
    {"hidden elements dropped",
     "<div style='display:none'>preheader</div><span style=\"mso-hide: all\">x</span><p hidden>y</p>seen",
     "seen\n"},
    {"entities decoded", "Tom &amp; Jerry &lt;3 &eacute;t&eacute; &#8212; &#x263A; caf&eacute;",
     "Tom & Jerry <3 été — ☺ café\n"},
    {"nbsp is a space that does not collapse", "a&nbsp;&nbsp;b", "a  b\n"},
    {"unordered list", "<ul><li>one</li><li>two</li></ul>", "- one\n- two\n"},
    {"ordered list with start", "<ol start=3><li>c</li><li>d</li></ol>", "3. c\n4. d\n"},
    {"nested lists indent", "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "- a\n  - b\n- c\n"},
    {"a list item's second line is indented", "<ol><li>first<br>more</li></ol>", "1. first\n   more\n"},
    {"blockquote lines are quoted", "<p>Yes.</p><blockquote>Can we meet?<br>Sam</blockquote>",
     "Yes.\n\n> Can we meet?\n> Sam\n"},
    {"nested quotes", "<blockquote>a<blockquote>b</blockquote>c</blockquote>", "> a\n> > b\n> c\n"},
    {"blank line inside a quote keeps the marker", "<blockquote><p>a</p><p>b</p></blockquote>after",
     "> a\n>\n> b\n\nafter\n"},
    {"pre keeps white space", "<pre>  two  spaces\n\nand lines</pre>", "  two  spaces\n\nand lines\n"},
    {"table cells are separated by a tab", "<table><tr><td>Mon</td><td>10:00</td></tr><tr><td>Tue</td><td>11:00</td></tr></table>",
     "Mon\t10:00\nTue\t11:00\n"},
    {"images and comments dropped", "a<img src=x alt=logo><!-- note -->b", "ab\n"},
    {"unclosed tags are closed by the parser", "<div><p>one<p>two<div>three", "one\n\ntwo\n\nthree\n"},
    {"empty input", "", ""},
    {"only markup", "<html><body><div></div></body></html>", ""},
};

TEST(HtmlToText, LaysOutAsABrowserWould) {
  for (const Case& c : kCases) EXPECT_EQ(html_to_text(c.html), c.text) << c.what;
}

TEST(HtmlToText, InvalidUtf8BecomesReplacementCharacters) {
  const std::string text = html_to_text("caf\xE9 <b>\xFF</b>");
  EXPECT_TRUE(detail::is_valid_utf8(text));
  EXPECT_NE(text.find("caf\xEF\xBF\xBD"), std::string::npos) << text;
}

// Real clients' HTML replies: the reply reads right and the quoted history is marked.
TEST(HtmlToText, RealClientRepliesReadRight) {
  const fs::path dir = fs::path(TANDEM_SOURCE_DIR) / ".." / "shared" / "eval" / "mail" / "reply" / "talon";
  if (!fs::exists(dir)) GTEST_SKIP() << "no talon fixtures at " << dir << " (../shared absent)";
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".html") continue;
    ++files;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = html_to_text(ss.str());
    const std::string name = entry.path().filename().string();
    EXPECT_NE(text.find("Hi. I am fine.\n"), std::string::npos) << name << ":\n" << text;
    // "Thanks," and "Alex" each on a line of their own, after the reply's first line.
    const auto hi = text.find("Hi. I am fine.");
    const auto thanks = text.find("\nThanks,\n", hi);
    EXPECT_NE(thanks, std::string::npos) << name << ":\n" << text;
    EXPECT_EQ(text.compare(thanks + 9, 5, "Alex\n"), 0) << name << ":\n" << text;
    EXPECT_EQ(text.find("class="), std::string::npos) << name << ": markup left:\n" << text;
    EXPECT_EQ(text.find("font-family"), std::string::npos) << name << ": style text left:\n" << text;
    // Clients that quote with <blockquote> get "> " lines; Outlook's header-block replies do not.
    if (ss.str().find("<blockquote") != std::string::npos) {
      EXPECT_NE(text.find("\n> "), std::string::npos) << name << ":\n" << text;
      EXPECT_EQ(text.find("> Hi. I am fine."), std::string::npos) << name << ":\n" << text;
    }
  }
  EXPECT_EQ(files, 9);
}

TEST(HtmlToText, GmailQuoteIsMarked) {
  const fs::path file = fs::path(TANDEM_SOURCE_DIR) / ".." / "shared" / "eval" / "mail" / "reply" / "talon" / "html_gmail.html";
  if (!fs::exists(file)) GTEST_SKIP() << "no " << file << " (../shared absent)";
  std::ifstream in(file, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = html_to_text(ss.str());
  EXPECT_NE(text.find("wrote:\n> Hello! How are you?\n>\n> Thanks,\n> Sasha.\n"), std::string::npos) << text;
}

// Deep nesting makes an HTML5 tree builder quadratic; the converter stops at the depth guard.
TEST(HtmlToText, DeepNestingIsCutQuickly) {
  for (const char* tag : {"div", "b", "span", "blockquote", "font"}) {
    std::string html;
    for (int i = 0; i < 200000; ++i) html += std::string("<") + tag + ">x";
    const auto start = std::chrono::steady_clock::now();
    const detail::HtmlText out = detail::convert_html(html);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_TRUE(out.cut_for_depth) << tag;
    EXPECT_LT(out.converted_bytes, html.size()) << tag;
    EXPECT_LT(seconds, 5.0) << tag;
    EXPECT_FALSE(out.text.empty()) << tag;
  }
}

TEST(HtmlToText, DepthEstimateFollowsHowTheParserNests) {
  using detail::depth_bounded_prefix;
  // Siblings and closed elements do not add up.
  std::string flat;
  for (int i = 0; i < 5000; ++i) flat += "<div><p>x<li>y<br><img src=a></div><td>z";
  EXPECT_EQ(depth_bounded_prefix(flat, 10), flat.size());
  // Stray end tags do not make room for more nesting.
  std::string stray;
  for (int i = 0; i < 50; ++i) stray += "<div></span>";
  EXPECT_LT(depth_bounded_prefix(stray, 10), stray.size());
  // Tags inside comments and scripts are text.
  std::string hidden = "<!--";
  for (int i = 0; i < 50; ++i) hidden += "<div>";
  hidden += "--><script>";
  for (int i = 0; i < 50; ++i) hidden += "<div>";
  hidden += "</script>";
  EXPECT_EQ(depth_bounded_prefix(hidden, 10), hidden.size());
  // The cut is at the start tag that goes one level too deep.
  EXPECT_EQ(depth_bounded_prefix("<a><b><c>", 2), 6u);
}

}  // namespace
}  // namespace tandem::mail
