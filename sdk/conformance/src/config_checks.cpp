// Check (c): config errors carry file, line, column and key path.
//
// The kit writes YAML documents from the plugin's own schema (an unknown key; for each declared property,
// a value of the wrong type) at positions it knows, and checks where each error is reported. Each
// --bad-config file lists the errors it must give in lines "# expect: LINE:COLUMN: <text>"; the kit
// requires exactly those (no fewer, no more), each at its position and containing its text.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "kit.hpp"
#include "tandem/pipeline.hpp"

namespace tandem::conformance::detail {
namespace {

constexpr std::string_view kUnknownKey = "tandem_conformance_unknown_key";

// Parse, then the host's check (schema, then the plugin's own check).
std::vector<sdk::ConfigError> check_text(const Kit& k, const std::string& text, const std::string& file) {
  sdk::ConfigErrors errors;
  const sdk::ConfigNode node = parse_config_yaml(text, file, errors);
  if (errors.empty()) k.host->check_config(*k.info, node, errors);
  return errors.all();
}

// The document without the line a check adds. With no entries it would be an empty document (a null
// root); "{}" on the next line is the empty map at the position the map's first key will take.
std::string baseline_text(const YamlWriter& w) {
  const std::string& t = w.text();
  return t.find('\n') + 1 == t.size() ? t + "{}\n" : t;
}

bool same_error(const sdk::ConfigError& a, const sdk::ConfigError& b) {
  return a.mark.line == b.mark.line && a.mark.column == b.mark.column && a.path == b.path && a.message == b.message;
}

// The errors of `got` that are neither the one expected (index `hit`) nor already in `baseline`.
std::vector<sdk::ConfigError> extra_errors(const std::vector<sdk::ConfigError>& got, std::size_t hit,
                                           const std::vector<sdk::ConfigError>& baseline) {
  std::vector<sdk::ConfigError> extra;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (i == hit) continue;
    bool known = false;
    for (const auto& b : baseline) known = known || same_error(got[i], b);
    if (!known) extra.push_back(got[i]);
  }
  return extra;
}

// The JSON Schema type of a value allowed by `enum` or `const`.
std::string type_of_value(const nlohmann::json& v) {
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "boolean";
  if (v.is_number()) return "number";
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  return "null";
}

// The types a property takes: its "type", else those of its "enum" or "const" values; empty when any.
std::vector<std::string> types_of(const nlohmann::json& property) {
  std::vector<std::string> types;
  if (!property.is_object()) return types;
  if (!property.contains("type")) {
    const auto add = [&](const nlohmann::json& v) {
      const std::string t = type_of_value(v);
      if (std::find(types.begin(), types.end(), t) == types.end()) types.push_back(t);
    };
    if (property.contains("const")) add(property["const"]);
    if (property.contains("enum") && property["enum"].is_array())
      for (const auto& v : property["enum"]) add(v);
    return types;
  }
  const auto& t = property["type"];
  if (t.is_string()) types.push_back(t.get<std::string>());
  if (t.is_array())
    for (const auto& x : t)
      if (x.is_string()) types.push_back(x.get<std::string>());
  return types;
}

bool has(const std::vector<std::string>& v, std::string_view x) { return std::find(v.begin(), v.end(), x) != v.end(); }

struct Expectation {
  int line = 0;
  int column = 0;
  std::string text;
  int written_at = 0;  // the line of the "# expect:" comment
};

std::vector<Expectation> read_expectations(const std::string& text) {
  static const std::regex kExpect(R"(^\s*#\s*expect:\s*([0-9]+):([0-9]+):\s?(.*?)\s*$)");
  std::vector<Expectation> out;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::smatch m;
    if (std::regex_match(line, m, kExpect)) out.push_back({std::stoi(m[1]), std::stoi(m[2]), m[3], n});
  }
  return out;
}

