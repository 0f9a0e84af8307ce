#include "pipeline/schema.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <regex>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/yaml_reader.hpp"

namespace tandem::detail {
namespace {

using Json = nlohmann::ordered_json;

enum TypeBit : unsigned {
  kString = 1u << 0,
  kNumber = 1u << 1,
  kInteger = 1u << 2,
  kBoolean = 1u << 3,
  kObject = 1u << 4,
  kArray = 1u << 5,
  kNull = 1u << 6,
};

struct TypeName {
  std::string_view json;
  TypeBit bit;
  std::string_view noun;     // "a number"
  std::string_view short_;   // "number", for the reference
};
constexpr TypeName kTypeNames[] = {
    {"string", kString, "a string", "string"},       {"number", kNumber, "a number", "number"},
    {"integer", kInteger, "an integer", "integer"},  {"boolean", kBoolean, "true or false", "boolean"},
    {"object", kObject, "a map", "map"},             {"array", kArray, "a list", "list"},
    {"null", kNull, "null", "null"},
};

const std::vector<std::string>& keywords() {
  static const std::vector<std::string> k = {
      "type", "description", "title", "default", "examples", "enum", "const", "minimum", "maximum",
      "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "properties", "required",
      "additionalProperties", "minProperties", "maxProperties", "items", "minItems", "maxItems", "uniqueItems",
      "$schema", "$id", "$comment"};
  return k;
}

struct Property;

struct Rule {
  unsigned types = 0;  // 0: any
  std::string title;
  std::string description;
  std::optional<Json> default_value;
  std::optional<std::vector<Json>> enum_values;
  std::optional<Json> const_value;
  std::optional<double> minimum, maximum, exclusive_minimum, exclusive_maximum;
  std::optional<std::size_t> min_length, max_length;
  std::string pattern_text;
  std::optional<std::regex> pattern;
  std::vector<Property> properties;  // in the schema's order
  std::vector<std::string> property_names;
  std::vector<std::string> required;
  bool additional_allowed = false;  // tandem's default: unknown keys are errors
  std::unique_ptr<Rule> additional;
  std::optional<std::size_t> min_properties, max_properties;
  std::unique_ptr<Rule> items;
  std::optional<std::size_t> min_items, max_items;
  bool unique_items = false;

  const Rule* property(std::string_view name) const;
  bool is_required(std::string_view name) const {
    return std::find(required.begin(), required.end(), name) != required.end();
  }
};

// A named struct, not std::pair<std::string, Rule>: with libstdc++ 12, clang 14 cannot instantiate that pair
// inside Rule's own definition (the pair's traits need Rule complete).
struct Property {
  std::string name;
  Rule rule;
};

const Rule* Rule::property(std::string_view name) const {
  for (const auto& [n, r] : properties)
    if (n == name) return &r;
  return nullptr;
}

// ---- text helpers ---------------------------------------------------------------------------------

std::string format_number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    return std::to_string(static_cast<long long>(v));
  }
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, p) : std::to_string(v);
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') { out += "\\n"; continue; }
    if (c == '\t') { out += "\\t"; continue; }
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string json_text(const Json& j) {
  if (j.is_number()) return format_number(j.get<double>());
  if (j.is_string()) return quote(j.get_ref<const std::string&>());
  return j.dump();
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out.append(sep);
    out.append(parts[i]);
  }
  return out;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0u) != 0x80u) ++n;
  return n;
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

// ---- reading scalars the way the schema sees them ----------------------------------------------------

std::optional<double> number_of(const sdk::ConfigNode& n) {
  auto v = n.as_double();
  if (v && std::isfinite(*v)) return v;
  return std::nullopt;
}

bool is_plain_bool(const sdk::ConfigNode& n) { return n.as_bool().has_value(); }

// The node's own type, as the schema reads it when nothing says otherwise.
unsigned natural_type(const sdk::ConfigNode& n) {
  switch (n.type()) {
    case sdk::ConfigNode::Type::null: return kNull;
    case sdk::ConfigNode::Type::map: return kObject;
    case sdk::ConfigNode::Type::sequence: return kArray;
    case sdk::ConfigNode::Type::scalar: break;
  }
  if (n.quoted()) return kString;
  if (n.as_int()) return kInteger;
  if (number_of(n)) return kNumber;
  if (is_plain_bool(n)) return kBoolean;
  return kString;
}

