// The MIME layer: GMime parses, this file walks what it built into a ParsedMail (docs/mail.md, "MIME").
//
// GMime is initialised once per process (std::call_once). Each call makes its own stream, parser and
// parser options (the warning callback's state lives on this call's stack), so calls share nothing but
// GMime's internal tables, which GMime guards itself.
#include <gmime/gmime.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "mail/html_text.hpp"
#include "mail/mime_text.hpp"
#include "tandem/mail.hpp"
#include "util/ascii.hpp"

namespace tandem::mail {
namespace {

using sdk::Result;
using sdk::Status;

void ensure_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

struct GObjectUnref {
  void operator()(gpointer p) const {
    if (p) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct OptionsFree {
  void operator()(GMimeParserOptions* p) const { g_mime_parser_options_free(p); }
};

struct GFree {
  void operator()(gpointer p) const { g_free(p); }
};

std::string lower(std::string_view s) { return util::lower_ascii(s); }

std::string trimmed(std::string_view s) {
  const auto* ws = " \t\r\n";
  const auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return std::string(s.substr(b, s.find_last_not_of(ws) - b + 1));
}

// A string GMime returned (decoded, meant to be UTF-8) as valid UTF-8; null as empty.
std::string utf8(const char* s) { return s ? detail::repair_utf8(s) : std::string(); }

// A short, printable quote of something from the input, for a problem note.
std::string quoted(std::string_view s) {
  std::string q = detail::repair_utf8(s.substr(0, 60));
  for (char& c : q)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return "\"" + q + (s.size() > 60 ? "...\"" : "\"");
}

// ---------------------------------------------------------------------------------------------------
// Problems: GMime's warnings (collected while it parses) and our own notes.

struct Warning {
  gint64 offset;
  GMimeParserWarning code;
  std::string item;
};

struct Collector {
  std::string_view raw;
  std::vector<Warning> warnings;
  std::size_t dropped = 0;
};

constexpr std::size_t kMaxWarnings = 100;

void on_warning(gint64 offset, GMimeParserWarning code, const gchar* item, gpointer user_data) {
  auto* c = static_cast<Collector*>(user_data);
  if (c->warnings.size() >= kMaxWarnings) {
    ++c->dropped;
    return;
  }
  c->warnings.push_back({offset, code, item ? std::string(item) : std::string()});
}

// The header field that starts at `offset`, with its folded continuation lines.
std::string_view header_at(std::string_view raw, gint64 offset) {
  if (offset < 0 || static_cast<std::size_t>(offset) >= raw.size()) return {};
  std::size_t end = static_cast<std::size_t>(offset);
  while (true) {
    end = raw.find('\n', end);
    if (end == std::string_view::npos) return raw.substr(static_cast<std::size_t>(offset));
    if (end + 1 < raw.size() && (raw[end + 1] == ' ' || raw[end + 1] == '\t')) {
      ++end;
      continue;
    }
    return raw.substr(static_cast<std::size_t>(offset), end - static_cast<std::size_t>(offset));
  }
}

// GMime's warnings as notes, "line N" where it says where. Warnings that need no repair are dropped:
// a header repeated exactly, and 8-bit header text that is valid UTF-8 (RFC 6532 allows it).
void add_warning_notes(const Collector& c, bool truncation_noted, std::vector<std::string>& problems) {
  std::vector<Warning> ws = c.warnings;
  std::stable_sort(ws.begin(), ws.end(), [](const Warning& a, const Warning& b) { return a.offset < b.offset; });
  std::size_t line = 1, scanned = 0;
  for (const Warning& w : ws) {
    std::string where;
    if (w.offset >= 0 && static_cast<std::size_t>(w.offset) <= c.raw.size()) {
      const auto upto = static_cast<std::size_t>(w.offset);
      line += static_cast<std::size_t>(std::count(c.raw.begin() + static_cast<std::ptrdiff_t>(scanned),
                                                  c.raw.begin() + static_cast<std::ptrdiff_t>(upto), '\n'));
      scanned = upto;
      where = " at line " + std::to_string(line);
    }
    const std::string item = w.item.empty() ? std::string() : " " + quoted(w.item);
    std::string note;
    switch (w.code) {
      case GMIME_WARN_DUPLICATED_HEADER:
      case GMIME_WARN_DUPLICATED_PARAMETER:
        break;
      case GMIME_WARN_UNENCODED_8BIT_HEADER:
        if (!detail::is_valid_utf8(header_at(c.raw, w.offset)))
          note = "header" + item + where + " has 8-bit bytes that are not UTF-8: read as windows-1252";
        break;
      case GMIME_WARN_INVALID_CONTENT_TYPE:
        note = "invalid Content-Type" + item + where + ": read as application/octet-stream";
        break;
      case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
        note = "malformed RFC 2047 encoded word in header" + item + where + ": decoded leniently";
        break;
      case GMIME_WARN_MALFORMED_MULTIPART:
        note = "multipart without parts" + where;
        break;
      case GMIME_WARN_TRUNCATED_MESSAGE:
        if (!truncation_noted) note = "message is truncated" + where;
        break;
      case GMIME_WARN_MALFORMED_MESSAGE:
        note = "malformed message" + where;
        break;
      case GMIME_CRIT_INVALID_HEADER_NAME:
        note = "invalid header line" + item + where + ": skipped";
        break;
      case GMIME_CRIT_CONFLICTING_HEADER:
        note = "conflicting headers" + item + where;
        break;
      case GMIME_CRIT_CONFLICTING_PARAMETER:
        note = "conflicting header parameters" + item + where;
        break;
      case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
        note = "multipart without a boundary" + where + ": read as one part";
        break;
      case GMIME_WARN_INVALID_PARAMETER:
        note = "invalid header parameter" + item + where;
        break;
      case GMIME_WARN_INVALID_ADDRESS_LIST:
        note = "invalid address list" + item + where + ": read leniently";
        break;
      case GMIME_CRIT_NESTING_OVERFLOW:
        note = "MIME nesting deeper than GMime's limit" + where + ": the rest read as one part";
        break;
      case GMIME_WARN_PART_WITHOUT_CONTENT:
        note = "part without content" + where;
        break;
      case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
        note = "part without headers or content" + where;
        break;
      default:
        note = "MIME parser warning " + std::to_string(static_cast<int>(w.code)) + item + where;
        break;
    }
    if (!note.empty() && std::find(problems.begin(), problems.end(), note) == problems.end())
      problems.push_back(std::move(note));
  }
  if (c.dropped) problems.push_back(std::to_string(c.dropped) + " more MIME parser warnings not listed");
}

// ---------------------------------------------------------------------------------------------------
// Headers.

void add_addresses(InternetAddressList* list, std::vector<Address>& out, int depth = 0) {
  if (!list || depth > 4) return;
  const int n = internet_address_list_length(list);
  for (int i = 0; i < n; ++i) {
    InternetAddress* ia = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(ia)) {
      add_addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out, depth + 1);
    } else if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
      out.push_back({trimmed(utf8(internet_address_get_name(ia))),
                     utf8(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)))});
    }
  }
}

