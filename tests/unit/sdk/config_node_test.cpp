#include <gtest/gtest.h>

#include "tandem/sdk/config.hpp"
#include "tandem/sdk/status.hpp"

namespace tandem::sdk {
namespace {

ConfigNode scalar(std::string text, bool quoted = false) {
  return ConfigNode::make_scalar(std::move(text), quoted, Mark{"p.yaml", 3, 7}, "x");
}

TEST(ConfigNode, ScalarConversionsRespectQuoting) {
  EXPECT_EQ(scalar("42").as_int(), 42);
  EXPECT_EQ(scalar("+7").as_int(), 7);
  EXPECT_FALSE(scalar("42", true).as_int().has_value());
  EXPECT_EQ(scalar("42", true).as_string(), "42");
  EXPECT_DOUBLE_EQ(*scalar("0.25").as_double(), 0.25);
  EXPECT_FALSE(scalar("0.25x").as_double().has_value());
  EXPECT_EQ(scalar("true").as_bool(), true);
  EXPECT_FALSE(scalar("yes please").as_bool().has_value());
}

TEST(ConfigNode, MissingKeyIsNullAndGettersFallBack) {
  ConfigNode map(ConfigNode::Type::map, Mark{"p.yaml", 1, 1}, "");
  map.insert(ConfigNode::make_scalar("k", false, Mark{"p.yaml", 2, 1}, "k"), scalar("1.5"));
  EXPECT_TRUE(map["absent"].is_null());
  EXPECT_DOUBLE_EQ(map.get_double("k", 0), 1.5);
  EXPECT_EQ(map.get_string("absent", "dflt"), "dflt");
}

TEST(ConfigErrors, FormatsFileLineColumnAndPrefixesPaths) {
  ConfigErrors errors("stages.extract[0].config");
  errors.add(scalar("high"), "expected a number in [0, 1], got \"high\"");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.all()[0].to_string(),
            "p.yaml:3:7: error: stages.extract[0].config.x: expected a number in [0, 1], got \"high\"");
}

TEST(Suggestions, NearestNameWithinATypoDistance) {
  const std::vector<std::string> names = {"dawid_skene", "majority_vote", "one_coin"};
  EXPECT_EQ(nearest("dawid_skeen", names), "dawid_skene");
  EXPECT_EQ(nearest("majorty_vote", names), "majority_vote");
  EXPECT_EQ(nearest("glad", names), "");
  EXPECT_EQ(did_you_mean("one_coim", names), " (did you mean \"one_coin\"?)");
}

TEST(Status, RetryableUnlessInputIsBad) {
  EXPECT_FALSE(Status::ok().retryable());
  EXPECT_FALSE(Status::invalid_input("x").retryable());
  EXPECT_TRUE(Status::plugin_failed("x").retryable());
  EXPECT_EQ(Status::plugin_failed("boom").with_context("stage extract").to_string(),
            "plugin_failed: stage extract: boom");
}

TEST(Result, HoldsValueOrStatus) {
  Result<int> good(3);
  Result<int> bad(Status::not_found("zone Mars/Base"));
  EXPECT_TRUE(good.is_ok());
  EXPECT_EQ(*good, 3);
  EXPECT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().code(), Code::not_found);
  EXPECT_EQ(bad.value_or(9), 9);
}

}  // namespace
}  // namespace tandem::sdk