// Whether `n` can be read as `bit`. A plain scalar can always be read as a string: YAML users do not
// quote every word.
bool matches(const sdk::ConfigNode& n, TypeBit bit) {
  switch (bit) {
    case kNull: return n.is_null();
    case kObject: return n.is_map();
    case kArray: return n.is_sequence();
    case kString: return n.is_scalar();
    case kNumber: return n.is_scalar() && number_of(n).has_value();
    case kInteger: return n.is_scalar() && n.as_int().has_value();
    case kBoolean: return n.is_scalar() && is_plain_bool(n);
  }
  return false;
}

// How a value is shown after "got": 1.5, true, "high", a map, a list, null.
std::string found(const sdk::ConfigNode& n) {
  switch (n.type()) {
    case sdk::ConfigNode::Type::null: return "null";
    case sdk::ConfigNode::Type::map: return n.entries().empty() ? "an empty map" : "a map";
    case sdk::ConfigNode::Type::sequence: return n.items().empty() ? "an empty list" : "a list";
    case sdk::ConfigNode::Type::scalar: break;
  }
  if (!n.quoted() && (number_of(n) || is_plain_bool(n))) return n.scalar();
  return quote(n.scalar());
}

// ---- diagnostics -------------------------------------------------------------------------------------

// The same path rule as ConfigErrors::add, for errors placed at a mark other than the node's own (an
// unknown key is reported at the key, under its map's path).
void add_error(sdk::ConfigErrors& errors, const sdk::Mark& mark, const std::string& rel, std::string message) {
  const std::string& prefix = errors.prefix();
  std::string path = rel;
  if (!prefix.empty()) path = rel.empty() ? prefix : (rel.front() == '[' ? prefix + rel : prefix + "." + rel);
  errors.add(sdk::ConfigError{mark, std::move(path), std::move(message)});
}

