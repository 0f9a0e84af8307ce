#include "parser.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <initializer_list>
#include <optional>
#include <ranges>
#include <type_traits>
#include <utility>

namespace tandem::plugins::time_rules {
namespace {

using sdk::DayRef;
using sdk::Meridiem;
using sdk::PartOfDay;
using sdk::TimeExpression;
using Kind = DayRef::Kind;
using Mode = DayRef::Mode;
using Shape = TimeExpression::Shape;

const CatSet kCueMask = cue_mask();

// The categories of Parser::try_day's first rules, and those of its modifiers, each group tested at once.
const CatSet kDayWordRules = mask_of({Cat::relative_day, Cat::week_after_next, Cat::following_week, Cat::end_of_week,
                                      Cat::iso_week, Cat::week_of, Cat::in});
const CatSet kDayModifiers =
    mask_of({Cat::plus_week, Cat::next, Cat::this_, Cat::last, Cat::coming, Cat::that, Cat::following});

// A lexical unit: one phrase of the lexicon, or one token no phrase starts with.
// The rules read a unit's categories and its first token's kind, mark, number and spacing many times
// each: the unit holds copies, so that a question is one load from one array.
struct Unit {
  std::uint32_t tb = 0;  // (token indexes: parse() reads texts under 4 GiB)
  std::uint32_t te = 0;
  const Entry* e = nullptr;
  CatSet cats;  // e's categories (none without e)
  int number = -1;  // of the first token
  Token::Kind kind = Token::Kind::word;  // of the first token
  char ch = 0;                           // of the first token
  bool space_before = false;             // of the first token
  bool capital = false;                  // of the first token
  std::uint8_t digits = 0;               // of the first token, at most 255
  bool single_number = false;            // one token, a number
  bool blocked = false;                  // no time: a phone number, a duration, a greeting (block_non_times)
  // Facts of the categories, decided once (build_units):
  bool glue = false;        // joins the parts of one time (Parser::is_glue)
  bool starts = false;      // has a category point() reads where a point starts (kFactStarts)
  bool day_starts = false;  // has a category try_day() reads where a day starts (kFactDayStarts)
  bool opens = false;       // an expression may begin here: a start, glue, a number or a shape word before a point
};
// The first token's fields a unit copies, number to capital, are one block of eight bytes in Token and in
// Unit alike (build_units copies it in one move).
inline constexpr std::size_t kTokenBlock = 8;
static_assert(offsetof(Token, capital) + sizeof(bool) - offsetof(Token, number) == kTokenBlock &&
              offsetof(Unit, capital) + sizeof(bool) - offsetof(Unit, number) == kTokenBlock &&
              offsetof(Token, kind) - offsetof(Token, number) == offsetof(Unit, kind) - offsetof(Unit, number) &&
              offsetof(Token, ch) - offsetof(Token, number) == offsetof(Unit, ch) - offsetof(Unit, number) &&
              offsetof(Token, space_before) - offsetof(Token, number) ==
                  offsetof(Unit, space_before) - offsetof(Unit, number));

// One end of an expression while it is being read.
struct Pt {
  std::size_t first = 0;  // first unit of a component
  std::size_t ue = 0;     // one past the last unit read
  sdk::TimePoint tp;
  bool day = false;
  bool clock = false;
  bool part = false;
  bool cued = false;        // the clock has a marker: am/pm, :MM, Uhr, h, "at", a day or part next to it
  bool ordinal = false;     // a number written as an ordinal ("20."): a day, not an hour
  int ordinal_number = 0;   // ... its number (the clock's hour may differ: 24 is 0)
  bool bare_weekday = false;
  bool that_weekday = false;
  bool following = false;     // "the following Monday"
  int alt_offset = 0;         // another day count the words allow ("quinze jours": 15)
  bool weekday_abbr = false;  // an abbreviated weekday not yet confirmed by a neighbour
  bool word_clock = false;    // the hour is a number word ("une heure" is also a duration)
  bool habitual = false;      // a part of day in the plural ("las tardes", "mornings"): a time only with its day
  bool time_first = false;    // a part of day or clock time was read before the day ("las tardes del martes")
  bool the_weekday = false;   // "the Friday": a weekday after an article that points back at a named week
  std::string_view zone;  // as written (a view of the text) or as the lexicon names it
  double clarity = 1.0;
};

// An expression while the rules work on it: an sdk::TimeExpression without its zone string (the zone is a
// view, Expr::zone), so that copying an item, which the rules do often, copies no string.
struct ExprTime {
  Shape shape = Shape::at;
  sdk::TimePoint from;
  sdk::TimePoint to;
};

struct Expr {
  std::size_t ub = 0;  // first unit (with a shape word)
  std::size_t ue = 0;
  ExprTime x;
  std::string_view zone;  // as written (a view of the text) or as the lexicon names it; "" for the sender's
  bool has_to = false;
  bool bare_weekday = false;
  bool that_weekday = false;
  bool after_ctx = false;   // "the Tuesday after"
  bool following = false;   // "the following week", "the week after"
  bool dropped = false;
  bool clock_cued = false;
  double clarity = 1.0;
  int inherited_from = -1;  // index in exprs_ of the day-only expression whose day it took
  bool tied_to_week = false;  // a weekday placed in a week named in its sentence
  int alt_offset = 0;       // "quinze jours": 14 days, 15 the alternative
  ExprTime original;  // as the words alone say it, before the context rules
  std::string_view original_zone;
  std::size_t extra_end_unit = 0;  // a second zone's time kept in the span
  bool time_first = false;    // the part of day or clock was written before the day
  bool the_weekday = false;   // "the Friday" (en): the weekday of the week just named
  bool excluded_weekday = false;  // "except Friday", "Not Wednesday,", "menos el viernes": a bare weekday refused
  bool move_source = false;   // the old day of a meeting moved "from X to Y" (neutral)
  std::size_t to_first = 0;   // a range's first unit of its `to` side
  std::optional<int> week_no; // the week the item lies in, in weeks after sent's (apply_context)
};

struct CueHit {
  std::size_t tb = 0;
  std::size_t te = 0;
  Cat cat = Cat::negative;
};

// The first `n` items of `v` set to `value`, its capacity kept; the items past n (of a longer text before)
// are unused and never shrunk. (vector::assign's fill is a call that is not inlined, and the parser clears
// about ten such arrays per text.)
template <typename T>
[[gnu::always_inline]] inline void fill_first(std::vector<T>& v, std::size_t n, const T& value) {
  if (v.size() < n) v.resize(n);
  std::fill_n(v.begin(), n, value);
}
// fill_first() with zero bytes, for plain data (byte marks, category sets): one memset.
template <typename T>
[[gnu::always_inline]] inline void zero_first(std::vector<T>& v, std::size_t n) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (v.size() < n) v.resize(n);
  if (n != 0) std::memset(static_cast<void*>(v.data()), 0, n * sizeof(T));
}

// `t` and `zone` into `to`, whose zone string is written only when the zone is not empty.
void set_expression(TimeExpression& to, const ExprTime& t, std::string_view zone) {
  to.shape = t.shape;
  to.from = t.from;
  to.to = t.to;
  if (zone.empty()) to.zone.clear();
  else to.zone.assign(zone.data(), zone.size());
}

bool is_day_kind(const DayRef& d) {
  return d.kind == Kind::relative || d.kind == Kind::weekday || d.kind == Kind::date ||
         d.kind == Kind::day_of_month || d.kind == Kind::end_of_week;
}

bool same_day(const DayRef& a, const DayRef& b) {
  const auto mode = [](Mode m) { return m == Mode::next_only ? Mode::next : m; };  // next_only has no alternative
  return a.kind == b.kind && mode(a.mode) == mode(b.mode) && a.offset == b.offset && a.weekday == b.weekday &&
         a.year == b.year && a.month == b.month && a.day == b.day && a.week_number == b.week_number &&
         a.plus_days == b.plus_days && a.past == b.past;
}

class Parser {
 public:
  Parser() = default;
  // Starts on a new text. Every buffer keeps its capacity, so that a parser reused for many texts
  // stops allocating once it has seen a long one.
  void reset(std::string_view text, const Lexicon& lex, std::chrono::year_month_day today) {
    text_ = text;
    lex_ = &lex;
    today_ = today;
    lex.tokenize(text, toks_, tok_store_);
    nt_ = toks_.size();
    U_ = nullptr;
    nu_ = 0;
    number_units_.clear();
    text_cats_.reset();
    made_.clear();
    cues_.clear();
    marked_clocks_.clear();
    exprs_.clear();
    last_clock_ = sdk::ClockTime{};
  }

  // The text's items are out[0, the count returned); `out` is never shrunk (its items keep their memory).
  std::size_t run(std::vector<Found>& out);

 private:
  // -- units and tokens
  // The hottest question of the parser: kept inline at every call.
  [[gnu::always_inline]] bool has(std::size_t u, Cat c) const {
    return u < nu_ && U_[u].cats[static_cast<std::size_t>(c)];
  }
  int val(std::size_t u, Cat c) const { return U_[u].e->value(c); }
  const Token& tok(std::size_t u) const { return toks_[U_[u].tb]; }
  bool is_num(std::size_t u) const {
    return u < nu_ && U_[u].single_number && !U_[u].blocked;
  }
  int num(std::size_t u) const { return U_[u].number; }
  // A number written as digits or as a number word.
  std::optional<int> number_at(std::size_t u) const {
    if (is_num(u)) return num(u);
    if (has(u, Cat::number) && !U_[u].blocked) return val(u, Cat::number);
    return std::nullopt;
  }
  // The punctuation mark `p` (one byte, not 0) at unit `u`. (Only a mark has a `ch`: no kind test.)
  bool punct(std::size_t u, char p) const { return u < nu_ && U_[u].ch == p; }
  bool joined(std::size_t u) const { return u < nu_ && !U_[u].space_before; }
  bool blocked(std::size_t u) const { return u < nu_ && U_[u].blocked; }
  // Whether any unit of the text has category `c` (rules about rare words skip texts without them).
  bool in_text(Cat c) const { return text_cats_[static_cast<std::size_t>(c)]; }
  // Words that join the parts of one time ("on", "the", "um", ","), unless they also carry a meaning of
  // their own ("ce" is "this" before a weekday): decided once per unit (build_units).
  bool is_glue(std::size_t u) const { return u < nu_ && U_[u].glue; }

  bool is_month(std::size_t u) const {
    return has(u, Cat::month) || has(u, Cat::month_abbr);
  }
  int month_of(std::size_t u) const { return has(u, Cat::month) ? val(u, Cat::month) : val(u, Cat::month_abbr); }
  bool clock_marker(std::size_t u) const {
    // A colon marks a clock only before its minutes ("15:30"); "el martes 15: ese día" ends a clause.
    return (punct(u, ':') && is_num(u + 1) && joined(u + 1)) || has(u, Cat::am) || has(u, Cat::pm) || has(u, Cat::oclock) ||
           has(u, Cat::hour_suffix) || (punct(u, '.') && is_num(u + 1) && joined(u + 1) && U_[u + 1].digits == 2);
  }
  std::size_t sentence_of(std::size_t u) const { return sentence_[U_[u].tb]; }
  // The dot at unit `u` makes the number before it an ordinal, in languages that write them so: "20. bis",
  // "am 3. bin ich"; not at the end of a sentence ("um 11.").
  // An ordinal with no month ("the 14th", "am 3.") is a day only in a time's company: after "the", "on",
  // a shape or range word, or a coordination; and before the end of a clause, a time word, a cue or a
  // word the language lists as following days ("is", "would"). Not "came 1st in the league", "the 5th album".
  bool ordinal_is_day(std::size_t u, std::size_t next) const {
    const bool before_ok = u > 0 && (has(u - 1, Cat::day_article) || is_glue(u - 1) || has(u - 1, Cat::after) ||
                                     has(u - 1, Cat::before) || has(u - 1, Cat::by) || has(u - 1, Cat::from) ||
                                     has(u - 1, Cat::between) || has(u - 1, Cat::range_to) || has(u - 1, Cat::or_) ||
                                     has(u - 1, Cat::and_) || has(u - 1, Cat::week_of) || punct(u - 1, '-'));
    if (!before_ok) return false;
    if (next >= nu_ || U_[next].kind != Token::Kind::word) return true;
    static const CatSet kNotOnlyData = ~lex_data_cue_only();
    if ((U_[next].cats & kNotOnlyData).any()) return true;
    return any_cue_at(next);
  }
  static CatSet lex_data_cue_only() {
    CatSet m;
    for (Cat c : {Cat::ordinal_noun, Cat::job, Cat::rating, Cat::address, Cat::version, Cat::greeting,
                  Cat::greeting_start, Cat::duration_unit})
      m.set(static_cast<std::size_t>(c));
    return m;
  }
  bool dot_ordinal(std::size_t u) const {
    return lex_->data().dot_ordinals && u + 1 < nu_ && !is_num(u + 1) &&
           !(U_[u + 1].kind == Token::Kind::word && U_[u + 1].capital) && U_[u + 1].kind != Token::Kind::punct;
  }

  // The longest phrases starting at token i, of cue and of time categories: looked up once per token
  // (build_units), read by build_units and find_cues both.
  const Lexicon::PhraseMatch& match_at(std::size_t i) const { return matches_[i]; }
  void build_units();
  void block_non_times();
  void find_cues();
  void block_quote_headers();
  void split_clauses();
  void index();
  bool cue_at(std::size_t u, Cat c) const {
    return u < nu_ && cue_at_[U_[u].tb][static_cast<std::size_t>(c)];
  }
  bool any_cue_at(std::size_t u) const { return u < nu_ && cue_at_[U_[u].tb].any(); }

  bool try_day(std::size_t& k, Pt& p) const;
  // Whether hard clause `h` holds a cue of category `c`.
  bool clause_has(std::size_t h, Cat c) const { return hard_cats_[h][static_cast<std::size_t>(c)]; }
  // Whether the `than` cue starting at token `tb` compares: a `preference` cue before it in its clause, and
  // one of the `items` (text order) ending before it in its comma-clause ("Mejor el miércoles a las 9 que el
  // jueves"; "il vaut mieux que ce soit le matin" compares nothing).
  bool compares(std::size_t tb, const std::vector<Expr*>& items) const {
    const std::size_t h = hard_[tb];
    if (!clause_has(h, Cat::preference)) return false;
    const bool preferred = std::ranges::any_of(hard_cues(h), [&](std::size_t k) {
      return cues_[k].cat == Cat::preference && cues_[k].te <= tb;
    });
    return preferred && std::ranges::any_of(items, [&](const Expr* x) {
      const std::size_t xb = U_[x->ub].tb;
      return U_[x->ue - 1].te <= tb && soft_[xb] == soft_[tb] && hard_[xb] == h;
    });
  }
  // Whether sentence `s` holds a cue of category `c`; whether the text does.
  bool sentence_has(std::size_t s, Cat c) const { return sentence_cats_[s][static_cast<std::size_t>(c)]; }
  bool text_has_cue(Cat c) const { return cue_cats_[static_cast<std::size_t>(c)]; }
  // Only coordination between units a and b: "or" / "and", commas and glue, at least one "or" / "and".
  bool coordinated(std::size_t a, std::size_t b) const {
    bool conj = false;
    for (std::size_t v = a; v < b; ++v) {
      if (has(v, Cat::or_) || has(v, Cat::and_)) conj = true;
      else if (!(punct(v, ',') || is_glue(v))) return false;
    }
    return conj;
  }
  void split_moves();
  // A meeting named at the expression: "our design review on Thursday", "la reunión del miércoles", "den
  // Termin am Donnerstag", "notre point de vendredi" (the noun a few words before), "Thursday's lunch",
  // "tomorrow's call" (a possessive day before it).
  // The meeting noun cue `c` has a determiner that makes it a meeting already set ("our call", "la reunión",
  // "den Termin"), a few words before it at most ("the partner review", "our design review").
  bool set_meeting(const CueHit& c) const {
    for (std::size_t t = c.tb, seen = 0; t-- > 0 && seen < 3; ++seen) {
      if (toks_[t].kind == Token::Kind::punct) return toks_[t].ch == '\'' && t > 0 && toks_[t - 1].kind == Token::Kind::word;
      if (const Entry* w = lex_->word(toks_[t]); w != nullptr && w->has(Cat::determiner)) return true;
    }
    return false;
  }
  bool meeting_ref(const Expr& e) const {
    const std::size_t tb = U_[e.ub].tb;
    const std::size_t te = U_[e.ue - 1].te;
    if (!clause_has(hard_[tb], Cat::meeting)) return false;
    for (std::size_t ci : hard_cues(hard_[tb])) {
      const CueHit& c = cues_[ci];
      if (c.cat != Cat::meeting) continue;
      if (c.te <= tb && tb - c.te <= 4 && set_meeting(c) &&
          std::none_of(toks_.begin() + static_cast<std::ptrdiff_t>(c.te), toks_.begin() + static_cast<std::ptrdiff_t>(tb),
                       [](const Token& t) { return t.kind == Token::Kind::punct && t.ch != '-' && t.ch != '\''; }))
        return true;
      if (possessive_at(e.ue) && c.tb >= te + 2 && c.tb <= te + 4) return true;
    }
    return false;
  }
  // A clause that refuses a meeting rather than a time: "no podrá hacer la entrevista", "can't make the call".
  bool declines_meeting(std::size_t h) const {
    if (!clause_has(h, Cat::negative) || !clause_has(h, Cat::meeting)) return false;
    for (std::size_t a : hard_cues(h)) {
      if (cues_[a].cat != Cat::negative) continue;
      for (std::size_t b : hard_cues(h))
        if (cues_[b].cat == Cat::meeting && cues_[b].tb >= cues_[a].te && cues_[b].tb - cues_[a].te <= 3 &&
            set_meeting(cues_[b]))
          return true;
    }
    return false;
  }
  void share_coordinated_times();
  // At `v`: "or" / "and" / ",", then (a weekday and) a day number with its month: "... or Thursday 8 October".
  bool listed_before_date(std::size_t v) const {
    if (!(has(v, Cat::or_) || has(v, Cat::and_) || punct(v, ','))) return false;
    ++v;
    for (int i = 0; i < 3 && v < nu_ && (is_glue(v) || has(v, Cat::weekday) || has(v, Cat::weekday_abbr)); ++i)
      ++v;
    if (!is_num(v) || num(v) < 1 || num(v) > 31) return false;
    ++v;
    if ((has(v, Cat::ordinal_suffix) || punct(v, '.')) && joined(v)) ++v;
    if (has(v, Cat::glue) && is_month(v + 1)) ++v;
    return is_month(v);
  }
  // "Thursday's lunch", "tomorrow's call": the possessive after unit `u`.
  bool possessive_at(std::size_t u) const {
    return punct(u, '\'') && joined(u) && u + 1 < nu_ && joined(u + 1) && tok(u + 1).text == "s";
  }
  bool try_date(std::size_t& k, Pt& p) const;
  bool try_clock(std::size_t& k, Pt& p) const;
  bool try_part(std::size_t& k, Pt& p) const;
  bool try_zone(std::size_t& k, Pt& p) const;
  std::optional<Pt> point(std::size_t u) const;
  // False when no point starts at `u`: point()'s first test, before a Pt need be made (most units fail it).
  bool may_start_point(std::size_t u) const;
  // point() past that test, into `p` (a fresh Pt): false, p unspecified, when none.
  bool read_point(std::size_t u, Pt& p) const;

