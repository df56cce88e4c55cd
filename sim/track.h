// Track: the static part of a scenario, built once and shared (const) by every env.
// The centreline is sampled from a closed centripetal Catmull-Rom spline through the control
// points; walls are offset polylines at ± half width; obstacles are resolved to world poses.
// Everything a step asks of static geometry (rays, clearance, projection) is answered here.
#pragma once

#include <box2d/b2_math.h>

#include <array>
#include <memory>
#include <vector>

#include "sim/scenario.h"
#include "sim/static_geometry.h"

namespace sim {

/// An obstacle with its pose resolved into the world frame.
struct Obstacle {
  ObstacleShape shape = ObstacleShape::Box;
  b2Vec2 position{0.0f, 0.0f};      ///< m, centre
  float angle = 0.0f;               ///< rad, world frame
  float length = 1.0f;              ///< m (box)
  float width = 1.0f;               ///< m (box)
  float radius = 0.5f;              ///< m (circle)
  std::array<b2Vec2, 4> corners{};  ///< box corners, counter-clockwise (box only)
};

/// Where a point is relative to the track.
struct TrackPosition {
  float s = 0.0f;                   ///< m, arc length of the closest centreline point, in [0, length)
  float lateral = 0.0f;             ///< m, signed distance from the centreline, left positive
  float half_width = 0.0f;          ///< m, half the track width at s
  int segment = 0;                  ///< index i of the centreline segment [i, i+1] that is closest
};

/// A wall as Box2D and the static grid see it: the sampled polyline with each run of samples that
/// lie within 5 mm of one straight segment merged into a single edge (of at most 12 samples).
/// Straights become a few edges instead of one per metre; curves keep their samples.
struct WallEdges {
  std::vector<int> first;           ///< edge e runs from wall sample first[e] to first[e + 1]
                                    ///< (the last edge back to first[0] = 0)
  std::vector<int> of_sample;       ///< per wall sample k: the edge holding segment k → k+1
};

/// Wall segments within this arc length (m) of a car's position on the centreline are in Box2D;
/// the rest of the track is not (world.h). A car is confined between its own walls, so only they
/// can touch it; keeping Box2D's broad-phase tree to a few dozen edges instead of every wall edge
/// of the lap makes a new world cost microseconds instead of ~0.3 ms, and every step cheaper.
constexpr float kWallWindow = 10.0f;

/// The wall edges Box2D needs around a car on centreline segment k: per side, the edge holding
/// wall segment k − r and the one holding k + r (r = kWallWindow in samples), and every edge
/// between them round the loop. One entry per segment, so a step looks up one cache line.
struct WallWindowEnds {
  std::int32_t first[2];            ///< [side]: edge holding wall segment k − r
  std::int32_t last[2];             ///< [side]: edge holding wall segment k + r
};

/// A path an actor follows: a polyline with the arc length at each point. A closed route joins
/// its last point back to its first.
struct Route {
  std::vector<b2Vec2> points;       ///< m, world frame
  std::vector<float> s;             ///< m, arc length at each point; s[0] = 0
  float length = 0.0f;              ///< m, including the closing segment when closed
  bool closed = true;
};

struct Track {
  // Centreline samples; the loop closes from the last sample back to the first.
  std::vector<b2Vec2> centre;       ///< m
  std::vector<float> s;             ///< m, arc length at each sample; s[0] = 0
  std::vector<b2Vec2> tangent;      ///< unit tangent at each sample
  std::vector<float> half_width;    ///< m, at each sample
  std::vector<float> curvature;     ///< 1/m, signed (left turn positive), at each sample
  std::vector<int> span;            ///< control-point span [i, i+1] each sample was taken from
  float length = 0.0f;              ///< m, total arc length of the loop
  float max_half_width = 0.0f;      ///< m, largest half_width (bounds a plausible projection)

  std::vector<b2Vec2> left_wall;    ///< closed polyline, one point per sample
  std::vector<b2Vec2> right_wall;   ///< closed polyline, one point per sample
  WallEdges wall_edges[2];          ///< [0] left wall, [1] right wall
  std::vector<WallWindowEnds> wall_window;  ///< per centreline segment
  bool wall_window_is_lap = false;  ///< the window is as long as the lap: every edge, always
  std::vector<Obstacle> obstacles;

  std::vector<Route> traffic_routes;///< per scenario.traffic entry: its waypoints, or the offset centreline
  std::vector<Route> mover_paths;   ///< per scenario.movers entry (closed for mode = "loop")

  /// Tracks an env picks from at each reset (randomised width or obstacles, procedural circuits;
  /// scenario_loader.h); empty: this track every episode. Variants have no variants themselves.
  std::vector<std::shared_ptr<const Track>> variants;

  StaticGeometry geometry;          ///< walls and obstacles, indexed for rays and clearance
  b2AABB bounds;                    ///< m, box around walls and obstacles
};

/// Number of centreline samples, and the sample after i on the closed loop.
inline int sample_count(const Track& t) { return static_cast<int>(t.centre.size()); }
inline int next_sample(const Track& t, int i) { return i + 1 == sample_count(t) ? 0 : i + 1; }

/// Builds the track of a scenario whose values have been validated (positive widths, ≥ 3 points).
/// Geometric problems (self-intersection, ...) are found by check_track, not here.
Track build_track(const Scenario& scenario);

/// Closest point of the centreline to p. `hint` is the segment found last time (or -1): with a
/// hint only nearby segments are searched, which is what makes per-step projection cheap.
/// Exact inverse of point_at: project(point_at(s, l)) gives back (s, l). Between samples the
/// normal is interpolated, so s and lateral vary smoothly as p moves (no dead wedge outside a
/// polyline corner); s differs from the strict closest point by at most |lateral| times half the
/// turn between two samples.
TrackPosition project(const Track& track, b2Vec2 p, int hint = -1);

/// The point at arc length s (wrapped into [0, length)) and lateral offset (left positive):
/// centre + lateral * normal, both interpolated linearly between samples. point_at(s, ±half
/// width) lies on the wall polylines wherever the width is constant.
b2Vec2 point_at(const Track& track, float s, float lateral);

/// Direction of the centreline tangent (rad) and signed curvature (1/m) at arc length s.
float heading_at(const Track& track, float s);
float curvature_at(const Track& track, float s);

/// Half width (m) at arc length s.
float half_width_at(const Track& track, float s);

/// Signed difference b - a of two arc lengths on the loop, in [-length/2, length/2).
float arc_delta(const Track& track, float a, float b);

/// Geometric checks that need the built track, appended to `out` with source locations from
/// scenario.source: self-intersecting centreline or walls (a corner tighter than the half width),
/// track narrower than the car can drive, obstacles outside the walls, spawn in a wall or obstacle.
void check_track(const Scenario& scenario, const Track& track, std::vector<Diagnostic>& out);

}  // namespace sim