std::string types_noun(unsigned types) {
  std::vector<std::string> names;
  for (const auto& t : kTypeNames)
    if (types & t.bit) {
      if (t.bit == kNumber && (types & kInteger)) continue;  // "a number" says it all
      names.emplace_back(t.noun);
    }
  if (names.size() == 1) return names[0];
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

// "[0, 1]", "(0, 100]", ">= 0", "< 10", or "".
std::string range_text(const Rule& r) {
  std::optional<double> lo = r.minimum, hi = r.maximum;
  bool lo_open = false, hi_open = false;
  if (r.exclusive_minimum && (!lo || *r.exclusive_minimum >= *lo)) { lo = r.exclusive_minimum; lo_open = true; }
  if (r.exclusive_maximum && (!hi || *r.exclusive_maximum <= *hi)) { hi = r.exclusive_maximum; hi_open = true; }
  if (lo && hi)
    return std::string(lo_open ? "(" : "[") + format_number(*lo) + ", " + format_number(*hi) + (hi_open ? ")" : "]");
  if (lo) return std::string(lo_open ? "> " : ">= ") + format_number(*lo);
  if (hi) return std::string(hi_open ? "< " : "<= ") + format_number(*hi);
  return {};
}

bool has_range(const Rule& r) {
  return r.minimum || r.maximum || r.exclusive_minimum || r.exclusive_maximum;
}

// "a number in [0, 1]" / "an integer >= 1" / "a number".
std::string number_noun(const Rule& r, bool integer) {
  const std::string range = range_text(r);
  std::string noun = integer ? "an integer" : "a number";
  if (range.empty()) return noun;
  return noun + (range.front() == '[' || range.front() == '(' ? " in " : " ") + range;
}

// ---- the checker ---------------------------------------------------------------------------------------

sdk::ConfigNode json_to_node(const Json& j, const sdk::Mark& mark, const std::string& path) {
  if (j.is_object()) {
    sdk::ConfigNode out(sdk::ConfigNode::Type::map, mark, path);
    for (const auto& [k, v] : j.items()) {
      std::string p = child_path(path, k);
      out.insert(sdk::ConfigNode::make_scalar(k, false, mark, p), json_to_node(v, mark, p));
    }
    return out;
  }
  if (j.is_array()) {
    sdk::ConfigNode out(sdk::ConfigNode::Type::sequence, mark, path);
    std::size_t i = 0;
    for (const auto& v : j) out.push_back(json_to_node(v, mark, item_path(path, i++)));
    return out;
  }
  if (j.is_null()) return sdk::ConfigNode(sdk::ConfigNode::Type::null, mark, path);
  if (j.is_string()) return sdk::ConfigNode::make_scalar(j.get<std::string>(), true, mark, path);
  if (j.is_boolean()) return sdk::ConfigNode::make_scalar(j.get<bool>() ? "true" : "false", false, mark, path);
  if (j.is_number_integer()) return sdk::ConfigNode::make_scalar(j.dump(), false, mark, path);
  return sdk::ConfigNode::make_scalar(format_number(j.get<double>()), false, mark, path);
}

bool equal_to_json(const sdk::ConfigNode& n, const Json& j) {
  if (j.is_null()) return n.is_null();
  if (j.is_string()) return n.is_scalar() && n.scalar() == j.get_ref<const std::string&>();
  if (j.is_boolean()) {
    auto b = n.as_bool();
    return b && *b == j.get<bool>();
  }
  if (j.is_number()) {
    auto d = number_of(n);
    return d && *d == j.get<double>();
  }
  if (j.is_array()) {
    if (!n.is_sequence() || n.items().size() != j.size()) return false;
    for (std::size_t i = 0; i < j.size(); ++i)
      if (!equal_to_json(n.items()[i], j[i])) return false;
    return true;
  }
  if (j.is_object()) {
    if (!n.is_map() || n.entries().size() != j.size()) return false;
    for (const auto& e : n.entries()) {
      auto it = j.find(e.key.scalar());
      if (it == j.end() || !equal_to_json(e.value, *it)) return false;
    }
    return true;
  }
  return false;
}

bool same_value(const sdk::ConfigNode& a, const sdk::ConfigNode& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case sdk::ConfigNode::Type::null: return true;
    case sdk::ConfigNode::Type::scalar: {
      if (a.scalar() == b.scalar()) return true;
      auto x = a.quoted() ? std::nullopt : number_of(a);
      auto y = b.quoted() ? std::nullopt : number_of(b);
      return x && y && *x == *y;
    }
    case sdk::ConfigNode::Type::sequence:
      if (a.items().size() != b.items().size()) return false;
      for (std::size_t i = 0; i < a.items().size(); ++i)
        if (!same_value(a.items()[i], b.items()[i])) return false;
      return true;
    case sdk::ConfigNode::Type::map:
      if (a.entries().size() != b.entries().size()) return false;
      for (const auto& e : a.entries()) {
        const sdk::ConfigNode* o = b.find(e.key.scalar());
        if (o == nullptr || !same_value(e.value, *o)) return false;
      }
      return true;
  }
  return false;
}

class Checker {
 public:
  Checker(sdk::ConfigErrors& errors, bool build) : errors_(errors), build_(build) {}

  // Checks `n` against `r`; when building, returns `n` with defaults filled in (else a null node).
  sdk::ConfigNode check(const Rule& r, const sdk::ConfigNode& n) {
    const unsigned as = read_as(r, n);
    if (as == 0) {
      type_error(r, n);
      return build_ ? n : sdk::ConfigNode();
    }
    if (r.enum_values) check_enum(r, n);
    if (r.const_value && !equal_to_json(n, *r.const_value))
      errors_.add(n, "expected " + json_text(*r.const_value) + ", got " + found(n));
    switch (as) {
      case kNumber:
      case kInteger: check_number(r, n, as == kInteger); break;
      case kString: check_string(r, n); break;
      case kObject: return check_object(r, n);
      case kArray: return check_array(r, n);
      default: break;
    }
    return build_ ? n : sdk::ConfigNode();
  }

 private:
  // The type the node is read as under `r`, or 0 when it fits none of r's types.
  static unsigned read_as(const Rule& r, const sdk::ConfigNode& n) {
    if (r.types == 0) {
      const unsigned t = natural_type(n);
      return t == kInteger ? kNumber : t;
    }
    // Most specific first, so that a plain 3 under ["integer","string"] is an integer.
    for (TypeBit bit : {kNull, kObject, kArray, kInteger, kNumber, kBoolean, kString})
      if ((r.types & bit) && matches(n, bit)) return bit;
    return 0;
  }

