// Track building and queries: a spline circle measures like a circle, projection inverts
// point_at and does not depend on the hint, a mirrored track mirrors every signed quantity.
#include "sim/track.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sim/geometry.h"
#include "sim/rng.h"
#include "support/track_scenarios.h"

namespace sim {
namespace {

using namespace sim::testing;

TEST(TrackTest, SplineCircleHasLengthTwoPiR) {
  const float r = 50.0f;
  const Track t = build_track(make_scenario(circle_points(r, 12), 10.0f));
  EXPECT_NEAR(t.length, 2.0f * kPi * r, 0.01f * 2.0f * kPi * r);
  // Samples are about sample_spacing apart and divide the loop evenly.
  EXPECT_NEAR(t.length / static_cast<float>(t.centre.size()), 1.0f, 0.01f);
  EXPECT_EQ(t.s.front(), 0.0f);
}

TEST(TrackTest, CurvatureIsOneOverRWithTheSignOfTheTurn) {
  // A Catmull-Rom spline through points on a circle is not exactly a circle: its curvature is
  // continuous only within a span and swings about ±10 % around 1/R with 16 points (while the
  // radius stays within 3 cm). The mean over the loop is the total turn 2π over the length.
  const float r = 50.0f;
  const Track left = build_track(make_scenario(circle_points(r, 16, true), 10.0f));
  const Track right = build_track(make_scenario(circle_points(r, 16, false), 10.0f));
  float mean_left = 0.0f, mean_right = 0.0f;
  for (std::size_t k = 0; k < left.curvature.size(); ++k) {
    EXPECT_NEAR(left.curvature[k], 1.0f / r, 0.12f / r) << k;
    EXPECT_NEAR(right.curvature[k], -1.0f / r, 0.12f / r) << k;
    mean_left += left.curvature[k] / static_cast<float>(left.curvature.size());
    mean_right += right.curvature[k] / static_cast<float>(right.curvature.size());
  }
  EXPECT_NEAR(mean_left, 1.0f / r, 0.002f / r);
  EXPECT_NEAR(mean_right, -1.0f / r, 0.002f / r);
  EXPECT_NEAR(curvature_at(left, 12.3f), 1.0f / r, 0.12f / r);
}

TEST(TrackTest, WallsLieHalfAWidthEitherSide) {
  const float r = 50.0f, width = 10.0f;
  const Track t = build_track(make_scenario(circle_points(r, 16), width));
  for (std::size_t k = 0; k < t.centre.size(); ++k) {
    EXPECT_NEAR(b2Distance(t.left_wall[k], t.centre[k]), 0.5f * width, 1e-4f);
    // Counter-clockwise: left is towards the centre of the circle.
    EXPECT_NEAR(t.left_wall[k].Length(), r - 0.5f * width, 0.1f);
    EXPECT_NEAR(t.right_wall[k].Length(), r + 0.5f * width, 0.1f);
  }
  EXPECT_NEAR(t.max_half_width, 0.5f * width, 1e-6f);
  EXPECT_LE(t.bounds.lowerBound.x, -r - 0.5f * width + 0.1f);
  EXPECT_GE(t.bounds.upperBound.y, r + 0.5f * width - 0.1f);
}

TEST(TrackTest, WallPolylinesAreTheWallsOfTheGeometry) {
  const Track t = build_track(make_scenario(circle_points(50.0f, 16), 10.0f));
  EXPECT_EQ(t.geometry.segment_count(), 2 * static_cast<int>(t.centre.size()));
  // From the centreline straight left, the first hit is the left wall at half a width.
  const b2Vec2 o = point_at(t, 20.0f, 0.0f);
  const float h = heading_at(t, 20.0f) + 0.5f * kPi;
  const RayHit hit = t.geometry.raycast(o, {std::cos(h), std::sin(h)}, 50.0f);
  EXPECT_NEAR(hit.distance, 5.0f, 1e-3f);
  EXPECT_EQ(hit.tag.kind, StaticTag::Wall);
  EXPECT_EQ(hit.tag.index, 0);
}

TEST(TrackTest, PointAtTheHalfWidthLiesOnTheWall) {
  const Track t = build_track(make_scenario(kidney_points(), 10.0f));
  for (float s = 0.0f; s < t.length; s += 3.7f) {
    const TrackPosition tp = project(t, point_at(t, s, 5.0f), -1);
    const int i = tp.segment, j = (i + 1) % static_cast<int>(t.centre.size());
    const b2Vec2 p = point_at(t, s, 5.0f);
    EXPECT_LT(b2Distance(p, closest_point_on_segment(p, t.left_wall[i], t.left_wall[j])), 1e-3f) << s;
  }
}

TEST(TrackTest, ProjectInvertsPointAt) {
  const Track t = build_track(make_scenario(kidney_points(), 10.0f));
  Rng rng(derive_seed(3, 0));
  for (int k = 0; k < 2000; ++k) {
    const float s = rng.uniform(0.0f, t.length);
    const float lateral = rng.uniform(-5.0f, 5.0f);
    const TrackPosition tp = project(t, point_at(t, s, lateral), -1);
    ASSERT_NEAR(arc_delta(t, s, tp.s), 0.0f, 2e-3f) << "s " << s << " lateral " << lateral;
    ASSERT_NEAR(tp.lateral, lateral, 2e-3f) << "s " << s << " lateral " << lateral;
    ASSERT_GE(tp.s, 0.0f);
    ASSERT_LT(tp.s, t.length);
  }
}

TEST(TrackTest, ProjectReportsArcLengthAndHalfWidthAtTheFoot) {
  const Track t = build_track(make_scenario(circle_points(50.0f, 16), 10.0f));
  const TrackPosition tp = project(t, point_at(t, 30.0f, 2.0f), -1);
  EXPECT_NEAR(tp.s, 30.0f, 1e-3f);
  EXPECT_NEAR(tp.half_width, 5.0f, 1e-5f);
}

TEST(TrackTest, HintedProjectionEqualsGlobalProjection) {
  const Track t = build_track(make_scenario(kidney_points(), 10.0f));
  const int n = static_cast<int>(t.centre.size());
  Rng rng(derive_seed(4, 0));
  for (int k = 0; k < 2000; ++k) {
    const b2Vec2 p = point_at(t, rng.uniform(0.0f, t.length), rng.uniform(-6.0f, 6.0f));
    const TrackPosition global = project(t, p, -1);
    const int hint = (global.segment + static_cast<int>(rng.below(21)) - 10 + n) % n;
    const TrackPosition local = project(t, p, hint);
    ASSERT_EQ(local.segment, global.segment);
    ASSERT_EQ(local.s, global.s);
    ASSERT_EQ(local.lateral, global.lateral);
  }
}

TEST(TrackTest, BadHintFallsBackToGlobalSearch) {
  const Track t = build_track(make_scenario(kidney_points(), 10.0f));
  const b2Vec2 p = point_at(t, 0.6f * t.length, 1.5f);
  const int far_hint = static_cast<int>(0.1f * static_cast<float>(t.centre.size()));
  const TrackPosition tp = project(t, p, far_hint);
  EXPECT_NEAR(tp.s, 0.6f * t.length, 1e-2f);
  EXPECT_NEAR(tp.lateral, 1.5f, 1e-3f);
}

TEST(TrackTest, MirroredTrackMirrorsLateralCurvatureAndHeading) {
  const Track t = build_track(make_scenario(kidney_points(), 10.0f));
  const Track m = build_track(make_scenario(mirrored(kidney_points()), 10.0f));
  ASSERT_EQ(t.centre.size(), m.centre.size());
  EXPECT_NEAR(t.length, m.length, 1e-3f);
  Rng rng(derive_seed(5, 0));
  for (int k = 0; k < 500; ++k) {
    const float s = rng.uniform(0.0f, t.length);
    const float lateral = rng.uniform(-5.0f, 5.0f);
    b2Vec2 p = point_at(t, s, lateral);
    p.y = -p.y;
    const TrackPosition tp = project(m, p, -1);
    ASSERT_NEAR(arc_delta(m, s, tp.s), 0.0f, 1e-2f);
    ASSERT_NEAR(tp.lateral, -lateral, 1e-2f);
    ASSERT_NEAR(curvature_at(m, s), -curvature_at(t, s), 1e-3f);
    ASSERT_NEAR(std::remainder(heading_at(m, s) + heading_at(t, s), 2.0f * kPi), 0.0f, 1e-3f);
  }
}

TEST(TrackTest, ArcDeltaWrapsAroundTheLoop) {
  const Track t = build_track(make_scenario(circle_points(50.0f, 12), 10.0f));
  EXPECT_NEAR(arc_delta(t, t.length - 1.0f, 1.0f), 2.0f, 1e-3f);
  EXPECT_NEAR(arc_delta(t, 1.0f, t.length - 1.0f), -2.0f, 1e-3f);
  EXPECT_NEAR(arc_delta(t, 10.0f, 15.0f), 5.0f, 1e-4f);
  EXPECT_NEAR(arc_delta(t, 10.0f, 10.0f + t.length), 0.0f, 1e-3f);
  // Queries wrap s the same way.
  EXPECT_LT(b2Distance(point_at(t, -3.0f, 1.0f), point_at(t, t.length - 3.0f, 1.0f)), 1e-3f);
}

TEST(TrackTest, WidthsInterpolateBetweenControlPoints) {
  Scenario sc = make_scenario(circle_points(50.0f, 12), 10.0f);
  sc.track.widths[3] = 16.0f;
  const Track t = build_track(sc);
  const auto [lo, hi] = std::minmax_element(t.half_width.begin(), t.half_width.end());
  EXPECT_NEAR(*lo, 5.0f, 1e-4f);
  EXPECT_NEAR(*hi, 8.0f, 1e-2f);  // reached at the control point, never exceeded
  EXPECT_NEAR(half_width_at(t, project(t, sc.track.points[3], -1).s), 8.0f, 1e-2f);
}

TEST(TrackTest, TrackRelativeObstaclesArePlacedAlongTheCentreline) {
  Scenario sc = make_scenario(circle_points(50.0f, 16), 10.0f);
  ObstacleSpec box;
  box.track_relative = true;
  box.s = 40.0f;
  box.offset = -2.0f;
  box.angle = 0.3f;
  box.length = 2.0f;
  box.width = 1.0f;
  sc.obstacles.push_back(box);
  const Track t = build_track(sc);
  ASSERT_EQ(t.obstacles.size(), 1u);
  const Obstacle& o = t.obstacles[0];
  EXPECT_LT(b2Distance(o.position, point_at(t, 40.0f, -2.0f)), 1e-5f);
  EXPECT_NEAR(o.angle, heading_at(t, 40.0f) + 0.3f, 1e-6f);
  // Corners counter-clockwise: positive signed area, equal to length × width.
  float area = 0.0f;
  for (int k = 0; k < 4; ++k) area += b2Cross(o.corners[k], o.corners[(k + 1) % 4]);
  EXPECT_NEAR(0.5f * area, 2.0f, 1e-3f);
  // And the grid knows it as obstacle 0: 4 edges beside the walls.
  EXPECT_EQ(t.geometry.segment_count(), 2 * static_cast<int>(t.centre.size()) + 4);
  const b2Vec2 hull[4] = {o.corners[0], o.corners[1], o.corners[2], o.corners[3]};
  const ClearanceResult c = t.geometry.clearance(hull, 4, 1.0f);
  EXPECT_EQ(c.distance, 0.0f);
  EXPECT_EQ(c.tag.kind, StaticTag::Obstacle);
}

// --- check_track ------------------------------------------------------------------------------

}  // namespace
}  // namespace sim
