// TrainingHistory: the chart's points are smoothed, skip empty iterations and stay bounded.
#include "view/training_history.h"

#include <gtest/gtest.h>

namespace view {
namespace {

TEST(TrainingHistoryTest, IterationsThatEndedNoEpisodeAreSkipped) {
  TrainingHistory h;
  h.add(2048, 0, 99.0f, 0.5f);
  EXPECT_TRUE(h.empty());
  h.add(4096, 3, 10.0f, 1.0f);
  ASSERT_EQ(h.points().size(), 1u);
  EXPECT_EQ(h.points()[0].step, 4096.0);
  EXPECT_FLOAT_EQ(h.points()[0].mean_return, 10.0f);
}

TEST(TrainingHistoryTest, PointsAreTheMeanOfTheLastWindowOfIterations) {
  TrainingHistory h;
  for (int i = 0; i < 20; ++i) h.add(i, 1, 0.0f, 1.0f);
  for (int i = 20; i < 30; ++i) h.add(i, 1, 10.0f, 0.0f);
  // The last point averages 10 iterations at 0 and 10 at 10.
  EXPECT_FLOAT_EQ(h.points().back().mean_return, 5.0f);
  EXPECT_FLOAT_EQ(h.points().back().crash_rate, 0.5f);
  for (int i = 30; i < 60; ++i) h.add(i, 1, 10.0f, 0.0f);
  EXPECT_FLOAT_EQ(h.points().back().mean_return, 10.0f);
}

TEST(TrainingHistoryTest, ALongRunStaysBoundedAndKeepsItsSpan) {
  TrainingHistory h(100);
  for (int i = 1; i <= 100'000; ++i) h.add(i * 2048, 4, 1.0f, 0.25f);
  EXPECT_LE(h.points().size(), 100u);
  EXPECT_GE(h.points().size(), 50u);
  EXPECT_EQ(h.points().back().step, 100'000.0 * 2048.0);
  EXPECT_LE(h.points().front().step, 2.0 * 2048.0 * 100'000.0 / 50.0);
  for (std::size_t i = 1; i < h.points().size(); ++i) EXPECT_LT(h.points()[i - 1].step, h.points()[i].step);
  EXPECT_FLOAT_EQ(h.points()[10].crash_rate, 0.25f);
}

TEST(TrainingHistoryTest, TheReturnRangeHoldsEveryPoint) {
  TrainingHistory h;
  h.add(1, 1, -40.0f, 0.0f);
  h.add(2, 1, 80.0f, 0.0f);  // the mean of the two: 20
  const AxisRange r = return_range(h.points());
  EXPECT_LT(r.lo, -40.0f);
  EXPECT_GT(r.hi, 20.0f);
  const AxisRange empty = return_range({});
  EXPECT_LT(empty.lo, empty.hi);
}

}  // namespace
}  // namespace view
