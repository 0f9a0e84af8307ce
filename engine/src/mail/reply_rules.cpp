// The reply-extraction rules: reading config/mail/reply/*.yaml (bundled or from a directory), checking
// them with file:line:column errors, merging languages, and the text helpers patterns are matched with.
#include "mail/reply_rules.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "pipeline/schema.hpp"
#include "pipeline/yaml_reader.hpp"
#include "util/data_folder.hpp"
#include "tandem/sdk/config.hpp"

namespace tandem::mail {

namespace detail {

std::string fold(std::string_view text) {
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto b = static_cast<unsigned char>(out[i]);
    if (b >= 'A' && b <= 'Z') {
      out[i] = static_cast<char>(b + 32);
      continue;
    }
    if (b < 0xC0 || i + 1 >= out.size()) continue;
    const auto b2 = static_cast<unsigned char>(out[i + 1]);
    if ((b2 & 0xC0) != 0x80) continue;
    const unsigned cp = ((b & 0x1Fu) << 6) | (b2 & 0x3Fu);
    unsigned lower = cp;
    if (b < 0xE0) {
      if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) lower = cp + 0x20;  // Latin-1
      else if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) lower = (cp % 2 == 0) ? cp + 1 : cp;
      else if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) lower = (cp % 2 == 1) ? cp + 1 : cp;
      else if (cp >= 0x410 && cp <= 0x42F) lower = cp + 0x20;  // Cyrillic А..Я
      else if (cp >= 0x400 && cp <= 0x40F) lower = cp + 0x50;  // Ѐ..Џ
    }
    if (lower != cp) {  // every case pair above encodes in two bytes
      out[i] = static_cast<char>(0xC0 | (lower >> 6));
      out[i + 1] = static_cast<char>(0x80 | (lower & 0x3F));
    }
    ++i;
  }
  return out;
}

namespace {

bool is_space_at(std::string_view s, std::size_t i, std::size_t& len) {
  const char c = s[i];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
    len = 1;
    return true;
  }
  if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
    len = 2;  // no-break space
    return true;
  }
  return false;
}

bool is_alnum_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

}  // namespace

std::string normalize(std::string_view text) {
  const std::string folded = fold(text);
  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < folded.size();) {
    std::size_t len = 0;
    if (is_space_at(folded, i, len)) {
      pending_space = !out.empty();
      i += len;
      continue;
    }
    const char c = folded[i];
    if (c == ':') pending_space = false;
    if (!pending_space && !out.empty() && out.back() == '>' && is_alnum_byte(static_cast<unsigned char>(c)))
      pending_space = true;
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
    ++i;
  }
  return out;
}

bool Glob::matches(std::string_view s) const {
  if (pieces.empty()) return true;
  std::size_t pos = 0;
  std::size_t first = 0;
  if (!leading_star) {
    if (s.substr(0, pieces[0].size()) != pieces[0]) return false;
    pos = pieces[0].size();
    first = 1;
    if (pieces.size() == 1) return trailing_star || pos == s.size();
  }
  std::size_t end = s.size();
  std::size_t last_middle = pieces.size();  // one past the last piece searched freely
  if (!trailing_star) {
    const std::string& tail = pieces.back();
    if (tail.size() > s.size() || s.substr(s.size() - tail.size()) != tail) return false;
    end = s.size() - tail.size();
    if (end < pos) return false;
    last_middle = pieces.size() - 1;
  }
  for (std::size_t k = first; k < last_middle; ++k) {
    const std::size_t f = s.find(pieces[k], pos);
    if (f == std::string_view::npos || f + pieces[k].size() > end) return false;
    pos = f + pieces[k].size();
  }
  return true;
}

