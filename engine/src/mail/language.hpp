// Internal: which language a reply is written in, as a distribution over ISO 639-1 codes.
//
// Short scheduling mail has few words, so a character n-gram model trained on little data guesses
// badly; function words ("the", "und", "nous", "el", "we", "ich") and the scheduling words of each
// language decide instead, with ICU's word break iterator to find words in any script. Scores are
// counts of distinct matched words per language, turned into probabilities with add-one smoothing, so a
// two-word reply gets an honest, flat distribution, and a text with no known word gets none.
//
// Thread-safety: free functions over immutable tables.
#ifndef TANDEM_ENGINE_MAIL_LANGUAGE_HPP_
#define TANDEM_ENGINE_MAIL_LANGUAGE_HPP_

#include <string_view>

#include "tandem/sdk/types.hpp"

namespace tandem::detail::mail {

// Candidates "en", "de", "fr", "es", "it", "nl", "pt" with probabilities; empty when no word of any
// of them occurs in `text`.
sdk::Distribution detect_language(std::string_view text);

}  // namespace tandem::detail::mail

#endif  // TANDEM_ENGINE_MAIL_LANGUAGE_HPP_
