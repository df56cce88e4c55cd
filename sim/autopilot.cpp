// Pure pursuit: steer angle δ = atan(2 L sin α / d) for wheelbase L, pursued point at distance d
// and bearing α in the car frame; speed by a proportional throttle on the speed error.
#include "sim/autopilot.h"

#include <algorithm>
#include <cmath>

namespace sim {

CarControls autopilot(const World& world, int i, const AutopilotSpec& spec) {
  const Car& car = world.cars[static_cast<std::size_t>(i)];
  const b2Body& body = *car.state.body;
  const CarSpec& cs = world.scenario->car;

  const b2Vec2 target = point_at(*world.track, car.s + spec.lookahead, spec.lateral);
  const b2Vec2 local = body.GetLocalPoint(target);
  const float d = std::max(local.Length(), 1e-3f);
  const float alpha = std::atan2(local.y, local.x);
  const float wheelbase = cs.cg_to_front_axle + cs.cg_to_rear_axle;
  const float delta = std::atan(2.0f * wheelbase * std::sin(alpha) / d);

  const float speed_error = spec.target_speed - forward_speed(body);
  return controls_from_action(delta / cs.max_steer, 0.5f * speed_error);
}

}  // namespace sim
