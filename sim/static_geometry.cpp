// StaticGeometry: a uniform grid over the segments and circles that never move, answering rays
// (Amanatides-Woo traversal) and hull clearance (exact distance over nearby cells).
//
// Layout: each cell lists the segments whose (slightly padded) bounding box overlaps it, in
// blocks of eight stored as structure of arrays, and its circles by id; per-cell offsets index
// both (CSR). Cells are aligned to multiples of cell_size, so borders sit at known coordinates.
// Queries touch only the cells they need, allocate nothing and keep no state, so one const
// StaticGeometry serves every env thread at once.
//
// Speed: on a ~300 m track a 16-ray lidar meets ~150 segment listings per step. Each block of
// eight is tested at once with the compiler's vector types (GCC/Clang vector extensions: AVX with
// -march=native, two SSE halves without), through the same ray_segment_lanes that defines
// ray_segment, and everything data-dependent (hit or miss, which axis the ray crosses next) is
// selected rather than branched on, except where a ray stops; the lidar walks its rays in pairs
// (ray_distances) so that one ray's steps overlap the other's.

// Built without AVX (CRASHCOURSE_NATIVE=OFF) the compiler splits each 8-lane operation into two
// SSE halves and warns that 32-byte vectors are returned differently from AVX builds. These
// vectors never cross into another translation unit (only this file instantiates the lane
// helpers and ray_segment_lanes with them), so the calling convention cannot mismatch; vectors
// are passed by reference, which leaves only the return-value warning. Set before the includes
// because it is reported at the template's definition in geometry.h.
#pragma GCC diagnostic ignored "-Wpsabi"

#include "sim/static_geometry.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstring>
#include <limits>

#ifdef __AVX__
#include <immintrin.h>
#endif

#include "sim/geometry.h"

