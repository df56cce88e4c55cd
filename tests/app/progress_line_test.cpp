// ProgressLine: what a training run shows while it trains.
#include "app/progress_line.h"

#include <gtest/gtest.h>

#include <string>

namespace app {
namespace {

agent::IterationStats at_step(std::int64_t step) {
  agent::IterationStats it;
  it.global_step = step;
  return it;
}

std::string shown(ProgressLine& line, std::int64_t step, double seconds) {
  testing::internal::CaptureStdout();
  line.update(at_step(step), seconds, 1000.0);
  return testing::internal::GetCapturedStdout();
}

TEST(ProgressLineTest, ShowsTheShareOfTheGoalTrained) {
  ProgressLine line(1000, false);
  EXPECT_DOUBLE_EQ(line.done_percent(250), 25.0);
  EXPECT_NE(shown(line, 250, 10.0).find("step       250/1000  25%"), std::string::npos);
}

TEST(ProgressLineTest, ARunThatEndsPastItsGoalShowsAHundredPercent) {
  // Evolution strategies finishes its last generation, which may take it past the goal.
  ProgressLine line(1000, false);
  EXPECT_DOUBLE_EQ(line.done_percent(1024), 100.0);
  const std::string text = shown(line, 1024, 10.0);
  EXPECT_NE(text.find("step      1024/1000 100%"), std::string::npos) << text;
  EXPECT_NE(text.find("eta    0s"), std::string::npos) << text;
}

TEST(ProgressLineTest, ALogGetsALineEveryFewSecondsAndTheLastOneAlways) {
  ProgressLine line(1000, false);
  EXPECT_FALSE(shown(line, 100, 10.0).empty());
  EXPECT_TRUE(shown(line, 200, 11.0).empty()) << "a second later";
  EXPECT_FALSE(shown(line, 300, 16.0).empty()) << "five seconds later";
  EXPECT_FALSE(shown(line, 1000, 16.5).empty()) << "the goal";
}

}  // namespace
}  // namespace app
