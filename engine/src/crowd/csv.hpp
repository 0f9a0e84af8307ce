// Internal: an RFC 4180 CSV reader, and the crowd tables tandem reads with it (answers `task,worker,label`,
// gold `task,label`). Header-only because both the engine-side unit tests and the CLI (which links only
// the engine's public API) use it.
//
// CSV as RFC 4180 writes it: fields separated by commas, records by CRLF or LF (a lone CR counts as a
// line break too); a field may be quoted ("..."), and then holds commas, line breaks and doubled quotes
// (""). Stricter than some readers, on purpose, so that a damaged file is reported rather than guessed:
// a quote inside an unquoted field, text after a closing quote and a quoted field left open at the end of
// the input are errors. Blank lines are skipped (they are not records). A UTF-8 byte-order mark at the
// start is dropped. Bytes are kept as they are (no encoding check).
//
// Thread-safety: a CsvReader is used from one thread. Ownership: it holds a string_view of the text it
// reads, which must outlive it.
#ifndef TANDEM_ENGINE_CROWD_CSV_HPP_
#define TANDEM_ENGINE_CROWD_CSV_HPP_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::crowd {

// One record, or what is wrong with it.
struct CsvRecord {
  std::vector<std::string> fields;
  std::size_t line = 0;   // the line the record starts on, 1-based
  std::string error;      // "" for a good record; else "column C: what" (fields then hold what was read)
  bool ok() const noexcept { return error.empty(); }
};

class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : s_(text) {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = line_start_ = 3;
  }

  // Reads the next record into `out`; false when the input is exhausted. A malformed record is returned
  // with `error` set, and reading goes on at the next line (after an unterminated quote there is none).
  bool next(CsvRecord& out) {
    for (auto& f : out.fields) f.clear();
    std::size_t n_fields = 0;
    out.error.clear();
    while (pos_ < s_.size() && (s_[pos_] == '\n' || s_[pos_] == '\r')) end_line();  // blank lines
    if (pos_ >= s_.size()) return false;
    out.line = line_;
    const auto field = [&]() -> std::string& {
      if (n_fields == out.fields.size()) out.fields.emplace_back();
      return out.fields[n_fields++];
    };
    for (;;) {
      std::string& f = field();
      if (pos_ < s_.size() && s_[pos_] == '"') {
        const std::size_t open_line = line_, open_column = column();
        ++pos_;
        for (;;) {
          const std::size_t quote = s_.find('"', pos_);
          if (quote == std::string_view::npos) {
            f.append(s_.substr(pos_));
            count_lines(pos_, s_.size());
            pos_ = s_.size();
            out.error = "column " + std::to_string(open_column) + ": a quoted field opened" +
                        (open_line == out.line ? std::string() : " on line " + std::to_string(open_line)) +
                        " is never closed (the rest of the file was read as part of it)";
            out.fields.resize(n_fields);
            return true;
          }
          f.append(s_.substr(pos_, quote - pos_));
          count_lines(pos_, quote);
          pos_ = quote + 1;
          if (pos_ < s_.size() && s_[pos_] == '"') {  // a doubled quote stands for one
            f.push_back('"');
            ++pos_;
            continue;
          }
          break;
        }
        if (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != '\n' && s_[pos_] != '\r') {
          out.error = "column " + std::to_string(column()) +
                      ": text after a closing quote (inside a quoted field, write a quote as \"\")";
          skip_rest_of_line();
          out.fields.resize(n_fields);
          return true;
        }
      } else {
        std::size_t end = pos_;
        while (end < s_.size() && s_[end] != ',' && s_[end] != '\n' && s_[end] != '\r') ++end;
        const std::size_t quote = s_.substr(pos_, end - pos_).find('"');
        if (quote != std::string_view::npos) {
          pos_ += quote;
          out.error = "column " + std::to_string(column()) +
                      ": a quote inside an unquoted field (quote the whole field and write the quote as \"\")";
          skip_rest_of_line();
          out.fields.resize(n_fields);
          return true;
        }
        f.assign(s_.substr(pos_, end - pos_));
        pos_ = end;
      }
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size()) end_line();
      out.fields.resize(n_fields);
      return true;
    }
  }

  // The line the reader is on (1-based): after the last record, the line that follows it.
  std::size_t line() const noexcept { return line_; }

 private:
  std::size_t column() const noexcept { return pos_ - line_start_ + 1; }
  // Consumes one line break (CRLF, LF or CR) at pos_.
  void end_line() noexcept {
    if (s_[pos_] == '\r' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
    line_start_ = pos_;
  }
  void skip_rest_of_line() noexcept {
    while (pos_ < s_.size() && s_[pos_] != '\n' && s_[pos_] != '\r') ++pos_;
    if (pos_ < s_.size()) end_line();
  }
  // Counts the line breaks in [from, to) (inside a quoted field).
  void count_lines(std::size_t from, std::size_t to) noexcept {
    for (std::size_t i = from; i < to; ++i) {
      if (s_[i] == '\n' || (s_[i] == '\r' && (i + 1 >= s_.size() || s_[i + 1] != '\n'))) {
        ++line_;
        line_start_ = i + 1;
      }
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
};

// Appends `field` to `out` as one CSV field: as it is, or quoted (quotes doubled) when it holds a comma,
// a quote or a line break.
inline void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (const char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace tandem::crowd

#endif  // TANDEM_ENGINE_CROWD_CSV_HPP_
