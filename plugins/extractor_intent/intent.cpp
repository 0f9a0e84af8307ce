#include "intent.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "yaml_file.hpp"

namespace tandem::plugins::intent {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

std::string lower_ascii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

// "Europe/Berlin" -> "Berlin", "America/New_York" -> "New York".
std::string zone_city(std::string_view zone) {
  const auto slash = zone.rfind('/');
  if (slash == std::string_view::npos) return {};
  std::string city(zone.substr(slash + 1));
  std::replace(city.begin(), city.end(), '_', ' ');
  return city;
}

// ---------------------------------------------------------------------------------------------------
// Documents: the new text, the subject, the quoted history's body, the signature.

struct Doc {
  std::string text;
  std::vector<Token> toks;
  std::vector<int> sentence;  // per token
  std::vector<int> clause;
  std::vector<int> line;
  bool is_text = false;       // spans are into Message::text
  std::string author;         // lower-case address of who wrote it, "" unknown
  const Language* lang = nullptr;  // the cues it is read with
  bool empty() const { return toks.empty(); }
  std::string_view raw(std::size_t b, std::size_t e) const {  // tokens [b, e) as written
    if (b >= e || e > toks.size()) return {};
    return std::string_view(text).substr(toks[b].begin, toks[e - 1].end - toks[b].begin);
  }
};

bool is_punct(const Token& t, std::string_view s) { return t.kind == Token::Kind::punct && t.text == s; }

void segment(Doc& d, const Language& lang) {
  const std::size_t n = d.toks.size();
  d.sentence.assign(n, 0);
  d.clause.assign(n, 0);
  d.line.assign(n, 0);
  std::set<std::size_t> breaks;
  for (const Hit& h : find_all(d.toks, lang.list("clause_break"))) breaks.insert(h.begin);
  int s = 0, c = 0, l = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Token& t = d.toks[i];
    const bool between_numbers = i > 0 && i + 1 < n && d.toks[i - 1].kind == Token::Kind::number &&
                                 d.toks[i + 1].kind == Token::Kind::number;
    if (breaks.count(i) != 0) ++c;
    d.sentence[i] = s;
    d.clause[i] = c;
    d.line[i] = l;
    if (t.kind == Token::Kind::newline) {
      ++s, ++c, ++l;
    } else if (t.kind == Token::Kind::punct) {
      if ((t.text == "." || t.text == ":") && between_numbers) continue;
      if (t.text == "." || t.text == "!" || t.text == "?" || t.text == ";" || t.text == ":" || t.text == "\xC2\xBF" ||
          t.text == "\xC2\xA1")
        ++s, ++c;
      else if (t.text == "," || t.text == "(" || t.text == ")" || t.text == "\xE2\x80\x93" || t.text == "\xE2\x80\x94")
        ++c;
    }
  }
}

Doc make_doc(std::string text, const Language& lang, const Folder& fold) {
  Doc d;
  d.text = std::move(text);
  d.toks = tokenize(d.text, fold);
  d.lang = &lang;
  segment(d, lang);
  return d;
}

// A name and an address written together in a header line: "Maya Chen <maya@x>", "Lucía F. (<l@x>)".
struct NamedAddress {
  std::string name;
  std::string address;
};

std::vector<NamedAddress> addresses_in(std::string_view line) {
  std::vector<NamedAddress> out;
  std::size_t pos = 0;
  while ((pos = line.find('<', pos)) != std::string_view::npos) {
    const std::size_t close = line.find('>', pos);
    if (close == std::string_view::npos) break;
    const std::string addr = lower_ascii(trim(line.substr(pos + 1, close - pos - 1)));
    if (addr.find('@') != std::string::npos && addr.find(' ') == std::string::npos) {
      std::size_t name_end = pos;
      while (name_end > 0 && (line[name_end - 1] == ' ' || line[name_end - 1] == '(' || line[name_end - 1] == '"'))
        --name_end;
      std::size_t name_begin = name_end;
      // Back over the words of the name: up to four words, stopping at separators.
      int words = 0;
      while (name_begin > 0 && words < 4) {
        std::size_t w = name_begin;
        while (w > 0 && line[w - 1] != ' ' && line[w - 1] != ',' && line[w - 1] != ':' && line[w - 1] != ';' &&
               line[w - 1] != '"')
          --w;
        if (w == name_begin) break;
        const unsigned char first = static_cast<unsigned char>(line[w]);
        if (!((first >= 'A' && first <= 'Z') || first >= 0xC0)) break;  // names start with a capital
        name_begin = w;
        ++words;
        if (name_begin == 0 || line[name_begin - 1] != ' ') break;
        --name_begin;
        if (name_begin > 0 && (line[name_begin - 1] == ',' || line[name_begin - 1] == ':')) {
          ++name_begin;
          break;
        }
      }
      out.push_back({trim(line.substr(name_begin, name_end - name_begin)), addr});
    }
    pos = close + 1;
  }
  return out;
}

struct Quoted {
  Doc body;
  std::vector<NamedAddress> header_people;
  std::string author;
};

// The language a text is written in, among the loaded ones: the one whose function words (greetings,
// negations, clause breaks, first-person words, number words, units) cover most of its tokens; `fallback`
// on a tie.
const Language& pick_language(const std::vector<Token>& toks, const std::vector<const Language*>& all,
                              const Language& fallback) {
  const Language* best = &fallback;
  std::size_t best_n = 0;
  for (const Language* l : all) {
    std::set<std::string> words;
    for (const char* k : {"greeting", "negation", "clause_break", "people.first_person", "duration.numbers",
                          "duration.units", "place.visit_intro", "duration.clock_marker"})
      for (const Phrase& p : l->list(k))
        if (p.tokens.size() == 1) words.insert(p.tokens.front());
    std::size_t n = 0;
    for (const Token& t : toks) n += t.kind == Token::Kind::word && words.count(t.text) != 0;
    if (n > best_n || (n == best_n && l == &fallback)) best = l, best_n = n;
  }
  return *best;
}

// Splits the quoted history into header lines ("On ... wrote:", "From: ...", in any loaded language) and
// the quoted body, read with the language it is written in.
Quoted read_quoted(std::string_view quoted, const Language& lang, const std::vector<const Language*>& all,
                   const Folder& fold) {
  Quoted q;
  std::string body;
  bool first_block = true;
  std::size_t start = 0;
  while (start <= quoted.size()) {
    std::size_t end = quoted.find('\n', start);
    if (end == std::string_view::npos) end = quoted.size();
    std::string_view line = quoted.substr(start, end - start);
    start = end + 1;
    while (!line.empty() && (line.front() == '>' || line.front() == ' ')) line.remove_prefix(1);
    const std::string t = trim(line);
    if (!t.empty() && t.find_first_not_of("_-=") == std::string::npos) {  // a separator line
      body += "\n";
      if (end == quoted.size()) break;
      continue;
    }
    const std::vector<Token> toks = tokenize(t, fold);
    bool header = false;
    for (const Language* l : all) {
      for (const Phrase& p : l->list("quote_header")) {
        for (std::size_t i = 0; i < toks.size() && !header; ++i) {
          std::size_t e = 0;
          if (match_at(toks, i, p, e) && (i == 0 || t.find('@') != std::string::npos)) header = true;
        }
        if (header) break;
      }
      if (header) break;
    }
    if (header) {
      for (auto& na : addresses_in(t)) {
        if (first_block && q.author.empty()) q.author = na.address;
        q.header_people.push_back(std::move(na));
      }
    } else {
      if (!q.author.empty()) first_block = false;
      body += t;
      body += "\n";
    }
    if (end == quoted.size()) break;
  }
  const Language& body_lang = pick_language(tokenize(body, fold), all, lang);
  q.body = make_doc(std::move(body), body_lang, fold);
  return q;
}

// ---------------------------------------------------------------------------------------------------
// Cue counting.

// Whether a negation lies in the same clause within a few tokens before or after [b, e).
bool negated(const Doc& d, std::size_t b, std::size_t e, const Language& lang) {
  const std::size_t lo = b >= 4 ? b - 4 : 0;
  const std::size_t hi = std::min(d.toks.size(), e + 4);
  for (const Hit& h : find_all(d.toks, lang.list("negation"), lo, hi)) {
    if (h.end <= b || h.begin >= e) {
      const std::size_t at = h.begin;
      if (d.clause[at] == d.clause[h.begin < b ? b : e - 1]) return true;
    }
  }
  return false;
}

