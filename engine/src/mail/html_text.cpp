// HTML to text through gumbo's HTML5 parser: the tree is walked (iteratively: no recursion per element)
// and laid out line by line as a browser would, then written out with "> " before quoted lines.
#include "mail/html_text.hpp"

#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>
#include <unordered_map>
#include <vector>

#include "mail/mime_text.hpp"
#include "tandem/mail.hpp"

namespace tandem::mail {
namespace detail {
namespace {

bool ascii_iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  const auto* ws = " \t\r\n\f";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

// ---------------------------------------------------------------------------------------------------
// The depth estimate (see the header).

bool is_void_element(std::string_view n) {
  static constexpr std::string_view kVoid[] = {"area", "base", "basefont", "bgsound", "br", "col", "embed",
                                               "frame", "hr", "image", "img", "input", "keygen", "link",
                                               "meta", "param", "source", "track", "wbr"};
  return std::find(std::begin(kVoid), std::end(kVoid), n) != std::end(kVoid);
}

// Elements a new sibling of the same kind closes, so they do not pile up however many are left open.
bool is_self_closing_by_sibling(std::string_view n) {
  static constexpr std::string_view kAuto[] = {"p", "li", "dd", "dt", "option", "optgroup", "tr", "td", "th",
                                               "tbody", "thead", "tfoot", "rb", "rt", "rp", "rtc",
                                               "colgroup", "caption", "html", "head", "body"};
  return std::find(std::begin(kAuto), std::end(kAuto), n) != std::end(kAuto);
}

bool is_raw_text_element(std::string_view n) {
  static constexpr std::string_view kRaw[] = {"script", "style", "textarea", "title", "xmp",
                                              "iframe", "noembed", "noframes", "plaintext"};
  return std::find(std::begin(kRaw), std::end(kRaw), n) != std::end(kRaw);
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == ':' || c == '_' || c == '.';
}

// Skips a tag's attributes from `i` (just past the name) to just past its '>'; reports "/>".
std::size_t skip_tag_rest(std::string_view s, std::size_t i, bool& self_closing) {
  self_closing = false;
  char quote = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      self_closing = i > 0 && s[i - 1] == '/';
      return i + 1;
    }
  }
  return s.size();
}

}  // namespace

std::size_t depth_bounded_prefix(std::string_view s, int max_depth) {
  std::unordered_map<std::string, int> open;  // open count per element name
  int depth = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t lt = s.find('<', i);
    if (lt == std::string_view::npos || lt + 1 >= s.size()) break;
    const std::size_t tag_start = lt;
    i = lt + 1;
    if (s.compare(i, 3, "!--") == 0) {
      const std::size_t end = s.find("-->", i + 3);
      i = end == std::string_view::npos ? s.size() : end + 3;
      continue;
    }
    if (s[i] == '!' || s[i] == '?') {
      const std::size_t end = s.find('>', i);
      i = end == std::string_view::npos ? s.size() : end + 1;
      continue;
    }
    const bool closing = s[i] == '/';
    if (closing) ++i;
    if (i >= s.size() || !std::isalpha(static_cast<unsigned char>(s[i]))) continue;
    std::size_t name_end = i;
    while (name_end < s.size() && is_name_char(s[name_end])) ++name_end;
    const std::string name = ascii_lower(s.substr(i, name_end - i));
    bool self_closing = false;
    i = skip_tag_rest(s, name_end, self_closing);
    if (closing) {
      auto it = open.find(name);
      if (it != open.end() && it->second > 0) {
        --it->second;
        --depth;
      }
      continue;
    }
    if (is_raw_text_element(name)) {
      // Its content is text up to its own end tag.
      std::size_t j = i;
      while (true) {
        j = s.find("</", j);
        if (j == std::string_view::npos) return s.size();
        if (ascii_iequals(s.substr(j + 2, name.size()), name)) break;
        j += 2;
      }
      i = j;
      continue;
    }
    if (self_closing || is_void_element(name) || is_self_closing_by_sibling(name)) continue;
    ++open[name];
    if (++depth > max_depth) return tag_start;
  }
  return s.size();
}

