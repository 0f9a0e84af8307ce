#include "cue_words.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

namespace tandem::plugins {
namespace {

constexpr const char* kSchema = R"({
  "type": "object",
  "description": "Annotates one variable from cue phrases listed per value.",
  "properties": {
    "variable": {
      "type": "string",
      "pattern": "^[a-z][a-z0-9_]*(\\[[0-9]+\\])?(\\.[a-z][a-z0-9_]*)*$",
      "description": "The variable to annotate, by its wire name: \"event_type\", \"time[0].polarity\"."
    },
    "cues": {
      "type": "object",
      "minProperties": 1,
      "additionalProperties": {
        "type": "array",
        "minItems": 1,
        "items": {"type": "string", "minLength": 1}
      },
      "description": "Value name -> the phrases that suggest it. Matched case-insensitively, as whole words."
    },
    "default": {
      "type": "string",
      "description": "The value to annotate when no cue matches; without it a message with no cue gets no annotation."
    },
    "cue_weight": {
      "type": "number",
      "exclusiveMinimum": 0,
      "maximum": 100,
      "default": 1,
      "description": "Weight a value gains for each occurrence of one of its cues."
    },
    "prior_weight": {
      "type": "number",
      "minimum": 0,
      "maximum": 100,
      "default": 0.5,
      "description": "Weight spread evenly over all values before any cue is counted."
    }
  },
  "required": ["variable", "cues"],
  "additionalProperties": false
})";

// Bytes that belong to a word: ASCII letters and digits, and every byte of a multi-byte UTF-8 sequence
// (so that "café" is never cut after "caf").
bool is_word_byte(unsigned char c) noexcept {
  return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The length of the well-formed UTF-8 sequence starting at text[i], or 0 when it is malformed.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return n;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) {
    if (!s.empty()) s += ", ";
    s += "\"" + n + "\"";
  }
  return s;
}

}  // namespace

FoldedText::FoldedText(std::string_view text, const sdk::LocaleFacts& locale) {
  folded_.reserve(text.size());
  // Texts use few distinct non-ASCII code points; fold each once per text.
  std::unordered_map<std::uint32_t, std::string> cache;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      folded_.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) {  // not UTF-8: keep the byte; it still counts as part of a word
      folded_.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    std::uint32_t key = 0;
    for (std::size_t k = 0; k < n; ++k) key = (key << 8) | static_cast<unsigned char>(text[i + k]);
    auto it = cache.find(key);
    if (it == cache.end()) {
      std::string f = locale.fold_case(text.substr(i, n));
      if (f.empty()) f.assign(text.substr(i, n));  // a service that cannot fold must not erase text
      it = cache.emplace(key, std::move(f)).first;
    }
    chunks_.push_back(Chunk{folded_.size(), it->second.size(), i, n});
    folded_ += it->second;
    i += n;
  }
}

std::size_t FoldedText::to_original(std::size_t folded, bool end_side) const noexcept {
  // The chunk holding the byte in question: the first byte of a range, or the last one for its end.
  const std::size_t probe = end_side ? folded - 1 : folded;
  auto it = std::upper_bound(chunks_.begin(), chunks_.end(), probe,
                             [](std::size_t f, const Chunk& c) { return f < c.folded_begin; });
  if (it == chunks_.begin()) return folded;  // only one-to-one bytes before it
  const Chunk& c = *std::prev(it);
  if (probe < c.folded_begin + c.folded_size)
    return end_side ? c.original_begin + c.original_size : c.original_begin;
  return c.original_begin + c.original_size + (folded - (c.folded_begin + c.folded_size));
}

sdk::Span FoldedText::original(std::size_t begin, std::size_t end) const noexcept {
  if (end <= begin) {
    const std::size_t at = to_original(begin, false);
    return {at, at};
  }
  return {to_original(begin, false), to_original(end, true)};
}

void CueWords::check_config(const sdk::ConfigNode& config, sdk::ConfigErrors& errors) {
  const sdk::ConfigNode& cues = config["cues"];
  std::vector<std::string> values;
  if (cues.is_map()) {
    // Lower-cased cue -> the value it was first listed under. Only ASCII case is folded here (no
    // services yet); the constructor repeats the check with full Unicode folding.
    std::map<std::string, std::string> owner;
    for (const auto& entry : cues.entries()) {
      const std::string& value = entry.key.scalar();
      values.push_back(value);
      if (value.empty()) errors.add(entry.key, "a value name must not be empty");
      if (!entry.value.is_sequence()) continue;
      for (const auto& item : entry.value.items()) {
        if (!item.is_scalar()) continue;
        const std::string key = ascii_lower(item.scalar());
        auto [it, inserted] = owner.emplace(key, value);
        if (inserted) continue;
        if (it->second == value)
          errors.add(item, "cue \"" + item.scalar() + "\" is listed twice under \"" + value + "\"");
        else
          errors.add(item, "cue \"" + item.scalar() + "\" is listed under both \"" + it->second + "\" and \"" +
                               value + "\"");
      }
    }
  }
  const sdk::ConfigNode* dflt = config.find("default");
  if (dflt != nullptr && dflt->is_scalar() && cues.is_map() &&
      std::find(values.begin(), values.end(), dflt->scalar()) == values.end()) {
    std::string hint = sdk::did_you_mean(dflt->scalar(), values);
    if (hint.empty()) hint = " (the values are " + quoted_list(values) + ")";
    errors.add(*dflt, "\"" + dflt->scalar() + "\" is not one of the values in cues" + hint);
  }
}

