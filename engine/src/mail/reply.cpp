// Reply extraction: the new text of the latest reply in a plain-text body (docs/mail.md, "Reply
// extraction"). Two passes over the lines, both linear:
//  1. top-down, quoted history: "> " blocks (with the header that introduces them), then the first
//     header, marker or Outlook block followed by unquoted text, which ends the reply; a mobile footer
//     also ends it.
//  2. over the lines still in the reply, the signature: the first line from which a signature rule holds
//     for everything after it (suffix counts make each test O(1)).
#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mail/reply_rules.hpp"
#include "tandem/reply.hpp"

namespace tandem::mail {

namespace {

using detail::FieldRole;
using detail::Glob;
using detail::normalize;

constexpr std::size_t kMaxHeaderBytes = 600;   // a header (or marker, footer, field) line is never longer
constexpr std::size_t kHeaderWindowLines = 5;  // "On …" may be wrapped over up to five lines
constexpr std::size_t kMaxMidLineStarts = 3;   // "reply On … wrote:" start positions tried per line

bool is_hspace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view rstrip(std::string_view s) {
  while (!s.empty() && is_hspace(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view lstrip(std::string_view s) {
  while (!s.empty() && is_hspace(s.front())) s.remove_prefix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_address_char(char c) {
  return is_ascii_alpha(c) || is_digit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' ||
         c == '\'' || static_cast<unsigned char>(c) >= 0x80;
}

// "----", "____", "====", "—", "* * *": a line of decoration only.
bool is_separator(std::string_view t) {
  t = lstrip(rstrip(t));
  if (t.empty()) return false;
  std::size_t marks = 0;
  for (std::size_t i = 0; i < t.size();) {
    const char c = t[i];
    if (c == '-' || c == '_' || c == '=' || c == '*' || c == '~' || c == '#' || c == '+') {
      ++marks;
      ++i;
    } else if (c == ' ' || c == '\t') {
      ++i;
    } else if (t.substr(i, 3) == "\xE2\x80\x94" || t.substr(i, 3) == "\xE2\x80\x93" || t.substr(i, 3) == "\xE2\x94\x80") {
      marks += 2;  // one em dash, en dash or box line counts as a rule on its own
      i += 3;
    } else {
      return false;
    }
  }
  return marks >= 2;
}

// "--", "---", or a line of em or en dashes only ("—", "—————"): a signature rule when a short block
// follows.
bool is_dash_rule(std::string_view t) {
  if (t == "--" || t == "---") return true;
  if (t.empty()) return false;
  for (std::size_t i = 0; i < t.size(); i += 3)
    if (t.substr(i, 3) != "\xE2\x80\x94" && t.substr(i, 3) != "\xE2\x80\x93") return false;
  return true;
}

// Strips decoration around a header or marker: "---- John wrote ----", "*From:*".
std::string_view strip_decoration(std::string_view s) {
  auto deco = [](char c) { return c == '-' || c == '_' || c == '=' || c == '*' || c == '~' || c == ' '; };
  while (!s.empty() && deco(s.front())) s.remove_prefix(1);
  while (!s.empty() && deco(s.back())) s.remove_suffix(1);
  return s;
}

bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return is_digit(c); });
}

// An e-mail address: "x@y.z".
bool has_address(std::string_view s) {
  for (std::size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    if (at == 0 || !is_address_char(s[at - 1]) || s[at - 1] == '.') continue;
    std::size_t j = at + 1;
    bool dot = false;
    while (j < s.size() && is_address_char(s[j])) {
      if (s[j] == '.' && j + 1 < s.size() && is_address_char(s[j + 1])) dot = true;
      ++j;
    }
    if (dot && j > at + 3) return true;
  }
  return false;
}

// Ends with an address closed by ">" or ")" (and a ":" unless `colon_optional`): the end of
// "2017-11-24 16:32 GMT+01:00 Name <name@example.com>:".
bool ends_with_enclosed_address(std::string_view s, bool colon_optional) {
  s = rstrip(s);
  if (!s.empty() && s.back() == ':') s.remove_suffix(1);
  else if (!colon_optional) return false;
  s = rstrip(s);
  if (s.empty() || (s.back() != '>' && s.back() != ')' && s.back() != ']')) return false;
  while (!s.empty() && (s.back() == '>' || s.back() == ')' || s.back() == ']')) s.remove_suffix(1);
  s = rstrip(s);
  std::size_t j = s.size();
  while (j > 0 && is_address_char(s[j - 1])) --j;
  std::size_t b = j;
  if (j > 0 && s[j - 1] == '@') {
    --j;
    while (j > 0 && is_address_char(s[j - 1])) --j;
    b = j;
  }
  return has_address(s.substr(b));
}

// A year (19xx, 20xx) or a time of day (9:30, 17.50) somewhere in `s`.
bool has_date_or_time(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1]))) continue;
    std::size_t j = i;
    while (j < s.size() && is_digit(s[j])) ++j;
    const std::size_t len = j - i;
    if (len == 4 && (s.substr(i, 2) == "19" || s.substr(i, 2) == "20")) return true;
    if ((len == 1 || len == 2) && j + 2 < s.size() && (s[j] == ':' || s[j] == '.') && is_digit(s[j + 1]) &&
        is_digit(s[j + 2]) && (j + 3 >= s.size() || !is_digit(s[j + 3])))
      return true;
  }
  return false;
}

