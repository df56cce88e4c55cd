// Lidar casting against the static grid and the other cars' hulls.
#include "sim/sensors.h"

#include <algorithm>
#include <cmath>

#include "sim/geometry.h"

namespace sim {
namespace {

// No fused multiply-adds in a function: GCC is told per function; clang, which fuses only within
// one expression, per block.
#if defined(__clang__)
#define CRASHCOURSE_NO_FMA_FUNCTION
#define CRASHCOURSE_NO_FMA_BLOCK _Pragma("clang fp contract(off)")
#else
#define CRASHCOURSE_NO_FMA_FUNCTION [[gnu::optimize("fp-contract=off")]]
#define CRASHCOURSE_NO_FMA_BLOCK
#endif

/// q·v with each product rounded before the sum, as every recorded episode and checkpoint so far
/// was computed: a fused multiply-add, which the compiler may form or not depending on what the
/// code around it looks like, would change the rays' last bits and with them whole trajectories.
CRASHCOURSE_NO_FMA_FUNCTION [[gnu::noinline]] b2Vec2 rotate(const b2Rot& q, b2Vec2 v) {
  CRASHCOURSE_NO_FMA_BLOCK
  return {q.c * v.x - q.s * v.y, q.s * v.x + q.c * v.y};
}

}  // namespace

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

  // What moves, for one ray: the nearer of `best` (the static grid's answer) and the first car,
  // traffic car or mover on it.
  const auto nearest_moving = [&](b2Vec2 from, b2Vec2 dir, float best) {
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

  // The static grid for a chunk of rays at once (it walks them in pairs), then what moves.
  const int rays = sc.sensors.rays;
  const int count = lidar_size(sc.sensors);
  constexpr int kChunk = 32;
  StaticGeometry::Ray chunk[kChunk];
  const b2Vec2 forward = b2Mul(xf.q, b2Vec2(1.0f, 0.0f));
  const b2Vec2 left = b2Mul(xf.q, b2Vec2(0.0f, 1.0f));
  for (int begin = 0; begin < count; begin += kChunk) {
    const int n = std::min(kChunk, count - begin);
    for (int k = 0; k < n && begin + k < rays; ++k) {
      chunk[k] = {origin, rotate(xf.q, world.ray_directions[static_cast<std::size_t>(begin + k)])};
    }
    for (int k = std::max(0, rays - begin); k < n; ++k) {
      chunk[k] = {origin + corridor_offset(sc.sensors, sc.car.width, begin + k - rays) * left, forward};
    }
    const std::span<float> distances = out.subspan(static_cast<std::size_t>(begin), static_cast<std::size_t>(n));
    world.track->geometry.ray_distances({chunk, static_cast<std::size_t>(n)}, range, distances);
    if (visible == 0 && visible_actors == 0) continue;
    for (int k = 0; k < n; ++k) {
      float& d = distances[static_cast<std::size_t>(k)];
      d = nearest_moving(chunk[k].origin, chunk[k].direction, d);
    }
  }
}

}  // namespace sim
