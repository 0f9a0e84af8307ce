// Internal: the reply templates (config/replies/<lang>.yaml) as read and checked, the table of keys and
// the arguments every template gets, and the bundled files.
//
// A template is kept as its MessageFormat text, not as an icu::MessageFormat: ICU formatters create helper
// formatters lazily inside const methods, so one shared object is not safe to use from many threads; a
// draft builds the few it needs (microseconds each).
//
// Thread-safety: everything here is immutable once built; the functions have no shared state.
#ifndef TANDEM_ENGINE_DRAFTS_TEMPLATES_HPP_
#define TANDEM_ENGINE_DRAFTS_TEMPLATES_HPP_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/drafts.hpp"

namespace tandem::drafts::detail {

enum class ArgKind { text, number };

// One argument the templates get: its name, whether it is a number (plural, spellout) or text (select,
// printed), and what it holds (docs/drafts.md is written from the same words).
struct ArgSpec {
  const char* name;
  ArgKind kind;
  const char* meaning;
};
const std::vector<ArgSpec>& argument_specs();
const ArgSpec* find_argument(std::string_view name);

// One key a language file may give, and the arguments it must use: each inner list is "one of these".
struct KeySpec {
  const char* key;
  std::vector<std::vector<const char*>> required;
  const char* meaning;
};
const std::vector<KeySpec>& key_specs();
const KeySpec* find_key(std::string_view key);

struct Template {
  std::string text;      // the MessageFormat pattern, UTF-8
  std::string language;  // the language whose file gave it
  std::string file;      // where it was written, for notes
  int line = 0;
};

struct LanguageTemplates {
  std::string language;
  std::string file;
  std::map<std::string, Template> messages;  // by key
};

// Reads and checks one template file; problems go to `errors` as "file:line:column: error: key: what".
bool read_template_file(const std::string& file_name, std::string_view text, LanguageTemplates& out,
                        std::vector<std::string>& errors);

// The bundled files (generated at build time from config/replies/*.yaml).
struct BundledFile {
  const char* name;
  const char* text;
  std::size_t size;
};
const BundledFile* bundled_template_files(std::size_t& count) noexcept;

}  // namespace tandem::drafts::detail

namespace tandem::drafts {

struct Templates::Impl {
  std::map<std::string, detail::LanguageTemplates> languages;  // merged, by language
  std::vector<std::string> notes;

  // The template for `key` in `language`, else the English one (`fell_back` set), else null.
  const detail::Template* find(const std::string& language, const std::string& key, bool& fell_back) const;
  void check_complete();  // fills `notes` with the keys each language lacks
};

}  // namespace tandem::drafts

#endif  // TANDEM_ENGINE_DRAFTS_TEMPLATES_HPP_
