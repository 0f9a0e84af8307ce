// StreamLogger: the line format, the minimum level, and whole lines under concurrent use.
#include "services/logger.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace tandem::detail {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::vector<std::string> lines_of(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string all;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) all.append(buf, n);
  std::vector<std::string> lines;
  std::istringstream in(all);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(StreamLogger, WritesOneLinePerEntryFromTheMinimumLevelUp) {
  std::unique_ptr<std::FILE, FileCloser> file(std::tmpfile());
  ASSERT_NE(file, nullptr);
  StreamLogger logger(file.get(), sdk::LogLevel::info);
  logger.log(sdk::LogLevel::debug, "extract.dates", "not shown");
  logger.log(sdk::LogLevel::info, "extract.dates", "loaded 12 rules");
  logger.log(sdk::LogLevel::warning, "backend.mturk", "slow answer\nretrying");
  logger.log(sdk::LogLevel::error, "", "store unavailable");
  EXPECT_EQ(lines_of(file.get()), (std::vector<std::string>{
                                      "tandem: info: extract.dates: loaded 12 rules",
                                      "tandem: warning: backend.mturk: slow answer\\nretrying",
                                      "tandem: error: store unavailable",
                                  }));
}

TEST(StreamLogger, ErrorOnlyLoggerDropsWarnings) {
  std::unique_ptr<std::FILE, FileCloser> file(std::tmpfile());
  ASSERT_NE(file, nullptr);
  StreamLogger logger(file.get(), sdk::LogLevel::error);
  logger.log(sdk::LogLevel::warning, "x", "dropped");
  logger.log(sdk::LogLevel::error, "x", "kept");
  EXPECT_EQ(lines_of(file.get()), (std::vector<std::string>{"tandem: error: x: kept"}));
}

TEST(StreamLogger, LinesOfManyThreadsNeverInterleave) {
  std::unique_ptr<std::FILE, FileCloser> file(std::tmpfile());
  ASSERT_NE(file, nullptr);
  StreamLogger logger(file.get(), sdk::LogLevel::debug);
  constexpr int kThreads = 8;
  constexpr int kLines = 300;
  const std::string payload(200, 'x');
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kLines; ++i) logger.log(sdk::LogLevel::debug, "t" + std::to_string(t), payload);
    });
  for (auto& th : threads) th.join();
  const auto lines = lines_of(file.get());
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kThreads * kLines));
  for (const auto& line : lines) {
    const auto prefix = line.substr(0, line.find(": x"));
    EXPECT_EQ(line, prefix + ": " + payload);
    EXPECT_EQ(line.rfind("tandem: debug: t", 0), 0u);
  }
}

}  // namespace
}  // namespace tandem::detail