  void type_error(const Rule& r, const sdk::ConfigNode& n) {
    std::string expected;
    const unsigned numeric = r.types & (kNumber | kInteger);
    if (numeric && (r.types & ~(kNumber | kInteger)) == 0) {
      expected = number_noun(r, (r.types & kNumber) == 0);
    } else {
      expected = types_noun(r.types);
    }
    std::string message = "expected " + expected + ", got " + found(n);
    if (n.is_scalar() && n.quoted()) {
      const sdk::ConfigNode plain = sdk::ConfigNode::make_scalar(n.scalar(), false, {}, {});
      for (TypeBit bit : {kInteger, kNumber, kBoolean})
        if ((r.types & bit) && matches(plain, bit)) {
          message += " (text, because it is quoted: remove the quotes)";
          break;
        }
    }
    errors_.add(n, std::move(message));
  }

  void check_enum(const Rule& r, const sdk::ConfigNode& n) {
    for (const auto& v : *r.enum_values)
      if (equal_to_json(n, v)) return;
    std::vector<std::string> shown, words;
    for (const auto& v : *r.enum_values) {
      shown.push_back(json_text(v));
      if (v.is_string()) words.push_back(v.get<std::string>());
    }
    std::string message = "expected one of " + join(shown, ", ") + ", got " + found(n);
    if (n.is_scalar()) message += sdk::did_you_mean(n.scalar(), words);
    errors_.add(n, std::move(message));
  }

  void check_number(const Rule& r, const sdk::ConfigNode& n, bool integer) {
    const auto v = number_of(n);
    if (!v) return;
    const bool low = (r.minimum && *v < *r.minimum) || (r.exclusive_minimum && *v <= *r.exclusive_minimum);
    const bool high = (r.maximum && *v > *r.maximum) || (r.exclusive_maximum && *v >= *r.exclusive_maximum);
    if (low || high) errors_.add(n, "expected " + number_noun(r, integer) + ", got " + n.scalar());
  }

  void check_string(const Rule& r, const sdk::ConfigNode& n) {
    const std::string& s = n.scalar();
    if (r.min_length || r.max_length) {
      const std::size_t len = code_points(s);
      if (r.min_length && len < *r.min_length) {
        errors_.add(n, "expected a string of at least " + plural(*r.min_length, "character", "characters") +
                           ", got " + quote(s) + (s.empty() ? "" : " (" + plural(len, "character", "characters") + ")"));
      } else if (r.max_length && len > *r.max_length) {
        errors_.add(n, "expected a string of at most " + plural(*r.max_length, "character", "characters") +
                           ", got " + quote(s) + " (" + plural(len, "character", "characters") + ")");
      }
    }
    if (r.pattern && !std::regex_search(s, *r.pattern))
      errors_.add(n, "expected a string matching " + r.pattern_text + ", got " + quote(s));
  }

  sdk::ConfigNode check_object(const Rule& r, const sdk::ConfigNode& n) {
    sdk::ConfigNode out;
    if (build_) out = sdk::ConfigNode(sdk::ConfigNode::Type::map, n.mark(), n.path());
    for (const auto& e : n.entries()) {
      const std::string& key = e.key.scalar();
      const Rule* sub = r.property(key);
      if (sub == nullptr && r.additional) sub = r.additional.get();
      if (sub == nullptr && !r.additional_allowed) {
        unknown_key(r, n, e.key);
        if (build_) out.insert(e.key, e.value);
        continue;
      }
      if (sub == nullptr) {
        if (build_) out.insert(e.key, e.value);
        continue;
      }
      sdk::ConfigNode checked = check(*sub, e.value);
      if (build_) out.insert(e.key, std::move(checked));
    }
    for (const auto& name : r.required)
      if (!n.has(name)) errors_.add(n, "missing required key " + quote(name));
    const std::size_t count = n.entries().size();
    if (r.min_properties && count < *r.min_properties)
      errors_.add(n, "expected a map with at least " + plural(*r.min_properties, "key", "keys") + ", got " +
                         (count == 0 ? std::string("an empty map") : plural(count, "key", "keys")));
    if (r.max_properties && count > *r.max_properties)
      errors_.add(n, "expected a map with at most " + plural(*r.max_properties, "key", "keys") + ", got " +
                         plural(count, "key", "keys"));
    if (build_) fill_defaults(r, n, out);
    return out;
  }

