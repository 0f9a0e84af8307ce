#include "hitl/quality.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>

#include "hitl/workers.hpp"
#include "unit/store/store_test_support.hpp"

namespace tandem::hitl {
namespace {

using store::testing::kT0;
using store::testing::make_answer;
using store::testing::make_task;
using store::testing::StoreTest;

// Reference values: mpmath 1.3 (betainc, gammainc, findroot by bisection) at 30 digits.
TEST(Stats, BetaQuantile) {
  for (double p : {0.0, 0.05, 0.5, 0.95, 1.0}) EXPECT_NEAR(stats::beta_quantile(1, 1, p), p, 1e-12);
  EXPECT_NEAR(stats::beta_quantile(3, 1, 0.2), std::cbrt(0.2), 1e-12);             // x^3 = p
  EXPECT_NEAR(stats::beta_quantile(1, 4, 0.05), 1 - std::pow(0.95, 0.25), 1e-12);  // 1 - (1-x)^4 = p
  EXPECT_NEAR(stats::beta_quantile(2, 4, 0.95), 0.657408318001, 1e-10);
  EXPECT_NEAR(stats::beta_quantile(2, 5, 0.95), 0.581803409252, 1e-10);
  EXPECT_NEAR(stats::beta_quantile(7, 13, 0.05), 0.187504311505, 1e-10);
  EXPECT_NEAR(stats::beta_quantile(7, 13, 0.95), 0.529967121222, 1e-10);
  EXPECT_NEAR(stats::beta_quantile(10, 3, 0.05), 0.561894564885, 1e-10);
  EXPECT_NEAR(stats::beta_inc(2.5, 3.5, 0.4), 0.486904191526117, 1e-12);
  EXPECT_TRUE(std::isnan(stats::beta_quantile(0, 1, 0.5)));
  EXPECT_TRUE(std::isnan(stats::beta_inc(1, 1, 1.5)));
}

TEST(Stats, ChiSquareSurvival) {
  EXPECT_NEAR(stats::chi_square_sf(3.841458820694124, 1), 0.05, 1e-12);
  EXPECT_NEAR(stats::chi_square_sf(6.634896601021214, 1), 0.01, 1e-12);
  EXPECT_NEAR(stats::chi_square_sf(5.991464547107979, 2), 0.05, 1e-12);
  EXPECT_NEAR(stats::chi_square_sf(10, 3), 0.0185661354630432, 1e-12);
  EXPECT_NEAR(stats::chi_square_sf(30, 10), 0.0008566412107753, 1e-13);
  EXPECT_NEAR(stats::chi_square_sf(0.5, 4), 0.973500978839256, 1e-12);
  EXPECT_DOUBLE_EQ(stats::chi_square_sf(0, 3), 1);
  EXPECT_NEAR(stats::gamma_q(1, 2), std::exp(-2.0), 1e-14);  // Q(1, x) = e^-x
}

TEST(Stats, Wilson) {
  const auto w = stats::wilson(1, 2);
  EXPECT_NEAR(w.low, 0.09452865480086614, 1e-12);
  EXPECT_NEAR(w.high, 0.9054713451991339, 1e-12);
  const auto v = stats::wilson(18, 20);
  EXPECT_NEAR(v.low, 0.6989617935882066, 1e-12);
  EXPECT_NEAR(v.high, 0.9721341060158468, 1e-12);
  EXPECT_DOUBLE_EQ(stats::wilson(0, 0).high, 1);
}

class Quality : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    store_ = open_store();
    ASSERT_NE(store_, nullptr);
  }
  void put(const std::string& id, const std::string& locale, std::vector<std::string> tags = {}) {
    store::WorkerRecord w;
    w.ref = {id, "files"};
    w.locale = locale;
    w.tags = std::move(tags);
    w.created = kT0;
    ASSERT_TRUE(store_->transact([&](store::Transaction& tx) { return tx.put_worker(w); }).is_ok());
  }
  std::unique_ptr<store::SqliteStore> store_;
};

