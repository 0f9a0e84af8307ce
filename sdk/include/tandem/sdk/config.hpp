// tandem SDK — a plugin's configuration as it was written, with where each value was written.
//
// The engine parses the pipeline YAML, checks each instance's `config:` node against the schema in the
// plugin's descriptor (types, ranges, enums, required and unknown keys) and hands the plugin a
// ConfigNode: a plain tree of maps, sequences and scalars in which every node knows its file, line,
// column and key path. A plugin reports what its schema cannot say with ConfigErrors::add(node, ...),
// which yields the same "file:line:column: error: path: message" lines as the engine's own checks.
//
// Lines and columns count from 1; 0 means "not from a file" (a default filled in by the engine).
// Thread-safety: immutable once built; share const freely.
#ifndef TANDEM_SDK_CONFIG_HPP_
#define TANDEM_SDK_CONFIG_HPP_

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tandem::sdk {

struct Mark {
  std::string file;
  int line = 0;
  int column = 0;
  bool known() const noexcept { return line > 0; }
};

class ConfigNode {
 public:
  enum class Type { null, scalar, sequence, map };

  ConfigNode() = default;
  ConfigNode(Type type, Mark mark, std::string path);  // defined below Entry, as size() is

  Type type() const noexcept { return type_; }
  bool is_null() const noexcept { return type_ == Type::null; }
  bool is_scalar() const noexcept { return type_ == Type::scalar; }
  bool is_sequence() const noexcept { return type_ == Type::sequence; }
  bool is_map() const noexcept { return type_ == Type::map; }
  const Mark& mark() const noexcept { return mark_; }
  // The key path from the instance's config root: "locales[2]", "cues.schedule", "" for the root.
  const std::string& path() const noexcept { return path_; }

  // Scalars: the text as written; `quoted` when it was written in quotes (then it is a string, never
  // a number or a boolean).
  const std::string& scalar() const noexcept { return scalar_; }
  bool quoted() const noexcept { return quoted_; }

  std::optional<std::string> as_string() const {
    if (!is_scalar()) return std::nullopt;
    return scalar_;
  }
  std::optional<bool> as_bool() const {
    if (!is_scalar() || quoted_) return std::nullopt;
    if (scalar_ == "true" || scalar_ == "True" || scalar_ == "TRUE") return true;
    if (scalar_ == "false" || scalar_ == "False" || scalar_ == "FALSE") return false;
    return std::nullopt;
  }
  std::optional<std::int64_t> as_int() const {
    if (!is_scalar() || quoted_ || scalar_.empty()) return std::nullopt;
    std::int64_t v = 0;
    const char* b = scalar_.data();
    const char* e = b + scalar_.size();
    if (*b == '+') ++b;
    auto [p, ec] = std::from_chars(b, e, v);
    if (ec != std::errc() || p != e) return std::nullopt;
    return v;
  }
  std::optional<double> as_double() const {
    if (!is_scalar() || quoted_ || scalar_.empty()) return std::nullopt;
    double v = 0;
    const char* b = scalar_.data();
    const char* e = b + scalar_.size();
    if (*b == '+') ++b;
    auto [p, ec] = std::from_chars(b, e, v);
    if (ec != std::errc() || p != e) return std::nullopt;
    return v;
  }

  // Sequences.
  // Defined below Entry, as are the constructor and the builders: clang instantiates the (constexpr)
  // members of vector<Entry> where they are used, and Entry is not complete inside the class.
  std::size_t size() const noexcept;
  const std::vector<ConfigNode>& items() const noexcept { return items_; }

  // Maps: keys in file order.
  struct Entry;
  const std::vector<Entry>& entries() const noexcept { return entries_; }
  bool has(std::string_view key) const noexcept { return find(key) != nullptr; }
  const ConfigNode* find(std::string_view key) const noexcept;
  // The value at `key`, or a null node (whose path still names the key) when it is absent.
  const ConfigNode& operator[](std::string_view key) const noexcept;

  // Convenience for optional keys: the value, or `fallback` when absent or of another type.
  std::string get_string(std::string_view key, std::string fallback = {}) const {
    const ConfigNode* n = find(key);
    auto v = n ? n->as_string() : std::nullopt;
    return v ? *v : std::move(fallback);
  }
  double get_double(std::string_view key, double fallback) const {
    const ConfigNode* n = find(key);
    auto v = n ? n->as_double() : std::nullopt;
    return v ? *v : fallback;
  }
  std::int64_t get_int(std::string_view key, std::int64_t fallback) const {
    const ConfigNode* n = find(key);
    auto v = n ? n->as_int() : std::nullopt;
    return v ? *v : fallback;
  }
  bool get_bool(std::string_view key, bool fallback) const {
    const ConfigNode* n = find(key);
    auto v = n ? n->as_bool() : std::nullopt;
    return v ? *v : fallback;
  }

  // Builders, for the engine's YAML reader and for tests.
  static ConfigNode make_scalar(std::string text, bool quoted, Mark mark, std::string path);
  void push_back(ConfigNode item);
  void insert(ConfigNode key, ConfigNode value);

 private:
  Type type_ = Type::null;
  Mark mark_;
  std::string path_;
  std::string scalar_;
  bool quoted_ = false;
  std::vector<ConfigNode> items_;
  std::vector<Entry> entries_;
};

struct ConfigNode::Entry {
  ConfigNode key;    // a scalar; its mark is where the key was written
  ConfigNode value;
};

inline ConfigNode::ConfigNode(Type type, Mark mark, std::string path)
    : type_(type), mark_(std::move(mark)), path_(std::move(path)) {}

inline ConfigNode ConfigNode::make_scalar(std::string text, bool quoted, Mark mark, std::string path) {
  ConfigNode n(Type::scalar, std::move(mark), std::move(path));
  n.scalar_ = std::move(text);
  n.quoted_ = quoted;
  return n;
}

inline void ConfigNode::push_back(ConfigNode item) { items_.push_back(std::move(item)); }

inline std::size_t ConfigNode::size() const noexcept { return is_map() ? entries_.size() : items_.size(); }

inline const ConfigNode* ConfigNode::find(std::string_view key) const noexcept {
  for (const auto& e : entries_)
    if (e.key.scalar_ == key) return &e.value;
  return nullptr;
}

inline const ConfigNode& ConfigNode::operator[](std::string_view key) const noexcept {
  if (const ConfigNode* n = find(key)) return *n;
  static const ConfigNode kAbsent;
  return kAbsent;
}

inline void ConfigNode::insert(ConfigNode key, ConfigNode value) {
  entries_.push_back(Entry{std::move(key), std::move(value)});
}

// One diagnosis about a config file.
struct ConfigError {
  Mark mark;
  std::string path;     // key path; "" for the file as a whole
  std::string message;  // what was expected, what was found, and a suggestion if there is one

  // "file:line:column: error: path: message" ("file: error: ..." without a position).
  std::string to_string() const {
    std::string s = mark.file.empty() ? std::string("<config>") : mark.file;
    if (mark.known()) s += ":" + std::to_string(mark.line) + ":" + std::to_string(mark.column);
    s += ": error: ";
    if (!path.empty()) s += path + ": ";
    s += message;
    return s;
  }
};

// Collects every problem of a file before anything fails; the engine prints them sorted by position.
class ConfigErrors {
 public:
  // `path_prefix` is put in front of node paths ("stages.extract[0].config").
  explicit ConfigErrors(std::string path_prefix = {}) : prefix_(std::move(path_prefix)) {}

  void add(const ConfigNode& at, std::string message) {
    std::string path = at.path();
    if (!prefix_.empty()) path = path.empty() ? prefix_ : (path.front() == '[' ? prefix_ + path : prefix_ + "." + path);
    errors_.push_back({at.mark(), std::move(path), std::move(message)});
  }
  void add(ConfigError e) { errors_.push_back(std::move(e)); }

  bool empty() const noexcept { return errors_.empty(); }
  std::size_t size() const noexcept { return errors_.size(); }
  const std::vector<ConfigError>& all() const noexcept { return errors_; }
  const std::string& prefix() const noexcept { return prefix_; }

  void sort() {
    std::stable_sort(errors_.begin(), errors_.end(), [](const ConfigError& a, const ConfigError& b) {
      if (a.mark.file != b.mark.file) return a.mark.file < b.mark.file;
      if (a.mark.line != b.mark.line) return a.mark.line < b.mark.line;
      return a.mark.column < b.mark.column;
    });
  }

 private:
  std::string prefix_;
  std::vector<ConfigError> errors_;
};

// Levenshtein distance, for "did you mean" suggestions.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The candidate closest to `word`, if it is close enough to be a likely typo (at most a third of the
// longer word's letters differ, and at most 3); "" otherwise.
inline std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = static_cast<std::size_t>(-1);
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) { best_d = d; best = c; }
  }
  const std::size_t longer = std::max(word.size(), best.size());
  const std::size_t limit = std::min<std::size_t>(3, std::max<std::size_t>(1, longer / 3));
  return (!best.empty() && best_d <= limit) ? best : std::string();
}

// " (did you mean "x"?)" or "".
inline std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string n = nearest(word, candidates);
  return n.empty() ? std::string() : " (did you mean \"" + n + "\"?)";
}

}  // namespace tandem::sdk

#endif  // TANDEM_SDK_CONFIG_HPP_