  void unknown_key(const Rule& r, const sdk::ConfigNode& map, const sdk::ConfigNode& key) {
    std::string message = "unknown key " + quote(key.scalar());
    if (r.property_names.empty()) {
      message += " (this map takes no keys)";
    } else {
      const std::string near = sdk::nearest(key.scalar(), r.property_names);
      message += " (";
      if (!near.empty()) message += "did you mean " + quote(near) + "? ";
      message += "allowed: " + join(r.property_names, ", ") + ")";
    }
    add_error(errors_, key.mark(), map.path(), std::move(message));
  }

  // Absent optional keys with a default get it, marked with line 0; an object default gets its own
  // nested defaults too.
  void fill_defaults(const Rule& r, const sdk::ConfigNode& n, sdk::ConfigNode& out) {
    for (const auto& [name, sub] : r.properties) {
      if (!sub.default_value || n.has(name)) continue;
      const sdk::Mark mark{n.mark().file, 0, 0};
      std::string path = child_path(n.path(), name);
      sdk::ConfigNode value = json_to_node(*sub.default_value, mark, path);
      if (value.is_map() || value.is_sequence()) {
        sdk::ConfigErrors ignored;  // defaults were checked when the schema was parsed
        Checker inner(ignored, true);
        value = inner.check(sub, value);
      }
      out.insert(sdk::ConfigNode::make_scalar(name, false, mark, std::move(path)), std::move(value));
    }
  }

  sdk::ConfigNode check_array(const Rule& r, const sdk::ConfigNode& n) {
    sdk::ConfigNode out;
    if (build_) out = sdk::ConfigNode(sdk::ConfigNode::Type::sequence, n.mark(), n.path());
    const auto& items = n.items();
    for (const auto& item : items) {
      if (r.items) {
        sdk::ConfigNode checked = check(*r.items, item);
        if (build_) out.push_back(std::move(checked));
      } else if (build_) {
        out.push_back(item);
      }
    }
    const std::size_t count = items.size();
    if (r.min_items && count < *r.min_items)
      errors_.add(n, "expected a list of at least " + plural(*r.min_items, "item", "items") + ", got " +
                         (count == 0 ? std::string("an empty list") : plural(count, "item", "items")));
    if (r.max_items && count > *r.max_items)
      errors_.add(n, "expected a list of at most " + plural(*r.max_items, "item", "items") + ", got " +
                         plural(count, "item", "items"));
    if (r.unique_items) {
      for (std::size_t i = 1; i < count; ++i)
        for (std::size_t j = 0; j < i; ++j)
          if (same_value(items[i], items[j])) {
            std::string where = "[" + std::to_string(j) + "]";
            if (items[j].mark().known()) where += " on line " + std::to_string(items[j].mark().line);
            errors_.add(items[i], "duplicate item " + found(items[i]) + " (first at " + where + ")");
            break;
          }
    }
    return out;
  }

  sdk::ConfigErrors& errors_;
  bool build_;
};

// ---- parsing the schema ----------------------------------------------------------------------------

class Parser {
 public:
  std::vector<std::string> problems;