namespace {

// ---------------------------------------------------------------------------------------------------
// The layout: lines, each with its quote level.

class TextWriter {
 public:
  // Text of a text node. Outside <pre>, runs of white space collapse to one space, dropped at line
  // starts and ends; U+00A0 is a space that does not collapse.
  void text(std::string_view s, bool preformatted) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (preformatted) {
        if (c == '\n') {
          line_break();
        } else if (c != '\r') {
          open_line();
          cur_.push_back(c);
          has_content_ = true;
        }
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        if (has_content_) pending_space_ = true;
        continue;
      }
      open_line();
      if (pending_space_) cur_.push_back(' ');
      pending_space_ = false;
      if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {  // U+00A0
        cur_.push_back(' ');
        ++i;
      } else {
        cur_.push_back(c);
      }
      has_content_ = true;
    }
  }

  // <br>: ends the line; an empty line when nothing was on it.
  void line_break() {
    open_line();
    end_line();
  }

  // A block starts or ends. `paragraph`: a blank line sets it apart from what comes before or after.
  void block(bool paragraph) {
    end_line();
    if (paragraph) want_blank_ = true;
  }

  // Between table cells of one row.
  void cell_separator() {
    if (has_content_) {
      cur_.push_back('\t');
      pending_space_ = false;
    }
  }

  void set_quote(int level) { quote_ = level; }
  bool full() const { return full_; }
  void set_marker(std::string marker) { marker_ = std::move(marker); }
  std::string& indent() { return indent_; }

  std::string finish() {
    end_line();
    std::string out;
    bool last_blank = true;  // drops blank lines at the start
    std::size_t blank_run_start = std::string::npos;
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      const Line& l = lines_[i];
      const bool blank = trim(l.text).empty();
      if (blank) {
        if (!last_blank) blank_run_start = i;
        last_blank = true;
        continue;
      }
      if (blank_run_start != std::string::npos) {
        // One blank line for the run, quoted as deep as both its neighbours are.
        const int q = std::min(lines_[blank_run_start - 1].quote, l.quote);
        append_prefix(out, q, true);
        out.push_back('\n');
        blank_run_start = std::string::npos;
      }
      append_prefix(out, l.quote, false);
      out.append(l.text);
      out.push_back('\n');
      last_blank = false;
    }
    return out;
  }

 private:
  struct Line {
    int quote = 0;
    std::string text;
  };

  static void append_prefix(std::string& out, int quote, bool blank) {
    quote = std::min(quote, kMaxQuoteLevels);
    for (int q = 0; q < quote; ++q) out.append(blank && q + 1 == quote ? ">" : "> ");
  }

  // Counts a line into the text's size; false once the text is full (the line is dropped).
  bool room_for(const std::string& line, int quote) {
    if (full_) return false;
    size_ += line.size() + 2 * static_cast<std::size_t>(std::min(quote, kMaxQuoteLevels)) + 1;
    if (size_ > kMaxTextBytes) full_ = true;
    return !full_;
  }

  void open_line() {
    if (line_open_) return;
    if (want_blank_ && !lines_.empty()) {
      const int q = std::min(lines_.back().quote, quote_);
      if (room_for({}, q)) lines_.push_back({q, {}});
    }
    want_blank_ = false;
    line_open_ = true;
    line_quote_ = quote_;
    if (!marker_.empty()) {
      cur_ = std::move(marker_);
      marker_.clear();
    } else {
      cur_ = indent_;
    }
  }

  void end_line() {
    if (!line_open_) return;
    while (!cur_.empty() && cur_.back() == ' ') cur_.pop_back();
    if (room_for(cur_, line_quote_)) lines_.push_back({line_quote_, std::move(cur_)});
    cur_.clear();
    line_open_ = false;
    has_content_ = false;
    pending_space_ = false;
  }

  std::vector<Line> lines_;
  std::string cur_;
  bool line_open_ = false;
  bool has_content_ = false;
  bool pending_space_ = false;
  bool want_blank_ = false;
  int line_quote_ = 0;
  int quote_ = 0;
  std::string marker_;
  std::string indent_;
  std::size_t size_ = 0;  // bytes of the text so far
  bool full_ = false;     // the text reached kMaxTextBytes
};

// ---------------------------------------------------------------------------------------------------
// What each element does.

const char* attribute(const GumboElement& e, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&e.attributes, name);
  return a ? a->value : nullptr;
}

// Declarations of a style attribute, names lower-cased: "display: none; margin:0" -> {display, none}, ...
template <typename F>
void for_each_declaration(std::string_view style, F&& f) {
  while (!style.empty()) {
    const std::size_t semi = style.find(';');
    const std::string_view decl = style.substr(0, semi);
    style = semi == std::string_view::npos ? std::string_view{} : style.substr(semi + 1);
    const std::size_t colon = decl.find(':');
    if (colon == std::string_view::npos) continue;
    f(ascii_lower(trim(decl.substr(0, colon))), ascii_lower(trim(decl.substr(colon + 1))));
  }
}

bool is_zero_length(std::string_view v) {
  const std::string s(v);
  char* end = nullptr;
  const double d = std::strtod(s.c_str(), &end);
  return end != s.c_str() && d < 0.01 && d > -0.01;
}

// Hidden from the reader: the hidden attribute, display:none, visibility:hidden, Outlook's mso-hide:all.
bool is_hidden(const GumboElement& e) {
  if (attribute(e, "hidden")) return true;
  const char* style = attribute(e, "style");
  if (!style) return false;
  bool hidden = false;
  for_each_declaration(style, [&](const std::string& name, const std::string& value) {
    if ((name == "display" && value.rfind("none", 0) == 0) || (name == "visibility" && value == "hidden") ||
        (name == "mso-hide" && value == "all"))
      hidden = true;
  });
  return hidden;
}