  void assemble();
  void apply_context();
  void drop_job_hours();
  std::size_t decide_polarity(std::vector<Found>& out);  // the count of items kept
  void note_for(const Expr& e, NoteText& note) const;  // written over `note`

  std::string_view text_;
  const Lexicon* lex_ = nullptr;
  std::chrono::year_month_day today_;
  std::vector<Token> toks_;
  std::size_t nt_ = 0;  // toks_.size()
  std::string tok_store_;  // the texts of toks_ that folding changed (toks_ view it)
  std::vector<Unit> units_;  // the first nu_ are the text's (never shrunk: a longer text's are past them)
  // units_ as the rules read it (set once build_units has made them; the rules never add units): a plain
  // pointer and count, so that a bounds test is one comparison.
  Unit* U_ = nullptr;
  std::size_t nu_ = 0;
  std::vector<std::uint32_t> number_units_;  // the units whose first token is a number in digits, in order
  std::deque<Entry> made_;  // entries made for compounds ("Mittwochabend")
  CatSet text_cats_;        // the categories of all units (build_units)
  std::vector<Lexicon::PhraseMatch> matches_;  // per token (match_at); past the text's tokens: unused
  // Per-token and per-sentence flags are bytes, not std::vector<bool>: clearing them is one memset.
  std::vector<CueHit> cues_;
  std::vector<std::size_t> sentence_, hard_, soft_;  // per token (the first nt_ entries: never shrunk)
  // Indexes, so that every rule runs in time linear in the text (a megabyte of text must not stall):
  std::vector<CatSet> cue_at_;                         // per token: the cues that start there
  // The cues of a clause or sentence: cues_ is in text order and clause and sentence numbers never decrease
  // along the text, so each one's cues are a run of cues_, [first[h], first[h + 1]) (index()).
  std::vector<std::size_t> hard_first_, sentence_first_;
  using CueRun = std::ranges::iota_view<std::size_t, std::size_t>;
  CueRun hard_cues(std::size_t h) const { return CueRun(hard_first_[h], hard_first_[h + 1]); }
  CueRun sentence_cues(std::size_t s) const { return CueRun(sentence_first_[s], sentence_first_[s + 1]); }
  std::vector<CatSet> hard_cats_;      // per clause: the categories of its cues (clause_has)
  std::vector<CatSet> sentence_cats_;  // per sentence: the categories of its cues (sentence_has)
  CatSet cue_cats_;                    // the categories of all cues of the text
  // Per-token and per-sentence marks, each kind in one array of small structs: one memset clears them all
  // (split_clauses, for every text).
  struct TokenMarks {
    std::uint8_t breaks = 0;  // split_clauses: 1, the clause starts at the word; 2, a contrast word inside
    std::uint8_t except = 0;  // inside an exclusion phrase ("apart from")
  };
  struct SentenceMarks {
    std::uint8_t question = 0;  // it ends with "?"
    std::uint8_t job = 0;       // it speaks of a job
    std::uint8_t day_only = 0;  // a day with no time was read in it
    std::uint8_t week = 0;      // apply_context: a week is named in it
  };
  std::vector<TokenMarks> token_marks_;        // per token
  std::vector<SentenceMarks> sentence_marks_;  // per sentence (sized by the tokens: there are fewer)
  std::vector<std::size_t> marked_clocks_;  // units of numbers written with a clock marker
  std::vector<Expr> exprs_;
  sdk::ClockTime last_clock_;  // the clock time of the last item assembled ("same time" takes it)
  // decide_polarity's working lists, kept for their capacity
  std::vector<Expr*> live_;
  std::vector<int> live_of_;
  std::vector<std::optional<Polarity>> forced_;
  std::vector<std::uint8_t> moved_to_;  // per live item: a meeting moves to it
  std::vector<std::uint8_t> drop_;
  std::vector<std::uint8_t> tied_;      // apply_context's per-expression marks
};

void Parser::build_units() {
  const std::vector<std::string>& weekdays = lex_->weekdays_folded();
  if (matches_.size() < nt_) matches_.resize(nt_);
  // A unit per token at most. Written over the units of the text before (never shrunk; the first nu_ are
  // this text's), with every field set: no value-initialisation per unit.
  if (units_.size() < nt_) units_.resize(nt_);
  Unit* const built = units_.data();
  std::size_t nu = 0;
  // One walk: the phrase matches of every token (find_cues reads them inside time phrases too), and a unit
  // at every token that starts one.
  std::size_t next = 0;  // the token the next unit starts at
  for (std::size_t i = 0; i < nt_; ++i) {
    Lexicon::PhraseMatch& m = matches_[i];
    if (toks_[i].word == kWordNone) m = Lexicon::PhraseMatch{};  // (a token no phrase has: most tokens)
    else lex_->match_phrases(toks_, i, m);
    if (i < next) continue;  // inside the phrase of the unit before
    const Entry* e = m.time;
    std::size_t n = m.time_len;
    if (n == 0 && toks_[i].kind == Token::Kind::word && lex_->may_extend_weekday(toks_[i].text)) {
      // A weekday joined to a part of day, as German writes it: "Mittwochabend", "Dienstagvormittag".
      for (std::size_t d = 0; d < weekdays.size(); ++d) {
        const std::string& w = weekdays[d];
        const std::string_view t = toks_[i].text;
        if (w.empty() || t.size() <= w.size() || t.compare(0, w.size(), w) != 0) continue;
        const Entry* part = lex_->word(std::string_view(t).substr(w.size()));
        if (part == nullptr || !part->has(Cat::part_of_day)) continue;
        Entry made;
        made.add(Cat::weekday, static_cast<int>(d));
        made.add(Cat::part_of_day, part->value(Cat::part_of_day));
        made.facts = unit_facts(made.cats);
        made_.push_back(made);
        e = &made_.back();
        n = 1;
        break;
      }
    }
    const Token& t = toks_[i];
    Unit& unit = built[nu++];  // (every field is set below)
    unit.tb = i;
    // number, kind, ch, space_before and capital: one block of eight bytes, laid out alike in both.
    std::memcpy(&unit.number, &t.number, kTokenBlock);
    unit.digits = static_cast<std::uint8_t>(std::min(t.digits, 255));
    // Glue: "on", "the", "um", a comma; not a word that also carries a meaning of its own ("ce" is "this"
    // before a weekday).
    const bool comma = t.ch == ',';  // (only a mark has a `ch`)
    if (n == 0) {
      unit.te = i + 1;
      unit.e = nullptr;
      unit.cats.reset();
      unit.single_number = t.kind == Token::Kind::number;
      unit.starts = false;
      unit.day_starts = false;
      unit.glue = comma;
      unit.opens = comma || unit.single_number;
      next = i + 1;
    } else {
      const CatSet& cats = e->cats;
      unit.te = i + n;
      unit.e = e;
      unit.cats = cats;
      unit.single_number = n == 1 && t.kind == Token::Kind::number;
      const std::uint8_t facts = e->facts;
      unit.starts = (facts & kFactStarts) != 0;
      unit.day_starts = (facts & kFactDayStarts) != 0;
      unit.glue = (facts & kFactGlue) != 0 || (comma && (facts & kFactNoOwnMeaning) != 0);
      unit.opens = unit.starts || unit.glue || unit.single_number || (facts & kFactShape) != 0;
      text_cats_ |= cats;
      next = i + n;
    }
    unit.blocked = false;
    if (t.kind == Token::Kind::number) number_units_.push_back(static_cast<std::uint32_t>(nu - 1));
  }
  U_ = built;
  nu_ = nu;
}


// Numbers that are phone or version numbers, ratings, parts of addresses, or durations; greetings.
void Parser::block_non_times() {
  const auto block_unit = [&](std::size_t u) { U_[u].blocked = true; };
  // The first two passes look at numbers written in digits only, each rule starting at one: they walk the
  // list of those units (a text without any skips them).
  const std::size_t n = nu_;
  std::size_t next = 0;  // the first unit the first pass has not passed yet
  for (const std::size_t u : number_units_) {
    if (u < next) continue;
    next = u + 1;
    // Codes: digits written onto letters ("Q4", "H2", "v2", "A4", "COVID19") are no time; "T10:00" after a
    // date's digits is ISO 8601's and stays.
    if (u > 0 && !U_[u].space_before && U_[u - 1].kind == Token::Kind::word &&
        !(u > 1 && tok(u - 1).end - tok(u - 1).begin == 1 && U_[u - 2].kind == Token::Kind::number &&
          !U_[u - 1].space_before)) {
      block_unit(u);
      continue;
    }
    // An ISO 8601 date (2026-05-06) is no phone number.
    if (U_[u].digits == 4 && u + 4 < n && punct(u + 1, '-') && joined(u + 1) &&
        U_[u + 2].kind == Token::Kind::number && U_[u + 2].digits == 2 && joined(u + 2) && punct(u + 3, '-') &&
        joined(u + 3) && U_[u + 4].kind == Token::Kind::number && U_[u + 4].digits == 2 && joined(u + 4) &&
        !(u + 5 < n && joined(u + 5) && (punct(u + 5, '-') || U_[u + 5].kind == Token::Kind::number))) {
      next = u + 5;
      continue;
    }
    // Phone numbers: digit groups joined by - ( ) + or spaces, seven digits or more in all.
    std::size_t v = u;
    int digits = 0;
    int groups = 0;
    std::size_t last = u;
    while (v < n) {
      if (U_[v].kind == Token::Kind::number) {
        digits += U_[v].digits;
        ++groups;
        last = v;
        ++v;
      } else if (U_[v].kind == Token::Kind::punct &&
                 (U_[v].ch == '-' || U_[v].ch == '(' || U_[v].ch == ')' || U_[v].ch == '+')) {
        ++v;
      } else {
        break;
      }
    }
    if (digits >= 7 && (groups >= 2 || digits >= 8)) {
      for (std::size_t w = u; w <= last; ++w) block_unit(w);
      next = last + 1;
    }
  }
  for (const std::size_t u : number_units_) {
    // Versions: "v2.3", "version 10.4", "1.2.3".
    const bool versioned = (u > 0 && has(u - 1, Cat::version)) ||
                           (punct(u + 1, '.') && is_num(u + 2) && punct(u + 3, '.') && is_num(u + 4) &&
                            joined(u + 1) && joined(u + 3) && joined(u + 4));
    if (versioned) {
      std::size_t v = u;
      while (v < n && (U_[v].kind == Token::Kind::number || (punct(v, '.') && is_num(v + 1) && joined(v + 1)))) {
        block_unit(v);
        ++v;
      }
      continue;
    }
    // Ratings: "4/5" near "rated", "score", "stars", "out of".
    bool rating = false;
    if (in_text(Cat::rating))
      for (std::size_t b = (u >= 4 ? u - 4 : 0); b < std::min(n, u + 5); ++b)
        if (has(b, Cat::rating)) rating = true;
    if (rating && (punct(u + 1, '/') || (u > 0 && punct(u - 1, '/')) || has(u + 1, Cat::rating))) {
      block_unit(u);
      if (punct(u + 1, '/') && u + 2 < n && U_[u + 2].kind == Token::Kind::number) block_unit(u + 2);  // "4/5"
      continue;
    }
    // Addresses: "221 Baker Street", "Suite 300", "12 rue de la Paix".
    bool address = u > 0 && has(u - 1, Cat::address);
    for (std::size_t b = u + 1; b < std::min(n, u + 4) && !address && in_text(Cat::address); ++b) {
      if (has(b, Cat::address) && U_[b].space_before) address = true;
      else if (!(U_[b].kind == Token::Kind::word && U_[b].capital)) break;
    }
    if (address) {
      block_unit(u);
      continue;
    }
    // Durations: "45 minutes", "45-minute", "3 to 5 years", "2-3 hours".
    std::size_t v = u + 1;
    if (punct(v, '-')) ++v;
    if (has(v, Cat::duration_unit) && !has(v, Cat::oclock)) {
      block_unit(u);
      if (u >= 2 && (has(u - 1, Cat::range_to) || punct(u - 1, '-') || has(u - 1, Cat::and_)) &&
          number_at(u - 2))
        block_unit(u - 2);
    }
  }
  static const CatSet kBlockMask = mask_of({Cat::duration_unit, Cat::number, Cat::greeting, Cat::greeting_start});
  const std::size_t units = (text_cats_ & kBlockMask).any() ? nu_ : 0;  // (most texts have none of these)
  for (std::size_t u = 0; u < units; ++u) {
    // Each rule below starts at a unit with one of these categories.
    if ((U_[u].cats & kBlockMask).none()) continue;
    if (U_[u].e != nullptr && U_[u].kind == Token::Kind::number && has(u, Cat::duration_unit)) block_unit(u);
    if (has(u, Cat::number) && has(u + 1, Cat::duration_unit) && !has(u + 1, Cat::oclock)) block_unit(u);
    if (has(u, Cat::greeting)) block_unit(u);
    if (has(u, Cat::greeting_start)) {
      const bool starts = tok(u).line_start || (u > 0 && (punct(u - 1, '.') || punct(u - 1, '!') ||
                                                           punct(u - 1, '?')));
      const bool named = u + 1 >= nu_ || punct(u + 1, ',') || punct(u + 1, '!') ||
                         (U_[u + 1].kind == Token::Kind::word && U_[u + 1].capital && U_[u + 1].e == nullptr);
      if (starts && named) block_unit(u);
    }
  }
}

void Parser::find_cues() {
  for (std::size_t i = 0; i < nt_;) {
    const Lexicon::PhraseMatch& m = match_at(i);
    const Entry* e = m.cue;
    const Entry* s = m.time;
    const std::size_t len = m.cue_len;
    const std::size_t slen = m.time_len;
    if (slen > len && (s->cats & kCueMask).none()) {
      i += slen;  // a longer time phrase holds the word: "pasado mañana" is not a past cue
      continue;
    }
    if (len == 0) {
      ++i;
      continue;
    }
    // Each cue category of the phrase, in the order of Cat (the set bits of its cue categories).
    const CatSet cats = e->cats & kCueMask;
    for (std::size_t c = cats._Find_first(); c < kCatCount; c = cats._Find_next(c))
      cues_.push_back({i, i + len, static_cast<Cat>(c)});
    i += len;
  }
}

// A quoted message's header ("On Mon, Nov 2, 2026 at 9:14 AM Alex wrote:") dates the quote; it is no item.
void Parser::block_quote_headers() {
  for (const auto& c : cues_) {
    if (c.cat != Cat::quote_header) continue;
    std::size_t b = c.tb;
    while (b > 0 && !toks_[b].line_start) --b;
    std::size_t e = c.te;
    while (e < nt_ && !toks_[e].line_start) ++e;
    for (std::size_t u = 0; u < nu_; ++u)
      if (U_[u].tb >= b && U_[u].tb < e) U_[u].blocked = true;
  }
}

void Parser::index() {
  zero_first(cue_at_, nt_);
  const std::size_t sentences = nt_ == 0 ? 0 : sentence_[nt_ - 1] + 1;
  const std::size_t clauses = nt_ == 0 ? 0 : hard_[nt_ - 1] + 1;
  // Where each clause's and sentence's run of cues starts (one more: the end of the last).
  const auto runs = [&](std::vector<std::size_t>& first, const std::vector<std::size_t>& number_of, std::size_t n) {
    if (first.size() < n + 1) first.resize(n + 1);
    std::size_t ci = 0;
    for (std::size_t k = 0; k <= n; ++k) {
      while (ci < cues_.size() && number_of[cues_[ci].tb] < k) ++ci;
      first[k] = ci;
    }
  };
  runs(hard_first_, hard_, clauses);
  runs(sentence_first_, sentence_, sentences);
  zero_first(hard_cats_, clauses);
  zero_first(sentence_cats_, sentences);
  cue_cats_.reset();
  for (std::size_t i = 0; i < cues_.size(); ++i) {
    const CueHit& c = cues_[i];
    cue_at_[c.tb].set(static_cast<std::size_t>(c.cat));
    hard_cats_[hard_[c.tb]].set(static_cast<std::size_t>(c.cat));
    sentence_cats_[sentence_[c.tb]].set(static_cast<std::size_t>(c.cat));
    cue_cats_.set(static_cast<std::size_t>(c.cat));
    if (c.cat == Cat::except)
      for (std::size_t t = c.tb; t < c.te; ++t) token_marks_[t].except = 1;
  }
  if (in_text(Cat::job))
    for (std::size_t u = 0; u < nu_; ++u)
      if (has(u, Cat::job)) sentence_marks_[sentence_of(u)].job = 1;
  for (const std::size_t u : number_units_)
    if (is_num(u) && u + 1 < nu_ && (clock_marker(u + 1) || has(u + 1, Cat::am) || has(u + 1, Cat::pm)))
      marked_clocks_.push_back(u);
}

void Parser::split_clauses() {
  const std::size_t n = nt_;
  // Every token's three numbers are written below: sized, not filled.
  // Never shrunk (the entries past the text's tokens, of a longer text before, are unused): growing them
  // for each text that is longer than the one before would fill them first.
  if (sentence_.size() < n) {
    sentence_.resize(n);
    hard_.resize(n);
    soft_.resize(n);
  }
  // 1: the clause starts at the word; 2: a contrast word that may stand after the first words of its
  // comma-clause ("Mittwoch geht nicht, Donnerstag aber gern", "jeudi, en revanche, ça marche").
  zero_first(token_marks_, n);
  zero_first(sentence_marks_, n + 1);  // (sentences are fewer than the tokens)
  for (const auto& c : cues_)
    if (c.cat == Cat::clause_break) token_marks_[c.tb].breaks = 1;
    else if (c.cat == Cat::contrast_inner && token_marks_[c.tb].breaks == 0) token_marks_[c.tb].breaks = 2;
  constexpr std::size_t kInnerReach = 4;  // words of the clause a contrast word may follow
  std::size_t s = 0;
  std::size_t h = 0;
  std::size_t f = 0;
  std::size_t comma_after = n;  // the first token of the current comma-clause, when a comma opened it
  std::size_t before_comma = 0;  // the first token of the words before that comma (the sentence's or a clause's)
  std::size_t run_start = 0;     // the first token after the last punctuation mark
  for (std::size_t i = 0; i < n; ++i) {
    const Token& t = toks_[i];
    if (i > 0 && t.line_start) {
      ++s;
      ++h;
      ++f;
      comma_after = n;
      run_start = i;
    }
    const std::uint8_t br = token_marks_[i].breaks;
    if (br == 0) {
      // (most tokens: no clause break; only an opening mark starts a clause)
      if (t.kind == Token::Kind::punct && i > 0 && (t.text == "\u00BF" || t.text == "\u00A1")) {
        ++h;  // "El lunes no puedo, ¿el martes?": an opening question or exclamation mark starts a clause
        ++f;
      }
    } else if (br == 2 && comma_after == i && before_comma + kInnerReach + 1 >= i && before_comma + 1 < i) {
      // "Le lundi 14, en revanche, je suis en déplacement": the words before the comma are the contrast's
      // subject, and join the clause it opens.
      ++h;
      for (std::size_t j = before_comma; j < i; ++j) hard_[j] = h;
    } else if (br == 2 && comma_after < i && i - comma_after <= kInnerReach &&
        std::none_of(toks_.begin() + static_cast<std::ptrdiff_t>(comma_after),
                     toks_.begin() + static_cast<std::ptrdiff_t>(i),
                     [](const Token& x) { return x.kind == Token::Kind::punct; })) {
      ++h;  // the clause began at the comma: its first words belong to it
      for (std::size_t j = comma_after; j < i; ++j) hard_[j] = h;
    } else {
      ++h;
      ++f;
    }
    sentence_[i] = s;
    hard_[i] = h;
    soft_[i] = f;
    if (t.kind != Token::Kind::punct) continue;
    if (t.ch == '?') sentence_marks_[s].question = 1;
    bool end = t.ch == '?' || t.ch == '!' || t.ch == ';';
    if (t.ch == '.') {
      if (i + 1 >= n) {
        end = true;
      } else if (toks_[i + 1].space_before) {
        const Entry* next = lex_->word(toks_[i + 1]);
        const bool next_month = next != nullptr && (next->has(Cat::month) || next->has(Cat::month_abbr));
        const bool next_lower = toks_[i + 1].kind == Token::Kind::word && !toks_[i + 1].capital;
        end = !(i > 0 && toks_[i - 1].kind == Token::Kind::number && (next_month || next_lower));
        // "1 p.m. ET", "e.g. Monday": the dot of a one-letter abbreviation (not of "15h." after its number)
        if (i > 0 && toks_[i - 1].kind == Token::Kind::word && toks_[i - 1].end - toks_[i - 1].begin == 1 &&
            !(i > 1 && toks_[i - 2].kind == Token::Kind::number && !toks_[i - 1].space_before))
          end = false;
      }
    }
    comma_after = n;
    if (end) {
      ++s;
      ++h;
      ++f;
    } else if (t.ch == ':') {
      if (!(i > 0 && toks_[i - 1].kind == Token::Kind::number && i + 1 < n &&
            toks_[i + 1].kind == Token::Kind::number)) {
        ++h;
        ++f;
      }
    } else if (t.ch == ',' || t.ch == '(' || t.ch == ')') {
      ++f;
      comma_after = i + 1;
      before_comma = t.ch == ',' ? run_start : i + 1;
    }
    run_start = i + 1;
  }
}

bool Parser::try_date(std::size_t& k, Pt& p) const {
  const std::size_t u = k;
  DayRef d;
  // Month name first: "Dec 8", "March 3, 2027", "January 8th".
  if (is_month(u) && !blocked(u)) {
    const int m = month_of(u);
    std::size_t v = u + 1;
    if (has(v, Cat::glue) && is_num(v + 1)) ++v;
    if (is_num(v) && num(v) >= 1 && num(v) <= 31 && !clock_marker(v + 1)) {
      d.kind = Kind::date;
      d.month = m;
      d.day = num(v);
      ++v;
      if (has(v, Cat::ordinal_suffix) && joined(v)) ++v;
      std::size_t y = v;
      if (punct(y, ',')) ++y;
      if (is_num(y) && num(y) >= 1900 && num(y) <= 2200) {
        d.year = num(y);
        v = y + 1;
      }
      p.tp.day = d;
      k = v;
      return true;
    }
    if (is_num(v) && num(v) >= 1900 && num(v) <= 2200 && has(u, Cat::month)) {
      d.kind = Kind::month;
      d.month = m;
      d.year = num(v);
      p.tp.day = d;
      k = v + 1;
      return true;
    }
    // A month alone: wide names only; a name that is also a word needs "in", "im", "en", "all of"...
    const bool intro = u > 0 && has(u - 1, Cat::month_intro);
    if (has(u, Cat::month) && (!has(u, Cat::month_trap) || intro)) {
      d.kind = Kind::month;
      d.month = m;
      p.tp.day = d;
      k = u + 1;
      return true;
    }
    return false;
  }
  if (!is_num(u)) return false;
  if (u > 0 && joined(u) && U_[u - 1].kind == Token::Kind::word) return false;  // "U13s", "@user2"
  const int n1 = num(u);
  // ISO 8601: 2026-05-06 (and 2026-05-06T10:00, whose "T" leads to the clock).
  if (U_[u].digits == 4 && punct(u + 1, '-') && joined(u + 1) && is_num(u + 2) && joined(u + 2) &&
      punct(u + 3, '-') && joined(u + 3) && is_num(u + 4) && joined(u + 4)) {
    const int month = num(u + 2), day = num(u + 4);
    if (month < 1 || month > 12 || day < 1 || day > 31) return false;
    d.kind = Kind::date;
    d.year = n1;
    d.month = month;
    d.day = day;
    p.tp.day = d;
    std::size_t v = u + 5;
    if (v + 1 < nu_ && joined(v) && U_[v].kind == Token::Kind::word && tok(v).text == "t" &&
        is_num(v + 1) && joined(v + 1))
      ++v;
    k = v;
    return true;
  }
  // Numeric dates: 4/10, 10/04/2026, 24.12., 10.04.2026.
  if ((punct(u + 1, '/') || punct(u + 1, '.')) && joined(u + 1) && is_num(u + 2) && joined(u + 2)) {
    const bool slash = punct(u + 1, '/');
    const int n2 = num(u + 2);
    int year = 0;
    std::size_t v = u + 3;
    bool has_year_sep = (slash ? punct(v, '/') : punct(v, '.')) && joined(v);
    if (has_year_sep && is_num(v + 1) && joined(v + 1) && (U_[v + 1].digits == 4 || U_[v + 1].digits == 2)) {
      year = U_[v + 1].digits == 2 ? 2000 + num(v + 1) : num(v + 1);
      v += 2;
    } else if (has_year_sep && !slash && lex_->data().dot_ordinals) {
      v += 1;  // "24.12." — the closing dot
    } else if (!slash) {
      return false;  // "3.30" is a clock time
    }
    int month = 0;
    int day = 0;
    if (U_[u].digits == 4) {
      return false;
    } else if (slash && lex_->locale().order == LocaleWords::Order::mdy) {
      month = n1;
      day = n2;
    } else {
      day = n1;
      month = n2;
    }
    if ((month < 1 || month > 12) && day >= 1 && day <= 12 && month <= 31) std::swap(month, day);  // "22/04" in en_US
    if (month < 1 || month > 12 || day < 1 || day > 31) return false;
    d.kind = Kind::date;
    d.month = month;
    d.day = day;
    d.year = year;
    p.tp.day = d;
    k = v;
    return true;
  }
  if (n1 < 1 || n1 > 31) return false;
  std::size_t v = u + 1;
  bool ordinal = false;
  bool dotted = false;  // an ordinal written with a dot ("am 25.")
  if (has(v, Cat::ordinal_suffix) && joined(v)) {
    ordinal = true;
    ++v;
  } else if (punct(v, '.') && joined(v) && (is_month(v + 1) || dot_ordinal(v))) {
    ordinal = dotted = true;
    ++v;
  }
  std::size_t w = v;
  if (has(w, Cat::glue) && is_month(w + 1)) ++w;
  if (is_month(w)) {
    d.kind = Kind::date;
    d.day = n1;
    d.month = month_of(w);
    std::size_t y = w + 1;
    if (punct(y, ',') || has(y, Cat::glue)) ++y;
    if (is_num(y) && num(y) >= 1900 && num(y) <= 2200) {
      d.year = num(y);
      w = y;
    }
    p.tp.day = d;
    k = w + 1;
    return true;
  }
  const bool article = u > 0 && has(u - 1, Cat::day_article);
  const bool free_after = v >= nu_ || has(v, Cat::at) || has(v, Cat::or_) || has(v, Cat::and_) ||
                          punct(v, '?') || punct(v, ',') || punct(v, '.') || punct(v, '!') || punct(v, ';') ||
                          has(v, Cat::range_to) ||
                          any_cue_at(v);  // "el 4 sí", "the 5th works"
  if (ordinal && has(v, Cat::ordinal_noun)) return false;  // "the 2nd round"
  // "I came 1st in the league"; a dotted ordinal after a day's article is a day whatever follows ("können
  // wir am 25. telefonieren")
  if (ordinal && !(dotted && article) && !ordinal_is_day(u, v)) return false;
  if (ordinal || (article && free_after && !clock_marker(v))) {
    d.kind = Kind::day_of_month;
    d.day = n1;
    p.tp.day = d;
    k = v;
    return true;
  }
  return false;
}

bool Parser::try_day(std::size_t& k, Pt& p) const {
  const std::size_t u = k;
  if (blocked(u)) return false;
  // A day was read, ending before unit `next`.
  const auto take = [&](const DayRef& day, std::size_t next) {
    p.tp.day = day;
    p.day = true;
    k = next;
    return true;
  };
  if (p.day) {
    // A weekday and its date: "Wednesday 1/7", "Tuesday 11 March", "Monday the 5th", "lunes 2 de febrero".
    if (p.tp.day.kind != Kind::weekday || p.tp.day.mode != Mode::bare) return false;
    Pt q;
    std::size_t kk = u;
    if (!try_date(kk, q)) {
      // "el lunes 2" (a language that writes it so); "jeudi 26" (no hour); "Tuesday 6 or Thursday 8 October",
      // "Monday 25th or Tuesday 26th January": a date of the month named once at the end of the list.
      if (!(u == p.ue && is_num(u) && num(u) >= 1 && num(u) <= 31 && !clock_marker(u + 1) && !punct(u + 1, '-') &&
            !(has(u + 1, Cat::range_to) && number_at(u + 2))))  // "viernes 13 a 15" is a range, "13 a primera hora" a day
        return false;
      std::size_t after = u + 1;
      if (has(after, Cat::ordinal_suffix) && joined(after)) ++after;
      if (!(lex_->data().weekday_number_is_date || num(u) > 24 || listed_before_date(after))) return false;
      q.tp.day.kind = Kind::day_of_month;
      q.tp.day.day = num(u);
      kk = after;
    }
    if (q.tp.day.kind != Kind::date && q.tp.day.kind != Kind::day_of_month) return false;
    q.tp.day.weekday = p.tp.day.weekday;
    p.tp.day = q.tp.day;
    p.bare_weekday = false;
    p.weekday_abbr = false;
    k = kk;
    return true;
  }
  // Every rule below starts at a number or at a unit with a day-start category (kFactDayStarts): any other
  // unit (a part of day, "pm", a cue) is refused at once.
  if (!is_num(u) && (u >= nu_ || !U_[u].day_starts))
    return false;
  DayRef d;
  // The rules of the rarer day words (relative days, week words, "in"), skipped together by most units.
  if ((U_[u].cats & kDayWordRules).any()) {
    if (has(u, Cat::relative_day)) {
      d.kind = Kind::relative;
      d.offset = val(u, Cat::relative_day);
      if (has(u, Cat::relative_day_alt)) p.alt_offset = val(u, Cat::relative_day_alt);
      p.tp.day = d;
      p.day = true;
      if (has(u, Cat::part_of_day) && !p.part) {
        p.tp.part = static_cast<PartOfDay>(val(u, Cat::part_of_day));
        p.part = true;
      }
      k = u + 1;
      return true;
    }
    if (has(u, Cat::week_after_next)) {
      d.kind = Kind::week;
      d.mode = Mode::in_week;
      d.offset = 2;
      return take(d, u + 1);
    }
    if (has(u, Cat::following_week)) {
      d.kind = Kind::week;
      d.mode = Mode::in_week;
      d.offset = -100;  // settled by apply_context: the week after the one just named
      return take(d, u + 1);
    }
    if (has(u, Cat::end_of_week)) {
      d.kind = Kind::end_of_week;
      return take(d, u + 1);
    }
    if (has(u, Cat::iso_week) && is_num(u + 1) && num(u + 1) >= 1 && num(u + 1) <= 53) {
      d.kind = Kind::iso_week;
      d.week_number = num(u + 1);
      return take(d, u + 2);
    }
    if (has(u, Cat::week_of)) {
      Pt q;
      std::size_t kk = u + 1;
      while (kk < nu_ && has(kk, Cat::glue)) ++kk;
      if (try_date(kk, q) && (q.tp.day.kind == Kind::date || q.tp.day.kind == Kind::day_of_month)) {
        d.kind = Kind::week;
        d.month = q.tp.day.month;
        d.day = q.tp.day.day;
        d.year = q.tp.day.year;
        if (d.month == 0) {
          // "the week of the 16th": the next 16th on or after today
          const auto dd = std::chrono::day{static_cast<unsigned>(d.day)};
          auto ym = today_.year() / today_.month();
          if (today_.day() > dd) ym += std::chrono::months{1};
          d.month = static_cast<int>(static_cast<unsigned>(ym.month()));
          d.year = static_cast<int>(ym.year());
        }
        return take(d, kk);
      }
      return false;
    }
    // "in 3 days", "dans 3 jours", "en 2 semanas", "in zwei Wochen"; "3 days from now".
    if (has(u, Cat::in)) {
      if (const auto nn = number_at(u + 1)) {
        if (has(u + 2, Cat::day_unit) || has(u + 2, Cat::week_unit)) {
          d.kind = Kind::relative;
          d.offset = *nn * (has(u + 2, Cat::week_unit) ? 7 : 1);
          return take(d, u + 3);
        }
      }
    }
  }
  if (const auto nn = number_at(u)) {
    if ((has(u + 1, Cat::day_unit) || has(u + 1, Cat::week_unit)) && u > 0 && has(u - 1, Cat::in)) {
      d.kind = Kind::relative;
      d.offset = *nn * (has(u + 1, Cat::week_unit) ? 7 : 1);
      return take(d, u + 2);
    }
    if ((has(u + 1, Cat::day_unit) || has(u + 1, Cat::week_unit)) && has(u + 2, Cat::from_now)) {
      d.kind = Kind::relative;
      d.offset = *nn * (has(u + 1, Cat::week_unit) ? 7 : 1);
      return take(d, u + 3);
    }
  }
  // Modifier first: next / this / last / coming / that + weekday, week or month (and "a week from Monday"),
  // skipped together by most units.
  std::optional<Mode> mode;
  bool that = false;
  bool coming = false;
  std::size_t v = u;
  bool following = false;
  if ((U_[u].cats & kDayModifiers).any()) {
    if (has(u, Cat::plus_week) && (has(u + 1, Cat::weekday))) {
      d.kind = Kind::weekday;
      d.weekday = val(u + 1, Cat::weekday);
      d.plus_days = 7;
      return take(d, u + 2);
    }
    if (has(u, Cat::next)) mode = Mode::next;
    else if (has(u, Cat::this_)) mode = Mode::this_;
    else if (has(u, Cat::last)) mode = Mode::last;
    else if (has(u, Cat::coming)) coming = true, mode = Mode::bare;
    else if (has(u, Cat::that)) that = true, mode = Mode::bare;
    if (!mode && has(u, Cat::following) && (has(u + 1, Cat::weekday) || has(u + 1, Cat::weekday_abbr)))
      following = true, mode = Mode::bare;  // "the following Monday": in the week after the one named
  }
  if (mode) {
    v = u + 1;
    if (!(has(v, Cat::weekday) || has(v, Cat::weekday_abbr) || has(v, Cat::week) || has(v, Cat::month_word)))
      return false;
  }
  // Weekday
  if (has(v, Cat::weekday) || has(v, Cat::weekday_abbr)) {
    const bool abbr = !has(v, Cat::weekday);
    d.kind = Kind::weekday;
    d.weekday = abbr ? val(v, Cat::weekday_abbr) : val(v, Cat::weekday);
    d.mode = mode.value_or(Mode::bare);
    std::size_t w = v + 1;
    if (!mode) {
      if (has(w, Cat::next_after)) d.mode = Mode::next, ++w;
      else if (has(w, Cat::last_after)) d.mode = Mode::last, ++w;
      else if (has(w, Cat::following)) following = true, ++w;  // "el lunes siguiente"
    }
    if (abbr) {
      // Abbreviations are words too ("Sat", "So", "mar"): a weekday only when written with a capital or
      // next to a number, a range or another weekday.
      const bool cue_next = cue_at(w, Cat::positive) || cue_at(w, Cat::negative);
      const bool near = w >= nu_ || is_num(w) || U_[w].kind == Token::Kind::punct ||
                        has(w, Cat::range_to) || is_glue(w) || has(w, Cat::or_) || has(w, Cat::and_) ||
                        has(w, Cat::after) || has(w, Cat::before) || has(w, Cat::by) || has(w, Cat::from) ||
                        has(w, Cat::part_of_day) || has(w, Cat::weekday) || is_month(w) || cue_next ||
                        (v > 0 && (punct(v - 1, '-') || has(v - 1, Cat::range_to)));
      if (!near && !mode) return false;
      if (tok(v).upper && !is_num(w)) return false;  // "BLACK SUN &": shouting, not a weekday
      if (v > 0 && punct(v - 1, '\'') && joined(v)) return false;  // "C'mon"
      if (!U_[v].capital && !mode && !is_num(w) && !punct(w, '-') && !has(w, Cat::range_to))
        return false;  // "mon", "sat", "wed" in lower case are words ("c'est mon mec")
    }
    if (has(v, Cat::part_of_day) && !p.part) {  // "Mittwochabend"
      p.tp.part = static_cast<PartOfDay>(val(v, Cat::part_of_day));
      p.part = true;
    }
    p.tp.day = d;
    p.day = true;
    // "the Friday" (en): a weekday whose article points back at the week just named
    p.the_weekday = false;
    if (!mode && d.mode == Mode::bare && U_[v].tb > 0)
      if (const Entry* before = lex_->word(toks_[U_[v].tb - 1]); before != nullptr && before->has(Cat::that_article))
        p.the_weekday = true;
    p.bare_weekday = (!mode || coming) && !following;
    p.that_weekday = that;
    p.following = following;
    k = w;
    return true;
  }
  // Week
  if (has(v, Cat::week)) {
    std::size_t w = v + 1;
    Mode m = mode.value_or(Mode::bare);
    if (!mode) {
      if (has(w, Cat::next_after)) m = Mode::next, ++w;
      else if (has(w, Cat::last_after)) m = Mode::last, ++w;
      else return false;  // "the week", "all week": not an item by itself
    }
    if (that) return false;
    if (coming) m = Mode::next;
    if (m == Mode::this_) {
      d.kind = Kind::rest_of_week;
    } else {
      d.kind = Kind::week;
      d.mode = m;
    }
    return take(d, w);
  }
  if (has(v, Cat::month_word) && mode) {
    d.kind = Kind::month;
    d.offset = *mode == Mode::next ? 1 : *mode == Mode::last ? -1 : 0;
    if (*mode == Mode::this_) d.offset = 0;
    return take(d, v + 1);
  }
  if (mode) return false;
  if (has(u, Cat::month_intro) && is_month(u + 1)) {
    std::size_t kk = u + 1;
    if (try_date(kk, p)) {
      p.day = true;
      k = kk;
      return true;
    }
    return false;
  }
  std::size_t kk = u;
  if (try_date(kk, p)) {
    p.day = true;
    k = kk;
    return true;
  }
  return false;
}

bool Parser::try_clock(std::size_t& k, Pt& p) const {
  if (p.clock) return false;
  std::size_t u = k;
  if (blocked(u)) return false;
  if (has(u, Cat::same_time)) {
    // "same time", "a la misma hora": the clock time of the time named last before it; none named, no time.
    if (last_clock_.hour < 0) return false;
    p.tp.clock = last_clock_;
    p.clock = true;
    p.cued = true;
    k = u + 1;
    return true;
  }
  const bool at_before = u > 0 && has(u - 1, Cat::at);
  int hour = -1;
  int minute = 0;
  bool cued = false;
  bool colon = false;
  bool h_form = false;
  bool leading_zero = false;
  Meridiem mer = Meridiem::unknown;
  double clarity = 1.0;
  if (has(u, Cat::clock_before)) {
    const int m = val(u, Cat::clock_before);
    const auto n = number_at(u + 1);
    if (!n || *n < 1 || *n > 12) return false;
    if (m >= 0) {
      hour = *n;
      minute = m;
    } else {
      hour = *n - 1 == 0 ? 12 : *n - 1;
      minute = 60 + m;
    }
    u += 2;
    cued = true;
  } else if (auto n = number_at(u)) {
    const bool word = !is_num(u);
    if (*n > 24) return false;
    if (has(u + 1, Cat::ordinal_suffix) && joined(u + 1)) return false;
    if (punct(u + 1, '.') && is_month(u + 2)) return false;
    if ((has(u + 1, Cat::duration_unit) && !has(u + 1, Cat::oclock)) ||
        (punct(u + 1, '-') && has(u + 2, Cat::duration_unit)))
      return false;
    if (has(u + 1, Cat::day_unit) || has(u + 1, Cat::week_unit)) return false;
    if (is_num(u) && (punct(u + 1, '/') && joined(u + 1))) return false;
    // "1:1", "16:9": a colon joining a number that is no minute is a ratio or a meeting's name, not a clock.
    if (is_num(u) && punct(u + 1, ':') && joined(u + 1) && is_num(u + 2) && joined(u + 2) && U_[u + 2].digits != 2)
      return false;
    if (is_num(u) && U_[u].digits != 2 && u >= 2 && punct(u - 1, ':') && joined(u) && joined(u - 1) && is_num(u - 2))
      return false;  // ... and its second number is no hour either
    hour = *n;
    leading_zero = is_num(u) && U_[u].digits == 2 && tok(u).text[0] == '0';
    ++u;
    if (is_num(u - 1) && punct(u, ':') && is_num(u + 1) && U_[u + 1].digits == 2) {
      minute = num(u + 1);
      u += 2;
      cued = colon = true;
      if (punct(u, ':') && is_num(u + 1) && U_[u + 1].digits == 2) u += 2;  // seconds: "7:56:30 pm"
    } else if (is_num(u - 1) && punct(u, '.') && joined(u) && is_num(u + 1) && joined(u + 1) &&
               U_[u + 1].digits == 2 &&
               !(punct(u + 2, '.') && joined(u + 2) && (lex_->data().dot_ordinals || (is_num(u + 3) && joined(u + 3))))) {
      minute = num(u + 1);
      u += 2;
      colon = true;  // "3.30": a time only next to at, am/pm, a day or a part of day ("Romans 15.13" is not)
    } else if (has(u, Cat::hour_suffix)) {
      u += 1;
      cued = h_form = true;
      if (is_num(u) && joined(u) && U_[u].digits == 2) {
        minute = num(u);
        ++u;
      }
    }
    if (has(u, Cat::oclock)) {
      ++u;
      cued = true;
      h_form = h_form || (lex_->locale().h24 && !lex_->data().oclock_is_12_hour);
    }
    if (word && !cued && !has(u, Cat::am) && !has(u, Cat::pm)) return false;
    if (word && !at_before) p.word_clock = true;
  } else {
    return false;
  }
  if (has(u, Cat::clock_after)) {
    const int m = val(u, Cat::clock_after);
    if (m >= 0) {
      minute = m;
    } else {
      hour = hour - 1 == 0 ? 12 : hour - 1;
      minute = 60 + m;
    }
    ++u;
    cued = true;
  }
  if (has(u, Cat::am) || has(u, Cat::pm)) {
    mer = has(u, Cat::am) ? Meridiem::am : Meridiem::pm;
    ++u;
    cued = true;
  }
  if (has(u, Cat::approx) || (punct(u, '-') && has(u + 1, Cat::approx))) {
    u += punct(u, '-') ? 2 : 1;
    clarity = 0.85;
    cued = true;
  }
  if (!cued && punct(u, '.') && joined(u) && dot_ordinal(u)) {
    p.ordinal = true;
    p.ordinal_number = hour;
    ++u;
  }
  if (hour > 24 || minute > 59) return false;
  if (mer == Meridiem::unknown) {
    if (hour >= 13 || hour == 0 || leading_zero) mer = Meridiem::h24;
    else if ((colon || h_form) && lex_->locale().h24) mer = Meridiem::h24;
  }
  if (hour == 24) hour = 0;
  p.tp.clock = {hour, minute, mer};
  p.clock = true;
  p.cued = cued || at_before;
  p.clarity = std::min(p.clarity, clarity);
  k = u;
  return true;
}

bool Parser::try_part(std::size_t& k, Pt& p) const {
  const std::size_t u = k;
  if (!has(u, Cat::part_of_day) || blocked(u) || p.part) return false;
  if (has(u, Cat::weekday) || has(u, Cat::relative_day)) return false;  // compounds go through try_day
  const auto part = static_cast<PartOfDay>(val(u, Cat::part_of_day));
  if (part == PartOfDay::noon || part == PartOfDay::midnight) {
    if (p.clock) return false;
    p.tp.clock = {part == PartOfDay::noon ? 12 : 0, 0, Meridiem::h24};
    p.clock = true;
    p.cued = true;
  } else {
    p.tp.part = part;
  }
  p.part = true;
  p.habitual = has(u, Cat::habitual);
  k = u + 1;
  return true;
}

bool Parser::try_zone(std::size_t& k, Pt& p) const {
  std::size_t u = k;
  // A zone names the wall clock of a time or of a part of day ("in the morning New York time").
  const bool timed = p.clock || (p.part && p.tp.part != PartOfDay::none);
  if (!timed || !p.zone.empty() || u >= nu_) return false;
  // "12:30 (hora peninsular)", "15:00 (hora de Londres)": the zone in brackets.
  const bool bracket = punct(u, '(');
  if (bracket) ++u;
  if (u >= nu_) return false;
  const auto take = [&](std::string_view zone, std::size_t end) {
    if (bracket) {
      if (!punct(end, ')')) return false;
      ++end;
    }
    p.zone = zone;
    k = end;
    return true;
  };
  // The city's name as the lexicon knows it, or as written (a view of the text).
  const auto city = [&](std::size_t b, std::size_t e) -> std::string_view {
    const std::string_view name =
        text_.substr(toks_[U_[b].tb].begin, toks_[U_[e - 1].te - 1].end - toks_[U_[b].tb].begin);
    const std::string& suffix = lex_->data().zone_adjective_suffix;
    const auto& cities = lex_->data().city_names;
    std::string lower;
    for (char c : name) lower.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
    if (auto it = cities.find(lower); it != cities.end()) return it->second;
    if (!suffix.empty() && lower.size() > suffix.size() &&
        lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0) {
      const std::string stem = lower.substr(0, lower.size() - suffix.size());
      if (auto it = cities.find(stem); it != cities.end()) return it->second;
      return name.substr(0, name.size() - suffix.size());
    }
    return name;
  };
  if (tok(u).upper && U_[u].te == U_[u].tb + 1 && lex_->zone_abbreviation(tok(u).text) != nullptr)
    return take(text_.substr(tok(u).begin, tok(u).end - tok(u).begin), u + 1);
  if (has(u, Cat::zone)) return take(lex_->data().zone_names[static_cast<std::size_t>(val(u, Cat::zone))], u + 1);
  if (has(u, Cat::zone_prefix)) {
    std::size_t e = u + 1;
    while (e < nu_ && e < u + 4 && U_[e].kind == Token::Kind::word && U_[e].capital) ++e;
    if (e > u + 1) return take(city(u + 1, e), e);
    return false;
  }
  std::size_t e = u;
  while (e < nu_ && e < u + 3 && U_[e].kind == Token::Kind::word && U_[e].capital &&
         !has(e, Cat::weekday) && !has(e, Cat::month) && !has(e, Cat::zone_suffix))
    ++e;
  if (e > u && has(e, Cat::zone_suffix)) return take(city(u, e), e + 1);
  return false;
}

std::optional<Pt> Parser::point(std::size_t u0) const {
  if (!may_start_point(u0)) return std::nullopt;
  Pt p;
  if (!read_point(u0, p)) return std::nullopt;
  return p;
}

[[gnu::always_inline]] inline bool Parser::may_start_point(std::size_t u0) const {
  // A unit that is no phrase of the lexicon, no number and no comma starts no point: every try_* below
  // refuses it (and only a comma among such units is glue). Most units are such words.
  if (u0 < nu_ && U_[u0].e == nullptr && !is_num(u0) && !punct(u0, ',')) return false;
  // Where read_point() would start the first component: past the glue, at a number or a unit with a
  // start category. Most calls end here, before a point is made.
  std::size_t g = u0;
  while (g < nu_ && is_glue(g) && !blocked(g)) ++g;
  return !(g >= nu_ || blocked(g) || (!is_num(g) && !U_[g].starts));
}

bool Parser::read_point(std::size_t u0, Pt& p) const {
  std::size_t k = u0;
  bool any = false;
  const std::size_t n = nu_;
  while (true) {
    std::size_t g = k;
    bool comma = false;
    while (g < n && is_glue(g) && !blocked(g) && !(any && has(g, Cat::range_to) && !has(g, Cat::at))) {
      comma = comma || punct(g, ',');
      ++g;
    }
    // "Donnerstag ginge ab 10 Uhr, Freitag ganztägig": a time after a day of its sentence does not reach
    // over a comma for the next day.
    if (any && comma && p.clock && !p.day && !exprs_.empty() && exprs_.back().x.from.clock.hour < 0 &&
        is_day_kind(exprs_.back().x.from.day) && sentence_of(exprs_.back().ub) == sentence_of(p.first))
      break;
    if (g >= n || blocked(g) || (any && sentence_of(g) != sentence_of(p.first))) break;
    // The first component starts only at a number or a unit with a category some try_* reads at its
    // first unit (try_zone needs a clock first): a cue or other word refuses at once.
    if (!any && !is_num(g) && !U_[g].starts) break;
    std::size_t kk = g;
    if (try_day(kk, p) || try_clock(kk, p) || try_part(kk, p) || try_zone(kk, p)) {
      if (!any) p.first = g;
      if (!any && !p.day) p.time_first = true;  // "las tardes del martes": the time first
      any = true;
      k = kk;
      p.ue = kk;
      continue;
    }
    break;
  }
  if (!any) return false;
  if (p.clock && (p.day || p.part)) p.cued = true;
  return true;
}

void copy_day(sdk::TimePoint& to, const sdk::TimePoint& from) { to.day = from.day; }

// `p` made anew as the day `dd` of the month of `day`, over the units [first, ue): a bare number beside a
// date in a range ("Sept 20-21", "20-21 Sept").
void number_as_day(Pt& p, std::size_t first, std::size_t ue, const DayRef& day, int dd) {
  p = Pt{};
  p.first = first;
  p.ue = ue;
  p.tp.day = day;
  p.tp.day.day = dd;
  p.tp.day.weekday = -1;
  p.day = true;
}

void Parser::assemble() {
  const std::size_t n = nu_;
  std::size_t u = 0;
  while (u < n) {
    // Most units start nothing: a word with no category or only cue categories, a mark other than a comma.
    if (U_[u].blocked || !U_[u].opens) {
      ++u;
      continue;
    }
    // "apart from Wednesday", "aside from 1 till 2": the tail of an exclusion opens no "after" shape
    const bool in_except = token_marks_[U_[u].tb].except != 0;
    const bool w_after = has(u, Cat::after) && !in_except;
    const bool w_before = has(u, Cat::before) && !in_except;
    const bool w_by = has(u, Cat::by) && !in_except;
    const bool w_from = has(u, Cat::from);
    const bool w_between = has(u, Cat::between);
    const bool prefix = w_after || w_before || w_by || w_from || w_between;
    std::size_t s = prefix ? u + 1 : u;
    if (!may_start_point(s)) {  // (most units: no Pt is made for them)
      ++u;
      continue;
    }
    Pt a;
    if (!read_point(s, a)) {
      ++u;
      continue;
    }
    const std::size_t a_first = a.first, a_ue = a.ue;  // as read (a may be rebuilt below)
    Expr e;
    e.ub = prefix ? u : a_first;
    if (prefix) a.cued = true;
    std::size_t k = a.ue;
    bool range = false;
    // A range: "3-5pm", "between 2 and 4", "Mon to Wed", "du 22 décembre au 2 janvier", "20. bis 23. Juli".
    const bool sep = has(k, Cat::range_to) || (punct(k, '-') && !has(k + 1, Cat::or_) && !has(k + 1, Cat::and_)) ||
                     (w_between && has(k, Cat::and_)) || (w_from && has(k, Cat::by));
    // The point after the separator, read where it lives (no copy): the range's end when `range`.
    std::optional<Pt> end = [&]() -> std::optional<Pt> {
      if (sep && k + 1 < n && sentence_of(k + 1) == sentence_of(a.first)) return point(k + 1);
      return std::nullopt;
    }();
    const Pt& b = end ? *end : a;  // (read only when `range`, which needs `end`)
    if (end) {
      Pt& c = *end;
      const bool a_day_only = a.day && !a.clock;
      const bool c_day_only = c.day && !c.clock;
      const bool a_dayish_number = a.clock && !a.day && !a.part && (!a.cued || a.ordinal || w_from) &&
                                   a.tp.clock.minute == 0 && a.tp.clock.hour >= 1 && U_[a.first].te == U_[a.first].tb + 1;
      if (a.clock && c.clock && !(a.ordinal || c.ordinal)) {
        range = true;
        if (!a.day && c.day) copy_day(a.tp, c.tp);
        if (!a.part && c.part && c.tp.part != PartOfDay::lunch) a.tp.part = c.tp.part;
        if (a.tp.clock.meridiem == Meridiem::unknown && !a.part &&
            (c.tp.clock.meridiem == Meridiem::am || c.tp.clock.meridiem == Meridiem::pm)) {
          const int ah = a.tp.clock.hour % 12;
          const int ch = c.tp.clock.hour % 12;
          const bool same = ah <= ch;
          a.tp.clock.meridiem = same ? c.tp.clock.meridiem
                                     : (c.tp.clock.meridiem == Meridiem::pm ? Meridiem::am : Meridiem::pm);
        }
        if (c.tp.clock.meridiem == Meridiem::unknown && a.tp.clock.meridiem == Meridiem::pm &&
            c.tp.clock.hour <= 12 && c.tp.clock.hour >= a.tp.clock.hour % 12)
          c.tp.clock.meridiem = Meridiem::pm;
        a.cued = a.cued || c.cued;
      } else if (a_day_only && (c_day_only || (c.clock && !c.day && !c.cued && c.tp.clock.minute == 0))) {
        if (!c.day) {
          // "Sept 20-21", "the 24th to the 28th": a bare number after a date is a day
          number_as_day(c, c.first, c.ue, a.tp.day, c.tp.clock.hour);
          if (a.tp.day.kind != Kind::date && a.tp.day.kind != Kind::day_of_month) c.day = false;
        }
        range = c.day;
      } else if (a_dayish_number && c_day_only &&
                 (c.tp.day.kind == Kind::date || c.tp.day.kind == Kind::day_of_month)) {
        number_as_day(a, a_first, a_ue, c.tp.day, a.tp.clock.hour);
        range = true;
      }
      if (range && a.day && a.tp.day.kind == Kind::day_of_month && c.tp.day.kind == Kind::date) {
        a.tp.day.kind = Kind::date;  // "vom 20. bis 23. Juli": the month of the end
        a.tp.day.month = c.tp.day.month;
        a.tp.day.year = c.tp.day.year;
      }
      if (range) {
        k = c.ue;
        e.to_first = c.first;
      }
    }
    e.x.from = a.tp;
    e.clock_cued = a.cued;
    e.time_first = a.time_first;
    e.the_weekday = a.the_weekday;
    e.bare_weekday = a.bare_weekday;
    e.that_weekday = a.that_weekday;
    e.after_ctx = a.following;
    e.alt_offset = a.alt_offset;
    e.clarity = a.clarity;
    std::string_view zone = a.zone;
    if (range) {
      e.x.shape = Shape::range;
      e.x.to = b.tp;
      e.has_to = true;
      if (zone.empty()) zone = b.zone;
      e.clock_cued = e.clock_cued || b.cued;
      e.clarity = std::min(e.clarity, b.clarity);
    } else if (w_after) {
      e.x.shape = Shape::after;
    } else if (w_before) {
      e.x.shape = Shape::before;
    } else if (w_by) {
      e.x.shape = Shape::by;
    }
    // "Wed after 3", "Dienstag ab 14 Uhr", "today until noon", "Thu after lunch": a day, then a shape
    // word and a time of that day.
    if (!range && e.x.shape == Shape::at && a.day && !a.clock &&
        (has(k, Cat::after) || has(k, Cat::before) || has(k, Cat::by)) && is_day_kind(a.tp.day) &&
        !has(k + 1, Cat::at) && !has(k, Cat::from) && !has(k, Cat::between)) {
      if (auto q = point(k + 1); q && !q->day && (q->clock || q->part)) {
        e.x.shape = has(k, Cat::after) ? Shape::after : has(k, Cat::before) ? Shape::before : Shape::by;
        sdk::TimePoint tp = q->tp;
        tp.day = a.tp.day;
        if (a.part && !q->part) tp.part = a.tp.part;
        e.x.from = tp;
        e.clock_cued = true;
        if (zone.empty()) zone = q->zone;
        k = q->ue;
      }
    }
    // "the Tuesday after", "the week after": the week after the one just named.
    if (!range && e.x.shape == Shape::at && has(k, Cat::after) && (has(k + 1, Cat::at) || !point(k + 1))) {
      if (a.tp.day.kind == Kind::weekday && a.tp.day.mode == Mode::bare && !a.clock) {
        e.after_ctx = true;
        ++k;
        if (auto q = point(k); q && q->clock && !q->day) {  // "the Tuesday after at 3"
          e.x.from.clock = q->tp.clock;
          if (q->part) e.x.from.part = q->tp.part;
          if (zone.empty()) zone = q->zone;
          k = q->ue;
        }
      }
    }
    if (e.x.shape == Shape::at && (has(k, Cat::onward) && !point(k + 1))) {
      e.x.shape = Shape::after;
      ++k;
    } else if ((e.x.shape == Shape::at || e.x.shape == Shape::range) && has(k, Cat::or_later)) {
      e.x.shape = Shape::after;
      ++k;
    }
    e.zone = zone;
    e.ue = k;
    // A clock time alone needs a marker: "9 to 5" (job hours) and "4 interviews" are not times.
    const bool has_day = e.x.from.day.kind != Kind::none || (e.has_to && e.x.to.day.kind != Kind::none);
    const bool has_part = e.x.from.part != PartOfDay::none;
    const bool clock_only = e.x.from.clock.hour >= 0 && !has_day && !has_part;
    bool keep = true;
    if (clock_only && !e.clock_cued) {
      // A bare hour in a text that already talks in clock times, offered on its own ("Is 5 any good?").
      keep = false;
      if (!range && e.x.from.clock.hour >= 1 && e.x.from.clock.hour <= 12) {
        const bool alone = k >= n || punct(k, '?') || punct(k, ';') || punct(k, ',') || punct(k, '.') ||
                           punct(k, '!') || cue_at(k, Cat::positive) || cue_at(k, Cat::negative);
        // a clock time written with a marker anywhere in the text
        const bool other_clock = marked_clocks_.size() > 1 || (marked_clocks_.size() == 1 && marked_clocks_[0] != a.first);
        keep = alone && other_clock;
      }
      // A time listed with another that has its day: "9-10 or 3-4 tomorrow".
      if ((has(k, Cat::or_) || has(k, Cat::and_)) && k + 1 < n) {
        std::size_t v = k + 1;
        if (has(v, Cat::after) || has(v, Cat::before) || has(v, Cat::by) || has(v, Cat::from) || has(v, Cat::between)) ++v;
        if (auto q = point(v); q && q->clock) {
          bool cued = q->cued;
          if (!cued && (has(q->ue, Cat::range_to) || punct(q->ue, '-')))
            if (auto q2 = point(q->ue + 1); q2 && q2->clock) cued = q2->cued;
          keep = keep || cued;
        }
      }
      // A time of a day named just before in the sentence: "all day Thursday except 12-1".
      if (sentence_marks_[sentence_of(a.first)].day_only) keep = true;
    }
    if (a.ordinal && !range && clock_only) {
      // "am 3.": a day of the month
      e.x.from = sdk::TimePoint{};
      e.x.from.day.kind = Kind::day_of_month;
      e.x.from.day.day = a.ordinal_number;
      keep = true;
    }
    if (clock_only && a.word_clock && !prefix) keep = false;
    // "un créneau d'une heure la semaine prochaine", "une réunion de deux heures mardi": one to three hours
    // in words, with no "à" and a word that is also a unit of length ("heure"), is a length; the day stays,
    // without it. ("Quinze heures, jeudi" is a clock; "à une heure" too.)
    if (!clock_only && a.word_clock && !prefix && !range && has_day && !has_part && e.x.from.clock.hour >= 1 &&
        e.x.from.clock.hour <= 3 && a.first + 1 < n && has(a.first + 1, Cat::duration_unit)) {
      e.x.from.clock = sdk::ClockTime{};
      e.x.shape = Shape::at;
    }
    // "Early mornings are fine", "Las tardes me vienen mejor": a habit, no time, unless a day is named with it
    if (a.habitual && !has_day && e.x.from.clock.hour < 0) keep = false;
    if (!keep) {
      u = std::max(k, u + 1);
      continue;
    }
    if (e.bare_weekday && e.x.from.day.kind == Kind::weekday) {
      // "except Friday", "aber nicht am Montag", "Not Wednesday, I'm ...": a weekday refused right after its cue.
      std::size_t v = e.ub;
      while (v > 0 && is_glue(v - 1) && !punct(v - 1, ',')) --v;
      if (v > 0) {
        const std::size_t t = U_[v - 1].tb;
        const bool opens = t == 0 || toks_[t].line_start || sentence_[t] != sentence_[t - 1] || hard_[t] != hard_[t - 1];
        e.excluded_weekday = token_marks_[t].except != 0 || (opens && cue_at(v - 1, Cat::negative) && U_[v - 1].te == U_[v - 1].tb + 1);
      }
    }
    exprs_.push_back(e);
    if (e.x.from.clock.hour >= 0) last_clock_ = e.x.from.clock;
    if (is_day_kind(e.x.from.day) && e.x.from.clock.hour < 0) sentence_marks_[sentence_of(e.ub)].day_only = 1;
    // The same time in a second zone: "11am ET / 8am PT" is one item.
    if (!zone.empty() && (punct(k, '/') || punct(k, '(') || has(k, Cat::or_))) {
      // the day may come after the second: "2pm ET / 11am PT on Thursday"
      const bool first_has_day = exprs_.back().x.from.day.kind != Kind::none;
      if (auto q = point(k + 1); q && q->clock && !q->zone.empty() && (!q->day || !first_has_day)) {
        if (q->day) exprs_.back().x.from.day = q->tp.day;
        k = q->ue;
        if (punct(k, ')')) ++k;
        exprs_.back().ue = k;
      }
    }
    // "a las 15:00 (hora de Londres), es decir, a las 16:00 en Madrid": the same instant restated is one item.
    if (!exprs_.back().zone.empty()) {
      std::size_t v = k;
      if (punct(v, ',')) ++v;
      if (has(v, Cat::restate)) {
        ++v;
        while (v < n && (punct(v, ',') || punct(v, '.') || punct(v, ':'))) ++v;
        if (auto q = point(v); q && q->clock && (!q->day || same_day(q->tp.day, exprs_.back().x.from.day))) {
          k = q->ue;
          exprs_.back().ue = k;
        }
      }
    }
    // "Jan 5 or 6", "the 3rd or 4th": a bare day number after a date, same month. "am 17. und 18. Juni": the
    // month after the last number is each one's, and two days in a row joined by "and" are one range.
    const std::size_t list_first = exprs_.size() - 1;
    bool month_after = false;
    while ((has(k, Cat::or_) || has(k, Cat::and_)) && is_num(k + 1) && num(k + 1) >= 1 && num(k + 1) <= 31 &&
           !clock_marker(k + 2) && e.x.shape == Shape::at && !e.has_to &&
           (e.x.from.day.kind == Kind::date || e.x.from.day.kind == Kind::day_of_month) &&
           e.x.from.clock.hour < 0) {
      const bool conj_and = has(k, Cat::and_);
      Expr f = e;
      f.ub = k + 1;
      f.x.from.day.day = num(k + 1);
      f.x.from.day.weekday = -1;
      k += 2;
      if (has(k, Cat::ordinal_suffix) && joined(k)) ++k;
      else if (lex_->data().dot_ordinals && punct(k, '.') && joined(k) && is_month(k + 1)) ++k;
      if (e.x.from.day.kind == Kind::day_of_month && has(k, Cat::glue) && is_month(k + 1)) ++k;  // "4th of June"
      if (e.x.from.day.kind == Kind::day_of_month && is_month(k) && !blocked(k)) {
        for (std::size_t i = list_first; i < exprs_.size(); ++i)
          for (sdk::TimePoint* tp : {&exprs_[i].x.from, &exprs_[i].x.to})
            if (tp->day.kind == Kind::day_of_month) {
              tp->day.kind = Kind::date;
              tp->day.month = month_of(k);
            }
        f.x.from.day.kind = Kind::date;
        f.x.from.day.month = month_of(k);
        month_after = true;
        ++k;
      }
      f.ue = k;
      Expr& last = exprs_.back();
      const int last_day = last.has_to ? last.x.to.day.day : last.x.from.day.day;
      if (conj_and && month_after && f.x.from.day.day == last_day + 1) {
        last.x.shape = Shape::range;
        last.has_to = true;
        last.x.to = f.x.from;
        last.to_first = f.ub;
        last.ue = k;
      } else {
        exprs_.push_back(f);
      }
      if (month_after) break;
    }
    u = std::max(k, u + 1);
  }
}


// "décaler notre point de vendredi à lundi", "move our call from Monday to Wednesday": in a clause that
// moves a meeting, a range of two days is the old day (neutral) and the new one, two items.
void Parser::split_moves() {
  if (!text_has_cue(Cat::move)) return;
  const auto day_only = [](const sdk::TimePoint& t) {
    return is_day_kind(t.day) && t.clock.hour < 0 && t.part == PartOfDay::none;
  };
  const auto clock_only = [](const sdk::TimePoint& t) { return t.day.kind == Kind::none && t.clock.hour >= 0; };
  // "from X to Y", "de X à Y", "the 3pm to 4pm" in a clause that moves a meeting
  const auto moves = [&](const Expr& e) {
    if (!(e.has_to && e.x.shape == Shape::range && e.to_first >= e.ub + 2 && e.to_first < e.ue &&
          has(e.to_first - 1, Cat::move_to) && clause_has(hard_[U_[e.ub].tb], Cat::move)))
      return false;
    const std::size_t t = U_[e.ub].tb;
    const Entry* before = t > 0 ? lex_->word(toks_[t - 1]) : nullptr;
    const bool opens = has(e.ub, Cat::from) || (before != nullptr && before->has(Cat::determiner));
    // the target may carry its time: "de jeudi à vendredi matin"; two clock times of one day: "from 3pm to
    // 4pm tomorrow"
    const bool clocks_of_a_day = e.x.from.clock.hour >= 0 && e.x.to.clock.hour >= 0 &&
                                 (e.x.to.day.kind == Kind::none || same_day(e.x.to.day, e.x.from.day));
    return opens && ((day_only(e.x.from) && is_day_kind(e.x.to.day)) || (clock_only(e.x.from) && clock_only(e.x.to)) ||
                     clocks_of_a_day);
  };
  if (std::none_of(exprs_.begin(), exprs_.end(), moves)) return;
  std::vector<Expr> out;
  out.reserve(exprs_.size() + 2);
  for (const Expr& e : exprs_) {
    if (!moves(e)) {
      out.push_back(e);
      continue;
    }
    Expr from = e;
    from.x.shape = Shape::at;
    from.x.to = sdk::TimePoint{};
    from.has_to = false;
    from.ue = e.to_first - 1;
    from.move_source = true;
    Expr to = e;
    to.x.shape = Shape::at;
    to.x.from = e.x.to;
    to.x.to = sdk::TimePoint{};
    to.has_to = false;
    to.ub = e.to_first;
    to.bare_weekday = e.x.to.day.kind == Kind::weekday && e.x.to.day.mode == Mode::bare;
    out.push_back(from);
    out.push_back(to);
  }
  exprs_.swap(out);
}

// A part of day, clock time or open end written once for coordinated days applies to each:
// "Tuesday or Wednesday morning", "Tuesday or Thursday at 9am Eastern", "las tardes del martes o del
// miércoles", "Monday 25th or Tuesday 26th January, any time after 11", "le mardi 19 ou le jeudi 21, vers 12h30".
void Parser::share_coordinated_times() {
  const auto day_only = [](const Expr& e) {
    return !e.dropped && is_day_kind(e.x.from.day) && e.x.from.clock.hour < 0 && e.x.from.part == PartOfDay::none &&
           !e.has_to && e.x.shape == Shape::at;
  };
  // A day with a time of day: a clock, a part of day, or a range of clock times within the day ("Friday the
  // 11th, anywhere between 10 and noon").
  const auto timed_day = [](const Expr& e) {
    const bool same_day_range = e.has_to && e.x.from.clock.hour >= 0 && e.x.to.clock.hour >= 0 &&
                                (e.x.to.day.kind == Kind::none || same_day(e.x.to.day, e.x.from.day));
    return !e.dropped && is_day_kind(e.x.from.day) && (e.x.from.clock.hour >= 0 || e.x.from.part != PartOfDay::none) &&
           (!e.has_to || same_day_range);
  };
  const auto give = [](const Expr& src, Expr& dst) {
    dst.x.from.clock = src.x.from.clock;
    dst.x.from.part = src.x.from.part;
    dst.x.shape = src.x.shape;
    if (dst.zone.empty()) dst.zone = src.zone;
    dst.clock_cued = dst.clock_cued || src.clock_cued;
    dst.clarity = std::min(dst.clarity, src.clarity);
    if (src.has_to) {
      dst.has_to = true;
      dst.x.to = src.x.to;
      if (dst.x.to.day.kind == Kind::none) dst.x.to.day = dst.x.from.day;
    }
  };
  // Only commas and glue between the list and the time.
  const auto list_joins = [&](std::size_t a, std::size_t b) {
    for (std::size_t v = a; v < b; ++v)
      if (!(punct(v, ',') || is_glue(v))) return false;
    return true;
  };
  // ... or a few words that say nothing against it ("would suit me", "anywhere") around one comma.
  const auto list_then_time = [&](std::size_t a, std::size_t b) {
    if (list_joins(a, b)) return true;
    if (b <= a || b - a > 6) return false;
    const auto cue = [&](std::size_t v, Cat c) { return cue_at_[U_[v].tb][static_cast<std::size_t>(c)]; };
    int commas = 0;
    for (std::size_t v = a; v < b; ++v) {
      if (punct(v, ',')) {
        ++commas;
        continue;
      }
      if (U_[v].kind == Token::Kind::punct || is_num(v) || cue(v, Cat::negative) || cue(v, Cat::except) ||
          cue(v, Cat::clause_break) || cue(v, Cat::contrast_inner) || cue(v, Cat::negative_soft))
        return false;
    }
    return commas == 1;
  };
  const std::size_t n = exprs_.size();
  // "lo tengo mejor por la tarde: el miércoles o el jueves", "am liebsten nachmittags: Dienstag oder
  // Mittwoch": a part of day or a clock with no day, then a colon and the days it is for.
  for (std::size_t t = 0; t + 1 < n; ++t) {
    Expr& z = exprs_[t];
    if (z.dropped || z.x.from.day.kind != Kind::none || (z.x.from.clock.hour < 0 && z.x.from.part == PartOfDay::none) ||
        !punct(z.ue, ':') || exprs_[t + 1].ub != z.ue + 1 + (is_glue(z.ue + 1) ? 1 : 0) ||
        sentence_of(exprs_[t + 1].ub) != sentence_of(z.ub))
      continue;
    std::size_t last = t + 1;
    while (last + 1 < n && sentence_of(exprs_[last + 1].ub) == sentence_of(z.ub) && day_only(exprs_[last + 1]) &&
           coordinated(exprs_[last].ue, exprs_[last + 1].ub))
      ++last;
    if (!day_only(exprs_[t + 1])) continue;
    for (std::size_t m = t + 1; m <= last; ++m) give(z, exprs_[m]);
    z.dropped = true;
  }
  std::size_t i = 0;
  while (i < n) {
    // the longest run of coordinated days from i, in one sentence
    std::size_t j = i;
    while (j + 1 < n && sentence_of(exprs_[j + 1].ub) == sentence_of(exprs_[i].ub) &&
           coordinated(exprs_[j].ue, exprs_[j + 1].ub) && !exprs_[j + 1].dropped &&
           (day_only(exprs_[j + 1]) || (timed_day(exprs_[j + 1]) && !exprs_[j + 1].time_first)) &&
           (day_only(exprs_[j]) || (j == i && timed_day(exprs_[j]) && exprs_[j].time_first)))
      ++j;
    if (j == i) {
      ++i;
      continue;
    }
    if (timed_day(exprs_[i]) && exprs_[i].time_first) {
      // the time first: "las tardes del martes o del miércoles"
      for (std::size_t m = i + 1; m <= j; ++m)
        if (day_only(exprs_[m])) give(exprs_[i], exprs_[m]);
    } else if (timed_day(exprs_[j])) {
      // the time last: "Tuesday or Wednesday morning"
      for (std::size_t m = i; m < j; ++m) give(exprs_[j], exprs_[m]);
    } else if (j + 1 < n && !exprs_[j + 1].dropped && exprs_[j + 1].x.from.day.kind == Kind::none &&
               (exprs_[j + 1].x.from.clock.hour >= 0 || exprs_[j + 1].x.from.part != PartOfDay::none) &&
               sentence_of(exprs_[j + 1].ub) == sentence_of(exprs_[j].ub) && exprs_[j].ue <= exprs_[j + 1].ub &&
               list_then_time(exprs_[j].ue, exprs_[j + 1].ub)) {
      // a time of its own after the list: "Monday 25th or Tuesday 26th January, any time after 11",
      // "Tuesday or Wednesday would suit me, any time after half two"
      Expr& z = exprs_[j + 1];
      for (std::size_t m = i; m <= j; ++m) {
        give(z, exprs_[m]);
        if (m == j && list_joins(exprs_[j].ue, z.ub)) exprs_[m].ue = z.ue;
      }
      z.dropped = true;
      ++j;
    }
    i = j + 1;
  }
}

void Parser::apply_context() {
  split_moves();
  for (auto& e : exprs_) {
    e.original = e.x;
    e.original_zone = e.zone;
  }
  // "Thursday's lunch", "tomorrow's call": the part of day after a possessive day names the meeting.
  for (std::size_t i = 0; i + 1 < exprs_.size(); ++i) {
    Expr& y = exprs_[i + 1];
    if (possessive_at(exprs_[i].ue) && y.ub == exprs_[i].ue + 2 && y.x.from.day.kind == Kind::none &&
        y.x.from.clock.hour < 0 && y.x.from.part != PartOfDay::none)
      y.dropped = true;
  }
  // "ideally in your afternoon": a part of day with no day of its own after a soft wish narrows nothing.
  if (text_has_cue(Cat::soft_wish))
    for (auto& e : exprs_) {
      if (e.dropped || e.x.from.day.kind != Kind::none || e.x.from.clock.hour >= 0 || e.x.from.part == PartOfDay::none)
        continue;
      const std::size_t tb = U_[e.ub].tb;
      if (std::ranges::any_of(hard_cues(hard_[tb]), [&](std::size_t c) {
            return cues_[c].cat == Cat::soft_wish && cues_[c].te <= tb && soft_[cues_[c].tb] == soft_[tb];
          }))
        e.dropped = true;
    }
  // Weeks from sent's week to the week holding a date ("the week of March 9"), by the locale's first day.
  const int first_day = lex_->locale().first_day;
  const auto week_start = [first_day](std::chrono::sys_days day) {
    const int wd = static_cast<int>(std::chrono::weekday{day}.c_encoding());
    return day - std::chrono::days{(wd - first_day + 7) % 7};
  };
  // Today and its week's first day, computed once for the rules below.
  const std::chrono::sys_days today{today_};
  const std::chrono::sys_days this_week = week_start(today);
  const auto week_offset = [&](const DayRef& d) -> std::optional<int> {
    if (d.kind == Kind::rest_of_week) return 0;
    if (d.kind == Kind::week && d.month != 0 && d.day != 0) {
      auto ymd = std::chrono::year{d.year != 0 ? d.year : static_cast<int>(today_.year())} /
                 std::chrono::month{static_cast<unsigned>(d.month)} / std::chrono::day{static_cast<unsigned>(d.day)};
      if (!ymd.ok()) return std::nullopt;
      if (d.year == 0 && std::chrono::sys_days{ymd} < today) ymd += std::chrono::years{1};
      const auto weeks = (week_start(std::chrono::sys_days{ymd}) - this_week).count() / 7;
      return static_cast<int>(weeks + d.plus_days / 7);
    }
    if (d.kind != Kind::week || d.month != 0) return std::nullopt;
    if (d.mode == Mode::next) return 1;
    if (d.mode == Mode::last) return -1;
    if (d.mode == Mode::in_week && d.offset != -100) return d.offset;
    return std::nullopt;
  };
  // "the following week" / "the week after" / "the Tuesday after": the week after the one just named.
  // The week (offset from sent's) of a named day: "I'm out Thursday; the following week works".
  const int tw = static_cast<int>(std::chrono::weekday{today}.c_encoding());
  // The day a relative day, a bare or "this" weekday or a date names, or none.
  const auto named_day = [&](const DayRef& d) -> std::optional<std::chrono::sys_days> {
    if (d.kind == Kind::relative) return today + std::chrono::days{d.offset};
    if (d.kind == Kind::weekday && (d.mode == Mode::bare || d.mode == Mode::this_) && !d.past) {
      int ahead = (d.weekday - tw + 7) % 7;
      if (ahead == 0 && d.mode == Mode::bare) ahead = 7;
      return today + std::chrono::days{ahead + d.plus_days};
    }
    if (d.kind == Kind::date && d.month != 0 && !d.past) {
      auto ymd = std::chrono::year{d.year != 0 ? d.year : static_cast<int>(today_.year())} /
                 std::chrono::month{static_cast<unsigned>(d.month)} / std::chrono::day{static_cast<unsigned>(d.day)};
      if (!ymd.ok()) return std::nullopt;
      if (d.year == 0 && std::chrono::sys_days{ymd} < today) ymd += std::chrono::years{1};
      return std::chrono::sys_days{ymd};
    }
    return std::nullopt;
  };
  const auto day_week = [&](const DayRef& d) -> std::optional<int> {
    if (d.kind == Kind::weekday && (d.mode == Mode::next || d.mode == Mode::next_only)) return 1;
    if (d.kind == Kind::weekday && d.mode == Mode::in_week) return d.offset;
    const std::optional<std::chrono::sys_days> day = named_day(d);
    if (!day) return std::nullopt;
    return static_cast<int>((week_start(*day) - this_week).count() / 7);
  };
  // per sentence: it names a week (a weekday there belongs to it: the tie below)
  for (const Expr& w : exprs_)
    if (week_offset(w.x.from.day)) sentence_marks_[sentence_of(w.ub)].week = 1;
  std::optional<DayRef> last_week;
  std::optional<int> last_named;  // the week of the last week or day named
  bool named_explicitly = false;    // ... by a week or a date, not by a weekday alone
  int last_date_weekday = -1;       // ... the weekday of the day (0 Sunday), when a date named it
  for (auto& e : exprs_) {
    DayRef& d = e.x.from.day;
    if (d.kind == Kind::week && d.mode == Mode::in_week && d.offset == -100) {
      if (last_week && last_week->month != 0 && last_named == week_offset(*last_week)) {
        DayRef w = *last_week;
        w.plus_days += 7;
        d = w;
      } else {
        d.offset = last_named ? *last_named + 1 : 2;
      }
    } else if (e.after_ctx && d.kind == Kind::weekday) {
      const int o = last_week ? week_offset(*last_week).value_or(0) : 0;
      d.mode = Mode::in_week;
      d.offset = o + 1;
      e.bare_weekday = false;
    } else if (e.that_weekday && d.kind == Kind::weekday && last_week && week_offset(*last_week)) {
      d.mode = Mode::in_week;
      d.offset = *week_offset(*last_week);
      e.bare_weekday = false;
    } else if ((e.the_weekday || e.excluded_weekday) && d.kind == Kind::weekday && d.mode == Mode::bare && !d.past &&
               last_named && *last_named >= 0 && named_explicitly && !sentence_marks_[sentence_of(e.ub)].week &&
               !(e.excluded_weekday && last_date_weekday == d.weekday)) {
      // "I'm on leave on the Friday", "Cualquier día menos el viernes", "Not Wednesday": the week just named
      // (a weekday refused is not the very date just offered: "5/3 at 2pm instead of Thursday", 5 March being
      // a Thursday, refuses another Thursday)
      d.mode = Mode::in_week;
      d.offset = *last_named;
      e.bare_weekday = false;
    }
    if (d.kind == Kind::week || d.kind == Kind::rest_of_week) {
      last_week = d;
      if (auto o = week_offset(d)) last_named = o, named_explicitly = true, last_date_weekday = -1;
    } else if (auto o = day_week(e.has_to ? e.x.to.day : d)) {
      last_named = o;
      const DayRef& nd = e.has_to ? e.x.to.day : d;
      named_explicitly = nd.kind == Kind::date || (nd.kind == Kind::weekday && nd.mode != Mode::bare);
      const std::optional<std::chrono::sys_days> date = nd.kind == Kind::date ? named_day(nd) : std::nullopt;
      last_date_weekday = date ? static_cast<int>(std::chrono::weekday{*date}.c_encoding()) : -1;
    }
  }
  // A weekday tied to a week named in the same sentence is that week's day; the week then only locates
  // days, unless the sentence excludes some of them ("any day next week except Wednesday"). With two
  // weeks in the sentence the day belongs to the nearer one, in its own clause first ("Diese Woche ist
  // schlecht, aber nächste Woche Dienstag passt").
  std::vector<std::uint8_t>& tied = tied_;
  zero_first(tied, exprs_.size());
  // The items of a sentence are neighbours in exprs_ (text order): [first, last) of e's sentence.
  std::size_t first = 0;
  for (std::size_t i = 0; i < exprs_.size(); ++i) {
    Expr& e = exprs_[i];
    const std::size_t s = sentence_[U_[e.ub].tb];
    if (sentence_[U_[exprs_[first].ub].tb] != s) first = i;
    if (!sentence_marks_[s].week) continue;
    std::size_t last = i + 1;
    while (last < exprs_.size() && sentence_[U_[exprs_[last].ub].tb] == s) ++last;
    Expr* best = nullptr;
    std::pair<int, std::size_t> best_key{2, 0};
    for (std::size_t wi = first; wi < last; ++wi) {
      Expr& w = exprs_[wi];
      if (&w == &e || w.x.shape != Shape::at || !week_offset(w.x.from.day)) continue;
      const int other_clause = hard_[U_[w.ub].tb] != hard_[U_[e.ub].tb] ? 1 : 0;
      const std::size_t dist = w.ub > e.ub ? w.ub - e.ub : e.ub - w.ub;
      const std::pair<int, std::size_t> key{other_clause, dist};
      if (best == nullptr || key < best_key) best = &w, best_key = key;
    }
    if (best == nullptr) continue;
    const int o = *week_offset(best->x.from.day);
    bool any = false;
    for (sdk::TimePoint* tp : {&e.x.from, &e.x.to}) {
      if (tp == &e.x.to && !e.has_to) continue;
      if (tp->day.kind == Kind::weekday && tp->day.mode == Mode::bare && (e.bare_weekday || e.has_to)) {
        tp->day.mode = Mode::in_week;
        tp->day.offset = o;
        any = true;
      }
    }
    if (any) {
      e.tied_to_week = true;
      tied[static_cast<std::size_t>(best - exprs_.data())] = true;
    }
  }
  // "Hättest du nächste Woche Zeit für ein Mittagessen? Mittwoch oder Donnerstag um 12:30 würde mir passen":
  // bare weekdays in the sentence right after one that asks for or offers a week (no refusal in it), with
  // no week of their own, are that week's. "I'm out next week. How about Tuesday?" keeps its Tuesday.
  for (std::size_t i = 0; i < exprs_.size(); ++i) {
    Expr& e = exprs_[i];
    const std::size_t s = sentence_[U_[e.ub].tb];
    if (e.dropped || e.tied_to_week || s == 0 || sentence_marks_[s].week || !sentence_marks_[s - 1].week) continue;
    Expr* week = nullptr;
    for (std::size_t wi = i; wi-- > 0;) {
      const std::size_t ws = sentence_[U_[exprs_[wi].ub].tb];
      if (ws < s - 1) break;
      if (ws == s - 1 && exprs_[wi].x.shape == Shape::at && week_offset(exprs_[wi].x.from.day)) {
        week = &exprs_[wi];
        break;
      }
    }
    if (week == nullptr) continue;
    if (sentence_has(s - 1, Cat::negative) || sentence_has(s - 1, Cat::negative_soft) ||
        sentence_has(s - 1, Cat::except) || sentence_has(s - 1, Cat::past))
      continue;
    bool any = false;
    for (sdk::TimePoint* tp : {&e.x.from, &e.x.to}) {
      if (tp == &e.x.to && !e.has_to) continue;
      if (tp->day.kind == Kind::weekday && tp->day.mode == Mode::bare && (e.bare_weekday || e.has_to)) {
        tp->day.mode = Mode::in_week;
        tp->day.offset = *week_offset(week->x.from.day);
        any = true;
      }
    }
    if (any) {
      e.tied_to_week = true;
      tied[static_cast<std::size_t>(week - exprs_.data())] = true;
    }
  }
  for (std::size_t i = 0; i < exprs_.size(); ++i) {
    if (!tied[i]) continue;
    const std::size_t s = sentence_[U_[exprs_[i].ub].tb];
    if (!sentence_has(s, Cat::except)) exprs_[i].dropped = true;
  }
  // "next X" in a text that also says "this X": next week's X, no alternative.
  const bool says_this = std::any_of(exprs_.begin(), exprs_.end(), [](const Expr& e) {
    return e.x.from.day.kind == Kind::weekday && e.x.from.day.mode == Mode::this_;
  });
  if (says_this)
    for (auto& e : exprs_)
      if (e.x.from.day.kind == Kind::weekday && e.x.from.day.mode == Mode::next) e.x.from.day.mode = Mode::next_only;
  // "next Tuesday or Wednesday", "ce mardi ou mercredi": the week word written once before a list of
  // weekdays is each one's.
  for (std::size_t i = 0; i + 1 < exprs_.size(); ++i) {
    const DayRef& a = exprs_[i].x.from.day;
    Expr& b = exprs_[i + 1];
    if (a.kind != Kind::weekday || (a.mode != Mode::next && a.mode != Mode::next_only && a.mode != Mode::this_) ||
        b.x.from.day.kind != Kind::weekday || b.x.from.day.mode != Mode::bare || !b.bare_weekday || b.has_to ||
        sentence_of(b.ub) != sentence_of(exprs_[i].ub) || !coordinated(exprs_[i].ue, b.ub))
      continue;
    b.x.from.day.mode = a.mode;
    b.bare_weekday = false;
  }
  // "jeudi 26 ou vendredi 27 mars", "Tuesday 6 or Thursday 8 October": the month written once at the end
  // of a list of days is each day's.
  for (std::size_t i = exprs_.size(); i-- > 1;) {
    DayRef& d = exprs_[i - 1].x.from.day;
    const Expr& next = exprs_[i];
    const DayRef& nd = next.x.from.day;
    if (d.kind != Kind::day_of_month || d.month != 0 || exprs_[i - 1].has_to || nd.kind != Kind::date ||
        nd.month == 0 || !coordinated(exprs_[i - 1].ue, next.ub))
      continue;
    d.kind = Kind::date;
    d.month = nd.month;
    d.year = nd.year;
    if (d.day > nd.day) {  // "the 30th or 2 April": the month before
      d.month = nd.month == 1 ? 12 : nd.month - 1;
      if (nd.month == 1 && nd.year != 0) d.year = nd.year - 1;
    }
  }
  share_coordinated_times();
  // "Dienstag- oder Mittwochnachmittag": the part written once serves both days.
  for (std::size_t i = 0; i + 1 < exprs_.size(); ++i) {
    Expr& x = exprs_[i];
    const Expr& y = exprs_[i + 1];
    const std::size_t k = x.ue;
    if (x.x.from.day.kind == Kind::weekday && x.x.from.part == PartOfDay::none && x.x.from.clock.hour < 0 &&
        punct(k, '-') && joined(k) && (has(k + 1, Cat::or_) || has(k + 1, Cat::and_)) && y.ub == k + 2 &&
        y.x.from.day.kind == Kind::weekday && y.x.from.part != PartOfDay::none)
      x.x.from.part = y.x.from.part;
  }
  // A part of day and a day in one clause, apart: "Mittags bin ich am Dienstag blockiert".
  for (std::size_t i = 0; i + 1 < exprs_.size(); ++i) {
    Expr& x = exprs_[i];
    Expr& y = exprs_[i + 1];
    if (x.dropped || y.dropped) continue;
    if (hard_[U_[x.ub].tb] != hard_[U_[y.ub].tb]) continue;
    const auto part_only = [](const Expr& e) {
      return (e.x.from.part != PartOfDay::none || e.x.from.clock.hour >= 0) && e.x.from.day.kind == Kind::none &&
             (!e.has_to || e.x.to.day.kind == Kind::none);
    };
    const auto day_only = [](const Expr& e) {
      return is_day_kind(e.x.from.day) && e.x.from.part == PartOfDay::none && e.x.from.clock.hour < 0 && !e.has_to &&
             e.x.shape == Shape::at;
    };
    Expr* part = part_only(x) && day_only(y) ? &x : part_only(y) && day_only(x) ? &y : nullptr;
    if (part == nullptr) continue;
    const std::size_t gap_b = U_[x.ue - 1].te;
    const std::size_t gap_e = U_[y.ub].tb;
    const auto near = hard_cues(hard_[U_[x.ub].tb]);
    if (std::ranges::any_of(near, [&](std::size_t ci) {
          const CueHit& c = cues_[ci];
          return (c.cat == Cat::except || c.cat == Cat::clause_break || c.cat == Cat::contrast_inner) &&
                 c.tb >= gap_b && c.tb < gap_e;
        }))
      continue;  // "all day Thursday except 12-1": two items
    Expr* day = part == &x ? &y : &x;
    part->x.from.day = day->x.from.day;
    if (part->has_to) part->x.to.day = day->x.from.day;
    part->ub = std::min(x.ub, y.ub);
    part->ue = std::max(x.ue, y.ue);
    day->dropped = true;
  }
  // "Je vous invite à déjeuner ! Seriez-vous libre mardi ou jeudi ?": a meal named alone in its sentence is
  // the occasion arranged on the days of the next one, no time of its own (those days without a time take it).
  for (std::size_t i = 0; i + 1 < exprs_.size(); ++i) {
    Expr& m = exprs_[i];
    if (m.dropped || m.x.from.day.kind != Kind::none || m.x.from.clock.hour >= 0 || m.x.from.part == PartOfDay::none ||
        m.has_to)
      continue;
    bool meal = false;
    for (std::size_t t = U_[m.ub].tb; t < U_[m.ue - 1].te; ++t)
      meal = meal || cue_at_[t][static_cast<std::size_t>(Cat::meeting)];
    if (!meal) continue;
    const std::size_t s = sentence_of(m.ub);
    if ((i > 0 && sentence_of(exprs_[i - 1].ub) == s) || sentence_of(exprs_[i + 1].ub) == s) continue;
    const std::size_t next = sentence_of(exprs_[i + 1].ub);
    bool days = false;
    for (std::size_t j = i + 1; j < exprs_.size() && sentence_of(exprs_[j].ub) == next; ++j)
      if (is_day_kind(exprs_[j].x.from.day)) days = true;
    if (!days || next != s + 1) continue;
    for (std::size_t j = i + 1; j < exprs_.size() && sentence_of(exprs_[j].ub) == next; ++j) {
      Expr& d = exprs_[j];
      if (is_day_kind(d.x.from.day) && d.x.from.clock.hour < 0 && d.x.from.part == PartOfDay::none && !d.has_to &&
          d.x.shape == Shape::at)
        d.x.from.part = m.x.from.part;
    }
    m.dropped = true;
  }
  // "Catch up over lunch when you're in town", "let's grab lunch sometime": a meal with no day, no clock and
  // no time word before it ("at lunch", "before lunch") names the occasion, not when: no item (the meeting's
  // kind says midday). "I have lunch plans today" has its day, "at lunch" its preposition: both stay.
  for (Expr& m : exprs_) {
    if (m.dropped || m.x.from.day.kind != Kind::none || m.x.from.clock.hour >= 0 || m.x.from.part == PartOfDay::none ||
        m.has_to || m.x.shape != Shape::at)
      continue;
    bool meal = false, timed = m.ub > 0 && (has(m.ub - 1, Cat::at) || has(m.ub - 1, Cat::before) ||
                                            has(m.ub - 1, Cat::after) || has(m.ub - 1, Cat::by));
    for (std::size_t u = m.ub; u < m.ue; ++u) {
      timed = timed || has(u, Cat::at) || has(u, Cat::before) || has(u, Cat::after) || has(u, Cat::this_) ||
              has(u, Cat::next) || has(u, Cat::by);
      for (std::size_t t = U_[u].tb; t < U_[u].te; ++t) meal = meal || cue_at_[t][static_cast<std::size_t>(Cat::meeting)];
    }
    if (meal && !timed) m.dropped = true;
  }
  // "No puedo el 3 de abril, pero el 4 sí": a day of the month after a date of the same sentence is in its month.
  for (std::size_t i = 1; i < exprs_.size(); ++i) {
    DayRef& d = exprs_[i].x.from.day;
    if (d.kind != Kind::day_of_month || d.month != 0) continue;
    for (std::size_t j = i; j-- > 0;) {
      const DayRef& prev = exprs_[j].has_to ? exprs_[j].x.to.day : exprs_[j].x.from.day;
      if (sentence_of(exprs_[j].ub) != sentence_of(exprs_[i].ub)) break;
      if (prev.kind != Kind::date || prev.month == 0) continue;
      if (d.day >= prev.day || exprs_[j].has_to) {
        d.kind = Kind::date;
        d.month = prev.month;
        d.year = prev.year;
      }
      break;
    }
  }
  // A time listed before another of the same day: "9-10 or 3-4 tomorrow".
  for (std::size_t i = exprs_.size(); i-- > 1;) {
    Expr& x = exprs_[i - 1];
    const Expr& y = exprs_[i];
    if (x.x.from.day.kind != Kind::none || x.x.from.clock.hour < 0 || y.x.from.clock.hour < 0 ||
        !is_day_kind(y.x.from.day) || y.ub != x.ue + 1 || !(has(x.ue, Cat::or_) || has(x.ue, Cat::and_)))
      continue;
    x.x.from.day = y.x.from.day;
    if (x.has_to && x.x.to.day.kind == Kind::none) x.x.to.day = y.x.from.day;
    if (x.x.from.part == PartOfDay::none) x.x.from.part = y.x.from.part;  // "5:30 or 6 tonight"
  }
  // "mardi ou jeudi après-midi, pas avant 14h", "Tuesday or Thursday, not before 10": an open end of the
  // clock right after a list of days (commas and a negation between) is each day's.
  for (std::size_t k = 1; k < exprs_.size(); ++k) {
    const Expr& z = exprs_[k];  // (copied below before the vector grows)
    if (z.dropped || z.x.from.day.kind != Kind::none || z.x.from.clock.hour < 0 || z.has_to ||
        (z.x.shape != Shape::before && z.x.shape != Shape::after && z.x.shape != Shape::by))
      continue;
    std::size_t e = k;
    while (e > 0 && exprs_[e - 1].dropped) --e;
    if (e == 0) continue;
    const Expr& last = exprs_[e - 1];
    if (!is_day_kind(last.x.from.day) || last.ue > z.ub || z.ub - last.ue > 3 || sentence_of(last.ub) != sentence_of(z.ub))
      continue;
    bool joins = true;
    for (std::size_t v = last.ue; v < z.ub && joins; ++v)
      joins = punct(v, ',') || is_glue(v) || cue_at_[U_[v].tb][static_cast<std::size_t>(Cat::negative)];
    if (!joins) continue;
    std::vector<std::size_t> list = {e - 1};
    for (std::size_t m = e - 1; m > 0 && !exprs_[m - 1].dropped && is_day_kind(exprs_[m - 1].x.from.day) &&
                                !exprs_[m - 1].has_to && coordinated(exprs_[m - 1].ue, exprs_[m].ub);
         --m)
      list.push_back(m - 1);
    if (list.size() < 2) continue;
    exprs_[k].x.from.day = exprs_[list.front()].x.from.day;  // the last day's own
    std::vector<Expr> clones;
    for (std::size_t n = list.size(); n-- > 1;) {  // the earlier days, in text order
      Expr c = exprs_[k];
      c.x.from.day = exprs_[list[n]].x.from.day;
      clones.push_back(std::move(c));
    }
    exprs_.insert(exprs_.begin() + static_cast<std::ptrdiff_t>(k), clones.begin(), clones.end());
    k += clones.size();
  }
  // A clock time with no day takes the day named before it: "I can't do tomorrow morning, but 1pm".
  const DayRef* last_day = nullptr;
  int last_index = -1;
  for (std::size_t i = 0; i < exprs_.size(); ++i) {
    Expr& e = exprs_[i];
    if (e.dropped) continue;
    if (e.x.from.day.kind == Kind::none && (e.x.from.clock.hour >= 0 || e.x.from.part != PartOfDay::none) &&
        last_day != nullptr) {
      e.x.from.day = *last_day;
      const Expr& src = exprs_[static_cast<std::size_t>(last_index)];
      if (!src.has_to && src.x.shape == Shape::at && src.x.from.clock.hour < 0)
        e.inherited_from = last_index;
    }
    const DayRef& d = e.x.from.day;
    if (d.kind == Kind::relative || d.kind == Kind::weekday || d.kind == Kind::date || d.kind == Kind::day_of_month) {
      last_day = &d;
      last_index = static_cast<int>(i);
    }
    if (e.has_to && is_day_kind(e.x.to.day)) {
      last_day = &e.x.to.day;
      last_index = static_cast<int>(i);
    }
  }
  // Past tense: the most recent such day.
  for (auto& e : exprs_) {
    const std::size_t h = hard_[U_[e.ub].tb];
    if (!clause_has(h, Cat::past)) continue;
    for (sdk::TimePoint* tp : {&e.x.from, &e.x.to})
      if ((tp->day.kind == Kind::weekday && tp->day.mode == Mode::bare) || tp->day.kind == Kind::date ||
          tp->day.kind == Kind::day_of_month)
        tp->day.past = true;
  }
  // The week each item lies in (decide_polarity: a week named only to locate days named later). A day's
  // week is compared only with a week's: in a text that names no week, the days' are left unset.
  bool week_named = false;
  for (auto& e : exprs_) {
    const DayRef& d = e.x.from.day;
    if ((e.x.shape != Shape::at && e.x.shape != Shape::after) || e.has_to) continue;
    if (d.kind == Kind::week || d.kind == Kind::rest_of_week) {
      e.week_no = week_offset(d);
      week_named = week_named || e.week_no.has_value();
    }
  }
  if (week_named)
    for (auto& e : exprs_) {
      const DayRef& d = e.x.from.day;
      if ((e.x.shape == Shape::at || e.x.shape == Shape::after) && !e.has_to && is_day_kind(d)) e.week_no = day_week(d);
    }
}

// "The job is Mon-Fri, 9-5": in a sentence about a job, weekday ranges and clock ranges with no am/pm
// are working hours, not times to meet.
void Parser::drop_job_hours() {
  for (auto& e : exprs_) {
    if (!sentence_marks_[sentence_of(e.ub)].job) continue;
    const bool weekday_only = e.x.from.day.kind == Kind::weekday && e.x.from.clock.hour < 0 && !e.has_to;
    const bool by_range = (e.ue < nu_ && (punct(e.ue, '-') || has(e.ue, Cat::range_to))) ||
                          (e.ub > 0 && (punct(e.ub - 1, '-') || has(e.ub - 1, Cat::range_to)));
    if (weekday_only && by_range) e.dropped = true;  // "Mon-Fri, 9-5": the rest of a dropped range
    if (!e.has_to) continue;
    const bool weekdays = e.x.from.day.kind == Kind::weekday && e.x.to.day.kind == Kind::weekday &&
                          e.x.from.clock.hour < 0;
    const bool hours = e.x.from.clock.hour >= 0 && e.x.from.clock.meridiem == Meridiem::unknown &&
                       e.x.to.clock.meridiem == Meridiem::unknown;
    if (weekdays || hours) e.dropped = true;
  }
}

std::size_t Parser::decide_polarity(std::vector<Found>& out) {
  std::vector<Expr*>& live = live_;
  live.clear();
  std::vector<int>& live_of = live_of_;
  fill_first(live_of, exprs_.size(), -1);
  for (std::size_t i = 0; i < exprs_.size(); ++i)
    if (!exprs_[i].dropped) {
      live_of[i] = static_cast<int>(live.size());
      live.push_back(&exprs_[i]);
    }
  moved_to_.clear();
  // One item per live expression (the compaction at the end drops some), written over an item of a text
  // before where there is one.
  if (out.size() < live.size()) out.resize(live.size());
  std::vector<std::optional<Polarity>>& forced = forced_;
  fill_first(forced, live.size(), std::optional<Polarity>{});
  // Exclusions: the first item after "except" / "außer" / "sauf" / "menos", and items coordinated with it;
  // so too the second term of a comparison of preference ("Wednesday works better than Thursday", "Mittwoch
  // wäre mir lieber als Donnerstag", "mieux mercredi que jeudi", "mejor el miércoles que el jueves"): a
  // `than` with a `preference` word before it in its clause and an item before it in its comma-clause
  // ("il vaut mieux que ce soit le matin" compares nothing).
  for (const auto& c : cues_) {
    if (!text_has_cue(Cat::except) && !text_has_cue(Cat::than)) break;
    if (c.cat != Cat::except && !(c.cat == Cat::than && compares(c.tb, live))) continue;
    const auto first = std::lower_bound(live.begin(), live.end(), c.tb,
                                        [&](const Expr* x, std::size_t t) { return U_[x->ub].tb < t; });
    for (auto i = static_cast<std::size_t>(first - live.begin()); i < live.size(); ++i) {
      if (hard_[U_[live[i]->ub].tb] != hard_[c.tb]) break;
      const std::size_t tb = U_[live[i]->ub].tb;
      if (U_[live[i]->ue - 1].te <= c.te || tb < c.tb || hard_[tb] != hard_[c.tb]) continue;
      forced[i] = Polarity::negative;
      for (std::size_t j = i + 1; j < live.size(); ++j) {
        bool coordinated = true;
        for (std::size_t v = live[j - 1]->ue; v < live[j]->ub; ++v)
          if (!(has(v, Cat::or_) || has(v, Cat::and_) || punct(v, ',') || is_glue(v))) coordinated = false;
        if (!coordinated) break;
        forced[j] = Polarity::negative;
      }
      break;
    }
  }
  for (std::size_t i = 0; i < live.size(); ++i) {
    const Expr& e = *live[i];
    const std::size_t tb = U_[e.ub].tb;
    // Written over an item of the text before where there is one (its note and list keep their capacity):
    // every field is set below.
    Found& f = out[i];
    f.alternatives.clear();
    f.span = {toks_[tb].begin, toks_[U_[e.ue - 1].te - 1].end};
    set_expression(f.expression, e.x, e.zone);
    f.clarity = e.clarity;
    note_for(e, f.note);
    // Readings the words allow besides the one chosen: without the context rules; the other half of the
    // day for an hour written without am/pm (7 and 8 are the resolver's); the same weekday a week later.
    const bool contextual = !same_day(e.x.from.day, e.original.from.day) ||
                            (e.has_to && !same_day(e.x.to.day, e.original.to.day));
    // (Each alternative is copied once, into its place in the list.)
    const auto alternative = [&f](const ExprTime& x, std::string_view zone, double weight) -> TimeExpression& {
      Alternative& alt = f.alternatives.emplace_back();
      set_expression(alt.expression, x, zone);
      alt.weight = weight;
      return alt.expression;
    };
    if (e.alt_offset != 0 && e.x.from.day.kind == Kind::relative) {
      alternative(e.x, e.zone, 0.3).from.day.offset = e.alt_offset;  // a reading a careful person would ask about
    } else if (contextual && e.original.from.day.kind != Kind::none && e.inherited_from < 0 && !e.tied_to_week) {
      alternative(e.original, e.original_zone, 0.12);
    } else {
      const sdk::ClockTime& c = e.x.from.clock;
      if (c.hour >= 1 && c.hour <= 11 && c.hour != 7 && c.hour != 8 && c.meridiem == Meridiem::unknown &&
          e.x.from.part == PartOfDay::none && e.x.shape != Shape::range) {
        alternative(e.x, e.zone, 0.05).from.clock.meridiem = c.hour <= 6 ? Meridiem::am : Meridiem::pm;
      }
      const DayRef& wd = e.x.from.day;
      if (wd.kind == Kind::weekday && wd.mode == Mode::bare && !wd.past && !e.has_to) {
        alternative(e.x, e.zone, 0.03).from.day.plus_days += 7;
      }
    }
    const auto cues_in = [&](auto same) {
      bool neg = false, pos = false, neu = false, past = false, judged = false;
      for (std::size_t ci : hard_cues(hard_[tb])) {
        const CueHit& c = cues_[ci];
        if (!same(c.tb)) continue;
        // cues after an exclusion belong to the excluded items
        bool after_except = false;
        if (clause_has(hard_[tb], Cat::except)) {
          for (std::size_t xi : hard_cues(hard_[tb])) {
            const CueHit& x = cues_[xi];
            if (x.cat == Cat::except && x.tb < c.tb && x.tb > tb) after_except = true;
          }
        }
        if (after_except) continue;
        if (c.cat == Cat::negative) neg = true;
        if (c.cat == Cat::negative_soft) judged = true;
        if (c.cat == Cat::positive) pos = true;
        if (c.cat == Cat::neutral) neu = true;
        if (c.cat == Cat::past) past = true;
      }
      // "Would 8am be too early for you?": a question that offers the time only asks about the judgement.
      if (judged && !(pos && sentence_marks_[sentence_[tb]].question)) neg = true;
      return std::array<bool, 4>{neg, pos, neu, past};
    };
    const std::size_t te = U_[e.ue - 1].te - 1;
    const std::size_t soft = soft_[tb];
    const std::size_t soft_end = soft_[te];
    const std::size_t hard = hard_[tb];
    auto found = cues_in([&](std::size_t t) { return soft_[t] >= soft && soft_[t] <= soft_end; });
    double strength = 0.9;
    const auto none = [](const std::array<bool, 4>& a) { return !(a[0] || a[1] || a[2] || a[3]); };
    if (none(found)) {
      // Borrow from the nearest comma-clause of the same clause that has cues, later ones first: "Mardi
      // prochain, je suis en déplacement", "Am Mittwoch, den 4. März, bin ich leider verhindert".
      for (std::size_t other = soft_end + 1; none(found) && other <= soft_end + 4; ++other) {
        auto a = cues_in([&](std::size_t t) { return soft_[t] == other && hard_[t] == hard; });
        if (!none(a)) found = a, strength = 0.82;
      }
      for (std::size_t other = soft; none(found) && other-- > 0 && other + 4 >= soft;) {
        auto a = cues_in([&](std::size_t t) { return soft_[t] == other && hard_[t] == hard; });
        if (!none(a)) found = a, strength = 0.82;
      }
    }
    const DayRef& d = e.x.from.day;
    const bool past_day = (d.kind == Kind::relative && d.offset < 0) || (d.kind == Kind::weekday && d.mode == Mode::last) ||
                          (d.kind == Kind::week && d.mode == Mode::last) ||
                          (d.kind == Kind::month && d.month == 0 && d.offset < 0);
    const auto in_sentence = sentence_cues(sentence_[tb]);
    const bool corrected = sentence_has(sentence_[tb], Cat::correction);
    const bool negated = corrected && std::ranges::any_of(in_sentence, [&](std::size_t c) {
      return cues_[c].cat == Cat::negative && cues_[c].te == tb;
    });
    const bool deadline = (e.x.shape == Shape::by || e.x.shape == Shape::before) && clause_has(hard, Cat::task);
    // A meeting that exists, moved, called off or declined: its time is only mentioned; where it moves to
    // is offered. "move our design review on Thursday", "cancel Thursday's lunch", "den Termin am Donnerstag
    // müssen wir absagen", "won't be able to join the partner review on Thursday", "pasarla al jueves".
    const bool moving = clause_has(hard, Cat::move);
    bool target = moving && e.ub > 0 && has(e.ub - 1, Cat::move_to);
    if (moving && !target && i > 0 && out[i - 1].polarity == Polarity::positive &&
        moved_to_[i - 1] && hard_[U_[live[i - 1]->ub].tb] == hard && coordinated(live[i - 1]->ue, e.ub))
      target = true;  // "al jueves o al viernes"
    moved_to_.push_back(target);
    // "vom Montag auf Dienstag verschieben", "move it from Monday to Thursday at 10": the time moved from
    const bool moved_from = moving && !target && (has(e.ub, Cat::from) || (e.ub > 0 && has(e.ub - 1, Cat::from))) &&
                            i + 1 < live.size() && hard_[U_[live[i + 1]->ub].tb] == hard &&
                            live[i + 1]->ub > 0 && has(live[i + 1]->ub - 1, Cat::move_to);
    if (moved_from && e.x.shape == Shape::after && has(e.ub, Cat::from))
      f.expression.shape = Shape::at;  // "from Tuesday" is the day moved from, no open end
    const bool existing = !target && (e.move_source || moved_from || clause_has(hard, Cat::cancel) ||
                                      (meeting_ref(e) && (moving || clause_has(hard, Cat::negative))) ||
                                      declines_meeting(hard));
    if (deadline) {
      // "Please confirm by tomorrow noon": a deadline for a reply or a task
      f.polarity = Polarity::neutral;
      f.polarity_strength = 0.85;
    } else if (corrected) {
      // "Sorry, I meant Thursday, not Tuesday": Thursday is the offer, Tuesday a slip taken back.
      f.polarity = negated ? Polarity::neutral : Polarity::positive;
      f.polarity_strength = 0.85;
    } else if (target) {
      f.polarity = Polarity::positive;
      f.polarity_strength = 0.9;
    } else if (existing && !forced[i]) {
      f.polarity = Polarity::neutral;
      f.polarity_strength = 0.85;
    } else if (forced[i]) {
      f.polarity = *forced[i];
      f.polarity_strength = 0.9;
    } else if (past_day) {
      // "Last week was hectic", "yesterday I was out": a time the words put in the past is only mentioned
      f.polarity = Polarity::neutral;
      f.polarity_strength = 0.92;
    } else if (found[0]) {
      f.polarity = Polarity::negative;
      f.polarity_strength = strength;
    } else if (found[3] || past_day) {
      f.polarity = Polarity::neutral;
      f.polarity_strength = past_day ? 0.92 : strength;
    } else if (found[2]) {
      f.polarity = Polarity::neutral;
      f.polarity_strength = strength - 0.05;
    } else if (found[1]) {
      f.polarity = Polarity::positive;
      f.polarity_strength = strength;
    } else {
      f.polarity = Polarity::positive;
      f.polarity_strength = 0.75;
    }
  }
  // A day, then a time of that day with the same polarity ("Could we do thurs instead? Anytime after 10",
  // "Monday from 9 to 12 is clear"): one item, the time.
  std::vector<std::uint8_t>& drop = drop_;
  zero_first(drop, live.size());
  for (std::size_t i = 0; i < live.size(); ++i) {
    const int src = live[i]->inherited_from;
    if (src < 0 || live_of[static_cast<std::size_t>(src)] < 0) continue;
    const auto j = static_cast<std::size_t>(live_of[static_cast<std::size_t>(src)]);
    if (out[j].polarity != out[i].polarity || j + 1 != i) continue;
    drop[j] = true;
    // "Could we have a quick call on Monday or Tuesday? Any time after 2pm works": the day before, in a
    // list with the one the time took, gets the same time of its own.
    if (j > 0 && !drop[j - 1] && out[j - 1].polarity == out[i].polarity) {
      const Expr& a = *live[j - 1];
      sdk::TimeExpression& x = out[j - 1].expression;
      if (is_day_kind(x.from.day) && x.from.clock.hour < 0 && x.from.part == PartOfDay::none && x.shape == Shape::at &&
          !a.has_to && a.ue <= live[j]->ub && coordinated(a.ue, live[j]->ub)) {
        const sdk::TimeExpression& t = out[i].expression;
        x.from.clock = t.from.clock;
        x.from.part = t.from.part;
        x.shape = t.shape;
        if (x.zone.empty()) x.zone = t.zone;
        if (t.shape == Shape::range) {
          x.to = t.to;
          if (x.to.day.kind == Kind::none || t.to.day.kind == t.from.day.kind) x.to.day = x.from.day;
        }
      }
    }
    out[i].span.begin = std::min(out[i].span.begin, out[j].span.begin);
    // "el miércoles por la mañana podría a partir de las 10": the part of day of the day refines the time
    if (out[i].expression.from.part == PartOfDay::none) out[i].expression.from.part = out[j].expression.from.part;
  }
  // "Oliver will be in Berlin next week ... Could you do Tuesday or Wednesday next week?": a week offered
  // and then narrowed, in the next two sentences, to days of it offered too only locates them (unless a
  // sentence excludes some; a week refused stays refused as a whole).
  const auto excludes = [&](const Expr& x) {
    return sentence_has(sentence_of(x.ub), Cat::except);
  };
  for (std::size_t i = 0; i < live.size(); ++i) {
    const Expr& wk = *live[i];
    const Kind k = wk.x.from.day.kind;
    if ((k != Kind::week && k != Kind::rest_of_week) || !wk.week_no || wk.x.shape != Shape::at || excludes(wk) ||
        out[i].polarity != Polarity::positive)
      continue;
    for (std::size_t j = i + 1; j < live.size() && sentence_of(live[j]->ub) <= sentence_of(wk.ub) + 2; ++j) {
      const Expr& d = *live[j];
      if (!is_day_kind(d.x.from.day) || d.week_no != wk.week_no || out[j].polarity != out[i].polarity ||
          sentence_of(d.ub) == sentence_of(wk.ub) || excludes(d))
        continue;
      drop[i] = true;
      break;
    }
  }
  std::size_t w = 0;
  for (std::size_t i = 0; i < live.size(); ++i)
    if (!drop[i]) {
      if (w != i) std::swap(out[w], out[i]);  // (a swap: the dropped item's memory stays for a later text)
      ++w;
    }
  return w;
}

void Parser::note_for(const Expr& e, NoteText& note) const {
  // Written into a buffer on the stack, each piece a literal copied at its known size, then kept at once.
  char small[96];  // the longest without a zone: "before; weekday (in week +-2147483648); clock"
  std::unique_ptr<char[]> large;
  char* const buf = e.zone.size() <= 32 ? small : (large.reset(new char[64 + e.zone.size()]), large.get());
  char* w = buf;
  const auto put = [&w]<std::size_t N>(const char(&piece)[N]) {
    std::memcpy(w, piece, N - 1);
    w += N - 1;
  };
  const auto& d = e.x.from.day;
  switch (e.x.shape) {
    case Shape::at: put("at; "); break;
    case Shape::range: put("range; "); break;
    case Shape::after: put("after; "); break;
    case Shape::before: put("before; "); break;
    case Shape::by: put("by; "); break;
  }
  switch (d.kind) {
    case Kind::none: put("no day"); break;
    case Kind::relative: put("relative day"); break;
    case Kind::weekday: put("weekday"); break;
    case Kind::date: put("date"); break;
    case Kind::day_of_month: put("day of month"); break;
    case Kind::week: put("week"); break;
    case Kind::rest_of_week: put("rest of week"); break;
    case Kind::end_of_week: put("end of week"); break;
    case Kind::month: put("month"); break;
    case Kind::iso_week: put("ISO week"); break;
  }
  if (d.kind == Kind::weekday || d.kind == Kind::week) {
    switch (d.mode) {
      case Mode::bare: put(" (bare"); break;
      case Mode::this_: put(" (this"); break;
      case Mode::next: put(" (next"); break;
      case Mode::next_only: put(" (next only"); break;
      case Mode::last: put(" (last"); break;
      case Mode::in_week:
        put(" (in week +");
        w = std::to_chars(w, w + 12, d.offset).ptr;
        break;
    }
    put(")");
  }
  if (e.x.from.clock.hour >= 0) put("; clock");
  if (!e.zone.empty()) {
    put("; zone ");
    std::memcpy(w, e.zone.data(), e.zone.size());
    w += e.zone.size();
  }
  note.assign(buf, static_cast<std::size_t>(w - buf));
}

std::size_t Parser::run(std::vector<Found>& out) {
  // `out` holds the items of texts before: decide_polarity writes over them (their strings and lists keep
  // their capacity).
  build_units();
  block_non_times();
  find_cues();
  block_quote_headers();
  split_clauses();
  index();
  assemble();
  if (exprs_.empty()) return 0;  // (a text with no time: the rules below have nothing to read)
  drop_job_hours();
  apply_context();
  return decide_polarity(out);
}

}  // namespace

