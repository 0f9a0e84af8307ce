// Internal: plugin config schemas — the JSON Schema subset a descriptor's `config_schema` may use, and
// the check of a ConfigNode against it. Documented for plugin authors in sdk/README.md ("Config
// schemas").
//
// Supported keywords: type (string | number | integer | boolean | object | array | null, or a list of
// them), description, title, default, examples, enum, const, minimum, maximum, exclusiveMinimum,
// exclusiveMaximum, minLength, maxLength, pattern (ECMAScript regex), properties, required,
// additionalProperties (a boolean or a schema), minProperties, maxProperties,
// items (one schema), minItems, maxItems, uniqueItems.
// Annotations accepted and ignored by the check: $schema, $id, $comment. Any other keyword is refused
// when the schema is parsed, with a suggestion, so a misspelt "minimun" never goes unnoticed.
// One deliberate difference from JSON Schema: `additionalProperties` defaults to false, so a misspelt key
// is an error ("did you mean ..."), never silently ignored.
// How YAML values are read: a quoted scalar is a string only; a plain scalar is a number when it reads
// as one (finite), an integer when it has no fraction or exponent, a boolean when it is true or false
// (True/TRUE/False/FALSE too, as sdk::ConfigNode::as_bool reads them), and a string in every case
// (YAML users do not quote every word). `pattern` is searched, not anchored, as in JSON Schema; string
// lengths count Unicode code points. `default` must fit its own schema (checked at parse time).
#ifndef TANDEM_ENGINE_PIPELINE_SCHEMA_HPP_
#define TANDEM_ENGINE_PIPELINE_SCHEMA_HPP_

#include <memory>
#include <string>
#include <string_view>

#include "tandem/sdk/config.hpp"
#include "tandem/sdk/status.hpp"

namespace tandem::detail {

// A parsed, checked schema. Immutable; share freely between threads.
class ConfigSchema {
 public:
  // Parses schema text. Errors name the JSON pointer of the bad part: "/properties/threshold/minimun:
  // unknown schema keyword (did you mean \"minimum\"?)".
  static sdk::Result<std::shared_ptr<const ConfigSchema>> parse(std::string_view json_text);

  // Checks `node` and returns it with defaults filled in for absent optional keys (a default's Mark has
  // line 0). Every problem goes to `errors` as "expected ..., got ..." at the node it concerns; unknown
  // keys at the key's own position, with a suggestion and the allowed keys.
  sdk::ConfigNode check(const sdk::ConfigNode& node, sdk::ConfigErrors& errors) const;
  // The same checks without building the defaults-filled copy (the pipeline's own keys: it reads the
  // values it needs itself and must not copy every instance's config once more).
  void validate(const sdk::ConfigNode& node, sdk::ConfigErrors& errors) const;

  // The reference of every key, as Markdown list lines ("- `threshold` (number, 0 to 1, default 0.8):
  // ..."), for generated docs.
  std::string markdown() const;

  virtual ~ConfigSchema() = default;

 protected:
  ConfigSchema() = default;
};

// How a value is shown after "got" in a message: 1.5, true, "high" (a plain word is quoted too),
// a map, an empty list, null.
std::string found_text(const sdk::ConfigNode& node);

}  // namespace tandem::detail

#endif  // TANDEM_ENGINE_PIPELINE_SCHEMA_HPP_
