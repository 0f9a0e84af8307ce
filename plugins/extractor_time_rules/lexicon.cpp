#include "lexicon.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <tuple>
#include <utility>

#include "tandem/sdk/config.hpp"
#include "tandem/sdk/temporal.hpp"
#include "yaml_file.hpp"

namespace tandem::plugins::time_rules {
namespace {

// A decoded code point and its byte length; invalid UTF-8 decodes as one byte with cp 0xFFFD.
std::pair<std::uint32_t, std::size_t> decode(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return {c, 1};
  std::size_t n = c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return {0xFFFD, 1};
  std::uint32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  return {cp, n};
}

enum class CharClass { letter, digit, space, newline, punct };

constexpr CharClass classify(std::uint32_t cp) {
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return CharClass::letter;
    if (c >= '0' && c <= '9') return CharClass::digit;
    if (c == '\n') return CharClass::newline;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') return CharClass::space;
    return CharClass::punct;
  }
  if (cp == 0xA0 || cp == 0x202F || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x3000) return CharClass::space;
  if ((cp >= 0xA1 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2010 && cp <= 0x206F) ||
      (cp >= 0x2190 && cp <= 0x21FF))
    return CharClass::punct;
  return CharClass::letter;  // other scripts, accented letters and undecodable bytes
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const std::vector<std::pair<std::string, Cat>>& role_names() {
  static const std::vector<std::pair<std::string, Cat>> names = {
      {"relative_day", Cat::relative_day}, {"relative_day_alt", Cat::relative_day_alt}, {"weekday", Cat::weekday}, {"weekday_abbr", Cat::weekday_abbr},
      {"month", Cat::month}, {"month_abbr", Cat::month_abbr}, {"month_trap", Cat::month_trap},
      {"number", Cat::number}, {"part_of_day", Cat::part_of_day}, {"next", Cat::next},
      {"next_after", Cat::next_after}, {"this", Cat::this_}, {"last", Cat::last}, {"last_after", Cat::last_after},
      {"coming", Cat::coming}, {"that", Cat::that}, {"following", Cat::following}, {"week", Cat::week}, {"month_word", Cat::month_word},
      {"following_week", Cat::following_week}, {"week_after_next", Cat::week_after_next},
      {"week_of", Cat::week_of}, {"end_of_week", Cat::end_of_week}, {"iso_week", Cat::iso_week},
      {"plus_week", Cat::plus_week}, {"after", Cat::after}, {"before", Cat::before}, {"by", Cat::by},
      {"from", Cat::from}, {"between", Cat::between}, {"range_to", Cat::range_to}, {"and", Cat::and_},
      {"or", Cat::or_}, {"onward", Cat::onward}, {"or_later", Cat::or_later}, {"at", Cat::at},
      {"oclock", Cat::oclock}, {"am", Cat::am}, {"pm", Cat::pm}, {"approx", Cat::approx},
      {"hour_suffix", Cat::hour_suffix}, {"clock_before", Cat::clock_before}, {"clock_after", Cat::clock_after},
      {"in", Cat::in}, {"from_now", Cat::from_now}, {"day_unit", Cat::day_unit}, {"week_unit", Cat::week_unit},
      {"duration_unit", Cat::duration_unit}, {"glue", Cat::glue}, {"day_article", Cat::day_article},
      {"month_intro", Cat::month_intro}, {"ordinal_suffix", Cat::ordinal_suffix}, {"zone_suffix", Cat::zone_suffix},
      {"zone_prefix", Cat::zone_prefix}, {"greeting", Cat::greeting}, {"greeting_start", Cat::greeting_start},
      {"rating", Cat::rating}, {"ordinal_noun", Cat::ordinal_noun}, {"day_follower", Cat::day_follower}, {"job", Cat::job}, {"address", Cat::address}, {"version", Cat::version}, {"negative", Cat::negative},
      {"positive", Cat::positive}, {"neutral", Cat::neutral}, {"past", Cat::past}, {"except", Cat::except},
      {"clause_break", Cat::clause_break}, {"contrast_inner", Cat::contrast_inner}, {"negative_soft", Cat::negative_soft}, {"task", Cat::task}, {"correction", Cat::correction}, {"quote_header", Cat::quote_header},
      {"cancel", Cat::cancel}, {"move", Cat::move}, {"meeting", Cat::meeting}, {"soft_wish", Cat::soft_wish},
      {"preference", Cat::preference}, {"than", Cat::than},
      {"same_time", Cat::same_time}, {"that_article", Cat::that_article}, {"restate", Cat::restate},
      {"move_to", Cat::move_to}, {"determiner", Cat::determiner},
      {"habitual", Cat::habitual}};
  return names;
}

// Roles whose entries carry a number (a map phrase -> value) rather than a list of phrases.
bool valued(Cat c) {
  return c == Cat::relative_day || c == Cat::relative_day_alt || c == Cat::weekday || c == Cat::month || c == Cat::number ||
         c == Cat::part_of_day || c == Cat::clock_before || c == Cat::clock_after;
}

const std::vector<std::pair<std::string, sdk::PartOfDay>>& part_names() {
  static const std::vector<std::pair<std::string, sdk::PartOfDay>> names = {
      {"morning", sdk::PartOfDay::morning}, {"afternoon", sdk::PartOfDay::afternoon},
      {"evening", sdk::PartOfDay::evening}, {"night", sdk::PartOfDay::night}, {"lunch", sdk::PartOfDay::lunch},
      {"noon", sdk::PartOfDay::noon}, {"midnight", sdk::PartOfDay::midnight},
      {"end_of_day", sdk::PartOfDay::end_of_day}};
  return names;
}

using common::yaml_where;

}  // namespace


// Whether the letter U+00C0 + (b - 0x80), written C3 b, case-folds by itself without ICU: the capitals
// U+00C0..U+00DE fold to the letter 0x20 above, the small letters U+00E0..U+00FF to themselves. Not
// U+00DF (full folding makes "ss" of it) nor U+00D7 / U+00F7 (signs, never inside a word).
constexpr bool latin1_folds_alone(unsigned char b) { return b >= 0x80 && b <= 0xBF && b != 0x9F && b != 0x97 && b != 0xB7; }

// Case folding of a word made of ASCII and the Latin-1 letters above (most accented words of de, es, fr),
// identical to the host's fold_case (ICU's full default folding) on them and without its UTF-16 round trip.
// The folded word has the size of `raw` and is written to out[0, raw.size()). False for any other byte
// (`out` then holds a part of it): those words go to the host.
bool fold_latin1(std::string_view raw, char* out) {
  for (std::size_t k = 0; k < raw.size(); ++k) {
    const auto c = static_cast<unsigned char>(raw[k]);
    if (c < 0x80) {
      out[k] = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      continue;
    }
    if (c != 0xC3 || k + 1 >= raw.size()) return false;
    const auto next = static_cast<unsigned char>(raw[k + 1]);
    if (!latin1_folds_alone(next)) return false;
    out[k] = raw[k];
    out[k + 1] = static_cast<char>(next < 0xA0 ? next + 0x20 : next);
    ++k;
  }
  return true;
}

// What each ASCII byte is, as the scan asks it: one table lookup per byte. Bytes from 0x80 have none of
// these bits: the scan decodes them.
constexpr std::uint8_t kLetterBit = 1;  // an ASCII letter
constexpr std::uint8_t kUpperBit = 2;   // an ASCII capital
constexpr std::uint8_t kDigitBit = 4;
constexpr std::uint8_t kSpaceBit = 8;   // a space or a line break
constexpr std::uint8_t kNewlineBit = 16;
constexpr std::uint8_t kPunctBit = 32;  // any other ASCII byte
constexpr std::array<std::uint8_t, 256> kByteBits = [] {
  std::array<std::uint8_t, 256> t{};
  for (std::uint32_t c = 0; c < 0x80; ++c) {
    switch (classify(c)) {
      case CharClass::letter: t[c] = static_cast<std::uint8_t>(kLetterBit | (c <= 'Z' ? kUpperBit : 0)); break;
      case CharClass::digit: t[c] = kDigitBit; break;
      case CharClass::space: t[c] = kSpaceBit; break;
      case CharClass::newline: t[c] = kSpaceBit | kNewlineBit; break;
      case CharClass::punct: t[c] = kPunctBit; break;
    }
  }
  return t;
}();

namespace {

constexpr std::uint64_t kHighBits = 0x8080808080808080ull;
constexpr std::uint64_t kCaseBits = 0x2020202020202020ull;  // `|` folds eight ASCII letters

// The eight bytes at `s` as a little-endian number (the caller knows they are there).
std::uint64_t load8(const char* s) noexcept {
  std::uint64_t v = 0;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(&v, s, 8);
  } else {
    for (int k = 7; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(s[k]);
  }
  return v;
}

// The n <= 8 bytes at `s`, little-endian, zero-padded.
std::uint64_t load_upto8(const char* s, std::size_t n) noexcept {
  std::uint64_t v = 0;
  for (std::size_t k = n; k-- > 0;) v = (v << 8) | static_cast<unsigned char>(s[k]);
  return v;
}

// Of eight bytes, 0x80 in each that is an ASCII letter (none of the additions carries into another byte:
// every byte of `y` is at most 0x7F).
std::uint64_t ascii_letters(std::uint64_t x) noexcept {
  const std::uint64_t y = (x & ~kHighBits) | kCaseBits;
  const std::uint64_t from_a = y + 0x1F1F1F1F1F1F1F1Full;  // 0x80 where y >= 'a'
  const std::uint64_t past_z = y + 0x0505050505050505ull;  // 0x80 where y > 'z'
  return from_a & ~past_z & ~x & kHighBits;
}

// The key of the folded ASCII word text[i, j) (letters only): its bytes with 0x20 set, read from the text.
// (Inline at its one call: the compiler left it a call per word.)
[[gnu::always_inline]] inline WordKey ascii_word_key(const char* p, std::size_t i, std::size_t j,
                                                     std::size_t size) noexcept {
  WordKey k;
  k.size = j - i;
  if (k.size <= 8) {
    const std::uint64_t raw = i + 8 <= size ? load8(p + i) : load_upto8(p + i, k.size);
    k.first = (raw | kCaseBits) & (~std::uint64_t{0} >> (64 - 8 * k.size));
  } else {
    k.first = load8(p + i) | kCaseBits;
    k.last = load8(p + j - 8) | kCaseBits;
  }
  return k;
}

// Writes the eight bytes of `v` to `d`, little-endian.
void store8(char* d, std::uint64_t v) noexcept {
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(d, &v, 8);
  } else {
    for (int k = 0; k < 8; ++k, v >>= 8) d[k] = static_cast<char>(v & 0xFF);
  }
}

// Makes room for `extra` more bytes after the first `used` of the store (sized, not only reserved, so that
// folded words are written in place). Tokens already made view the store: when it must grow, they are
// pointed into the grown copy (folding by ICU may lengthen a word; ASCII and Latin-1 folding never does,
// and the store is sized for that).
[[gnu::noinline]] void store_grow(std::string& store, std::size_t used, std::size_t extra, std::vector<Token>& out) {
  std::string grown;
  grown.resize(2 * (used + extra) + 16);
  std::memcpy(grown.data(), store.data(), used);
  const char* old = store.data();
  const char* old_end = old + used;
  for (Token& t : out)
    if (t.text.data() >= old && t.text.data() < old_end)
      t.text = std::string_view(grown.data() + (t.text.data() - old), t.text.size());
  store.swap(grown);
}

// tokenize() with each token's `word` from `lookup(kind, folded text, key)`: `key` is the text's WordKey
// where the scan made it on the way (ASCII words of two letters or more), else nullptr.
template <typename Lookup>
void tokenize_with(std::string_view text, const Folder& fold, std::vector<Token>& out, std::string& store,
                   Lookup lookup) {
  out.clear();
  // Folded words are written at store[used, ...), eight bytes at a time where they fit: room for every word
  // folded without ICU, and for the last eight-byte write. The store keeps the size of the longest text
  // before (its bytes are overwritten, not cleared: the tokens say which are used).
  if (store.size() < text.size() + 16) store.resize(text.size() + 16);
  std::size_t used = 0;
  const auto room = [&](std::size_t extra) {
    if (used + extra > store.size()) store_grow(store, used, extra, out);
    return store.data() + used;
  };
  out.reserve(text.size() / 4 + 8);  // about one token per four bytes of prose: few regrowths
  std::size_t i = 0;
  bool space = true;
  bool line = true;
  const std::size_t size = text.size();
  const char* const p = text.data();
  // Each token is written in its place, field by field: a token built on the stack and copied whole would
  // be read back (in wide loads) before its narrow stores were done, which stalls the processor.
  const auto emit = [&](Token::Kind kind, std::size_t begin, std::size_t end, std::string_view folded, bool upper,
                        bool capital, int number, int digits, char ch, std::uint32_t word) {
    Token& t = out.emplace_back();
    t.begin = begin;
    t.end = end;
    t.text = folded;
    t.number = number;
    t.kind = kind;
    t.ch = ch;
    t.space_before = space;
    t.capital = capital;
    t.digits = digits;
    t.upper = upper;
    t.line_start = line;
    t.word = word;
    space = line = false;
  };
  // A word with a letter beyond ASCII, from `i`: decoded letter by letter, folded by ICU where Latin-1
  // folding does not do.
  const auto other_word = [&]() {
    const unsigned char c0 = static_cast<unsigned char>(p[i]);
    const std::size_t n = c0 < 0x80 ? 1 : decode(text, i).second;
    bool ascii = c0 < 0x80;
    int letters = ascii ? 1 : 0;
    int uppers = c0 >= 'A' && c0 <= 'Z' ? 1 : 0;
    std::size_t j = i + n;
    while (j < size) {
      const unsigned char c = static_cast<unsigned char>(p[j]);
      if (c < 0x80) {
        if ((kByteBits[c] & kLetterBit) == 0) break;
        ++letters;
        uppers += c <= 'Z' ? 1 : 0;
        ++j;
      } else {
        const auto [cp2, n2] = decode(text, j);
        if (classify(cp2) != CharClass::letter) break;
        ascii = false;
        j += n2;
      }
    }
    const std::string_view raw = text.substr(i, j - i);
    std::string_view folded;
    if (ascii && uppers == 0) {
      folded = raw;
    } else if (ascii) {
      char* d = room(raw.size());
      for (std::size_t k = 0; k < raw.size(); ++k)
        d[k] = static_cast<char>(raw[k] >= 'A' && raw[k] <= 'Z' ? raw[k] - 'A' + 'a' : raw[k]);
      folded = std::string_view(d, raw.size());
      used += raw.size();
    } else if (char* d = room(raw.size()); fold_latin1(raw, d)) {
      folded = std::string_view(d, raw.size());
      used += raw.size();
    } else {
      std::string f = fold(raw);
      if (f.empty()) f = ascii_lower(raw);
      d = room(f.size());  // (after the fold: the store may move)
      std::memcpy(d, f.data(), f.size());
      folded = std::string_view(d, f.size());
      used += f.size();
    }
    bool capital = false;
    if (c0 < 0x80) {
      capital = c0 >= 'A' && c0 <= 'Z';
    } else if (c0 == 0xC3 && raw.size() >= 2 && latin1_folds_alone(static_cast<unsigned char>(raw[1]))) {
      // A capital U+00C0..U+00DE folds to another letter; a small one U+00E0..U+00FF to itself.
      capital = static_cast<unsigned char>(raw[1]) < 0xA0;
    } else {
      const std::string_view first = raw.substr(0, n);
      capital = fold(first) != first;
    }
    emit(Token::Kind::word, i, j, folded, letters >= 2 && uppers == letters, capital, -1, 0, 0,
         lookup(Token::Kind::word, folded, nullptr));
    i = j;
  };
  while (i < size) {
    const unsigned char c0 = static_cast<unsigned char>(p[i]);
    const std::uint8_t bits = kByteBits[c0];
    if ((bits & kSpaceBit) != 0) {
      space = true;
      if ((bits & kNewlineBit) != 0) line = true;
      ++i;
      continue;
    }
    if ((bits & kLetterBit) != 0) {
      // An ASCII word: eight bytes at a time while the text lasts, then byte by byte. Capitals and small
      // letters are noted (nonzero: seen), not counted: all ASCII, the word's letters are its bytes.
      std::uint64_t capitals = bits & kUpperBit;
      std::uint64_t smalls = (bits & kUpperBit) ^ kUpperBit;
      std::size_t j = i + 1;
      while (j + 8 <= size) {
        const std::uint64_t x = load8(p + j);
        const std::uint64_t letters = ascii_letters(x);
        const std::uint64_t stop = ~letters & kHighBits;
        const std::uint64_t in = letters & ((stop & (0 - stop)) - 1);  // the letters before the first stop
        capitals |= in & ~(x << 2);  // (bit 5, set in a small letter, moved to bit 7)
        smalls |= in & (x << 2);
        if (stop != 0) {
          j += static_cast<std::size_t>(std::countr_zero(stop)) >> 3;
          break;
        }
        j += 8;
      }
      while (j < size) {
        const std::uint8_t b = kByteBits[static_cast<unsigned char>(p[j])];
        if ((b & kLetterBit) == 0) break;
        capitals |= b & kUpperBit;
        smalls |= (b & kUpperBit) ^ kUpperBit;
        ++j;
      }
      if (j < size && static_cast<unsigned char>(p[j]) >= 0x80 && classify(decode(text, j).first) == CharClass::letter) {
        other_word();  // the word goes on past ASCII
        continue;
      }
      const std::size_t n = j - i;
      std::string_view folded(p + i, n);
      std::uint32_t word = kWordUnknown;
      if (n == 1) {
        if (capitals != 0) {
          char* d = room(8);
          d[0] = static_cast<char>(c0 | 0x20);
          folded = std::string_view(d, 1);
          used += 1;
        }
        word = lookup(Token::Kind::word, folded, nullptr);
      } else {
        const WordKey key = ascii_word_key(p, i, j, size);
        if (capitals != 0) {
          // The folded word is the key's bytes (written whole: the store has room past `used`).
          char* d = room(n + 8);
          store8(d, key.first);
          if (n > 8) store8(d + n - 8, key.last);
          for (std::size_t k = 8; k + 8 < n; ++k) d[k] = static_cast<char>(p[i + k] | 0x20);  // (over 16 bytes)
          folded = std::string_view(d, n);
          used += n;
        }
        word = lookup(Token::Kind::word, folded, &key);
      }
      emit(Token::Kind::word, i, j, folded, n >= 2 && smalls == 0, (bits & kUpperBit) != 0, -1, 0, 0, word);
      i = j;
      if (i < size && p[i] == ' ') {  // (the space after a word, the commonest byte of prose: no round trip)
        space = true;
        ++i;
      }
      continue;
    }
    if ((bits & kDigitBit) != 0) {
      // Digits are ASCII: the value on the way.
      int v = c0 - '0';
      std::size_t j = i + 1;
      while (j < size && static_cast<unsigned char>(p[j] - '0') < 10) {
        if (j - i < 6) v = v * 10 + (p[j] - '0');
        ++j;
      }
      const std::string_view s(p + i, j - i);
      emit(Token::Kind::number, i, j, s, false, false, j - i <= 6 ? v : 999999, static_cast<int>(j - i), 0,
           lookup(Token::Kind::number, s, nullptr));
      i = j;
      continue;
    }
    if ((bits & kPunctBit) != 0) {
      const std::string_view s(p + i, 1);
      emit(Token::Kind::punct, i, i + 1, s, false, false, -1, 0, s[0], lookup(Token::Kind::punct, s, nullptr));
      ++i;
      continue;
    }
    const auto [cp, n] = decode(text, i);
    const CharClass cls = classify(cp);
    if (cls == CharClass::space || cls == CharClass::newline) {
      space = true;
      if (cls == CharClass::newline) line = true;
      i += n;
      continue;
    }
    if (cls == CharClass::punct) {
      std::string_view s;
      if (cp == 0x2018 || cp == 0x2019 || cp == 0x2032) s = "'";
      else if (cp >= 0x2010 && cp <= 0x2015) s = "-";
      else s = text.substr(i, n);
      emit(Token::Kind::punct, i, i + n, s, false, false, -1, 0, s.size() == 1 ? s[0] : 0,
           lookup(Token::Kind::punct, s, nullptr));
      i += n;
      continue;
    }
    other_word();
  }
}

}  // namespace

