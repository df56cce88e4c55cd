// Lidar casting against the static grid and the other cars' hulls.
#include "sim/sensors.h"

#include <algorithm>
#include <cmath>

#include "sim/geometry.h"

namespace sim {

float ray_angle(const SensorSpec& spec, int k) {
  if (spec.rays == 1) return 0.0f;
  const float step = spec.fov / static_cast<float>(spec.rays - 1);
  return -0.5f * spec.fov + step * static_cast<float>(k);
}

float corridor_offset(const SensorSpec& spec, float car_width, int k) {
  if (spec.corridor_rays == 1) return 0.0f;
  const float step = car_width / static_cast<float>(spec.corridor_rays - 1);
  return -0.5f * car_width + step * static_cast<float>(k);
}

std::vector<b2Vec2> ray_directions(const SensorSpec& spec) {
  std::vector<b2Vec2> dirs(static_cast<std::size_t>(spec.rays));
  for (int k = 0; k < spec.rays; ++k) {
    const float a = ray_angle(spec, k);
    dirs[static_cast<std::size_t>(k)] = b2Vec2(std::cos(a), std::sin(a));
  }
  return dirs;
}

void cast_rays(const World& world, int car, std::span<float> out) {
  const Scenario& sc = *world.scenario;
  const float range = sc.sensors.range;
  const b2Body& body = *world.cars[static_cast<std::size_t>(car)].state.body;
  const b2Transform& xf = body.GetTransform();
  const b2Vec2 origin = xf.p;

  // Other cars close enough to be seen: their hulls, gathered once for all rays.
  constexpr int kMaxVisibleCars = 16;
  b2Vec2 hulls[kMaxVisibleCars][4];
  int visible = 0;
  const float reach = range + 0.5f * std::sqrt(sc.car.length * sc.car.length + sc.car.width * sc.car.width);
  for (std::size_t j = 0; j < world.cars.size() && visible < kMaxVisibleCars; ++j) {
    if (static_cast<int>(j) == car) continue;
    const b2Body& other = *world.cars[j].state.body;
    if (b2DistanceSquared(origin, other.GetPosition()) > reach * reach) continue;
    car_corners(other, sc.car, hulls[visible++]);
  }

  // Traffic and movers within reach (none in most scenarios): the static grid does not know them.
  const ActorShape* actors[kMaxVisibleActors];
  int visible_actors = 0;
  const float corridor_reach = range + 0.5f * sc.car.width;
  for (const ActorShape& a : world.actor_shapes) {
    const float r = corridor_reach + a.radius;
    if (visible_actors < kMaxVisibleActors && b2DistanceSquared(origin, a.centre) <= r * r) actors[visible_actors++] = &a;
  }

  const auto cast = [&](b2Vec2 from, b2Vec2 dir) {
    float best = world.track->geometry.ray_distance(from, dir, range);
    for (int v = 0; v < visible; ++v) {
      for (int e = 0; e < 4; ++e) {
        const float t = ray_segment(from, dir, hulls[v][e], hulls[v][(e + 1) % 4]);
        if (t >= 0.0f && t < best) best = t;
      }
    }
    for (int v = 0; v < visible_actors; ++v) {
      const ActorShape& a = *actors[v];
      if (a.circle) {
        const float t = ray_circle(from, dir, a.centre, a.radius);
        if (t >= 0.0f && t < best) best = t;
        continue;
      }
      for (int e = 0; e < 4; ++e) {
        const float t = ray_segment(from, dir, a.corners[e], a.corners[(e + 1) % 4]);
        if (t >= 0.0f && t < best) best = t;
      }
    }
    return best;
  };
  const int rays = sc.sensors.rays;
  for (int k = 0; k < rays; ++k) {
    out[static_cast<std::size_t>(k)] = cast(origin, b2Mul(xf.q, world.ray_directions[static_cast<std::size_t>(k)]));
  }
  const b2Vec2 forward = b2Mul(xf.q, b2Vec2(1.0f, 0.0f));
  const b2Vec2 left = b2Mul(xf.q, b2Vec2(0.0f, 1.0f));
  for (int k = 0; k < sc.sensors.corridor_rays; ++k) {
    const float offset = corridor_offset(sc.sensors, sc.car.width, k);
    out[static_cast<std::size_t>(rays + k)] = cast(origin + offset * left, forward);
  }
}

}  // namespace sim
