#include "pipeline/yaml_reader.hpp"

#include <istream>
#include <streambuf>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tandem/pipeline.hpp"

namespace tandem::detail {

std::string child_path(std::string_view parent, std::string_view key) {
  std::string p;
  p.reserve(parent.size() + key.size() + 1);
  p.append(parent);
  if (!parent.empty()) p.push_back('.');
  p.append(key);
  return p;
}

std::string item_path(std::string_view parent, std::size_t index) {
  std::string p;
  p.reserve(parent.size() + 6);
  p.append(parent).append("[").append(std::to_string(index)).append("]");
  return p;
}

namespace {

// The path an error names: the root's own full path in front of a path relative to it.
std::string joined(std::string_view base, std::string_view rel) {
  if (base.empty()) return std::string(rel);
  if (rel.empty()) return std::string(base);
  std::string p(base);
  if (rel.front() != '[') p.push_back('.');
  p.append(rel);
  return p;
}

constexpr std::string_view kCoreTag = "tag:yaml.org,2002:";

// Where one line of `text` starts and ends (0-based line number), or npos when past the end.
std::pair<std::size_t, std::size_t> line_span(std::string_view text, int line) {
  std::size_t begin = 0;
  for (int l = 0; l < line; ++l) {
    begin = text.find('\n', begin);
    if (begin == std::string_view::npos) return {std::string_view::npos, std::string_view::npos};
    ++begin;
  }
  std::size_t end = text.find('\n', begin);
  if (end == std::string_view::npos) end = text.size();
  return {begin, end};
}

// The 0-based column of a tab in the indentation of `line`, or -1.
int tab_in_indentation(std::string_view text, int line) {
  if (line < 0) return -1;
  const auto [begin, end] = line_span(text, line);
  if (begin == std::string_view::npos) return -1;
  for (std::size_t i = begin; i < end; ++i) {
    const char c = text[i];
    if (c == '\t') return static_cast<int>(i - begin);
    if (c != ' ' && c != '-' && c != '?' && c != ':') return -1;  // indentation (and entry indicators) end
  }
  return -1;
}

// Lets yaml-cpp read the caller's text where it is (YAML::LoadAll(std::string) copies it twice).
class MemoryBuffer : public std::streambuf {
 public:
  explicit MemoryBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());  // only ever read: no put area is set
    setg(begin, begin, begin + text.size());
  }
};

class Converter {
 public:
  Converter(std::string_view text, const std::string& file, sdk::ConfigErrors& errors, Reroot reroot)
      : text_(text), file_(file), errors_(errors), reroot_(reroot) {}

  // `base`: the full path of the current root (for errors); `fallback`: the mark to use when the node
  // is a null written as nothing (yaml-cpp's own mark then points at the next token).
  sdk::ConfigNode convert(const YAML::Node& n, std::string path, const std::string& base, bool rerooted,
                          const sdk::Mark* fallback) {
    sdk::Mark mark = mark_of(n.Mark());
    switch (n.Type()) {
      case YAML::NodeType::Map: {
        check_tag(n, mark, path, base);
        sdk::ConfigNode out(sdk::ConfigNode::Type::map, std::move(mark), path);
        read_map(n, out, base, rerooted);
        return out;
      }
      case YAML::NodeType::Sequence: {
        check_tag(n, mark, path, base);
        sdk::ConfigNode out(sdk::ConfigNode::Type::sequence, std::move(mark), path);
        std::size_t i = 0;
        for (const auto& item : n) {
          const sdk::Mark* item_fallback = nullptr;
          sdk::Mark dash;
          if (item.IsNull() && !is_explicit_null(item)) {
            dash = dash_before(item.Mark());
            if (dash.known()) item_fallback = &dash;
          }
          out.push_back(convert(item, item_path(path, i), base, rerooted, item_fallback));
          ++i;
        }
        return out;
      }
      case YAML::NodeType::Scalar: {
        bool quoted = false;
        const std::string& tag = n.Tag();
        if (tag == "?" || tag.empty()) {
          quoted = false;
        } else if (tag == "!") {
          quoted = true;  // "…", '…', | and > scalars
        } else if (tag.compare(0, kCoreTag.size(), kCoreTag) == 0) {
          quoted = tag.compare(kCoreTag.size(), std::string::npos, "str") == 0;
        } else {
          unsupported_tag(tag, mark, path, base);
          quoted = true;
        }
        return sdk::ConfigNode::make_scalar(n.Scalar(), quoted, std::move(mark), std::move(path));
      }
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
      default:
        if (fallback != nullptr && !is_explicit_null(n)) mark = *fallback;
        return sdk::ConfigNode(sdk::ConfigNode::Type::null, std::move(mark), std::move(path));
    }
  }

