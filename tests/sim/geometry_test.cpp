// Exact distances and ray intersections of geometry.h against hand-computed cases, plus the
// properties they must keep: overlap and containment give 0, distances are symmetric, and rays
// handle parallel and degenerate inputs.
#include "sim/geometry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "sim/rng.h"

namespace sim {
namespace {

// Unit square [0, 1]², counter-clockwise.
const b2Vec2 kSquare[4] = {{0.0f, 0.0f}, {1.0f, 0.0f}, {1.0f, 1.0f}, {0.0f, 1.0f}};

TEST(GeometryTest, FmodFastIsStdFmodBitForBit) {
  const auto bits = [](float x) {
    std::uint32_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
  };
  for (const float period : {476.8f, 6.2831855f, 1.0f, 3e-3f}) {
    std::vector<float> xs = {0.0f, -0.0f, period, -period, 2.0f * period, -2.0f * period, 3.5f * period,
                             std::nextafter(period, 0.0f), std::nextafter(2.0f * period, 0.0f), -1e-30f, 1e30f};
    Rng rng(7);
    for (int k = 0; k < 20000; ++k) xs.push_back(rng.uniform(-4.0f, 4.0f) * period);
    for (const float x : xs) {
      ASSERT_EQ(bits(fmod_fast(x, period)), bits(std::fmod(x, period))) << x << " mod " << period;
    }
  }
  EXPECT_TRUE(std::isnan(fmod_fast(std::nanf(""), 1.0f)));
}

TEST(GeometryTest, ClosestPointOnSegmentClampsToEndpoints) {
  const b2Vec2 a{0.0f, 0.0f}, b{2.0f, 0.0f};
  EXPECT_FLOAT_EQ(closest_point_on_segment({1.0f, 3.0f}, a, b).x, 1.0f);
  EXPECT_FLOAT_EQ(closest_point_on_segment({-5.0f, 1.0f}, a, b).x, 0.0f);
  EXPECT_FLOAT_EQ(closest_point_on_segment({7.0f, -1.0f}, a, b).x, 2.0f);
}

TEST(GeometryTest, ClosestPointOnZeroLengthSegmentIsThePoint) {
  const b2Vec2 q = closest_point_on_segment({3.0f, 4.0f}, {1.0f, 1.0f}, {1.0f, 1.0f});
  EXPECT_FLOAT_EQ(q.x, 1.0f);
  EXPECT_FLOAT_EQ(q.y, 1.0f);
}

TEST(GeometryTest, SegmentSegmentDistanceOfParallelSegmentsIsTheirGap) {
  EXPECT_FLOAT_EQ(segment_segment_distance({0, 0}, {4, 0}, {1, 3}, {3, 3}), 3.0f);
}

TEST(GeometryTest, SegmentSegmentDistanceEndpointToInterior) {
  // b's endpoint (2, 1) is 1 m above a's interior; a's endpoints are farther from b.
  EXPECT_FLOAT_EQ(segment_segment_distance({0, 0}, {4, 0}, {2, 1}, {2, 5}), 1.0f);
}

TEST(GeometryTest, SegmentSegmentDistanceEndpointToEndpoint) {
  // Closest pair (1, 0)–(4, 4): 3-4-5 triangle.
  EXPECT_FLOAT_EQ(segment_segment_distance({0, 0}, {1, 0}, {4, 4}, {4, 8}), 5.0f);
}

TEST(GeometryTest, CrossingSegmentsHaveZeroDistance) {
  EXPECT_EQ(segment_segment_distance({0, 0}, {2, 2}, {0, 2}, {2, 0}), 0.0f);
}

TEST(GeometryTest, TouchingAndCollinearOverlappingSegmentsHaveZeroDistance) {
  EXPECT_FLOAT_EQ(segment_segment_distance({0, 0}, {2, 0}, {2, 0}, {3, 5}), 0.0f);  // T-touch
  EXPECT_FLOAT_EQ(segment_segment_distance({0, 0}, {2, 0}, {1, 0}, {3, 0}), 0.0f);  // collinear
}

TEST(GeometryTest, ZeroLengthSegmentsMeasureAsPoints) {
  EXPECT_FLOAT_EQ(segment_segment_distance({0, 0}, {0, 0}, {3, 4}, {3, 4}), 5.0f);
  EXPECT_FLOAT_EQ(segment_segment_distance({1, 1}, {1, 1}, {0, 0}, {2, 0}), 1.0f);
}

TEST(GeometryTest, SegmentSegmentDistanceIsSymmetric) {
  const b2Vec2 p[4] = {{0.3f, -1.2f}, {2.7f, 0.4f}, {1.1f, 2.5f}, {4.0f, 3.3f}};
  EXPECT_EQ(segment_segment_distance(p[0], p[1], p[2], p[3]),
            segment_segment_distance(p[2], p[3], p[0], p[1]));
  // Reversing the endpoints changes the rounding, not the answer.
  EXPECT_FLOAT_EQ(segment_segment_distance(p[0], p[1], p[2], p[3]),
                  segment_segment_distance(p[1], p[0], p[3], p[2]));
}

TEST(GeometryTest, PolygonContainsInteriorAndBoundaryButNotOutside) {
  EXPECT_TRUE(polygon_contains(kSquare, 4, {0.5f, 0.5f}));
  EXPECT_TRUE(polygon_contains(kSquare, 4, {1.0f, 0.5f}));  // on an edge
  EXPECT_TRUE(polygon_contains(kSquare, 4, {0.0f, 0.0f}));  // a vertex
  EXPECT_FALSE(polygon_contains(kSquare, 4, {1.01f, 0.5f}));
  EXPECT_FALSE(polygon_contains(kSquare, 4, {-0.5f, -0.5f}));
}

TEST(GeometryTest, PolygonSegmentDistanceFromAFace) {
  b2Vec2 closest;
  EXPECT_FLOAT_EQ(polygon_segment_distance(kSquare, 4, {-1.0f, 3.0f}, {2.0f, 3.0f}, &closest), 2.0f);
  EXPECT_NEAR(closest.y, 3.0f, 1e-6f);
  EXPECT_GE(closest.x, 0.0f);
  EXPECT_LE(closest.x, 1.0f);
}

TEST(GeometryTest, PolygonSegmentDistanceFromACornerIsEuclidean) {
  // The segment x + y = 4 is closest to the corner (1, 1): distance |1 + 1 - 4| / √2 = √2.
  b2Vec2 closest;
  EXPECT_NEAR(polygon_segment_distance(kSquare, 4, {4.0f, 0.0f}, {0.0f, 4.0f}, &closest),
              std::sqrt(2.0f), 1e-6f);
  EXPECT_NEAR(closest.x, 2.0f, 1e-5f);
  EXPECT_NEAR(closest.y, 2.0f, 1e-5f);
}

TEST(GeometryTest, SegmentCrossingAPolygonHasZeroDistance) {
  b2Vec2 closest;
  EXPECT_EQ(polygon_segment_distance(kSquare, 4, {-1.0f, 0.5f}, {2.0f, 0.5f}, &closest), 0.0f);
  EXPECT_TRUE(polygon_contains(kSquare, 4, closest));
}

TEST(GeometryTest, SegmentWhollyInsideAPolygonHasZeroDistance) {
  // No edge crossing at all: only containment tells.
  EXPECT_EQ(polygon_segment_distance(kSquare, 4, {0.2f, 0.3f}, {0.7f, 0.6f}, nullptr), 0.0f);
  EXPECT_EQ(polygon_segment_distance(kSquare, 4, {0.5f, 0.5f}, {0.5f, 0.5f}, nullptr), 0.0f);
}

TEST(GeometryTest, PolygonCircleDistanceSubtractsTheRadius) {
  b2Vec2 closest;
  EXPECT_FLOAT_EQ(polygon_circle_distance(kSquare, 4, {4.0f, 0.5f}, 1.0f, &closest), 2.0f);
  EXPECT_NEAR(closest.x, 3.0f, 1e-6f);  // on the circle, facing the square
  EXPECT_NEAR(closest.y, 0.5f, 1e-6f);
}

TEST(GeometryTest, PolygonCircleOverlapAndContainmentGiveZero) {
  EXPECT_EQ(polygon_circle_distance(kSquare, 4, {1.5f, 0.5f}, 1.0f, nullptr), 0.0f);   // overlap
  EXPECT_EQ(polygon_circle_distance(kSquare, 4, {0.5f, 0.5f}, 0.1f, nullptr), 0.0f);   // inside
  EXPECT_EQ(polygon_circle_distance(kSquare, 4, {0.5f, 0.5f}, 10.0f, nullptr), 0.0f);  // around
}

TEST(GeometryTest, PolygonPolygonDistanceBetweenSeparatedSquares) {
  const b2Vec2 b[4] = {{3.0f, 0.5f}, {4.0f, 0.5f}, {4.0f, 1.5f}, {3.0f, 1.5f}};
  b2Vec2 closest;
  EXPECT_FLOAT_EQ(polygon_polygon_distance(kSquare, 4, b, 4, &closest), 2.0f);
  EXPECT_FLOAT_EQ(closest.x, 3.0f);
}

TEST(GeometryTest, PolygonPolygonDistanceCornerToCorner) {
  const b2Vec2 b[4] = {{4.0f, 5.0f}, {5.0f, 5.0f}, {5.0f, 6.0f}, {4.0f, 6.0f}};
  EXPECT_FLOAT_EQ(polygon_polygon_distance(kSquare, 4, b, 4, nullptr), 5.0f);  // (1,1)–(4,5)
}

TEST(GeometryTest, OverlappingAndNestedPolygonsHaveZeroDistance) {
  const b2Vec2 cross_shape[4] = {{0.4f, -1.0f}, {0.6f, -1.0f}, {0.6f, 2.0f}, {0.4f, 2.0f}};
  const b2Vec2 inner[4] = {{0.4f, 0.4f}, {0.6f, 0.4f}, {0.6f, 0.6f}, {0.4f, 0.6f}};
  b2Vec2 closest;
  EXPECT_EQ(polygon_polygon_distance(kSquare, 4, cross_shape, 4, &closest), 0.0f);
  EXPECT_TRUE(polygon_contains(kSquare, 4, closest));
  EXPECT_EQ(polygon_polygon_distance(kSquare, 4, inner, 4, nullptr), 0.0f);
  EXPECT_EQ(polygon_polygon_distance(inner, 4, kSquare, 4, nullptr), 0.0f);
}

TEST(GeometryTest, PolygonPolygonDistanceIsSymmetric) {
  const b2Vec2 b[4] = {{2.0f, 2.5f}, {3.0f, 1.5f}, {4.0f, 2.5f}, {3.0f, 3.5f}};  // a diamond
  EXPECT_FLOAT_EQ(polygon_polygon_distance(kSquare, 4, b, 4, nullptr),
                  polygon_polygon_distance(b, 4, kSquare, 4, nullptr));
}

TEST(GeometryTest, RaySegmentHitsAtTheCrossingDistance) {
  EXPECT_FLOAT_EQ(ray_segment({0, 0}, {1, 0}, {3, -1}, {3, 1}), 3.0f);
  const float s = std::sqrt(0.5f);
  EXPECT_NEAR(ray_segment({0, 0}, {s, s}, {0, 4}, {4, 0}), 2.0f * std::sqrt(2.0f), 1e-5f);
}

TEST(GeometryTest, RaySegmentMissesBehindBesideAndAway) {
  EXPECT_LT(ray_segment({0, 0}, {1, 0}, {-3, -1}, {-3, 1}), 0.0f);  // behind the origin
  EXPECT_LT(ray_segment({0, 0}, {1, 0}, {3, 0.5f}, {3, 2}), 0.0f);  // beside the segment
  EXPECT_LT(ray_segment({0, 0}, {0, 1}, {3, -1}, {3, 1}), 0.0f);    // parallel to it
}

TEST(GeometryTest, RayParallelToASegmentMissesItEvenWhenCollinear) {
  // By definition (see ray_segment_lanes): in a closed outline the ray meets the neighbouring
  // segment at the shared endpoint instead.
  EXPECT_LT(ray_segment({0, 0}, {1, 0}, {2, 0}, {5, 0}), 0.0f);
  EXPECT_LT(ray_segment({0, 0}, {1, 0}, {4, 0}, {4, 0}), 0.0f);  // zero length, on the line
  // A box edge collinear with the ray: the ray still enters the box at its corner.
  const b2Vec2 box[4] = {{2, 0}, {5, 0}, {5, 1}, {2, 1}};
  float t = -1.0f;
  for (int k = 0; k < 4; ++k) {
    const float tk = ray_segment({0, 0}, {1, 0}, box[k], box[(k + 1) % 4]);
    if (tk >= 0.0f && (t < 0.0f || tk < t)) t = tk;
  }
  EXPECT_FLOAT_EQ(t, 2.0f);
}

TEST(GeometryTest, RayCannotSlipBetweenSegmentsSharingAnEndpoint) {
  // Aimed exactly at the shared vertex of a polyline: at least one of the two must be hit.
  const b2Vec2 o{0.1f, 0.3f};
  const b2Vec2 v{7.3f, 2.9f};
  b2Vec2 d = v - o;
  d.Normalize();
  const float t0 = ray_segment(o, d, {7.0f, -1.0f}, v);
  const float t1 = ray_segment(o, d, v, {7.9f, 6.0f});
  EXPECT_TRUE(t0 >= 0.0f || t1 >= 0.0f);
}

TEST(GeometryTest, RayCircleHitsTheNearSide) {
  EXPECT_FLOAT_EQ(ray_circle({0, 0}, {1, 0}, {5, 0}, 1.0f), 4.0f);
  // Off-centre by 0.6 with radius 1: the chord's half length is 0.8.
  EXPECT_NEAR(ray_circle({0, 0}, {1, 0}, {5, 0.6f}, 1.0f), 4.2f, 1e-5f);
}

TEST(GeometryTest, RayCircleMissesAndStartsInside) {
  EXPECT_LT(ray_circle({0, 0}, {1, 0}, {5, 2}, 1.0f), 0.0f);   // passes beside
  EXPECT_LT(ray_circle({0, 0}, {-1, 0}, {5, 0}, 1.0f), 0.0f);  // points away
  EXPECT_EQ(ray_circle({5.2f, 0}, {1, 0}, {5, 0}, 1.0f), 0.0f);  // inside
}

TEST(GeometryTest, RayCircleIsAccurateForSmallFarCircles) {
  EXPECT_NEAR(ray_circle({0, 0}, {1, 0}, {1000.0f, 0.0f}, 0.01f), 999.99f, 1e-2f);
}

}  // namespace
}  // namespace sim
