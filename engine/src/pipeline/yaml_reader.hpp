// Internal: YAML text to sdk::ConfigNode, the tree plugins and the pipeline checks read.
//
// What the reader guarantees about the tree it returns:
// - every node carries its file and a 1-based line and column (yaml-cpp counts from 0); a map value
//   written as nothing at all (`key:`) is a null node marked at its key, because yaml-cpp marks such a
//   value where the next token starts;
// - every node carries its key path ("stages.extract[0].plugin"), relative to the root the caller
//   chooses; a `Reroot` hook may start a new root inside the tree (the pipeline restarts paths at each
//   instance's `config:`, so a plugin sees paths relative to its own config), and errors found below a
//   new root still name the full path;
// - scalars keep whether they were written quoted (yaml-cpp tags a plain scalar "?" and a quoted or
//   block scalar "!"; an explicit !!str counts as quoted), so a quoted "0.5" stays text;
// - a key written twice in one map is an error at the second key naming the line of the first (yaml-cpp
//   0.7 keeps both entries without a word); the first one wins;
// - a syntax error becomes "file:line:column: error: YAML syntax: <what>", with a plainer message for a
//   tab in the indentation; a second document in the text is an error (yaml-cpp 0.7 silently splits
//   some malformed files into two documents).
//
// Thread-safety: free functions without shared state.
#ifndef TANDEM_ENGINE_PIPELINE_YAML_READER_HPP_
#define TANDEM_ENGINE_PIPELINE_YAML_READER_HPP_

#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "tandem/sdk/config.hpp"

namespace tandem::detail {

// Called with the full path of each map value before it is read; true makes that value the root of
// a new path (its own path becomes "", its children "key", "[0]", ...). Not called below a new root.
using Reroot = bool (*)(std::string_view full_path);

// Parses `text` as one YAML document. On a syntax error (or a second document) adds the error to
// `errors` and returns nullopt. An empty text (or only comments) gives a Null node.
std::optional<YAML::Node> parse_yaml_document(std::string_view text, const std::string& file_name,
                                              sdk::ConfigErrors& errors);

// Converts a parsed node. `text` must be the text `node` was parsed from (it tells an explicit `~`
// from a value left empty). Paths are relative to `node`; errors carry `errors.prefix()` in front.
sdk::ConfigNode to_config_node(const YAML::Node& node, std::string_view text, const std::string& file_name,
                               sdk::ConfigErrors& errors, Reroot reroot = nullptr);

// "a.b" / "a[2]" / "b" (when `parent` is empty): how key paths are spelt everywhere.
std::string child_path(std::string_view parent, std::string_view key);
std::string item_path(std::string_view parent, std::size_t index);

}  // namespace tandem::detail

#endif  // TANDEM_ENGINE_PIPELINE_YAML_READER_HPP_
