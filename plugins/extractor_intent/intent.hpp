// tandem.extractor.intent — what the newest message of a thread asks, read by general rules from the
// cue lists of one language file (lexicon.hpp).
//
// analyze() reads the message's new text, its quoted history, its subject and its signature, and returns
// one distribution per variable: request, event_type, duration, location, participants, optional and,
// for interview loops, sessions and sessions.order. The rules (negation scope, which text counts, how
// arrangers are recognised, number words to minutes, ...) are described in README.md.
//
// Thread-safety: analyze() only reads its arguments; a Directory and a Language may be shared by many
// threads. Ownership: plain values.
#ifndef TANDEM_PLUGINS_EXTRACTOR_INTENT_INTENT_HPP_
#define TANDEM_PLUGINS_EXTRACTOR_INTENT_INTENT_HPP_

#include <filesystem>
#include <string>
#include <vector>

#include "lexicon.hpp"
#include "tandem/sdk/types.hpp"

namespace tandem::plugins::intent {

// A person the extractor may recognise by name in the text (the people directory, `mail.people`'s format).
struct Person {
  std::string name;     // "Oliver Hughes"
  std::string address;  // lower case
  std::string role;     // "Executive Assistant to Oliver Hughes, Halcyon Capital"
  std::string zone;     // IANA zone, "" unknown
};

struct Directory {
  std::vector<Person> people;
  std::vector<std::string> assistant;  // the directory's `assistant` addresses, lower case
};

// Reads a people directory (`assistant:` and `people: {key: {email, name, role, tz, ...}}`; other keys
// are ignored). On failure returns false and appends "file:line:column: error: what" lines.
bool load_directory(const std::filesystem::path& file, Directory& out, std::vector<std::string>& errors);

struct Options {
  std::vector<std::string> assistant;  // the assistant's own addresses, lower case: never an attendee
  std::vector<std::string> calendar_words;  // folded weekday and month names: never a place's name
  std::vector<std::string> weekday_words;   // folded weekday names, wide, of every language: a day named
};

struct VariableOut {
  std::string name;            // "request", "sessions.order"
  sdk::Distribution distribution;
  sdk::Span span;              // into Message::text; empty when the evidence was elsewhere (or nowhere)
  std::string note;            // short evidence
};

// `lang` is the message's language; `languages` every loaded one (the quoted history may be written in
// another: its body is read with the language its words are in).
std::vector<VariableOut> analyze(const sdk::Message& msg, const Language& lang,
                                 const std::vector<const Language*>& languages, const Directory& directory,
                                 const Options& options, const Folder& fold);

}  // namespace tandem::plugins::intent

#endif  // TANDEM_PLUGINS_EXTRACTOR_INTENT_INTENT_HPP_