std::vector<std::string> message_ids(GMimeParserOptions* options, const char* value) {
  std::vector<std::string> ids;
  if (!value) return ids;
  GMimeReferences* refs = g_mime_references_parse(options, value);
  if (!refs) return ids;
  const int n = g_mime_references_length(refs);
  for (int i = 0; i < n; ++i) ids.push_back(utf8(g_mime_references_get_message_id(refs, i)));
  g_mime_references_free(refs);
  return ids;
}

// The mailboxes of an address header. GMime turns raw 8-bit header bytes into UTF-8 before it decodes
// encoded words, so a raw byte inside a Q-encoded word (RFC 2047 forbids it; old clients wrote it) would
// be decoded twice: such a header is parsed again with those bytes escaped.
void read_address_header(GMimeMessage* msg, GMimeParserOptions* options, const char* name,
                         InternetAddressList* parsed, std::vector<Address>& out) {
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(msg));
  GMimeHeader* header = headers ? g_mime_header_list_get_header(headers, name) : nullptr;
  const char* raw = header ? g_mime_header_get_raw_value(header) : nullptr;
  if (raw && !detail::is_valid_utf8(raw)) {
    const std::string escaped = detail::escape_8bit_in_encoded_words(raw);
    if (escaped != raw) {
      GPtr<InternetAddressList> list(internet_address_list_parse(options, escaped.c_str()));
      if (list) {
        add_addresses(list.get(), out);
        return;
      }
    }
  }
  add_addresses(parsed, out);
}

