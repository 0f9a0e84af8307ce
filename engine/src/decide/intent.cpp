// tandem::resolve_intent (tandem/intent.hpp): annotations and settled answers to one SchedulingIntent.
#include "tandem/intent.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <date/date.h>

#include "util/ascii.hpp"

namespace tandem {
namespace {

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  const auto r = std::from_chars(s.data() + at, s.data() + at + n, out);
  return r.ec == std::errc() && r.ptr == s.data() + at + n;
}

// "YYYY-MM-DDTHH:MM"
std::optional<local_minutes> wall_time(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  if (s.size() != 16 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':') return std::nullopt;
  if (!digits(s, 0, 4, y) || !digits(s, 5, 2, mo) || !digits(s, 8, 2, d) || !digits(s, 11, 2, h) ||
      !digits(s, 14, 2, mi))
    return std::nullopt;
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)}, date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 24 || mi > 59 || (h == 24 && mi != 0)) return std::nullopt;
  return local_minutes{date::local_days{ymd}.time_since_epoch()} + std::chrono::hours(h) + std::chrono::minutes(mi);
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from <= s.size()) {
    const std::size_t at = std::min(s.find(sep, from), s.size());
    std::string item(s.substr(from, at - from));
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(std::move(item));
    from = at + 1;
  }
  return out;
}

bool is_none(std::string_view v) { return v.empty() || v == "none"; }

// "time[12].value" -> 12 and "value"
bool time_variable(std::string_view name, std::size_t& index, std::string_view& field) {
  constexpr std::string_view kPrefix = "time[";
  if (name.substr(0, kPrefix.size()) != kPrefix) return false;
  const std::size_t close = name.find("].", kPrefix.size());
  if (close == std::string_view::npos) return false;
  const auto r = std::from_chars(name.data() + kPrefix.size(), name.data() + close, index);
  if (r.ec != std::errc() || r.ptr != name.data() + close) return false;
  field = name.substr(close + 2);
  return true;
}

}  // namespace

bool parse_time_value(std::string_view value, std::optional<local_minutes>& start, std::optional<local_minutes>& end) {
  const std::size_t slash = value.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view a = value.substr(0, slash), b = value.substr(slash + 1);
  start.reset();
  end.reset();
  if (a.empty() && b.empty()) return false;
  if (!a.empty() && !(start = wall_time(a))) return false;
  if (!b.empty() && !(end = wall_time(b))) return false;
  return !(start && end && *end < *start);
}

SchedulingIntent resolve_intent(const sdk::Message& message, const std::vector<sdk::Annotation>& annotations,
                                const SettledValues& settled) {
  SchedulingIntent out;
  out.zone = message.sender_zone;
  // Each variable's value: settled by people, else the model's top candidate; and that probability.
  const auto value_of = [&](const sdk::Annotation& a) -> std::pair<std::string, double> {
    if (auto it = settled.find(a.variable.name); it != settled.end()) {
      double p = 1;
      for (const auto& c : a.variable.distribution.candidates())
        if (c.value == it->second) p = std::max(p, c.p);
      return {it->second, p};
    }
    if (a.variable.distribution.empty()) return {"", 0};
    return {a.variable.distribution.top().value, a.variable.distribution.top_p()};
  };

  std::map<std::size_t, TimeItem> times;
  std::optional<TimeItem> when_window;  // the dates a person gave for `when`
  for (const sdk::Annotation& a : annotations) {
    const std::string& name = a.variable.name;
    const auto [value, p] = value_of(a);
    std::size_t index = 0;
    std::string_view field;
    if (time_variable(name, index, field)) {
      TimeItem& item = times[index];
      if (field == "value") {
        if (!parse_time_value(value, item.start, item.end)) {
          out.problems.push_back(name + ": \"" + value + "\" is not a time reading (START/END)");
          times.erase(index);
          continue;
        }
        item.confidence = p;
        item.readings = a.variable.distribution.candidates();
        item.span = a.span;
        if (!a.span.empty() && a.span.end <= message.text.size()) item.text = std::string(a.span.of(message.text));
      } else if (field == "polarity") {
        item.polarity = value;
        item.polarity_confidence = p;
      }
      continue;
    }
    if (name == "request") out.request = value;
    else if (name == "event_type") out.event_type = is_none(value) ? "" : value;
    else if (name == "duration") {
      if (!is_none(value)) {
        int minutes = 0;
        const auto r = std::from_chars(value.data(), value.data() + value.size(), minutes);
        if (r.ec == std::errc() && r.ptr == value.data() + value.size() && minutes > 0) out.duration_minutes = minutes;
        else out.problems.push_back("duration: \"" + value + "\" is not a number of minutes");
      }
    } else if (name == "location") out.location = is_none(value) ? "" : value;
    else if (name == "participants" || name == "optional") {
      std::vector<std::string>& list = name == "participants" ? out.participants : out.optional;
      list.clear();
      if (!is_none(value))
        for (const std::string& e : split(value, ',')) list.push_back(util::lower_ascii(e));
    } else if (name == "sessions") {
      out.sessions.clear();
      if (is_none(value)) continue;
      for (const std::string& item : split(value, ',')) {
        const std::size_t colon = item.rfind(':');
        Session s;
        if (colon == std::string::npos ||
            std::from_chars(item.data() + colon + 1, item.data() + item.size(), s.minutes).ec != std::errc() ||
            s.minutes <= 0) {
          out.problems.push_back("sessions: \"" + item + "\" is not ADDRESS:MINUTES");
          out.sessions.clear();
          break;
        }
        for (const std::string& e : split(std::string_view(item).substr(0, colon), '+')) s.with.push_back(util::lower_ascii(e));
        out.sessions.push_back(std::move(s));
      }
    } else if (name == "sessions.order") {
      out.fixed_order = value != "free";
    } else if (name == "when") {
      if (!a.span.empty() && a.span.end <= message.text.size()) out.when_text = std::string(a.span.of(message.text));
      if (value == "ask") {
        out.dates_unknown = true;
      } else if (value != "open" && !is_none(value)) {
        TimeItem item;
        if (!parse_time_value(value, item.start, item.end)) {
          out.problems.push_back("when: \"" + value + "\" is neither open, ask nor a time reading (START/END)");
          continue;
        }
        item.polarity = "positive";
        item.confidence = item.polarity_confidence = p;
        item.readings = {{value, 1.0}};
        item.text = out.when_text;
        when_window = std::move(item);
      }
    }
  }
  for (auto& [index, item] : times) {
    if (!item.start && !item.end) continue;  // a polarity whose value was missing
    if (item.polarity.empty()) item.polarity = "positive";
    out.times.push_back(std::move(item));
  }
  if (when_window) out.times.push_back(std::move(*when_window));
  return out;
}

}  // namespace tandem
