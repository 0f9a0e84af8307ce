// The RFC 4180 reader and the crowd tables of engine/src/crowd (header-only; the CLI uses them).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crowd/csv.hpp"
#include "crowd/tables.hpp"

namespace tandem::crowd {
namespace {

struct Read {
  std::vector<std::string> fields;
  std::size_t line;
  std::string error;
};

std::vector<Read> read_all(std::string_view text) {
  CsvReader reader(text);
  CsvRecord rec;
  std::vector<Read> out;
  while (reader.next(rec)) out.push_back({rec.fields, rec.line, rec.error});
  return out;
}

TEST(CsvReader, ReadsQuotedFieldsDoubledQuotesAndLineBreaks) {
  const auto r = read_all("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\nlast,\"\",end");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].fields, (std::vector<std::string>{"a", "b,c", "say \"hi\""}));
  EXPECT_EQ(r[0].line, 1u);
  EXPECT_EQ(r[1].fields, (std::vector<std::string>{"two\nlines", "", "x"}));
  EXPECT_EQ(r[1].line, 2u);
  EXPECT_EQ(r[2].fields, (std::vector<std::string>{"last", "", "end"}));
  EXPECT_EQ(r[2].line, 4u);  // the quoted line break moved the count on
  for (const auto& x : r) EXPECT_EQ(x.error, "");
}

TEST(CsvReader, SkipsBlankLinesAndAByteOrderMarkKeepsTrailingEmptyFields) {
  const auto r = read_all("\xEF\xBB\xBFtask,label\r\n\r\n\n1,a,\n\r\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].fields, (std::vector<std::string>{"task", "label"}));
  EXPECT_EQ(r[1].fields, (std::vector<std::string>{"1", "a", ""}));
  EXPECT_EQ(r[1].line, 4u);
}

TEST(CsvReader, ReportsDamageAndGoesOnAtTheNextLine) {
  const auto r = read_all("a,b\"c\n\"x\"y,z\nok,1\n\"open,2\nnever closed");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].error, "column 4: a quote inside an unquoted field (quote the whole field and write the quote as \"\")");
  EXPECT_EQ(r[1].line, 2u);
  EXPECT_EQ(r[1].error, "column 4: text after a closing quote (inside a quoted field, write a quote as \"\")");
  EXPECT_EQ(r[2].fields, (std::vector<std::string>{"ok", "1"}));
  EXPECT_EQ(r[2].error, "");
  EXPECT_EQ(r[3].line, 4u);
  EXPECT_EQ(r[3].error, "column 1: a quoted field opened is never closed (the rest of the file was read as part of it)");
}

TEST(CsvField, QuotesOnlyWhatNeedsIt) {
  std::string out;
  append_csv_field(out, "plain");
  out += '|';
  append_csv_field(out, "a,b");
  out += '|';
  append_csv_field(out, "say \"hi\"");
  out += '|';
  append_csv_field(out, "two\nlines");
  EXPECT_EQ(out, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"");
}

TEST(ReadTable, TakesColumnsInAnyOrderAndReportsEachBadRow) {
  std::vector<std::string> rows;
  const auto report = read_table("label,task,worker\nyes,t1,w1\nno,t2\n,t3,w3\nmaybe,t4,w4,extra\nno,t5,w5\nno,t5,w6\n",
                                 "answers.csv", {"task", "worker", "label"},
                                 [&](const std::vector<std::string_view>& v, std::size_t line) {
                                   if (v[0] == "t5" && line == 7) return std::string("refused by the caller");
                                   rows.push_back(std::string(v[0]) + "/" + std::string(v[1]) + "/" +
                                                  std::string(v[2]) + "@" + std::to_string(line));
                                   return std::string();
                                 });
  EXPECT_TRUE(report.header_ok);
  EXPECT_EQ(report.rows, 2u);
  EXPECT_EQ(rows, (std::vector<std::string>{"t1/w1/yes@2", "t5/w5/no@6"}));
  EXPECT_EQ(report.errors, (std::vector<std::string>{
                               "answers.csv:3: error: 2 fields, expected 3 (task,worker,label)",
                               "answers.csv:4: error: column 1: the label is empty",
                               "answers.csv:5: error: 4 fields, expected 3 (task,worker,label)",
                               "answers.csv:7: error: refused by the caller"}));
}

TEST(ReadTable, ABadHeaderMakesTheFileUnusable) {
  int calls = 0;
  const auto on_row = [&](const std::vector<std::string_view>&, std::size_t) {
    ++calls;
    return std::string();
  };
  auto r = read_table("task,wroker,label,label\n1,w,a\n", "a.csv", {"task", "worker", "label"}, on_row);
  EXPECT_FALSE(r.header_ok);
  EXPECT_EQ(r.errors, (std::vector<std::string>{
                          "a.csv:1: error: column 2: unknown column \"wroker\" (did you mean \"worker\"?); the header "
                          "must be \"task,worker,label\" (in any order)",
                          "a.csv:1: error: column 4: the column \"label\" appears twice",
                          "a.csv:1: error: no column \"worker\"; the header must be \"task,worker,label\" (in any order)"}));
  r = read_table("", "empty.csv", {"task", "label"}, on_row);
  EXPECT_EQ(r.errors, (std::vector<std::string>{"empty.csv:1: error: the file is empty; expected a header line \"task,label\""}));
  r = read_table("{\"task\": 1}\n", "x.json", {"task", "label"}, on_row);
  EXPECT_EQ(r.errors.front(), "x.json:1: error: column 2: a quote inside an unquoted field (quote the whole field and write the quote as \"\")");
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace tandem::crowd
