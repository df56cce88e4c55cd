// The observation: its layout, its scales, and its mirror symmetry.
#include "sim/observation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "sim/env.h"
#include "support/test_tracks.h"

namespace sim {
namespace {

using testing::load_or_fail;
using testing::OvalOptions;
using testing::oval_toml;

/// Obstacles placed relative to the track; in the mirror image, left offsets and angles flip sign.
std::string mirror_extras(float sign) {
  return "[[obstacles]]\nshape = \"box\"\ns = 70\noffset = " + std::to_string(3.0f * sign) +
         "\nlength = 2.0\nwidth = 1.5\nangle_deg = " + std::to_string(20.0f * sign) +
         "\n[[obstacles]]\nshape = \"circle\"\ns = 110\noffset = " + std::to_string(-4.0f * sign) +
         "\nradius = 1.0\n[sensors]\nrays = 9\nfov_deg = 200\n[spawn]\ns = 40\n";
}

TEST(ObservationTest, SizeIsRaysPlusCorridorRaysPlusExtraSlots) {
  LoadedScenario s = load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false, "[sensors]\nrays = 12\n"}));
  EXPECT_EQ(observation_size(*s.scenario), 12 + 3 + kExtraSlots) << "fan rays, corridor rays, extras";
}

TEST(ObservationTest, SlotsHaveTheirDocumentedMeaning) {
  LoadedScenario s = load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false, "[sensors]\nrays = 3\nfov_deg = 180\n"}));
  World w = make_world(s.scenario, s.track);
  add_car(w, CarPose{{50.0f, 2.5f}, 0.2f, 15.0f});
  std::vector<float> obs(static_cast<std::size_t>(observation_size(*s.scenario)));
  observe(w, 0, obs);
  const float* x = obs.data() + 3 + s.scenario->sensors.corridor_rays;
  EXPECT_NEAR(x[kForwardSpeed], 15.0f / kForwardSpeedScale, 1e-4f);
  EXPECT_NEAR(x[kLateralSpeed], 0.0f, 1e-4f);
  EXPECT_NEAR(x[kLateralOffset], 2.5f / 10.0f, 1e-3f);
  EXPECT_NEAR(x[kHeadingSin], std::sin(0.2f), 1e-3f);
  EXPECT_NEAR(x[kHeadingCos], std::cos(0.2f), 1e-3f);
  EXPECT_NEAR(x[kLookahead10], -0.2f / 3.14159265f, 1e-3f) << "straight ahead: only the car's own yaw";
  EXPECT_FLOAT_EQ(x[kClearance], 1.0f) << "nothing near";
  for (float v : obs) {
    EXPECT_TRUE(std::isfinite(v));
  }
  // Rays, the fan's and the corridor's, are normalised by the range.
  for (int k = 0; k < 3 + s.scenario->sensors.corridor_rays; ++k) {
    EXPECT_GE(obs[static_cast<std::size_t>(k)], 0.0f);
    EXPECT_LE(obs[static_cast<std::size_t>(k)], 1.0f);
  }
}

TEST(ObservationTest, MirroredTrackGivesMirroredObservation) {
  LoadedScenario a = load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false, mirror_extras(1.0f)}));
  LoadedScenario b = load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, true, mirror_extras(-1.0f)}));
  Env left(a.scenario, a.track), right(b.scenario, b.track);
  const int n = left.observation_size();
  const int rays = a.scenario->sensors.rays;
  const int corridor = a.scenario->sensors.corridor_rays;
  const int lidar = rays + corridor;
  std::vector<float> oa(static_cast<std::size_t>(n)), ob(static_cast<std::size_t>(n));
  left.reset(1, oa);
  right.reset(1, ob);
  // Signed slots change sign in the mirror; rays, fan and corridor, swap right for left.
  const int negated[] = {kLateralSpeed, kYawRate, kSteer, kLateralOffset, kHeadingSin,
                         kLookahead10, kLookahead25, kLookahead50};
  for (int step = 0; step < 90; ++step) {
    const float steer = 0.4f * std::sin(0.1f * static_cast<float>(step));
    const float act_a[2] = {steer, 0.6f}, act_b[2] = {-steer, 0.6f};
    left.step(act_a, oa);
    right.step(act_b, ob);
    for (int k = 0; k < rays; ++k) {
      ASSERT_NEAR(oa[static_cast<std::size_t>(k)], ob[static_cast<std::size_t>(rays - 1 - k)], 2e-3f)
          << "ray " << k << " at step " << step;
    }
    for (int k = 0; k < corridor; ++k) {
      ASSERT_NEAR(oa[static_cast<std::size_t>(rays + k)], ob[static_cast<std::size_t>(lidar - 1 - k)], 2e-3f)
          << "corridor ray " << k << " at step " << step;
    }
    for (int slot = 0; slot < kExtraSlots; ++slot) {
      bool flips = false;
      for (int f : negated) flips = flips || f == slot;
      const float va = oa[static_cast<std::size_t>(lidar + slot)];
      const float vb = ob[static_cast<std::size_t>(lidar + slot)];
      ASSERT_NEAR(va, flips ? -vb : vb, 2e-3f) << "slot " << slot << " at step " << step;
    }
  }
}

}  // namespace
}  // namespace sim
