// FixedStepClock: frame time in, whole fixed steps out; no time lost, none invented.
#include "view/fixed_step.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/rng.h"

namespace view {
namespace {

constexpr double kDt = 1.0 / 30.0;

TEST(FixedStepTest, VaryingFrameTimesTakeElapsedTimeOverDtSteps) {
  FixedStepClock clock(kDt, 1000);
  sim::Rng rng(3);
  double elapsed = 0.0;
  long steps = 0;
  for (int frame = 0; frame < 5000; ++frame) {
    const double frame_seconds = 0.001 + 0.05 * rng.uniform();  // 1 to 51 ms, jittery
    elapsed += frame_seconds;
    steps += clock.advance(frame_seconds);
    // Nothing is lost or invented: what was stepped plus what is owed is what elapsed.
    ASSERT_NEAR(static_cast<double>(steps) * kDt + clock.backlog(), elapsed, 1e-7) << frame;
    ASSERT_GE(clock.backlog(), 0.0);
    ASSERT_LT(clock.backlog(), kDt + 1e-9);
  }
  EXPECT_EQ(steps, static_cast<long>(std::floor(elapsed / kDt + 1e-6)));
}

TEST(FixedStepTest, SixtyHertzFramesTakeAThirtyHertzStepEveryOtherFrame) {
  FixedStepClock clock(kDt, 10);
  int steps = 0;
  for (int frame = 0; frame < 600; ++frame) {
    const int due = clock.advance(1.0 / 60.0);
    ASSERT_LE(due, 1);
    steps += due;
  }
  EXPECT_EQ(steps, 300);
}

TEST(FixedStepTest, AFloatDtStillTakesWholeStepsOnTheSecond) {
  FixedStepClock clock(static_cast<double>(1.0f / 30.0f), 10);  // 0.033333335: a hair over 1/30
  int steps = 0;
  for (int frame = 0; frame < 120; ++frame) steps += clock.advance(1.0 / 60.0);
  EXPECT_EQ(steps, 60);
}

TEST(FixedStepTest, SpeedMultipliesTheSimulatedTime) {
  for (const double speed : {2.0, 4.0, 0.25}) {
    FixedStepClock clock(kDt, 100);
    clock.set_speed(speed);
    int steps = 0;
    for (int frame = 0; frame < 120; ++frame) steps += clock.advance(1.0 / 60.0);  // 2 s of frames
    EXPECT_EQ(steps, static_cast<int>(std::lround(2.0 * speed / kDt))) << speed;
  }
}

TEST(FixedStepTest, AStallTakesAtMostTheCapAndDropsTheBacklog) {
  FixedStepClock clock(kDt, 8);
  EXPECT_EQ(clock.advance(5.0), 8);  // 150 steps owed
  EXPECT_EQ(clock.backlog(), 0.0);
  EXPECT_EQ(clock.advance(1.0 / 60.0), 0);
  EXPECT_EQ(clock.advance(1.0 / 60.0), 1);
}

TEST(FixedStepTest, PausedTakesNoStepsAndOwesNothingAfterwards) {
  FixedStepClock clock(kDt, 100);
  clock.advance(0.02);
  clock.set_speed(0.0);
  EXPECT_EQ(clock.advance(10.0), 0);
  clock.set_speed(1.0);
  EXPECT_EQ(clock.backlog(), 0.0);
  EXPECT_EQ(clock.advance(0.02), 0);
}

TEST(FixedStepTest, NegativeAndNonFiniteFrameTimesCountAsZero) {
  FixedStepClock clock(kDt, 100);
  EXPECT_EQ(clock.advance(-1.0), 0);
  EXPECT_EQ(clock.advance(std::nan("")), 0);
  EXPECT_EQ(clock.advance(INFINITY), 0);
  EXPECT_EQ(clock.backlog(), 0.0);
}

}  // namespace
}  // namespace view
