// Behaviour of tandem.estimator.temperature, loaded through the real host.
#include <gtest/gtest.h>

#include <ostream>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "tandem/conformance/plugin_under_test.hpp"

namespace {

using tandem::conformance::PluginUnderTest;
using tandem::sdk::Annotation;
using tandem::sdk::Distribution;
using tandem::sdk::Span;

Annotation annotation(std::string variable, Distribution d, Span span = {3, 9}) {
  Annotation a;
  a.variable.name = std::move(variable);
  a.variable.distribution = std::move(d);
  a.span = span;
  a.note = "n";
  return a;
}

std::vector<Annotation> estimate(tandem::sdk::Estimator& e, std::vector<Annotation> in) {
  EXPECT_TRUE(e.estimate(tandem::sdk::Message{}, in).is_ok());
  return in;
}

class Temperature : public ::testing::Test {
 protected:
  PluginUnderTest plugin{PLUGIN_FILE};
};

TEST_F(Temperature, TwoTakesTheSquareRoot) {
  auto e = plugin.estimator("temperature: 2\n");
  // sqrt(0.8) = 2 sqrt(0.2): the result is exactly 2/3 and 1/3.
  const auto out = estimate(*e, {annotation("request", Distribution({{"yes", 0.8}, {"no", 0.2}}))});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NEAR(out[0].variable.distribution.p("yes"), 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(out[0].variable.distribution.p("no"), 1.0 / 3.0, 1e-15);
  EXPECT_EQ(out[0].variable.name, "request");
  EXPECT_EQ(out[0].span, (Span{3, 9}));
  EXPECT_EQ(out[0].note, "n");
}

TEST_F(Temperature, OneChangesNothing) {
  auto e = plugin.estimator("{}");
  const Distribution d({{"a", 0.5}, {"b", 0.3}, {"c", 0.2}});
  const auto out = estimate(*e, {annotation("request", d)});
  for (const auto& c : d.candidates()) EXPECT_NEAR(out[0].variable.distribution.p(c.value), c.p, 1e-15) << c.value;
}

TEST_F(Temperature, PerVariableMatchesIndexedNamesAndAnExactKeyWins) {
  auto e = plugin.estimator(
      "temperature: 1\n"
      "per_variable:\n"
      "  time.polarity: 0.5\n"
      "  \"time[3].polarity\": 1\n");
  const Distribution d({{"positive", 0.8}, {"negative", 0.2}});
  const auto out = estimate(*e, {annotation("time[0].polarity", d), annotation("time[3].polarity", d),
                                 annotation("time.polarity", d), annotation("request", d)});
  ASSERT_EQ(out.size(), 4u);
  // T = 0.5 squares: 0.64 and 0.04, renormalised.
  EXPECT_NEAR(out[0].variable.distribution.p("positive"), 0.64 / 0.68, 1e-15);
  EXPECT_NEAR(out[1].variable.distribution.p("positive"), 0.8, 1e-15);
  EXPECT_NEAR(out[2].variable.distribution.p("positive"), 0.64 / 0.68, 1e-15);
  EXPECT_NEAR(out[3].variable.distribution.p("positive"), 0.8, 1e-15);
}

TEST_F(Temperature, ATinyTemperatureGivesTheArgMaxAndKeepsTies) {
  auto e = plugin.estimator("temperature: 1e-300\n");
  const auto out = estimate(*e, {annotation("a", Distribution({{"x", 0.6}, {"y", 0.4}})),
                                 annotation("b", Distribution({{"x", 0.4}, {"y", 0.4}, {"z", 0.2}}))});
  EXPECT_EQ(out[0].variable.distribution.p("x"), 1.0);
  EXPECT_EQ(out[0].variable.distribution.p("y"), 0.0);
  EXPECT_EQ(out[1].variable.distribution.p("x"), 0.5);
  EXPECT_EQ(out[1].variable.distribution.p("y"), 0.5);
  EXPECT_EQ(out[1].variable.distribution.p("z"), 0.0);
}

TEST_F(Temperature, BadProbabilitiesCountAsZeroAndHugeOnesDoNotOverflow) {
  auto e = plugin.estimator("temperature: 1\n");
  Distribution raw;  // add() keeps the values as given
  raw.add("nan", std::numeric_limits<double>::quiet_NaN());
  raw.add("neg", -1.0);
  raw.add("big", 1e308);
  raw.add("big2", 1e308);
  const auto out = estimate(*e, {annotation("request", raw)});
  EXPECT_EQ(out[0].variable.distribution.p("big"), 0.5);
  EXPECT_EQ(out[0].variable.distribution.p("big2"), 0.5);
  EXPECT_EQ(out[0].variable.distribution.p("nan"), 0.0);
  EXPECT_EQ(out[0].variable.distribution.p("neg"), 0.0);
}

TEST_F(Temperature, EmptyDistributionsStayEmpty) {
  auto e = plugin.estimator("temperature: 3\n");
  const auto out = estimate(*e, {annotation("request", Distribution())});
  EXPECT_TRUE(out[0].variable.distribution.empty());
}

TEST_F(Temperature, PerVariableKeysMustBeVariableNames) {
  const auto errors = plugin.config_errors("per_variable:\n  Time.Polarity: 2\n", "p.yaml");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].mark.line, 2);
  EXPECT_EQ(errors[0].mark.column, 3);
  EXPECT_NE(errors[0].message.find("\"Time.Polarity\" is not a variable name"), std::string::npos) << errors[0].message;
}

}  // namespace
