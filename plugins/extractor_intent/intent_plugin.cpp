#include "intent_plugin.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "library_dir.hpp"
#include "line_files.hpp"

namespace tandem::plugins::intent {
namespace {

constexpr const char* kSchema = R"({
  "type": "object",
  "description": "Reads what the newest message asks (request, event type, duration, location, participants, optional attendees, interview sessions) from per-language cue files.",
  "properties": {
    "data_dir": {
      "type": "string",
      "minLength": 1,
      "description": "Folder of the language files (<lang>.yaml); relative to the config file. Default: the folder intent next to the plugin library."
    },
    "extra_data_dir": {
      "type": "string",
      "minLength": 1,
      "description": "A folder of more language files (<lang>.yaml), relative to the config file: a language there replaces the one of data_dir or adds a new one."
    },
    "languages": {
      "type": "array",
      "items": {"type": "string", "pattern": "^[a-z]{2,3}$"},
      "minItems": 1,
      "description": "Only these languages (ISO 639 codes of the data files). Default: every file found."
    },
    "default_language": {
      "type": "string",
      "pattern": "^[a-z]{2,3}$",
      "default": "en",
      "description": "The language file used when neither the message's language nor the sender's locale has one."
    },
    "assistant": {
      "type": "array",
      "items": {"type": "string", "pattern": "^[^@\\s]+@[^@\\s]+$"},
      "description": "More of the assistant's own addresses, never counted as an attendee (the mail stage already marks the pipeline's mail.assistant on each message)."
    },
    "people": {
      "type": "string",
      "minLength": 1,
      "description": "The people directory (mail.people's format), relative to the config file: names in the text become addresses, roles tell arrangers, zones name cities. Default: none (only From, To, Cc and quoted headers are known)."
    }
  },
  "additionalProperties": false
})";

// The folder of this library: where the build and the install put intent/.
std::filesystem::path library_dir() {
  return common::library_dir_of(reinterpret_cast<const void*>(&library_dir));
}

using common::config_path;

std::string language_of(std::string_view locale) {
  std::string lang(locale.substr(0, locale.find_first_of("_-@.")));
  for (char& c : lang)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lang;
}

}  // namespace

IntentExtractor::IntentExtractor(const sdk::PluginContext& ctx) : services_(ctx.services()) {
  const sdk::ConfigNode& config = ctx.config();
  default_language_ = config.get_string("default_language", "en");
  if (const sdk::ConfigNode* a = config.find("assistant"))
    for (const auto& item : a->items()) {
      std::string s = item.scalar();
      for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      options_.assistant.push_back(std::move(s));
    }
  sdk::Services& services = services_;
  const Folder fold = [&services](std::string_view s) { return services.locale().fold_case(s); };

  std::vector<std::string> wanted;
  if (const sdk::ConfigNode* langs = config.find("languages"))
    for (const auto& item : langs->items()) wanted.push_back(item.scalar());

  // The folders, in order: a language of a later folder replaces an earlier one's.
  std::vector<std::pair<std::filesystem::path, const sdk::ConfigNode*>> dirs;
  const sdk::ConfigNode* dir_node = config.find("data_dir");
  dirs.emplace_back(dir_node != nullptr ? config_path(*dir_node) : library_dir() / "intent",
                    dir_node != nullptr ? dir_node : &config);
  if (const sdk::ConfigNode* extra = config.find("extra_data_dir")) dirs.emplace_back(config_path(*extra), extra);

  std::vector<std::string> available;
  for (const auto& [dir, node] : dirs) {
    const std::string key = node == &config ? "data_dir" : node->path();
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      ctx.errors().add(*node, key + ": expected a folder of language files, found no folder \"" + dir.string() + "\"");
      continue;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
      if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::vector<std::string> messages;
    for (const auto& file : files) {
      const std::string code = file.stem().string();
      available.push_back(code);
      if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), code) == wanted.end()) continue;
      Language lang;
      if (load_language(file, fold, lang, messages)) languages_[code] = std::move(lang);
    }
    for (const auto& m : messages) ctx.errors().add(*node, key + ": " + m);
  }
  if (const sdk::ConfigNode* langs = config.find("languages"))
    for (const auto& item : langs->items())
      if (std::find(available.begin(), available.end(), item.scalar()) == available.end())
        ctx.errors().add(item, "no language file \"" + item.scalar() + ".yaml\"" + sdk::did_you_mean(item.scalar(), available));
  if (languages_.empty() && ctx.errors().empty())
    ctx.errors().add(dir_node != nullptr ? *dir_node : config, "data_dir: expected language files (<lang>.yaml), found none");

  if (const sdk::ConfigNode* people = config.find("people")) {
    std::vector<std::string> messages;
    load_directory(config_path(*people), directory_, messages);
    for (const auto& m : messages) ctx.errors().add(*people, "people: " + m);
  }
  // Weekday and month names are never a place's name ("am Donnerstag"): from ICU, per language.
  for (const auto& [code, lang] : languages_) {
    (void)lang;
    // A reply may name days in another language than its own: every language's weekdays, once.
    if (auto r = services_.locale().weekday_names(code, sdk::NameWidth::wide); r.is_ok())
      for (const auto& n : r.value()) options_.weekday_words.push_back(fold(n));
    std::vector<std::string>& words = calendar_words_[code];
    for (auto width : {sdk::NameWidth::wide, sdk::NameWidth::abbreviated}) {
      if (auto r = services_.locale().weekday_names(code, width); r.is_ok())
        for (const auto& n : r.value()) words.push_back(fold(n));
      if (auto r = services_.locale().month_names(code, width); r.is_ok())
        for (const auto& n : r.value()) words.push_back(fold(n));
    }
  }
}

std::vector<std::string> IntentExtractor::languages() const {
  std::vector<std::string> out;
  for (const auto& [code, lang] : languages_) out.push_back(code);
  return out;
}

const Language* IntentExtractor::language_for(const sdk::Message& msg) const {
  for (const std::string& code : {language_of(msg.language), language_of(msg.sender_locale), default_language_}) {
    const auto it = languages_.find(code);
    if (it != languages_.end()) return &it->second;
  }
  return nullptr;
}

sdk::Status IntentExtractor::on_extract(const sdk::Message& msg, std::vector<sdk::Annotation>& out) {
  const Language* lang = language_for(msg);
  if (lang == nullptr) return sdk::Status::ok();  // no data for this language: nothing to say
  sdk::Services& services = services_;
  const Folder fold = [&services](std::string_view s) { return services.locale().fold_case(s); };
  Options options = options_;
  if (const auto it = calendar_words_.find(lang->code); it != calendar_words_.end()) options.calendar_words = it->second;
  std::vector<const Language*> all;
  for (const auto& [code, l] : languages_) all.push_back(&l);
  for (VariableOut& v : analyze(msg, *lang, all, directory_, options, fold)) {
    if (v.distribution.empty()) continue;
    sdk::Annotation& a = out.emplace_back();
    a.variable.name = std::move(v.name);
    a.variable.distribution = std::move(v.distribution);
    a.span = v.span.fits(msg.text) ? v.span : sdk::Span{};
    a.note = std::move(v.note);
  }
  return sdk::Status::ok();
}

}  // namespace tandem::plugins::intent

TANDEM_PLUGIN(tandem::plugins::intent::IntentExtractor, .name = "tandem.extractor.intent", .version = "0.1.0",
              .status = "alpha",
              .summary = "What the newest message asks: request, event type, duration, location, participants, sessions",
              .config_schema = tandem::plugins::intent::kSchema, .thread_safe = true);
