#include "pipeline/schema.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tandem/pipeline.hpp"

namespace tandem::detail {
namespace {

using Lines = std::vector<std::string>;

std::shared_ptr<const ConfigSchema> schema(const std::string& json) {
  auto parsed = ConfigSchema::parse(json);
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  return parsed.is_ok() ? parsed.value() : nullptr;
}

std::string schema_problem(const std::string& json) {
  auto parsed = ConfigSchema::parse(json);
  return parsed.is_ok() ? "(parsed)" : parsed.status().message();
}

struct Checked {
  sdk::ConfigNode node;  // defaults filled in
  Lines errors;
};

// Checks `yaml` (a file "c.yaml") against `json`, with errors prefixed as the engine does.
Checked check(const std::string& json, const std::string& yaml) {
  Checked out;
  auto s = schema(json);
  if (!s) return out;
  sdk::ConfigErrors errors("stages.extract[0].config");
  const sdk::ConfigNode node = parse_config_yaml(yaml, "c.yaml", errors);
  EXPECT_TRUE(errors.empty()) << "the YAML itself is bad: " << yaml;
  out.node = s->check(node, errors);
  errors.sort();
  for (const auto& e : errors.all()) out.errors.push_back(e.to_string());
  return out;
}

Lines errors_of(const std::string& json, const std::string& yaml) { return check(json, yaml).errors; }

constexpr const char* kP = "c.yaml";  // for readability of expected lines below
std::string at(int line, int column, const std::string& rest) {
  return std::string(kP) + ":" + std::to_string(line) + ":" + std::to_string(column) +
         ": error: stages.extract[0].config" + rest;
}

// ---- the schema itself ------------------------------------------------------------------------------

TEST(ConfigSchemaParse, UnknownKeywordIsRefusedWithPointerAndSuggestion) {
  EXPECT_EQ(schema_problem(R"({"type":"object","properties":{"threshold":{"type":"number","minimun":0}}})"),
            "/properties/threshold/minimun: unknown schema keyword (did you mean \"minimum\"?)");
  EXPECT_EQ(schema_problem(R"({"type":"object","additionalProperty":false})"),
            "/additionalProperty: unknown schema keyword (did you mean \"additionalProperties\"?)");
  EXPECT_EQ(schema_problem(R"({"properties":{"a/b":{"frobnicate":1}}})"), "/properties/a~1b/frobnicate: unknown schema keyword");
}

TEST(ConfigSchemaParse, MalformedKeywordValuesAreRefused) {
  struct Case {
    const char* json;
    const char* problem;
  };
  const Case cases[] = {
      {R"({"type":"float"})", "/type: unknown type \"float\" (allowed: string, number, integer, boolean, object, array, null)"},
      {R"({"type":"strng"})", "/type: unknown type \"strng\" (did you mean \"string\"? allowed: string, number, integer, "
                              "boolean, object, array, null)"},
      {R"({"type":["string", 3]})", "/type/1: expected a type name, got 3"},
      {R"({"minimum":"0"})", "/minimum: expected a number, got \"0\""},
      {R"({"minLength":-1})", "/minLength: expected an integer >= 0, got -1"},
      {R"({"pattern":"([a-z"})", "(regex)"},
      {R"({"enum":[]})", "/enum: expected a non-empty list, got an empty list"},
      {R"({"items":[{"type":"string"}]})", "/items: expected one schema (a JSON object) for every item, got a list"},
      {R"({"additionalProperties":"no"})", "/additionalProperties: expected true, false or a schema, got \"no\""},
      {R"({"properties":{"variable":{}},"required":["varible"]})",
       "/required/0: required key \"varible\" is not in properties (did you mean \"variable\"?)"},
      {R"({"properties":{"variable":{}},"required":["cues"]})", "/required/0: required key \"cues\" is not in properties"},
      {R"({"minimum":5,"maximum":1})", "/: the range [5, 1] holds no number"},
      {R"({"properties":{"t":{"type":"number","maximum":1,"default":2}}})",
       "/properties/t/default: the default does not fit its schema: expected a number <= 1, got 2"},
      {R"({"uniqueItems":"yes"})", "/uniqueItems: expected true or false, got \"yes\""},
      {R"(["not", "a", "schema"])", "/: expected a schema (a JSON object), got a list"},
  };
  for (const auto& c : cases) {
    const std::string got = schema_problem(c.json);
    if (std::string(c.problem) == "(regex)") {
      EXPECT_EQ(got.rfind("/pattern: not a valid regular expression: \"([a-z\" (", 0), 0u) << got;
    } else {
      EXPECT_EQ(got, c.problem) << c.json;
    }
  }
}

TEST(ConfigSchemaParse, AllProblemsAreListedAndBadJsonIsNamed) {
  EXPECT_EQ(schema_problem(R"({"type":"objct","properties":{"a":{"maximun":1}}})"),
            "/type: unknown type \"objct\" (did you mean \"object\"? allowed: string, number, integer, boolean, "
            "object, array, null); /properties/a/maximun: unknown schema keyword (did you mean \"maximum\"?)");
  const std::string bad = schema_problem(R"({"type": )");
  EXPECT_EQ(bad.rfind("the config schema is not valid JSON: parse error at line 1, column 10", 0), 0u) << bad;
}

TEST(ConfigSchemaParse, AnnotationsAreAccepted) {
  EXPECT_NE(schema(R"({"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"x","$comment":"c",
                       "title":"T","description":"D","examples":[{}],"type":"object"})"),
            nullptr);
}

// ---- types --------------------------------------------------------------------------------------------

TEST(ConfigSchemaTypes, NumberRefusesWordsAndQuotedNumbers) {
  const std::string s = R"({"properties":{"t":{"type":"number"}}})";
  EXPECT_EQ(errors_of(s, "t: high\n"), Lines{at(1, 4, ".t: expected a number, got \"high\"")});
  EXPECT_EQ(errors_of(s, "t: \"0.5\"\n"),
            Lines{at(1, 4, ".t: expected a number, got \"0.5\" (text, because it is quoted: remove the quotes)")});
  EXPECT_EQ(errors_of(s, "t: [1]\n"), Lines{at(1, 4, ".t: expected a number, got a list")});
  EXPECT_EQ(errors_of(s, "t: .nan\n"), Lines{at(1, 4, ".t: expected a number, got \".nan\"")});
  EXPECT_EQ(errors_of(s, "t: inf\n"), Lines{at(1, 4, ".t: expected a number, got \"inf\"")});
  EXPECT_TRUE(errors_of(s, "t: -1.5e3\n").empty());
  EXPECT_TRUE(errors_of(s, "t: 7\n").empty());
}

TEST(ConfigSchemaTypes, IntegerRefusesFractions) {
  const std::string s = R"({"properties":{"n":{"type":"integer"}}})";
  EXPECT_EQ(errors_of(s, "n: 1.5\n"), Lines{at(1, 4, ".n: expected an integer, got 1.5")});
  EXPECT_EQ(errors_of(s, "n: '3'\n"),
            Lines{at(1, 4, ".n: expected an integer, got \"3\" (text, because it is quoted: remove the quotes)")});
  EXPECT_TRUE(errors_of(s, "n: -3\n").empty());
}

TEST(ConfigSchemaTypes, BooleanIsTrueOrFalseOnly) {
  const std::string s = R"({"properties":{"b":{"type":"boolean"}}})";
  EXPECT_EQ(errors_of(s, "b: yes\n"), Lines{at(1, 4, ".b: expected true or false, got \"yes\"")});
  EXPECT_EQ(errors_of(s, "b: 1\n"), Lines{at(1, 4, ".b: expected true or false, got 1")});
  EXPECT_EQ(errors_of(s, "b: \"true\"\n"),
            Lines{at(1, 4, ".b: expected true or false, got \"true\" (text, because it is quoted: remove the quotes)")});
  EXPECT_TRUE(errors_of(s, "b: false\n").empty());
  EXPECT_TRUE(errors_of(s, "b: True\n").empty());
}

TEST(ConfigSchemaTypes, StringTakesAnyScalarButNotNullOrCollections) {
  const std::string s = R"({"properties":{"s":{"type":"string"}}})";
  EXPECT_TRUE(errors_of(s, "s: 2024\n").empty());
  EXPECT_TRUE(errors_of(s, "s: \"x\"\n").empty());
  EXPECT_EQ(errors_of(s, "s: ~\n"), Lines{at(1, 4, ".s: expected a string, got null")});
  EXPECT_EQ(errors_of(s, "s:\n"), Lines{at(1, 1, ".s: expected a string, got null")});
  EXPECT_EQ(errors_of(s, "s: {a: 1}\n"), Lines{at(1, 4, ".s: expected a string, got a map")});
}

TEST(ConfigSchemaTypes, NullAndTypeLists) {
  const std::string s = R"({"properties":{"v":{"type":["integer","null"]},"w":{"type":["array","object"]}}})";
  EXPECT_TRUE(errors_of(s, "v: ~\nw: []\n").empty());
  EXPECT_TRUE(errors_of(s, "v: 3\nw: {}\n").empty());
  EXPECT_EQ(errors_of(s, "v: x\nw: 1\n"), (Lines{at(1, 4, ".v: expected an integer or null, got \"x\""),
                                             at(2, 4, ".w: expected a map or a list, got 1")}));
}

// ---- values -------------------------------------------------------------------------------------------

TEST(ConfigSchemaValues, EnumSuggestsTheNearestValue) {
  const std::string s = R"({"properties":{"level":{"type":"string","enum":["low","medium","high"]}}})";
  EXPECT_EQ(errors_of(s, "level: hgh\n"),
            Lines{at(1, 8, ".level: expected one of \"low\", \"medium\", \"high\", got \"hgh\" (did you mean \"high\"?)")});
  EXPECT_EQ(errors_of(s, "level: extreme\n"),
            Lines{at(1, 8, ".level: expected one of \"low\", \"medium\", \"high\", got \"extreme\"")});
  EXPECT_TRUE(errors_of(s, "level: 'medium'\n").empty());
  EXPECT_EQ(errors_of(R"({"properties":{"n":{"enum":[1,2.5,true]}}})", "n: 3\n"),
            Lines{at(1, 4, ".n: expected one of 1, 2.5, true, got 3")});
  EXPECT_TRUE(errors_of(R"({"properties":{"n":{"enum":[1,2.5,true]}}})", "n: 2.50\n").empty());
}

TEST(ConfigSchemaValues, ConstNamesTheOnlyValue) {
  const std::string s = R"({"properties":{"mode":{"const":"strict"}}})";
  EXPECT_EQ(errors_of(s, "mode: lax\n"), Lines{at(1, 7, ".mode: expected \"strict\", got \"lax\"")});
  EXPECT_TRUE(errors_of(s, "mode: strict\n").empty());
}

TEST(ConfigSchemaValues, RangesShowTheirBounds) {
  EXPECT_EQ(errors_of(R"({"properties":{"t":{"type":"number","minimum":0,"maximum":1}}})", "t: 1.5\n"),
            Lines{at(1, 4, ".t: expected a number in [0, 1], got 1.5")});
  EXPECT_EQ(errors_of(R"({"properties":{"t":{"type":"number","minimum":0,"maximum":1}}})", "t: high\n"),
            Lines{at(1, 4, ".t: expected a number in [0, 1], got \"high\"")});
  EXPECT_EQ(errors_of(R"({"properties":{"t":{"type":"number","exclusiveMinimum":0,"maximum":10}}})", "t: 0\n"),
            Lines{at(1, 4, ".t: expected a number in (0, 10], got 0")});
  EXPECT_EQ(errors_of(R"({"properties":{"t":{"type":"number","minimum":0,"exclusiveMaximum":1}}})", "t: 1\n"),
            Lines{at(1, 4, ".t: expected a number in [0, 1), got 1")});
  EXPECT_EQ(errors_of(R"({"properties":{"t":{"type":"number","minimum":0}}})", "t: -0.25\n"),
            Lines{at(1, 4, ".t: expected a number >= 0, got -0.25")});
  EXPECT_EQ(errors_of(R"({"properties":{"t":{"type":"integer","exclusiveMaximum":10}}})", "t: 10\n"),
            Lines{at(1, 4, ".t: expected an integer < 10, got 10")});
  EXPECT_EQ(errors_of(R"({"properties":{"t":{"type":"integer","minimum":1,"maximum":5}}})", "t: 9\n"),
            Lines{at(1, 4, ".t: expected an integer in [1, 5], got 9")});
  EXPECT_TRUE(errors_of(R"({"properties":{"t":{"type":"number","minimum":0,"maximum":1}}})", "t: 1\n").empty());
  EXPECT_TRUE(errors_of(R"({"properties":{"t":{"type":"number","minimum":0,"maximum":1}}})", "t: 0\n").empty());
}

TEST(ConfigSchemaValues, StringLengthsCountCharacters) {
  const std::string s = R"({"properties":{"s":{"type":"string","minLength":1,"maxLength":3}}})";
  EXPECT_EQ(errors_of(s, "s: ''\n"), Lines{at(1, 4, ".s: expected a string of at least 1 character, got \"\"")});
  EXPECT_EQ(errors_of(s, "s: abcd\n"),
            Lines{at(1, 4, ".s: expected a string of at most 3 characters, got \"abcd\" (4 characters)")});
  EXPECT_TRUE(errors_of(s, "s: \"äöü\"\n").empty());  // 3 characters, 6 bytes
}

TEST(ConfigSchemaValues, PatternIsSearched) {
  const std::string s = R"({"properties":{"v":{"type":"string","pattern":"^[a-z][a-z0-9_]*(\\[[0-9]+\\])?$"}}})";
  EXPECT_EQ(errors_of(s, "v: Time[2]\n"),
            Lines{at(1, 4, ".v: expected a string matching ^[a-z][a-z0-9_]*(\\[[0-9]+\\])?$, got \"Time[2]\"")});
  EXPECT_TRUE(errors_of(s, "v: time[2]\n").empty());
  EXPECT_TRUE(errors_of(R"({"properties":{"v":{"pattern":"b"}}})", "v: abc\n").empty());
}

// ---- maps ---------------------------------------------------------------------------------------------

TEST(ConfigSchemaObjects, MissingRequiredKeyIsReportedAtTheMap) {
  const std::string s = R"({"type":"object","required":["variable","cues"],
                            "properties":{"variable":{"type":"string"},"cues":{"type":"object","additionalProperties":true}}})";
  EXPECT_EQ(errors_of(s, "# a comment\ncues: {a: 1}\n"), Lines{at(2, 1, ": missing required key \"variable\"")});
  EXPECT_EQ(errors_of(s, "{}\n"),
            (Lines{at(1, 1, ": missing required key \"variable\""), at(1, 1, ": missing required key \"cues\"")}));
}

TEST(ConfigSchemaObjects, UnknownKeyIsReportedAtTheKeyWithSuggestionAndAllowedKeys) {
  const std::string s = R"({"type":"object","properties":{"threshold":{},"thresholds":{"type":"object","additionalProperties":true},"name":{}}})";
  EXPECT_EQ(errors_of(s, "name: x\ntresholds: {}\n"),
            Lines{at(2, 1, ": unknown key \"tresholds\" (did you mean \"thresholds\"? allowed: threshold, thresholds, name)")});
  EXPECT_EQ(errors_of(s, "colour: red\n"),
            Lines{at(1, 1, ": unknown key \"colour\" (allowed: threshold, thresholds, name)")});
  EXPECT_EQ(errors_of(R"({"type":"object"})", "x: 1\n"), Lines{at(1, 1, ": unknown key \"x\" (this map takes no keys)")});
  // Nested: the path is the map's, the position the key's.
  EXPECT_EQ(errors_of(R"({"properties":{"inner":{"properties":{"depth":{}}}}})", "inner:\n  dpth: 1\n"),
            Lines{at(2, 3, ".inner: unknown key \"dpth\" (did you mean \"depth\"? allowed: depth)")});
}

TEST(ConfigSchemaObjects, AdditionalPropertiesSchemaChecksEveryValue) {
  const std::string s = R"({"properties":{"per_variable":{"type":"object",
        "additionalProperties":{"type":"number","exclusiveMinimum":0,"maximum":100}}}})";
  EXPECT_EQ(errors_of(s, "per_variable:\n  request: 2\n  event_type: 0\n  duration: many\n"),
            (Lines{at(3, 15, ".per_variable.event_type: expected a number in (0, 100], got 0"),
                   at(4, 13, ".per_variable.duration: expected a number in (0, 100], got \"many\"")}));
  EXPECT_TRUE(errors_of(R"({"additionalProperties":true})", "anything: [1, 2]\n").empty());
}