std::size_t count_digits(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return is_digit(c); }));
}

std::size_t count_words(std::string_view s, std::size_t stop_after) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      if (++words > stop_after) return words;
    }
  }
  return words;
}

// A line of a signature's contact part: an address, a web address or a phone number.
bool is_contact(std::string_view t) {
  if (count_words(t, 12) > 12) return false;
  if (has_address(t)) return true;
  if (t.find("http://") != std::string_view::npos || t.find("https://") != std::string_view::npos ||
      t.find("www.") != std::string_view::npos)
    return true;
  return count_digits(t) >= 7;
}

// A name or title line: short, no question, every longer word capitalised ("John Doe", "CEO at Acme",
// "Senior Developer"); "Let me know if Tuesday works." is not one.
bool is_nameish(std::string_view t) {
  t = lstrip(rstrip(t));
  if (t.empty() || t.size() > 60 || count_words(t, 6) > 6) return false;
  if (t.back() == '?' || t.back() == ':') return false;
  std::size_t i = 0;
  while (i < t.size()) {
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
    const std::size_t b = i;
    while (i < t.size() && t[i] != ' ' && t[i] != '\t') ++i;
    const std::string_view w = t.substr(b, i - b);
    if (w.empty()) continue;
    std::size_t letters = 0;
    for (char c : w)
      if (is_ascii_alpha(c)) ++letters;
    if (is_ascii_lower(w.front()) && letters >= 4) return false;
  }
  return true;
}

struct Line {
  std::string_view raw;   // without the line terminator
  std::string_view text;  // raw without trailing white space
  std::string norm;       // normalize(text); empty for blank or overlong lines
  bool blank = false;
  bool quoted = false;
  bool longish = false;   // longer than any header, marker or footer
};

enum class Label : unsigned char { reply, quoted, signature };

struct HeaderMatch {
  std::size_t last = 0;          // last line of the header
  std::size_t start_offset = 0;  // byte in the first line where the header starts (text before it stays)
  ReplyRemoval::Kind kind = ReplyRemoval::Kind::quote_header;
  bool anchored = false;         // matched a pattern that starts with a word ("On * wrote:")
  std::string rule;
  std::string language;
};

struct Found {
  ReplyRemoval::Kind kind;
  std::string rule;
  std::string language;
  std::size_t last;  // last line of the thing found
};

class Extractor {
 public:
  Extractor(std::string_view text, const ReplyRules::Impl& rules, const ReplyHints& hints)
      : rules_(rules) {
    split(text);
    label_.assign(lines_.size(), Label::reply);
    keep_end_.assign(lines_.size(), std::string_view::npos);
    next_nonblank_.assign(lines_.size() + 1, lines_.size());
    for (std::size_t i = lines_.size(); i-- > 0;)
      next_nonblank_[i] = lines_[i].blank ? next_nonblank_[i + 1] : i;
    sender_name_ = normalize(hints.sender_name);
    sender_address_ = detail::fold(hints.sender_address);
  }

  ReplyParts run() {
    find_history();
    find_signature();
    return assemble();
  }

 private:
  const ReplyRules::Impl& rules_;
  std::vector<Line> lines_;
  std::vector<Label> label_;
  std::vector<std::size_t> keep_end_;
  std::vector<std::size_t> next_nonblank_;
  std::vector<ReplyRemoval> removed_;
  std::string sender_name_;
  std::string sender_address_;

