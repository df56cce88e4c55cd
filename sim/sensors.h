// The lidar: rays from the car's centre, spread evenly and symmetrically over the field of view,
// then corridor rays parallel to the car's heading, from points beside its centre spread across
// its width. The fan's rays diverge, so a small obstacle in the car's path slips between them a
// few metres ahead; the corridor rays see it at range. Each ray reads the distance to the first
// wall, obstacle, other car, traffic car or mover. Static geometry is answered by the track's grid
// (static_geometry.h); cars, traffic and movers by exact ray/box and ray/circle tests.
#pragma once

#include <span>
#include <vector>

#include "sim/scenario.h"
#include "sim/world.h"

namespace sim {

/// Traffic cars and movers a lidar sees at once (the parser allows no more in a scenario).
constexpr int kMaxVisibleActors = 64;

/// Angle (rad) of ray k relative to the car's heading, left positive. Rays run from the right
/// edge of the field of view (k = 0) to the left edge (k = rays - 1); when the count is odd, one
/// ray looks straight ahead.
float ray_angle(const SensorSpec& spec, int k);

/// Lateral offset (m, left positive) from the car's centre of corridor ray k, which runs parallel
/// to the heading. They run from the car's right side (k = 0) to its left side
/// (k = corridor_rays - 1), evenly; a single corridor ray, or the middle one of an odd count, runs
/// down the centreline of the car.
float corridor_offset(const SensorSpec& spec, float car_width, int k);

/// Number of lidar readings: the fan's rays, then the corridor rays.
inline int lidar_size(const SensorSpec& spec) { return spec.rays + spec.corridor_rays; }

/// Unit direction of every ray in the car's frame (x forward, y left).
std::vector<b2Vec2> ray_directions(const SensorSpec& spec);

/// Casts car i's rays (lidar_size of them: the fan's, then the corridor's); out[k] = distance (m)
/// to the first hit, or the range when nothing is hit.
void cast_rays(const World& world, int car, std::span<float> out);

}  // namespace sim
