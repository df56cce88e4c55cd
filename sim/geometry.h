// Exact 2D distances between the shapes a car can come close to: convex polygons, segments,
// circles. Written here rather than with b2Distance because Box2D 2.4.1's b2Distance increments
// unsynchronised global counters (b2_gjkCalls, ...), a data race when envs step on several threads.
#pragma once

#include <box2d/b2_math.h>

namespace sim {

/// Closest point to p on segment [a, b].
b2Vec2 closest_point_on_segment(b2Vec2 p, b2Vec2 a, b2Vec2 b);

/// Distance between segments [a0, a1] and [b0, b1]; 0 when they cross.
float segment_segment_distance(b2Vec2 a0, b2Vec2 a1, b2Vec2 b0, b2Vec2 b1);

/// Whether p lies inside (or on) a convex polygon with counter-clockwise vertices.
bool polygon_contains(const b2Vec2* poly, int count, b2Vec2 p);

/// Distance between a convex polygon and a segment; 0 when they touch or overlap.
/// `closest` receives the closest point on the segment.
float polygon_segment_distance(const b2Vec2* poly, int count, b2Vec2 a, b2Vec2 b, b2Vec2* closest);

/// Distance between a convex polygon and a circle; 0 when they touch or overlap.
float polygon_circle_distance(const b2Vec2* poly, int count, b2Vec2 centre, float radius,
                              b2Vec2* closest);

/// Distance between two convex polygons; 0 when they touch or overlap.
float polygon_polygon_distance(const b2Vec2* a, int count_a, const b2Vec2* b, int count_b,
                               b2Vec2* closest_on_b);

/// Distance t along the ray origin + t·dir (dir unit) to segment [a, b]; negative when missed.
float ray_segment(b2Vec2 origin, b2Vec2 dir, b2Vec2 a, b2Vec2 b);

/// Distance t along the ray to the circle's boundary (from outside); negative when missed.
/// A ray starting inside the circle returns 0.
float ray_circle(b2Vec2 origin, b2Vec2 dir, b2Vec2 centre, float radius);

}  // namespace sim