TEST(ConfigSchemaObjects, PropertyCountLimits) {
  const std::string s = R"({"properties":{"cues":{"type":"object","minProperties":1,"maxProperties":2,"additionalProperties":true}}})";
  EXPECT_EQ(errors_of(s, "cues: {}\n"), Lines{at(1, 7, ".cues: expected a map with at least 1 key, got an empty map")});
  EXPECT_EQ(errors_of(s, "cues: {a: 1, b: 2, c: 3}\n"),
            Lines{at(1, 7, ".cues: expected a map with at most 2 keys, got 3 keys")});
}

// ---- lists --------------------------------------------------------------------------------------------

TEST(ConfigSchemaArrays, ItemsAndCounts) {
  const std::string s = R"({"properties":{"l":{"type":"array","minItems":1,"maxItems":3,"items":{"type":"string","minLength":1}}}})";
  EXPECT_EQ(errors_of(s, "l: []\n"), Lines{at(1, 4, ".l: expected a list of at least 1 item, got an empty list")});
  EXPECT_EQ(errors_of(s, "l: [a, b, c, d]\n"), Lines{at(1, 4, ".l: expected a list of at most 3 items, got 4 items")});
  EXPECT_EQ(errors_of(s, "l:\n  - ok\n  - ''\n  - [x]\n"),
            (Lines{at(3, 5, ".l[1]: expected a string of at least 1 character, got \"\""),
                   at(4, 5, ".l[2]: expected a string, got a list")}));
}

