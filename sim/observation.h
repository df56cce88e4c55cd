// The observation layout, slot by slot — the one place that defines what the policy sees.
//
//   slot                     value                                          unit → scale
//   [0, R)                   lidar ray k (right edge → left edge of the FOV)  m / sensors.range, in [0, 1]
//   [R, L)                   corridor ray k, parallel to the heading          m / sensors.range, in [0, 1]
//                            (car's right side → left side; sensors.h)
//   L + kForwardSpeed        speed along the car's heading                   m/s / 30
//   L + kLateralSpeed        sideways speed (left +), i.e. how much it slides m/s / 10
//   L + kYawRate             yaw rate (counter-clockwise +)                  rad/s / 3
//   L + kSteer               front wheel angle (left +)                      rad / car.max_steer, in [-1, 1]
//   L + kLateralOffset       offset from the centreline (left +)             m / half width at s (±1 at the walls)
//   L + kHeadingSin/Cos      sin, cos of (car heading − track heading)        —
//   L + kLookahead{10,25,50} track heading 10/25/50 m ahead minus car heading rad / π, in [-1, 1]
//   L + kClearance           exact hull clearance to anything                 m / (2 · near_miss_distance), in [0, 1]
//
// R = sensors.rays, L = R + sensors.corridor_rays (lidar_size). Frames: everything is in the car's
// frame or relative to the track, so the observation of a mirrored track is the mirrored
// observation (fan rays reversed, corridor rays reversed, signed slots negated).
#pragma once

#include <span>

#include "sim/scenario.h"
#include "sim/world.h"

namespace sim {

enum ObservationSlot : int {
  kForwardSpeed = 0,
  kLateralSpeed,
  kYawRate,
  kSteer,
  kLateralOffset,
  kHeadingSin,
  kHeadingCos,
  kLookahead10,
  kLookahead25,
  kLookahead50,
  kClearance,
  kExtraSlots  ///< number of slots after the rays
};

constexpr float kForwardSpeedScale = 30.0f;  ///< m/s
constexpr float kLateralSpeedScale = 10.0f;  ///< m/s
constexpr float kYawRateScale = 3.0f;        ///< rad/s
constexpr float kLookaheadDistances[3] = {10.0f, 25.0f, 50.0f};  ///< m

/// Size of the observation vector for a scenario.
inline int observation_size(const Scenario& scenario) {
  return scenario.sensors.rays + scenario.sensors.corridor_rays + kExtraSlots;
}

/// Writes car i's observation into out (observation_size floats). Non-finite values become 0.
void observe(const World& world, int car, std::span<float> out);

}  // namespace sim
