// make_services(): the pieces are wired and real.
#include "tandem/services.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace tandem {
namespace {

TEST(MakeServices, GivesTheSystemClockDateTzAndIcu) {
  const auto services = make_services();
  ASSERT_NE(services, nullptr);
  const auto before = std::chrono::system_clock::now();
  const auto now = services->clock().now();
  const auto after = std::chrono::system_clock::now();
  EXPECT_GE(now, std::chrono::floor<std::chrono::milliseconds>(before));
  EXPECT_LE(now, after);

  using namespace std::chrono;
  const auto instant = services->time().to_instant(local_days{2026y / December / 1} + 15h, "Europe/Berlin");
  ASSERT_TRUE(instant.is_ok());
  EXPECT_EQ(instant->instant, sys_days{2026y / December / 1} + 14h);
  EXPECT_EQ(instant->abbreviation, "CET");

  EXPECT_EQ(*services->locale().canonical("de-de"), "de_DE");
  EXPECT_EQ(services->locale().fold_case("Straße"), "strasse");
}

TEST(MakeServices, LoggerHonoursTheMinimumLevel) {
  ServicesOptions options;
  options.min_level = sdk::LogLevel::error;
  const auto services = make_services(options);
  ::testing::internal::CaptureStderr();
  services->logger().log(sdk::LogLevel::warning, "test.source", "hidden");
  services->logger().log(sdk::LogLevel::error, "test.source", "shown");
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "tandem: error: test.source: shown\n");
}

}  // namespace
}  // namespace tandem