// A <p> without vertical margins: Word and Outlook write every line as <p class=MsoNormal> styled
// margin:0, and others set margin:0 inline. Such paragraphs are lines, not blocks set apart.
bool has_no_vertical_margin(const GumboElement& e) {
  if (const char* cls = attribute(e, "class")) {
    std::string_view rest = cls;
    while (!rest.empty()) {
      const std::size_t sp = rest.find_first_of(" \t\n");
      const std::string_view token = rest.substr(0, sp);
      if (token.size() >= 3 && ascii_iequals(token.substr(0, 3), "mso")) return true;
      rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
    }
  }
  const char* style = attribute(e, "style");
  if (!style) return false;
  bool top_zero = false, bottom_zero = false;
  for_each_declaration(style, [&](const std::string& name, const std::string& value) {
    if (name == "margin") {
      std::vector<std::string_view> parts;
      std::string_view rest = value;
      while (!(rest = trim(rest)).empty()) {
        const std::size_t sp = rest.find_first_of(" \t");
        parts.push_back(rest.substr(0, sp));
        rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp);
      }
      if (parts.empty()) return;
      top_zero = is_zero_length(parts[0]);
      bottom_zero = is_zero_length(parts.size() >= 3 ? parts[2] : parts[0]);
    } else if (name == "margin-top") {
      top_zero = is_zero_length(value);
    } else if (name == "margin-bottom") {
      bottom_zero = is_zero_length(value);
    }
  });
  return top_zero && bottom_zero;
}

enum class Kind { inline_, skip, block, paragraph, line_break, pre, quote, list, list_item, row, cell, table };

Kind kind_of(const GumboElement& e) {
  if (e.tag_namespace != GUMBO_NAMESPACE_HTML) return Kind::skip;  // svg, math
  switch (e.tag) {
    case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_TITLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED: case GUMBO_TAG_CANVAS: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_IMG: case GUMBO_TAG_MAP:
    case GUMBO_TAG_NOFRAMES: case GUMBO_TAG_NOEMBED: case GUMBO_TAG_INPUT: case GUMBO_TAG_BUTTON:
      return Kind::skip;
    case GUMBO_TAG_BR:
      return Kind::line_break;
    case GUMBO_TAG_P:
      return has_no_vertical_margin(e) ? Kind::block : Kind::paragraph;
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: case GUMBO_TAG_DL: case GUMBO_TAG_FIGURE:
      return Kind::paragraph;
    case GUMBO_TAG_PRE: case GUMBO_TAG_LISTING: case GUMBO_TAG_XMP: case GUMBO_TAG_PLAINTEXT:
      return Kind::pre;
    case GUMBO_TAG_BLOCKQUOTE:
      return Kind::quote;
    case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_MENU: case GUMBO_TAG_DIR:
      return Kind::list;
    case GUMBO_TAG_LI:
      return Kind::list_item;
    case GUMBO_TAG_TR:
      return Kind::row;
    case GUMBO_TAG_TD: case GUMBO_TAG_TH:
      return Kind::cell;
    case GUMBO_TAG_TABLE:
      return Kind::table;
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE: case GUMBO_TAG_BODY:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIV: case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM: case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR: case GUMBO_TAG_HTML: case GUMBO_TAG_LEGEND: case GUMBO_TAG_MAIN: case GUMBO_TAG_NAV:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_CAPTION: case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD: case GUMBO_TAG_TFOOT: case GUMBO_TAG_OPTION: case GUMBO_TAG_OPTGROUP:
      return Kind::block;
    default:
      return Kind::inline_;
  }
}

constexpr long kMinListStart = -2147483647L - 1;
constexpr long kMaxListStart = 2147483647L;

struct ListState {
  bool ordered = false;
  long next = 1;
};

// One element being walked, and what leaving it must undo.
struct Frame {
  const GumboNode* node;
  unsigned next_child = 0;
  Kind kind = Kind::inline_;
  std::string saved_indent;
};

class Walker {
 public:
  std::string run(const GumboNode* root) {
    std::vector<Frame> stack;
    enter(root, stack);
    while (!stack.empty() && !out_.full()) {
      Frame& f = stack.back();
      const GumboVector& children =
          f.node->type == GUMBO_NODE_DOCUMENT ? f.node->v.document.children : f.node->v.element.children;
      if (f.next_child < children.length) {
        const auto* child = static_cast<const GumboNode*>(children.data[f.next_child++]);
        visit(child, stack);
      } else {
        leave(f);
        stack.pop_back();
      }
    }
    return out_.finish();
  }