struct CueCount {
  double positive = 0;
  double negative = 0;   // matches under a negation
  std::size_t first_b = kNone, first_e = kNone;  // tokens of the first positive match
};

CueCount count(const Doc& d, const Language& lang, std::string_view key, bool check_negation,
               const std::vector<Hit>* exclude = nullptr) {
  CueCount c;
  for (const Hit& h : find_all(d.toks, lang.list(key))) {
    bool inside = false;
    if (exclude != nullptr)
      for (const Hit& o : *exclude)
        if (o.begin <= h.begin && h.end <= o.end && (o.end - o.begin) > (h.end - h.begin)) inside = true;
    if (inside) continue;
    if (check_negation && negated(d, h.begin, h.end, lang)) {
      c.negative += h.phrase->weight;
    } else {
      c.positive += h.phrase->weight;
      if (c.first_b == kNone) c.first_b = h.begin, c.first_e = h.end;
    }
  }
  return c;
}

sdk::Span span_of(const Doc& d, std::size_t b, std::size_t e) {
  if (!d.is_text || b == kNone || e == kNone || b >= e || e > d.toks.size()) return {};
  return sdk::Span{d.toks[b].begin, d.toks[e - 1].end};
}

// ---------------------------------------------------------------------------------------------------
// People.

struct Known {
  std::string name;
  std::string address;
  std::string role;
  std::string zone;
  std::vector<std::string> name_tokens;  // folded
  bool in_headers = false;               // From, To or Cc of the message
};

struct Mention {
  std::size_t person = 0;
  const Doc* doc = nullptr;
  std::size_t begin = 0, end = 0;
  bool greeting = false;    // in the greeting line: an addressee being greeted
  bool first_only = false;  // by first name alone
};

bool phrase_in(const std::string& text, const PhraseList& list, const Folder& fold) {
  if (text.empty()) return false;
  const auto toks = tokenize(text, fold);
  return !find_all(toks, list).empty();
}

std::string org_of(const std::string& role) {
  const auto comma = role.rfind(',');
  if (comma == std::string::npos) return {};
  std::string org = trim(std::string_view(role).substr(comma + 1));
  const auto paren = org.find('(');
  if (paren != std::string::npos) org = trim(std::string_view(org).substr(0, paren));
  return org;
}

// The greeting line: the first line of the text when it starts with a greeting or ends with "," or ":".
int greeting_line(const Doc& d, const Language& lang) {
  if (d.empty()) return -1;
  std::size_t e = 0;
  for (const Phrase& p : lang.list("greeting"))
    if (match_at(d.toks, 0, p, e)) return 0;
  std::size_t last = 0;
  while (last + 1 < d.toks.size() && d.line[last + 1] == 0) ++last;
  if (last < 6 && (is_punct(d.toks[last], ",") || is_punct(d.toks[last], ":"))) return 0;
  return -1;
}

