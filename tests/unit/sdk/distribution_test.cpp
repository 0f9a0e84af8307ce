#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "tandem/sdk/types.hpp"

namespace tandem::sdk {
namespace {

TEST(Distribution, NormalizesMergesAndSortsByProbability) {
  Distribution d({{"pm", 1.0}, {"am", 3.0}, {"pm", 2.0}});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d.top().value, "am");
  EXPECT_DOUBLE_EQ(d.top_p(), 0.5);
  EXPECT_DOUBLE_EQ(d.p("pm"), 0.5);
  EXPECT_DOUBLE_EQ(d.p("noon"), 0.0);
}

TEST(Distribution, DropsNegativeAndNonFiniteWeights) {
  Distribution d({{"a", -1.0}, {"b", std::numeric_limits<double>::quiet_NaN()}, {"c", 2.0}});
  EXPECT_EQ(d.top().value, "c");
  EXPECT_DOUBLE_EQ(d.p("c"), 1.0);
  EXPECT_DOUBLE_EQ(d.p("a"), 0.0);
}

TEST(Distribution, HugeWeightsDoNotOverflow) {
  Distribution d({{"a", 1e308}, {"b", 1e308}, {"a", 1e308}});
  EXPECT_NEAR(d.p("a"), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(d.p("b"), 1.0 / 3.0, 1e-12);
}

TEST(Distribution, ManyCandidatesMergeExactly) {
  std::vector<Candidate> many;
  for (int i = 0; i < 20000; ++i) many.push_back({"v" + std::to_string(i % 10000), 1.0});
  Distribution d(std::move(many));
  ASSERT_EQ(d.size(), 10000u);
  EXPECT_DOUBLE_EQ(d.p("v42"), 1.0 / 10000);
}

TEST(Distribution, AllZeroBecomesUniformWithStableOrder) {
  Distribution d({{"b", 0.0}, {"a", 0.0}});
  EXPECT_DOUBLE_EQ(d.p("a"), 0.5);
  EXPECT_EQ(d.top().value, "a");  // ties broken by value
}

TEST(Span, OfReturnsEmptyWhenOutOfBounds) {
  const std::string text = "coffee at 3";
  EXPECT_EQ((Span{10, 11}).of(text), "3");
  EXPECT_EQ((Span{10, 12}).of(text), "");
  EXPECT_EQ((Span{5, 2}).of(text), "");
}

}  // namespace
}  // namespace tandem::sdk