  void rule(const Json& j, const std::string& ptr, Rule& r) {
    if (!j.is_object()) {
      problem(ptr, "expected a schema (a JSON object), got " + kind(j));
      return;
    }
    for (const auto& [key, value] : j.items()) {
      const std::string at = ptr + "/" + pointer_token(key);
      if (key == "type") read_type(value, at, r);
      else if (key == "description") r.description = text(value, at);
      else if (key == "title") r.title = text(value, at);
      else if (key == "$comment" || key == "$schema" || key == "$id") text(value, at);
      else if (key == "default") r.default_value = value;
      else if (key == "examples") { if (!value.is_array()) problem(at, "expected a list, got " + kind(value)); }
      else if (key == "enum") {
        if (!value.is_array() || value.empty()) problem(at, "expected a non-empty list, got " + kind(value));
        else r.enum_values = std::vector<Json>(value.begin(), value.end());
      }
      else if (key == "const") r.const_value = value;
      else if (key == "minimum") r.minimum = number(value, at);
      else if (key == "maximum") r.maximum = number(value, at);
      else if (key == "exclusiveMinimum") r.exclusive_minimum = number(value, at);
      else if (key == "exclusiveMaximum") r.exclusive_maximum = number(value, at);
      else if (key == "minLength") r.min_length = count(value, at);
      else if (key == "maxLength") r.max_length = count(value, at);
      else if (key == "minProperties") r.min_properties = count(value, at);
      else if (key == "maxProperties") r.max_properties = count(value, at);
      else if (key == "minItems") r.min_items = count(value, at);
      else if (key == "maxItems") r.max_items = count(value, at);
      else if (key == "uniqueItems") r.unique_items = boolean(value, at);
      else if (key == "pattern") read_pattern(value, at, r);
      else if (key == "properties") read_properties(value, at, r);
      else if (key == "required") read_required(value, at, r);
      else if (key == "additionalProperties") {
        if (value.is_boolean()) {
          r.additional_allowed = value.get<bool>();
        } else if (value.is_object()) {
          r.additional_allowed = true;
          r.additional = std::make_unique<Rule>();
          rule(value, at, *r.additional);
        } else {
          problem(at, "expected true, false or a schema, got " + kind(value));
        }
      }
      else if (key == "items") {
        if (value.is_object()) {
          r.items = std::make_unique<Rule>();
          rule(value, at, *r.items);
        } else {
          problem(at, "expected one schema (a JSON object) for every item, got " + kind(value));
        }
      }
      else problem(at, "unknown schema keyword" + sdk::did_you_mean(key, keywords()));
    }
    consistency(ptr, r);
  }

 private:
  void problem(const std::string& ptr, std::string what) {
    problems.push_back((ptr.empty() ? std::string("/") : ptr) + ": " + std::move(what));
  }

  static std::string kind(const Json& j) {
    if (j.is_object()) return "an object";
    if (j.is_array()) return j.empty() ? "an empty list" : "a list";
    if (j.is_string()) return quote(j.get_ref<const std::string&>());
    return j.dump();
  }

  std::string text(const Json& j, const std::string& at) {
    if (!j.is_string()) {
      problem(at, "expected a string, got " + kind(j));
      return {};
    }
    return j.get<std::string>();
  }
  std::optional<double> number(const Json& j, const std::string& at) {
    if (!j.is_number()) {
      problem(at, "expected a number, got " + kind(j));
      return std::nullopt;
    }
    return j.get<double>();
  }
  std::optional<std::size_t> count(const Json& j, const std::string& at) {
    if (!j.is_number_integer() || j.get<long long>() < 0) {
      problem(at, "expected an integer >= 0, got " + kind(j));
      return std::nullopt;
    }
    return static_cast<std::size_t>(j.get<long long>());
  }
  bool boolean(const Json& j, const std::string& at) {
    if (!j.is_boolean()) {
      problem(at, "expected true or false, got " + kind(j));
      return false;
    }
    return j.get<bool>();
  }

