// HTML to text (engine-internal): the converter behind tandem::mail::html_to_text, with what parse_mail
// needs to know about its work (whether the input was cut because it nests too deep or is too long).
#ifndef TANDEM_MAIL_HTML_TEXT_HPP_
#define TANDEM_MAIL_HTML_TEXT_HPP_

#include <cstddef>
#include <string>
#include <string_view>

namespace tandem::mail::detail {

// An HTML5 tree builder scans its stack of open elements for most start tags, so its time grows with the
// square of the nesting depth (gumbo: 1,000 nested <div> take 16 ms, 10,000 take 2 s). Mail is never
// nested that deep; input that would be is converted up to the element that crosses the limit.
inline constexpr int kMaxHtmlDepth = 1500;
// Past this many bytes the rest of the HTML is dropped (the tree of a 25 MiB HTML part would take
// hundreds of MiB); no mail meant to be read by a person is that long.
inline constexpr std::size_t kMaxHtmlBytes = 8u * 1024u * 1024u;

// Quote marks ("> ") are written for this many levels at most, and list items indent their lines by at
// most this many bytes; deeper levels are laid out as the deepest. Every line carries its whole depth
// otherwise, so that a few kilobytes of nested <ul><li> or <blockquote> followed by many short lines grow a
// thousandfold (64 KB gave 28 MB of text).
inline constexpr int kMaxQuoteLevels = 16;
inline constexpr std::size_t kMaxIndentBytes = 32;
// Past this many bytes of text the rest of the HTML is not laid out. No mail meant to be read has that much
// text; HTML of little else than tiny elements, each a line of its own with the deepest prefix, reaches it
// from about a megabyte.
inline constexpr std::size_t kMaxTextBytes = 16u * 1024u * 1024u;

struct HtmlText {
  std::string text;
  std::size_t converted_bytes = 0;  // the prefix of the input that was converted
  bool cut_for_depth = false;       // the input nested deeper than kMaxHtmlDepth at converted_bytes
  bool cut_for_size = false;        // the input was longer than kMaxHtmlBytes
  bool cut_for_text = false;        // the text reached kMaxTextBytes; the rest was dropped
};

HtmlText convert_html(std::string_view html);

// The length of the longest prefix of `html` whose elements nest at most `max_depth` deep, estimated
// without building a tree: start tags of elements that can nest count up, their end tags down; void
// elements, elements the parser closes by itself (p, li, td, ...), comments and raw text (script, style)
// do not count. The estimate is never below the depth the parser builds for ordinary markup.
std::size_t depth_bounded_prefix(std::string_view html, int max_depth);

}  // namespace tandem::mail::detail

#endif  // TANDEM_MAIL_HTML_TEXT_HPP_