std::string compile_glob(std::string_view pattern, std::string language, Glob& out) {
  out = Glob{};
  out.text = std::string(pattern);
  out.language = std::move(language);
  // Normalise the pattern as the text will be, keeping the stars as separators.
  std::string norm;
  {
    std::string marked(pattern);
    for (char& c : marked)
      if (c == '*') c = '\x01';  // survives normalize() as a non-space byte
    norm = normalize(marked);
  }
  if (norm.find("\x01\x01") != std::string::npos) return "two \"*\" in a row";
  out.leading_star = !norm.empty() && norm.front() == '\x01';
  out.trailing_star = !norm.empty() && norm.back() == '\x01';
  bool has_letter = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= norm.size(); ++i) {
    if (i < norm.size() && norm[i] != '\x01') continue;
    std::string piece = norm.substr(start, i - start);
    if (!piece.empty()) {
      if (piece == " ") return "nothing but a space between two \"*\"";
      for (char c : piece)
        if (is_alnum_byte(static_cast<unsigned char>(c))) has_letter = true;
      out.pieces.push_back(std::move(piece));
    }
    start = i + 1;
  }
  if (!has_letter) return "a pattern needs at least one word besides \"*\"";
  return {};
}

namespace {

constexpr const char* kRulesSchema = R"({
  "type": "object",
  "properties": {
    "language": {"type": "string", "pattern": "^[a-z]{2,3}$"},
    "replace": {"type": "boolean", "default": false},
    "quote_headers": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "original_message": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "forwarded": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "header_fields": {"type": "object", "properties": {
      "from": {"type": "array", "items": {"type": "string", "minLength": 1}},
      "sent": {"type": "array", "items": {"type": "string", "minLength": 1}},
      "date": {"type": "array", "items": {"type": "string", "minLength": 1}},
      "to": {"type": "array", "items": {"type": "string", "minLength": 1}},
      "cc": {"type": "array", "items": {"type": "string", "minLength": 1}},
      "subject": {"type": "array", "items": {"type": "string", "minLength": 1}}}},
    "mobile_footers": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "sign_offs": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "disclaimers": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "list_footers": {"type": "array", "items": {"type": "string", "minLength": 1}}
  },
  "required": ["language"]
})";

// Null only if kRulesSchema itself were broken (tests/unit/mail/reply_test.cpp would fail first).
const ::tandem::detail::ConfigSchema* rules_schema() {
  static const std::shared_ptr<const ::tandem::detail::ConfigSchema> schema = [] {
    auto parsed = ::tandem::detail::ConfigSchema::parse(kRulesSchema);
    return parsed.is_ok() ? parsed.value() : nullptr;
  }();
  return schema.get();
}

void read_globs(const sdk::ConfigNode& root, std::string_view key, const std::string& language,
                std::vector<Glob>& out, sdk::ConfigErrors& errors) {
  for (const auto& item : root[key].items()) {
    Glob g;
    std::string problem = compile_glob(item.scalar(), language, g);
    if (!problem.empty()) {
      errors.add(item, problem + ", got \"" + item.scalar() + "\"");
      continue;
    }
    out.push_back(std::move(g));
  }
}

// Marker lines and sign-offs are whole phrases: a "*" in them is a mistake worth naming.
void read_phrases(const sdk::ConfigNode& root, std::string_view key, const std::string& language,
                  std::vector<Phrase>& out, sdk::ConfigErrors& errors) {
  for (const auto& item : root[key].items()) {
    if (item.scalar().find('*') != std::string::npos) {
      errors.add(item, "a whole phrase is expected here, without \"*\", got \"" + item.scalar() + "\"");
      continue;
    }
    std::string text = normalize(item.scalar());
    if (text.empty()) {
      errors.add(item, "expected words, got only white space");
      continue;
    }
    out.push_back(Phrase{std::move(text), language, item.scalar()});
  }
}

}  // namespace