  void read_type(const Json& j, const std::string& at, Rule& r) {
    std::vector<std::string> names;
    for (const auto& t : kTypeNames) names.emplace_back(t.json);
    auto one = [&](const Json& v, const std::string& where) {
      if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        for (const auto& t : kTypeNames)
          if (t.json == s) {
            r.types |= t.bit;
            return;
          }
        const std::string near = sdk::nearest(s, names);
        problem(where, "unknown type " + quote(s) + " (" + (near.empty() ? "" : "did you mean " + quote(near) + "? ") +
                           "allowed: " + join(names, ", ") + ")");
      } else {
        problem(where, "expected a type name, got " + kind(v));
      }
    };
    if (j.is_array()) {
      if (j.empty()) problem(at, "expected a type name or a non-empty list of them, got an empty list");
      for (std::size_t i = 0; i < j.size(); ++i) one(j[i], at + "/" + std::to_string(i));
    } else {
      one(j, at);
    }
  }

  void read_pattern(const Json& j, const std::string& at, Rule& r) {
    r.pattern_text = text(j, at);
    if (!j.is_string()) return;
    try {
      r.pattern.emplace(r.pattern_text, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      problem(at, "not a valid regular expression: " + quote(r.pattern_text) + " (" + e.what() + ")");
    }
  }

  void read_properties(const Json& j, const std::string& at, Rule& r) {
    if (!j.is_object()) {
      problem(at, "expected an object of schemas, got " + kind(j));
      return;
    }
    r.properties.reserve(j.size());
    for (const auto& [name, sub] : j.items()) {
      r.properties.push_back(Property{name, Rule{}});
      r.property_names.push_back(name);
      rule(sub, at + "/" + pointer_token(name), r.properties.back().rule);
    }
  }

  void read_required(const Json& j, const std::string& at, Rule& r) {
    if (!j.is_array()) {
      problem(at, "expected a list of key names, got " + kind(j));
      return;
    }
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (!j[i].is_string()) {
        problem(at + "/" + std::to_string(i), "expected a key name, got " + kind(j[i]));
        continue;
      }
      r.required.push_back(j[i].get<std::string>());
    }
  }

  // Problems that only show with the whole rule read: a required key that can never be written, a
  // range that holds nothing, a default that its own schema refuses.
  void consistency(const std::string& ptr, const Rule& r) {
    for (std::size_t i = 0; i < r.required.size(); ++i) {
      const std::string& name = r.required[i];
      if (r.property(name) == nullptr && !r.additional_allowed)
        problem(ptr + "/required/" + std::to_string(i),
                "required key " + quote(name) + " is not in properties" + sdk::did_you_mean(name, r.property_names));
    }
    const std::string range = range_text(r);
    std::optional<double> lo = r.exclusive_minimum ? r.exclusive_minimum : r.minimum;
    std::optional<double> hi = r.exclusive_maximum ? r.exclusive_maximum : r.maximum;
    if (r.minimum && r.exclusive_minimum) lo = std::max(*r.minimum, *r.exclusive_minimum);
    if (r.maximum && r.exclusive_maximum) hi = std::min(*r.maximum, *r.exclusive_maximum);
    if (lo && hi && (*lo > *hi || (*lo == *hi && (r.exclusive_minimum || r.exclusive_maximum))))
      problem(ptr, "the range " + range + " holds no number");
    if (r.min_length && r.max_length && *r.min_length > *r.max_length)
      problem(ptr + "/minLength", "minLength is above maxLength");
    if (r.min_items && r.max_items && *r.min_items > *r.max_items)
      problem(ptr + "/minItems", "minItems is above maxItems");
    if (r.min_properties && r.max_properties && *r.min_properties > *r.max_properties)
      problem(ptr + "/minProperties", "minProperties is above maxProperties");
    if (r.default_value) {
      sdk::ConfigErrors errors;
      Checker checker(errors, false);
      checker.check(r, json_to_node(*r.default_value, {}, {}));
      for (const auto& e : errors.all())
        problem(ptr + "/default", "the default does not fit its schema: " + (e.path.empty() ? "" : e.path + ": ") + e.message);
    }
  }
};

// ---- the reference -----------------------------------------------------------------------------------

std::string type_short(const Rule& r) {
  if (r.types == 0) return r.enum_values || r.const_value ? "" : "any";
  std::vector<std::string> names;
  for (const auto& t : kTypeNames)
    if (r.types & t.bit) {
      if (t.bit == kNumber && (r.types & kInteger)) continue;
      std::string name(t.short_);
      if (t.bit == kArray && r.items && r.items->types != 0) {
        const std::string inner = type_short(*r.items);
        if (inner.find(' ') == std::string::npos && inner.find('|') == std::string::npos) name = "list of " + inner + "s";
      }
      names.push_back(std::move(name));
    }
  return join(names, " | ");
}

