// tandem.extractor.time_rules — text to TimeExpressions, with polarity.
//
// parse() reads a message's text with one language's Lexicon and returns every time expression in text
// order: its span, the sdk::TimeExpression the resolver reads, a polarity with the strength of its cue,
// and a short note. Context that spans expressions is settled here: a weekday tied to a week named in
// the same sentence, "the Tuesday after" / "the week after" (the week after the one just named), "next
// X" when the text also says "this X", a clock time with no day taking the day named before it, the
// same time given in two zones kept as one item.
//
// Thread-safety: a pure function of its arguments (a ParseScratch serves one call at a time).
// Ownership: plain values; the scratch overload's result belongs to the scratch.
#ifndef TANDEM_PLUGINS_EXTRACTOR_TIME_RULES_PARSER_HPP_
#define TANDEM_PLUGINS_EXTRACTOR_TIME_RULES_PARSER_HPP_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lexicon.hpp"
#include "tandem/sdk/temporal.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem::plugins::time_rules {

enum class Polarity { positive, negative, neutral };
const char* to_string(Polarity p) noexcept;

// Another reading the parser itself considered, with its prior (the main expression has the rest).
// (Each has a constructor of its own so that emplace_back() does not zero the whole object first: a
// class whose default constructor is implicit is zero-filled by value-initialisation, one `rep stos` per
// item, and every member below has its own initialiser anyway.)
struct Alternative {
  Alternative() noexcept {}
  sdk::TimeExpression expression;
  double weight = 0.0;
};

// A short text kept in place: written without an allocation or a call into the string library (a note is
// written for every item). A text longer than the buffer (a long zone name) is kept in a string instead.
class NoteText {
 public:
  NoteText() noexcept { buf_[0] = '\0'; }
  std::string_view view() const noexcept {
    return long_.empty() ? std::string_view(buf_, len_) : std::string_view(long_);
  }
  operator std::string_view() const noexcept { return view(); }
  const char* data() const noexcept { return view().data(); }
  std::size_t size() const noexcept { return view().size(); }
  bool empty() const noexcept { return size() == 0; }
  const char* c_str() const noexcept { return long_.empty() ? buf_ : long_.c_str(); }
  void assign(const char* text, std::size_t n) {
    if (n < sizeof buf_) {
      std::memcpy(buf_, text, n);
      buf_[n] = '\0';
      len_ = static_cast<std::uint8_t>(n);
      long_.clear();
    } else {
      long_.assign(text, n);
      len_ = 0;
    }
  }
  friend bool operator==(const NoteText& a, std::string_view b) noexcept { return a.view() == b; }

 private:
  char buf_[88];
  std::uint8_t len_ = 0;
  std::string long_;  // used when the text does not fit buf_
};

struct Found {
  Found() noexcept {}
  sdk::Span span;
  sdk::TimeExpression expression;
  std::vector<Alternative> alternatives;  // readings of the words without the context rules, and the like
  Polarity polarity = Polarity::positive;
  double polarity_strength = 0.75;  // probability of `polarity`: 0.9 for a cue in the clause, 0.75 for none
  double clarity = 1.0;             // below 1 where the reading itself is loose ("3ish")
  NoteText note;  // "at; weekday (bare); clock" and the like: the shape, the kind of day, a clock, a zone
};

// The longest text parse() reads: a longer one has no expressions (the plugin refuses it with an error).
inline constexpr std::size_t kMaxTextBytes = 0xFFFFFFFFu;

// `today` is the day of sent in the sender's zone; it completes "the week of the 16th" with its month.
std::vector<Found> parse(std::string_view text, const Lexicon& lexicon, std::chrono::year_month_day today);

// The same with reusable working memory: the result views `scratch` and lives until its next use. A
// scratch serves one call at a time (give each thread its own); after a few texts parsing allocates little
// (its items, their notes and lists are written over from text to text, never freed).
class ParseScratch;
struct ScratchDeleter {
  void operator()(ParseScratch* s) const noexcept;
};
std::unique_ptr<ParseScratch, ScratchDeleter> make_parse_scratch();
std::span<const Found> parse(std::string_view text, const Lexicon& lexicon, std::chrono::year_month_day today,
                             ParseScratch& scratch);

}  // namespace tandem::plugins::time_rules

#endif  // TANDEM_PLUGINS_EXTRACTOR_TIME_RULES_PARSER_HPP_
