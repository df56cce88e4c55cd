// The grid of StaticGeometry must answer exactly what a loop over every item answers: known
// layouts (a square room, a circle), rays from outside the grid and along cell borders, and a
// randomized comparison against brute force for thousands of rays and hulls.
#include "sim/static_geometry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/geometry.h"
#include "sim/rng.h"

namespace sim {
namespace {

constexpr float kPi = 3.14159265f;

b2Vec2 unit(float angle) { return {std::cos(angle), std::sin(angle)}; }

/// A 10 m × 10 m room [0, 10]² whose walls are tagged 0..3 (bottom, right, top, left).
StaticGeometry make_room(float cell_size) {
  StaticGeometry g;
  const b2Vec2 c[4] = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
  for (int k = 0; k < 4; ++k) g.add_segment(c[k], c[(k + 1) % 4], {StaticTag::Wall, k});
  g.build(cell_size);
  return g;
}

TEST(StaticGeometryTest, RaysFromTheRoomCentreReadTheWallDistances) {
  const StaticGeometry g = make_room(4.0f);
  const b2Vec2 o{5.0f, 5.0f};
  for (int k = 0; k < 4; ++k) {
    const RayHit h = g.raycast(o, unit(kPi * 0.5f * static_cast<float>(k)), 50.0f);
    EXPECT_TRUE(h.hit);
    EXPECT_NEAR(h.distance, 5.0f, 1e-5f);
  }
  const RayHit diag = g.raycast(o, unit(0.25f * kPi), 50.0f);
  EXPECT_NEAR(diag.distance, 5.0f * std::sqrt(2.0f), 1e-4f);
}

TEST(StaticGeometryTest, RayReportsTheTagOfTheWallItHits) {
  const StaticGeometry g = make_room(4.0f);
  EXPECT_EQ(g.raycast({5, 5}, {1, 0}, 50.0f).tag.index, 1);   // right
  EXPECT_EQ(g.raycast({5, 5}, {0, -1}, 50.0f).tag.index, 0);  // bottom
  EXPECT_EQ(g.raycast({2, 7}, {-1, 0}, 50.0f).tag.index, 3);  // left
}

TEST(StaticGeometryTest, ShortRayMissesAndReportsMaxDistance) {
  const StaticGeometry g = make_room(4.0f);
  const RayHit h = g.raycast({5, 5}, {1, 0}, 3.0f);
  EXPECT_FALSE(h.hit);
  EXPECT_EQ(h.distance, 3.0f);
}

TEST(StaticGeometryTest, RayHitsACircleAtCentreDistanceMinusRadius) {
  StaticGeometry g;
  g.add_circle({20.0f, 3.0f}, 2.0f, {StaticTag::Obstacle, 7});
  g.build();
  const RayHit h = g.raycast({0.0f, 3.0f}, {1, 0}, 50.0f);
  EXPECT_TRUE(h.hit);
  EXPECT_NEAR(h.distance, 18.0f, 1e-5f);
  EXPECT_EQ(h.tag.kind, StaticTag::Obstacle);
  EXPECT_EQ(h.tag.index, 7);
  EXPECT_FALSE(g.raycast({0.0f, 3.0f}, {0, 1}, 50.0f).hit);
}

TEST(StaticGeometryTest, RaysFromOutsideTheGridEnterIt) {
  const StaticGeometry g = make_room(4.0f);
  EXPECT_NEAR(g.raycast({-20.0f, 5.0f}, {1, 0}, 50.0f).distance, 20.0f, 1e-5f);
  EXPECT_NEAR(g.raycast({5.0f, 40.0f}, {0, -1}, 50.0f).distance, 30.0f, 1e-5f);
  // From far below-left along the diagonal: enters at the corner (0, 0).
  const RayHit corner = g.raycast({-3.0f, -3.0f}, unit(0.25f * kPi), 50.0f);
  EXPECT_TRUE(corner.hit);
  EXPECT_NEAR(corner.distance, 3.0f * std::sqrt(2.0f), 1e-4f);
}

TEST(StaticGeometryTest, RaysThatMissTheGridOrEndBeforeItHitNothing) {
  const StaticGeometry g = make_room(4.0f);
  EXPECT_FALSE(g.raycast({-20.0f, 5.0f}, {-1, 0}, 50.0f).hit);  // points away
  EXPECT_FALSE(g.raycast({-20.0f, 50.0f}, {1, 0}, 50.0f).hit);  // passes above
  EXPECT_FALSE(g.raycast({-20.0f, 5.0f}, {1, 0}, 10.0f).hit);   // too short to arrive
}

TEST(StaticGeometryTest, RaysAlongCellBordersSeeItemsOnBothSides) {
  // Cells of 2 m: borders at x, y = 2k. Posts (short segments) touch the border y = 4 from
  // above and from below; a ray running exactly along it must hit both in order.
  StaticGeometry g;
  g.add_segment({6.0f, 4.0f}, {6.0f, 5.0f}, {StaticTag::Obstacle, 0});  // above the border
  g.add_segment({9.0f, 3.0f}, {9.0f, 4.0f}, {StaticTag::Obstacle, 1});  // below it
  g.add_segment({8.0f, 7.5f}, {8.0f, 8.5f}, {StaticTag::Obstacle, 2});  // on the diagonal
  g.add_segment({5.0f, 2.0f}, {6.0f, 2.0f}, {StaticTag::Obstacle, 3});  // ends on x = 6
  g.add_segment({0.0f, 0.0f}, {0.0f, 8.0f}, {StaticTag::Wall, 0});      // to size the grid
  g.add_segment({12.0f, 0.0f}, {12.0f, 8.0f}, {StaticTag::Wall, 1});
  g.build(2.0f);
  const RayHit first = g.raycast({1.0f, 4.0f}, {1, 0}, 50.0f);
  EXPECT_NEAR(first.distance, 5.0f, 1e-5f);
  EXPECT_EQ(first.tag.index, 0);
  const RayHit second = g.raycast({7.0f, 4.0f}, {1, 0}, 50.0f);
  EXPECT_NEAR(second.distance, 2.0f, 1e-5f);
  EXPECT_EQ(second.tag.index, 1);
  // Down the vertical border x = 6, in the cells right of it, onto the end of a segment that
  // lies left of it.
  const RayHit down = g.raycast({6.0f, 3.5f}, {0, -1}, 50.0f);
  EXPECT_NEAR(down.distance, 1.5f, 1e-5f);
  EXPECT_EQ(down.tag.index, 3);
  // Diagonally through the cell corners (4, 4) and (6, 6) into the post at (8, 8).
  const RayHit diag = g.raycast({2.0f, 2.0f}, unit(0.25f * kPi), 50.0f);
  EXPECT_NEAR(diag.distance, 6.0f * std::sqrt(2.0f), 1e-4f);
  EXPECT_EQ(diag.tag.index, 2);
}

TEST(StaticGeometryTest, ClearanceOfABoxInTheRoom) {
  const StaticGeometry g = make_room(4.0f);
  // Box [6, 8] × [4, 5]: 2 m from the right wall, 4 m from the bottom.
  const b2Vec2 hull[4] = {{6, 4}, {8, 4}, {8, 5}, {6, 5}};
  const ClearanceResult c = g.clearance(hull, 4, 3.0f);
  EXPECT_NEAR(c.distance, 2.0f, 1e-5f);
  EXPECT_EQ(c.tag.index, 1);
  EXPECT_NEAR(c.point.x, 10.0f, 1e-5f);
  EXPECT_EQ(g.clearance(hull, 4, 1.5f).distance, 1.5f);  // nothing that close
}

TEST(StaticGeometryTest, ClearanceIsZeroWhenTheHullOverlapsAnItem) {
  StaticGeometry g;
  g.add_circle({5.0f, 5.0f}, 1.0f, {StaticTag::Obstacle, 3});
  g.build();
  const b2Vec2 hull[4] = {{5.5f, 4.5f}, {7.5f, 4.5f}, {7.5f, 5.5f}, {5.5f, 5.5f}};
  const ClearanceResult c = g.clearance(hull, 4, 2.0f);
  EXPECT_EQ(c.distance, 0.0f);
  EXPECT_EQ(c.tag.index, 3);
}

TEST(StaticGeometryTest, QueriesOnAnEmptyGeometryFindNothing) {
  StaticGeometry g;
  g.build();
  EXPECT_FALSE(g.raycast({0, 0}, {1, 0}, 10.0f).hit);
  const b2Vec2 hull[3] = {{0, 0}, {1, 0}, {0, 1}};
  EXPECT_EQ(g.clearance(hull, 3, 2.0f).distance, 2.0f);
}

// Random layouts: short wall-like segments, a few long ones and circles, scattered over a
// 120 m square, against brute force over every item.
struct RandomLayout {
  std::vector<b2Vec2> a, b;
  std::vector<b2Vec2> centre;
  std::vector<float> radius;
  StaticGeometry grid;
};

RandomLayout make_random_layout(Rng& rng) {
  RandomLayout l;
  for (int k = 0; k < 600; ++k) {
    const b2Vec2 p{rng.uniform(0.0f, 120.0f), rng.uniform(0.0f, 120.0f)};
    const float len = k < 580 ? rng.uniform(0.0f, 2.0f) : rng.uniform(5.0f, 40.0f);
    l.a.push_back(p);
    l.b.push_back(p + len * unit(rng.uniform(0.0f, 2.0f * kPi)));
    l.grid.add_segment(l.a.back(), l.b.back(), {StaticTag::Wall, k});
  }
  for (int k = 0; k < 20; ++k) {
    l.centre.push_back({rng.uniform(0.0f, 120.0f), rng.uniform(0.0f, 120.0f)});
    l.radius.push_back(rng.uniform(0.1f, 3.0f));
    l.grid.add_circle(l.centre.back(), l.radius.back(), {StaticTag::Obstacle, k});
  }
  l.grid.build(4.0f);
  return l;
}

TEST(StaticGeometryTest, RaycastEqualsBruteForceOnRandomLayouts) {
  Rng rng(derive_seed(11, 0));
  const RandomLayout l = make_random_layout(rng);
  for (int r = 0; r < 5000; ++r) {
    // A quarter of the origins lie outside the grid.
    const float lo = r % 4 == 0 ? -60.0f : 0.0f;
    const float hi = r % 4 == 0 ? 180.0f : 120.0f;
    const b2Vec2 o{rng.uniform(lo, hi), rng.uniform(lo, hi)};
    const b2Vec2 d = unit(rng.uniform(0.0f, 2.0f * kPi));
    const float range = rng.uniform(1.0f, 80.0f);
    float best = range;
    bool hit = false;
    // What was hit, when nothing else comes within a millimetre of it.
    StaticTag nearest;
    float runner_up = std::numeric_limits<float>::infinity();
    const auto found = [&](float t, StaticTag tag) {
      if (t < 0.0f || t > range) return;
      if (!hit || t < best) {
        runner_up = hit ? best : runner_up;
        best = t;
        nearest = tag;
        hit = true;
      } else {
        runner_up = std::min(runner_up, t);
      }
    };
    for (std::size_t k = 0; k < l.a.size(); ++k) {
      found(ray_segment(o, d, l.a[k], l.b[k]), {StaticTag::Wall, static_cast<std::int32_t>(k)});
    }
    for (std::size_t k = 0; k < l.centre.size(); ++k) {
      found(ray_circle(o, d, l.centre[k], l.radius[k]), {StaticTag::Obstacle, static_cast<std::int32_t>(k)});
    }
    if (!hit) best = range;
    // Both sides run ray_segment_lanes, the grid on vectors; a compiler may round those a last
    // bit differently (fused multiply-add), hence the micrometre.
    const RayHit h = l.grid.raycast(o, d, range);
    ASSERT_EQ(h.hit, hit) << "ray " << r;
    ASSERT_NEAR(h.distance, best, 1e-6f * (1.0f + best)) << "ray " << r;
    if (hit && runner_up > best + 1e-3f) {
      ASSERT_EQ(h.tag.kind, nearest.kind) << "ray " << r;
      ASSERT_EQ(h.tag.index, nearest.index) << "ray " << r;
    }
    // The lidar's query answers the same distance, bit for bit.
    const StaticGeometry::Ray one{o, d};
    float distance = -1.0f;
    l.grid.ray_distances({&one, 1}, range, {&distance, 1});
    ASSERT_EQ(distance, h.distance) << "ray " << r;
  }
}

// The lidar walks rays in pairs, in lockstep, one of a pair often finishing cells before the
// other: every ray of a batch (odd and even sizes, a fan from one origin or rays from scattered
// origins, some outside the grid) reads what raycast reads, bit for bit.
TEST(StaticGeometryTest, RayDistancesOfABatchEqualRaycastOfEachRay) {
  Rng rng(derive_seed(13, 0));
  const RandomLayout l = make_random_layout(rng);
  for (int batch = 0; batch < 400; ++batch) {
    const int n = 1 + batch % 19;
    const bool fan = batch % 3 != 0;
    const float range = rng.uniform(1.0f, 80.0f);
    const b2Vec2 centre{rng.uniform(-30.0f, 150.0f), rng.uniform(-30.0f, 150.0f)};
    std::vector<StaticGeometry::Ray> rays;
    for (int k = 0; k < n; ++k) {
      const b2Vec2 o = fan ? centre : b2Vec2{rng.uniform(-30.0f, 150.0f), rng.uniform(-30.0f, 150.0f)};
      rays.push_back({o, unit(rng.uniform(0.0f, 2.0f * kPi))});
    }
    if (batch % 5 == 0) rays.back().direction = {0.0f, 1.0f};  // axis-parallel
    std::vector<float> out(rays.size(), -1.0f);
    l.grid.ray_distances(rays, range, out);
    for (std::size_t k = 0; k < rays.size(); ++k) {
      ASSERT_EQ(out[k], l.grid.raycast(rays[k].origin, rays[k].direction, range).distance)
          << "batch " << batch << ", ray " << k;
    }
  }
}

TEST(StaticGeometryTest, ClearanceEqualsBruteForceOnRandomLayouts) {
  Rng rng(derive_seed(12, 0));
  const RandomLayout l = make_random_layout(rng);
  for (int r = 0; r < 5000; ++r) {
    // A car-sized box at a random pose, partly outside the grid now and then.
    const b2Vec2 c{rng.uniform(-5.0f, 125.0f), rng.uniform(-5.0f, 125.0f)};
    const b2Rot q(rng.uniform(0.0f, 2.0f * kPi));
    const float hl = rng.uniform(0.5f, 3.0f), hw = rng.uniform(0.3f, 1.5f);
    const b2Vec2 local[4] = {{-hl, -hw}, {hl, -hw}, {hl, hw}, {-hl, hw}};
    b2Vec2 hull[4];
    for (int k = 0; k < 4; ++k) hull[k] = c + b2Mul(q, local[k]);
    const float cap = rng.uniform(0.5f, 6.0f);
    float best = cap;
    for (std::size_t k = 0; k < l.a.size(); ++k) {
      best = std::min(best, polygon_segment_distance(hull, 4, l.a[k], l.b[k], nullptr));
    }
    for (std::size_t k = 0; k < l.centre.size(); ++k) {
      best = std::min(best, polygon_circle_distance(hull, 4, l.centre[k], l.radius[k], nullptr));
    }
    ASSERT_EQ(l.grid.clearance(hull, 4, cap).distance, best) << "hull " << r;
  }
}

}  // namespace
}  // namespace sim