namespace sim {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr int kLanes = 8;


using FloatLanes = float __attribute__((vector_size(kLanes * sizeof(float))));
using IntLanes = std::int32_t __attribute__((vector_size(kLanes * sizeof(std::int32_t))));

FloatLanes load(const float* p) {
  FloatLanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

FloatLanes splat(float x) { return FloatLanes{} + x; }
FloatLanes lane_min(const FloatLanes& a, const FloatLanes& b) { return a < b ? a : b; }
FloatLanes lane_max(const FloatLanes& a, const FloatLanes& b) { return a > b ? a : b; }

// Horizontal reductions by halving (three shuffles): a lane-by-lane loop compiles to branches.
float min_of(const FloatLanes& lanes) {
  FloatLanes v = lanes;
  v = lane_min(v, __builtin_shufflevector(v, v, 4, 5, 6, 7, 0, 1, 2, 3));
  v = lane_min(v, __builtin_shufflevector(v, v, 2, 3, 0, 1, 6, 7, 4, 5));
  v = lane_min(v, __builtin_shufflevector(v, v, 1, 0, 3, 2, 5, 4, 7, 6));
  return v[0];
}

/// Whether some lane is at most x: min_of(lanes) <= x, for lanes without NaN, in one compare.
bool any_at_most(const FloatLanes& lanes, float x) {
#ifdef __AVX__
  return _mm256_movemask_ps(reinterpret_cast<__m256>(lanes <= splat(x))) != 0;
#else
  return min_of(lanes) <= x;
#endif
}

/// A lane mask (all ones or zero per lane) as bits: lane i → bit i.
unsigned bits_of(const IntLanes& lanes) {
  IntLanes mask = lanes & IntLanes{1, 2, 4, 8, 16, 32, 64, 128};
  mask |= __builtin_shufflevector(mask, mask, 4, 5, 6, 7, 0, 1, 2, 3);
  mask |= __builtin_shufflevector(mask, mask, 2, 3, 0, 1, 6, 7, 4, 5);
  mask |= __builtin_shufflevector(mask, mask, 1, 0, 3, 2, 5, 4, 7, 6);
  return static_cast<unsigned>(mask[0]);
}

// Items are listed in cells with their bounds grown by this much (m), so that rounding in the
// ray's cell-crossing distances can never make a ray leave a cell before meeting an item that
// touches the border it crosses.
constexpr float kPad = 1e-3f;

// Grid limits: cell_size is doubled until the grid fits (only far-flung obstacles need that).
constexpr double kMaxCells = 1 << 22;

// Hulls with at most this many vertices get the separating-axis lower bound in clearance().
constexpr int kMaxBoundVertices = 8;

/// Cell index of coordinate x along one axis, clamped into the grid.
int cell_of(float x, float origin, float inv_cell, int n) {
  const float f = std::floor((x - origin) * inv_cell);
  if (!(f >= 0.0f)) return 0;  // also catches NaN
  return f >= static_cast<float>(n - 1) ? n - 1 : static_cast<int>(f);
}

}  // namespace

void StaticGeometry::add_segment(b2Vec2 a, b2Vec2 b, StaticTag tag) {
  segments_.push_back({a, b, tag});
}

void StaticGeometry::add_circle(b2Vec2 centre, float radius, StaticTag tag) {
  circles_.push_back({centre, radius, tag});
}

void StaticGeometry::build(float cell_size) {
  static_assert(kLanes == StaticGeometry::kLanes);
  assert(cell_size > 0.0f);
  const int item_count = segment_count() + circle_count();
  cells_.assign(1, CellStart{});
  blocks_.clear();
  block_ids_.clear();
  circle_ids_.clear();
  nx_ = ny_ = 0;
  if (item_count == 0) return;

  // Padded bounds of item k (segments first, then circles).
  auto bounds_of = [this](int k, b2Vec2* lo, b2Vec2* hi) {
    if (k < segment_count()) {
      const Segment& s = segments_[static_cast<std::size_t>(k)];
      *lo = b2Min(s.a, s.b) - b2Vec2(kPad, kPad);
      *hi = b2Max(s.a, s.b) + b2Vec2(kPad, kPad);
    } else {
      const Circle& c = circles_[static_cast<std::size_t>(k - segment_count())];
      const float r = c.radius + kPad;
      *lo = c.centre - b2Vec2(r, r);
      *hi = c.centre + b2Vec2(r, r);
    }
  };

  // Bounds of everything, then a grid aligned to multiples of the cell size that covers them.
  b2Vec2 lo{kInf, kInf};
  b2Vec2 hi{-kInf, -kInf};
  for (int k = 0; k < item_count; ++k) {
    b2Vec2 a, b;
    bounds_of(k, &a, &b);
    lo = b2Min(lo, a);
    hi = b2Max(hi, b);
  }
  for (;;) {
    const double x0 = std::floor(lo.x / cell_size), x1 = std::floor(hi.x / cell_size);
    const double y0 = std::floor(lo.y / cell_size), y1 = std::floor(hi.y / cell_size);
    if ((x1 - x0 + 1.0) * (y1 - y0 + 1.0) <= kMaxCells) {
      origin_ = {static_cast<float>(x0 * cell_size), static_cast<float>(y0 * cell_size)};
      nx_ = static_cast<int>(x1 - x0) + 1;
      ny_ = static_cast<int>(y1 - y0) + 1;
      break;
    }
    cell_size *= 2.0f;
  }
  cell_size_ = cell_size;
  inv_cell_ = 1.0f / cell_size;

  // Calls visit(cell, k) for every cell item k is listed in.
  auto for_each_listing = [&](auto&& visit) {
    for (int k = 0; k < item_count; ++k) {
      b2Vec2 a, b;
      bounds_of(k, &a, &b);
      const int ix0 = cell_of(a.x, origin_.x, inv_cell_, nx_);
      const int ix1 = cell_of(b.x, origin_.x, inv_cell_, nx_);
      const int iy0 = cell_of(a.y, origin_.y, inv_cell_, ny_);
      const int iy1 = cell_of(b.y, origin_.y, inv_cell_, ny_);
      for (int iy = iy0; iy <= iy1; ++iy) {
        for (int ix = ix0; ix <= ix1; ++ix) visit(static_cast<std::size_t>(iy) * nx_ + ix, k);
      }
    }
  };

  // Count listings per cell, lay out blocks and circle ids by prefix sums, then fill.
  const std::size_t cells = static_cast<std::size_t>(nx_) * static_cast<std::size_t>(ny_);
  std::vector<std::int32_t> segment_fill(cells, 0), circle_fill(cells, 0);
  for_each_listing([&](std::size_t c, int k) { ++(k < segment_count() ? segment_fill : circle_fill)[c]; });
  cells_.resize(cells + 1);
  for (std::size_t c = 0; c < cells; ++c) {
    cells_[c + 1].block = cells_[c].block + (segment_fill[c] + kLanes - 1) / kLanes;
    cells_[c + 1].circle = cells_[c].circle + circle_fill[c];
    segment_fill[c] = circle_fill[c] = 0;
  }
  Block empty;
  std::fill_n(&empty.ax[0], 4 * kLanes, std::numeric_limits<float>::quiet_NaN());
  // One more empty block at the end, for raycast() to test in cells that have none.
  const std::size_t block_count = static_cast<std::size_t>(cells_[cells].block) + 1;
  blocks_.assign(block_count, empty);
  block_ids_.assign(block_count * kLanes, 0);
  circle_ids_.assign(static_cast<std::size_t>(cells_[cells].circle), 0);
  for_each_listing([&](std::size_t c, int k) {
    if (k < segment_count()) {
      const int slot = segment_fill[c]++;
      const std::size_t b = static_cast<std::size_t>(cells_[c].block + slot / kLanes);
      Block& block = blocks_[b];
      const Segment& s = segments_[static_cast<std::size_t>(k)];
      const int lane = slot % kLanes;
      block.ax[lane] = s.a.x;
      block.ay[lane] = s.a.y;
      block.bx[lane] = s.b.x;
      block.by[lane] = s.b.y;
      block_ids_[b * kLanes + static_cast<std::size_t>(lane)] = k;
    } else {
      circle_ids_[static_cast<std::size_t>(cells_[c].circle + circle_fill[c]++)] = k - segment_count();
    }
  });
}

// A ray's walk through the grid (Amanatides-Woo): the cell it is in, the ray distance at which it
// crosses the next cell border on each axis (t_next) and between borders (t_step), and per lane
// the nearest segment hit so far; circles (rare) are kept apart in scalars. Held as state so that
// two walks can share one loop.
struct StaticGeometry::Walk {
  b2Vec2 origin{0.0f, 0.0f}, direction{0.0f, 0.0f};
  FloatLanes best_lanes = splat(kInf);
  IntLanes best_blocks{};  // per lane, the block its nearest hit is in (raycast only)
  float best_circle = kInf;
  std::int32_t best_circle_id = 0;
  int ix = 0, iy = 0, step_x = 0, step_y = 0;
  float t_next_x = 0.0f, t_step_x = 0.0f, t_next_y = 0.0f, t_step_y = 0.0f;
  bool done = false;

