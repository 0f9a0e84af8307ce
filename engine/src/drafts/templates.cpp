// The reply templates: reading config/replies/*.yaml (bundled or from a directory), checking every
// MessageFormat with ICU (syntax, argument names and kinds, required arguments) with file:line:column
// errors, merging languages, and the English fallback for keys a language lacks.
#include "drafts/templates.hpp"

#include <unicode/locid.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/parseerr.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "pipeline/schema.hpp"
#include "pipeline/yaml_reader.hpp"
#include "util/data_folder.hpp"
#include "tandem/sdk/config.hpp"

namespace tandem::drafts {
namespace detail {

const std::vector<ArgSpec>& argument_specs() {
  static const std::vector<ArgSpec> specs = {
      {"recipient_name", ArgKind::text, "the recipient's display name (may be empty)"},
      {"recipient_first", ArgKind::text, "the first word of the recipient's name"},
      {"has_name", ArgKind::text, "yes when the recipient's name is known, else no"},
      {"sender_name", ArgKind::text, "who signs the reply (the sender, else the organizer)"},
      {"has_sender", ArgKind::text, "yes when sender_name is not empty, else no"},
      {"organizer_name", ArgKind::text, "the organizer's display name"},
      {"event_type", ArgKind::text,
       "phone_screen, interview, coffee, lunch, call, video_call, meeting, onsite (or another word)"},
      {"event", ArgKind::text, "the `event` template's wording (\"the interview\")"},
      {"title", ArgKind::text, "the event's title: the input's, else the `event_title` template's"},
      {"location", ArgKind::text, "where the event is (may be empty)"},
      {"has_location", ArgKind::text, "yes when location is not empty, else no"},
      {"duration", ArgKind::text, "the duration in words, by ICU (\"1 hour, 30 minutes\")"},
      {"duration_minutes", ArgKind::number, "the duration in minutes"},
      {"count", ArgKind::number, "how many slots the input gives"},
      {"slots", ArgKind::text, "every slot, one a line, \"- \" first (dates and times by ICU)"},
      {"slot", ArgKind::text, "slots[0] as a date and a time interval (ICU DateIntervalFormat)"},
      {"date", ArgKind::text, "the date of slots[0] (weekday, day, month; the year when not this year)"},
      {"time", ArgKind::text, "the start time of slots[0]"},
      {"end_time", ArgKind::text, "the end time of slots[0]"},
      {"zone", ArgKind::text, "the localized name of the zone times are in"},
      {"zone_differs", ArgKind::text, "yes when the zone should be named (it differs from the sender's)"},
      {"broken", ArgKind::text, "the compromise's violations, one a line, \"- \" first"},
      {"broken_count", ArgKind::number, "how many violations"},
      {"missing", ArgKind::text, "what need_info asks, each by `need_info_item`, joined by ICU (\"a, b and c\")"},
      {"missing_count", ArgKind::number, "how many things are missing"},
      {"names", ArgKind::text, "the participants' names joined by ICU (\"Ana, Jonas and Lea\")"},
      {"names_count", ArgKind::number, "how many participants have a name"},
      {"invitation", ArgKind::text, "yes when an invitation (REQUEST or CANCEL) goes with the reply"},
      {"subject", ArgKind::text, "the subject answered, without \"Re:\"-like prefixes (`subject` only)"},
      {"item", ArgKind::text, "times, dates, duration, location, participants, event_type… (`need_info_item` only)"},
      {"constraint", ArgKind::text,
       "working_hours, busy, buffer, off_limits, daily_cap, travel, refused, outside_offered, lead, or another "
       "word (`broken_item` only)"},
      {"person", ArgKind::text, "whose rule it is, the display name; empty for the request's own (`broken_item` only)"},
      {"has_person", ArgKind::text, "yes when person is not empty, else no (`broken_item` only)"},
      {"minutes", ArgKind::number, "by how many minutes the rule is broken (`broken_item` only)"},
      {"meetings", ArgKind::number, "daily_cap: the meetings beyond the cap, this one included (`broken_item` only)"},
      {"day_meetings", ArgKind::number, "daily_cap: the meetings the day already holds (`broken_item` only)"},
      {"limit", ArgKind::number, "daily_cap: the cap; lead: the lead time in minutes (`broken_item` only)"},
      {"window", ArgKind::text,
       "the time the rule names, by ICU in the recipient's zone: the times alone on slots[0]'s day, else with "
       "the date; one instant for an offered time (`broken_item` only)"},
      {"has_window", ArgKind::text, "yes when window is not empty, else no (`broken_item` only)"},
  };
  return specs;
}

const ArgSpec* find_argument(std::string_view name) {
  for (const auto& a : argument_specs())
    if (name == a.name) return &a;
  return nullptr;
}

const std::vector<KeySpec>& key_specs() {
  static const std::vector<KeySpec> specs = {
      {"subject", {{"subject"}}, "the reply's subject"},
      {"greeting", {}, "the first line"},
      {"closing", {}, "the last lines (sign-off and name)"},
      {"event", {}, "the event as a noun phrase, given to the other templates as {event}"},
      {"event_title", {}, "the invitation's SUMMARY when the input has no title"},
      {"need_info_item", {{"item"}}, "one thing need_info asks for"},
      {"broken_item", {{"constraint"}}, "one rule the nothing_fits compromise breaks, given to it as a line of {broken}"},
      {"propose", {{"slots"}}, "body: offer the slots"},
      {"confirm", {{"slot", "date"}}, "body: confirm slots[0] (an invitation goes with it)"},
      {"nothing_fits", {{"broken"}}, "body: nothing fits; the compromise slots[0] and what it breaks"},
      {"cancelled", {}, "body: the organizer cancels the event slots[0] (a CANCEL goes with it)"},
      {"declined", {{"slots"}}, "body: decline; the slots (if any) offered instead"},
      {"need_info", {{"missing"}}, "body: ask for what is missing"},
      {"none", {}, "body: nothing to schedule"},
  };
  return specs;
}

const KeySpec* find_key(std::string_view key) {
  for (const auto& k : key_specs())
    if (key == k.key) return &k;
  return nullptr;
}

namespace {

// Arguments a key cannot use because they are made from it, or belong to one key only.
bool broken_item_argument(std::string_view arg) {
  static const char* const kArgs[] = {"constraint", "person", "has_person", "minutes", "meetings",
                                      "day_meetings", "limit", "window", "has_window"};
  return std::find(std::begin(kArgs), std::end(kArgs), arg) != std::end(kArgs);
}

bool argument_allowed(std::string_view key, std::string_view arg) {
  if (arg == "subject") return key == "subject";
  if (arg == "item") return key == "need_info_item";
  if (broken_item_argument(arg)) return key == "broken_item";
  if (key == "broken_item") return arg != "broken" && arg != "missing";
  if (key == "event" || key == "event_title" || key == "need_info_item")  // made before these arguments
    return arg != "event" && arg != "title" && arg != "missing" && arg != "broken";
  return true;
}

std::string schema_json() {
  std::string props = R"("language": {"type": "string", "pattern": "^[a-z]{2,3}$"})";
  for (const auto& k : key_specs()) props += std::string(R"(, ")") + k.key + R"(": {"type": "string"})";
  return R"({"type": "object", "properties": {)" + props + R"(}, "required": ["language"]})";
}

const ::tandem::detail::ConfigSchema* file_schema() {
  static const std::shared_ptr<const ::tandem::detail::ConfigSchema> schema = [] {
    auto parsed = ::tandem::detail::ConfigSchema::parse(schema_json());
    return parsed.is_ok() ? parsed.value() : nullptr;
  }();
  return schema.get();
}

// Where the byte `offset` of a scalar's value was written: the scalar's text is walked from its mark,
// matching the value's bytes in order and skipping what the YAML syntax added (quotes, indentation,
// the block indicator). Exact for plain, quoted and literal block scalars; close for folded ones.
sdk::Mark position_in_source(std::string_view source, const sdk::Mark& mark, std::string_view value,
                             std::size_t offset) {
  if (!mark.known()) return mark;
  std::size_t i = 0;
  for (int line = 1; line < mark.line && i < source.size(); ++i)
    if (source[i] == '\n') ++line;
  i += static_cast<std::size_t>(mark.column - 1);
  if (i > source.size()) return mark;
  for (std::size_t j = 0; j < offset && j < value.size(); ++j) {
    while (i < source.size() && source[i] != value[j]) ++i;
    if (i >= source.size()) return mark;
    ++i;
  }
  // Skip to the byte itself (the next matching one), then count line and column from the start.
  if (offset < value.size())
    while (i < source.size() && source[i] != value[offset]) ++i;
  if (i >= source.size()) return mark;
  sdk::Mark m{mark.file, 1, 1};
  for (std::size_t k = 0; k < i; ++k) {
    if (source[k] == '\n') {
      ++m.line;
      m.column = 1;
    } else {
      ++m.column;
    }
  }
  return m;
}

// The UTF-8 byte offset of UTF-16 index `u16` in `s`.
std::size_t utf8_offset(const icu::UnicodeString& s, int32_t u16) {
  std::string prefix;
  s.tempSubString(0, std::max<int32_t>(0, std::min(u16, s.length()))).toUTF8String(prefix);
  return prefix.size();
}

std::string utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// Where a brace goes unmatched (ICU reports the pattern's start): a "}" without its "{", else the last "{"
// left open. Quoting follows ICU's default: an apostrophe before a brace quotes up to the next apostrophe.
int32_t unmatched_brace(const icu::UnicodeString& p) {
  std::vector<int32_t> open;
  for (int32_t i = 0; i < p.length(); ++i) {
    const char16_t c = p.charAt(i);
    if (c == u'\'' && i + 1 < p.length() && (p.charAt(i + 1) == u'{' || p.charAt(i + 1) == u'}')) {
      const int32_t close = p.indexOf(u'\'', i + 1);
      if (close < 0) break;
      i = close;
    } else if (c == u'{') {
      open.push_back(i);
    } else if (c == u'}') {
      if (open.empty()) return i;
      open.pop_back();
    }
  }
  return open.empty() ? 0 : open.back();
}

// Where a select or plural lacks its "other" case (ICU reports the pattern's start): the "{" of the first
// such argument, found by walking the pattern's nesting (it parses apart from that one omission).
class OtherFinder {
 public:
  explicit OtherFinder(const icu::UnicodeString& p) : p_(p) {}
  int32_t find() {
    std::size_t i = 0;
    message(i);
    return found_ < 0 ? 0 : found_;
  }

 private:
  char16_t at(std::size_t i) const { return i < static_cast<std::size_t>(p_.length()) ? p_.charAt(static_cast<int32_t>(i)) : 0; }
  bool end(std::size_t i) const { return i >= static_cast<std::size_t>(p_.length()); }
  static bool space(char16_t c) { return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r'; }

  // A message up to its closing "}" (consumed) or the end.
  void message(std::size_t& i) {
    while (!end(i) && found_ < 0) {
      const char16_t c = at(i);
      if (c == u'\'' && (at(i + 1) == u'{' || at(i + 1) == u'}')) {
        const int32_t close = p_.indexOf(u'\'', static_cast<int32_t>(i + 1));
        i = close < 0 ? static_cast<std::size_t>(p_.length()) : static_cast<std::size_t>(close) + 1;
      } else if (c == u'{') {
        argument(i);
      } else if (c == u'}') {
        ++i;
        return;
      } else {
        ++i;
      }
    }
  }
  std::u16string word(std::size_t& i) {
    while (!end(i) && space(at(i))) ++i;
    std::u16string w;
    while (!end(i) && !space(at(i)) && at(i) != u',' && at(i) != u'{' && at(i) != u'}') w += at(i++);
    while (!end(i) && space(at(i))) ++i;
    return w;
  }
  void argument(std::size_t& i) {
    const auto start = static_cast<int32_t>(i++);
    word(i);  // the name
    if (at(i) != u',') {
      if (at(i) == u'}') ++i;
      return;
    }
    ++i;
    const std::u16string type = word(i);
    if (type != u"select" && type != u"plural" && type != u"selectordinal") {
      for (int depth = 1; !end(i) && depth > 0; ++i) depth += at(i) == u'{' ? 1 : at(i) == u'}' ? -1 : 0;
      return;
    }
    if (at(i) == u',') ++i;
    bool other = false;
    while (!end(i) && found_ < 0) {
      while (!end(i) && space(at(i))) ++i;
      if (at(i) == u'}') {
        ++i;
        break;
      }
      const std::u16string key = word(i);
      if (key.rfind(u"offset:", 0) == 0) continue;
      other = other || key == u"other";
      if (at(i) != u'{') return;  // not this error
      ++i;
      message(i);
    }
    if (!other && found_ < 0) found_ = start;
  }

  const icu::UnicodeString& p_;
  int32_t found_ = -1;
};

std::string known_arguments_of(std::string_view key) {
  std::string out;
  for (const auto& a : argument_specs()) {
    if (!argument_allowed(key, a.name)) continue;
    if (!out.empty()) out += ", ";
    out += a.name;
  }
  return out;
}

std::string suggestion(std::string_view name, std::string_view key) {
  std::string best;
  std::size_t best_d = 3;
  for (const auto& a : argument_specs()) {
    if (!argument_allowed(key, a.name)) continue;
    const std::size_t d = sdk::edit_distance(name, a.name);
    if (d < best_d) {
      best_d = d;
      best = a.name;
    }
  }
  return best.empty() ? std::string() : " (did you mean {" + best + "}?)";
}

// Checks one template: ICU parses it, every argument is known to its key and used as its kind allows,
// the required ones appear, and ICU formats it with sample arguments.
void check_template(const std::string& language, const std::string& key, const sdk::ConfigNode& node,
                    std::string_view source, sdk::ConfigErrors& errors) {
  const std::string& value = node.scalar();
  const icu::UnicodeString pattern = icu::UnicodeString::fromUTF8(value);
  auto add_at = [&](int32_t u16_index, const std::string& message) {
    const sdk::Mark m = position_in_source(source, node.mark(), value, utf8_offset(pattern, u16_index));
    errors.add(sdk::ConfigError{m, key, message});
  };
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error{};
  icu::MessagePattern mp(pattern, &parse_error, status);
  if (U_FAILURE(status)) {
    if (status == U_UNMATCHED_BRACES) parse_error.offset = unmatched_brace(pattern);
    if (status == U_DEFAULT_KEYWORD_MISSING) parse_error.offset = OtherFinder(pattern).find();
    const char* hint = status == U_UNMATCHED_BRACES ? "this brace is not matched (a literal brace is written '{')"
                       : status == U_DEFAULT_KEYWORD_MISSING ? "a select or plural needs an \"other\" case"
                                                             : "see ICU's MessageFormat syntax";
    add_at(parse_error.offset, std::string("ICU MessageFormat does not parse it: ") + u_errorName(status) + ": " + hint);
    return;
  }
  std::set<std::string> used;
  const int32_t parts = mp.countParts();
  for (int32_t i = 0; i < parts; ++i) {
    const icu::MessagePattern::Part& part = mp.getPart(i);
    if (part.getType() != UMSGPAT_PART_TYPE_ARG_START || i + 1 >= parts) continue;
    const icu::MessagePattern::Part& name_part = mp.getPart(i + 1);
    const UMessagePatternArgType type = part.getArgType();
    if (name_part.getType() == UMSGPAT_PART_TYPE_ARG_NUMBER) {
      add_at(name_part.getIndex(), "numbered arguments are not used; name one of: " + known_arguments_of(key));
      continue;
    }
    const std::string name = utf8(mp.getSubstring(name_part));
    const ArgSpec* spec = find_argument(name);
    if (!spec || !argument_allowed(key, name)) {
      add_at(name_part.getIndex(), "unknown argument {" + name + "}" + suggestion(name, key) +
                                       "; this key gets: " + known_arguments_of(key));
      continue;
    }
    used.insert(name);
    if (spec->kind == ArgKind::text && type != UMSGPAT_ARG_TYPE_NONE && type != UMSGPAT_ARG_TYPE_SELECT) {
      add_at(name_part.getIndex(), "{" + name + "} is text: print it or use it in a select, not as a number");
    } else if (spec->kind == ArgKind::number && type == UMSGPAT_ARG_TYPE_SELECT) {
      add_at(name_part.getIndex(), "{" + name + "} is a number: use plural (or =0/one/other), not select");
    } else if (type == UMSGPAT_ARG_TYPE_SIMPLE && i + 2 < parts &&
               mp.getPart(i + 2).getType() == UMSGPAT_PART_TYPE_ARG_TYPE) {
      const std::string style = utf8(mp.getSubstring(mp.getPart(i + 2)));
      if (style != "number" && style != "spellout" && style != "ordinal")
        add_at(mp.getPart(i + 2).getIndex(),
               "{" + name + ", " + style + "}: a number is formatted with number, spellout or ordinal");
    }
  }
  const KeySpec* k = find_key(key);
  for (const auto& group : k ? k->required : std::vector<std::vector<const char*>>{}) {
    bool found = false;
    std::string names;
    for (const char* g : group) {
      found = found || used.count(g) > 0;
      names += std::string(names.empty() ? "" : " or ") + "{" + g + "}";
    }
    if (!found) add_at(0, "must use " + names + " (docs/drafts.md, \"Keys\")");
  }
  // ICU's formatter is stricter than the pattern parser in a few places (an unknown format type).
  status = U_ZERO_ERROR;
  icu::MessageFormat format(pattern, icu::Locale(language.c_str()), parse_error, status);
  if (U_FAILURE(status))
    add_at(parse_error.offset, std::string("ICU MessageFormat refuses it: ") + u_errorName(status));
}

}  // namespace

bool read_template_file(const std::string& file_name, std::string_view text, LanguageTemplates& out,
                        std::vector<std::string>& error_lines) {
  sdk::ConfigErrors errors;
  const auto doc = ::tandem::detail::parse_yaml_document(text, file_name, errors);
  std::optional<sdk::ConfigNode> root;
  if (doc) {
    sdk::ConfigNode node = ::tandem::detail::to_config_node(*doc, text, file_name, errors);
    if (errors.empty()) {
      if (!node.is_map()) {
        errors.add(node, "expected a map with \"language\" and template keys (docs/drafts.md)");
      } else {
        if (const auto* schema = file_schema()) schema->validate(node, errors);
        else errors.add(node, "internal error: the template schema does not parse");
        root = std::move(node);
      }
    }
  }
  if (root) {
    out = LanguageTemplates{};
    out.file = file_name;
    out.language = root->get_string("language");
    for (const auto& entry : root->entries()) {
      const std::string& key = entry.key.scalar();
      if (key == "language" || !find_key(key) || !entry.value.is_scalar()) continue;
      check_template(out.language, key, entry.value, text, errors);
      out.messages[key] = Template{entry.value.scalar(), out.language, file_name, entry.value.mark().line};
    }
  }
  errors.sort();
  for (const auto& e : errors.all()) error_lines.push_back(e.to_string());
  return errors.empty();
}

}  // namespace detail

namespace {

void merge(std::map<std::string, detail::LanguageTemplates>& languages, detail::LanguageTemplates file) {
  auto it = languages.find(file.language);
  if (it == languages.end()) {
    languages.emplace(file.language, std::move(file));
    return;
  }
  for (auto& [key, t] : file.messages) it->second.messages[key] = std::move(t);
}

std::map<std::string, detail::LanguageTemplates> read_bundled(std::vector<std::string>& errors) {
  std::map<std::string, detail::LanguageTemplates> languages;
  std::size_t count = 0;
  const detail::BundledFile* files = detail::bundled_template_files(count);
  for (std::size_t i = 0; i < count; ++i) {
    detail::LanguageTemplates f;
    if (detail::read_template_file(std::string("config/replies/") + files[i].name,
                                   std::string_view(files[i].text, files[i].size), f, errors))
      merge(languages, std::move(f));
  }
  return languages;
}

}  // namespace

const detail::Template* Templates::Impl::find(const std::string& language, const std::string& key,
                                              bool& fell_back) const {
  fell_back = false;
  if (auto l = languages.find(language); l != languages.end())
    if (auto m = l->second.messages.find(key); m != l->second.messages.end()) return &m->second;
  if (auto l = languages.find("en"); l != languages.end())
    if (auto m = l->second.messages.find(key); m != l->second.messages.end()) {
      fell_back = language != "en";
      return &m->second;
    }
  return nullptr;
}

void Templates::Impl::check_complete() {
  notes.clear();
  for (const auto& [language, l] : languages)
    for (const auto& k : detail::key_specs())
      if (!l.messages.count(k.key))
        notes.push_back(l.file + ": note: " + language + " has no template \"" + k.key + "\": " +
                        (language == "en" ? "replies that need it cannot be drafted" : "the English one is used"));
}

TemplatesError::TemplatesError(std::vector<std::string> errors)
    : std::runtime_error(errors.empty() ? std::string("reply templates: unknown error") : errors.front()),
      errors_(std::move(errors)) {}

const Templates& Templates::bundled() {
  static const Templates templates = [] {
    std::vector<std::string> errors;
    auto impl = std::make_shared<Impl>();
    impl->languages = read_bundled(errors);  // a broken bundled file is left out;
    impl->check_complete();                  // tests/unit/drafts/templates_test.cpp fails on it
    return Templates(std::move(impl));
  }();
  return templates;
}

Templates Templates::from_texts(const std::vector<std::pair<std::string, std::string>>& files, bool with_bundled) {
  std::vector<std::string> errors;
  auto impl = std::make_shared<Impl>();
  if (with_bundled) impl->languages = bundled().impl().languages;
  std::vector<detail::LanguageTemplates> read;
  for (const auto& [name, text] : files) {
    detail::LanguageTemplates f;
    if (detail::read_template_file(name, text, f, errors)) read.push_back(std::move(f));
  }
  if (!errors.empty()) throw TemplatesError(std::move(errors));
  for (auto& f : read) merge(impl->languages, std::move(f));
  impl->check_complete();
  return Templates(std::move(impl));
}

Templates Templates::load(const std::string& directory) {
  std::vector<std::pair<std::string, std::string>> files;
  std::string error;
  if (!util::read_data_folder(directory, "reply templates", files, error)) throw TemplatesError({error});
  return from_texts(files, true);
}

std::vector<std::string> Templates::languages() const {
  std::vector<std::string> out;
  for (const auto& [language, l] : impl_->languages) out.push_back(language);
  return out;
}

const std::vector<std::string>& Templates::notes() const noexcept { return impl_->notes; }

}  // namespace tandem::drafts
