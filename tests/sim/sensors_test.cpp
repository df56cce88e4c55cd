// The lidar reads known distances in a known layout.
#include "sim/sensors.h"

#include <gtest/gtest.h>

#include <cmath>
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
  std::vector<float> d(static_cast<std::size_t>(lidar_size(s.scenario->sensors)));
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

TEST(SensorsTest, CorridorRaysRunParallelAcrossTheCarsWidth) {
  SensorSpec spec;
  spec.corridor_rays = 3;
  EXPECT_FLOAT_EQ(corridor_offset(spec, 1.8f, 0), -0.9f);
  EXPECT_FLOAT_EQ(corridor_offset(spec, 1.8f, 1), 0.0f);
  EXPECT_FLOAT_EQ(corridor_offset(spec, 1.8f, 2), 0.9f);
  spec.corridor_rays = 1;
  EXPECT_EQ(corridor_offset(spec, 1.8f, 0), 0.0f);
  spec.rays = 16;
  spec.corridor_rays = 3;
  EXPECT_EQ(lidar_size(spec), 19);
}

TEST(SensorsTest, CorridorRaysSeeASmallObstacleInThePathThatTheFanMisses) {
  // A 0.5 m cone 30 m dead ahead, and a second one 30 m ahead in line with the car's left side.
  // Two fan rays at ±45° miss both; the corridor rays (right side, middle, left side) read them.
  LoadedScenario s = load_or_fail(oval_toml(OvalOptions{
      200.0f, 40.0f, 20.0f, false,
      "[[obstacles]]\nshape = \"circle\"\nposition = [70.0, 0.0]\nradius = 0.5\n"
      "[[obstacles]]\nshape = \"circle\"\nposition = [75.0, 0.9]\nradius = 0.5\n"
      "[sensors]\nrays = 2\nfov_deg = 90\nrange = 50\ncorridor_rays = 3\n"}));
  World w = make_world(s.scenario, s.track);
  add_car(w, CarPose{{40.0f, 0.0f}, 0.0f, 0.0f});
  std::vector<float> d(static_cast<std::size_t>(lidar_size(s.scenario->sensors)));
  ASSERT_EQ(d.size(), 5u);
  cast_rays(w, 0, d);
  EXPECT_NEAR(d[0], 10.0f * std::sqrt(2.0f), 0.05f) << "fan ray 45° right: the wall";
  EXPECT_NEAR(d[1], 10.0f * std::sqrt(2.0f), 0.05f) << "fan ray 45° left: the wall";
  EXPECT_FLOAT_EQ(d[2], 50.0f) << "the car's right side: clear";
  EXPECT_NEAR(d[3], 29.5f, 0.05f) << "the middle: the cone dead ahead";
  EXPECT_NEAR(d[4], 34.5f, 0.05f) << "the car's left side: the offset cone";
}

TEST(SensorsTest, RaysSeeOtherCars) {
  LoadedScenario s = load_or_fail(oval_toml(OvalOptions{
      200.0f, 40.0f, 20.0f, false, "[sensors]\nrays = 1\nrange = 50\n[car]\nlength = 4.0\n"}));
  World w = make_world(s.scenario, s.track);
  add_car(w, CarPose{{40.0f, 0.0f}, 0.0f, 0.0f});
  add_car(w, CarPose{{60.0f, 0.0f}, 0.0f, 0.0f});
  std::vector<float> d(static_cast<std::size_t>(lidar_size(s.scenario->sensors)));
  cast_rays(w, 0, d);
  EXPECT_NEAR(d[0], 18.0f, 0.01f) << "centre to the other car's rear bumper";
  cast_rays(w, 1, d);
  EXPECT_FLOAT_EQ(d[0], 50.0f) << "the car ahead does not see the one behind";
}

}  // namespace
}  // namespace sim
