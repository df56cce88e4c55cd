// Exact 2D distances between the shapes a car can come close to: convex polygons, segments,
// circles. Written here rather than with b2Distance because Box2D 2.4.1's b2Distance increments
// unsynchronised global counters (b2_gjkCalls, ...), a data race when envs step on several threads.
#pragma once

#include <box2d/b2_math.h>

#include <cmath>

namespace sim {

/// std::fmod(x, period) for period > 0, bit for bit, without the library call in the usual case
/// x ∈ (−period, 2·period): there fmod is x itself, or x − period, which is exact (Sterbenz).
/// Wrapping arc lengths and angles takes several of these per step.
inline float fmod_fast(float x, float period) {
  if (x > -period && x < period) return x;
  if (x >= period && x < 2.0f * period) return x - period;
  return std::fmod(x, period);
}

/// The corners of a length × width box centred at `centre`, turned by `angle`, counter-clockwise.
inline void box_corners(b2Vec2 centre, float angle, float length, float width, b2Vec2 out[4]) {
  const b2Rot q(angle);
  const float hl = 0.5f * length, hw = 0.5f * width;
  const b2Vec2 local[4] = {{-hl, -hw}, {hl, -hw}, {hl, hw}, {-hl, hw}};
  for (int c = 0; c < 4; ++c) out[c] = centre + b2Mul(q, local[c]);
}

/// Closest point to p on segment [a, b].
b2Vec2 closest_point_on_segment(b2Vec2 p, b2Vec2 a, b2Vec2 b);

/// Distance between segments [a0, a1] and [b0, b1]; 0 when they cross.
float segment_segment_distance(b2Vec2 a0, b2Vec2 a1, b2Vec2 b0, b2Vec2 b1);

/// Whether p lies inside (or on) a convex polygon with counter-clockwise vertices.
bool polygon_contains(const b2Vec2* poly, int count, b2Vec2 p);

// In the three functions below, polygons are convex with counter-clockwise vertices, and the
// `closest` output (may be nullptr) receives the closest point on the second shape; when the
// shapes overlap it receives a point of the second shape inside the polygon.

/// Distance between a convex polygon and a segment; 0 when they touch or overlap (also when the
/// segment lies wholly inside).
float polygon_segment_distance(const b2Vec2* poly, int count, b2Vec2 a, b2Vec2 b, b2Vec2* closest);

/// Distance between a convex polygon and a circle; 0 when they touch or overlap.
float polygon_circle_distance(const b2Vec2* poly, int count, b2Vec2 centre, float radius,
                              b2Vec2* closest);

/// Distance between two convex polygons; 0 when they touch or overlap.
float polygon_polygon_distance(const b2Vec2* a, int count_a, const b2Vec2* b, int count_b,
                               b2Vec2* closest_on_b);

/// The ray-segment test written once for any float-like type F: float, or a compiler vector of
/// floats, with which StaticGeometry tests the eight segments of a grid block at once. Returns
/// the distance t along the ray, or `miss` where the segment is missed. No branches: whether an
/// item is hit is a coin flip, and a mispredicted branch costs more than this arithmetic.
///
/// Solve origin + t dir = a + u e with e = b - a. Crossing both sides with e and with dir gives
///   t = cross(w, e) / den,  u = cross(w, dir) / den,  w = a - origin, den = cross(dir, e).
/// u gets a tolerance of 1e-6 so a ray cannot slip between two segments sharing an endpoint
/// through rounding. A segment parallel to the ray (den = 0, also a zero-length segment) gives
/// t = ±inf or NaN, which fails the tests: it is missed, and in a closed outline (walls, boxes)
/// the ray meets the neighbouring segment at the shared endpoint instead. NaN coordinates (the
/// grid's unused lanes) are missed the same way.
template <class F>
inline F ray_segment_lanes(const F& ox, const F& oy, const F& dx, const F& dy, const F& ax,
                           const F& ay, const F& bx, const F& by, const F& miss) {
  const F ex = bx - ax;
  const F ey = by - ay;
  const F wx = ax - ox;
  const F wy = ay - oy;
  const F inv = 1.0f / (dx * ey - dy * ex);
  const F t = (wx * ey - wy * ex) * inv;
  const F u = (wx * dy - wy * dx) * inv;
  return ((t >= 0.0f) & (u >= -1e-6f) & (u <= 1.0f + 1e-6f)) ? t : miss;
}

/// Distance t along the ray origin + t·dir (dir unit) to segment [a, b]; negative when missed.
/// A segment parallel to the ray is missed (see ray_segment_lanes).
inline float ray_segment(b2Vec2 origin, b2Vec2 dir, b2Vec2 a, b2Vec2 b) {
  return ray_segment_lanes<float>(origin.x, origin.y, dir.x, dir.y, a.x, a.y, b.x, b.y, -1.0f);
}

/// Distance t along the ray to the circle's boundary (from outside); negative when missed.
/// A ray starting inside the circle returns 0.
inline float ray_circle(b2Vec2 origin, b2Vec2 dir, b2Vec2 centre, float radius) {
  // |m + t dir|² = r² with m = origin - centre and |dir| = 1: t² + 2 b t + c = 0, b = m·dir.
  const b2Vec2 m = origin - centre;
  const float c = b2Dot(m, m) - radius * radius;
  if (c <= 0.0f) return 0.0f;  // starts inside (or on) the circle
  const float b = b2Dot(m, dir);
  if (b > 0.0f) return -1.0f;  // outside and pointing away
  // The discriminant b² - c equals r² - |m - b dir|² (the squared half chord), which keeps its
  // precision when the circle is small and far away; b² - c would cancel to nothing.
  const b2Vec2 perp = m - b * dir;
  const float disc = radius * radius - b2Dot(perp, perp);
  if (disc < 0.0f) return -1.0f;
  const float t = -b - std::sqrt(disc);  // the nearer root
  return t > 0.0f ? t : 0.0f;
}

}  // namespace sim
