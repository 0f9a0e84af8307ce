#include "pipeline/yaml_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tandem/pipeline.hpp"

namespace tandem::detail {
namespace {

std::vector<std::string> lines(const sdk::ConfigErrors& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors.all()) out.push_back(e.to_string());
  return out;
}

struct Read {
  sdk::ConfigNode root;
  std::vector<std::string> errors;
};

Read read(const std::string& yaml, std::string prefix = {}) {
  sdk::ConfigErrors errors(std::move(prefix));
  Read r;
  r.root = parse_config_yaml(yaml, "t.yaml", errors);
  r.errors = lines(errors);
  return r;
}

TEST(YamlReader, MarksAreOneBasedAndPathsNameKeysAndIndexes) {
  const Read r = read(
      "stages:\n"
      "  extract:\n"
      "    - plugin: cue_words\n"
      "      config:\n"
      "        cues:\n"
      "          schedule: [meet, call, coffee]\n");
  ASSERT_TRUE(r.errors.empty());
  const sdk::ConfigNode& plugin = r.root["stages"]["extract"].items()[0]["plugin"];
  EXPECT_EQ(plugin.scalar(), "cue_words");
  EXPECT_EQ(plugin.path(), "stages.extract[0].plugin");
  EXPECT_EQ(plugin.mark().file, "t.yaml");
  EXPECT_EQ(plugin.mark().line, 3);
  EXPECT_EQ(plugin.mark().column, 15);
  const sdk::ConfigNode& coffee = r.root["stages"]["extract"].items()[0]["config"]["cues"]["schedule"].items()[2];
  EXPECT_EQ(coffee.scalar(), "coffee");
  EXPECT_EQ(coffee.path(), "stages.extract[0].config.cues.schedule[2]");
  EXPECT_EQ(coffee.mark().line, 6);
  EXPECT_EQ(coffee.mark().column, 34);
  // Keys carry their own position and the path of their value.
  const auto& key = r.root["stages"].entries()[0].key;
  EXPECT_EQ(key.scalar(), "extract");
  EXPECT_EQ(key.mark().line, 2);
  EXPECT_EQ(key.mark().column, 3);
  EXPECT_EQ(key.path(), "stages.extract");
  EXPECT_EQ(r.root.mark().line, 1);
  EXPECT_EQ(r.root.path(), "");
}

TEST(YamlReader, RootSequencePathsStartWithAnIndex) {
  const Read r = read("- a\n- {k: v}\n");
  ASSERT_TRUE(r.errors.empty());
  EXPECT_EQ(r.root.items()[1]["k"].path(), "[1].k");
}

TEST(YamlReader, QuotedAndBlockScalarsAreMarkedQuoted) {
  struct Case {
    const char* yaml;
    const char* text;
    bool quoted;
  };
  const Case cases[] = {
      {"v: 0.5\n", "0.5", false},        {"v: \"0.5\"\n", "0.5", true}, {"v: '0.5'\n", "0.5", true},
      {"v: !!str 5\n", "5", true},       {"v: !!int 5\n", "5", false},  {"v: true\n", "true", false},
      {"v: |\n  two\n  lines\n", "two\nlines\n", true},                 {"v: >-\n  folded\n", "folded", true},
      {"v: plain words\n", "plain words", false},
  };
  for (const auto& c : cases) {
    const Read r = read(c.yaml);
    ASSERT_TRUE(r.errors.empty()) << c.yaml;
    const sdk::ConfigNode& v = r.root["v"];
    ASSERT_TRUE(v.is_scalar()) << c.yaml;
    EXPECT_EQ(v.scalar(), c.text) << c.yaml;
    EXPECT_EQ(v.quoted(), c.quoted) << c.yaml;
  }
  EXPECT_FALSE(read("v: \"0.5\"\n").root["v"].as_double().has_value());
  EXPECT_DOUBLE_EQ(*read("v: 0.5\n").root["v"].as_double(), 0.5);
}

TEST(YamlReader, NullsAreNullNodesAndAnEmptyValueIsMarkedAtItsKey) {
  const Read r = read("a: ~\nb: null\nc:\nd: 1\n");
  ASSERT_TRUE(r.errors.empty());
  EXPECT_TRUE(r.root["a"].is_null());
  EXPECT_EQ(r.root["a"].mark().line, 1);
  EXPECT_EQ(r.root["a"].mark().column, 4);
  EXPECT_TRUE(r.root["b"].is_null());
  EXPECT_EQ(r.root["b"].mark().line, 2);
  // yaml-cpp marks an empty value where the next key starts (4:1); the reader marks it at its key.
  const sdk::ConfigNode& c = r.root["c"];
  EXPECT_TRUE(c.is_null());
  EXPECT_TRUE(r.root.has("c"));
  EXPECT_EQ(c.path(), "c");
  EXPECT_EQ(c.mark().line, 3);
  EXPECT_EQ(c.mark().column, 1);
}

TEST(YamlReader, AnEmptySequenceItemIsMarkedAtItsDash) {
  const Read r = read("list:\n  - x\n  -\n  - y\n");
  ASSERT_TRUE(r.errors.empty());
  const sdk::ConfigNode& empty = r.root["list"].items()[1];
  EXPECT_TRUE(empty.is_null());
  EXPECT_EQ(empty.path(), "list[1]");
  EXPECT_EQ(empty.mark().line, 3);
  EXPECT_EQ(empty.mark().column, 3);
}

TEST(YamlReader, DuplicateKeyIsReportedAtTheSecondNamingTheFirstLine) {
  const Read r = read("route:\n  threshold: 0.5\n  thresholds: {}\n  threshold: 0.9\n");
  EXPECT_EQ(r.errors, std::vector<std::string>{
                          "t.yaml:4:3: error: route.threshold: duplicate key \"threshold\" (first on line 2)"});
  // The first one wins and the key appears once.
  ASSERT_EQ(r.root["route"].entries().size(), 2u);
  EXPECT_EQ(r.root["route"]["threshold"].scalar(), "0.5");
}

TEST(YamlReader, DuplicateKeysAreFoundInBigMapsToo) {
  std::string yaml;
  for (int i = 0; i < 40; ++i) yaml += "k" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  yaml += "k3: again\nk39: again\n";
  const Read r = read(yaml);
  EXPECT_EQ(r.errors, (std::vector<std::string>{"t.yaml:41:1: error: k3: duplicate key \"k3\" (first on line 4)",
                                                "t.yaml:42:1: error: k39: duplicate key \"k39\" (first on line 40)"}));
  EXPECT_EQ(r.root.entries().size(), 40u);
}

TEST(YamlReader, DuplicateKeysInFlowMapsAndQuotedSpellings) {
  const Read r = read("a: {x: 1, \"x\": 2}\n");
  EXPECT_EQ(r.errors, std::vector<std::string>{"t.yaml:1:11: error: a.x: duplicate key \"x\" (first on line 1)"});
}

TEST(YamlReader, ErrorPathsCarryThePrefixWhileNodePathsStayRelative) {
  const Read r = read("cues:\n  schedule: [a]\n  schedule: [b]\n", "stages.extract[0].config");
  EXPECT_EQ(r.errors,
            std::vector<std::string>{"t.yaml:3:3: error: stages.extract[0].config.cues.schedule: duplicate key "
                                     "\"schedule\" (first on line 2)"});
  EXPECT_EQ(r.root["cues"]["schedule"].path(), "cues.schedule");
}

TEST(YamlReader, SyntaxErrorsNameFileLineAndColumn) {
  struct Case {
    const char* yaml;
    const char* error;
  };
  const Case cases[] = {
      {"a: [1, 2\nb: 3\n", "t.yaml:2:2: error: YAML syntax: end of sequence flow not found"},
      {"a:\n  b: 1\n c: 2\n", "t.yaml:3:2: error: YAML syntax: end of map not found"},
      {"a: *nope\n", "t.yaml:1:4: error: YAML syntax: the referenced anchor is not defined"},
      // A tab in the indentation: yaml-cpp says "illegal map value" at 2:3; the reader names the tab.
      {"a:\n\tb: 1\n", "t.yaml:2:1: error: YAML syntax: a tab character in the indentation (YAML indents with "
                       "spaces only)"},
      {"stages:\n  extract:\n  \t- plugin: x\n", "t.yaml:3:3: error: YAML syntax: a tab character in the "
                                                 "indentation (YAML indents with spaces only)"},
      // yaml-cpp 0.7 reads this as two documents and would drop the second silently.
      {"- a\nb: 1\n", "t.yaml:2:1: error: YAML syntax: a second document starts here (check the indentation of "
                      "this line; a config file holds one document)"},
      {"a: 1\n---\nb: 2\n", "t.yaml:3:1: error: YAML syntax: a second document starts here (check the "
                            "indentation of this line; a config file holds one document)"},
  };
  for (const auto& c : cases) {
    const Read r = read(c.yaml);
    EXPECT_EQ(r.errors, std::vector<std::string>{c.error}) << c.yaml;
    EXPECT_TRUE(r.root.is_null()) << c.yaml;
  }
}

TEST(YamlReader, AnEmptyDocumentIsANullRootAndAnEmptyConfigAnEmptyMap) {
  for (const char* yaml : {"", "# only a comment\n"}) {
    sdk::ConfigErrors errors;
    auto doc = parse_yaml_document(yaml, "t.yaml", errors);
    ASSERT_TRUE(doc.has_value()) << yaml;
    EXPECT_TRUE(doc->IsNull()) << yaml;
    EXPECT_TRUE(errors.empty()) << yaml;
    const Read r = read(yaml);
    EXPECT_TRUE(r.errors.empty()) << yaml;
    EXPECT_TRUE(r.root.is_map()) << yaml;
    EXPECT_EQ(r.root.size(), 0u) << yaml;
    EXPECT_EQ(r.root.mark().line, 1) << yaml;
  }
  EXPECT_TRUE(read("~\n").root.is_null());
  EXPECT_TRUE(read("a: 1\n---\n").root.is_map());
  EXPECT_TRUE(read("a: 1\n---\n").errors.empty());
}

TEST(YamlReader, UnsupportedTagsAndNonScalarKeysAreErrors) {
  const Read r = read("a: !custom x\n? [k]\n: v\nb: 2\n");
  EXPECT_EQ(r.errors, (std::vector<std::string>{
                          "t.yaml:1:4: error: a: unsupported YAML tag \"!custom\" (write plain strings, numbers, "
                          "booleans, lists and maps)",
                          "t.yaml:2:3: error: a key must be a plain word or text, got a list"}));
  EXPECT_EQ(r.root.entries().size(), 2u);
  EXPECT_EQ(r.root["b"].scalar(), "2");
}

TEST(YamlReader, RerootRestartsPathsBelowChosenValues) {
  const std::string yaml =
      "stages:\n"
      "  extract:\n"
      "    - plugin: p\n"
      "      config:\n"
      "        cues: {a: [x]}\n"
      "        cues: {}\n";
  sdk::ConfigErrors errors;
  auto doc = parse_yaml_document(yaml, "t.yaml", errors);
  ASSERT_TRUE(doc.has_value());
  const sdk::ConfigNode root = to_config_node(*doc, yaml, "t.yaml", errors, [](std::string_view full) {
    return full == "stages.extract[0].config";
  });
  const sdk::ConfigNode& config = root["stages"]["extract"].items()[0]["config"];
  EXPECT_EQ(config.path(), "");
  EXPECT_EQ(config["cues"]["a"].items()[0].path(), "cues.a[0]");
  EXPECT_EQ(root["stages"]["extract"].items()[0]["plugin"].path(), "stages.extract[0].plugin");
  EXPECT_EQ(lines(errors), std::vector<std::string>{"t.yaml:6:9: error: stages.extract[0].config.cues: duplicate "
                                                    "key \"cues\" (first on line 5)"});
}

TEST(YamlReader, PathHelpersSpellKeysAndIndexes) {
  EXPECT_EQ(child_path("", "route"), "route");
  EXPECT_EQ(child_path("route", "threshold"), "route.threshold");
  EXPECT_EQ(item_path("", 0), "[0]");
  EXPECT_EQ(item_path("stages.extract", 12), "stages.extract[12]");
}

}  // namespace
}  // namespace tandem::detail
