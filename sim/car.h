// Car dynamics: a rigid box on a Box2D dynamic body driven by a two-axle (bicycle) tyre model.
//
// Each physics substep, before b2World::Step, apply_car_forces
//   1. moves the front wheel angle toward the commanded one at most steer_rate · h;
//   2. computes the drive or brake force and splits it between the axles by static load;
//   3. at each axle, applies the lateral impulse that cancels the axle's sideways velocity, clamped
//      to what the tyre has left after the longitudinal force (friction circle):
//          J_max = h · sqrt((μ N)^2 − F_x^2),   N_front = m g b / (a + b),  N_rear = m g a / (a + b)
//      Below the limit the car follows its wheels; above it the axle slides. Too fast into a
//      hairpin, the lateral force needed (m v² / R) exceeds μ m g and the car drifts wide.
//   4. applies aerodynamic drag (−drag · v|v|) and rolling resistance (C_rr m g, against motion).
#pragma once

#include <box2d/b2_body.h>

#include "sim/scenario.h"

namespace sim {

/// Driver commands, each in [-1, 1]. throttle > 0 drives; throttle < 0 brakes, and reverses once
/// the car has (nearly) stopped.
struct CarControls {
  float steer = 0.0f;               ///< +1 = full left lock
  float throttle = 0.0f;
};

/// The one place actions are clamped: raw policy outputs (unbounded Gaussian samples) → controls.
/// Non-finite values become 0.
CarControls controls_from_action(float steer, float throttle);

struct CarState {
  b2Body* body = nullptr;
  float steer_angle = 0.0f;         ///< rad, current front wheel angle (left positive)
  CarControls controls;             ///< what the car is being asked to do
};

/// Applies one substep (h seconds) of steering, drive, brake, tyre and drag forces.
void apply_car_forces(CarState& car, const CarSpec& spec, float h);

/// Forward (+x of the body) and leftward components of the body's velocity, m/s.
float forward_speed(const b2Body& body);
float lateral_speed(const b2Body& body);

/// The four hull corners of a car at `position` heading `angle`, counter-clockwise.
void car_hull(const CarSpec& spec, b2Vec2 position, float angle, b2Vec2 out[4]);

/// The four hull corners of a car's body in world coordinates, counter-clockwise.
void car_corners(const b2Body& body, const CarSpec& spec, b2Vec2 out[4]);

constexpr float kGravity = 9.81f;   ///< m/s^2

}  // namespace sim
