// tandem.extractor.time_rules — tokens and the lexicon of one language.
//
// A Lexicon joins what ICU knows about a locale (month and weekday names, wide and abbreviated; the
// numeric date order; the 24-hour clock) with the language's data file (data/<lang>.yaml: every word
// ICU lacks — "next", "nächsten", parts of day, cue words for polarity, traps that are not times).
// Phrases are stored as sequences of folded tokens, so "o'clock", "après-midi" and "a las" match
// however the text spaces them.
//
// Thread-safety: a Lexicon is immutable after construction and may be shared by many threads.
// Ownership: plain values.
#ifndef TANDEM_PLUGINS_EXTRACTOR_TIME_RULES_LEXICON_HPP_
#define TANDEM_PLUGINS_EXTRACTOR_TIME_RULES_LEXICON_HPP_

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace tandem::plugins::time_rules {

// Hashes std::string and std::string_view alike, so lookups by a view build no temporary key.
struct StringHash {
  using is_transparent = void;
  // FNV-1a: keys are short words, where it beats the library's general-purpose hash.
  std::size_t operator()(std::string_view s) const noexcept {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return static_cast<std::size_t>(h);
  }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// Folds UTF-8 text for matching (the host's LocaleFacts::fold_case in the plugin).
using Folder = std::function<std::string(std::string_view)>;

// A token's place in a Lexicon's vocabulary (Lexicon::tokenize sets it).
inline constexpr std::uint32_t kWordUnknown = 0xFFFFFFFFu;  // not looked up (the free tokenize())
inline constexpr std::uint32_t kWordNone = 0xFFFFFFFEu;     // looked up: no phrase has this token

struct Token {
  enum class Kind : std::uint8_t { word, number, punct };
  std::size_t begin = 0;  // bytes of the original text
  std::size_t end = 0;
  // Folded; typographic apostrophes and dashes normalised to ' and -. A view of the tokenized text where
  // folding changes nothing (numbers, marks, lower-case words), else of the tokenizer's store.
  std::string_view text;
  // (number to capital: side by side, in the order of the parser's Unit, which copies them as one block)
  int number = -1;          // the value of a number token
  Kind kind = Kind::word;
  char ch = 0;              // a punctuation mark of one byte: that byte ("," "-"); otherwise 0
  bool space_before = false;
  bool capital = false;     // the first letter is upper case
  int digits = 0;           // a number's digit count
  bool upper = false;       // every letter upper case, at least two letters ("ET", "CET")
  bool line_start = false;  // first token of the text or of a line
  std::uint32_t word = kWordUnknown;  // the id of `text` in the lexicon's vocabulary
};

// A folded token text as the vocabulary of a Lexicon compares it: its size, its first eight bytes and,
// when longer, its last eight (little-endian, zero-padded), so that a word of up to 16 bytes is compared
// and hashed in a few instructions. Lexicon::tokenize makes it from the text as it scans ASCII words.
struct WordKey {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // 0 up to eight bytes
  std::size_t size = 0;
  bool operator==(const WordKey&) const = default;
  static WordKey of(std::string_view folded) noexcept;
  // Where the vocabulary's table looks first: all of the key's bytes mixed into the high bits.
  std::uint64_t hash() const noexcept {
    return (first ^ size) * 0x9E3779B97F4A7C15ull + last * 0xC2B2AE3D27D4EB4Full;
  }
};

// Splits text into words, numbers and single punctuation marks: letters and digits never share a
// token ("3pm" is "3" "pm", "14h30" is "14" "h" "30"), into `out` (cleared first; its capacity is kept).
// Token texts view `text` or `store` (working memory that holds the texts folding changed; its size is
// kept from one call to the next, only the tokens say which bytes are used), so both must outlive the
// tokens and `store` must not change while they are used.
void tokenize(std::string_view text, const Folder& fold, std::vector<Token>& out, std::string& store);

// What a phrase can mean. One phrase may have several meanings ("bis": until, or a range's "to").
enum class Cat : std::uint8_t {
  relative_day,    // value: days from today
  relative_day_alt,  // value: another count of days the same phrase is read as ("quinze jours": 15)
  weekday,         // value: 0 Sunday .. 6 Saturday
  weekday_abbr,    // an abbreviated weekday: a weekday only next to a number, a range or another day
  month,           // value: 1-12
  month_abbr,      // a month only next to a day number
  month_trap,      // a month name that is also a word or a name ("May"): needs a day or a month intro
  number,          // number words; value
  part_of_day,     // value: sdk::PartOfDay
  next, next_after, this_, last, last_after, coming, that, following,
  week, month_word, following_week, week_after_next, week_of, end_of_week, iso_week, plus_week,
  after, before, by, from, between, range_to, and_, or_, onward, or_later,
  at, oclock, am, pm, approx, hour_suffix,  // hour_suffix: the "h" of "14h30"
  clock_before,    // value: minutes ("half past" 30, "quarter to" -15, "halb" -30)
  clock_after,     // value: minutes ("et demie" 30, "menos cuarto" -15)
  in, from_now, day_unit, week_unit, duration_unit,
  glue, day_article, month_intro, ordinal_suffix,
  zone,            // value: index into Lexicon::zone_names
  zone_suffix,     // "time" of "London time", "Zeit"
  zone_prefix,     // "heure de", "hora de"
  greeting,        // a greeting that is never a time ("Happy New Year")
  greeting_start,  // a greeting only at the start of a line or sentence ("Morning Jess")
  rating, address, version,
  day_follower,    // "is", "would": a word after which an ordinal ("the 2nd is") stays a day
  ordinal_noun,    // "the 2nd round", "2nd floor": an ordinal before it is no day
  job,             // "job", "role", "Stelle", "jornada": working hours in its sentence are no item
  // Cues (found anywhere, longest first): they decide polarity and past tense.
  negative, positive, neutral, past, except, clause_break,
  negative_soft,   // a judgement ("too early", "tough"): negative, unless a question offers the time anyway
  contrast_inner,  // a contrast word that may follow the first words of its clause ("Donnerstag aber gern")
  task,            // "confirm", "reply": with "by" / "before", the time is a deadline (neutral)
  correction,      // "I meant": the time after a negation in its sentence is withdrawn, not refused
  quote_header,    // "wrote:", "schrieb": a quoted message's header line holds no item
  cancel,          // "cancel", "absagen", "can't attend": the times of its clause name the meeting called off (neutral)
  move,            // "move", "verschieben", "décaler": the meeting's old time is neutral, the time after `move_to` offered
  meeting,         // "meeting", "Termin", "rendez-vous": a time attached to it names that meeting
  soft_wish,       // "ideally": a part of day after it with no day of its own is a wish, no item
  preference,      // "better", "lieber", "mieux", "mejor": with `than` after an item, the item after `than` is refused
  than,            // "than", "als", "que": the second term of a comparison of preference
  // Structural, read by the parser at a unit:
  same_time,       // "same time", "même heure": the clock time of the time named just before
  that_article,    // "the" of "the Friday": a bare weekday in the week just named
  restate,         // "i.e.", "es decir": the time after it restates the zoned time before (one item)
  move_to,         // "to", "auf", "al": the time after it is where a meeting moves
  habitual,        // "mornings", "las tardes": a part of day in the plural, a time only beside its day
  determiner,      // "our", "the", "den", "notre", "la": a meeting noun after it is a meeting already set
  count_
};
constexpr std::size_t kCatCount = static_cast<std::size_t>(Cat::count_);
using CatSet = std::bitset<kCatCount>;

// The categories that carry a number (Entry::value), each with its slot in Entry::values; -1 for the others.
constexpr int valued_slot(Cat c) noexcept {
  switch (c) {
    case Cat::relative_day: return 0;
    case Cat::relative_day_alt: return 1;
    case Cat::weekday: return 2;
    case Cat::weekday_abbr: return 3;
    case Cat::month: return 4;
    case Cat::month_abbr: return 5;
    case Cat::number: return 6;
    case Cat::part_of_day: return 7;
    case Cat::clock_before: return 8;
    case Cat::clock_after: return 9;
    case Cat::zone: return 10;
    default: return -1;
  }
}
inline constexpr std::size_t kValuedCount = 11;

// What a phrase means: its categories and, for the valued ones, their numbers. Small (one cache line),
// so that the entries a text touches stay in the cache.
struct Entry {
  CatSet cats;
  std::array<std::int32_t, kValuedCount> values{};
  std::uint8_t facts = 0;  // what the parser reads of `cats` for every unit (unit_facts(); the Lexicon sets it)
  bool has(Cat c) const noexcept { return cats[static_cast<std::size_t>(c)]; }  // (no range check: c < kCatCount)
  // The number of a valued category; 0 for the others and for categories the entry lacks.
  int value(Cat c) const noexcept {
    const int k = valued_slot(c);
    return k < 0 ? 0 : values[static_cast<std::size_t>(k)];
  }
  void add(Cat c, int v) noexcept {
    cats.set(static_cast<std::size_t>(c));
    set_value(c, v);
  }
  void set_value(Cat c, int v) noexcept {
    if (const int k = valued_slot(c); k >= 0) values[static_cast<std::size_t>(k)] = v;
  }
};

// Cue categories: matched in a pass of their own.
// The set of the categories `cats`.
inline CatSet mask_of(std::initializer_list<Cat> cats) {
  CatSet m;
  for (Cat c : cats) m.set(static_cast<std::size_t>(c));
  return m;
}

inline CatSet cue_mask() {
  return mask_of({Cat::negative, Cat::positive, Cat::neutral, Cat::past, Cat::except, Cat::clause_break,
                  Cat::negative_soft, Cat::contrast_inner, Cat::task, Cat::correction, Cat::quote_header, Cat::cancel,
                  Cat::move, Cat::meeting, Cat::soft_wish, Cat::preference, Cat::than});
}

// What the parser asks of every unit's categories, decided once per entry (Entry::facts) instead of once per
// unit: bits of unit_facts().
inline constexpr std::uint8_t kFactStarts = 1;        // a category a point can start at (try_day, try_clock, ...)
inline constexpr std::uint8_t kFactDayStarts = 2;     // a category try_day reads where a day starts
inline constexpr std::uint8_t kFactNoOwnMeaning = 4;  // no category with a meaning of its own ("ce" is "this")
inline constexpr std::uint8_t kFactGlue = 8;          // glue ("on", "the", "um") and no meaning of its own
inline constexpr std::uint8_t kFactShape = 16;        // a word that gives the point after it a shape ("after")

inline std::uint8_t unit_facts(const CatSet& cats) {
  // The categories try_day, try_clock and try_part read at the unit a point starts at; those of try_day alone.
  static const CatSet kDayStart =
      mask_of({Cat::relative_day, Cat::week_after_next, Cat::following_week, Cat::end_of_week, Cat::iso_week,
               Cat::week_of, Cat::in, Cat::number, Cat::plus_week, Cat::next, Cat::this_, Cat::last, Cat::coming,
               Cat::that, Cat::following, Cat::weekday, Cat::weekday_abbr, Cat::week, Cat::month_word,
               Cat::month_intro, Cat::month, Cat::month_abbr});
  static const CatSet kStart = kDayStart | mask_of({Cat::clock_before, Cat::part_of_day, Cat::same_time});
  static const CatSet kGlue = mask_of({Cat::glue, Cat::at, Cat::day_article});
  static const CatSet kShape = mask_of({Cat::after, Cat::before, Cat::by, Cat::from, Cat::between});
  static const CatSet kOwnMeaning =
      mask_of({Cat::next, Cat::this_, Cat::last, Cat::coming, Cat::that, Cat::following, Cat::relative_day,
               Cat::weekday, Cat::month, Cat::part_of_day, Cat::week_of, Cat::end_of_week, Cat::following_week,
               Cat::week_after_next});
  std::uint8_t f = 0;
  if ((cats & kStart).any()) f |= kFactStarts;
  if ((cats & kDayStart).any()) f |= kFactDayStarts;
  if ((cats & kOwnMeaning).none()) f |= kFactNoOwnMeaning;
  if ((cats & kOwnMeaning).none() && (cats & kGlue).any()) f |= kFactGlue;
  if ((cats & kShape).any()) f |= kFactShape;
  return f;
}

// One language's data file, parsed. Errors carry "file:line:column: what".
struct LanguageData {
  std::string code;  // "en"
  std::filesystem::path file;
  struct Phrase {
    std::string text;
    Cat cat;
    int value;
  };
  std::vector<Phrase> phrases;
  std::vector<std::string> zone_names;  // zone phrase values, in the order of Cat::zone's values
  std::unordered_map<std::string, std::string> city_names;  // folded city as written -> as the resolver knows it
  std::string zone_adjective_suffix;    // "er": "Londoner Zeit" names London
  bool weekday_number_is_date = false;  // "el lunes 2": the 2nd; otherwise a weekday's number is an hour
  bool dot_ordinals = false;            // "am 3." / "20. bis 23. Juli": a number and a dot is a day
  bool oclock_is_12_hour = false;       // "3 o'clock" is a 12-hour time even where the locale's clock is 24-hour
};

// Reads data/<lang>.yaml. On failure returns false and appends "file:line:column: message" lines.
bool load_language(const std::filesystem::path& file, LanguageData& out, std::vector<std::string>& errors);
// Reads the shared zone abbreviations (data/zones.yaml): upper-case words naming a zone ("ET", "CET").
bool load_zone_abbreviations(const std::filesystem::path& file, std::unordered_map<std::string, std::string>& out,
                             std::vector<std::string>& errors);

// What ICU says about a locale, as the lexicon needs it.
struct LocaleWords {
  std::vector<std::string> months_wide, months_abbr;      // January first
  std::vector<std::string> weekdays_wide, weekdays_abbr;  // Sunday first
  enum class Order : std::uint8_t { dmy, mdy, ymd } order = Order::dmy;
  bool h24 = true;
  int first_day = 1;  // of the week: 0 Sunday ... 6 Saturday
};

class Lexicon {
 public:
  Lexicon(const LanguageData& data, const LocaleWords& locale,
          const std::unordered_map<std::string, std::string>& zone_abbreviations, Folder fold);
  // Not copyable: nodes_ points into entries_.
  Lexicon(const Lexicon&) = delete;
  Lexicon& operator=(const Lexicon&) = delete;

  // tokenize() with this lexicon's fold, each token's vocabulary id set (one hash per token, so that
  // matching phrases needs no string work). The tokens' texts view `text` and `store`.
  void tokenize(std::string_view text, std::vector<Token>& out, std::string& store) const;

  // The longest phrases starting at token `i` (tokens from this lexicon's tokenize()): the longest with a
  // cue category (cue_mask()) and the longest with another category, each with its length in tokens
  // (0 when none). One walk of the phrase index, no category tests: each node knows which kinds it ends.
  struct PhraseMatch {
    std::uint32_t cue_len = 0;
    std::uint32_t time_len = 0;
    const Entry* cue = nullptr;
    const Entry* time = nullptr;
  };
  // Inline: the parser asks for every token, and most tokens are no phrase's or end their only phrase.
  // Written into `best` (its fields one by one, where it is kept): a match built on the stack and copied
  // whole would be read back before its parts were stored, which stalls the processor.
  void match_phrases(const std::vector<Token>& tokens, std::size_t i, PhraseMatch& best) const {
    best = PhraseMatch{};
    if (i >= tokens.size()) return;
    const std::uint32_t id = id_of(tokens[i]);
    if (id == kWordNone) return;
    const Node& node = nodes_[id];
    if (node.cue) {
      best.cue = entry_list_.data() + node.entry;
      best.cue_len = 1;
    }
    if (node.time) {
      best.time = entry_list_.data() + node.entry;
      best.time_len = 1;
    }
    if (node.longer) match_longer(tokens, i, id, best);
  }
  const Entry* word(std::string_view folded) const;
  // The entry of the one-token phrase `t` is, or nullptr.
  const Entry* word(const Token& t) const;

  const LanguageData& data() const noexcept { return data_; }
  const LocaleWords& locale() const noexcept { return locale_; }
  const Folder& fold() const noexcept { return fold_; }
  // ICU's wide weekday names, folded (Sunday first): computed once, not per message.
  const std::vector<std::string>& weekdays_folded() const noexcept { return weekdays_folded_; }
  // False when `folded` cannot start with a longer folded weekday name (its first byte starts none, or it
  // is no longer than the shortest): a quick test before looking for "Mittwochabend" compounds.
  bool may_extend_weekday(std::string_view folded) const noexcept {
    return folded.size() > weekday_shortest_ && weekday_first_[static_cast<unsigned char>(folded[0])];
  }
  // The zone an upper-case abbreviation names as the resolver reads it, or nullptr.
  const std::string* zone_abbreviation(std::string_view folded) const;

 private:
  void add(std::string_view phrase, Cat cat, int value);

  LanguageData data_;
  LocaleWords locale_;
  Folder fold_;
  std::uint32_t id_of(const Token& t) const {
    return t.word != kWordUnknown ? t.word : find_word(t.text);
  }
  // match_phrases() past the first token, whose node (`node`) begins longer phrases.
  void match_longer(const std::vector<Token>& tokens, std::size_t i, std::uint32_t node, PhraseMatch& best) const;

  // The phrase index, a trie over token ids: a phrase's tokens lead from node to node; whether longer
  // phrases start with a node's tokens lets match_phrases() stop as soon as no phrase can grow.
  // 8 bytes: the node table of a lexicon stays small enough for the cache.
  struct Node {
    static constexpr std::uint32_t kNoEntry = 0xFFFFFFFFu;
    std::uint32_t entry = kNoEntry;  // index into entry_list_
    bool cue = false;                // the entry has a cue category
    bool time = false;               // the entry has a category that is no cue
    bool longer = false;             // longer phrases start with this node's tokens
  };
  const Entry* entry_of(const Node& n) const noexcept {
    return n.entry == Node::kNoEntry ? nullptr : entry_list_.data() + n.entry;
  }
  StringMap<Entry> entries_;  // folded tokens joined by ' ' (construction, and word() of several tokens)
  std::vector<Entry> entry_list_;  // the entries the nodes point at, side by side (few cache lines per text)
  // The vocabulary (every token text of a phrase -> its id) as a flat open-addressing table, half full at
  // most, of 8-byte slots (the hash's low half and the id; the high bits pick the first slot): small enough
  // to stay in the cache; a token that is no phrase's (most of them) usually costs one empty slot. Each
  // id's WordKey decides a match; texts longer than 16 bytes also compare their middle bytes.
  struct Slot {
    std::uint32_t tag = 0;         // the hash's low half
    std::uint32_t id = kWordNone;  // kWordNone: empty
  };
  std::vector<WordKey> word_keys_;         // id -> its key
  std::string word_chars_;                 // every token text, side by side
  std::vector<std::uint32_t> word_start_;  // id -> its start in word_chars_; one more: the end
  std::array<std::uint32_t, 256> byte_words_{};  // the id of each one-byte token text, or kWordNone
  bool number_words_ = false;                    // some token text starts with a digit
  std::vector<Slot> slots_;
  std::uint64_t slot_mask_ = 0;
  unsigned slot_shift_ = 60;  // 64 - log2(slots_.size()): hash >> slot_shift_ is the first slot
  // The id of the folded text `s` whose key is `key`, or kWordNone. Inline: the tokenizer's hottest call.
  std::uint32_t find_word(std::string_view s, const WordKey& key) const noexcept {
    const std::uint64_t hash = key.hash();
    const auto tag = static_cast<std::uint32_t>(hash);
    for (std::size_t i = static_cast<std::size_t>(hash >> slot_shift_);; i = (i + 1) & slot_mask_) {
      const Slot slot = slots_[i];
      if (slot.id == kWordNone) return kWordNone;
      if (slot.tag != tag || !(word_keys_[slot.id] == key)) continue;
      if (key.size <= 16 || same_middle(s, slot.id)) return slot.id;  // (up to 16 bytes, the key holds them all)
    }
  }
  // Whether the bytes of `s` between its key's two ends are those of the text of id `id` (of s's size).
  bool same_middle(std::string_view s, std::uint32_t id) const noexcept;
  std::uint32_t find_word(std::string_view s) const noexcept { return find_word(s, WordKey::of(s)); }
  std::vector<Node> nodes_;   // node k < the vocabulary's size: the one-token phrase of id k; then deeper ones
  // The edges below the nodes, (node << 32 | token id) -> node, as a flat open-addressing table at most
  // half full (a lookup is a multiplication and mostly one probe).
  struct Edge {
    std::uint64_t key = kNoEdge;
    std::uint32_t node = 0;
  };
  static constexpr std::uint64_t kNoEdge = ~std::uint64_t{0};
  std::vector<Edge> edges_;
  std::uint64_t edge_mask_ = 0;
  static std::size_t edge_slot(std::uint64_t key, std::uint64_t mask) noexcept {
    return static_cast<std::size_t>(((key * 0x9E3779B97F4A7C15ull) >> 32) & mask);
  }
  // The node below `node` by the token of id `id`, or kWordNone.
  std::uint32_t child(std::uint32_t node, std::uint32_t id) const noexcept {
    const std::uint64_t key = (static_cast<std::uint64_t>(node) << 32) | id;
    for (std::size_t i = edge_slot(key, edge_mask_);; i = (i + 1) & edge_mask_) {
      const Edge& e = edges_[i];
      if (e.key == key) return e.node;
      if (e.key == kNoEdge) return kWordNone;
    }
  }
  StringMap<std::string> zone_abbreviations_;
  std::vector<std::string> weekdays_folded_;
  std::size_t weekday_shortest_ = 0;         // the shortest non-empty folded weekday name's size
  std::array<bool, 256> weekday_first_{};    // the first bytes of the folded weekday names
};

}  // namespace tandem::plugins::time_rules

#endif  // TANDEM_PLUGINS_EXTRACTOR_TIME_RULES_LEXICON_HPP_
