#include "calendar/ics_scan.hpp"

#include <algorithm>
#include <cctype>

namespace tandem::detail::calendar {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Where the property name ends: the first ';' or ':' (npos when neither).
std::size_t name_end(std::string_view line) { return line.find_first_of(";:"); }

bool splits_at_commas(std::string_view name) {
  return name == "EXDATE" || name == "RDATE" || name == "FREEBUSY" || name == "CATEGORIES" || name == "RESOURCES";
}

// Values in a comma-separated list; a backslash escapes the next character.
std::size_t value_count(std::string_view value) {
  std::size_t n = 1;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\') ++i;
    else if (value[i] == ',') ++n;
  }
  return n;
}

bool valid_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
}

}  // namespace

std::string_view line_value(std::string_view line) {
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    else if (line[i] == ':' && !quoted) return line.substr(i + 1);
  }
  return {};
}

Scan scan_ics(std::string_view text) {
  Scan scan;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 BOM

  // Unfold into logical lines, each with the physical line it starts on.
  std::vector<ScanLine> lines;
  std::size_t physical = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++physical;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t') && !lines.empty()) {
      lines.back().text.append(raw.substr(1));
      continue;
    }
    if (raw.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank: libical skips it too
    lines.push_back(ScanLine{physical, {}, std::string(raw)});
  }

  std::vector<std::size_t> open;  // indices into scan.components
  for (ScanLine& l : lines) {
    const std::size_t end = name_end(l.text);
    l.name = upper(std::string_view(l.text).substr(0, end == std::string_view::npos ? l.text.size() : end));
    if (end == std::string_view::npos || !valid_name(l.name)) {
      scan.problems.push_back({l.line, "content line",
                               "\"" + l.text.substr(0, 60) + "\" is not NAME[;PARAM=...]:VALUE"});
      continue;
    }
    if (l.name == "BEGIN" || l.name == "END") {
      const std::string kind = upper(line_value(l.text));
      if (l.name == "BEGIN") {
        if (kind.empty() || !valid_name(kind)) {
          scan.problems.push_back({l.line, "BEGIN", "no component name"});
          continue;
        }
        if (open.empty() && kind != "VCALENDAR") {
          scan.problems.push_back({l.line, "BEGIN", "expected BEGIN:VCALENDAR first, got BEGIN:" + kind});
          return scan;
        }
        open.push_back(scan.components.size());
        scan.components.push_back(ScanComponent{kind, l.line, open.size() - 1, {}, {}});
      } else {
        if (open.empty()) {
          scan.problems.push_back({l.line, "END", "END:" + kind + " without a BEGIN"});
          return scan;
        }
        const ScanComponent& c = scan.components[open.back()];
        if (c.kind != kind) {
          scan.problems.push_back({l.line, "END",
                                   "END:" + kind + " closes BEGIN:" + c.kind + " of line " + std::to_string(c.begin_line)});
          return scan;
        }
        open.pop_back();
      }
      continue;
    }
    if (open.empty()) {
      scan.problems.push_back({l.line, l.name, "a property outside BEGIN:VCALENDAR ... END:VCALENDAR"});
      continue;
    }
    ScanComponent& c = scan.components[open.back()];
    const std::size_t n = splits_at_commas(l.name) ? value_count(line_value(l.text)) : 1;
    auto& slots = c.value_lines[l.name];
    slots.insert(slots.end(), n, l.line);
    c.properties.push_back(std::move(l));
  }
  if (!open.empty()) {
    const ScanComponent& c = scan.components[open.back()];
    scan.problems.push_back({c.begin_line, "BEGIN", "BEGIN:" + c.kind + " has no END:" + c.kind});
  }
  if (scan.components.empty() && scan.problems.empty())
    scan.problems.push_back({1, "BEGIN", "not an iCalendar text (no BEGIN:VCALENDAR)"});
  return scan;
}

}  // namespace tandem::detail::calendar
