#include "lexicon.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <utility>

#include "tandem/sdk/config.hpp"
#include "yaml_file.hpp"

namespace tandem::plugins::intent {
namespace {

// A decoded code point and its byte length; invalid UTF-8 decodes as one byte, U+FFFD.
std::pair<char32_t, std::size_t> decode(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return {c, 1};
  const std::size_t n = c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return {0xFFFD, 1};
  char32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  return {cp, n};
}

enum class Class { letter, digit, space, newline, apostrophe, punct };

Class classify(char32_t cp) {
  if (cp < 0x80) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return Class::letter;
    if (cp >= '0' && cp <= '9') return Class::digit;
    if (cp == '\n') return Class::newline;
    if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\f' || cp == '\v') return Class::space;
    if (cp == '\'') return Class::apostrophe;
    return Class::punct;
  }
  if (cp == 0x2019 || cp == 0x2018) return Class::apostrophe;
  if (cp == 0xA0 || cp == 0x202F || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x3000) return Class::space;
  if ((cp >= 0xA1 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2010 && cp <= 0x206F) ||
      (cp >= 0x2190 && cp <= 0x21FF) || cp == 0xFFFD)
    return Class::punct;
  return Class::letter;
}

// Whether `s` starts with a vowel or a mute h (for elisions: "d'une", "l'hôtel").
bool starts_with_vowel(std::string_view s) {
  if (s.empty()) return false;
  const auto c = static_cast<unsigned char>(s[0]);
  if (c < 0x80) return std::string_view("aeiouyhAEIOUYH").find(static_cast<char>(c)) != std::string_view::npos;
  const auto [cp, n] = decode(s, 0);
  (void)n;
  return (cp >= 0xC0 && cp <= 0xC6) || (cp >= 0xC8 && cp <= 0xCF) || (cp >= 0xD2 && cp <= 0xD6) ||
         (cp >= 0xD9 && cp <= 0xDC) || (cp >= 0xE0 && cp <= 0xE6) || (cp >= 0xE8 && cp <= 0xEF) ||
         (cp >= 0xF2 && cp <= 0xF6) || (cp >= 0xF9 && cp <= 0xFC);
}

bool is_upper_start(std::string_view s) {
  if (s.empty()) return false;
  const auto c = static_cast<unsigned char>(s[0]);
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  // Latin-1 and Latin Extended-A capitals (Ä, É, Ñ, Ł, ...): enough for the languages of the data files.
  const auto [cp, n] = decode(s, 0);
  (void)n;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return true;
  if (cp >= 0x100 && cp <= 0x17F) return cp % 2 == 0;
  return false;
}

using common::yaml_where;

enum class Kind { list, weighted, numbers, texts };

const std::vector<std::pair<std::string, Kind>>& schema() {
  static const std::vector<std::pair<std::string, Kind>> s = [] {
    std::vector<std::pair<std::string, Kind>> v;
    for (const char* k : {"greeting", "negation", "clause_break", "reply_prefix", "quote_header"}) v.emplace_back(k, Kind::list);
    for (const char* k : {"cancel", "decline", "reschedule", "accept", "propose", "unavailable", "ask", "info"})
      v.emplace_back(std::string("request.") + k, Kind::list);
    for (const char* k : {"phone_screen", "interview", "onsite", "coffee", "lunch", "call", "video_call", "meeting"})
      v.emplace_back(std::string("event.") + k, Kind::weighted);
    v.emplace_back("event.topic", Kind::list);
    for (const char* k : {"units", "numbers", "fixed"}) v.emplace_back(std::string("duration.") + k, Kind::numbers);
    for (const char* k : {"and_half", "compact_hour", "not_before", "clock_marker"})
      v.emplace_back(std::string("duration.") + k, Kind::list);
    for (const char* k : {"own", "theirs", "vague", "meet", "visit_intro", "city_intro", "place_noun", "site_noun",
                          "street", "video", "cities", "venue_noun", "venue_after"})
      v.emplace_back(std::string("place.") + k, Kind::list);
    v.emplace_back("place.venue_intro", Kind::texts);
    for (const char* k : {"assistant_role", "recruiter_role", "self", "arranges", "optional", "unnamed", "title",
                          "first_person", "reporting", "pronoun"})
      v.emplace_back(std::string("people.") + k, Kind::list);
    for (const char* k : {"loop", "order"}) v.emplace_back(std::string("sessions.") + k, Kind::list);
    for (const char* k : {"intro", "presence", "dated"}) v.emplace_back(std::string("when.") + k, Kind::list);
    return v;
  }();
  return s;
}

std::vector<std::string> keys_under(const std::string& section) {
  std::vector<std::string> out;
  for (const auto& [k, kind] : schema()) {
    (void)kind;
    const auto dot = k.find('.');
    if (section.empty()) {
      std::string top = k.substr(0, dot);
      if (std::find(out.begin(), out.end(), top) == out.end()) out.push_back(top);
    } else if (dot != std::string::npos && k.substr(0, dot) == section) {
      out.push_back(k.substr(dot + 1));
    }
  }
  if (section.empty()) out.push_back("language");
  return out;
}

bool make_phrase(const std::filesystem::path& file, const YAML::Node& node, const std::string& path,
                 const Folder& fold, Phrase& out, std::vector<std::string>& errors) {
  if (!node.IsScalar() || node.Scalar().empty()) {
    errors.push_back(yaml_where(file, node.Mark()) + path + ": expected a phrase (non-empty text)");
    return false;
  }
  out.text = node.Scalar();
  for (const Token& t : tokenize(out.text, fold))
    if (t.kind != Token::Kind::newline) out.tokens.push_back(t.text);
  if (out.tokens.empty() || out.tokens.front() == "*" || out.tokens.back() == "*") {
    errors.push_back(yaml_where(file, node.Mark()) + path + ": \"" + out.text +
                     "\" is no phrase (it must hold a word and may not start or end with \"*\")");
    return false;
  }
  return true;
}

void load_entry(const std::filesystem::path& file, const YAML::Node& node, const std::string& key, Kind kind,
                const Folder& fold, PhraseList& out, std::vector<std::string>& errors) {
  if (kind == Kind::numbers || kind == Kind::texts) {
    if (!node.IsMap()) {
      errors.push_back(yaml_where(file, node.Mark()) + key + ": expected a map of phrase: " +
                       (kind == Kind::numbers ? "number" : "text"));
      return;
    }
    for (const auto& kv : node) {
      Phrase p;
      const std::string path = key + "." + kv.first.as<std::string>("");
      if (!make_phrase(file, kv.first, key, fold, p, errors)) continue;
      if (kind == Kind::numbers) {
        double v = 0;
        if (!kv.second.IsScalar() || !YAML::convert<double>::decode(kv.second, v) || !(v > 0)) {
          errors.push_back(yaml_where(file, kv.second.Mark()) + path + ": expected a positive number, found \"" +
                           (kv.second.IsScalar() ? kv.second.Scalar() : std::string("a collection")) + "\"");
          continue;
        }
        p.weight = v;
      } else {
        if (!kv.second.IsScalar()) {
          errors.push_back(yaml_where(file, kv.second.Mark()) + path + ": expected text (\"\" for none)");
          continue;
        }
        p.value = kv.second.Scalar();
      }
      out.push_back(std::move(p));
    }
    return;
  }
  if (!node.IsSequence()) {
    errors.push_back(yaml_where(file, node.Mark()) + key + ": expected a list of phrases");
    return;
  }
  std::size_t i = 0;
  for (const auto& item : node) {
    const std::string path = key + "[" + std::to_string(i++) + "]";
    Phrase p;
    if (kind == Kind::weighted && item.IsMap()) {
      if (item.size() != 1) {
        errors.push_back(yaml_where(file, item.Mark()) + path + ": expected a phrase or {phrase: weight}");
        continue;
      }
      const auto kv = *item.begin();
      if (!make_phrase(file, kv.first, path, fold, p, errors)) continue;
      double v = 0;
      if (!kv.second.IsScalar() || !YAML::convert<double>::decode(kv.second, v) || !(v > 0) || v > 10) {
        errors.push_back(yaml_where(file, kv.second.Mark()) + path + ": expected a weight in (0, 10]");
        continue;
      }
      p.weight = v;
    } else if (!make_phrase(file, item, path, fold, p, errors)) {
      continue;
    }
    out.push_back(std::move(p));
  }
}

}  // namespace