TEST(ConfigSchemaArrays, UniqueItemsNamesTheFirst) {
  const std::string s = R"({"properties":{"l":{"type":"array","uniqueItems":true}}})";
  EXPECT_EQ(errors_of(s, "l:\n  - coffee\n  - lunch\n  - 'coffee'\n"),
            Lines{at(4, 5, ".l[2]: duplicate item \"coffee\" (first at [0] on line 2)")});
  EXPECT_EQ(errors_of(s, "l: [1, 1.0]\n"), Lines{at(1, 8, ".l[1]: duplicate item 1.0 (first at [0] on line 1)")});
  EXPECT_TRUE(errors_of(s, "l: [{a: 1}, {a: 2}]\n").empty());
}

// ---- all at once, defaults ------------------------------------------------------------------------------

TEST(ConfigSchemaCheck, CollectsEveryError) {
  const std::string s = R"({"type":"object","required":["variable"],"properties":{
      "variable":{"type":"string"},"weight":{"type":"number","maximum":100},"flag":{"type":"boolean"}}})";
  EXPECT_EQ(errors_of(s, "weight: 101\nflag: maybe\nwieght: 2\n"),
            (Lines{at(1, 1, ": missing required key \"variable\""), at(1, 9, ".weight: expected a number <= 100, got 101"),
                   at(2, 7, ".flag: expected true or false, got \"maybe\""),
                   at(3, 1, ": unknown key \"wieght\" (did you mean \"weight\"? allowed: variable, weight, flag)")}));
}