  float best() const { return std::min(min_of(best_lanes), best_circle); }
  /// raycast's distance: the nearest hit, or max_distance.
  float distance(float max_distance) const {
    const float b = best();
    return b <= max_distance ? b : max_distance;
  }
};

[[gnu::always_inline]] inline void StaticGeometry::begin_walk(Walk& w, b2Vec2 origin, b2Vec2 direction, float max_distance) const {
  w.origin = origin;
  w.direction = direction;
  w.done = nx_ == 0 || !(max_distance > 0.0f);
  if (w.done) return;

  // An origin outside the grid is first moved along the ray to where it enters the grid box
  // (slab method); a ray that misses the box, or ends before it, hits nothing.
  const float inv_x = 1.0f / direction.x;  // ±inf for an axis-parallel ray: handled below
  const float inv_y = 1.0f / direction.y;
  const float box_x1 = origin_.x + static_cast<float>(nx_) * cell_size_;
  const float box_y1 = origin_.y + static_cast<float>(ny_) * cell_size_;
  float t_enter = 0.0f;
  if (origin.x < origin_.x || origin.x > box_x1 || origin.y < origin_.y || origin.y > box_y1) {
    float t_leave = max_distance;
    const float o[2] = {origin.x, origin.y};
    const float d[2] = {direction.x, direction.y};
    const float inv[2] = {inv_x, inv_y};
    const float lo[2] = {origin_.x, origin_.y};
    const float hi[2] = {box_x1, box_y1};
    for (int axis = 0; axis < 2; ++axis) {
      if (d[axis] == 0.0f) {
        if (o[axis] < lo[axis] || o[axis] > hi[axis]) {
          w.done = true;
          return;
        }
        continue;
      }
      float ta = (lo[axis] - o[axis]) * inv[axis];
      float tb = (hi[axis] - o[axis]) * inv[axis];
      if (ta > tb) std::swap(ta, tb);
      t_enter = std::max(t_enter, ta);
      t_leave = std::min(t_leave, tb);
    }
    if (t_enter > t_leave) {
      w.done = true;
      return;
    }
  }

  // Start in the cell holding the entry point. An axis the ray does not move along gets kNever,
  // finite so that kNever * 0 in visit() stays 0.
  constexpr float kNever = 1e30f;
  const b2Vec2 start = origin + t_enter * direction;
  w.ix = cell_of(start.x, origin_.x, inv_cell_, nx_);
  w.iy = cell_of(start.y, origin_.y, inv_cell_, ny_);
  const int up_x = direction.x > 0.0f;
  const int up_y = direction.y > 0.0f;
  w.step_x = 2 * up_x - 1;
  w.step_y = 2 * up_y - 1;
  w.t_next_x = w.t_step_x = w.t_next_y = w.t_step_y = kNever;
  if (direction.x != 0.0f) {
    const float border = origin_.x + static_cast<float>(w.ix + up_x) * cell_size_;
    w.t_next_x = (border - origin.x) * inv_x;
    w.t_step_x = cell_size_ * std::fabs(inv_x);
  }
  if (direction.y != 0.0f) {
    const float border = origin_.y + static_cast<float>(w.iy + up_y) * cell_size_;
    w.t_next_y = (border - origin.y) * inv_y;
    w.t_step_y = cell_size_ * std::fabs(inv_y);
  }
}

template <bool kWithTag>
[[gnu::always_inline]] inline void StaticGeometry::visit(Walk& w, float max_distance) const {
  const std::size_t c = static_cast<std::size_t>(w.iy) * nx_ + w.ix;
  const FloatLanes ox = splat(w.origin.x), oy = splat(w.origin.y);
  const FloatLanes dx = splat(w.direction.x), dy = splat(w.direction.y);
  const FloatLanes miss = splat(kInf);
  auto test_block = [&](std::int32_t k) {
    const Block& b = blocks_[static_cast<std::size_t>(k)];
    const FloatLanes t = ray_segment_lanes<FloatLanes>(ox, oy, dx, dy, load(b.ax), load(b.ay),
                                                       load(b.bx), load(b.by), miss);
    const IntLanes nearer = t < w.best_lanes;
    w.best_lanes = nearer ? t : w.best_lanes;
    if constexpr (kWithTag) w.best_blocks = nearer ? IntLanes{} + k : w.best_blocks;
  };
  // Most cells hold zero or one block. Testing the first block, or the empty one (the last),
  // without a condition leaves a loop that is almost never entered, so its branch is well
  // predicted.
  const std::int32_t first = cells_[c].block;
  const std::int32_t end = cells_[c + 1].block;
  test_block(first < end ? first : static_cast<std::int32_t>(blocks_.size()) - 1);
  for (std::int32_t k = first + 1; k < end; ++k) test_block(k);
  for (std::int32_t k = cells_[c].circle; k < cells_[c + 1].circle; ++k) {
    const std::int32_t id = circle_ids_[static_cast<std::size_t>(k)];
    const Circle& cc = circles_[static_cast<std::size_t>(id)];
    const float t = ray_circle(w.origin, w.direction, cc.centre, cc.radius);
    if (t >= 0.0f && t < w.best_circle) {
      w.best_circle = t;
      w.best_circle_id = id;
    }
  }
  // Every item the ray meets before leaving this cell has now been tested, so a hit closer than
  // the exit distance is final.
  const float t_exit = std::min(w.t_next_x, w.t_next_y);
  // (Lanes never hold NaN: a test that fails on NaN gives kInf.)
  const bool found = any_at_most(w.best_lanes, t_exit) | (w.best_circle <= t_exit);
  // Step to the neighbour across the nearer border. Which axis that is changes from cell to cell
  // without pattern, so it is computed rather than branched on (a finished walk steps on too,
  // but is not visited again).
  const int along_x = w.t_next_x < w.t_next_y;
  w.ix += w.step_x * along_x;
  w.iy += w.step_y * (1 - along_x);
  w.t_next_x += w.t_step_x * static_cast<float>(along_x);
  w.t_next_y += w.t_step_y * static_cast<float>(1 - along_x);
  const bool outside = static_cast<unsigned>(w.ix) >= static_cast<unsigned>(nx_) ||
                       static_cast<unsigned>(w.iy) >= static_cast<unsigned>(ny_);
  w.done = found | (t_exit >= max_distance) | outside;  // visit() is never called once done
}

RayHit StaticGeometry::raycast(b2Vec2 origin, b2Vec2 direction, float max_distance) const {
  Walk w;
  begin_walk(w, origin, direction, max_distance);
  while (!w.done) visit<true>(w, max_distance);
  RayHit result;
  result.distance = w.distance(max_distance);
  const float best = w.best();
  if (!(best <= max_distance)) return result;
  result.hit = true;
  if (w.best_circle == best) {
    result.tag = circles_[static_cast<std::size_t>(w.best_circle_id)].tag;
    return result;
  }
  // The lowest segment id among the lanes holding the best distance (ties are possible where
  // segments share an endpoint).
  std::int32_t id = segment_count();
  for (int lane = 0; lane < kLanes; ++lane) {
    if (w.best_lanes[lane] != best) continue;
    const std::size_t at = static_cast<std::size_t>(w.best_blocks[lane]) * kLanes + static_cast<std::size_t>(lane);
    id = std::min(id, block_ids_[at]);
  }
  result.tag = segments_[static_cast<std::size_t>(id)].tag;
  return result;
}

void StaticGeometry::ray_distances(std::span<const Ray> rays, float max_distance, std::span<float> out) const {
  assert(out.size() >= rays.size());
  std::size_t k = 0;
  for (; k + 2 <= rays.size(); k += 2) {
    Walk a, b;
    begin_walk(a, rays[k].origin, rays[k].direction, max_distance);
    begin_walk(b, rays[k + 1].origin, rays[k + 1].direction, max_distance);
    while (!(a.done | b.done)) {
      visit<false>(a, max_distance);
      visit<false>(b, max_distance);
    }
    while (!a.done) visit<false>(a, max_distance);
    while (!b.done) visit<false>(b, max_distance);
    out[k] = a.distance(max_distance);
    out[k + 1] = b.distance(max_distance);
  }
  if (k < rays.size()) {
    Walk a;
    begin_walk(a, rays[k].origin, rays[k].direction, max_distance);
    while (!a.done) visit<false>(a, max_distance);
    out[k] = a.distance(max_distance);
  }
}

ClearanceResult StaticGeometry::clearance(const b2Vec2* hull, int count, float max_distance) const {
  ClearanceResult result;
  result.distance = max_distance;
  if (nx_ == 0 || count <= 0 || !(max_distance > 0.0f)) return result;

  b2Vec2 hull_lo = hull[0];
  b2Vec2 hull_hi = hull[0];
  for (int i = 1; i < count; ++i) {
    hull_lo = b2Min(hull_lo, hull[i]);
    hull_hi = b2Max(hull_hi, hull[i]);
  }
  // Unit outward edge normals n_i and offsets c_i = n_i · v_i: an item whose points all have
  // n_i · p - c_i >= g for some i is at least g away (projection onto a unit vector never
  // lengthens a distance). For a car beside a wall this bound is the exact distance, so once the
  // nearest wall segment is found the others are rejected without an exact test.
  const int axes = count <= kMaxBoundVertices ? count : 0;
  b2Vec2 normal[kMaxBoundVertices];
  float offset[kMaxBoundVertices];
  for (int i = 0; i < axes; ++i) {
    const b2Vec2 v = hull[i];
    const b2Vec2 w = hull[i + 1 == count ? 0 : i + 1];
    b2Vec2 n{w.y - v.y, v.x - w.x};
    const float len = n.Length();
    n = len > 0.0f ? (1.0f / len) * n : b2Vec2(0.0f, 0.0f);
    normal[i] = n;
    offset[i] = b2Dot(n, v);
  }

  // Only cells within max_distance of the hull's box can hold an item closer than max_distance.
  const float qx0 = hull_lo.x - max_distance, qx1 = hull_hi.x + max_distance;
  const float qy0 = hull_lo.y - max_distance, qy1 = hull_hi.y + max_distance;
  const float grid_x1 = origin_.x + static_cast<float>(nx_) * cell_size_;
  const float grid_y1 = origin_.y + static_cast<float>(ny_) * cell_size_;
  if (qx1 < origin_.x || qy1 < origin_.y || qx0 > grid_x1 || qy0 > grid_y1) return result;
  const int ix0 = cell_of(qx0, origin_.x, inv_cell_, nx_);
  const int ix1 = cell_of(qx1, origin_.x, inv_cell_, nx_);
  const int iy0 = cell_of(qy0, origin_.y, inv_cell_, ny_);
  const int iy1 = cell_of(qy1, origin_.y, inv_cell_, ny_);

  // Two passes. First, the lower bound of every segment listed in the query's cells, eight at a
  // time (the cells of one row are consecutive, so a row is one span of blocks): the larger of
  // the box gap and the separation along the hull's axes. Segments that may come closer than
  // max_distance are queued with their bound. Second, exact tests in order of increasing bound,
  // stopping at the first bound no better than the best distance found: beside a wall, five or
  // six segments have nearly equal bounds and only the nearest needs the exact test. An item
  // listed in several cells is queued more than once; its repeats fail that stopping test.
  float best = max_distance;
  bool found = false;
  StaticTag best_tag;
  b2Vec2 best_point{0.0f, 0.0f};
  auto consider = [&](float d, b2Vec2 point, StaticTag tag) {
    if (d < best) {
      best = d;
      best_point = point;
      best_tag = tag;
      found = true;
    }
  };
  auto exact_segment = [&](std::int32_t block, int lane) {
    const Block& b = blocks_[static_cast<std::size_t>(block)];
    b2Vec2 point;
    const float d = polygon_segment_distance(hull, count, {b.ax[lane], b.ay[lane]},
                                             {b.bx[lane], b.by[lane]}, &point);
    const std::size_t at = static_cast<std::size_t>(block) * kLanes + static_cast<std::size_t>(lane);
    consider(d, point, segments_[static_cast<std::size_t>(block_ids_[at])].tag);
  };
  struct Pending {
    float bound;
    std::int32_t block;
    int lane;
  };
  constexpr int kMaxPending = 64;  // more (dense geometry) are tested on the spot instead
  Pending pending[kMaxPending];
  int pending_count = 0;

  const FloatLanes zero = splat(0.0f);
  for (int iy = iy0; iy <= iy1; ++iy) {
    const std::size_t row = static_cast<std::size_t>(iy) * nx_;
    for (std::int32_t k = cells_[row + ix0].block; k < cells_[row + ix1 + 1].block; ++k) {
      const Block& b = blocks_[static_cast<std::size_t>(k)];
      const FloatLanes ax = load(b.ax), ay = load(b.ay), bx = load(b.bx), by = load(b.by);
      const FloatLanes gx = lane_max(zero, lane_max(lane_min(ax, bx) - hull_hi.x,
                                                    hull_lo.x - lane_max(ax, bx)));
      const FloatLanes gy = lane_max(zero, lane_max(lane_min(ay, by) - hull_hi.y,
                                                    hull_lo.y - lane_max(ay, by)));
      const FloatLanes gap_sq = gx * gx + gy * gy;
      FloatLanes sat = zero;
      for (int i = 0; i < axes; ++i) {
        const FloatLanes sa = normal[i].x * ax + normal[i].y * ay;
        const FloatLanes sb = normal[i].x * bx + normal[i].y * by;
        sat = lane_max(sat, lane_min(sa, sb) - offset[i]);
      }
      // Unused lanes are NaN and fail both comparisons.
      const IntLanes close = (gap_sq < best * best) & (sat < best);
      for (unsigned mask = bits_of(close); mask != 0; mask &= mask - 1) {
        const int lane = std::countr_zero(mask);
        if (pending_count < kMaxPending) {
          pending[pending_count++] = {std::max(sat[lane], std::sqrt(gap_sq[lane])), k, lane};
        } else {
          exact_segment(k, lane);
        }
      }
    }
    for (std::int32_t k = cells_[row + ix0].circle; k < cells_[row + ix1 + 1].circle; ++k) {
      const Circle& c = circles_[static_cast<std::size_t>(circle_ids_[static_cast<std::size_t>(k)])];
      const float gx = std::max(0.0f, std::max(c.centre.x - c.radius - hull_hi.x,
                                               hull_lo.x - c.centre.x - c.radius));
      const float gy = std::max(0.0f, std::max(c.centre.y - c.radius - hull_hi.y,
                                               hull_lo.y - c.centre.y - c.radius));
      if (gx * gx + gy * gy >= best * best) continue;
      b2Vec2 point;
      const float d = polygon_circle_distance(hull, count, c.centre, c.radius, &point);
      consider(d, point, c.tag);
    }
  }
  // Nearest bound first (a selection scan: the queue is short).
  while (pending_count > 0) {
    int next = 0;
    for (int i = 1; i < pending_count; ++i) {
      if (pending[i].bound < pending[next].bound) next = i;
    }
    if (pending[next].bound >= best) break;
    exact_segment(pending[next].block, pending[next].lane);
    pending[next] = pending[--pending_count];
  }
  if (found) {
    result.distance = best;
    result.point = best_point;
    result.tag = best_tag;
  }
  return result;
}

}  // namespace sim
