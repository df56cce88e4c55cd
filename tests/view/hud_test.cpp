// HUD formatting and the replay timeline's geometry.
#include "view/hud.h"

#include <gtest/gtest.h>

#include <cmath>

namespace view {
namespace {

TEST(HudTest, CountsAreShortAndReadable) {
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(1234), "1234");
  EXPECT_EQ(format_count(98765), "98.8k");
  EXPECT_EQ(format_count(123456), "123k");
  EXPECT_EQ(format_count(1234567), "1.23M");
  EXPECT_EQ(format_count(10'000'000), "10.0M");
  EXPECT_EQ(format_count(123'000'000), "123M");
  EXPECT_EQ(format_count(std::nan("")), "–");
}

TEST(HudTest, LapTimesReadMinutesSecondsTenths) {
  EXPECT_EQ(format_lap_time(83.25), "1:23.3");
  EXPECT_EQ(format_lap_time(5.0), "0:05.0");
  EXPECT_EQ(format_lap_time(59.96), "1:00.0");
  EXPECT_EQ(format_lap_time(-1.0), "–");
}

TEST(HudTest, AgesAndSpeeds) {
  EXPECT_EQ(format_age(0.04), "0.0 s");
  EXPECT_EQ(format_age(75.0), "1 min 15 s");
  EXPECT_EQ(format_speed(1.0), "1×");
  EXPECT_EQ(format_speed(0.25), "0.25×");
  EXPECT_EQ(format_speed(0.0), "paused");
  EXPECT_EQ(format_speed(INFINITY), "max");
}

TEST(HudTest, TheTimelineMapsItsWidthOntoTheEpisode) {
  const Rect bar = timeline_rect(1280.0f, 720.0f);
  EXPECT_GT(bar.w, 1000.0f);
  EXPECT_LT(bar.y + bar.h, 720.0f - kStatusHeight);
  EXPECT_EQ(timeline_step_at(bar, bar.x, 900), 0);
  EXPECT_EQ(timeline_step_at(bar, bar.x + bar.w, 900), 900);
  EXPECT_EQ(timeline_step_at(bar, bar.x + 0.5f * bar.w, 900), 450);
  EXPECT_EQ(timeline_step_at(bar, -50.0f, 900), 0);      // clamped
  EXPECT_EQ(timeline_step_at(bar, 5000.0f, 900), 900);
}

}  // namespace
}  // namespace view
