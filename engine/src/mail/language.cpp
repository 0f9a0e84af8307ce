#include "mail/language.hpp"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <array>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tandem::detail::mail {
namespace {

// Frequent function words and the words of scheduling mail, lower case. A word may belong to several
// languages ("a", "de"); it then counts for each.
struct Words {
  const char* language;
  const char* words;  // space-separated
};
constexpr std::array<Words, 7> kWords{{
    {"en", "the and you i we is are to of for it this that with on at be can could would will not but "
           "next week meet meeting call lunch coffee tomorrow today monday tuesday wednesday thursday friday "
           "free available works let me my your our how about thanks please hi hello"},
    {"de", "der die das und ich du wir sie ist sind nicht mit am um bei für können könnten würde wäre "
           "nächste nächsten woche treffen termin anruf mittagessen kaffee morgen heute montag dienstag "
           "mittwoch donnerstag freitag zeit passt geht uns mir dir hallo danke bitte gern gerne"},
    {"fr", "le la les et je tu nous vous est sont pas avec à au pour une un des du que qui "
           "prochaine prochain semaine réunion rendez-vous appel déjeuner café demain aujourd'hui lundi "
           "mardi mercredi jeudi vendredi disponible libre bonjour merci pourrions pouvons peux"},
    {"es", "el la los las y yo tú nosotros usted es son no con en para una un que del al "
           "próxima próximo semana reunión cita llamada almuerzo comida café mañana hoy lunes martes "
           "miércoles jueves viernes libre disponible hola gracias podemos quedamos puedes"},
    {"it", "il lo la gli le e io noi voi è sono non con per una un che del della "
           "prossima prossimo settimana riunione chiamata pranzo caffè domani oggi lunedì martedì "
           "mercoledì giovedì venerdì libero disponibile ciao grazie possiamo"},
    {"nl", "de het een en ik jij wij we u is zijn niet met op om voor dat van "
           "volgende week vergadering afspraak bellen lunch koffie morgen vandaag maandag dinsdag "
           "woensdag donderdag vrijdag vrij beschikbaar hallo bedankt kunnen"},
    {"pt", "o a os as e eu nós você é são não com em para uma um que do da ao "
           "próxima próximo semana reunião chamada almoço café amanhã hoje segunda terça quarta quinta "
           "sexta livre disponível olá obrigado obrigada podemos"},
}};

const std::unordered_map<std::string, std::vector<std::size_t>>& lexicon() {
  static const auto table = [] {
    std::unordered_map<std::string, std::vector<std::size_t>> t;
    for (std::size_t i = 0; i < kWords.size(); ++i) {
      const std::string_view all = kWords[i].words;
      std::size_t start = 0;
      while (start < all.size()) {
        std::size_t end = all.find(' ', start);
        if (end == std::string_view::npos) end = all.size();
        if (end > start) t[std::string(all.substr(start, end - start))].push_back(i);
        start = end + 1;
      }
    }
    return t;
  }();
  return table;
}

}  // namespace

sdk::Distribution detect_language(std::string_view text) {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> words(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || !words) return {};
  words->setText(u);
  std::array<std::set<std::string>, kWords.size()> seen;
  const auto& table = lexicon();
  int32_t start = words->first();
  for (int32_t end = words->next(); end != icu::BreakIterator::DONE; start = end, end = words->next()) {
    if (words->getRuleStatus() < UBRK_WORD_LETTER || words->getRuleStatus() >= UBRK_WORD_IDEO_LIMIT) continue;
    icu::UnicodeString w = u.tempSubStringBetween(start, end);
    w.toLower(icu::Locale::getRoot());
    std::string key;
    w.toUTF8String(key);
    // "aujourd'hui" is one word to a person; the break iterator keeps it whole as well.
    if (auto it = table.find(key); it != table.end())
      for (std::size_t lang : it->second) seen[lang].insert(key);
  }
  std::size_t total = 0;
  for (const auto& s : seen) total += s.size();
  if (total == 0) return {};
  std::vector<sdk::Candidate> out;
  for (std::size_t i = 0; i < kWords.size(); ++i)
    out.push_back({kWords[i].language, static_cast<double>(seen[i].size()) + 0.5});  // smoothed
  return sdk::Distribution(std::move(out));
}

}  // namespace tandem::detail::mail