void check_usable_config(Kit& k) {
  const fs::path dir = k.fresh_temp_dir();
  sdk::ConfigErrors errors;
  const sdk::ConfigNode node = k.usable_config(dir, errors);
  if (!errors.empty()) FAIL() << k.config_name << " is not valid YAML:\n" << list_errors(errors.all());
  const std::vector<sdk::ConfigError> checked = [&] {
    sdk::ConfigErrors e;
    k.host->check_config(*k.info, node, e);
    return e.all();
  }();
  const std::string hint = k.options.config ? "fix " + k.config_name
                                            : std::string("the plugin needs a config: pass one with --config "
                                                          "(CONFORMANCE_CONFIG in tandem_add_plugin)");
  if (!checked.empty()) FAIL() << "the config the kit uses is refused:\n" << list_errors(checked) << hint;
  const Instance inst = k.make_instance(node, dir);
  if (!inst) ADD_FAILURE() << "the config passes its checks, but no instance could be made:\n"
                                       << list_errors(inst.errors)
                                       << "fix the plugin's constructor (it may only fail through ctx.errors())";
}

void check_unknown_key(Kit& k) {
  const fs::path dir = k.fresh_temp_dir();
  sdk::ConfigErrors parse_errors;
  const sdk::ConfigNode base = k.usable_config(dir, parse_errors);
  if (!parse_errors.empty()) FAIL() << list_errors(parse_errors.all());

  YamlWriter w;
  w.root_entries(base);
  const std::string name = "generated/unknown_key.yaml";
  const auto baseline = check_text(k, baseline_text(w), name);
  const int line = w.add_entry(kUnknownKey, "1");
  const auto got = check_text(k, w.text(), name);

  std::size_t hit = got.size();
  for (std::size_t i = 0; i < got.size(); ++i)
    if (got[i].mark.line == line && got[i].mark.column == 1 &&
        got[i].message.find(std::string(kUnknownKey)) != std::string::npos)
      hit = i;
  if (hit >= got.size()) FAIL() << "a config with the unknown key \"" << kUnknownKey << "\" at " << name << ":" << line
                             << ":1 must be refused with an error at that key, naming it. The document:\n"
                             << w.text() << "The errors:\n" << list_errors(got)
                             << "fix: set \"additionalProperties\": false in the schema (or declare the key)";
  EXPECT_EQ(got[hit].mark.file, name) << "the error must name the file it is about";
  EXPECT_EQ(got[hit].path, "") << "an unknown key at the root is reported under the root's path (\"\")";
  const auto extra = extra_errors(got, hit, baseline);
  if (!extra.empty()) ADD_FAILURE() << "one unknown key gave more errors than that one:\n" << list_errors(extra);
}

void check_wrong_type(Kit& k, const std::string& property, const std::string& wrong, const std::string& types) {
  const fs::path dir = k.fresh_temp_dir();
  sdk::ConfigErrors parse_errors;
  const sdk::ConfigNode base = k.usable_config(dir, parse_errors);
  if (!parse_errors.empty()) FAIL() << list_errors(parse_errors.all());

  YamlWriter w;
  w.root_entries(base, property);
  const std::string name = "generated/wrong_type_" + test_name(property) + ".yaml";
  const auto baseline = check_text(k, baseline_text(w), name);
  const int line = w.add_entry(property, wrong);
  const int column = static_cast<int>(YamlWriter::key_text(property).size()) + 3;
  const auto got = check_text(k, w.text(), name);

  std::size_t hit = got.size();
  for (std::size_t i = 0; i < got.size(); ++i)
    if (got[i].mark.line == line && got[i].mark.column == column) hit = i;
  if (hit >= got.size()) FAIL() << "\"" << property << ": " << wrong << "\" (the schema says " << types
                             << ") must be refused with an error at " << name << ":" << line << ":" << column
                             << ". The document:\n" << w.text() << "The errors:\n" << list_errors(got)
                             << "fix the property's \"type\" in the schema";
  EXPECT_EQ(got[hit].mark.file, name) << "the error must name the file it is about";
  EXPECT_EQ(got[hit].path, property) << "the error must name the key path of the value";
  if (got[hit].message.find("expected") == std::string::npos) ADD_FAILURE()
      << "the message must say what was expected: " << got[hit].to_string();
  const auto extra = extra_errors(got, hit, baseline);
  if (!extra.empty()) ADD_FAILURE() << "one value of the wrong type gave more errors than that one:\n"
                             << list_errors(extra)
                             << "fix: the plugin's own check must not report what the schema already refused";
}