  void split(std::string_view text) {
    std::size_t b = 0;
    while (b < text.size()) {
      std::size_t e = b;
      while (e < text.size() && text[e] != '\n' && text[e] != '\r') ++e;
      add_line(text.substr(b, e - b));
      if (e < text.size() && text[e] == '\r' && e + 1 < text.size() && text[e + 1] == '\n') ++e;
      b = e + 1;
    }
  }

  void add_line(std::string_view raw) {
    Line l;
    l.raw = raw;
    l.text = rstrip(raw);
    l.blank = lstrip(l.text).empty();
    l.longish = l.text.size() > kMaxHeaderBytes;
    if (!l.blank && !l.longish) l.norm = normalize(l.text);
    const std::string_view t = lstrip(l.text);
    if (!t.empty() && t.front() == '>') {
      // ">>> click here <<<" is decoration, not a quote.
      const bool decoration = t.size() >= 4 && t.substr(0, 2) == ">>" && t.substr(t.size() - 2) == "<<";
      l.quoted = !decoration;
    }
    lines_.push_back(std::move(l));
  }

  std::size_t next_nonblank(std::size_t i) const { return i < lines_.size() ? next_nonblank_[i] : lines_.size(); }

  bool next_is_quoted(std::size_t last) const {
    const std::size_t k = next_nonblank(last + 1);
    return k < lines_.size() && lines_[k].quoted;
  }

  void remove(std::size_t first, std::size_t last, Label to, ReplyRemoval::Kind kind, std::string rule,
              std::string language) {
    for (std::size_t i = first; i <= last && i < lines_.size(); ++i)
      if (label_[i] == Label::reply) label_[i] = to;
    ReplyRemoval r;
    r.kind = kind;
    r.rule = std::move(rule);
    r.language = std::move(language);
    r.first_line = first + 1;
    r.last_line = last + 1;
    r.to_signature = to == Label::signature;
    removed_.push_back(std::move(r));
  }

  // ---- quoted history -------------------------------------------------------------------------------

  // The last line of the "> " block starting at `k`, with the blank lines after it. A line or two
  // without ">" squeezed between quoted lines is a quoted line the sender's client wrapped.
  std::size_t quote_block_end(std::size_t k) const {
    const std::size_t n = lines_.size();
    std::size_t j = k + 1;
    while (j < n) {
      if (lines_[j].quoted || lines_[j].blank) {
        if (lines_[j].blank) {
          const std::size_t nb = next_nonblank(j);
          if (nb < n && lines_[nb].quoted) {
            j = nb;
            continue;
          }
          break;
        }
        ++j;
        continue;
      }
      if (lines_[j - 1].quoted) {
        if (j + 1 < n && lines_[j + 1].quoted) {
          j += 2;
          continue;
        }
        if (j + 2 < n && !lines_[j + 1].blank && !lines_[j + 1].quoted && lines_[j + 2].quoted) {
          j += 3;
          continue;
        }
      }
      break;
    }
    // j is the first line not in the block; blank lines before it go with the block.
    std::size_t end = j;
    while (end < n && lines_[end].blank) ++end;
    return end - 1;
  }

  // "On … wrote:" and its kin starting at line i (possibly in the middle of it), wrapped over up to five
  // lines with at most one blank line among them.
  std::optional<HeaderMatch> match_header(std::size_t i) const {
    const Line& first = lines_[i];
    if (first.blank || first.longish) return std::nullopt;
    std::array<std::size_t, kMaxMidLineStarts + 1> starts{};
    std::size_t nstarts = 0;
    starts[nstarts++] = 0;
    // Start positions inside the line: after a space or a dash, where a pattern's first word begins.
    {
      const std::string folded = detail::fold(first.text);
      for (std::size_t p = 1; p < folded.size() && nstarts < starts.size(); ++p) {
        if (folded[p - 1] != ' ' && folded[p - 1] != '-') continue;
        if (folded[p] == ' ' || folded[p] == '-') continue;
        for (const Glob& g : rules_.quote_headers) {
          if (g.leading_star || g.pieces.empty()) continue;
          if (folded.compare(p, g.pieces[0].size(), g.pieces[0]) == 0) {
            starts[nstarts++] = p;
            break;
          }
        }
      }
    }
    // For each start: the first window read by an anchored pattern ("On * wrote:"), else the first read
    // any other way. An anchored reading in the middle of the line beats an unanchored one from its start
    // ("reply On … wrote:" is not "* wrote:").
    std::optional<HeaderMatch> fallback;
    for (std::size_t s = 0; s < nstarts; ++s) {
      const std::size_t offset = starts[s];
      std::string window(first.text.substr(offset));
      std::size_t blanks = 0;
      std::optional<HeaderMatch> unanchored;
      for (std::size_t j = i; j < lines_.size() && j < i + kHeaderWindowLines; ++j) {
        if (j > i) {
          if (lines_[j].blank) {
            if (++blanks > 1) break;
            continue;
          }
          if (lines_[j].longish) break;
          // A quoted line only closes an address left open ("<" … "> wrote:").
          if (lines_[j].quoted && std::count(window.begin(), window.end(), '<') <= std::count(window.begin(), window.end(), '>'))
            break;
          window.push_back(' ');
          window.append(lines_[j].text);
        }
        if (window.size() > kMaxHeaderBytes) break;
        if (!could_end_header(window, offset, j)) continue;
        auto m = test_header_window(window, offset, j);
        if (!m) continue;
        m->start_offset = offset;
        // The header starts at the latest line from which it still reads as one: "Test reply" above
        // "On … wrote:" is not part of it. A header that starts with its language's first word ("On …")
        // is not cut short by a shorter reading that lacks that word ("<a@b.c> wrote:").
        if (offset == 0 && later_start(i, j, m->anchored)) return std::nullopt;
        if (m->anchored) return m;
        if (!unanchored) unanchored = m;
      }
      if (unanchored && !fallback) fallback = unanchored;
    }
    return fallback;
  }