void read_headers(GMimeMessage* msg, GMimeParserOptions* options, ParsedMail& out) {
  auto* obj = GMIME_OBJECT(msg);
  out.subject = trimmed(utf8(g_mime_message_get_subject(msg)));
  std::vector<Address> from;
  read_address_header(msg, options, "From", g_mime_message_get_from(msg), from);
  if (!from.empty()) out.from = from.front();
  read_address_header(msg, options, "To", g_mime_message_get_to(msg), out.to);
  read_address_header(msg, options, "Cc", g_mime_message_get_cc(msg), out.cc);
  read_address_header(msg, options, "Reply-To", g_mime_message_get_reply_to(msg), out.reply_to);

  // The last Date header: the one GMime's date is read from when a message has several.
  if (GMimeHeaderList* headers = g_mime_object_get_header_list(obj)) {
    for (int i = g_mime_header_list_get_count(headers) - 1; i >= 0; --i) {
      GMimeHeader* h = g_mime_header_list_get_header_at(headers, i);
      if (g_ascii_strcasecmp(g_mime_header_get_name(h), "Date") == 0) {
        out.date_header = trimmed(utf8(g_mime_header_get_value(h)));
        break;
      }
    }
  }
  if (GDateTime* dt = g_mime_message_get_date(msg)) {
    out.has_date = true;
    out.sent = std::chrono::sys_seconds(std::chrono::seconds(g_date_time_to_unix(dt)));
    out.utc_offset_minutes = static_cast<int>(g_date_time_get_utc_offset(dt) / G_TIME_SPAN_MINUTE);
  } else if (!out.date_header.empty()) {
    out.problems.push_back("Date header " + quoted(out.date_header) + " could not be read: no sent time");
  }

  out.message_id = utf8(g_mime_message_get_message_id(msg));
  const auto in_reply_to = message_ids(options, g_mime_object_get_header(obj, "In-Reply-To"));
  if (!in_reply_to.empty()) out.in_reply_to = in_reply_to.front();
  out.references = message_ids(options, g_mime_object_get_header(obj, "References"));
}

// ---------------------------------------------------------------------------------------------------
// The part tree.

std::string mime_type(GMimeObject* obj) {
  GMimeContentType* ct = g_mime_object_get_content_type(obj);
  if (!ct) return "application/octet-stream";
  std::unique_ptr<char, GFree> s(g_mime_content_type_get_mime_type(ct));
  return s ? lower(s.get()) : std::string("application/octet-stream");
}

std::string content_type_parameter(GMimeObject* obj, const char* name) {
  GMimeContentType* ct = g_mime_object_get_content_type(obj);
  const char* v = ct ? g_mime_content_type_get_parameter(ct, name) : nullptr;
  return v ? std::string(v) : std::string();
}

// The transfer-decoded bytes of a leaf part.
std::string decoded_bytes(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return {};
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, mem.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  return bytes ? std::string(reinterpret_cast<const char*>(bytes->data), bytes->len) : std::string();
}

std::size_t decoded_size(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return 0;
  GPtr<GMimeStream> counter(g_mime_stream_null_new());
  g_mime_data_wrapper_write_to_stream(content, counter.get());
  return GMIME_STREAM_NULL(counter.get())->written;
}

std::size_t written_size(GMimeObject* obj) {
  GPtr<GMimeStream> counter(g_mime_stream_null_new());
  g_mime_object_write_to_stream(obj, nullptr, counter.get());
  return GMIME_STREAM_NULL(counter.get())->written;
}

class Walker {
 public:
  Walker(std::string_view raw, const Limits& limits, ParsedMail& out) : raw_(raw), limits_(limits), out_(out) {}

  // Walks the tree from the top-level entity; an error Status past a limit.
  Status walk(GMimeObject* top) {
    std::vector<Pending> stack{{top, "", 0}};
    while (!stack.empty()) {
      Pending p = std::move(stack.back());
      stack.pop_back();
      if (++out_.part_count > limits_.max_parts)
        return Status::invalid_input("message has more than " + std::to_string(limits_.max_parts) +
                                     " MIME parts (mail.max_parts)");
      if (p.depth > limits_.max_depth)
        return Status::invalid_input("MIME nesting deeper than " + std::to_string(limits_.max_depth) +
                                     " at part " + p.path + " (mail.max_depth)");
      if (GMIME_IS_MULTIPART(p.obj)) {
        auto* mp = GMIME_MULTIPART(p.obj);
        check_closed(mp, p.path);
        const int n = g_mime_multipart_get_count(mp);
        for (int i = n - 1; i >= 0; --i)  // reversed: the stack hands them out in message order
          stack.push_back({g_mime_multipart_get_part(mp, i),
                           (p.path.empty() ? "" : p.path + ".") + std::to_string(i + 1), p.depth + 1});
      } else {
        leaf(p.obj, p.path.empty() ? std::string("1") : p.path);
      }
    }
    return Status::ok();
  }

 private:
  struct Pending {
    GMimeObject* obj;
    std::string path;  // IMAP-style part number, "" for the top level
    int depth;
  };