 private:
  sdk::Mark mark_of(const YAML::Mark& m) const {
    if (m.is_null() || m.line < 0) return sdk::Mark{file_, 0, 0};
    return sdk::Mark{file_, m.line + 1, m.column + 1};
  }

  void add(const sdk::Mark& mark, std::string_view base, std::string_view rel, std::string message) {
    errors_.add(sdk::ConfigError{mark, joined(base, rel), std::move(message)});
  }

  void unsupported_tag(const std::string& tag, const sdk::Mark& mark, std::string_view path, std::string_view base) {
    add(mark, base, path,
        "unsupported YAML tag \"" + tag + "\" (write plain strings, numbers, booleans, lists and maps)");
  }

  void check_tag(const YAML::Node& n, const sdk::Mark& mark, std::string_view path, std::string_view base) {
    const std::string& tag = n.Tag();
    if (tag.empty() || tag == "?" || tag == "!" || tag.compare(0, kCoreTag.size(), kCoreTag) == 0) return;
    unsupported_tag(tag, mark, path, base);
  }

  // `~`, `null` or `!!null` as written, as opposed to a value left out (`key:` or `-` alone).
  bool is_explicit_null(const YAML::Node& n) const {
    const YAML::Mark m = n.Mark();
    if (m.is_null() || m.pos < 0 || static_cast<std::size_t>(m.pos) >= text_.size()) return false;
    const std::string_view at = text_.substr(static_cast<std::size_t>(m.pos));
    if (at.front() == '~' || at.front() == '!') return true;
    for (std::string_view word : {"null", "Null", "NULL"}) {
      if (at.substr(0, word.size()) == word) {
        if (at.size() == word.size()) return true;
        const char next = at[word.size()];
        if (next == ' ' || next == '\t' || next == '\n' || next == '\r' || next == ',' || next == ']' ||
            next == '}' || next == '#')
          return true;
      }
    }
    return false;
  }

  // The `-` a sequence item left empty belongs to: the last non-blank character before yaml-cpp's mark.
  sdk::Mark dash_before(const YAML::Mark& m) const {
    if (m.is_null() || m.pos <= 0 || static_cast<std::size_t>(m.pos) > text_.size()) return {};
    std::size_t i = static_cast<std::size_t>(m.pos);
    int line = m.line;
    while (i > 0) {
      const char c = text_[i - 1];
      if (c == '\n') {
        --line;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        break;
      }
      --i;
    }
    if (i == 0 || text_[i - 1] != '-') return {};
    const std::size_t dash = i - 1;
    const std::size_t line_start = text_.rfind('\n', dash);
    const std::size_t column = line_start == std::string_view::npos ? dash : dash - line_start - 1;
    return sdk::Mark{file_, line + 1, static_cast<int>(column) + 1};
  }

