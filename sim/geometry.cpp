// Exact 2D distances and ray intersections between convex polygons, segments and circles.
// Pure float arithmetic on b2Vec2; no Box2D queries (b2Distance races on global counters).
//
// Two facts carry every distance function here:
//  1. Two convex sets either overlap (distance 0) or are separated, and then the closest pair of
//     points is a vertex of one set and a point on an edge of the other. So for a separated pair
//     the distance is the smallest vertex-to-edge distance in both directions.
//  2. Overlap of convex sets is decided by clipping (Cyrus-Beck) or by separating axes; both handle
//     containment (a segment wholly inside a polygon has no crossing edges, yet overlaps).
#include "sim/geometry.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sim {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

float cross(b2Vec2 a, b2Vec2 b) { return a.x * b.y - a.y * b.x; }
float dot(b2Vec2 a, b2Vec2 b) { return a.x * b.x + a.y * b.y; }
float length_squared(b2Vec2 v) { return v.x * v.x + v.y * v.y; }

/// Outward normal of edge v → w of a counter-clockwise polygon (not normalised): the interior
/// lies to the left of every edge, so outward is the edge direction turned clockwise.
b2Vec2 outward_normal(b2Vec2 v, b2Vec2 w) { return {w.y - v.y, v.x - w.x}; }

/// Whether [a0, a1] and [b0, b1] cross at a single interior point (strict sign changes). Touching
/// and collinear contact is left to the endpoint distances, which are 0 in those cases.
bool segments_cross(b2Vec2 a0, b2Vec2 a1, b2Vec2 b0, b2Vec2 b1, float* t_on_a) {
  const b2Vec2 da = a1 - a0;
  const b2Vec2 db = b1 - b0;
  const float d0 = cross(db, a0 - b0);
  const float d1 = cross(db, a1 - b0);
  const float d2 = cross(da, b0 - a0);
  const float d3 = cross(da, b1 - a0);
  const bool crosses = ((d0 < 0.0f && d1 > 0.0f) || (d0 > 0.0f && d1 < 0.0f)) &&
                       ((d2 < 0.0f && d3 > 0.0f) || (d2 > 0.0f && d3 < 0.0f));
  // d0 and d1 are the signed distances (times |db|) of a0 and a1 from b's line; the crossing
  // divides a in the ratio d0 : -d1.
  if (crosses && t_on_a != nullptr) *t_on_a = d0 / (d0 - d1);
  return crosses;
}

/// Cyrus-Beck clip of [a, b] against a convex CCW polygon. Returns whether any part of the segment
/// lies inside (or on) the polygon, and the parameter where it first does.
bool clip_segment(const b2Vec2* poly, int count, b2Vec2 a, b2Vec2 b, float* t_enter) {
  const b2Vec2 d = b - a;
  float t_lo = 0.0f;
  float t_hi = 1.0f;
  for (int i = 0; i < count; ++i) {
    const b2Vec2 v = poly[i];
    const b2Vec2 n = outward_normal(v, poly[i + 1 == count ? 0 : i + 1]);
    // Inside this edge's half plane means dot(n, a + t d - v) <= 0, i.e. num + t den <= 0.
    const float num = dot(n, a - v);
    const float den = dot(n, d);
    if (den == 0.0f) {
      if (num > 0.0f) return false;  // parallel to the edge and outside it
      continue;
    }
    const float t = -num / den;
    if (den < 0.0f) {
      t_lo = std::max(t_lo, t);       // entering the half plane
    } else {
      t_hi = std::min(t_hi, t);       // leaving it
    }
    if (t_lo > t_hi) return false;
  }
  *t_enter = t_lo;
  return true;
}

/// Separating-axis test over the edge normals of `a`: true when some edge of a has every vertex
/// of b strictly outside it.
bool has_separating_edge(const b2Vec2* a, int count_a, const b2Vec2* b, int count_b) {
  for (int i = 0; i < count_a; ++i) {
    const b2Vec2 v = a[i];
    const b2Vec2 n = outward_normal(v, a[i + 1 == count_a ? 0 : i + 1]);
    bool all_outside = true;
    for (int j = 0; j < count_b && all_outside; ++j) all_outside = dot(n, b[j] - v) > 0.0f;
    if (all_outside) return true;
  }
  return false;
}

