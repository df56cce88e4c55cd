// StaticGeometry: the segments and circles that never move (walls, obstacles), in a uniform grid.
// Box2D's b2World::RayCast walks a dynamic tree built for moving bodies; the track never moves, so
// a flat grid answers rays and clearance queries several times faster and without callbacks.
#pragma once

#include <box2d/b2_collision.h>
#include <box2d/b2_math.h>

#include <cstdint>
#include <span>
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
  /// Cell borders lie at integer multiples of cell_size (the size is doubled until the grid has at
  /// most 4 M cells, which only matters for obstacles kilometres apart). 6 m measured fastest for
  /// a 16-ray lidar on tracks sampled every 0.5-2 m (a cell's wall segments fill a block of 8).
  void build(float cell_size = 6.0f);

  /// First item hit by the ray origin + t·direction, t in [0, max_distance]. direction is unit.
  RayHit raycast(b2Vec2 origin, b2Vec2 direction, float max_distance) const;
  struct Ray {
    b2Vec2 origin{0.0f, 0.0f};
    b2Vec2 direction{1.0f, 0.0f};   ///< unit
  };
  /// out[k] = raycast(rays[k]..., max_distance).distance, bit for bit, without finding what was
  /// hit: the lidar's query, which then touches only the grid and the blocks on each ray's path.
  /// Rays are walked two at a time, a cell of one then a cell of the other, until one of them
  /// stops: each walk is a chain of dependent steps (a division, a compare, a branch on the
  /// result), and two independent chains keep the core busy while either waits.
  void ray_distances(std::span<const Ray> rays, float max_distance, std::span<float> out) const;

  /// Exact distance between a convex polygon (counter-clockwise vertices, world frame) and the
  /// nearest item, considering only items closer than max_distance.
  ClearanceResult clearance(const b2Vec2* hull, int count, float max_distance) const;

  int segment_count() const { return static_cast<int>(segments_.size()); }
  int circle_count() const { return static_cast<int>(circles_.size()); }

 private:
  // One ray's walk through the grid, cell by cell (defined in the .cpp: it holds vector types).
  struct Walk;
  void begin_walk(Walk& w, b2Vec2 origin, b2Vec2 direction, float max_distance) const;
  template <bool kWithTag>
  void visit(Walk& w, float max_distance) const;

  struct Segment { b2Vec2 a, b; StaticTag tag; };
  struct Circle { b2Vec2 centre; float radius; StaticTag tag; };

  // Up to eight segments listed in one cell, as structure of arrays so that a query tests them
  // together with compiler vector types. Unused lanes hold NaN, which no test accepts. 128 bytes
  // on a 64-byte boundary: two cache lines. A query meets a few dozen blocks per step, each env
  // at another place on the track, so their size is what most of the geometry's cache misses
  // cost; the segment each lane holds is kept apart (block_ids_), needed only for a query's answer.
  static constexpr int kLanes = 8;
  struct alignas(64) Block {
    float ax[kLanes], ay[kLanes], bx[kLanes], by[kLanes];
  };
  // Where cell c's listings start: blocks_[cells_[c].block .. cells_[c + 1].block) and
  // circle_ids_[cells_[c].circle .. cells_[c + 1].circle). Both in one entry: one cache line.
  struct CellStart {
    std::int32_t block = 0;
    std::int32_t circle = 0;
  };

  // Cell c = iy * nx_ + ix. An item is listed in every cell its (slightly padded) bounding box
  // overlaps.
  std::vector<Segment> segments_;
  std::vector<Circle> circles_;
  std::vector<CellStart> cells_;
  std::vector<Block> blocks_;
  std::vector<std::int32_t> block_ids_;  ///< kLanes per block: the segment index in each lane
  std::vector<std::int32_t> circle_ids_;
  b2Vec2 origin_{0.0f, 0.0f};
  float cell_size_ = 6.0f;
  float inv_cell_ = 1.0f / 6.0f;    // 1 / cell_size_
  int nx_ = 0, ny_ = 0;
};

}  // namespace sim
