// Charset conversion (iconv), UTF-8 repair, line ends and format=flowed for the MIME layer.
#include "mail/mime_text.hpp"

#include <gmime/gmime.h>  // g_mime_charset_iconv_name: GMime's table of charset aliases
#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <string>
#include <vector>

namespace tandem::mail::detail {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at s[i], or 0.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return b0 == 0 ? 0 : 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
  }
  return n;
}

std::string ascii_lower_trimmed(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\'' || std::isspace(static_cast<unsigned char>(c))) continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

// The WHATWG Encoding Standard's reading of labels mail clients get wrong or iconv does not know.
std::string iconv_label(const std::string& label) {
  if (label == "iso-8859-1" || label == "iso8859-1" || label == "latin1" || label == "l1" ||
      label == "iso_8859-1" || label == "us-ascii" || label == "ascii" || label == "ansi_x3.4-1968" ||
      label == "cp1252" || label == "x-cp1252")
    return "WINDOWS-1252";
  if (label == "iso-8859-8-i" || label == "iso-8859-8-e" || label == "logical" || label == "visual")
    return "ISO-8859-8";
  if (label == "iso-8859-6-i" || label == "iso-8859-6-e") return "ISO-8859-6";
  if (label == "unicode-1-1-utf-7" || label == "utf7") return "UTF-7";
  if (label == "ks_c_5601-1987" || label == "ks_c_5601-1989" || label == "euc-kr" || label == "korean")
    return "CP949";
  if (label == "gb2312" || label == "gbk" || label == "x-gbk" || label == "chinese") return "GB18030";
  if (label == "shift_jis" || label == "shift-jis" || label == "sjis" || label == "x-sjis" ||
      label == "ms_kanji" || label == "windows-31j")
    return "CP932";
  if (label == "utf8") return "UTF-8";
  const char* name = g_mime_charset_iconv_name(label.c_str());
  return name ? std::string(name) : label;
}

bool is_utf8_label(const std::string& label) { return label == "utf-8" || label == "utf8"; }

// Converts with iconv; bytes it cannot convert become U+FFFD. False when iconv does not know `from`.
bool convert(std::string_view in, const std::string& from, std::string& out, std::size_t& replaced) {
  iconv_t cd = iconv_open("UTF-8", from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out.clear();
  replaced = 0;
  std::vector<char> buf(std::max<std::size_t>(in.size() * 3 + 16, 256));
  char* inptr = const_cast<char*>(in.data());
  std::size_t inleft = in.size();
  bool flushing = false;
  while (true) {
    char* outptr = buf.data();
    std::size_t outleft = buf.size();
    const std::size_t rc = flushing ? iconv(cd, nullptr, nullptr, &outptr, &outleft)
                                    : iconv(cd, &inptr, &inleft, &outptr, &outleft);
    out.append(buf.data(), static_cast<std::size_t>(outptr - buf.data()));
    if (rc != static_cast<std::size_t>(-1)) {
      if (flushing) break;
      flushing = true;  // stateful encodings (ISO-2022-JP, UTF-7) may owe a last sequence
      continue;
    }
    if (errno == E2BIG) continue;
    // EILSEQ: an invalid sequence; EINVAL: an incomplete one at the end. Skip a byte either way.
    out.append(kReplacement);
    ++replaced;
    if (inleft == 0) break;
    ++inptr;
    --inleft;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);  // back to the initial shift state
    if (inleft == 0) flushing = true;
  }
  iconv_close(cd);
  return true;
}