/// A point of b that lies in the overlap of two overlapping convex polygons.
b2Vec2 overlap_point(const b2Vec2* a, int count_a, const b2Vec2* b, int count_b) {
  for (int j = 0; j < count_b; ++j) {
    if (polygon_contains(a, count_a, b[j])) return b[j];
  }
  for (int i = 0; i < count_a; ++i) {
    if (polygon_contains(b, count_b, a[i])) return a[i];
  }
  // No vertex inside the other polygon: some pair of edges crosses.
  for (int i = 0; i < count_a; ++i) {
    const b2Vec2 a0 = a[i];
    const b2Vec2 a1 = a[i + 1 == count_a ? 0 : i + 1];
    for (int j = 0; j < count_b; ++j) {
      float t = 0.0f;
      if (segments_cross(a0, a1, b[j], b[j + 1 == count_b ? 0 : j + 1], &t)) {
        return a0 + t * (a1 - a0);
      }
    }
  }
  return b[0];  // touching only within rounding
}

}  // namespace

b2Vec2 closest_point_on_segment(b2Vec2 p, b2Vec2 a, b2Vec2 b) {
  const b2Vec2 e = b - a;
  const float ee = length_squared(e);
  if (ee <= 0.0f) return a;  // zero-length segment: a point
  const float t = std::clamp(dot(p - a, e) / ee, 0.0f, 1.0f);
  return a + t * e;
}

float segment_segment_distance(b2Vec2 a0, b2Vec2 a1, b2Vec2 b0, b2Vec2 b1) {
  if (segments_cross(a0, a1, b0, b1, nullptr)) return 0.0f;
  // Separated (or touching): the closest pair involves an endpoint of one segment.
  const float d = std::min(std::min(length_squared(closest_point_on_segment(a0, b0, b1) - a0),
                                    length_squared(closest_point_on_segment(a1, b0, b1) - a1)),
                           std::min(length_squared(closest_point_on_segment(b0, a0, a1) - b0),
                                    length_squared(closest_point_on_segment(b1, a0, a1) - b1)));
  return std::sqrt(d);
}

bool polygon_contains(const b2Vec2* poly, int count, b2Vec2 p) {
  for (int i = 0; i < count; ++i) {
    const b2Vec2 v = poly[i];
    const b2Vec2 w = poly[i + 1 == count ? 0 : i + 1];
    if (cross(w - v, p - v) < 0.0f) return false;  // strictly right of a CCW edge: outside
  }
  return true;
}