CueWords::CueWords(const sdk::PluginContext& ctx) : services_(ctx.services()) {
  const sdk::ConfigNode& config = ctx.config();
  variable_ = config.get_string("variable");
  default_ = config.get_string("default");
  cue_weight_ = config.get_double("cue_weight", 1.0);
  prior_weight_ = config.get_double("prior_weight", 0.5);
  const sdk::LocaleFacts& locale = services_.locale();

  // Folded cue -> (value, written form), to catch duplicates that only full case folding reveals
  // ("CAFÉ" and "café"); check_config has already refused the ASCII ones.
  std::map<std::string, std::pair<std::string, std::string>> owner;
  for (const auto& entry : config["cues"].entries()) {
    Value value{entry.key.scalar(), {}};
    for (const auto& item : entry.value.items()) {
      Cue cue{item.scalar(), locale.fold_case(item.scalar())};
      if (cue.folded.empty()) cue.folded = ascii_lower(cue.written);
      auto [it, inserted] = owner.emplace(cue.folded, std::make_pair(value.name, cue.written));
      if (!inserted) {
        if (it->second.first == value.name)
          ctx.errors().add(item, "cue \"" + cue.written + "\" is listed twice under \"" + value.name + "\"");
        else
          ctx.errors().add(item, "cue \"" + cue.written + "\" is listed under both \"" + it->second.first +
                                     "\" and \"" + value.name + "\"");
        continue;
      }
      value.cues.push_back(std::move(cue));
    }
    values_.push_back(std::move(value));
  }
  if (values_.empty()) ctx.errors().add(config, "cues: expected at least one value with cues");
}

sdk::Status CueWords::on_extract(const sdk::Message& msg, std::vector<sdk::Annotation>& out) {
  const FoldedText folded(msg.text, services_.locale());
  const std::string_view text = folded.text();

  struct Hit {
    std::size_t pos;
    std::size_t size;
    const Cue* cue;
  };
  std::vector<std::size_t> counts(values_.size(), 0);
  std::vector<std::optional<Hit>> first(values_.size());
  std::size_t total = 0;
  for (std::size_t v = 0; v < values_.size(); ++v) {
    for (const Cue& cue : values_[v].cues) {
      const std::size_t n = cue.folded.size();
      std::size_t pos = text.find(cue.folded);
      while (pos != std::string_view::npos) {
        const std::size_t end = pos + n;
        const bool whole = (pos == 0 || !is_word_byte(static_cast<unsigned char>(text[pos - 1]))) &&
                           (end == text.size() || !is_word_byte(static_cast<unsigned char>(text[end])));
        if (!whole) {
          pos = text.find(cue.folded, pos + 1);
          continue;
        }
        ++counts[v];
        ++total;
        auto& f = first[v];
        if (!f || pos < f->pos || (pos == f->pos && n > f->size)) f = Hit{pos, n, &cue};
        pos = text.find(cue.folded, end);
      }
    }
  }
  if (total == 0 && default_.empty()) return sdk::Status::ok();

  const double prior = prior_weight_ / static_cast<double>(values_.size());
  std::vector<sdk::Candidate> candidates;
  candidates.reserve(values_.size());
  for (std::size_t v = 0; v < values_.size(); ++v) {
    double w = prior + cue_weight_ * static_cast<double>(counts[v]);
    if (total == 0 && values_[v].name == default_) w += cue_weight_;  // the default counts as one cue
    candidates.push_back({values_[v].name, w});
  }

  sdk::Annotation a;
  a.variable.name = variable_;
  a.variable.distribution = sdk::Distribution(std::move(candidates));
  const std::string& top = a.variable.distribution.top().value;
  for (std::size_t v = 0; v < values_.size(); ++v) {
    if (values_[v].name != top) continue;
    if (first[v]) {
      a.span = folded.original(first[v]->pos, first[v]->pos + first[v]->size);
      a.note = "cue \"" + first[v]->cue->written + "\"";
    } else {
      a.note = "no cue; the default \"" + default_ + "\"";
    }
    break;
  }
  out.push_back(std::move(a));
  return sdk::Status::ok();
}

}  // namespace tandem::plugins

TANDEM_PLUGIN(tandem::plugins::CueWords, .name = "tandem.extractor.cue_words", .version = "0.1.0",
              .status = "alpha", .summary = "Annotates one variable from cue phrases listed per value",
              .config_schema = tandem::plugins::kSchema, .thread_safe = true);
