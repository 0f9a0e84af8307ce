// tandem.extractor.intent — tokens, phrase lists and the per-language data files.
//
// A language file (data/<lang>.yaml) holds every wording cue the extractor uses, as lists of phrases
// under fixed keys ("request.cancel", "event.coffee", "duration.units", ...). The code holds only the
// general rules (intent.cpp). Phrases are tokenized and folded exactly as the text is, so "won't",
// "rendez-vous" and "l'atelier" match however the text is cased; "*" in a phrase stands for up to three
// words.
//
// Thread-safety: a Language is immutable after load_language() and may be shared by many threads.
// Ownership: plain values.
#ifndef TANDEM_PLUGINS_EXTRACTOR_INTENT_LEXICON_HPP_
#define TANDEM_PLUGINS_EXTRACTOR_INTENT_LEXICON_HPP_

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::plugins::intent {

// Folds UTF-8 text for matching (the host's LocaleFacts::fold_case).
using Folder = std::function<std::string(std::string_view)>;

struct Token {
  enum class Kind { word, number, punct, newline };
  Kind kind = Kind::word;
  std::string text;        // folded; ’ and ‘ read as '
  std::size_t begin = 0;   // bytes of the original text
  std::size_t end = 0;
  bool capital = false;    // the first letter is upper case
  double number = 0;       // the value of a number token ("1,5" and "1.5" are 1.5)
  bool decimal = false;    // the number had a decimal separator
};

// Words (letters, with apostrophes inside: "won't", "l'atelier"), numbers (digits, with one inner "," or "."
// before digits), single punctuation marks and line breaks. Letters and digits never share a token.
std::vector<Token> tokenize(std::string_view text, const Folder& fold);

struct Phrase {
  std::vector<std::string> tokens;  // folded; "*" is a gap of up to three words
  std::string text;                 // as written in the data file
  double weight = 1.0;              // a weighted entry's weight, or a number map's value
  std::string value;                // a text map's value ("Le" for "au")
};
using PhraseList = std::vector<Phrase>;

// One language's data file, loaded and checked.
struct Language {
  std::string code;
  std::filesystem::path file;
  std::map<std::string, PhraseList, std::less<>> lists;  // "request.cancel" -> phrases
  // The phrases under `key`; an empty list when the file has none.
  const PhraseList& list(std::string_view key) const;
};

// The keys a language file may hold, with their kinds (for the checks and the README).
std::vector<std::string> language_keys();

// Reads a language file. On failure returns false and appends "file:line:column: error: what" lines
// (every problem of the file, not only the first).
bool load_language(const std::filesystem::path& file, const Folder& fold, Language& out,
                   std::vector<std::string>& errors);

// A match of a phrase: tokens [begin, end).
struct Hit {
  std::size_t begin = 0;
  std::size_t end = 0;
  const Phrase* phrase = nullptr;
};

// Whether `phrase` matches at token `i` (its end in `end`). Punctuation in the phrase must match; a "*"
// skips up to three word or number tokens, never a line break or a sentence mark.
bool match_at(const std::vector<Token>& tokens, std::size_t i, const Phrase& phrase, std::size_t& end);
// Every match of every phrase of `list` in tokens [from, to), longest first at each start; matches
// inside a longer one are dropped.
std::vector<Hit> find_all(const std::vector<Token>& tokens, const PhraseList& list, std::size_t from = 0,
                          std::size_t to = static_cast<std::size_t>(-1));

}  // namespace tandem::plugins::intent

#endif  // TANDEM_PLUGINS_EXTRACTOR_INTENT_LEXICON_HPP_