std::vector<Token> tokenize(std::string_view text, const Folder& fold) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto [cp, n] = decode(text, i);
    const Class c = classify(cp);
    if (c == Class::space) {
      i += n;
      continue;
    }
    Token t;
    t.begin = i;
    if (c == Class::newline) {
      t.kind = Token::Kind::newline;
      t.text = "\n";
      i += n;
    } else if (c == Class::letter) {
      std::size_t j = i;
      std::string raw;
      while (j < text.size()) {
        auto [cp2, n2] = decode(text, j);
        const Class c2 = classify(cp2);
        if (c2 == Class::letter) {
          raw.append(text.substr(j, n2));
          j += n2;
          continue;
        }
        if (c2 == Class::apostrophe && j + n2 < text.size()) {
          auto [cp3, n3] = decode(text, j + n2);
          (void)n3;
          if (classify(cp3) == Class::letter) {
            // An elided article or pronoun before a vowel is a word of its own ("d'une", "l'atelier",
            // "qu'il"); other inner apostrophes stay inside the word ("won't", "I'm", "o'clock").
            const bool elision = raw.size() <= 3 && starts_with_vowel(text.substr(j + n2));
            raw.push_back('\'');
            j += n2;
            if (elision) break;
            continue;
          }
        }
        if (c2 == Class::apostrophe && j + n2 == text.size() && raw.size() <= 3) {  // "n'" written alone
          raw.push_back('\'');
          j += n2;
        }
        break;
      }
      t.kind = Token::Kind::word;
      t.capital = is_upper_start(raw);
      std::string folded = fold ? fold(raw) : raw;
      t.text = folded.empty() ? raw : std::move(folded);
      i = j;
    } else if (c == Class::digit) {
      std::size_t j = i;
      while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
      double v = 0;
      for (std::size_t k = i; k < j; ++k) v = v * 10 + (text[k] - '0');
      if (j + 1 < text.size() && (text[j] == ',' || text[j] == '.') && text[j + 1] >= '0' && text[j + 1] <= '9') {
        std::size_t k = j + 1;
        double scale = 0.1;
        while (k < text.size() && text[k] >= '0' && text[k] <= '9') {
          v += (text[k] - '0') * scale;
          scale /= 10;
          ++k;
        }
        t.decimal = true;
        j = k;
      }
      t.kind = Token::Kind::number;
      t.number = v;
      t.text.assign(text.substr(i, j - i));
      i = j;
    } else {
      t.kind = Token::Kind::punct;
      t.text = c == Class::apostrophe ? std::string("'") : std::string(text.substr(i, n));
      i += n;
    }
    t.end = i;
    out.push_back(std::move(t));
  }
  return out;
}