WordKey WordKey::of(std::string_view folded) noexcept {
  WordKey k;
  k.size = folded.size();
  if (k.size <= 8) {
    k.first = load_upto8(folded.data(), k.size);
  } else {
    k.first = load8(folded.data());
    k.last = load8(folded.data() + k.size - 8);
  }
  return k;
}

void tokenize(std::string_view text, const Folder& fold, std::vector<Token>& out, std::string& store) {
  tokenize_with(text, fold, out, store, [](Token::Kind, std::string_view, const WordKey*) { return kWordUnknown; });
}

bool load_language(const std::filesystem::path& file, LanguageData& out, std::vector<std::string>& errors) {
  const std::size_t before = errors.size();
  YAML::Node root;
  if (!common::load_yaml_file(file, "the language file", root, errors)) return false;
  if (!root.IsMap()) {
    errors.push_back(yaml_where(file, root.Mark()) + "expected a map with \"language\" and \"words\"");
    return false;
  }
  out.file = file;
  out.code = file.stem().string();
  static const std::vector<std::string> top_keys = {"language", "options", "words", "zones", "cities"};
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    if (std::find(top_keys.begin(), top_keys.end(), key) == top_keys.end())
      errors.push_back(yaml_where(file, kv.first.Mark()) + key + ": unknown key" + sdk::did_you_mean(key, top_keys));
  }
  if (root["language"] && root["language"].IsScalar() && root["language"].as<std::string>() != out.code)
    errors.push_back(yaml_where(file, root["language"].Mark()) + "language: expected \"" + out.code +
                     "\" (the file's name), found \"" + root["language"].as<std::string>() + "\"");

  if (const YAML::Node opts = root["options"]) {
    static const std::vector<std::string> opt_keys = {"weekday_number_is_date", "dot_ordinals",
                                                      "zone_adjective_suffix", "oclock_is_12_hour"};
    if (!opts.IsMap()) {
      errors.push_back(yaml_where(file, opts.Mark()) + "options: expected a map");
    } else {
      for (const auto& kv : opts) {
        const std::string key = kv.first.as<std::string>();
        try {
          if (key == "weekday_number_is_date") out.weekday_number_is_date = kv.second.as<bool>();
          else if (key == "dot_ordinals") out.dot_ordinals = kv.second.as<bool>();
          else if (key == "oclock_is_12_hour") out.oclock_is_12_hour = kv.second.as<bool>();
          else if (key == "zone_adjective_suffix") out.zone_adjective_suffix = kv.second.as<std::string>();
          else
            errors.push_back(yaml_where(file, kv.first.Mark()) + "options." + key + ": unknown option" +
                             sdk::did_you_mean(key, opt_keys));
        } catch (const YAML::Exception&) {
          errors.push_back(yaml_where(file, kv.second.Mark()) + "options." + key + ": expected " +
                           (key == "zone_adjective_suffix" ? "a string" : "true or false"));
        }
      }
    }
  }

  std::vector<std::string> roles;
  for (const auto& [name, cat] : role_names()) roles.push_back(name);
  const YAML::Node words = root["words"];
  if (!words || !words.IsMap()) {
    errors.push_back(yaml_where(file, words ? words.Mark() : root.Mark()) + "words: expected a map of role -> phrases");
  } else {
    for (const auto& kv : words) {
      const std::string role = kv.first.as<std::string>();
      const auto it = std::find_if(role_names().begin(), role_names().end(),
                                   [&](const auto& p) { return p.first == role; });
      if (it == role_names().end()) {
        errors.push_back(yaml_where(file, kv.first.Mark()) + "words." + role + ": unknown role" +
                         sdk::did_you_mean(role, roles));
        continue;
      }
      const Cat cat = it->second;
      if (valued(cat)) {
        if (!kv.second.IsMap()) {
          errors.push_back(yaml_where(file, kv.second.Mark()) + "words." + role + ": expected a map of phrase -> " +
                           (cat == Cat::part_of_day ? "part of day" : "number"));
          continue;
        }
        for (const auto& e : kv.second) {
          const std::string phrase = e.first.as<std::string>();
          int value = 0;
          if (cat == Cat::part_of_day) {
            const std::string name = e.second.IsScalar() ? e.second.as<std::string>() : std::string();
            const auto p = std::find_if(part_names().begin(), part_names().end(),
                                        [&](const auto& q) { return q.first == name; });
            if (p == part_names().end()) {
              std::vector<std::string> parts;
              for (const auto& q : part_names()) parts.push_back(q.first);
              errors.push_back(yaml_where(file, e.second.Mark()) + "words." + role + "." + phrase +
                               ": expected a part of day, found \"" + name + "\"" + sdk::did_you_mean(name, parts));
              continue;
            }
            value = static_cast<int>(p->second);
          } else {
            try {
              value = e.second.as<int>();
            } catch (const YAML::Exception&) {
              errors.push_back(yaml_where(file, e.second.Mark()) + "words." + role + "." + phrase +
                               ": expected a whole number, found \"" +
                               (e.second.IsScalar() ? e.second.as<std::string>() : std::string("a collection")) +
                               "\"");
              continue;
            }
          }
          out.phrases.push_back({phrase, cat, value});
        }
      } else {
        if (!kv.second.IsSequence()) {
          errors.push_back(yaml_where(file, kv.second.Mark()) + "words." + role + ": expected a list of phrases");
          continue;
        }
        for (const auto& e : kv.second) {
          if (!e.IsScalar() || e.as<std::string>().empty()) {
            errors.push_back(yaml_where(file, e.Mark()) + "words." + role + ": expected a non-empty phrase");
            continue;
          }
          out.phrases.push_back({e.as<std::string>(), cat, 0});
        }
      }
    }
  }
  if (const YAML::Node zones = root["zones"]) {
    if (!zones.IsMap()) {
      errors.push_back(yaml_where(file, zones.Mark()) + "zones: expected a map of phrase -> zone");
    } else {
      for (const auto& kv : zones) {
        out.phrases.push_back({kv.first.as<std::string>(), Cat::zone, static_cast<int>(out.zone_names.size())});
        out.zone_names.push_back(kv.second.as<std::string>());
      }
    }
  }
  if (const YAML::Node cities = root["cities"]) {
    if (!cities.IsMap()) {
      errors.push_back(yaml_where(file, cities.Mark()) + "cities: expected a map of city as written -> city");
    } else {
      for (const auto& kv : cities) out.city_names[ascii_lower(kv.first.as<std::string>())] = kv.second.as<std::string>();
    }
  }
  return errors.size() == before;
}