std::string drop_bom(std::string s) {
  if (s.rfind("\xEF\xBB\xBF", 0) == 0) s.erase(0, 3);
  return s;
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string repair_utf8(std::string_view s, std::size_t* replaced) {
  std::string out;
  out.reserve(s.size());
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      out.append(kReplacement);
      ++count;
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  if (replaced) *replaced = count;
  return out;
}

Decoded to_utf8(std::string_view bytes, std::string_view declared) {
  Decoded d;
  const std::string label = ascii_lower_trimmed(declared);
  const bool valid_utf8 = is_valid_utf8(bytes);
  auto as_cp1252 = [&](std::string why) {
    std::size_t replaced = 0;
    convert(bytes, "WINDOWS-1252", d.text, replaced);
    d.text = repair_utf8(d.text);  // iconv passes NUL through
    d.used_charset = "windows-1252";
    d.problem = std::move(why);
    return d;
  };

  if (label.empty() || is_utf8_label(label) || label == "us-ascii" || label == "ascii") {
    if (valid_utf8) {
      d.text = drop_bom(std::string(bytes));
      d.used_charset = "utf-8";
      if (!label.empty() && !is_utf8_label(label) && std::any_of(bytes.begin(), bytes.end(), [](char c) {
            return static_cast<unsigned char>(c) >= 0x80;
          }))
        d.problem = "declared " + label + " but has 8-bit UTF-8 text: read as UTF-8";
      return d;
    }
    if (is_utf8_label(label)) {
      std::size_t replaced = 0;
      d.text = drop_bom(repair_utf8(bytes, &replaced));
      d.used_charset = "utf-8";
      d.problem = std::to_string(replaced) + " invalid UTF-8 byte" + (replaced == 1 ? "" : "s") +
                  " replaced with U+FFFD";
      return d;
    }
    return as_cp1252(label.empty() ? "8-bit text without a charset: read as windows-1252"
                                   : "declared " + label + " but has 8-bit bytes: read as windows-1252");
  }

  const std::string name = iconv_label(label);
  std::size_t replaced = 0;
  if (convert(bytes, name, d.text, replaced)) {
    d.text = drop_bom(repair_utf8(d.text));  // iconv passes NUL through
    d.used_charset = name;
    if (replaced)
      d.problem = std::to_string(replaced) + " byte" + (replaced == 1 ? "" : "s") + " not valid in " + label +
                  " replaced with U+FFFD";
    return d;
  }
  if (valid_utf8) {
    d.text = drop_bom(std::string(bytes));
    d.used_charset = "utf-8";
    d.problem = "unknown charset " + label + ": read as UTF-8";
    return d;
  }
  return as_cp1252("unknown charset " + label + ": read as windows-1252");
}

std::string escape_8bit_in_encoded_words(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t start = s.find("=?", i);
    if (start == std::string_view::npos) break;
    // =?charset?Q?text?= : find the three '?' after "=?", the text may not hold white space or '?'.
    const std::size_t q1 = s.find('?', start + 2);
    const bool q_encoding = q1 != std::string_view::npos && q1 + 2 < s.size() && s[q1 + 2] == '?' &&
                            (s[q1 + 1] == 'q' || s[q1 + 1] == 'Q');
    std::size_t end = std::string_view::npos;
    if (q_encoding) {
      end = s.find("?=", q1 + 3);
      if (end != std::string_view::npos &&
          s.substr(q1 + 3, end - q1 - 3).find_first_of(" \t\r\n") != std::string_view::npos)
        end = std::string_view::npos;
    }
    if (end == std::string_view::npos) {
      out.append(s.substr(i, start + 2 - i));
      i = start + 2;
      continue;
    }
    out.append(s.substr(i, q1 + 3 - i));
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (std::size_t k = q1 + 3; k < end; ++k) {
      const auto b = static_cast<unsigned char>(s[k]);
      if (b >= 0x80) {
        out.push_back('=');
        out.push_back(kHex[b >> 4]);
        out.push_back(kHex[b & 0xF]);
      } else {
        out.push_back(s[k]);
      }
    }
    out.append("?=");
    i = end + 2;
  }
  out.append(s.substr(i));
  return out;
}

std::string normalize_newlines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string unflow(std::string_view s, bool delsp) {
  std::string out;
  out.reserve(s.size());
  std::string paragraph;
  int paragraph_depth = -1;  // -1: no paragraph open
  auto flush = [&]() {
    if (paragraph_depth < 0) return;
    if (paragraph_depth > 0) out.append(static_cast<std::size_t>(paragraph_depth), '>').push_back(' ');
    out.append(paragraph).push_back('\n');
    paragraph.clear();
    paragraph_depth = -1;
  };
  std::size_t pos = 0;
  const bool ends_with_newline = !s.empty() && s.back() == '\n';
  while (pos < s.size()) {
    const std::size_t nl = s.find('\n', pos);
    std::string_view line = s.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? s.size() : nl + 1;

    int depth = 0;
    while (!line.empty() && line.front() == '>') {
      ++depth;
      line.remove_prefix(1);
    }
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);  // space-stuffing
    const bool signature = line == "-- ";
    const bool flowed = !signature && !line.empty() && line.back() == ' ';

    if (paragraph_depth >= 0 && paragraph_depth != depth) flush();  // a depth change ends a paragraph
    paragraph_depth = depth;
    if (flowed && delsp) line.remove_suffix(1);
    paragraph.append(line);
    if (!flowed) flush();
  }
  flush();
  if (!ends_with_newline && !out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace tandem::mail::detail