const PhraseList& Language::list(std::string_view key) const {
  static const PhraseList kEmpty;
  const auto it = lists.find(key);
  return it == lists.end() ? kEmpty : it->second;
}

std::vector<std::string> language_keys() {
  std::vector<std::string> out;
  for (const auto& [k, kind] : schema()) out.push_back(k);
  return out;
}

bool load_language(const std::filesystem::path& file, const Folder& fold, Language& out,
                   std::vector<std::string>& errors) {
  const std::size_t before = errors.size();
  YAML::Node root;
  if (!common::load_yaml_file(file, "the language file", root, errors)) return false;
  out.file = file;
  out.code = file.stem().string();
  if (!root.IsMap()) {
    errors.push_back(yaml_where(file, root.Mark()) + "expected a map with \"language\", \"request\", \"event\", ...");
    return false;
  }
  const std::vector<std::string> top = keys_under("");
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>("");
    if (std::find(top.begin(), top.end(), key) == top.end()) {
      errors.push_back(yaml_where(file, kv.first.Mark()) + key + ": unknown key" + sdk::did_you_mean(key, top));
      continue;
    }
    if (key == "language") {
      if (!kv.second.IsScalar() || kv.second.Scalar() != out.code)
        errors.push_back(yaml_where(file, kv.second.Mark()) + "language: expected \"" + out.code +
                         "\" (the file's name), found \"" + (kv.second.IsScalar() ? kv.second.Scalar() : "") + "\"");
      continue;
    }
    const auto flat = std::find_if(schema().begin(), schema().end(), [&](const auto& e) { return e.first == key; });
    if (flat != schema().end()) {
      load_entry(file, kv.second, key, flat->second, fold, out.lists[key], errors);
      continue;
    }
    if (!kv.second.IsMap()) {
      errors.push_back(yaml_where(file, kv.second.Mark()) + key + ": expected a map of lists");
      continue;
    }
    const std::vector<std::string> sub = keys_under(key);
    for (const auto& kv2 : kv.second) {
      const std::string name = kv2.first.as<std::string>("");
      if (std::find(sub.begin(), sub.end(), name) == sub.end()) {
        errors.push_back(yaml_where(file, kv2.first.Mark()) + key + "." + name + ": unknown key" +
                         sdk::did_you_mean(name, sub));
        continue;
      }
      const std::string full = key + "." + name;
      const auto entry = std::find_if(schema().begin(), schema().end(), [&](const auto& e) { return e.first == full; });
      load_entry(file, kv2.second, full, entry->second, fold, out.lists[full], errors);
    }
  }
  if (!root["language"])
    errors.push_back(yaml_where(file, root.Mark()) + "language: required (the file's language, \"" + out.code + "\")");
  return errors.size() == before;
}