bool load_zone_abbreviations(const std::filesystem::path& file, std::unordered_map<std::string, std::string>& out,
                             std::vector<std::string>& errors) {
  try {
    const YAML::Node root = YAML::LoadFile(file.string());
    const YAML::Node abbr = root["abbreviations"];
    if (!abbr || !abbr.IsMap()) {
      errors.push_back(yaml_where(file, root.Mark()) + "abbreviations: expected a map of abbreviation -> zone");
      return false;
    }
    for (const auto& kv : abbr) out[ascii_lower(kv.first.as<std::string>())] = kv.second.as<std::string>();
  } catch (const YAML::ParserException& e) {
    errors.push_back(yaml_where(file, e.mark) + e.msg);
    return false;
  } catch (const YAML::Exception& e) {
    errors.push_back(file.string() + ": error: cannot read the zone abbreviations: " + e.msg);
    return false;
  }
  return true;
}

Lexicon::Lexicon(const LanguageData& data, const LocaleWords& locale,
                 const std::unordered_map<std::string, std::string>& zone_abbreviations, Folder fold)
    : data_(data), locale_(locale), fold_(std::move(fold)),
      zone_abbreviations_(zone_abbreviations.begin(), zone_abbreviations.end()) {
  // ICU's names: wide forms always count; abbreviated ones only where the parser sees a date around them.
  const auto add_names = [&](const std::vector<std::string>& names, Cat cat, int first_value) {
    for (std::size_t k = 0; k < names.size(); ++k) {
      std::string name = names[k];
      while (!name.empty() && name.back() == '.') name.pop_back();
      if (!name.empty()) add(name, cat, first_value + static_cast<int>(k));
    }
  };
  add_names(locale.months_wide, Cat::month, 1);
  add_names(locale.months_abbr, Cat::month_abbr, 1);
  add_names(locale.weekdays_wide, Cat::weekday, 0);
  add_names(locale.weekdays_abbr, Cat::weekday_abbr, 0);
  for (const auto& p : data_.phrases) {
    if (p.cat == Cat::month_abbr || p.cat == Cat::weekday_abbr) {
      // the value comes from the name itself: mark an existing name as needing a date around it
      add(p.text, p.cat, 0);
      continue;
    }
    add(p.text, p.cat, p.value);
  }
  // A month abbreviation that is also a wide name ("May") keeps its wide meaning; one that is the same as
  // a data month keeps the data's value.
  for (auto& [key, e] : entries_) {
    if (e.has(Cat::month_abbr) && e.value(Cat::month_abbr) == 0 && e.has(Cat::month))
      e.set_value(Cat::month_abbr, e.value(Cat::month));
    if (e.has(Cat::weekday_abbr) && e.value(Cat::weekday_abbr) == 0 && e.has(Cat::weekday))
      e.set_value(Cat::weekday_abbr, e.value(Cat::weekday));
  }
  // The phrase index: every token text of a key gets an id; node k is the one-token phrase of id k,
  // longer phrases hang below their first token's node.
  const auto split = [](const std::string& key) {
    std::vector<std::string_view> parts;
    std::size_t b = 0;
    for (std::size_t cut = key.find(' '); cut != std::string::npos; cut = key.find(' ', b)) {
      parts.push_back(std::string_view(key).substr(b, cut - b));
      b = cut + 1;
    }
    parts.push_back(std::string_view(key).substr(b));
    return parts;
  };
  // The vocabulary: ids in order of first use.
  std::unordered_map<std::string_view, std::uint32_t> ids;
  std::vector<std::string_view> words;
  const auto intern = [&](std::string_view w) {
    const auto [it, fresh] = ids.emplace(w, static_cast<std::uint32_t>(words.size()));
    if (fresh) words.push_back(w);
    return it->second;
  };
  for (const auto& [key, e] : entries_)
    for (std::string_view part : split(key)) intern(part);
  std::size_t slots = 16;
  slot_shift_ = 60;
  while (slots < 2 * words.size()) {
    slots *= 2;
    --slot_shift_;
  }
  slots_.assign(slots, Slot{});
  slot_mask_ = slots - 1;
  word_start_.reserve(words.size() + 1);
  word_keys_.reserve(words.size());
  for (std::size_t id = 0; id < words.size(); ++id) {
    const std::string_view w = words[id];
    word_start_.push_back(static_cast<std::uint32_t>(word_chars_.size()));
    word_chars_.append(w);
    word_keys_.push_back(WordKey::of(w));
    const std::uint64_t hash = word_keys_.back().hash();
    std::size_t i = static_cast<std::size_t>(hash >> slot_shift_);
    while (slots_[i].id != kWordNone) i = (i + 1) & slot_mask_;
    slots_[i] = {static_cast<std::uint32_t>(hash), static_cast<std::uint32_t>(id)};
  }
  word_start_.push_back(static_cast<std::uint32_t>(word_chars_.size()));
  nodes_.resize(words.size());
  byte_words_.fill(kWordNone);
  for (std::size_t id = 0; id < words.size(); ++id) {
    const std::string_view w = words[id];
    if (w.size() == 1) byte_words_[static_cast<unsigned char>(w[0])] = static_cast<std::uint32_t>(id);
    if (!w.empty() && w[0] >= '0' && w[0] <= '9') number_words_ = true;
  }
  std::size_t edges = 0;
  for (const auto& [key, e] : entries_) edges += static_cast<std::size_t>(std::count(key.begin(), key.end(), ' '));
  std::size_t edge_slots = 16;
  while (edge_slots < 2 * edges) edge_slots *= 2;
  edges_.assign(edge_slots, Edge{});
  edge_mask_ = edge_slots - 1;
  // The entries side by side, in the order of the map (the nodes below point into this list).
  entry_list_.reserve(entries_.size());
  const CatSet cues = cue_mask();
  for (const auto& [key, e] : entries_) {
    const std::vector<std::string_view> parts = split(key);
    std::uint32_t node = intern(parts[0]);
    for (std::size_t k = 1; k < parts.size(); ++k) {
      nodes_[node].longer = true;
      const std::uint64_t edge = (static_cast<std::uint64_t>(node) << 32) | intern(parts[k]);
      std::size_t i = edge_slot(edge, edge_mask_);
      while (edges_[i].key != kNoEdge && edges_[i].key != edge) i = (i + 1) & edge_mask_;
      if (edges_[i].key == kNoEdge) {
        edges_[i] = {edge, static_cast<std::uint32_t>(nodes_.size())};
        nodes_.emplace_back();
      }
      node = edges_[i].node;
    }
    entry_list_.push_back(e);
    entry_list_.back().facts = unit_facts(e.cats);
    nodes_[node].entry = static_cast<std::uint32_t>(entry_list_.size() - 1);
    nodes_[node].cue = (e.cats & cues).any();
    nodes_[node].time = (e.cats & ~cues).any();
  }
  weekdays_folded_.reserve(locale_.weekdays_wide.size());
  for (const auto& w : locale_.weekdays_wide) weekdays_folded_.push_back(fold_(w));
  weekday_shortest_ = std::string::npos;
  for (const auto& w : weekdays_folded_) {
    if (w.empty()) continue;
    weekday_shortest_ = std::min(weekday_shortest_, w.size());
    weekday_first_[static_cast<unsigned char>(w[0])] = true;
  }
}

