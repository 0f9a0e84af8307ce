// Internal: the crowd tables `tandem aggregate` reads — answers (`task,worker,label`) and gold
// (`task,label`) — with one error line per bad row. Header-only, as csv.hpp (the CLI links only the
// engine's public API).
//
// A table starts with a header naming its columns, each exactly once, in any order. A row must have one
// field per column and no empty field. Policy (nothing accepted is lost, nothing is guessed): a bad
// header makes the whole file unusable; a bad row is reported ("FILE:LINE: error: ...") and left out,
// and every other row is still used.
//
// Thread-safety: plain functions. Ownership: callers own everything passed and returned.
#ifndef TANDEM_ENGINE_CROWD_TABLES_HPP_
#define TANDEM_ENGINE_CROWD_TABLES_HPP_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "crowd/csv.hpp"
#include "tandem/sdk/config.hpp"

namespace tandem::crowd {

// What reading a table found wrong: one "FILE:LINE: error: ..." line each, in file order.
struct TableReport {
  bool header_ok = false;     // false: nothing was read (the errors say why)
  std::size_t rows = 0;       // good rows passed on
  std::vector<std::string> errors;
};

// Reads `text` (the contents of `file`) as a table with exactly `columns`; calls
// `on_row(values, line)` for each good row with its values in the order of `columns`. `on_row` returns ""
// when it took the row, or why it refused it (reported at the row's line, like the reader's own errors).
template <typename OnRow>
TableReport read_table(std::string_view text, const std::string& file, const std::vector<std::string>& columns,
                       OnRow&& on_row) {
  TableReport report;
  std::string expected;
  for (const auto& c : columns) expected += (expected.empty() ? "" : ",") + c;
  const auto error = [&](std::size_t line, const std::string& what) {
    report.errors.push_back(file + ":" + std::to_string(line) + ": error: " + what);
  };
  CsvReader reader(text);
  CsvRecord rec;
  if (!reader.next(rec)) {
    error(1, "the file is empty; expected a header line \"" + expected + "\"");
    return report;
  }
  if (!rec.ok()) {
    error(rec.line, rec.error);
    return report;
  }
  // Where each wanted column is in the file.
  std::vector<std::size_t> at(columns.size(), static_cast<std::size_t>(-1));
  std::size_t bad = 0;
  for (std::size_t i = 0; i < rec.fields.size(); ++i) {
    const std::string& name = rec.fields[i];
    std::size_t found = columns.size();
    for (std::size_t c = 0; c < columns.size(); ++c)
      if (columns[c] == name) found = c;
    if (found == columns.size()) {
      ++bad;
      error(rec.line, "column " + std::to_string(i + 1) + ": unknown column \"" + name + "\"" +
                          sdk::did_you_mean(name, columns) + "; the header must be \"" + expected +
                          "\" (in any order)");
    } else if (at[found] != static_cast<std::size_t>(-1)) {
      ++bad;
      error(rec.line, "column " + std::to_string(i + 1) + ": the column \"" + name + "\" appears twice");
    } else {
      at[found] = i;
    }
  }
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (at[c] == static_cast<std::size_t>(-1)) {
      ++bad;
      error(rec.line, "no column \"" + columns[c] + "\"; the header must be \"" + expected + "\" (in any order)");
    }
  if (bad > 0) return report;
  report.header_ok = true;

  std::vector<std::string_view> values(columns.size());
  while (reader.next(rec)) {
    if (!rec.ok()) {
      error(rec.line, rec.error);
      continue;
    }
    if (rec.fields.size() != columns.size()) {
      error(rec.line, std::to_string(rec.fields.size()) + (rec.fields.size() == 1 ? " field" : " fields") +
                          ", expected " + std::to_string(columns.size()) + " (" + expected + ")");
      continue;
    }
    std::size_t empty = columns.size();
    for (std::size_t c = 0; c < columns.size(); ++c) {
      values[c] = rec.fields[at[c]];
      if (values[c].empty() && empty == columns.size()) empty = c;
    }
    if (empty < columns.size()) {
      error(rec.line, "column " + std::to_string(at[empty] + 1) + ": the " + columns[empty] + " is empty");
      continue;
    }
    std::string refused = on_row(values, rec.line);
    if (!refused.empty()) {
      error(rec.line, refused);
      continue;
    }
    ++report.rows;
  }
  return report;
}

}  // namespace tandem::crowd

#endif  // TANDEM_ENGINE_CROWD_TABLES_HPP_