bool read_language_file(const std::string& file_name, std::string_view text, LanguageFile& out,
                        std::vector<std::string>& error_lines) {
  sdk::ConfigErrors errors;
  const auto doc = ::tandem::detail::parse_yaml_document(text, file_name, errors);
  std::optional<sdk::ConfigNode> root;
  if (doc) {
    sdk::ConfigNode node = ::tandem::detail::to_config_node(*doc, text, file_name, errors);
    if (errors.empty()) {
      if (!node.is_map()) {
        errors.add(node, "expected a map with \"language\" and the rule lists (config/mail/reply/README.md)");
      } else {
        if (const auto* schema = rules_schema()) schema->validate(node, errors);
        else errors.add(node, "internal error: the rules schema does not parse");
        root = std::move(node);  // read on after a schema error: every problem of the file at once
      }
    }
  }
  if (root) {
    out = LanguageFile{};
    out.file = file_name;
    out.language = root->get_string("language");
    out.replace = root->get_bool("replace", false);
    read_globs(*root, "quote_headers", out.language, out.quote_headers, errors);
    read_phrases(*root, "original_message", out.language, out.original_message, errors);
    read_phrases(*root, "forwarded", out.language, out.forwarded, errors);
    static constexpr std::pair<const char*, FieldRole> kRoles[] = {
        {"from", FieldRole::from}, {"sent", FieldRole::sent}, {"date", FieldRole::date},
        {"to", FieldRole::to},     {"cc", FieldRole::cc},     {"subject", FieldRole::subject}};
    for (const auto& [name, role] : kRoles) {
      std::vector<Phrase> keys;
      read_phrases((*root)["header_fields"], name, out.language, keys, errors);
      for (auto& k : keys) {
        if (k.text.find(':') != std::string::npos) {
          errors.add(sdk::ConfigError{sdk::Mark{file_name, 0, 0}, "header_fields." + std::string(name),
                                      "write the field name without \":\", got \"" + k.as_written + "\""});
          continue;
        }
        out.header_fields.push_back(HeaderField{std::move(k.text), role, out.language});
      }
    }
    read_globs(*root, "mobile_footers", out.language, out.mobile_footers, errors);
    read_phrases(*root, "sign_offs", out.language, out.sign_offs, errors);
    read_globs(*root, "disclaimers", out.language, out.disclaimers, errors);
    read_globs(*root, "list_footers", out.language, out.list_footers, errors);
  }
  errors.sort();
  for (const auto& e : errors.all()) error_lines.push_back(e.to_string());
  return errors.empty();
}

}  // namespace detail

void ReplyRules::Impl::index() {
  quote_headers.clear();
  original_message.clear();
  forwarded.clear();
  header_fields.clear();
  mobile_footers.clear();
  sign_offs.clear();
  disclaimers.clear();
  list_footers.clear();
  longest_field_key = 0;
  for (const auto& l : languages) {
    quote_headers.insert(quote_headers.end(), l.quote_headers.begin(), l.quote_headers.end());
    original_message.insert(original_message.end(), l.original_message.begin(), l.original_message.end());
    forwarded.insert(forwarded.end(), l.forwarded.begin(), l.forwarded.end());
    header_fields.insert(header_fields.end(), l.header_fields.begin(), l.header_fields.end());
    mobile_footers.insert(mobile_footers.end(), l.mobile_footers.begin(), l.mobile_footers.end());
    sign_offs.insert(sign_offs.end(), l.sign_offs.begin(), l.sign_offs.end());
    disclaimers.insert(disclaimers.end(), l.disclaimers.begin(), l.disclaimers.end());
    list_footers.insert(list_footers.end(), l.list_footers.begin(), l.list_footers.end());
  }
  for (const auto& f : header_fields) longest_field_key = std::max(longest_field_key, f.key.size());
  header_tails.clear();
  for (const auto& g : quote_headers) {
    if (g.trailing_star || g.pieces.empty()) continue;
    std::string tail = g.pieces.back();
    if (!tail.empty() && tail.front() == ' ') tail.erase(0, 1);
    if (!tail.empty() && std::find(header_tails.begin(), header_tails.end(), tail) == header_tails.end())
      header_tails.push_back(std::move(tail));
  }
}