const char* to_string(Polarity p) noexcept {
  switch (p) {
    case Polarity::positive: return "positive";
    case Polarity::negative: return "negative";
    case Polarity::neutral: return "neutral";
  }
  return "neutral";
}

class ParseScratch {
 public:
  Parser parser;
  std::vector<Found> found;
};

void ScratchDeleter::operator()(ParseScratch* s) const noexcept { delete s; }

std::unique_ptr<ParseScratch, ScratchDeleter> make_parse_scratch() {
  return std::unique_ptr<ParseScratch, ScratchDeleter>(new ParseScratch);
}

std::span<const Found> parse(std::string_view text, const Lexicon& lexicon, std::chrono::year_month_day today,
                             ParseScratch& scratch) {
  if (text.size() > kMaxTextBytes) text = {};  // (the plugin refuses such a message with an error first)
  scratch.parser.reset(text, lexicon, today);
  const std::size_t count = scratch.parser.run(scratch.found);  // (before data(): the list may grow)
  return {scratch.found.data(), count};
}

std::vector<Found> parse(std::string_view text, const Lexicon& lexicon, std::chrono::year_month_day today) {
  ParseScratch scratch;
  const std::span<const Found> found = parse(text, lexicon, today, scratch);
  return {found.begin(), found.end()};
}

}  // namespace tandem::plugins::time_rules