std::string facts(const Rule& r, bool required) {
  std::vector<std::string> parts;
  if (std::string type = type_short(r); !type.empty()) parts.push_back(std::move(type));
  if (required) parts.emplace_back("required");
  if (r.enum_values) {
    std::vector<std::string> shown;
    for (const auto& v : *r.enum_values) shown.push_back("`" + (v.is_string() ? v.get<std::string>() : json_text(v)) + "`");
    parts.push_back("one of " + join(shown, ", "));
  }
  if (r.const_value) parts.push_back("always `" + json_text(*r.const_value) + "`");
  if (has_range(r)) {
    const std::string range = range_text(r);
    parts.push_back((range.front() == '[' || range.front() == '(') ? "in " + range : range);
  }
  if (r.min_length && r.max_length)
    parts.push_back(std::to_string(*r.min_length) + " to " + plural(*r.max_length, "character", "characters"));
  else if (r.min_length) parts.push_back("at least " + plural(*r.min_length, "character", "characters"));
  else if (r.max_length) parts.push_back("at most " + plural(*r.max_length, "character", "characters"));
  if (!r.pattern_text.empty()) parts.push_back("matching `" + r.pattern_text + "`");
  if (r.min_properties) parts.push_back("at least " + plural(*r.min_properties, "key", "keys"));
  if (r.max_properties) parts.push_back("at most " + plural(*r.max_properties, "key", "keys"));
  if (r.min_items) parts.push_back("at least " + plural(*r.min_items, "item", "items"));
  if (r.max_items) parts.push_back("at most " + plural(*r.max_items, "item", "items"));
  if (r.unique_items) parts.emplace_back("no duplicates");
  if (r.default_value) {
    const Json& d = *r.default_value;
    parts.push_back("default `" + (d.is_string() ? d.get<std::string>() : json_text(d)) + "`");
  }
  return join(parts, ", ");
}

void describe_members(const Rule& r, int depth, std::string& out);

void line(const std::string& name, const Rule& r, bool required, int depth, std::string& out) {
  out.append(static_cast<std::size_t>(depth) * 2, ' ');
  out += "- " + name + " (" + facts(r, required) + ")";
  std::string text = r.title;
  if (!r.description.empty()) text = text.empty() ? r.description : text + ". " + r.description;
  if (!text.empty()) out += ": " + text;
  out += "\n";
  describe_members(r, depth + 1, out);
}

// Nested keys of a map, the value schema of free-form maps, and the item schema of lists of maps.
void describe_members(const Rule& r, int depth, std::string& out) {
  for (const auto& [name, sub] : r.properties) line("`" + name + "`", sub, r.is_required(name), depth, out);
  if (r.additional) line("*any key*", *r.additional, false, depth, out);
  if (r.items && (!r.items->properties.empty() || r.items->additional || r.items->items))
    line("*each item*", *r.items, false, depth, out);
}

}  // namespace

std::string found_text(const sdk::ConfigNode& node) { return found(node); }

class CompiledSchema final : public ConfigSchema {
 public:
  Rule root;
};

sdk::Result<std::shared_ptr<const ConfigSchema>> ConfigSchema::parse(std::string_view json_text_in) {
  Json j;
  try {
    j = Json::parse(json_text_in);
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: ..." -> the part after "] ".
    const auto p = what.find("] ");
    if (p != std::string::npos) what = what.substr(p + 2);
    return sdk::Status::invalid_input("the config schema is not valid JSON: " + what);
  }
  auto schema = std::make_shared<CompiledSchema>();
  Parser parser;
  parser.rule(j, "", schema->root);
  if (!parser.problems.empty()) return sdk::Status::invalid_input(join(parser.problems, "; "));
  return std::shared_ptr<const ConfigSchema>(std::move(schema));
}

sdk::ConfigNode ConfigSchema::check(const sdk::ConfigNode& node, sdk::ConfigErrors& errors) const {
  Checker checker(errors, true);
  return checker.check(static_cast<const CompiledSchema&>(*this).root, node);
}

void ConfigSchema::validate(const sdk::ConfigNode& node, sdk::ConfigErrors& errors) const {
  Checker checker(errors, false);
  checker.check(static_cast<const CompiledSchema&>(*this).root, node);
}

std::string ConfigSchema::markdown() const {
  const Rule& root = static_cast<const CompiledSchema&>(*this).root;
  std::string out;
  describe_members(root, 0, out);
  if (out.empty()) out = root.types == kObject || root.types == 0 ? "- (no keys: the config must be empty)\n"
                                                                   : "- (" + facts(root, false) + ")\n";
  return out;
}

}  // namespace tandem::detail
