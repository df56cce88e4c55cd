// Car dynamics: steering rate limit, drive/brake split, friction-circle tyres, drag (see car.h).
#include "sim/car.h"

#include <algorithm>
#include <cmath>

namespace sim {
namespace {

float clamp_unit(float x) { return std::isfinite(x) ? std::clamp(x, -1.0f, 1.0f) : 0.0f; }

/// Applies the impulse along unit `dir` at world point p that cancels the velocity of p along dir,
/// with magnitude at most max_impulse. Effective mass along dir at p: 1 / (1/m + (r × dir)^2 / I).
void cancel_velocity_at(b2Body& body, b2Vec2 p, b2Vec2 dir, float max_impulse) {
  const float v = b2Dot(body.GetLinearVelocityFromWorldPoint(p), dir);
  const b2Vec2 r = p - body.GetWorldCenter();
  const float rn = b2Cross(r, dir);
  const float k = 1.0f / body.GetMass() + rn * rn / body.GetInertia();
  const float impulse = std::clamp(-v / k, -max_impulse, max_impulse);
  body.ApplyLinearImpulse(impulse * dir, p, true);
}

/// Longitudinal force (N, + forward) the driver asks for at forward speed v.
float drive_force(const CarSpec& spec, float throttle, float v, float mass, float h) {
  constexpr float kStopSpeed = 0.5f;  // m/s: below this, negative throttle means reverse
  if (throttle >= 0.0f) {
    // Constant force up to the power limit: F = min(F_max, P / |v|).
    const float limit = std::min(spec.engine_force, spec.max_power / std::max(std::fabs(v), 1.0f));
    return throttle * limit;
  }
  if (v > kStopSpeed) {
    // Brake against the motion, never so hard that one substep would reverse it.
    return -std::min(-throttle * spec.brake_force, mass * v / h);
  }
  const float limit = std::min(spec.reverse_force, spec.max_power / std::max(std::fabs(v), 1.0f));
  return throttle * limit;
}

/// The hull corners in the car's own frame (x forward, y left), counter-clockwise.
void local_corners(const CarSpec& spec, b2Vec2 out[4]) {
  const float hl = 0.5f * spec.length;
  const float hw = 0.5f * spec.width;
  out[0] = {-hl, -hw};
  out[1] = {hl, -hw};
  out[2] = {hl, hw};
  out[3] = {-hl, hw};
}

}  // namespace

CarControls controls_from_action(float steer, float throttle) {
  return {clamp_unit(steer), clamp_unit(throttle)};
}

float forward_speed(const b2Body& body) {
  return b2Dot(body.GetLinearVelocity(), body.GetWorldVector(b2Vec2(1.0f, 0.0f)));
}

float lateral_speed(const b2Body& body) {
  return b2Dot(body.GetLinearVelocity(), body.GetWorldVector(b2Vec2(0.0f, 1.0f)));
}

void car_hull(const CarSpec& spec, b2Vec2 position, float angle, b2Vec2 out[4]) {
  b2Vec2 local[4];
  local_corners(spec, local);
  const b2Rot q(angle);
  for (int k = 0; k < 4; ++k) out[k] = position + b2Mul(q, local[k]);
}

void car_corners(const b2Body& body, const CarSpec& spec, b2Vec2 out[4]) {
  b2Vec2 local[4];
  local_corners(spec, local);
  for (int k = 0; k < 4; ++k) out[k] = body.GetWorldPoint(local[k]);
}

void apply_car_forces(CarState& car, const CarSpec& spec, float h) {
  b2Body& body = *car.body;
  const float mass = body.GetMass();

  // 1. Steering: the wheels turn toward the command at a finite rate.
  const float target = car.controls.steer * spec.max_steer;
  const float max_delta = spec.steer_rate * h;
  car.steer_angle += std::clamp(target - car.steer_angle, -max_delta, max_delta);

  const b2Vec2 forward = body.GetWorldVector(b2Vec2(1.0f, 0.0f));
  const b2Vec2 left = body.GetWorldVector(b2Vec2(0.0f, 1.0f));
  const float v = b2Dot(body.GetLinearVelocity(), forward);

  // 2. Static axle loads and the longitudinal force split in proportion to them, so that both
  //    axles use the same fraction of their grip (no wheelspin-induced spin at full throttle).
  const float wheelbase = spec.cg_to_front_axle + spec.cg_to_rear_axle;
  const float load_front = mass * kGravity * spec.cg_to_rear_axle / wheelbase;
  const float load_rear = mass * kGravity * spec.cg_to_front_axle / wheelbase;
  const float grip_front = spec.tyre_friction * load_front;
  const float grip_rear = spec.tyre_friction * load_rear;
  const float force = drive_force(spec, car.controls.throttle, v, mass, h);
  const float fx_front = std::clamp(force * load_front / (load_front + load_rear), -grip_front, grip_front);
  const float fx_rear = std::clamp(force * load_rear / (load_front + load_rear), -grip_rear, grip_rear);

  const float c = std::cos(car.steer_angle);
  const float s = std::sin(car.steer_angle);
  const b2Vec2 wheel_dir = c * forward + s * left;     // front wheels' rolling direction
  const b2Vec2 wheel_side = -s * forward + c * left;   // and their sideways direction
  const b2Vec2 front_axle = body.GetWorldCenter() + spec.cg_to_front_axle * forward;
  const b2Vec2 rear_axle = body.GetWorldCenter() - spec.cg_to_rear_axle * forward;
  body.ApplyLinearImpulse(h * fx_front * wheel_dir, front_axle, true);
  body.ApplyLinearImpulse(h * fx_rear * forward, rear_axle, true);

  // 3. Lateral grip: what the friction circle leaves after the longitudinal force.
  const float lat_front = std::sqrt(std::max(0.0f, grip_front * grip_front - fx_front * fx_front));
  const float lat_rear = std::sqrt(std::max(0.0f, grip_rear * grip_rear - fx_rear * fx_rear));
  cancel_velocity_at(body, front_axle, wheel_side, h * lat_front);
  cancel_velocity_at(body, rear_axle, left, h * lat_rear);

  // 4. Drag and rolling resistance against the velocity; together they may stop, never reverse it.
  const b2Vec2 vel = body.GetLinearVelocity();
  const float speed = vel.Length();
  if (speed > 1e-3f) {
    const float resist = spec.drag * speed * speed + spec.rolling_resistance * mass * kGravity;
    const float impulse = std::min(resist * h, mass * speed);
    body.ApplyLinearImpulse(-(impulse / speed) * vel, body.GetWorldCenter(), true);
  }
}

}  // namespace sim