std::vector<Mention> find_mentions(const Doc& d, const std::vector<Known>& people, const Language& lang) {
  std::vector<Mention> out;
  const int greet = greeting_line(d, lang);
  // A first name alone names someone only when one person has it (a person with two addresses is one).
  std::map<std::string, std::set<std::vector<std::string>>> first_count;
  for (const Known& k : people)
    if (!k.name_tokens.empty()) first_count[k.name_tokens.front()].insert(k.name_tokens);
  std::vector<bool> used(d.toks.size(), false);
  const auto add = [&](std::size_t person, std::size_t b, std::size_t e, bool first_only) {
    for (std::size_t i = b; i < e; ++i) used[i] = true;
    out.push_back(Mention{person, &d, b, e, d.line[b] == greet, first_only});
  };
  // Full names first, then a title and a last name, then a first name alone.
  for (std::size_t p = 0; p < people.size(); ++p) {
    const auto& nt = people[p].name_tokens;
    if (nt.size() < 2) continue;
    for (std::size_t i = 0; i + nt.size() <= d.toks.size(); ++i) {
      bool ok = !used[i];
      for (std::size_t k = 0; ok && k < nt.size(); ++k) ok = d.toks[i + k].text == nt[k];
      if (ok) add(p, i, i + nt.size(), false);
    }
  }
  for (const Hit& h : find_all(d.toks, lang.list("people.title"))) {
    std::size_t i = h.end;
    if (i < d.toks.size() && is_punct(d.toks[i], ".")) ++i;
    if (i >= d.toks.size() || used[i] || !d.toks[i].capital) continue;
    for (std::size_t p = 0; p < people.size(); ++p)
      if (people[p].name_tokens.size() >= 2 && people[p].name_tokens.back() == d.toks[i].text) {
        add(p, h.begin, i + 1, false);
        break;
      }
  }
  for (std::size_t i = 0; i < d.toks.size(); ++i) {
    if (used[i] || !d.toks[i].capital || d.toks[i].kind != Token::Kind::word) continue;
    for (std::size_t p = 0; p < people.size(); ++p) {
      const auto& nt = people[p].name_tokens;
      if (nt.empty() || nt.front() != d.toks[i].text || first_count[nt.front()].size() != 1) continue;
      add(p, i, i + 1, true);
      break;
    }
  }
  std::sort(out.begin(), out.end(), [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Durations.

struct Duration {
  double minutes = 0;
  const Doc* doc = nullptr;
  std::size_t begin = 0, end = 0;
};

bool ends_with_phrase(const Doc& d, std::size_t at, const PhraseList& list) {
  // Whether some phrase of `list` ends right before token `at`.
  for (const Phrase& p : list) {
    const std::size_t n = p.tokens.size();
    if (n > at) continue;
    std::size_t e = 0;
    if (match_at(d.toks, at - n, p, e) && e == at) return true;
  }
  return false;
}

std::vector<Duration> durations_in(const Doc& d, const Language& lang) {
  std::vector<Duration> out;
  const PhraseList& units = lang.list("duration.units");
  const PhraseList& numbers = lang.list("duration.numbers");
  const PhraseList& fixed = lang.list("duration.fixed");
  const PhraseList& compact = lang.list("duration.compact_hour");
  std::set<std::string> compact_words;
  for (const Phrase& p : compact) compact_words.insert(p.tokens.front());
  std::size_t i = 0;
  while (i < d.toks.size()) {
    std::size_t e = 0;
    // A fixed phrase ("half an hour", "hora y media"): the longest one starting here.
    double best = 0;
    std::size_t best_e = 0;
    for (const Phrase& p : fixed)
      if (match_at(d.toks, i, p, e) && e > best_e) best = p.weight, best_e = e;
    if (best_e > 0) {
      if (!ends_with_phrase(d, i, lang.list("duration.not_before"))) out.push_back({best, &d, i, best_e});
      i = best_e;
      continue;
    }
    // A number (digits or a number word), an optional hyphen, a unit.
    double value = 0;
    std::size_t after = 0;
    const Token& t = d.toks[i];
    if (t.kind == Token::Kind::number) {
      value = t.number;
      after = i + 1;
    } else {
      std::size_t ne = 0;
      for (const Phrase& p : numbers)
        if (match_at(d.toks, i, p, e) && e > ne) value = p.weight, ne = e;
      after = ne;
    }
    if (after == 0) {
      ++i;
      continue;
    }
    std::size_t u = after;
    if (u < d.toks.size() && is_punct(d.toks[u], "-")) ++u;
    double unit = 0;
    std::size_t ue = 0;
    const Phrase* unit_phrase = nullptr;
    for (const Phrase& p : units)
      if (match_at(d.toks, u, p, e) && e > ue) unit = p.weight, ue = e, unit_phrase = &p;
    if (unit_phrase == nullptr) {
      ++i;
      continue;
    }
    double minutes = value * unit;
    std::size_t end = ue;
    const bool is_compact = unit_phrase->tokens.size() == 1 && compact_words.count(unit_phrase->tokens.front()) != 0;
    if (is_compact) {
      // "1h30" is a length only as a small number of hours not written as a clock time ("à 10h30").
      const bool glued = d.toks[i].end == d.toks[u].begin;
      const bool clock = i > 0 && (ends_with_phrase(d, i, lang.list("duration.clock_marker")) ||
                                   d.toks[i - 1].kind == Token::Kind::number || is_punct(d.toks[i - 1], "-"));
      if (t.kind != Token::Kind::number || !glued || clock || value > 8) {
        i = ue;
        continue;
      }
      if (ue < d.toks.size() && d.toks[ue].kind == Token::Kind::number && d.toks[ue].begin == d.toks[ue - 1].end &&
          d.toks[ue].number < 60) {
        minutes += d.toks[ue].number;
        end = ue + 1;
      }
    }
    std::size_t he = 0;
    for (const Phrase& p : lang.list("duration.and_half"))
      if (match_at(d.toks, end, p, e) && e > he) he = e;
    if (he > 0) {
      minutes += unit / 2;
      end = he;
    }
    if (!ends_with_phrase(d, i, lang.list("duration.not_before")) && minutes >= 5 && minutes <= 12 * 60)
      out.push_back({minutes, &d, i, end});
    i = end;
  }
  return out;
}

std::string minutes_text(double m) {
  const long v = std::lround(m);
  return std::to_string(v);
}

// ---------------------------------------------------------------------------------------------------
// Places.

struct AddressLine {
  std::string org;
  std::string address;
};

// A line that holds a street address ("12 rue de Charonne, 75011 Paris", "Halcyon Capital | 20 Finsbury
// Circus, London"): the part before the street is the organisation, the rest the address.
std::vector<AddressLine> address_lines(std::string_view text, const Language& lang, const Folder& fold) {
  std::vector<AddressLine> out;
  std::vector<std::string> streets;
  for (const Phrase& p : lang.list("place.street")) streets.push_back(p.tokens.front());
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string line = trim(text.substr(start, end - start));
    start = end + 1;
    // Parts separated by " | ", " · ", " – ", " — ".
    std::vector<std::string> parts;
    std::size_t p0 = 0;
    for (std::size_t k = 0; k <= line.size(); ++k) {
      const std::string_view rest = std::string_view(line).substr(k);
      std::size_t sep = 0;
      for (std::string_view s : {" | ", " \xC2\xB7 ", " \xE2\x80\x93 ", " \xE2\x80\x94 "})
        if (rest.substr(0, s.size()) == s) sep = s.size();
      if (k == line.size() || sep > 0) {
        parts.push_back(trim(std::string_view(line).substr(p0, k - p0)));
        if (sep > 0) k += sep - 1, p0 = k + 1;
      }
    }
    for (std::size_t pi = 0; pi < parts.size(); ++pi) {
      const auto toks = tokenize(parts[pi], fold);
      bool street = false;
      for (std::size_t i = 0; i < toks.size() && !street; ++i) {
        if (toks[i].kind != Token::Kind::word) continue;
        bool is_street = false;
        for (const auto& s : streets)
          if (toks[i].text == s || (s.size() >= 4 && toks[i].text.size() > s.size() &&
                                    toks[i].text.compare(toks[i].text.size() - s.size(), s.size(), s) == 0))
            is_street = true;
        if (!is_street) continue;
        for (std::size_t j = i >= 4 ? i - 4 : 0; j < std::min(toks.size(), i + 5); ++j)
          if (toks[j].kind == Token::Kind::number && !toks[j].decimal) street = true;
      }
      if (!street) continue;
      AddressLine a;
      for (std::size_t k = 0; k < pi; ++k) a.org += (a.org.empty() ? "" : ", ") + parts[k];
      for (std::size_t k = pi; k < parts.size(); ++k) a.address += (a.address.empty() ? "" : ", ") + parts[k];
      out.push_back(std::move(a));
      break;
    }
  }
  return out;
}

// A run of capitalised words starting at `i` (with lower-case joiners such as "de" between them when a
// capital follows): its end, or `i` when none.
std::size_t capital_run(const Doc& d, std::size_t i, const std::set<std::string>& calendar_words) {
  std::size_t e = i;
  std::size_t words = 0;
  while (e < d.toks.size() && words < 5) {
    const Token& t = d.toks[e];
    if (t.kind == Token::Kind::word && t.capital && calendar_words.count(t.text) == 0) {
      ++e, ++words;
      continue;
    }
    if (words > 0 && t.kind == Token::Kind::word && !t.capital && t.text.size() <= 3 && e + 1 < d.toks.size() &&
        d.toks[e + 1].capital && d.toks[e + 1].kind == Token::Kind::word && d.sentence[e + 1] == d.sentence[e]) {
      ++e;
      continue;
    }
    break;
  }
  return e;
}


// ---------------------------------------------------------------------------------------------------
// Distributions.

sdk::Distribution dist(std::initializer_list<std::pair<std::string, double>> items) {
  std::vector<sdk::Candidate> c;
  for (const auto& [v, p] : items)
    if (p > 0) c.push_back({v, p});
  return sdk::Distribution(std::move(c));
}

// P(value) = p_none * [value == "none"] + (1 - p_none) * d(value).
sdk::Distribution mix_none(const sdk::Distribution& d, double p_none) {
  if (p_none <= 0) return d;
  sdk::Distribution out;
  for (const auto& c : d.candidates()) out.add(c.value, c.p * (1 - p_none));
  out.add("none", p_none);
  out.normalize();
  return out;
}

bool in_person(const std::string& event) {
  return event == "coffee" || event == "lunch" || event == "onsite" || event == "meeting" || event == "interview";
}

const char* const kEvents[] = {"phone_screen", "interview", "onsite", "coffee", "lunch", "call", "video_call", "meeting"};

// What kind of thing a cue names: the purpose of the event beats its medium, the medium a generic word.
double event_class(std::string_view e) {
  if (e == "meeting") return 1;
  if (e == "call" || e == "video_call") return 2;
  return 3;
}

int default_minutes(std::string_view e) {
  if (e == "interview") return 45;
  if (e == "lunch" || e == "onsite") return 60;
  return 30;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------

bool load_directory(const std::filesystem::path& file, Directory& out, std::vector<std::string>& errors) {
  const std::size_t before = errors.size();
  YAML::Node root;
  const auto at = [&](const YAML::Mark& m) { return common::yaml_where(file, m); };
  if (!common::load_yaml_file(file, "the people directory", root, errors)) return false;
  if (!root.IsMap() || !root["people"] || !root["people"].IsMap()) {
    errors.push_back(at(root.Mark()) + "people: expected a map of people (key: {email, name, role, tz})");
    return false;
  }
  if (const YAML::Node a = root["assistant"]) {
    if (a.IsScalar()) out.assistant.push_back(lower_ascii(a.Scalar()));
    else if (a.IsSequence())
      for (const auto& x : a) out.assistant.push_back(lower_ascii(x.as<std::string>("")));
    else errors.push_back(at(a.Mark()) + "assistant: expected an address or a list of addresses");
  }
  for (const auto& kv : root["people"]) {
    const std::string key = kv.first.as<std::string>("");
    const YAML::Node p = kv.second;
    if (!p.IsMap()) {
      errors.push_back(at(p.Mark()) + "people." + key + ": expected a map");
      continue;
    }
    Person person;
    const auto text = [&](const char* k) -> std::string {
      const YAML::Node n = p[k];
      if (!n) return {};
      if (!n.IsScalar()) {
        errors.push_back(at(n.Mark()) + "people." + key + "." + k + ": expected text");
        return {};
      }
      return n.Scalar();
    };
    person.name = text("name");
    person.role = text("role");
    person.zone = text("tz");
    // `email: one address` or `emails: [every address]`: the person is known by each.
    std::vector<std::string> addresses;
    if (p["email"]) addresses.push_back(lower_ascii(text("email")));
    if (const YAML::Node list = p["emails"]; list && list.IsSequence())
      for (const auto& x : list) addresses.push_back(lower_ascii(x.IsScalar() ? x.Scalar() : std::string()));
    if (addresses.empty() || std::any_of(addresses.begin(), addresses.end(), [](const std::string& a) {
          return a.find('@') == std::string::npos;
        })) {
      errors.push_back(at(p.Mark()) + "people." + key + ": expected `email: ADDRESS` or `emails: [ADDRESS, ...]`");
      continue;
    }
    for (const std::string& a : addresses) {
      person.address = a;
      out.people.push_back(person);
    }
  }
  return errors.size() == before;
}

std::vector<VariableOut> analyze(const sdk::Message& msg, const Language& lang,
                                 const std::vector<const Language*>& languages, const Directory& directory,
                                 const Options& options, const Folder& fold) {
  std::vector<VariableOut> result;
  const std::set<std::string> calendar_words(options.calendar_words.begin(), options.calendar_words.end());

  Doc text = make_doc(msg.text, lang, fold);
  text.is_text = true;
  text.author = lower_ascii(msg.from.address);
  Doc subject = make_doc(msg.subject, lang, fold);
  Doc signature = make_doc(msg.signature, lang, fold);
  std::vector<const Language*> all = languages;
  if (std::find(all.begin(), all.end(), &lang) == all.end()) all.push_back(&lang);
  Quoted quoted = read_quoted(msg.quoted, lang, all, fold);
  quoted.body.author = quoted.author;

  // ---- who is who -------------------------------------------------------------------------------
  std::set<std::string> assistant;
  for (const auto& a : options.assistant) assistant.insert(lower_ascii(a));
  for (const auto& a : directory.assistant) assistant.insert(lower_ascii(a));
  // The mail stage marks the assistant's own addresses (the pipeline's mail.assistant) too.
  for (const auto* list : {&msg.to, &msg.cc})
    for (const auto& p : *list)
      if (p.assistant) assistant.insert(lower_ascii(p.address));
  if (msg.from.assistant) assistant.insert(lower_ascii(msg.from.address));
  std::vector<Known> people;
  const auto person_index = [&](const std::string& address) -> std::size_t {
    for (std::size_t i = 0; i < people.size(); ++i)
      if (people[i].address == address) return i;
    return kNone;
  };
  const auto add_person = [&](const std::string& name, const std::string& address, const std::string& role,
                              const std::string& zone, bool header) {
    const std::string a = lower_ascii(address);
    if (a.empty() || assistant.count(a) != 0) return;
    std::size_t i = person_index(a);
    if (i == kNone) {
      people.push_back(Known{name, a, role, zone, {}, header});
      i = people.size() - 1;
    }
    Known& k = people[i];
    if (k.name.empty()) k.name = name;
    if (k.role.empty()) k.role = role;
    if (k.zone.empty()) k.zone = zone;
    k.in_headers = k.in_headers || header;
  };
  for (const Person& p : directory.people) add_person(p.name, p.address, p.role, p.zone, false);
  add_person(msg.from.name, msg.from.address, msg.from.role, msg.sender_zone, true);
  for (const auto& p : msg.to) add_person(p.name, p.address, p.role, "", true);
  for (const auto& p : msg.cc) add_person(p.name, p.address, p.role, "", true);
  for (const auto& na : quoted.header_people) add_person(na.name, na.address, "", "", false);
  for (Known& k : people) {
    for (const Token& t : tokenize(k.name, fold))
      if (t.kind == Token::Kind::word) k.name_tokens.push_back(t.text);
  }
  const std::string sender = lower_ascii(msg.from.address);
  std::vector<std::string> to_people;
  for (const auto& p : msg.to)
    if (assistant.count(lower_ascii(p.address)) == 0) to_people.push_back(lower_ascii(p.address));

  std::vector<Mention> mentions = find_mentions(text, people, lang);
  for (Mention& m : find_mentions(quoted.body, people, *quoted.body.lang)) mentions.push_back(m);

  // ---- request ------------------------------------------------------------------------------------
  std::vector<std::string> assistant_in_headers;  // the assistant's addresses among To and Cc
  for (const auto* list : {&msg.to, &msg.cc})
    for (const auto& p : *list)
      if (assistant.count(lower_ascii(p.address)) != 0) assistant_in_headers.push_back(lower_ascii(p.address));
  std::vector<Hit> request_hits;  // every request cue, so that a shorter cue inside a longer one is ignored
  for (const char* k : {"request.cancel", "request.decline", "request.reschedule", "request.accept", "request.propose",
                        "request.unavailable", "request.ask", "request.info"})
    for (const Hit& h : find_all(text.toks, lang.list(k))) request_hits.push_back(h);
  const CueCount cancel = count(text, lang, "request.cancel", true, &request_hits);
  const CueCount decline = count(text, lang, "request.decline", false, &request_hits);
  CueCount resched = count(text, lang, "request.reschedule", true, &request_hits);
  const CueCount resched_subject = count(subject, lang, "request.reschedule", true);
  const CueCount accept = count(text, lang, "request.accept", true, &request_hits);
  const CueCount propose = count(text, lang, "request.propose", true, &request_hits);
  const CueCount unavailable = count(text, lang, "request.unavailable", false, &request_hits);
  const CueCount ask = count(text, lang, "request.ask", true, &request_hits);
  const CueCount info = count(text, lang, "request.info", false, &request_hits);
  bool question = false;
  for (const Token& t : text.toks)
    if (is_punct(t, "?")) question = true;
  bool event_in_text = false;
  for (const char* e : kEvents)
    if (!find_all(text.toks, lang.list(std::string("event.") + e)).empty()) event_in_text = true;
  bool reply_subject = false;
  if (subject.toks.size() >= 2 && is_punct(subject.toks[1], ":"))
    for (const Phrase& p : lang.list("reply_prefix"))
      if (p.tokens.size() == 1 && p.tokens[0] == subject.toks[0].text) reply_subject = true;
  // A reply quotes words (an empty quoted part, a line break alone, is none).
  const bool quotes_words = std::any_of(quoted.body.toks.begin(), quoted.body.toks.end(),
                                        [](const Token& t) { return t.kind == Token::Kind::word; });
  const bool is_reply = quotes_words || reply_subject;
  const std::set<std::string> weekday_words(options.weekday_words.begin(), options.weekday_words.end());
  const auto names_a_day = [&](const Doc& d) {
    return std::any_of(d.toks.begin(), d.toks.end(), [&](const Token& t) {
      return t.kind == Token::Kind::word && weekday_words.count(t.text) != 0;
    });
  };
  // The quoted message arranged a meeting: it asked, offered, moved or took a time, or named a day.
  bool quoted_request = names_a_day(quoted.body);
  for (const char* k : {"request.ask", "request.propose", "request.reschedule", "request.accept"})
    if (!find_all(quoted.body.toks, quoted.body.lang->list(k)).empty()) quoted_request = true;
  for (const char* e : kEvents)
    if (!find_all(quoted.body.toks, quoted.body.lang->list(std::string("event.") + e)).empty() ||
        (reply_subject && !find_all(subject.toks, lang.list(std::string("event.") + e)).empty()))
      quoted_request = true;
  for (const Token& t : quoted.body.toks)
    if (is_punct(t, "?")) quoted_request = true;

  const double unavail = unavailable.positive + accept.negative;
  const double resched_score = resched.positive + 0.5 * resched_subject.positive;
  std::map<std::string, double> w;
  std::string request_note;
  std::size_t rb = kNone, re = kNone;
  const auto cue = [&](const CueCount& c, const char* why) {
    if (c.first_b != kNone) rb = c.first_b, re = c.first_e;
    request_note = why;
  };
  // "Can't make it; would Monday or Tuesday suit you?": the text itself asks for another time.
  const bool asks_again = question && (ask.positive > 0 || propose.positive > 0);
  if (cancel.positive > 0) {
    w["cancel"] = 3;
    // Calling a meeting off and asking now for another time is a move; calling it off with a new date
    // promised for later ("je reviens vers vous pour convenir d'une nouvelle date") is a cancellation.
    // "I have to cancel tomorrow's call. Could we do Thursday at 4pm instead?": moved more than called off
    // (the top, still under the threshold: a person confirms).
    if (resched_score > 0) {
      if (asks_again) w["reschedule"] = 3, w["cancel"] = 1;
      else w["reschedule"] = 0.3;
    }
    cue(cancel, "a cancellation cue");
  } else if (resched_score > 0) {
    w["reschedule"] = 3;
    if (decline.positive > 0) w["decline"] = 0.4;
    if (resched.positive == 0) {
      if (decline.positive > 0 && asks_again)  // the subject says "new date", the text cannot and asks again
        w["reschedule"] = 3.5, w["decline"] = 0.3, w["schedule_new"] = 0.2;
      else  // the subject alone says so
        w["reschedule"] = 2, w["schedule_new"] = 0.4;
    }
    cue(resched.positive > 0 ? resched : decline, "a cue to move a meeting");
  } else if (decline.positive > 0) {
    if (asks_again) {
      w["reschedule"] = 2, w["decline"] = 1;
      cue(decline, "cannot attend, and asks for another time");
    } else {
      w["decline"] = 3, w["cancel"] = 0.3;
      cue(decline, "cannot attend, no new time asked for");
    }
  } else if (is_reply && quoted_request) {
    if (accept.positive > 0 && propose.positive == 0 && unavail == 0) {
      w["accept_proposal"] = 3, w["propose_times"] = 0.4;
      cue(accept, "a reply that takes an offered time");
    } else if (propose.positive > 0 || unavail > 0) {
      w["propose_times"] = 3;
      if (accept.positive > 0) w["accept_proposal"] = 1;
      cue(propose.positive > 0 ? propose : unavailable, "a reply that offers or refuses times");
    } else if (ask.positive > 0) {
      w["schedule_new"] = 1.5, w["propose_times"] = 1;
      cue(ask, "a reply that asks for a meeting");
    } else if (names_a_day(text) && info.positive == 0) {
      // "Thursday the 10th or Friday the 11th, anywhere between 10 and noon": an answer that names days
      // offers them, whatever words carry them ("FYI, we're closed on Friday" informs).
      w["propose_times"] = 3, w["accept_proposal"] = 0.5, w["none"] = 0.3;
      request_note = "a reply that names days";
    } else {
      w["none"] = 2, w["accept_proposal"] = 0.7;
      request_note = "a reply with no scheduling cue";
    }
  } else if (ask.positive > 0 || (question && event_in_text)) {
    w["schedule_new"] = event_in_text || ask.positive > 1 ? 3 : 2;
    w["propose_times"] = 0.2;
    if (ask.positive == 0) w["none"] = 0.5;
    cue(ask, "asks for a meeting");
  } else if (propose.positive > 0 || accept.positive > 0) {
    // "Je vous propose un déjeuner la semaine du 16": offering times for an event named, in a first mail,
    // asks for a new meeting.
    w["schedule_new"] = event_in_text && !is_reply ? 2.5 : 1, w["propose_times"] = 1, w["none"] = 0.8;
    cue(propose.positive > 0 ? propose : accept, "offers or takes a time, but nothing asked for it");
  } else if (!is_reply && info.positive == 0 && !assistant_in_headers.empty() &&
             (event_in_text || !durations_in(text, lang).empty())) {
    // A first mail that copies the assistant and names an event or a length ("Looping in my assistant to
    // find 45 minutes for a follow-up video call") asks for a meeting in words no cue lists: likely, and
    // asked of a person.
    w["schedule_new"] = event_in_text && !durations_in(text, lang).empty() ? 4 : 3, w["none"] = 1;
    request_note = "copies the assistant and names an event or a length";
  } else {
    w["none"] = 3;
    if (event_in_text) w["schedule_new"] = info.positive > 0 ? 0.4 : 0.8;
    request_note = info.positive > 0 ? "a note or thanks, nothing to schedule" : "no scheduling cue";
  }
  sdk::Distribution request_d;
  for (const auto& [k, v] : w) request_d.add(k, v);
  request_d.normalize();
  result.push_back({"request", request_d, span_of(text, rb, re), request_note});
  const double p_none = request_d.p("none");
  const double p_off = request_d.p("cancel") + request_d.p("decline");  // the meeting is off: no length, no place

  // ---- event type ----------------------------------------------------------------------------------
  std::map<std::string, double> ev;
  std::size_t eb = kNone, ee = kNone;
  std::string event_note = "no event cue; a meeting by default";
  {
    double best = 0;
    struct Source {
      const Doc* doc;
      double weight;
    };
    for (const Source& s : {Source{&text, 1.0}, Source{&subject, 0.8}, Source{&quoted.body, 0.6}}) {
      // Every type's cues at once: a cue inside a longer cue of another type is that type's ("call" in
      // "video call", "entrevista" in "entrevista telefónica").
      std::vector<std::pair<const char*, Hit>> hits;
      for (const char* e : kEvents)
        for (const Hit& h : find_all(s.doc->toks, s.doc->lang->list(std::string("event.") + e))) hits.emplace_back(e, h);
      // "the Q3 interview load", "la planification des entretiens" is a topic: an event word right before a
      // topic noun names what is discussed, not the meeting.
      const auto topics = find_all(s.doc->toks, s.doc->lang->list("event.topic"));
      for (const auto& [e, h] : hits) {
        if (std::any_of(topics.begin(), topics.end(), [&](const Hit& t) { return t.begin == h.end; })) continue;
        bool inside = false;
        for (const auto& [e2, o] : hits)
          if (o.begin <= h.begin && h.end <= o.end && (o.end - o.begin) > (h.end - h.begin)) inside = true;
        if (inside) continue;
        const double score = s.weight * h.phrase->weight * event_class(e);
        ev[e] = std::max(ev[e], score);
        if (score > best) {
          best = score;
          event_note = "cue \"" + h.phrase->text + "\"";
          if (s.doc == &text) eb = h.begin, ee = h.end;
          else eb = ee = kNone;
        }
      }
    }
  }
  sdk::Distribution event_d;
  if (ev.empty()) {
    event_d = dist({{"meeting", 0.6}, {"call", 0.15}, {"video_call", 0.15}, {"coffee", 0.05}, {"lunch", 0.05}});
  } else {
    for (const auto& [k, v] : ev) event_d.add(k, v * v);  // sharpen: a strong cue should dominate
    event_d.add("meeting", 0.05);
    event_d.normalize();
  }
  const std::string event_top = event_d.top().value;
  result.push_back({"event_type", mix_none(event_d, p_none), p_none >= 0.5 ? sdk::Span{} : span_of(text, eb, ee),
                    p_none >= 0.5 ? std::string("nothing to schedule") : event_note});

  // ---- duration ------------------------------------------------------------------------------------
  {
    std::vector<Duration> found;
    const Doc* from_doc = nullptr;
    for (const Doc* d : {static_cast<const Doc*>(&text), static_cast<const Doc*>(&quoted.body),
                         static_cast<const Doc*>(&subject)}) {
      found = durations_in(*d, *d->lang);
      if (!found.empty()) {
        from_doc = d;
        break;
      }
    }
    sdk::Distribution d;
    sdk::Span span;
    std::string note;
    if (!found.empty()) {
      std::map<long, double> votes;
      for (std::size_t i = 0; i < found.size(); ++i) votes[std::lround(found[i].minutes)] += i == 0 ? 1.5 : 1.0;
      const double strength = from_doc == &text ? 9.0 : from_doc == &quoted.body ? 6.0 : 5.0;
      for (const auto& [m, v] : votes) d.add(minutes_text(static_cast<double>(m)), v * strength);
      d.add("none", 0.6);
      d.normalize();
      span = span_of(*from_doc, found.front().begin, found.front().end);
      note = std::string("a length in the ") + (from_doc == &text ? "new text" : from_doc == &quoted.body ? "quoted history" : "subject");
    } else {
      const bool moving = request_d.top().value == "reschedule";
      // A moved meeting keeps its length, which the mail may not state: not said, but less sure.
      d = dist({{"none", moving ? 0.6 : 0.85}, {std::to_string(default_minutes(event_top)), moving ? 0.3 : 0.1},
                {"60", moving ? 0.1 : 0.05}});
      note = "no length said";
    }
    result.push_back({"duration", mix_none(d, p_none + p_off), span, note});
  }

  // ---- participants and optional ---------------------------------------------------------------
  std::vector<std::string> attendees;  // required, in order of appearance
  std::vector<std::string> optional;
  std::vector<std::string> doubtful;   // decisions that could go the other way
  std::vector<std::string> arrangers;
  bool unnamed_extra = false;
  {
    std::vector<std::string> candidates;
    const auto push = [](std::vector<std::string>& v, const std::string& a) {
      if (!a.empty() && std::find(v.begin(), v.end(), a) == v.end()) v.push_back(a);
    };
    const auto allowed = [&](const std::string& a) { return !a.empty() && assistant.count(a) == 0; };
    if (allowed(sender)) push(candidates, sender);
    for (const auto& p : msg.to)
      if (allowed(lower_ascii(p.address))) push(candidates, lower_ascii(p.address));
    for (const auto& p : msg.cc)
      if (allowed(lower_ascii(p.address))) push(candidates, lower_ascii(p.address));
    // "Sam mentioned you're in London": someone reported as a source of news is no attendee by that mention.
    const auto reported = [&](const Mention& m) {
      for (const Hit& h : find_all(m.doc->toks, m.doc->lang->list("people.reporting"), m.end,
                                   std::min(m.doc->toks.size(), m.end + 3)))
        if (h.begin <= m.end + 1 && m.doc->sentence[h.begin] == m.doc->sentence[m.begin]) return true;
      return false;
    };
    for (const Mention& m : mentions)
      if (!m.greeting && !reported(m)) push(candidates, people[m.person].address);

    // Optional: people named in a sentence with an optional cue.
    for (const Doc* d : {static_cast<const Doc*>(&text), static_cast<const Doc*>(&quoted.body)}) {
      for (const Hit& h : find_all(d->toks, d->lang->list("people.optional"))) {
        for (const Mention& m : mentions)
          if (m.doc == d && d->sentence[m.begin] == d->sentence[h.begin] && m.begin < h.end && m.end + 3 >= h.begin)
            push(optional, people[m.person].address);
        // "Dana will dial in if her calendar allows, but she's optional": a pronoun just before the cue is
        // the last person named before it in the sentence.
        const auto pronouns = find_all(d->toks, d->lang->list("people.pronoun"), h.begin >= 3 ? h.begin - 3 : 0, h.begin);
        if (pronouns.empty()) continue;
        const Mention* last = nullptr;
        for (const Mention& m : mentions)
          if (m.doc == d && !m.greeting && m.end <= pronouns.front().begin && d->sentence[m.begin] == d->sentence[h.begin])
            last = &m;
        if (last != nullptr) push(optional, people[last->person].address);
      }
    }
    // Arrangers named before an "arranges" cue ("Marta os confirmará", "Sophie can sort out the details").
    std::set<std::string> cue_arrangers;
    for (const Doc* d : {static_cast<const Doc*>(&text), static_cast<const Doc*>(&quoted.body)})
      for (const Hit& h : find_all(d->toks, d->lang->list("people.arranges")))
        for (const Mention& m : mentions)
          if (m.doc == d && m.end <= h.begin && h.begin - m.end <= 4 && d->sentence[m.begin] == d->sentence[h.begin])
            cue_arrangers.insert(people[m.person].address);

    const bool to_assistant_only = to_people.empty();
    for (const std::string& a : candidates) {
      const std::size_t pi = person_index(a);
      std::string role = pi == kNone ? std::string() : people[pi].role;
      // The author's own words: the new text for the sender, the quoted body for the quoted author.
      std::vector<const Doc*> own;
      if (a == sender) own.push_back(&text);
      if (!quoted.author.empty() && a == quoted.author) own.push_back(&quoted.body);
      if (a == sender) role += "\n" + msg.signature;
      // A role may be written in any language ("Asistente de dirección" in an English thread).
      bool is_assistant = false, is_recruiter = false;
      for (const Language* l : all) {
        is_assistant = is_assistant || phrase_in(role, l->list("people.assistant_role"), fold);
        is_recruiter = is_recruiter || phrase_in(role, l->list("people.recruiter_role"), fold);
      }
      bool self = false;
      for (const Doc* d : own)
        if (!find_all(d->toks, d->lang->list("people.self")).empty()) self = true;
      bool third_party = false;
      for (const Mention& m : mentions)
        if (!m.greeting && people[m.person].address != a &&
            std::find(own.begin(), own.end(), m.doc) != own.end())
          third_party = true;
      bool arranger = false;
      if (cue_arrangers.count(a) != 0) arranger = true;
      if (is_assistant && !self) arranger = true;
      if (is_recruiter && !self && third_party && !(a == sender && to_assistant_only)) {
        arranger = true;
        doubtful.push_back(a);
      }
      if (arranger) {
        push(arrangers, a);
        continue;
      }
      if (std::find(optional.begin(), optional.end(), a) != optional.end()) continue;
      push(attendees, a);
      if (pi != kNone && !people[pi].in_headers) {
        bool full = false;
        for (const Mention& m : mentions)
          if (people[m.person].address == a && !m.first_only) full = true;
        if (!full) doubtful.push_back(a);
      }
    }
    for (const std::string& a : arrangers) {
      const auto it = std::find(optional.begin(), optional.end(), a);
      if (it != optional.end()) optional.erase(it);
    }
    // "Someone from the team may come" leaves the attendees open, unless the meeting is off: a stand-in for
    // a declined or cancelled meeting ("alguien puede ir en mi lugar") changes nothing to schedule.
    unnamed_extra = p_off < 0.5 && !find_all(text.toks, lang.list("people.unnamed")).empty();
  }
  const auto joined = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    std::string s;
    for (const auto& a : v) s += (s.empty() ? "" : ",") + a;
    return s.empty() ? std::string("none") : s;
  };
  {
    double top = 0.92;
    top -= 0.08 * static_cast<double>(doubtful.size());
    if (unnamed_extra) top = std::min(top, 0.55);
    if (attendees.size() < 2) top = std::min(top, 0.5);
    top = std::max(top, 0.35);
    sdk::Distribution d;
    d.add(joined(attendees), top);
    std::vector<std::vector<std::string>> alternatives;
    for (const std::string& a : doubtful) {
      auto alt = attendees;
      const auto it = std::find(alt.begin(), alt.end(), a);
      if (it != alt.end()) alt.erase(it);
      else alt.push_back(a);
      alternatives.push_back(alt);
    }
    if (alternatives.empty() && !arrangers.empty()) {
      auto alt = attendees;
      alt.insert(alt.end(), arrangers.begin(), arrangers.end());
      alternatives.push_back(alt);
    }
    if (alternatives.empty() && attendees.size() > 2) {
      auto alt = attendees;
      alt.pop_back();
      alternatives.push_back(alt);
    }
    for (const auto& alt : alternatives) d.add(joined(alt), (1 - top) / static_cast<double>(alternatives.size()));
    if (alternatives.empty()) d.add("none", 1 - top);
    d.normalize();
    std::string note = unnamed_extra ? "someone unnamed will join" : "From, To, Cc and the people named, less the arrangers";
    result.push_back({"participants", mix_none(d, p_none), {}, note});

    sdk::Distribution o;
    if (optional.empty()) {
      o = dist({{"none", 0.92}});
      if (!attendees.empty()) o.add(joined({attendees.back()}), 0.04);
      o.normalize();
    } else {
      o = dist({{joined(optional), 0.75}, {"none", 0.25}});
    }
    result.push_back({"optional", mix_none(o, p_none), {}, optional.empty() ? "no optional cue" : "an optional cue"});
  }

  // Known cities: every data file's and those of every zone in sight.
  std::vector<std::string> cities;
  for (const Language* l : all)
    for (const Phrase& p : l->list("place.cities")) cities.push_back(p.text);
  for (const Known& k : people)
    if (!k.zone.empty()) cities.push_back(zone_city(k.zone));
  if (!msg.sender_zone.empty()) cities.push_back(zone_city(msg.sender_zone));
  const auto city_at = [&](const Doc& d, std::size_t i, std::size_t& e) -> std::string {
    for (const std::string& c : cities) {
      const auto ct = tokenize(c, fold);
      if (ct.empty() || i + ct.size() > d.toks.size()) continue;
      bool ok = d.toks[i].capital;
      for (std::size_t k = 0; ok && k < ct.size(); ++k) ok = d.toks[i + k].text == ct[k].text;
      if (ok) {
        e = i + ct.size();
        return std::string(d.raw(i, e));
      }
    }
    return {};
  };

  // ---- location ------------------------------------------------------------------------------------
  {
    struct Place {
      std::string value;
      double conf = 0;
      std::string note;
      sdk::Span span;
      std::string alternative;  // a shorter reading of the same place ("Atelier Lumière")
      bool from_text = false;
      bool venue = false;       // a venue named in passing ("see you at X"), not an owner's place
    };
    const auto org_for = [&](const std::string& address) {
      const std::size_t i = person_index(address);
      return i == kNone ? std::string() : org_of(people[i].role);
    };
    const auto zone_for = [&](const std::string& address) {
      const std::size_t i = person_index(address);
      return i == kNone ? std::string() : people[i].zone;
    };
    // A sentence that refuses or negates ("Not Wednesday, I'm in Cork all day") says where someone is
    // not available, not where the meeting is.
    const auto refusing = [&](const Doc& d, int sentence) {
      for (const char* k : {"negation", "request.unavailable", "request.decline"})
        for (const Hit& h : find_all(d.toks, d.lang->list(k)))
          if (d.sentence[h.begin] == sentence) return true;
      return false;
    };
    // A city named after a visit word ("in Berlin", "à Paris"): the text, the quoted history, the subject.
    std::string visit_city;
    const Doc* visit_doc = nullptr;
    std::size_t vb = kNone, ve = kNone;
    for (const Doc* d : {static_cast<const Doc*>(&text), static_cast<const Doc*>(&quoted.body),
                         static_cast<const Doc*>(&subject)}) {
      for (const Hit& h : find_all(d->toks, d->lang->list("place.visit_intro"))) {
        std::size_t e = 0;
        const std::string c = city_at(*d, h.end, e);
        if (!c.empty() && !refusing(*d, d->sentence[h.begin])) {
          visit_city = c, visit_doc = d, vb = h.end, ve = e;
          break;
        }
      }
      if (!visit_city.empty()) break;
    }
    const auto address_of = [&](const Doc& d) {
      // The author's address line: the signature for the sender, the quoted body for the quoted author.
      if (&d == &text) {
        auto lines = address_lines(msg.signature, lang, fold);
        if (lines.empty()) lines = address_lines(msg.text, lang, fold);
        return lines;
      }
      return address_lines(d.text, *d.lang, fold);
    };

    // The place a document names, by the first rule that finds one.
    const auto place_in = [&](const Doc& doc) -> Place {
      const Doc* d = &doc;
      const Language& L = *d->lang;
      Place out;
      out.from_text = d == &text;
      // 1. Our own place: "at our office", "zu uns nach München", "en nuestra oficina de Madrid (calle ...)".
      for (const Hit& h : find_all(d->toks, L.list("place.own"))) {
        std::string paren, city;
        std::size_t i = h.end;
        if (i < d->toks.size() && d->sentence[i] == d->sentence[h.begin]) {
          for (const Phrase& p : L.list("place.city_intro")) {  // "de Madrid", "nach München"
            std::size_t e = 0;
            if (match_at(d->toks, i, p, e)) {
              const std::size_t ce = capital_run(*d, e, calendar_words);
              if (ce > e) city = std::string(d->raw(e, ce)), i = ce;
              break;
            }
          }
        }
        if (i < d->toks.size() && is_punct(d->toks[i], "(")) {  // "(calle de Alcalá 120)": a street address
          std::size_t close = i + 1;
          while (close < d->toks.size() && !is_punct(d->toks[close], ")") && close - i < 12) ++close;
          if (close < d->toks.size() && is_punct(d->toks[close], ")")) {
            const std::string inner(d->raw(i + 1, close));
            if (!address_lines(inner, L, fold).empty()) paren = inner;
          }
        }
        if (city.empty() && h.end - h.begin > 2) {  // "our New York office": the city in the phrase's gap
          const std::size_t ce = capital_run(*d, h.begin + 1, calendar_words);
          if (ce > h.begin + 1 && ce < h.end) city = std::string(d->raw(h.begin + 1, ce));
        }
        const std::string owner = d->author.empty() ? sender : d->author;
        const std::string org = org_for(owner);
        const auto lines = address_of(*d);
        std::vector<std::string> parts;
        if (!paren.empty() || lines.empty() || (!city.empty() && lines.front().address.find(city) == std::string::npos)) {
          parts = {org, paren, city};
        } else {
          parts = {lines.front().org.empty() ? org : lines.front().org, lines.front().address};
        }
        std::string v;
        for (const auto& p : parts)
          if (!p.empty()) v += (v.empty() ? "" : ", ") + p;
        if (v.empty()) continue;
        out.value = v, out.conf = 0.72, out.note = "our place: \"" + h.phrase->text + "\"";
        out.span = span_of(*d, h.begin, h.end);
        if (!org.empty() && org != v) out.alternative = org;
        return out;
      }
      // 2. Their place: "zu Ihnen auf die Baustelle" (not "near your office": too vague to name).
      for (const Hit& h : find_all(d->toks, L.list("place.theirs"))) {
        bool vague = false;
        for (const Hit& v : find_all(d->toks, L.list("place.vague"), h.begin >= 3 ? h.begin - 3 : 0, h.begin))
          if (v.end <= h.begin) vague = true;
        if (vague) continue;
        const std::string owner = d == &text ? (to_people.empty() ? std::string() : to_people.front()) : sender;
        const std::string org = org_for(owner);
        if (org.empty()) continue;
        std::string site;
        for (const Hit& x : find_all(d->toks, L.list("place.site_noun"), h.end, std::min(d->toks.size(), h.end + 4)))
          if (d->sentence[x.begin] == d->sentence[h.begin]) {
            site = std::string(d->raw(x.begin, x.end));
            break;
          }
        const std::string city = zone_city(zone_for(owner));
        out.value = (site.empty() ? "" : site + " ") + org + (city.empty() ? "" : ", " + city);
        out.conf = 0.68, out.note = "their place: \"" + h.phrase->text + "\"";
        out.span = span_of(*d, h.begin, h.end);
        out.alternative = org;
        return out;
      }
      // 3. A named office: "at the Palo Alto office".
      for (const Hit& h : find_all(d->toks, L.list("place.place_noun"))) {
        std::size_t b = h.begin;
        while (b > 0 && d->toks[b - 1].kind == Token::Kind::word && d->toks[b - 1].capital &&
               d->sentence[b - 1] == d->sentence[h.begin] && calendar_words.count(d->toks[b - 1].text) == 0)
          --b;
        if (b == h.begin || b == 0 || d->sentence[b - 1] != d->sentence[b]) continue;
        const std::string org = org_for(d->author.empty() ? sender : d->author);
        const std::string named(d->raw(b, h.end));
        out.value = org.empty() ? named : org + ", " + named;
        out.conf = 0.7, out.note = "a named office";
        out.span = span_of(*d, b, h.end);
        return out;
      }
      // 4. A venue after a venue word, in a sentence about meeting: "quedar ... en Lhardy", "au Train Bleu".
      std::set<int> meet_sentences;
      for (const Hit& h : find_all(d->toks, L.list("place.meet"))) meet_sentences.insert(d->sentence[h.begin]);
      for (const Hit& h : find_all(d->toks, L.list("place.venue_intro"))) {
        if (h.end >= d->toks.size()) continue;
        std::size_t ce = 0;
        if (!city_at(*d, h.end, ce).empty()) continue;
        const std::size_t e = capital_run(*d, h.end, calendar_words);
        if (e == h.end || d->sentence[e - 1] != d->sentence[h.begin]) continue;
        // In a sentence about meeting, or named as a venue ("im Gasthaus Zur Linde", "at the Blue Bistro").
        if (meet_sentences.count(d->sentence[h.begin]) == 0 && find_all(d->toks, L.list("place.venue_noun"), h.end, e).empty())
          continue;
        bool person = false;
        for (const Mention& m : mentions)
          if (m.doc == d && m.begin < e && h.end < m.end) person = true;
        if (person) continue;
        std::string venue(d->raw(h.end, e));
        if (!h.phrase->value.empty()) venue = h.phrase->value + " " + venue;
        std::string city = visit_city;
        if (city.empty()) {
          // The subject's city ("Comida en Madrid"), else the sender's.
          for (std::size_t i = 0; i < subject.toks.size() && city.empty(); ++i) {
            std::size_t x = 0;
            city = city_at(subject, i, x);
          }
          if (city.empty()) city = zone_city(msg.sender_zone);
        }
        out.value = venue + (city.empty() || venue.find(city) != std::string::npos ? "" : ", " + city);
        out.conf = 0.74, out.note = "a venue: \"" + std::string(d->raw(h.begin, e)) + "\"";
        out.span = span_of(*d, h.begin, e);
        out.venue = true;
        out.alternative = std::string(d->raw(h.end, e));  // the bare name, for the comparison below
        return out;
      }
      // 5. A named place described as near ("Tallow & Bean on Exmouth Market isn't far from your office",
      // "Le Petit Zinc est à deux pas"): the capitalised name just before the description.
      for (const Hit& h : find_all(d->toks, L.list("place.venue_after"))) {
        std::size_t b = h.begin;
        std::size_t words = 0;
        while (b > 0 && words < 7 && d->sentence[b - 1] == d->sentence[h.begin]) {
          const Token& t = d->toks[b - 1];
          const bool name_word = t.kind == Token::Kind::word && t.capital && calendar_words.count(t.text) == 0;
          const bool joiner = (is_punct(t, "&") || (t.kind == Token::Kind::word && !t.capital && t.text.size() <= 3)) &&
                              b >= 2 && d->toks[b - 2].capital;
          if (!name_word && !joiner) break;
          --b, ++words;
        }
        while (b < h.begin && !d->toks[b].capital) ++b;  // a name starts with a capital
        if (b == h.begin || (b > 0 && d->sentence[b - 1] == d->sentence[b] && !is_punct(d->toks[b - 1], ".") &&
                             d->toks[b - 1].kind == Token::Kind::word && b == h.begin - 1))
          continue;
        std::size_t ce = 0;
        if (!city_at(*d, b, ce).empty() && ce == h.begin) continue;  // "London is close to ..." is a city
        bool person = false;
        for (const Mention& m : mentions)
          if (m.doc == d && m.begin < h.begin && b < m.end) person = true;
        if (person) continue;
        const std::string venue(d->raw(b, h.begin));
        const std::string city = !visit_city.empty() ? visit_city : zone_city(msg.sender_zone);
        out.value = venue + (city.empty() || venue.find(city) != std::string::npos ? "" : ", " + city);
        out.conf = 0.7, out.note = "a place described as near: \"" + std::string(d->raw(b, h.end)) + "\"";
        out.span = span_of(*d, b, h.begin);
        out.venue = true;
        out.alternative = venue;
        return out;
      }
      return out;
    };

    const bool meeting_in_person = in_person(event_top);
    Place place;
    if (meeting_in_person) {
      const Place from_text = place_in(text);
      const Place from_quoted = place_in(quoted.body);
      place = from_text.value.empty() ? from_quoted : from_text;
      // "See you at Finsbury Circus" in the reply names, in passing, the place the quoted message
      // describes in full ("at our office in Finsbury Circus" with the address): the full one.
      if (from_text.venue && !from_quoted.value.empty() && !from_quoted.venue &&
          fold(from_quoted.value).find(fold(from_text.alternative)) != std::string::npos)
        place = from_quoted;
      if (place.venue) place.alternative = place.value.substr(0, place.value.find(", "));
      // A move's city explains the absence ("ich muss am Donnerstag nach Hamburg"): the meeting stays where
      // it was, so a visit names no place for a reschedule.
      if (place.value.empty() && !visit_city.empty() && request_d.p("reschedule") < 0.5) {
        // A visit in the mail's words ("I'm in Berlin on the 17th and 18th", "Oliver will be in New York
        // that week") next to an in-person meeting is where it happens, as reliably as "at our office"; a
        // city only the subject names is weaker evidence.
        place.value = visit_city, place.conf = visit_doc == &subject ? 0.62 : 0.72;
        place.note = "the city the meeting happens in";
        if (visit_doc == &text) place.span = span_of(text, vb, ve);
      }
    }
    if (place.value.empty()) {
      const bool video = !find_all(text.toks, lang.list("place.video")).empty() ||
                         !find_all(quoted.body.toks, quoted.body.lang->list("place.video")).empty();
      if (video && meeting_in_person) place.value = "video", place.conf = 0.8, place.note = "held by video";
    }
    sdk::Distribution d;
    if (place.value.empty()) {
      d.add("none", meeting_in_person ? 0.75 : 0.9);
      if (!visit_city.empty()) d.add(visit_city, 0.15);
      else if (meeting_in_person && !msg.sender_zone.empty()) d.add(zone_city(msg.sender_zone), 0.1);
      place.note = "no place named";
    } else {
      d.add(place.value, place.conf);
      if (!place.alternative.empty() && place.alternative != place.value) d.add(place.alternative, (1 - place.conf) * 0.6);
      d.add("none", (1 - place.conf) * (place.alternative.empty() ? 1.0 : 0.4));
    }
    d.normalize();
    result.push_back({"location", mix_none(d, p_none + p_off), p_none + p_off >= 0.5 ? sdk::Span{} : place.span,
                      place.note});
  }

  // ---- sessions (interview loops) ------------------------------------------------------------------
  if (event_top == "interview" && p_none < 0.5) {
    const Doc* d = &text;
    const auto loops = find_all(d->toks, lang.list("sessions.loop"));
    const auto orders = find_all(d->toks, lang.list("sessions.order"));
    std::map<int, int> order_count;
    for (const Hit& h : orders) ++order_count[d->sentence[h.begin]];
    int best_sentence = -1, best = 0;
    for (const auto& [s, n] : order_count)
      if (n > best) best = n, best_sentence = s;
    if (best_sentence >= 0 && (best >= 2 || !loops.empty())) {
      std::vector<std::string> sessions;
      std::set<std::size_t> first_person;
      for (const Hit& h : find_all(d->toks, lang.list("people.first_person")))
        if (d->sentence[h.begin] == best_sentence) first_person.insert(h.begin);
      for (std::size_t i = 0; i < d->toks.size(); ++i) {
        if (d->sentence[i] != best_sentence) continue;
        if (first_person.count(i) != 0 && std::find(sessions.begin(), sessions.end(), sender) == sessions.end())
          sessions.push_back(sender);
        for (const Mention& m : mentions)
          if (m.doc == d && m.begin == i) {
            const std::string& a = people[m.person].address;
            if (std::find(sessions.begin(), sessions.end(), a) == sessions.end() && assistant.count(a) == 0)
              sessions.push_back(a);
          }
      }
      if (sessions.size() >= 2) {
        // Each session lasts the length said (each interview's), else the interview default.
        std::string minutes = "45";
        for (const auto& v : result)
          if (v.name == "duration" && v.distribution.top().value != "none") minutes = v.distribution.top().value;
        std::string value;
        for (const auto& a : sessions) value += (value.empty() ? "" : ",") + a + ":" + minutes;
        const double conf = best >= 2 ? 0.8 : 0.65;
        sdk::Distribution s = dist({{value, conf}, {"none", 1 - conf}});
        result.push_back({"sessions", s, {}, "interviewers in the order named"});
        result.push_back({"sessions.order", dist({{best >= 2 ? "fixed" : "free", 0.8}, {best >= 2 ? "free" : "fixed", 0.2}}),
                          {}, best >= 2 ? "order words (first, then)" : "no order said"});
      }
    }
  }

  // ---- when: a time tied to something the mail does not date ---------------------------------------
  // "Coffee with Ben when he's in town", "wenn ich wieder zurück bin", "quand tu seras de passage à Paris":
  // the meeting waits for an event whose dates the mail does not give. Whether any time in the coming
  // weeks will do, or the sender must first say when, is a question for a person. A mail that names days,
  // dates or weeks anywhere in its new text dates the event itself, and a clause that names them ("when
  // he's back next week") is no question.
  if (p_none + p_off < 0.5) {
    const Doc& d = text;
    bool dated = !find_all(d.toks, lang.list("when.dated")).empty();
    for (const Token& t : d.toks) dated = dated || (t.kind == Token::Kind::word && calendar_words.count(t.text) != 0);
    const auto breaks = find_all(d.toks, lang.list("clause_break"));
    for (const Hit& h : dated ? std::vector<Hit>{} : find_all(d.toks, lang.list("when.intro"))) {
      // The clause: up to the next punctuation mark, line break or clause word, at most ten words.
      std::size_t e = h.end;
      const auto breaks_at = [&](std::size_t i) {
        return std::any_of(breaks.begin(), breaks.end(), [&](const Hit& b) { return b.begin == i; });
      };
      while (e < d.toks.size() && e - h.end < 10 && d.toks[e].kind != Token::Kind::punct &&
             d.toks[e].kind != Token::Kind::newline && !breaks_at(e))
        ++e;
      bool presence = !find_all(d.toks, lang.list("when.presence"), h.end, e).empty();
      // "when you're in Paris": a visit word before a known city (the data files' and the people's zones').
      for (const Hit& v : find_all(d.toks, lang.list("place.visit_intro"), h.end, e)) {
        std::size_t ce = 0;
        if (v.end < e && !city_at(d, v.end, ce).empty() && ce <= e) presence = true;
      }
      if (!presence) continue;
      const std::string words(d.raw(h.begin, e));
      result.push_back({"when", dist({{"open", 0.55}, {"ask", 0.45}}), span_of(d, h.begin, e),
                        "the time hangs on \"" + words + "\", which the mail does not date"});
      break;
    }
  }
  return result;
}

}  // namespace tandem::plugins::intent