  bool cut_for_text() const { return out_.full(); }

 private:
  void visit(const GumboNode* n, std::vector<Frame>& stack) {
    switch (n->type) {
      case GUMBO_NODE_TEXT: case GUMBO_NODE_WHITESPACE: case GUMBO_NODE_CDATA:
        out_.text(n->v.text.text, pre_ > 0);
        break;
      case GUMBO_NODE_ELEMENT: case GUMBO_NODE_TEMPLATE:
        enter(n, stack);
        break;
      default:  // comments, the document node (never a child)
        break;
    }
  }

  void enter(const GumboNode* n, std::vector<Frame>& stack) {
    if (n->type == GUMBO_NODE_DOCUMENT) {
      stack.push_back(Frame{n, 0, Kind::inline_, {}});
      return;
    }
    const GumboElement& e = n->v.element;
    const Kind k = kind_of(e);
    if (k == Kind::skip || is_hidden(e)) return;
    if (k == Kind::line_break) {
      out_.line_break();
      return;
    }
    Frame f{n, 0, k, {}};
    switch (k) {
      case Kind::block: case Kind::table:
        out_.block(false);
        break;
      case Kind::paragraph:
        out_.block(true);
        break;
      case Kind::pre:
        out_.block(true);
        ++pre_;
        break;
      case Kind::quote:
        out_.block(false);
        out_.set_quote(++quote_);
        break;
      case Kind::list: {
        out_.block(lists_.empty());
        lists_.push_back({e.tag == GUMBO_TAG_OL, 1});
        // A start past a 32-bit counter is read as its limit, so that counting on can never overflow.
        if (const char* start = attribute(e, "start"))
          lists_.back().next = std::clamp(std::strtol(start, nullptr, 10), kMinListStart, kMaxListStart);
        break;
      }
      case Kind::list_item: {
        out_.block(false);
        std::string marker = "- ";
        if (!lists_.empty() && lists_.back().ordered) marker = std::to_string(lists_.back().next++) + ". ";
        f.saved_indent = out_.indent();
        out_.set_marker(out_.indent() + marker);
        if (out_.indent().size() + marker.size() <= kMaxIndentBytes) out_.indent().append(marker.size(), ' ');
        break;
      }
      case Kind::row:
        out_.block(false);
        cells_.push_back(0);
        break;
      case Kind::cell:
        if (!cells_.empty() && cells_.back()++ > 0) out_.cell_separator();
        break;
      default:
        break;
    }
    stack.push_back(std::move(f));
  }

  void leave(Frame& f) {
    switch (f.kind) {
      case Kind::block: case Kind::table:
        out_.block(false);
        break;
      case Kind::paragraph:
        out_.block(true);
        break;
      case Kind::pre:
        --pre_;
        out_.block(true);
        break;
      case Kind::quote:
        out_.block(false);
        out_.set_quote(--quote_);
        break;
      case Kind::list:
        lists_.pop_back();
        out_.block(lists_.empty());
        break;
      case Kind::list_item:
        out_.block(false);
        out_.indent() = std::move(f.saved_indent);
        out_.set_marker({});
        break;
      case Kind::row:
        cells_.pop_back();
        out_.block(false);
        break;
      default:
        break;
    }
  }

  TextWriter out_;
  int pre_ = 0;
  int quote_ = 0;
  std::vector<ListState> lists_;
  std::vector<int> cells_;  // cells seen so far in each open row
};

}  // namespace

HtmlText convert_html(std::string_view html) {
  HtmlText result;
  std::string_view input = html;
  if (input.size() > kMaxHtmlBytes) {
    input = input.substr(0, kMaxHtmlBytes);
    result.cut_for_size = true;
  }
  const std::size_t bounded = depth_bounded_prefix(input, kMaxHtmlDepth);
  if (bounded < input.size()) {
    input = input.substr(0, bounded);
    result.cut_for_depth = true;
    result.cut_for_size = false;
  }
  result.converted_bytes = input.size();

  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // parse errors are not reported; don't keep them
  GumboOutput* output = gumbo_parse_with_options(&options, input.data(), input.size());
  if (!output) return result;
  Walker walker;
  result.text = walker.run(output->document);
  // gumbo 0.10 writes a numeric character reference past U+10FFFF (or a surrogate) as the bytes of that
  // number, which are no UTF-8: such sequences become U+FFFD, as the HTML standard reads them.
  if (!is_valid_utf8(result.text)) result.text = repair_utf8(result.text);
  result.cut_for_text = walker.cut_for_text();
  gumbo_destroy_output(&options, output);
  return result;
}

}  // namespace detail

std::string html_to_text(std::string_view html) {
  try {
    return detail::convert_html(html).text;
  } catch (...) {  // only std::bad_alloc can come here
    return {};
  }
}

}  // namespace tandem::mail