TEST_F(Quality, DeliveredAccuracyFromPosteriorsThenGold) {
  put("ana", "pt_BR");
  put("jonas", "de_DE");
  put("priya", "en_IN");
  ASSERT_TRUE(store::testing::add_cases_with_tasks(*store_, 5, 3, "time[1].polarity").is_ok());
  const double tops[] = {0.9, 0.8, 0.95, 0.75};
  ASSERT_TRUE(store_->transact([&](store::Transaction& tx) {
                      for (int i = 0; i < 5; ++i) {
                        const std::string t = "t" + std::to_string(i);
                        if (auto a = tx.add_answer(make_answer(t, "ana", "positive")); !a.is_ok()) return a.status();
                        if (i == 4) continue;  // t4 stays open: not delivered
                        store::TaskUpdate u;
                        u.task_id = t;
                        u.state = store::TaskState::accepted;
                        u.posterior = sdk::Distribution({{"positive", tops[i]}, {"negative", 1 - tops[i]}});
                        u.at = kT0;
                        if (auto s = tx.update_task(u); !s.is_ok()) return s;
                      }
                      return sdk::Status::ok();
                    })
                  .is_ok());
  auto q = delivered_quality(*store_, "time[*].polarity");
  ASSERT_TRUE(q.is_ok()) << q.status().to_string();
  EXPECT_EQ(q.value().delivered, 4);
  EXPECT_NEAR(q.value().estimated_accuracy, 0.85, 1e-12);
  EXPECT_EQ(q.value().interval_method, "posterior");
  EXPECT_NEAR(q.value().interval.low, 0.85 - 1.96 * std::sqrt(0.485) / 4, 1e-12);  // Σ p(1-p) = 0.485
  EXPECT_DOUBLE_EQ(q.value().interval.high, 1.0);                                  // clipped
  EXPECT_EQ(q.value().gold_checked, 0);

  // Two gold questions: g0 answered right by the majority (2 of 3), g1 wrong by both.
  ASSERT_TRUE(store_->transact([&](store::Transaction& tx) {
                      for (const char* g : {"g0", "g1"}) {
                        if (auto s = tx.add_task(make_task(g, "", "time[*].polarity", 0)); !s.is_ok()) return s;
                        if (auto s = tx.add_gold({g, "", "positive", ""}); !s.is_ok()) return s;
                      }
                      for (auto [t, w, v] : {std::tuple{"g0", "ana", "positive"}, {"g0", "jonas", "positive"},
                                             {"g0", "priya", "negative"}, {"g1", "ana", "negative"},
                                             {"g1", "jonas", "neutral"}})
                        if (auto a = tx.add_answer(make_answer(t, w, v)); !a.is_ok()) return a.status();
                      return sdk::Status::ok();
                    })
                  .is_ok());
  q = delivered_quality(*store_, "time[*].polarity");
  ASSERT_TRUE(q.is_ok());
  EXPECT_EQ(q.value().delivered, 4);
  EXPECT_EQ(q.value().gold_checked, 2);
  EXPECT_EQ(q.value().gold_right, 1);  // g1: "negative" and "neutral" tie, both wrong
  EXPECT_DOUBLE_EQ(q.value().gold_accuracy, 0.5);
  EXPECT_EQ(q.value().gold_answers, 5);
  EXPECT_EQ(q.value().gold_answers_right, 2);
  EXPECT_EQ(q.value().interval_method, "wilson_gold");
  EXPECT_NEAR(q.value().interval.low, 0.09452865480086614, 1e-12);
  EXPECT_NEAR(q.value().interval.high, 0.9054713451991339, 1e-12);

  // An exact name counts only its own variable.
  q = delivered_quality(*store_, "time[0].polarity");
  ASSERT_TRUE(q.is_ok());
  EXPECT_EQ(q.value().delivered, 0);
  EXPECT_EQ(q.value().interval_method, "none");
}

TEST_F(Quality, GroupReportChiSquare) {
  put("de1", "de_DE", {"night-shift"});
  put("en1", "en_US");
  put("fr1", "fr_FR");
  ASSERT_TRUE(store::testing::add_cases_with_tasks(*store_, 40, 5).is_ok());
  // de: 10 positive, 30 negative; en: 30 positive, 10 negative; fr: 20 / 20.
  ASSERT_TRUE(store_->transact([&](store::Transaction& tx) {
                      for (int i = 0; i < 40; ++i) {
                        const std::string t = "t" + std::to_string(i);
                        for (auto [w, positives] : {std::pair{"de1", 10}, {"en1", 30}, {"fr1", 20}})
                          if (auto a = tx.add_answer(make_answer(t, w, i < positives ? "positive" : "negative"));
                              !a.is_ok())
                            return a.status();
                      }
                      return sdk::Status::ok();
                    })
                  .is_ok());
  auto r = group_report(*store_, "time[*].polarity", "locale");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const GroupReport& g = r.value();
  EXPECT_EQ(g.values, (std::vector<std::string>{"negative", "positive"}));
  ASSERT_EQ(g.groups.size(), 3u);
  EXPECT_EQ(g.groups[0].group, "de_DE");
  EXPECT_EQ(g.groups[0].counts, (std::vector<std::int64_t>{30, 10}));
  EXPECT_EQ(g.groups[0].workers, 1);
  EXPECT_NEAR(g.chi_square, 20.0, 1e-9);
  EXPECT_EQ(g.df, 2);
  EXPECT_NEAR(g.p_value, 4.53999297625e-5, 1e-15);
  EXPECT_NEAR(g.groups[0].chi_square, 15.0, 1e-9);
  EXPECT_NEAR(g.groups[0].p_value, 0.00010751117673, 1e-14);
  EXPECT_TRUE(g.groups[0].flagged);
  EXPECT_TRUE(g.groups[1].flagged);   // en_US
  EXPECT_FALSE(g.groups[2].flagged);  // fr_FR answers like everyone together
  EXPECT_NEAR(g.groups[2].p_value, 1.0, 1e-12);

  r = group_report(*store_, "time[*].polarity", "tag:night-shift");
  ASSERT_TRUE(r.is_ok());
  ASSERT_EQ(r.value().groups.size(), 2u);
  EXPECT_EQ(r.value().groups[0].group, "night-shift");
  EXPECT_EQ(r.value().groups[1].group, "not night-shift");
  EXPECT_EQ(r.value().groups[1].counts, (std::vector<std::int64_t>{30, 50}));

  r = group_report(*store_, "time[*].polarity", "locle");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), sdk::Code::invalid_input);
  EXPECT_EQ(r.status().message().rfind("unknown worker attribute \"locle\" (did you mean \"locale\"?)", 0), 0u)
      << r.status().message();
}

}  // namespace
}  // namespace tandem::hitl
