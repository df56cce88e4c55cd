// StaticGeometry: the segments and circles that never move (walls, obstacles), in a uniform grid.
// Box2D's b2World::RayCast walks a dynamic tree built for moving bodies; the track never moves, so
// a flat grid answers rays and clearance queries several times faster and without callbacks.
#pragma once

#include <box2d/b2_collision.h>
#include <box2d/b2_math.h>

#include <cstdint>
#include <vector>

namespace sim {

/// What a static item belongs to, so a hit can be told apart (a wall, or obstacle k).
struct StaticTag {
  enum Kind : std::uint8_t { Wall, Obstacle } kind = Wall;
  std::int32_t index = 0;           ///< obstacle index for Obstacle; 0 = left wall, 1 = right wall
};

struct RayHit {
  float distance = 0.0f;            ///< m; equals max_distance when nothing was hit
  bool hit = false;
  StaticTag tag;
};

struct ClearanceResult {
  float distance = 0.0f;            ///< m, exact distance between the hull and the nearest item;
                                    ///< max_distance when nothing is that close; 0 when overlapping
  b2Vec2 point{0.0f, 0.0f};         ///< m, closest point on that item (valid when distance < max)
  StaticTag tag;
};

class StaticGeometry {
 public:
  void add_segment(b2Vec2 a, b2Vec2 b, StaticTag tag);
  void add_circle(b2Vec2 centre, float radius, StaticTag tag);

  /// Indexes everything added so far into a grid of square cells (m). Call once, after adding.
  void build(float cell_size = 4.0f);

  /// First item hit by the ray origin + t·direction, t in [0, max_distance]. direction is unit.
  RayHit raycast(b2Vec2 origin, b2Vec2 direction, float max_distance) const;

  /// Exact distance between a convex polygon (counter-clockwise vertices, world frame) and the
  /// nearest item, considering only items closer than max_distance.
  ClearanceResult clearance(const b2Vec2* hull, int count, float max_distance) const;

  int segment_count() const { return static_cast<int>(segments_.size()); }
  int circle_count() const { return static_cast<int>(circles_.size()); }

 private:
  struct Segment { b2Vec2 a, b; StaticTag tag; };
  struct Circle { b2Vec2 centre; float radius; StaticTag tag; };

  // Grid cell (ix, iy) holds items items_[cell_start_[c] .. cell_start_[c+1]); an item id
  // >= 0 is a segment index, < 0 is circle index (-id - 1).
  std::vector<Segment> segments_;
  std::vector<Circle> circles_;
  std::vector<std::int32_t> cell_start_;
  std::vector<std::int32_t> items_;
  b2Vec2 origin_{0.0f, 0.0f};
  float cell_size_ = 4.0f;
  int nx_ = 0, ny_ = 0;
};

}  // namespace sim