void Lexicon::add(std::string_view phrase, Cat cat, int value) {
  std::vector<Token> toks;
  std::string store;
  time_rules::tokenize(phrase, fold_, toks, store);
  if (toks.empty()) return;
  std::string key;
  for (const auto& t : toks) {
    if (!key.empty()) key += ' ';
    key += t.text;
  }
  entries_[key].add(cat, value);
}

void Lexicon::match_longer(const std::vector<Token>& tokens, std::size_t i, std::uint32_t node,
                           PhraseMatch& best) const {
  for (std::uint32_t n = 2; nodes_[node].longer && i + n <= tokens.size(); ++n) {
    const std::uint32_t next = id_of(tokens[i + n - 1]);
    if (next == kWordNone) break;
    const std::uint32_t below = child(node, next);
    if (below == kWordNone) break;
    node = below;
    const Node& at = nodes_[node];
    if (at.cue) {
      best.cue_len = n;
      best.cue = entry_list_.data() + at.entry;
    }
    if (at.time) {
      best.time_len = n;
      best.time = entry_list_.data() + at.entry;
    }
  }
}

bool Lexicon::same_middle(std::string_view s, std::uint32_t id) const noexcept {
  // A byte loop, not a call of memcmp: the bytes are few.
  const char* w = word_chars_.data() + word_start_[id];
  std::size_t k = 8;
  while (k + 8 < s.size() && w[k] == s[k]) ++k;
  return k + 8 >= s.size();
}

