// Car handling as a driver expects it, on an open, wide straight.
#include "sim/car.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim/world.h"
#include "support/test_tracks.h"

namespace sim {
namespace {

using testing::load_or_fail;
using testing::OvalOptions;
using testing::oval_toml;

/// A wide oval; the car starts at x = 20 on the bottom straight heading east.
struct CarRig {
  LoadedScenario loaded = load_or_fail(oval_toml(OvalOptions{400.0f, 60.0f, 60.0f, false, ""}));
  World world = make_world(loaded.scenario, loaded.track);
  std::vector<CarEvents> events;

  explicit CarRig(float speed = 0.0f, b2Vec2 at = {20.0f, 0.0f}, float angle = 0.0f) {
    add_car(world, CarPose{at, angle, speed});
    events.resize(1);
  }
  const b2Body& body() const { return *world.cars[0].state.body; }
  void drive(float steer, float throttle, int steps) {
    world.cars[0].state.controls = controls_from_action(steer, throttle);
    for (int k = 0; k < steps; ++k) step_world(world, events);
  }
};

TEST(CarTest, ControlsAreClampedAndNonFiniteBecomesZero) {
  const CarControls c = controls_from_action(3.0f, -7.0f);
  EXPECT_EQ(c.steer, 1.0f);
  EXPECT_EQ(c.throttle, -1.0f);
  const CarControls n = controls_from_action(std::nanf(""), INFINITY);
  EXPECT_EQ(n.steer, 0.0f);
  EXPECT_EQ(n.throttle, 0.0f);
}

TEST(CarTest, ThrottleAccelerates) {
  CarRig rig;
  rig.drive(0.0f, 1.0f, 60);  // 2 s
  const float v = forward_speed(rig.body());
  // Full throttle: force-limited at ~7.5 m/s², then power-limited; 2 s gives roughly 10–16 m/s.
  EXPECT_GT(v, 10.0f);
  EXPECT_LT(v, 16.0f);
  EXPECT_NEAR(rig.body().GetPosition().y, 0.0f, 0.01f) << "straight-line acceleration drifted";
}

TEST(CarTest, BrakeStopsWithoutOvershootingIntoReverse) {
  CarRig rig(20.0f);
  rig.world.cars[0].state.controls = controls_from_action(0.0f, -1.0f);
  int steps = 0;
  while (forward_speed(rig.body()) > 0.5f && steps < 300) {
    step_world(rig.world, rig.events);
    ++steps;
  }
  // ≈ 14 kN of brake on 1200 kg: about 1.7 s from 20 m/s.
  const float seconds = static_cast<float>(steps) * rig.world.scenario->episode.dt;
  EXPECT_GT(seconds, 1.2f);
  EXPECT_LT(seconds, 2.2f);
  EXPECT_GE(forward_speed(rig.body()), -0.05f) << "the brake itself never reverses the car";
}

TEST(CarTest, HoldingBrakeAtStandstillReverses) {
  CarRig rig;
  rig.drive(0.0f, -1.0f, 60);
  EXPECT_LT(forward_speed(rig.body()), -1.0f);
}

TEST(CarTest, CoastingSlowsDown) {
  CarRig rig(20.0f);
  rig.drive(0.0f, 0.0f, 60);
  const float v = forward_speed(rig.body());
  EXPECT_LT(v, 20.0f);
  EXPECT_GT(v, 15.0f);
}

TEST(CarTest, SteeringLeftTurnsLeft) {
  CarRig rig(10.0f);
  rig.drive(1.0f, 0.2f, 30);
  EXPECT_GT(rig.body().GetAngle(), 0.3f) << "heading should turn counter-clockwise";
  EXPECT_GT(rig.body().GetPosition().y, 0.5f) << "car should move to its left (+y)";
}

TEST(CarTest, SteeringRightTurnsRight) {
  CarRig rig(10.0f);
  rig.drive(-1.0f, 0.2f, 30);
  EXPECT_LT(rig.body().GetAngle(), -0.3f);
  EXPECT_LT(rig.body().GetPosition().y, -0.5f);
}

TEST(CarTest, SteeringIsRateLimited) {
  CarRig rig(10.0f);
  rig.drive(1.0f, 0.0f, 1);
  const CarSpec& spec = rig.world.scenario->car;
  EXPECT_NEAR(rig.world.cars[0].state.steer_angle, spec.steer_rate * rig.world.scenario->episode.dt, 1e-5f);
}

/// Radius of the path actually driven (v / ω) after a second at full lock, over the radius the
/// wheels point at (wheelbase / tan δ): 1 when the tyres hold, much more when the car slides wide.
float path_radius_over_kinematic_radius(float speed) {
  CarRig rig(speed);
  rig.drive(1.0f, 0.0f, 30);
  const CarSpec& spec = rig.world.scenario->car;
  const float driven = rig.body().GetLinearVelocity().Length() / std::fabs(rig.body().GetAngularVelocity());
  const float kinematic = (spec.cg_to_front_axle + spec.cg_to_rear_axle) / std::tan(spec.max_steer);
  return driven / kinematic;
}

TEST(CarTest, TooFastIntoAHairpinSlides) {
  // At 5 m/s full lock needs v²/R ≈ 5 m/s², below μg: the car turns where its wheels point.
  // At 25 m/s it would need ~140 m/s²: the front tyres saturate and the car slides wide.
  EXPECT_LT(path_radius_over_kinematic_radius(5.0f), 1.3f);
  EXPECT_GT(path_radius_over_kinematic_radius(25.0f), 5.0f);
}

TEST(CarTest, TyreForcesNeverExceedTheFrictionLimit) {
  // The tyre model's whole point: the axles together can push at most μ m g, so however hard the
  // car is thrown into a corner its acceleration stays below μ g plus the small drag terms.
  CarRig rig(25.0f);
  rig.world.cars[0].state.controls = controls_from_action(1.0f, 0.0f);
  const float dt = rig.world.scenario->episode.dt;
  float max_accel = 0.0f;
  for (int k = 0; k < 60; ++k) {
    const b2Vec2 before = rig.body().GetLinearVelocity();
    step_world(rig.world, rig.events);
    max_accel = std::max(max_accel, (rig.body().GetLinearVelocity() - before).Length() / dt);
  }
  const float mu_g = rig.world.scenario->car.tyre_friction * kGravity;
  EXPECT_GT(max_accel, 0.8f * mu_g) << "the car should use its grip";
  EXPECT_LT(max_accel, mu_g + 1.0f);
}

}  // namespace
}  // namespace sim