TEST(ConfigSchemaCheck, DefaultsFillAbsentKeysWithoutALine) {
  const std::string s = R"({"type":"object","properties":{
      "cue_weight":{"type":"number","default":1},
      "name":{"type":"string","default":"x"},
      "on":{"type":"boolean","default":true},
      "given":{"type":"number","default":5},
      "outer":{"type":"object","default":{},"properties":{
          "inner":{"type":"object","default":{"depth":2},"properties":{"depth":{"type":"integer"},"mode":{"default":"fast"}}}}}}})";
  const Checked c = check(s, "given: 7\n");
  ASSERT_TRUE(c.errors.empty());
  const sdk::ConfigNode& n = c.node;
  ASSERT_EQ(n.entries().size(), 5u);
  EXPECT_EQ(n.entries()[0].key.scalar(), "given");  // file order first, then defaults in schema order
  EXPECT_EQ(n["given"].scalar(), "7");
  EXPECT_EQ(n["given"].mark().line, 1);
  EXPECT_EQ(n.entries()[1].key.scalar(), "cue_weight");
  EXPECT_DOUBLE_EQ(n.get_double("cue_weight", 0), 1.0);
  EXPECT_EQ(n["cue_weight"].mark().line, 0);
  EXPECT_EQ(n["cue_weight"].mark().file, "c.yaml");
  EXPECT_EQ(n["cue_weight"].path(), "cue_weight");
  EXPECT_EQ(n["name"].as_string(), "x");
  EXPECT_TRUE(n["name"].quoted());
  EXPECT_EQ(n["on"].as_bool(), true);
  // Nested defaults: outer's default {} gets inner's default, which gets mode's.
  EXPECT_EQ(n["outer"]["inner"].get_int("depth", 0), 2);
  EXPECT_EQ(n["outer"]["inner"].get_string("mode"), "fast");
  EXPECT_EQ(n["outer"]["inner"]["mode"].path(), "outer.inner.mode");
}

