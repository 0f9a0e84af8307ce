// Internal: the lines of an iCalendar text as written, so that every problem libical or the calendar layer
// finds can name its line. libical's parser counts no lines; this scan unfolds the text the same way
// (RFC 5545 §3.1: a line starting with a space or a tab continues the one before), remembers where each
// logical line starts, and checks the BEGIN/END structure.
//
// Thread-safety: plain values. Ownership: the scan copies what it keeps.
#ifndef TANDEM_ENGINE_CALENDAR_ICS_SCAN_HPP_
#define TANDEM_ENGINE_CALENDAR_ICS_SCAN_HPP_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::detail::calendar {

struct ScanLine {
  std::size_t line = 0;  // 1-based physical line where the logical line starts
  std::string name;      // the property name, upper-cased ("DTSTART", "X-FOO")
  std::string text;      // the unfolded logical line
};

// One BEGIN ... END, in the order of their BEGIN lines (pre-order), as libical builds its tree.
struct ScanComponent {
  std::string kind;        // "VEVENT", upper-cased
  std::size_t begin_line = 0;
  std::size_t depth = 0;   // 0 for a top-level component
  std::vector<ScanLine> properties;  // its own property lines, not those of nested components
  // For each property name, the line of each value libical makes a property of: a line of a property
  // libical splits at commas (EXDATE, RDATE, FREEBUSY, CATEGORIES, RESOURCES) counts once per value.
  std::map<std::string, std::vector<std::size_t>> value_lines;
};

struct ScanProblem {
  std::size_t line = 0;
  std::string property;  // "BEGIN", "END", or the name read on the line
  std::string what;
};

struct Scan {
  std::vector<ScanComponent> components;
  std::vector<ScanProblem> problems;  // structure problems; empty when the text is well formed
};

Scan scan_ics(std::string_view text);

// The value of a logical line: what follows the first ':' outside double quotes ("" when there is none).
std::string_view line_value(std::string_view line);

}  // namespace tandem::detail::calendar

#endif  // TANDEM_ENGINE_CALENDAR_ICS_SCAN_HPP_
