// tandem.extractor.cue_words — annotates one variable from cue phrases written in the config.
//
// For each value of the variable the config lists phrases ("schedule": ["grab coffee", "meet"]). A
// message's text is case-folded (services.locale().fold_case) and searched for whole-word occurrences
// of each phrase; every value gets prior_weight / number_of_values plus cue_weight per occurrence, and
// the normalised weights become the annotation's distribution. The span is the first occurrence of a
// cue of the most probable value. See README.md for the config reference.
//
// Thread-safety: an instance is immutable after construction; extract() may run on many threads at once.
// Ownership: keeps a reference to the host's Services, which outlives the instance.
#ifndef TANDEM_PLUGINS_EXTRACTOR_CUE_WORDS_CUE_WORDS_HPP_
#define TANDEM_PLUGINS_EXTRACTOR_CUE_WORDS_CUE_WORDS_HPP_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/sdk/plugin.hpp"

namespace tandem::plugins {

// Text folded for matching, with the way back to byte offsets of the original text.
class FoldedText {
 public:
  // Folds `text` one code point at a time (Unicode case folding is context-free, so this equals folding
  // the whole text). ASCII is folded here; other code points through `locale`. Bytes that are not
  // valid UTF-8 are copied unchanged.
  FoldedText(std::string_view text, const sdk::LocaleFacts& locale);

  const std::string& text() const noexcept { return folded_; }
  // The original byte range covering the folded range [begin, end): widened to whole code points.
  sdk::Span original(std::size_t begin, std::size_t end) const noexcept;

 private:
  // A code point whose folded bytes are not a one-to-one copy of its original bytes.
  struct Chunk {
    std::size_t folded_begin;
    std::size_t folded_size;
    std::size_t original_begin;
    std::size_t original_size;
  };
  std::size_t to_original(std::size_t folded, bool end_side) const noexcept;

  std::string folded_;
  std::vector<Chunk> chunks_;  // sorted by folded_begin
};

class CueWords final : public sdk::ExtractorPlugin {
 public:
  explicit CueWords(const sdk::PluginContext& ctx);

  // Checks beyond the schema: a cue under two values (or twice under one), a cue with no letter or
  // digit, an empty value name, a `default` that is not one of the values.
  static void check_config(const sdk::ConfigNode& config, sdk::ConfigErrors& errors);

 protected:
  sdk::Status on_extract(const sdk::Message& msg, std::vector<sdk::Annotation>& out) override;

 private:
  struct Cue {
    std::string written;  // as in the config, for notes
    std::string folded;   // what is searched for
  };
  struct Value {
    std::string name;
    std::vector<Cue> cues;
  };

  sdk::Services& services_;
  std::string variable_;
  std::vector<Value> values_;
  std::string default_;  // "" when absent
  double cue_weight_ = 1.0;
  double prior_weight_ = 0.5;
};

}  // namespace tandem::plugins

#endif  // TANDEM_PLUGINS_EXTRACTOR_CUE_WORDS_CUE_WORDS_HPP_