TEST(ConfigSchemaCheck, DefaultsFillInsideMapsThatAreWritten) {
  const std::string s = R"({"properties":{"outer":{"type":"object","properties":{"a":{"default":1},"b":{}}}}})";
  const Checked c = check(s, "outer:\n  b: 2\n");
  ASSERT_TRUE(c.errors.empty());
  EXPECT_EQ(c.node["outer"].get_int("a", 0), 1);
  EXPECT_EQ(c.node["outer"]["b"].mark().line, 2);
}

TEST(ConfigSchemaCheck, ValidateReportsTheSameWithoutBuilding) {
  auto s = schema(R"({"properties":{"t":{"type":"number","maximum":1,"default":0.5}}})");
  ASSERT_NE(s, nullptr);
  sdk::ConfigErrors errors;
  const sdk::ConfigNode node = parse_config_yaml("t: 2\n", "c.yaml", errors);
  s->validate(node, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.all()[0].to_string(), "c.yaml:1:4: error: t: expected a number <= 1, got 2");
}

// ---- the reference --------------------------------------------------------------------------------------

TEST(ConfigSchemaMarkdown, ListsEveryKeyWithTypeRangeDefaultAndDescription) {
  auto s = schema(R"({
    "type": "object",
    "required": ["variable", "cues"],
    "properties": {
      "variable": {"type": "string", "pattern": "^[a-z]+$", "description": "The variable to annotate."},
      "cues": {"type": "object", "minProperties": 1, "description": "Value name -> cue phrases.",
               "additionalProperties": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}},
      "mode": {"enum": ["fast", "exact"], "default": "fast"},
      "cue_weight": {"type": "number", "exclusiveMinimum": 0, "maximum": 100, "default": 1, "description": "Weight."},
      "nested": {"type": "object", "properties": {"depth": {"type": "integer", "minimum": 1}}},
      "rows": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}}
    }
  })");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->markdown(),
            "- `variable` (string, required, matching `^[a-z]+$`): The variable to annotate.\n"
            "- `cues` (map, required, at least 1 key): Value name -> cue phrases.\n"
            "  - *any key* (list of strings, at least 1 item)\n"
            "- `mode` (one of `fast`, `exact`, default `fast`)\n"
            "- `cue_weight` (number, in (0, 100], default `1`): Weight.\n"
            "- `nested` (map)\n"
            "  - `depth` (integer, >= 1)\n"
            "- `rows` (list of maps)\n"
            "  - *each item* (map)\n"
            "    - `id` (string, required)\n");
  EXPECT_EQ(schema(R"({"type":"object"})")->markdown(), "- (no keys: the config must be empty)\n");
}

}  // namespace
}  // namespace tandem::detail