namespace {

template <typename T>
void append(std::vector<T>& to, const std::vector<T>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

// Adds `file` to `languages`: a new language, more rules for a known one, or a replacement.
void merge(std::vector<detail::LanguageFile>& languages, detail::LanguageFile file) {
  auto it = std::find_if(languages.begin(), languages.end(),
                         [&](const detail::LanguageFile& l) { return l.language == file.language; });
  if (it == languages.end() || file.replace) {
    if (it == languages.end()) languages.push_back(std::move(file));
    else *it = std::move(file);
  } else {
    append(it->quote_headers, file.quote_headers);
    append(it->original_message, file.original_message);
    append(it->forwarded, file.forwarded);
    append(it->header_fields, file.header_fields);
    append(it->mobile_footers, file.mobile_footers);
    append(it->sign_offs, file.sign_offs);
    append(it->disclaimers, file.disclaimers);
    append(it->list_footers, file.list_footers);
  }
  std::sort(languages.begin(), languages.end(),
            [](const detail::LanguageFile& a, const detail::LanguageFile& b) { return a.language < b.language; });
}

std::vector<detail::LanguageFile> read_bundled(std::vector<std::string>& errors) {
  std::vector<detail::LanguageFile> languages;
  std::size_t count = 0;
  const detail::BundledFile* files = detail::bundled_reply_files(count);
  for (std::size_t i = 0; i < count; ++i) {
    detail::LanguageFile f;
    if (detail::read_language_file(std::string("config/mail/reply/") + files[i].name,
                                   std::string_view(files[i].text, files[i].size), f, errors))
      merge(languages, std::move(f));
  }
  return languages;
}

}  // namespace

ReplyRulesError::ReplyRulesError(std::vector<std::string> errors)
    : std::runtime_error(errors.empty() ? std::string("reply rules: unknown error") : errors.front()),
      errors_(std::move(errors)) {}

const char* to_string(ReplyRemoval::Kind kind) noexcept {
  switch (kind) {
    case ReplyRemoval::Kind::quote_block: return "quote_block";
    case ReplyRemoval::Kind::quote_header: return "quote_header";
    case ReplyRemoval::Kind::dated_header: return "dated_header";
    case ReplyRemoval::Kind::original_message: return "original_message";
    case ReplyRemoval::Kind::forwarded_message: return "forwarded_message";
    case ReplyRemoval::Kind::header_block: return "header_block";
    case ReplyRemoval::Kind::mobile_footer: return "mobile_footer";
    case ReplyRemoval::Kind::after_footer: return "after_footer";
    case ReplyRemoval::Kind::signature: return "signature";
    case ReplyRemoval::Kind::dash_name: return "dash_name";
    case ReplyRemoval::Kind::sign_off: return "sign_off";
    case ReplyRemoval::Kind::name_block: return "name_block";
    case ReplyRemoval::Kind::disclaimer: return "disclaimer";
    case ReplyRemoval::Kind::list_footer: return "list_footer";
  }
  return "unknown";
}

const ReplyRules& ReplyRules::bundled() {
  static const ReplyRules rules = [] {
    std::vector<std::string> errors;
    auto impl = std::make_shared<Impl>();
    impl->languages = read_bundled(errors);  // a broken bundled file leaves its language out;
    impl->index();                           // tests/unit/mail/reply_rules_test.cpp fails on it
    return ReplyRules(std::move(impl));
  }();
  return rules;
}

ReplyRules ReplyRules::from_texts(const std::vector<std::pair<std::string, std::string>>& files, bool with_bundled) {
  std::vector<std::string> errors;
  auto impl = std::make_shared<Impl>();
  if (with_bundled) impl->languages = bundled().impl().languages;
  std::vector<detail::LanguageFile> read;
  for (const auto& [name, text] : files) {
    detail::LanguageFile f;
    if (detail::read_language_file(name, text, f, errors)) read.push_back(std::move(f));
  }
  if (!errors.empty()) throw ReplyRulesError(std::move(errors));
  for (auto& f : read) merge(impl->languages, std::move(f));
  impl->index();
  return ReplyRules(std::move(impl));
}

ReplyRules ReplyRules::load(const std::string& directory) {
  std::vector<std::pair<std::string, std::string>> files;
  std::string error;
  if (!util::read_data_folder(directory, "reply rules", files, error)) throw ReplyRulesError({error});
  return from_texts(files, true);
}

std::vector<std::string> ReplyRules::languages() const {
  std::vector<std::string> out;
  for (const auto& l : impl_->languages) out.push_back(l.language);
  return out;
}

}  // namespace tandem::mail
