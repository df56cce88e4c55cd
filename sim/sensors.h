// The lidar: rays from the car's centre, spread evenly and symmetrically over the field of view,
// reading the distance to the first wall, obstacle or other car. Static geometry is answered by
// the track's grid (static_geometry.h); other cars by an exact ray/box test.
#pragma once

#include <span>
#include <vector>

#include "sim/scenario.h"
#include "sim/world.h"

namespace sim {

/// Angle (rad) of ray k relative to the car's heading, left positive. Rays run from the right
/// edge of the field of view (k = 0) to the left edge (k = rays - 1); one ray looks straight ahead.
float ray_angle(const SensorSpec& spec, int k);

/// Unit direction of every ray in the car's frame (x forward, y left).
std::vector<b2Vec2> ray_directions(const SensorSpec& spec);

/// Casts car i's rays; out[k] = distance (m) to the first hit, or the range when nothing is hit.
void cast_rays(const World& world, int car, std::span<float> out);

}  // namespace sim