  void read_map(const YAML::Node& n, sdk::ConfigNode& out, const std::string& base, bool rerooted) {
    // Duplicate keys: a linear scan is fastest for the small maps configs are made of; big maps switch
    // to a hash index.
    constexpr std::size_t kLinearLimit = 24;
    std::unordered_map<std::string, int> index;  // key -> line of its first occurrence
    const std::string& path = out.path();
    for (const auto& kv : n) {
      const YAML::Node& key = kv.first;
      sdk::Mark key_mark = mark_of(key.Mark());
      if (!key.IsScalar()) {
        add(key_mark, base, path,
            std::string("a key must be a plain word or text, got ") +
                (key.IsMap() ? "a map" : key.IsSequence() ? "a list" : "null"));
        continue;
      }
      const std::string& text = key.Scalar();
      int first_line = -1;
      const auto& entries = out.entries();
      if (entries.size() < kLinearLimit) {
        for (const auto& e : entries)
          if (e.key.scalar() == text) { first_line = e.key.mark().line; break; }
      } else {
        if (index.empty())
          for (const auto& e : entries) index.emplace(e.key.scalar(), e.key.mark().line);
        auto it = index.find(text);
        if (it != index.end()) first_line = it->second;
      }
      if (first_line >= 0) {
        add(key_mark, base, child_path(path, text),
            "duplicate key \"" + text + "\" (first on line " + std::to_string(first_line) + ")");
        continue;
      }
      if (!index.empty()) index.emplace(text, key_mark.line);

      std::string value_path = child_path(path, text);
      const YAML::Node& value = kv.second;
      const sdk::Mark* fallback = &key_mark;
      bool quoted_key = key.Tag() == "!";
      sdk::ConfigNode key_node = sdk::ConfigNode::make_scalar(text, quoted_key, key_mark, value_path);
      if (!rerooted && reroot_ != nullptr) {
        const bool restart = base.empty() ? reroot_(value_path) : reroot_(joined(base, value_path));
        if (restart) {
          out.insert(std::move(key_node), convert(value, std::string(), joined(base, value_path), true, fallback));
          continue;
        }
      }
      out.insert(std::move(key_node), convert(value, std::move(value_path), base, rerooted, fallback));
    }
  }

  std::string_view text_;
  const std::string& file_;
  sdk::ConfigErrors& errors_;
  Reroot reroot_;
};

}  // namespace

std::optional<YAML::Node> parse_yaml_document(std::string_view text, const std::string& file_name,
                                              sdk::ConfigErrors& errors) {
  std::vector<YAML::Node> docs;
  try {
    MemoryBuffer buffer(text);
    std::istream in(&buffer);
    docs = YAML::LoadAll(in);
  } catch (const YAML::Exception& e) {
    int line = e.mark.is_null() ? -1 : e.mark.line;
    int column = e.mark.is_null() ? -1 : e.mark.column;
    std::string what = e.msg;
    // yaml-cpp reports a tab in the indentation as some later structural error; say what it is.
    for (int l : {line, line - 1}) {
      const int tab = tab_in_indentation(text, l);
      if (tab >= 0) {
        line = l;
        column = tab;
        what = "a tab character in the indentation (YAML indents with spaces only)";
        break;
      }
    }
    const sdk::Mark mark = line < 0 ? sdk::Mark{file_name, 0, 0} : sdk::Mark{file_name, line + 1, column + 1};
    errors.add(sdk::ConfigError{mark, std::string(), "YAML syntax: " + what});
    return std::nullopt;
  }
  if (docs.empty()) return YAML::Node(YAML::NodeType::Null);
  for (std::size_t i = 1; i < docs.size(); ++i) {
    if (docs[i].IsNull()) continue;  // a trailing `---` or `...`
    const YAML::Mark m = docs[i].Mark();
    const sdk::Mark mark = m.is_null() ? sdk::Mark{file_name, 0, 0} : sdk::Mark{file_name, m.line + 1, m.column + 1};
    errors.add(sdk::ConfigError{mark, std::string(),
                                "YAML syntax: a second document starts here (check the indentation of this "
                                "line; a config file holds one document)"});
    return std::nullopt;
  }
  return std::move(docs.front());
}

sdk::ConfigNode to_config_node(const YAML::Node& node, std::string_view text, const std::string& file_name,
                               sdk::ConfigErrors& errors, Reroot reroot) {
  Converter c(text, file_name, errors, reroot);
  return c.convert(node, std::string(), errors.prefix(), false, nullptr);
}

}  // namespace tandem::detail

namespace tandem {

sdk::ConfigNode parse_config_yaml(std::string_view yaml, const std::string& file_name, sdk::ConfigErrors& errors) {
  auto doc = detail::parse_yaml_document(yaml, file_name, errors);
  if (!doc) return sdk::ConfigNode();
  // A config file with nothing in it (or only comments) means "no settings": an empty map, so that the
  // schema reports missing keys rather than a null root.
  if (doc->IsNull() && doc->Mark().is_null())
    return sdk::ConfigNode(sdk::ConfigNode::Type::map, sdk::Mark{file_name, 1, 1}, std::string());
  return detail::to_config_node(*doc, yaml, file_name, errors);
}

}  // namespace tandem
