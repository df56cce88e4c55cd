// The lidar reads known distances in a known layout.
#include "sim/sensors.h"

#include <gtest/gtest.h>

#include <vector>

#include "support/test_tracks.h"

namespace sim {
namespace {

using testing::load_or_fail;
using testing::OvalOptions;
using testing::oval_toml;

TEST(SensorsTest, RaysSpreadSymmetricallyFromRightToLeft) {
  SensorSpec spec;
  spec.rays = 5;
  spec.fov = 3.14159265f;
  EXPECT_FLOAT_EQ(ray_angle(spec, 0), -1.5707963f);
  EXPECT_FLOAT_EQ(ray_angle(spec, 2), 0.0f);
  EXPECT_FLOAT_EQ(ray_angle(spec, 4), 1.5707963f);
  spec.rays = 1;
  EXPECT_EQ(ray_angle(spec, 0), 0.0f);
}

TEST(SensorsTest, RaysReadWallsObstaclesAndRange) {
  // Track 20 m wide: from the centreline the walls are 10 m left and right. A 2 m box ahead at
  // x = 70 puts its near face 29 m in front of a car at x = 40. Rays: right, ahead, left.
  LoadedScenario s = load_or_fail(oval_toml(OvalOptions{
      200.0f, 40.0f, 20.0f, false,
      "[[obstacles]]\nshape = \"box\"\nposition = [70.0, 0.0]\nlength = 2.0\nwidth = 2.0\n"
      "[sensors]\nrays = 3\nfov_deg = 180\nrange = 50\n"}));
  World w = make_world(s.scenario, s.track);
  add_car(w, CarPose{{40.0f, 0.0f}, 0.0f, 0.0f});
  std::vector<float> d(3);
  cast_rays(w, 0, d);
  EXPECT_NEAR(d[0], 10.0f, 0.05f);
  EXPECT_NEAR(d[1], 29.0f, 0.05f);
  EXPECT_NEAR(d[2], 10.0f, 0.05f);

  // Without the box, the ray ahead runs down the straight and reads the full range.
  LoadedScenario open = load_or_fail(oval_toml(OvalOptions{
      200.0f, 40.0f, 20.0f, false, "[sensors]\nrays = 3\nfov_deg = 180\nrange = 50\n"}));
  World w2 = make_world(open.scenario, open.track);
  add_car(w2, CarPose{{40.0f, 3.0f}, 0.0f, 0.0f});
  cast_rays(w2, 0, d);
  EXPECT_NEAR(d[0], 13.0f, 0.05f);
  EXPECT_FLOAT_EQ(d[1], 50.0f);
  EXPECT_NEAR(d[2], 7.0f, 0.05f);
}

TEST(SensorsTest, RaysSeeOtherCars) {
  LoadedScenario s = load_or_fail(oval_toml(OvalOptions{
      200.0f, 40.0f, 20.0f, false, "[sensors]\nrays = 1\nrange = 50\n[car]\nlength = 4.0\n"}));
  World w = make_world(s.scenario, s.track);
  add_car(w, CarPose{{40.0f, 0.0f}, 0.0f, 0.0f});
  add_car(w, CarPose{{60.0f, 0.0f}, 0.0f, 0.0f});
  std::vector<float> d(1);
  cast_rays(w, 0, d);
  EXPECT_NEAR(d[0], 18.0f, 0.01f) << "centre to the other car's rear bumper";
  cast_rays(w, 1, d);
  EXPECT_FLOAT_EQ(d[0], 50.0f) << "the car ahead does not see the one behind";
}

}  // namespace
}  // namespace sim