  // A multipart whose closing boundary never comes is read by GMime up to the end of its parent (or of
  // the input). Boundaries are collected during the walk and looked for in one pass over the lines.
  void check_closed(GMimeMultipart* mp, const std::string& path) {
    const char* boundary = g_mime_multipart_get_boundary(mp);
    if (boundary && *boundary) open_boundaries_.push_back({boundary, path});
  }

 public:
  // Notes every multipart whose "--boundary--" line is missing.
  void note_unclosed_multiparts() {
    if (open_boundaries_.empty()) return;
    std::unordered_set<std::string_view> closed;
    std::unordered_set<std::string_view> wanted;
    for (const auto& b : open_boundaries_) wanted.insert(b.first);
    for (std::size_t pos = 0; pos < raw_.size();) {
      const std::size_t nl = raw_.find('\n', pos);
      std::string_view line = raw_.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
      pos = nl == std::string_view::npos ? raw_.size() : nl + 1;
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
      if (line.size() < 5 || line.substr(0, 2) != "--" || line.substr(line.size() - 2) != "--") continue;
      const std::string_view middle = line.substr(2, line.size() - 4);
      if (wanted.count(middle)) closed.insert(middle);
    }
    for (const auto& [boundary, path] : open_boundaries_) {
      if (closed.count(boundary)) continue;
      out_.problems.push_back("truncated multipart at part " + (path.empty() ? std::string("0 (top level)") : path) +
                              ": no closing boundary " + quoted("--" + boundary + "--") +
                              ", read to the end of its parent");
      truncation_noted_ = true;
    }
  }

 private:
  void leaf(GMimeObject* obj, const std::string& path) {
    const std::string type = mime_type(obj);
    if (GMIME_IS_MESSAGE_PART(obj)) {  // an attached message: listed, never read as this mail's text
      const char* name = g_mime_object_get_content_disposition_parameter(obj, "filename");
      if (!name) name = g_mime_object_get_content_type_parameter(obj, "name");
      out_.attachments.push_back({utf8(name), type, written_size(obj)});
      return;
    }
    if (!GMIME_IS_PART(obj)) return;
    auto* part = GMIME_PART(obj);
    GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(obj);
    const bool attached = disposition && g_mime_content_disposition_is_attachment(disposition);
    const bool is_plain = type == "text/plain", is_html = type == "text/html";
    if (!attached && is_plain && !have_text_) {
      have_text_ = true;
      out_.text = text_of(part, path, true);
      return;
    }
    if (!attached && is_html && !have_html_) {
      have_html_ = true;
      out_.html = text_of(part, path, false);
      return;
    }
    if (!attached && (is_plain || is_html)) return;  // a further body part, not an attachment
    out_.attachments.push_back({utf8(g_mime_part_get_filename(part)), type, decoded_size(part)});
  }

  std::string text_of(GMimePart* part, const std::string& path, bool plain) {
    auto* obj = GMIME_OBJECT(part);
    detail::Decoded d = detail::to_utf8(decoded_bytes(part), content_type_parameter(obj, "charset"));
    if (!d.problem.empty()) out_.problems.push_back("part " + path + ": " + d.problem);
    std::string text = detail::normalize_newlines(d.text);
    if (plain && lower(content_type_parameter(obj, "format")) == "flowed")
      text = detail::unflow(text, lower(content_type_parameter(obj, "delsp")) == "yes");
    return text;
  }

 public:
  bool have_text() const { return have_text_; }
  bool truncation_noted() const { return truncation_noted_; }

 private:
  std::string_view raw_;
  const Limits& limits_;
  ParsedMail& out_;
  bool have_text_ = false;
  bool have_html_ = false;
  bool truncation_noted_ = false;
  std::vector<std::pair<std::string, std::string>> open_boundaries_;  // boundary, part path
};

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

// Input that does not start with a header field: the whole of it is one text body.
ParsedMail bare_text(std::string_view raw) {
  ParsedMail out;
  detail::Decoded d = detail::to_utf8(raw, {});
  out.text = detail::normalize_newlines(d.text);
  out.content_type = "text/plain";
  out.part_count = 1;
  out.problems.push_back("no header block: read as a bare text body");
  if (!d.problem.empty()) out.problems.push_back("body: " + d.problem);
  return out;
}

// "Name:" at the start: RFC 5322 field names are printable ASCII without ':' or space.
bool starts_with_header_field(std::string_view raw) {
  std::size_t i = 0;
  while (i < raw.size() && i < 200) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c == ':') return i > 0;
    if (c <= 0x20 || c >= 0x7F) return false;
    ++i;
  }
  return false;
}