  // Cheap tests before a window is normalised and matched: its last line must end as some header can
  // (a pattern's last word, or ":" / ">" for a dated header), and it needs what every header rule needs
  // (a digit or an "@", or a quote right below).
  bool could_end_header(std::string_view window, std::size_t offset, std::size_t last) const {
    const bool digit = has_digit(window);
    const bool at = window.find('@') != std::string_view::npos;
    if (!digit && !at && (offset > 0 || !next_is_quoted(last))) return false;
    const std::string_view end = strip_decoration(lines_[last].norm);
    if (end.empty()) return false;
    if (end.back() == ':' || end.back() == '>') return true;
    for (const auto& tail : rules_.header_tails)
      if (end.size() >= tail.size() && end.compare(end.size() - tail.size(), tail.size(), tail) == 0) return true;
    return false;
  }

  // Whether line s continues a header begun above it: it opens with "<", "(" or "[", or the line before
  // ends with one of them ("John Coe" / "<john@example.com> kirjoitti:").
  bool continues_above(std::size_t s) const {
    const std::string_view t = lstrip(lines_[s].text);
    if (!t.empty() && (t.front() == '<' || t.front() == '(' || t.front() == '[')) return true;
    std::size_t p = s;
    while (p > 0 && lines_[p - 1].blank) --p;
    if (p == 0) return false;
    const std::string_view above = lines_[p - 1].text;
    return !above.empty() && (above.back() == '<' || above.back() == '(' || above.back() == '[');
  }

  // Whether lines s..j, for some i < s <= j, read as a header too (only anchored ones when `anchored`).
  bool later_start(std::size_t i, std::size_t j, bool anchored) const {
    for (std::size_t s = i + 1; s <= j; ++s) {
      if (lines_[s].blank || continues_above(s)) continue;
      std::string window(lines_[s].text);
      for (std::size_t k = s + 1; k <= j; ++k) {
        if (lines_[k].blank) continue;
        window.push_back(' ');
        window.append(lines_[k].text);
      }
      if (auto m = test_header_window(window, 0, j); m && (!anchored || m->anchored)) return true;
    }
    return false;
  }

  std::optional<HeaderMatch> test_header_window(const std::string& window, std::size_t offset,
                                                std::size_t last) const {
    const std::string norm = normalize(window);
    const std::string_view core = strip_decoration(norm);
    if (core.empty()) return std::nullopt;
    const bool address = has_address(core);
    const bool digit = has_digit(core);
    const bool quoted_next = next_is_quoted(last);
    for (const Glob& g : rules_.quote_headers) {
      if (offset > 0 && g.leading_star) continue;
      if (!g.matches(core)) continue;
      // An anchored pattern ("On * wrote:") also needs a date, an address or a quote below it; a bare
      // "* wrote:" needs an address or a quote; in the middle of a line, a date or an address.
      const bool ok = offset > 0 ? (digit || address)
                                 : (g.leading_star ? (address || quoted_next) : (digit || address || quoted_next));
      if (!ok) continue;
      HeaderMatch m;
      m.last = last;
      m.kind = ReplyRemoval::Kind::quote_header;
      m.anchored = !g.leading_star;
      m.rule = g.text;
      m.language = g.language;
      return m;
    }
    // "2017-11-24 16:32 GMT+01:00 Name <name@example.com>:" — a date and an address, in any language.
    if (offset == 0 && has_date_or_time(core) &&
        (ends_with_enclosed_address(core, false) || (quoted_next && ends_with_enclosed_address(core, true)))) {
      HeaderMatch m;
      m.last = last;
      m.kind = ReplyRemoval::Kind::dated_header;
      m.rule = "date and <address>:";
      return m;
    }
    return std::nullopt;
  }

