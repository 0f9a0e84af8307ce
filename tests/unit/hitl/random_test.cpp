#include "hitl/random.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

namespace tandem::detail::hitl {
namespace {

TEST(HitlRandom, AStreamIsItsNameAndIndicesNotTheDrawsOfOthers) {
  Stream a(7, "answers", 3, 9);
  Stream other(7, "answers", 3, 10);
  for (int i = 0; i < 100; ++i) other.next();  // draws elsewhere change nothing here
  Stream b(7, "answers", 3, 9);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next(), b.next());
  EXPECT_NE(Stream(7, "answers", 3, 9).next(), Stream(7, "answers", 9, 3).next());
  EXPECT_NE(Stream(7, "answers", 3, 9).next(), Stream(8, "answers", 3, 9).next());
  EXPECT_NE(Stream(7, "answers", 3, 9).next(), Stream(7, "order", 3, 9).next());
}

TEST(HitlRandom, DrawsHaveTheirDistributionsMoments) {
  Stream r(1, "moments");
  constexpr int n = 200000;
  double u = 0, z = 0, z2 = 0, b = 0, g = 0;
  for (int i = 0; i < n; ++i) {
    u += r.uniform();
    const double x = r.normal();
    z += x;
    z2 += x * x;
    b += r.beta(2, 5);
    g += r.gamma(0.5);
  }
  EXPECT_NEAR(u / n, 0.5, 0.005);
  EXPECT_NEAR(z / n, 0.0, 0.01);
  EXPECT_NEAR(z2 / n, 1.0, 0.01);
  EXPECT_NEAR(b / n, 2.0 / 7.0, 0.005);  // Beta(2, 5): mean a / (a + b)
  EXPECT_NEAR(g / n, 0.5, 0.01);         // Gamma(k, 1): mean k
  const std::vector<double> d = r.dirichlet({1, 2, 3});
  EXPECT_NEAR(std::accumulate(d.begin(), d.end(), 0.0), 1.0, 1e-12);
  const double p[3] = {0.2, 0.5, 0.3};
  std::vector<int> counts(3, 0);
  for (int i = 0; i < n; ++i) ++counts[r.categorical(p, 3)];
  EXPECT_NEAR(counts[1] / double(n), 0.5, 0.005);
  for (int i = 0; i < 1000; ++i) EXPECT_LT(r.below(7), 7u);
}

}  // namespace
}  // namespace tandem::detail::hitl
