#include "sim/autopilot.h"

#include <gtest/gtest.h>

#include <vector>

#include "support/test_tracks.h"

namespace sim {
namespace {

TEST(AutopilotTest, DrivesALapOfTheOvalWithoutTouchingAWall) {
  LoadedScenario s = testing::load_or_fail(testing::oval_toml({}));
  World w = make_world(s.scenario, s.track);
  add_car(w, pose_on_track(*s.track, 0.0f, 0.0f, 0.0f, 0.0f));
  std::vector<CarEvents> ev(1);
  int contacts = 0;
  for (int k = 0; k < 3000 && w.cars[0].laps == 0; ++k) {
    w.cars[0].state.controls = autopilot(w, 0, AutopilotSpec{12.0f, 10.0f, 0.0f});
    step_world(w, ev);
    contacts += ev[0].touching ? 1 : 0;
    EXPECT_LT(std::fabs(w.cars[0].lateral), 2.0f) << "at step " << k;
  }
  EXPECT_EQ(w.cars[0].laps, 1);
  EXPECT_EQ(contacts, 0);
}

TEST(AutopilotTest, HoldsTheTargetSpeedOnAStraight) {
  LoadedScenario s = testing::load_or_fail(testing::oval_toml({}));
  World w = make_world(s.scenario, s.track);
  add_car(w, pose_on_track(*s.track, 0.0f, 0.0f, 0.0f, 0.0f));
  std::vector<CarEvents> ev(1);
  for (int k = 0; k < 120; ++k) {
    w.cars[0].state.controls = autopilot(w, 0, AutopilotSpec{8.0f, 10.0f, 0.0f});
    step_world(w, ev);
  }
  EXPECT_NEAR(forward_speed(*w.cars[0].state.body), 8.0f, 0.5f);
}

}  // namespace
}  // namespace sim