void check_bad_config(Kit& k, const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in.good()) FAIL() << "cannot read " << file;
  const std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto expected = read_expectations(raw);
  if (expected.empty()) FAIL() << file.string() << " lists no errors; add lines \"# expect: LINE:COLUMN: text\"";

  const fs::path dir = k.fresh_temp_dir();
  std::string text = raw;
  for (std::size_t at = text.find(kTmpdirPlaceholder); at != std::string::npos;
       at = text.find(kTmpdirPlaceholder, at + 1))
    text.replace(at, kTmpdirPlaceholder.size(), dir.string());

  const std::string name = file.string();
  sdk::ConfigErrors errors;
  const sdk::ConfigNode node = parse_config_yaml(text, name, errors);
  if (errors.empty()) k.host->check_config(*k.info, node, errors);
  std::vector<sdk::ConfigError> got = errors.all();
  if (got.empty()) {
    // Some problems only show when the instance is made (the constructor reports them).
    Instance inst = k.make_instance(node, dir);
    got = inst.errors;
  }

  std::vector<bool> used(got.size(), false);
  std::string missing;
  for (const auto& e : expected) {
    bool found = false;
    for (std::size_t i = 0; i < got.size() && !found; ++i) {
      if (used[i] || got[i].mark.line != e.line || got[i].mark.column != e.column) continue;
      if (got[i].to_string().find(e.text) == std::string::npos) continue;
      used[i] = found = true;
    }
    if (!found)
      missing += "    " + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.text + "   (line " +
                 std::to_string(e.written_at) + ")\n";
  }
  std::vector<sdk::ConfigError> unexpected;
  for (std::size_t i = 0; i < got.size(); ++i)
    if (!used[i]) unexpected.push_back(got[i]);
  for (const auto& g : got)
    EXPECT_EQ(g.mark.file, name) << "the error \"" << g.to_string() << "\" must name the file it is about";
  if (!missing.empty()) ADD_FAILURE() << name << ": these expected errors were not reported:\n"
                               << missing << "reported:\n" << list_errors(got);
  if (!unexpected.empty()) ADD_FAILURE() << name << ": these errors were reported but not expected:\n"
                                  << list_errors(unexpected)
                                  << "(add an \"# expect:\" line if they are right, or fix the check)";
}

}  // namespace

void register_config_tests(Kit& k) {
  add_test("Config", "UsableConfigIsAccepted", [&k] { check_usable_config(k); });

  nlohmann::json schema;
  try {
    schema = nlohmann::json::parse(k.info->config_schema);
  } catch (const std::exception&) {
    return;  // Descriptor.ConfigSchemaParses reports it
  }
  if (!schema.is_object()) return;

  const auto additional = schema.find("additionalProperties");
  const bool open = additional != schema.end() && (additional->is_object() || *additional == true);
  if (open)
    add_test("ConfigErrors", "UnknownKeyIsReportedAtTheKey", [] {
      GTEST_SKIP() << "the schema allows keys it does not declare (additionalProperties), so an unknown key "
                      "is not an error";
    });
  else
    add_test("ConfigErrors", "UnknownKeyIsReportedAtTheKey", [&k] { check_unknown_key(k); });

  if (schema.contains("properties") && schema["properties"].is_object()) {
    for (auto it = schema["properties"].begin(); it != schema["properties"].end(); ++it) {
      const std::string property = it.key();
      const auto types = types_of(it.value());
      std::string wrong;
      if (types.empty()) wrong = "";
      else if (!has(types, "string")) wrong = "\"tandem conformance\"";
      else if (!has(types, "array")) wrong = "[1, 2]";
      else if (!has(types, "object")) wrong = "{tandem_conformance: 1}";
      std::string listed;
      for (const auto& t : types) listed += (listed.empty() ? "" : " or ") + t;
      const std::string name = "WrongTypeIsReportedAtTheValue_" + test_name(property);
      if (wrong.empty())
        add_test("ConfigErrors", name, [property] {
          GTEST_SKIP() << "property \"" << property << "\" takes a value of any type";
        });
      else
        add_test("ConfigErrors", name, [&k, property, wrong, listed] { check_wrong_type(k, property, wrong, listed); });
    }
  }

  for (const auto& file : k.options.bad_configs)
    add_test("BadConfig", test_name(file.stem().string()), [&k, file] { check_bad_config(k, file); });
}

}  // namespace tandem::conformance::detail