void Lexicon::tokenize(std::string_view text, std::vector<Token>& out, std::string& store) const {
  // Each word and number looked up as the scan finishes it (with the key made on the way, where it
  // was); marks and one-letter words through a table, numbers only when some phrase has digits.
  tokenize_with(text, fold_, out, store, [this](Token::Kind kind, std::string_view s, const WordKey* key) {
    if (s.size() == 1) return byte_words_[static_cast<unsigned char>(s[0])];
    if (kind == Token::Kind::number && !number_words_) return kWordNone;
    return key != nullptr ? find_word(s, *key) : find_word(s);
  });
}

const Entry* Lexicon::word(const Token& t) const {
  const std::uint32_t id = id_of(t);
  return id == kWordNone ? nullptr : entry_of(nodes_[id]);
}

const Entry* Lexicon::word(std::string_view folded) const {
  if (folded.find(' ') == std::string_view::npos) {
    // One token: the entry of its node, if it has one.
    const std::uint32_t id = find_word(folded);
    return id == kWordNone ? nullptr : entry_of(nodes_[id]);
  }
  const auto it = entries_.find(folded);
  return it == entries_.end() ? nullptr : &it->second;
}

const std::string* Lexicon::zone_abbreviation(std::string_view folded) const {
  const auto it = zone_abbreviations_.find(folded);
  return it == zone_abbreviations_.end() ? nullptr : &it->second;
}

}  // namespace tandem::plugins::time_rules