float polygon_segment_distance(const b2Vec2* poly, int count, b2Vec2 a, b2Vec2 b, b2Vec2* closest) {
  // Written without data-dependent branches: StaticGeometry::clearance calls this once or twice
  // per env step on candidates that passed its bounds, so hit-or-miss is unpredictable.
  const b2Vec2 e = b - a;
  // Separating axes of a segment and a convex polygon: the polygon's edge normals and the
  // segment's normal. With none, they overlap (also when the segment lies wholly inside).
  bool separated = false;
  const b2Vec2 m{-e.y, e.x};  // zero for a point, which then separates nothing
  bool all_left = true, all_right = true;
  for (int i = 0; i < count; ++i) {
    const b2Vec2 v = poly[i];
    const b2Vec2 n = outward_normal(v, poly[i + 1 == count ? 0 : i + 1]);
    separated |= std::min(dot(n, a - v), dot(n, b - v)) > 0.0f;  // both endpoints outside
    const float side = dot(m, v - a);
    all_left &= side > 0.0f;
    all_right &= side < 0.0f;
  }
  separated = separated || all_left || all_right;
  float t_enter = 0.0f;
  if (!separated && clip_segment(poly, count, a, b, &t_enter)) {
    if (closest != nullptr) *closest = a + t_enter * e;
    return 0.0f;
  }

  // Separated: the smallest of polygon vertex → segment and segment endpoint → polygon edge.
  // Each of these needs one reciprocal per segment or edge, not one per pair.
  const float ee = dot(e, e);
  const float inv_ee = ee > 0.0f ? 1.0f / ee : 0.0f;
  float best = kInf;
  b2Vec2 best_point = a;
  auto keep = [&](float d, b2Vec2 p) {
    const bool nearer = d < best;
    best = nearer ? d : best;
    best_point.x = nearer ? p.x : best_point.x;
    best_point.y = nearer ? p.y : best_point.y;
  };
  for (int i = 0; i < count; ++i) {
    const b2Vec2 v = poly[i];
    const b2Vec2 f = poly[i + 1 == count ? 0 : i + 1] - v;
    const float ff = dot(f, f);
    const float inv_ff = ff > 0.0f ? 1.0f / ff : 0.0f;
    const b2Vec2 q = a + std::clamp(dot(v - a, e) * inv_ee, 0.0f, 1.0f) * e;
    keep(length_squared(q - v), q);
    keep(length_squared(v + std::clamp(dot(a - v, f) * inv_ff, 0.0f, 1.0f) * f - a), a);
    keep(length_squared(v + std::clamp(dot(b - v, f) * inv_ff, 0.0f, 1.0f) * f - b), b);
  }
  if (closest != nullptr) *closest = best_point;
  return separated ? std::sqrt(best) : 0.0f;  // touching within rounding: the clip found nothing
}

float polygon_circle_distance(const b2Vec2* poly, int count, b2Vec2 centre, float radius,
                              b2Vec2* closest) {
  if (polygon_contains(poly, count, centre)) {
    if (closest != nullptr) *closest = centre;
    return 0.0f;
  }
  // Outside: the distance to the polygon is the distance to its boundary.
  float best = kInf;
  b2Vec2 nearest = poly[0];
  for (int i = 0; i < count; ++i) {
    const b2Vec2 q = closest_point_on_segment(centre, poly[i], poly[i + 1 == count ? 0 : i + 1]);
    const float d = length_squared(q - centre);
    if (d < best) { best = d; nearest = q; }
  }
  const float d = std::sqrt(best);
  if (d <= radius) {
    if (closest != nullptr) *closest = nearest;  // on the polygon and inside the circle
    return 0.0f;
  }
  // The closest point of the circle lies on the line from its centre towards the polygon.
  if (closest != nullptr) *closest = centre + (radius / d) * (nearest - centre);
  return d - radius;
}

float polygon_polygon_distance(const b2Vec2* a, int count_a, const b2Vec2* b, int count_b,
                               b2Vec2* closest_on_b) {
  // Two convex polygons are disjoint iff an edge normal of one of them separates them.
  if (!has_separating_edge(a, count_a, b, count_b) && !has_separating_edge(b, count_b, a, count_a)) {
    if (closest_on_b != nullptr) *closest_on_b = overlap_point(a, count_a, b, count_b);
    return 0.0f;
  }
  float best = kInf;
  b2Vec2 best_point = b[0];
  for (int j = 0; j < count_b; ++j) {
    const b2Vec2 w0 = b[j];
    const b2Vec2 w1 = b[j + 1 == count_b ? 0 : j + 1];
    for (int i = 0; i < count_a; ++i) {
      const b2Vec2 q = closest_point_on_segment(a[i], w0, w1);  // vertex of a → edge of b
      const float d = length_squared(q - a[i]);
      if (d < best) { best = d; best_point = q; }
    }
  }
  for (int i = 0; i < count_a; ++i) {
    const b2Vec2 v0 = a[i];
    const b2Vec2 v1 = a[i + 1 == count_a ? 0 : i + 1];
    for (int j = 0; j < count_b; ++j) {
      const float d = length_squared(closest_point_on_segment(b[j], v0, v1) - b[j]);  // b → a
      if (d < best) { best = d; best_point = b[j]; }
    }
  }
  if (closest_on_b != nullptr) *closest_on_b = best_point;
  return std::sqrt(best);
}

}  // namespace sim