bool has_message_header(GMimeMessage* msg) {
  for (const char* name : {"From", "To", "Cc", "Subject", "Date", "Message-ID", "Content-Type", "MIME-Version"})
    if (g_mime_object_get_header(GMIME_OBJECT(msg), name)) return true;
  return false;
}

// The HTML body as the text. When there is a text/plain body too (`why` says why it is not used), only
// if the HTML has text.
void from_html(ParsedMail& out, const std::string& why) {
  const detail::HtmlText h = detail::convert_html(out.html);
  if (!why.empty() && blank(h.text)) return;
  out.text = h.text;
  out.text_from_html = true;
  if (!why.empty()) out.problems.push_back(why);
  if (h.cut_for_depth)
    out.problems.push_back("HTML body nests deeper than " + std::to_string(detail::kMaxHtmlDepth) +
                           " elements: converted its first " + std::to_string(h.converted_bytes) + " bytes only");
  if (h.cut_for_size)
    out.problems.push_back("HTML body is over " + std::to_string(detail::kMaxHtmlBytes) +
                           " bytes: converted its first " + std::to_string(h.converted_bytes) + " bytes only");
  if (h.cut_for_text)
    out.problems.push_back("HTML body's text is over " + std::to_string(detail::kMaxTextBytes) +
                           " bytes: the rest dropped");
}

Result<ParsedMail> parse(std::string_view raw, const Limits& limits) {
  if (raw.size() > limits.max_bytes)
    return Status::invalid_input("message is " + std::to_string(raw.size()) + " bytes, over the limit of " +
                                 std::to_string(limits.max_bytes) + " (mail.max_bytes)");
  if (raw.empty()) return Status::invalid_input("message is empty (0 bytes)");
  if (blank(raw))
    return Status::invalid_input("message has no content: " + std::to_string(raw.size()) + " bytes of white space");
  // A leading mbox "From " line (followed by headers) is the mailbox's, not the message's.
  if (raw.rfind("From ", 0) == 0) {
    const std::size_t nl = raw.find('\n');
    if (nl != std::string_view::npos && starts_with_header_field(raw.substr(nl + 1))) raw.remove_prefix(nl + 1);
  }

  ensure_gmime();
  Collector collector{raw, {}, 0};
  std::unique_ptr<GMimeParserOptions, OptionsFree> options(g_mime_parser_options_new());
  g_mime_parser_options_set_warning_callback(options.get(), on_warning, &collector);
  g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  const char* fallback[] = {"utf-8", "windows-1252", nullptr};  // 8-bit header text that is not UTF-8
  g_mime_parser_options_set_fallback_charsets(options.get(), fallback);

  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
  // Input that does not start with a header field is a bare text body, unless GMime still found the
  // headers of a message in it (a first header line broken, the rest intact).
  if (!message) return bare_text(raw);
  if (!starts_with_header_field(raw) && raw.front() != '\n' && raw.rfind("\r\n", 0) != 0 &&
      !has_message_header(message.get()))
    return bare_text(raw);

  ParsedMail out;
  read_headers(message.get(), options.get(), out);
  GMimeObject* top = g_mime_message_get_mime_part(message.get());
  Walker walker(raw, limits, out);
  if (top) {
    out.content_type = mime_type(top);
    if (Status s = walker.walk(top); !s) return s;
    walker.note_unclosed_multiparts();
  } else {
    out.content_type = "text/plain";
    out.part_count = 1;
  }

  if (!out.html.empty() && !walker.have_text()) {
    from_html(out, {});
  } else if (!out.html.empty() && blank(out.text)) {
    from_html(out, "text/plain body is empty: text taken from the HTML body");
  }

  std::vector<std::string> notes;
  add_warning_notes(collector, walker.truncation_noted(), notes);
  // GMime's notes first: they are where the input went wrong, ours follow from them.
  notes.insert(notes.end(), out.problems.begin(), out.problems.end());
  out.problems = std::move(notes);
  out.best_effort = !out.problems.empty();
  return out;
}

}  // namespace

Result<ParsedMail> parse_mail(std::string_view raw, const Limits& limits) {
  try {
    Result<ParsedMail> r = parse(raw, limits);
    if (r) r->best_effort = !r->problems.empty();
    return r;
  } catch (const std::bad_alloc&) {
    return Status::unavailable("out of memory parsing a message of " + std::to_string(raw.size()) + " bytes");
  } catch (const std::exception& e) {
    return Status::internal(std::string("MIME parsing failed: ") + e.what());
  }
}

}  // namespace tandem::mail