namespace {

bool gap_token(const Token& t) { return t.kind == Token::Kind::word || t.kind == Token::Kind::number; }

bool match_from(const std::vector<Token>& tokens, std::size_t i, const std::vector<std::string>& p, std::size_t k,
                std::size_t& end) {
  if (k == p.size()) {
    end = i;
    return true;
  }
  if (p[k] == "*") {
    for (std::size_t skip = 0; skip <= 3; ++skip) {
      if (skip > 0 && (i + skip - 1 >= tokens.size() || !gap_token(tokens[i + skip - 1]))) break;
      if (match_from(tokens, i + skip, p, k + 1, end)) return true;
    }
    return false;
  }
  if (i >= tokens.size() || tokens[i].text != p[k]) return false;
  return match_from(tokens, i + 1, p, k + 1, end);
}

}  // namespace

bool match_at(const std::vector<Token>& tokens, std::size_t i, const Phrase& phrase, std::size_t& end) {
  return match_from(tokens, i, phrase.tokens, 0, end);
}

std::vector<Hit> find_all(const std::vector<Token>& tokens, const PhraseList& list, std::size_t from, std::size_t to) {
  to = std::min(to, tokens.size());
  std::vector<Hit> hits;
  for (std::size_t i = from; i < to; ++i) {
    Hit best;
    for (const Phrase& p : list) {
      std::size_t end = 0;
      if (match_at(tokens, i, p, end) && end <= to && end - i > best.end - best.begin) best = Hit{i, end, &p};
    }
    if (best.phrase != nullptr) hits.push_back(best);
  }
  // Drop matches inside a longer one ("call" inside "video call").
  std::vector<Hit> kept;
  for (const Hit& h : hits) {
    bool inside = false;
    for (const Hit& o : hits)
      if (&o != &h && o.begin <= h.begin && h.end <= o.end && (o.end - o.begin) > (h.end - h.begin)) inside = true;
    if (!inside) kept.push_back(h);
  }
  return kept;
}

}  // namespace tandem::plugins::intent