  // "-----Original Message-----", "---------- Forwarded message ---------", "Begin forwarded message:".
  std::optional<Found> match_marker(std::size_t i) const {
    const Line& l = lines_[i];
    if (l.blank || l.longish) return std::nullopt;
    std::string_view core = strip_decoration(l.norm);
    auto without_colon = [](std::string_view s) {
      if (!s.empty() && s.back() == ':') s.remove_suffix(1);
      return s;
    };
    core = without_colon(core);
    for (const auto& p : rules_.original_message)
      if (core == without_colon(p.text)) return Found{ReplyRemoval::Kind::original_message, p.as_written, p.language, i};
    for (const auto& p : rules_.forwarded)
      if (core == without_colon(p.text)) return Found{ReplyRemoval::Kind::forwarded_message, p.as_written, p.language, i};
    return std::nullopt;
  }

  // The field of a "From: …" line, if it is one.
  const detail::HeaderField* field_of(std::size_t i) const {
    const Line& l = lines_[i];
    if (l.blank || l.quoted) return nullptr;
    std::string_view t = lstrip(l.text);
    while (!t.empty() && t.front() == '*') t.remove_prefix(1);
    const std::size_t colon = t.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > rules_.longest_field_key * 2 + 8) return nullptr;
    std::string_view key = rstrip(t.substr(0, colon));
    while (!key.empty() && key.back() == '*') key.remove_suffix(1);
    const std::string k = normalize(key);
    for (const auto& f : rules_.header_fields)
      if (f.key == k) return &f;
    return nullptr;
  }

  // An Outlook-style block starting at line i: at least two different fields within a few lines (a
  // value may wrap), one of them From, Sent or To, no blank line inside.
  std::optional<Found> match_field_block(std::size_t i) const {
    const detail::HeaderField* f0 = field_of(i);
    if (!f0) return std::nullopt;
    unsigned roles = 1u << static_cast<unsigned>(f0->role);
    std::size_t last = i;
    std::size_t loose = 0;
    for (std::size_t j = i + 1; j < lines_.size() && j < i + 8; ++j) {
      if (lines_[j].blank) break;
      if (const detail::HeaderField* f = field_of(j)) {
        roles |= 1u << static_cast<unsigned>(f->role);
        last = j;
      } else if (++loose > 2) {
        break;
      }
    }
    const auto has = [&](FieldRole r) { return (roles & (1u << static_cast<unsigned>(r))) != 0; };
    const int distinct = std::popcount(roles);
    if (distinct < 2 || !(has(FieldRole::from) || has(FieldRole::sent) || has(FieldRole::to))) return std::nullopt;
    return Found{ReplyRemoval::Kind::header_block, "header fields (" + f0->key + ": …)", f0->language, last};
  }

  // "Sent from my iPhone" on its own line, with nothing of the reply right after it.
  const Glob* match_footer(std::size_t i) const {
    const Line& l = lines_[i];
    if (l.blank || l.quoted || l.longish || field_of(i)) return nullptr;
    const std::string_view t = strip_decoration(l.norm);
    if (count_words(t, 16) > 16 || t.find(", ") != std::string_view::npos || t.find("; ") != std::string_view::npos)
      return nullptr;
    const Glob* hit = nullptr;
    for (const Glob& g : rules_.mobile_footers)
      if (g.matches(t)) {
        hit = &g;
        break;
      }
    return hit;
  }

  bool ends_reply_after_footer(std::size_t i) const {
    const std::size_t k = i + 1;
    if (k >= lines_.size() || lines_[k].blank || lines_[k].quoted || is_separator(lines_[k].text)) return true;
    return match_footer(k) || match_header(k) || match_marker(k) || match_field_block(k);
  }

  // Separators and blank lines right above a history start belong to it.
  std::size_t extend_up(std::size_t start) const {
    while (start > 0 && label_[start - 1] == Label::reply &&
           (lines_[start - 1].blank || is_separator(lines_[start - 1].text)))
      --start;
    return start;
  }

  void find_history() {
    const std::size_t n = lines_.size();
    std::optional<std::size_t> footer_end;
    for (std::size_t i = 0; i < n; ++i) {
      const Line& l = lines_[i];
      if (l.blank) continue;
      if (l.quoted) {
        const std::size_t end = quote_block_end(i);
        remove(i, end, Label::quoted, ReplyRemoval::Kind::quote_block, "lines starting with \">\"", "");
        i = end;
        continue;
      }
      if (auto h = match_header(i)) {
        std::size_t first = i;
        if (h->start_offset > 0) {
          keep_end_[i] = h->start_offset;
          first = i + 1;  // the line's own text before the header stays in the reply
        }
        if (next_is_quoted(h->last)) {
          const std::size_t end = quote_block_end(next_nonblank(h->last + 1));
          remove_header(i, first, end, *h);
          i = end;
          continue;
        }
        remove_header(i, h->start_offset > 0 ? first : extend_up(i), n - 1, *h);
        break;
      }
      if (auto m = match_marker(i)) {
        remove(extend_up(i), n - 1, Label::quoted, m->kind, m->rule, m->language);
        break;
      }
      if (auto b = match_field_block(i)) {
        remove(extend_up(i), n - 1, Label::quoted, b->kind, b->rule, b->language);
        break;
      }
      if (const Glob* g = match_footer(i); g && ends_reply_after_footer(i)) {
        std::size_t last = i;
        while (last + 1 < n && match_footer(last + 1)) ++last;
        remove(i, last, Label::signature, ReplyRemoval::Kind::mobile_footer, g->text, g->language);
        footer_end = last;
        i = last;
        continue;
      }
    }
    // What a phone appends after its footer (the message replied to, unquoted) is history.
    if (footer_end) {
      std::size_t first = n;
      std::size_t last = 0;
      for (std::size_t i = *footer_end + 1; i < n; ++i) {
        if (label_[i] != Label::reply || lines_[i].blank) continue;
        first = std::min(first, i);
        last = i;
      }
      if (first < n) {
        for (std::size_t i = first; i <= last; ++i)
          if (label_[i] == Label::reply) label_[i] = Label::quoted;
        ReplyRemoval r;
        r.kind = ReplyRemoval::Kind::after_footer;
        r.rule = "text after a mobile footer";
        r.first_line = first + 1;
        r.last_line = last + 1;
        removed_.push_back(std::move(r));
      }
    }
  }

  void remove_header(std::size_t header_line, std::size_t first, std::size_t last, const HeaderMatch& h) {
    (void)header_line;
    remove(first, last, Label::quoted, h.kind, h.rule, h.language);
    if (h.start_offset > 0) {
      removed_.back().first_line = header_line + 1;
    }
  }

  // ---- signature ------------------------------------------------------------------------------------

  std::string_view kept_text(std::size_t i) const {
    const Line& l = lines_[i];
    if (keep_end_[i] == std::string_view::npos) return l.text;
    std::string_view t = l.raw.substr(0, keep_end_[i]);
    while (!t.empty() && (is_hspace(t.back()) || t.back() == '-')) t.remove_suffix(1);
    return t;
  }

  bool is_sign_off(std::string_view norm) const {
    // "Best regards," / "Thanks!" / "Cheers 🎉": the phrase, then only punctuation or symbols.
    while (!norm.empty()) {
      const auto c = static_cast<unsigned char>(norm.back());
      if (c == ',' || c == '.' || c == '!' || c == ' ' || c == '-' || c == ':') {
        norm.remove_suffix(1);
        continue;
      }
      if (c >= 0x80) {  // a trailing emoji or other symbol outside the Latin/Cyrillic letters
        std::size_t b = norm.size() - 1;
        while (b > 0 && (static_cast<unsigned char>(norm[b]) & 0xC0) == 0x80) --b;
        if (static_cast<unsigned char>(norm[b]) >= 0xE2) {
          norm.remove_suffix(norm.size() - b);
          continue;
        }
      }
      break;
    }
    for (const auto& p : rules_.sign_offs)
      if (norm == p.text) return true;
    return false;
  }

  bool is_dash_name(std::string_view raw_text) const {
    const std::string_view t = rstrip(raw_text);
    if (t.size() < 2 || t.size() > 40 || t[0] != '-') return false;
    std::string_view rest = t.substr(1);
    if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.empty() || !(is_ascii_alpha(rest.front()) || static_cast<unsigned char>(rest.front()) >= 0x80)) return false;
    if (count_words(rest, 3) > 3) return false;
    for (char c : rest)
      if (!(is_ascii_alpha(c) || c == ' ' || c == '.' || c == '\'' || c == '-' ||
            static_cast<unsigned char>(c) >= 0x80))
        return false;
    return true;
  }

  void find_signature() {
    std::vector<std::size_t> v;  // the lines still in the reply
    for (std::size_t i = 0; i < lines_.size(); ++i)
      if (label_[i] == Label::reply) v.push_back(i);
    const std::size_t m = v.size();
    if (m == 0) return;
    std::vector<std::string_view> text(m);
    std::vector<bool> blank(m);
    for (std::size_t k = 0; k < m; ++k) {
      text[k] = kept_text(v[k]);
      blank[k] = lstrip(text[k]).empty();
    }
    std::size_t f0 = 0;
    while (f0 < m && blank[f0]) ++f0;
    if (f0 >= m) return;

    // Suffix facts: from k+1 to the end.
    std::vector<std::size_t> nonblank_after(m + 1, 0), contacts_after(m + 1, 0);
    std::vector<bool> nameish_after(m + 1, true), short_after(m + 1, true);
    std::vector<bool> nameish(m), contact(m);
    for (std::size_t k = m; k-- > 0;) {
      nonblank_after[k] = nonblank_after[k + 1];
      contacts_after[k] = contacts_after[k + 1];
      nameish_after[k] = nameish_after[k + 1];
      short_after[k] = short_after[k + 1];
      if (k + 1 < m && !blank[k + 1]) {
        const std::string_view t = lstrip(text[k + 1]);
        ++nonblank_after[k];
        if (contact[k + 1]) ++contacts_after[k];
        if (!nameish[k + 1] && !contact[k + 1]) nameish_after[k] = false;
        if (t.size() > 80 || count_words(t, 8) > 8 || t.back() == '?') short_after[k] = false;
      }
      if (!blank[k]) {
        contact[k] = is_contact(text[k]);
        nameish[k] = is_nameish(text[k]);
      }
    }
    // The last paragraph.
    std::size_t last_nb = m;
    for (std::size_t k = m; k-- > 0;)
      if (!blank[k]) {
        last_nb = k;
        break;
      }
    std::size_t para = last_nb;
    while (para > 0 && !blank[para - 1]) --para;

    auto prev_nonblank = [&](std::size_t k) -> std::optional<std::size_t> {
      while (k-- > 0)
        if (!blank[k]) return k;
      return std::nullopt;
    };
    auto next_nonblank_v = [&](std::size_t k) -> std::optional<std::size_t> {
      for (++k; k < m; ++k)
        if (!blank[k]) return k;
      return std::nullopt;
    };

    for (std::size_t k = f0 + 1; k < m; ++k) {
      if (blank[k]) continue;
      const Line& l = lines_[v[k]];
      const std::string_view t = lstrip(text[k]);
      const std::string norm = normalize(t);
      std::optional<std::pair<ReplyRemoval::Kind, std::pair<std::string, std::string>>> hit;
      using K = ReplyRemoval::Kind;
      // "-- " (RFC 3676): always.
      if (t == "--" && rstrip(l.raw).size() == 2 && l.raw.size() > 2 && l.raw[2] == ' ') {
        hit = {K::signature, {"\"-- \" delimiter", ""}};
      } else if (is_dash_rule(t) && nonblank_after[k] >= 1 && nonblank_after[k] <= 12) {
        hit = {K::signature, {"\"" + std::string(t) + "\" line and a short block", ""}};
      } else if (is_dash_name(l.raw) && nonblank_after[k] <= 12) {
        const auto p = prev_nonblank(k);
        const auto q = next_nonblank_v(k);
        const bool list = (p && lstrip(text[*p]).substr(0, 1) == "-") || (q && lstrip(text[*q]).substr(0, 1) == "-");
        if (!list) hit = {K::dash_name, {"\"-Name\" line", ""}};
      }
      // A sign-off and one name line is the sender's closing, as "Thanks, Sam" on one line is; with more
      // lines under it (a title, a company, contact lines) it opens a signature.
      if (!hit && (nonblank_after[k] >= 2 || contacts_after[k] >= 1) && nonblank_after[k] <= 6 && nameish_after[k] &&
          is_sign_off(norm)) {
        hit = {K::sign_off, {std::string(t), sign_off_language(norm)}};
      }
      if (!hit && (blank[k - 1] || is_separator(text[k - 1]))) {
        for (const Glob& g : rules_.disclaimers)
          if (g.matches(norm)) {
            hit = {K::disclaimer, {g.text, g.language}};
            break;
          }
      }
      if (!hit && is_separator(t)) {
        if (const auto q = next_nonblank_v(k); q && *q == k + 1) {
          const std::string qn = normalize(lstrip(text[*q]));
          for (const Glob& g : rules_.list_footers)
            if (g.matches(qn)) {
              hit = {K::list_footer, {g.text, g.language}};
              break;
            }
        }
        if (!hit && nonblank_after[k] >= 1 && nonblank_after[k] <= 15 && short_after[k] && contacts_after[k] >= 2)
          hit = {K::name_block, {"separator and contact lines", ""}};
      }
      if (!hit && k == para && k > f0 && blank[k - 1]) {
        const std::size_t size = nonblank_after[k] + 1;
        const bool all = nameish_after[k] && (nameish[k] || contact[k]);
        if (size >= 2 && size <= 6 && all && nameish[k] && !contact[k] && (contacts_after[k] >= 1))
          hit = {K::name_block, {"name and contact lines", ""}};
      }
      if (!hit && blank[k - 1] && nonblank_after[k] <= 5 && short_after[k] && starts_with_sender(norm))
        hit = {K::name_block, {"the sender's name", ""}};
      if (hit) {
        std::size_t first = k;
        // A separator right above a disclaimer belongs to it.
        if (hit->first == K::disclaimer && k > 0 && is_separator(text[k - 1])) first = k - 1;
        for (std::size_t j = first; j < m; ++j) label_[v[j]] = Label::signature;
        ReplyRemoval r;
        r.kind = hit->first;
        r.rule = hit->second.first;
        r.language = hit->second.second;
        r.first_line = v[first] + 1;
        r.last_line = v[last_nb] + 1;
        r.to_signature = true;
        removed_.push_back(std::move(r));
        return;
      }
    }
  }

  std::string sign_off_language(std::string_view norm) const {
    std::string_view s = norm;
    while (!s.empty() && (s.back() == ',' || s.back() == '.' || s.back() == '!' || s.back() == ' ')) s.remove_suffix(1);
    for (const auto& p : rules_.sign_offs)
      if (s == p.text) return p.language;
    return {};
  }

  bool starts_with_sender(std::string_view norm) const {
    if (!sender_name_.empty() && norm.size() >= sender_name_.size() &&
        norm.compare(0, sender_name_.size(), sender_name_) == 0 &&
        (norm.size() == sender_name_.size() || !is_ascii_alpha(norm[sender_name_.size()])))
      return true;
    return !sender_address_.empty() && norm.find(sender_address_) != std::string_view::npos;
  }

  // ---- output ---------------------------------------------------------------------------------------

  static void append_line(std::string& out, std::size_t& pending_blank, std::string_view line) {
    if (lstrip(line).empty()) {
      if (!out.empty()) ++pending_blank;
      return;
    }
    if (!out.empty()) out.append(pending_blank + 1, '\n');
    pending_blank = 0;
    out.append(line);
  }

  ReplyParts assemble() const {
    ReplyParts parts;
    std::size_t pend_reply = 0, pend_quoted = 0, pend_sig = 0;
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      const Line& l = lines_[i];
      switch (label_[i]) {
        case Label::reply:
          append_line(parts.reply, pend_reply, kept_text(i));
          if (keep_end_[i] != std::string_view::npos)
            append_line(parts.quoted, pend_quoted, rstrip(lstrip(l.raw.substr(keep_end_[i]))));
          break;
        case Label::quoted:
          append_line(parts.quoted, pend_quoted, l.text);
          break;
        case Label::signature:
          append_line(parts.signature, pend_sig, l.text);
          break;
      }
    }
    parts.removed = removed_;
    std::stable_sort(parts.removed.begin(), parts.removed.end(),
                     [](const ReplyRemoval& a, const ReplyRemoval& b) { return a.first_line < b.first_line; });
    return parts;
  }
};

}  // namespace

ReplyParts extract_reply(std::string_view text, const ReplyHints& hints, const ReplyRules& rules) {
  return Extractor(text, rules.impl(), hints).run();
}

ReplyParts extract_reply(std::string_view text, const ReplyRules& rules) {
  return extract_reply(text, ReplyHints{}, rules);
}

}  // namespace tandem::mail
