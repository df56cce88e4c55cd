// Builds the observation vector described in observation.h.
#include "sim/observation.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sim/geometry.h"
#include "sim/sensors.h"

namespace sim {
namespace {

/// Angle wrapped into [-π, π).
float wrap_angle(float a) {
  constexpr float kTwoPi = 2.0f * std::numbers::pi_v<float>;
  a = fmod_fast(a + std::numbers::pi_v<float>, kTwoPi);
  if (a < 0.0f) a += kTwoPi;
  return a - std::numbers::pi_v<float>;
}

}  // namespace

void observe(const World& world, int i, std::span<float> out) {
  const Scenario& sc = *world.scenario;
  const Track& track = *world.track;
  const Car& car = world.cars[static_cast<std::size_t>(i)];
  const b2Body& body = *car.state.body;
  const int lidar = lidar_size(sc.sensors);

  cast_rays(world, i, out.subspan(0, static_cast<std::size_t>(lidar)));
  const float inv_range = 1.0f / sc.sensors.range;
  for (int k = 0; k < lidar; ++k) out[static_cast<std::size_t>(k)] *= inv_range;

  const float heading = body.GetAngle();
  const float heading_error = wrap_angle(heading - heading_at(track, car.s));
  float* extra = out.data() + lidar;
  extra[kForwardSpeed] = forward_speed(body) / kForwardSpeedScale;
  extra[kLateralSpeed] = lateral_speed(body) / kLateralSpeedScale;
  extra[kYawRate] = body.GetAngularVelocity() / kYawRateScale;
  extra[kSteer] = car.state.steer_angle / sc.car.max_steer;
  extra[kLateralOffset] = car.lateral / half_width_at(track, car.s);
  extra[kHeadingSin] = std::sin(heading_error);
  extra[kHeadingCos] = std::cos(heading_error);
  for (int k = 0; k < 3; ++k) {
    const float ahead = heading_at(track, car.s + kLookaheadDistances[k]);
    extra[kLookahead10 + k] = wrap_angle(ahead - heading) / std::numbers::pi_v<float>;
  }
  extra[kClearance] = std::min(1.0f, car.clearance / (kClearanceCapFactor * sc.episode.near_miss_distance));

  for (float& v : out) {
    if (!std::isfinite(v)) v = 0.0f;
  }
}

}  // namespace sim
