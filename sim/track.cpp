// Track building (spline → even samples → walls, obstacles, grid) and queries along the
// centreline (project, point_at, ...). The geometric checks live in track_check.cpp.
#include "sim/track.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

#include "sim/actors.h"
#include "sim/geometry.h"

namespace sim {
namespace {

constexpr int kHintWindow = 16;  // segments searched on each side of a projection hint

float cross(b2Vec2 a, b2Vec2 b) { return a.x * b.y - a.y * b.x; }
float dot(b2Vec2 a, b2Vec2 b) { return a.x * b.x + a.y * b.y; }
b2Vec2 left_normal(b2Vec2 t) { return {-t.y, t.x}; }
b2Vec2 lerp(b2Vec2 a, b2Vec2 b, float u) { return a + u * (b - a); }

// ---------------------------------------------------------------------------------------------
// Closed centripetal Catmull-Rom spline, evaluated in double: the arc length of a long track is a
// sum of thousands of small steps.

struct Point2d {
  double x = 0.0, y = 0.0;
};

Point2d mix(Point2d a, Point2d b, double wa, double wb) {
  return {wa * a.x + wb * b.x, wa * a.y + wb * b.y};
}

struct Spline {
  std::vector<Point2d> p;
  std::vector<double> width;  // m, full width at each control point
  std::vector<double> knot;   // knot[i] = |p[i+1] - p[i]|^0.5: parameter length of span i

  int size() const { return static_cast<int>(p.size()); }
  int wrap(int i) const { return ((i % size()) + size()) % size(); }

  /// The point at global parameter g in [0, n]: span floor(g), fraction g - floor(g), by the
  /// Barry-Goldman pyramid (three linear blends, two more, one more) over non-uniform knots.
  /// Centripetal knots (alpha = 0.5) are what keep the curve free of cusps and self-loops
  /// within a span, whatever the spacing of the control points.
  Point2d point(double g) const {
    const int i = std::clamp(static_cast<int>(std::floor(g)), 0, size() - 1);
    const double u = g - i;
    const Point2d p0 = p[wrap(i - 1)], p1 = p[i], p2 = p[wrap(i + 1)], p3 = p[wrap(i + 2)];
    const double t0 = 0.0;
    const double t1 = t0 + knot[wrap(i - 1)];
    const double t2 = t1 + knot[i];
    const double t3 = t2 + knot[wrap(i + 1)];
    const double t = t1 + u * (t2 - t1);
    const Point2d a1 = mix(p0, p1, (t1 - t) / (t1 - t0), (t - t0) / (t1 - t0));
    const Point2d a2 = mix(p1, p2, (t2 - t) / (t2 - t1), (t - t1) / (t2 - t1));
    const Point2d a3 = mix(p2, p3, (t3 - t) / (t3 - t2), (t - t2) / (t3 - t2));
    const Point2d b1 = mix(a1, a2, (t2 - t) / (t2 - t0), (t - t0) / (t2 - t0));
    const Point2d b2 = mix(a2, a3, (t3 - t) / (t3 - t1), (t - t1) / (t3 - t1));
    return mix(b1, b2, (t2 - t) / (t2 - t1), (t - t1) / (t2 - t1));
  }

  /// Width at parameter g: smoothstep between the two control points of the span, so it never
  /// overshoots (a cubic through the widths could dip below the narrowest one).
  double width_at(double g) const {
    const int i = std::clamp(static_cast<int>(std::floor(g)), 0, size() - 1);
    const double u = g - i;
    const double h = u * u * (3.0 - 2.0 * u);
    return width[i] + h * (width[wrap(i + 1)] - width[i]);
  }
};

Spline make_spline(const TrackSpec& spec) {
  Spline sp;
  const int n = static_cast<int>(spec.points.size());
  for (int i = 0; i < n; ++i) {
    sp.p.push_back({spec.points[i].x, spec.points[i].y});
    sp.width.push_back(spec.widths.empty() ? 1.0 : spec.widths[std::min<std::size_t>(i, spec.widths.size() - 1)]);
  }
  for (int i = 0; i < n; ++i) {
    const Point2d a = sp.p[i], b = sp.p[sp.wrap(i + 1)];
    // Repeated control points would give a zero knot interval and 0/0 in the pyramid.
    sp.knot.push_back(std::max(std::sqrt(std::hypot(b.x - a.x, b.y - a.y)), 1e-4));
  }
  return sp;
}

// ---------------------------------------------------------------------------------------------
// Sample lookups shared by the queries.


float segment_length(const Track& t, int i) {
  return (i + 1 < sample_count(t) ? t.s[i + 1] : t.length) - t.s[i];
}

float wrap_s(const Track& t, float s) {
  float r = fmod_fast(s, t.length);
  if (r < 0.0f) r += t.length;
  return r >= t.length ? 0.0f : r;  // fmod of a tiny negative number rounds up to length
}

/// Segment [i, i+1] holding arc length s (already wrapped) and the fraction u along it. Samples
/// are almost evenly spaced, so the proportional guess is off by at most one or two.
int segment_at(const Track& t, float s, float* u) {
  const int n = sample_count(t);
  int i = std::clamp(static_cast<int>(s / t.length * static_cast<float>(n)), 0, n - 1);
  while (i > 0 && s < t.s[i]) --i;
  while (i + 1 < n && s >= t.s[i + 1]) ++i;
  const float len = segment_length(t, i);
  *u = len > 0.0f ? std::clamp((s - t.s[i]) / len, 0.0f, 1.0f) : 0.0f;
  return i;
}

/// Nearest centreline sample to p among `count` samples starting at `first` (wrapping). Samples,
/// not segments: no division per candidate, and the segment holding p's foot is one of the two
/// that meet at the nearest sample (or, rarely, one further; see project).
int nearest_sample(const Track& t, b2Vec2 p, int first, int count, float* dist_sq) {
  const int n = sample_count(t);
  int k = ((first % n) + n) % n;
  int best = k;
  float best_d = std::numeric_limits<float>::infinity();
  for (int c = 0; c < count; ++c) {
    const float d = b2DistanceSquared(p, t.centre[k]);
    if (d < best_d) { best_d = d; best = k; }
    k = next_sample(t, k);
  }
  *dist_sq = best_d;
  return best;
}

/// The foot of p on segment i along the interpolated normal n(u) = lerp(n_i, n_j, u), which is
/// how point_at offsets: solve cross(n(u), p - c(u)) = 0 with c(u) = c_i + u e. Expanding with
/// q = p - c_i and dn = n_j - n_i gives A u² + B u + C = 0 where
///   A = -cross(dn, e),  B = cross(dn, q) - cross(n_i, e),  C = cross(n_i, q).
/// cross(n_i, e) ≈ -|e|, so B ≈ |e| > 0 unless p lies beyond the centre of curvature; the root
/// near -C/B is taken in the cancellation-free form -2C / (B + sqrt(B² - 4AC)).
struct Foot {
  float u = 0.0f;
  float lateral = 0.0f;
  float dist_sq = 0.0f;
  bool inside = false;  // u within the segment: p is in this segment's band of normals
};

Foot normal_foot(const Track& t, int i, b2Vec2 p) {
  const int j = next_sample(t, i);
  const b2Vec2 c = t.centre[i];
  const b2Vec2 e = t.centre[j] - c;
  const b2Vec2 ni = left_normal(t.tangent[i]);
  const b2Vec2 dn = left_normal(t.tangent[j]) - ni;
  const b2Vec2 q = p - c;
  const float a = -cross(dn, e);
  const float b = cross(dn, q) - cross(ni, e);
  const float cc = cross(ni, q);
  const float den = b + std::sqrt(std::max(b * b - 4.0f * a * cc, 0.0f));
  Foot f;
  float u = 0.0f;
  if (b > 0.0f && den > 0.0f) {
    u = -2.0f * cc / den;
    f.inside = u >= -1e-3f && u <= 1.0f + 1e-3f;
  } else {
    const float ee = dot(e, e);
    u = ee > 0.0f ? dot(q, e) / ee : 0.0f;  // beyond the centre of curvature: plain projection
  }
  f.u = std::clamp(u, 0.0f, 1.0f);
  const b2Vec2 n = ni + f.u * dn;
  const b2Vec2 r = p - (c + f.u * e);
  f.lateral = dot(r, n) / dot(n, n);
  f.dist_sq = dot(r, r);
  return f;
}

/// Merges runs of samples of a closed wall that lie within kWallTolerance of one straight segment.
WallEdges merge_wall(const std::vector<b2Vec2>& wall) {
  constexpr float kWallTolerance = 0.005f;  // m
  constexpr int kMaxRun = 12;               // samples per edge, so grid cells stay short lists
  const int n = static_cast<int>(wall.size());
  WallEdges edges;
  edges.of_sample.resize(wall.size());
  int start = 0;
  while (start < n) {
    int end = start + 1;
    while (end < n && end - start < kMaxRun) {
      const b2Vec2 a = wall[static_cast<std::size_t>(start)];
      const b2Vec2 b = wall[static_cast<std::size_t>((end + 1) % n)];
      bool fits = true;
      for (int k = start + 1; k <= end && fits; ++k) {
        fits = b2Distance(closest_point_on_segment(wall[static_cast<std::size_t>(k)], a, b),
                          wall[static_cast<std::size_t>(k)]) <= kWallTolerance;
      }
      if (!fits) break;
      ++end;
    }
    for (int k = start; k < end; ++k) edges.of_sample[static_cast<std::size_t>(k)] = static_cast<int>(edges.first.size());
    edges.first.push_back(start);
    start = end;
  }
  return edges;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

Track build_track(const Scenario& scenario) {
  const TrackSpec& spec = scenario.track;
  assert(spec.points.size() >= 3 && spec.sample_spacing > 0.0f);
  const Spline spline = make_spline(spec);
  const int n = spline.size();

  // Dense pass: enough sub-steps per span that chords follow the curve to well under a
  // millimetre, recording the parameter g and cumulative arc length at each step.
  std::vector<double> dense_g{0.0};
  std::vector<double> dense_arc{0.0};
  Point2d prev = spline.point(0.0);
  for (int i = 0; i < n; ++i) {
    const Point2d a = spline.p[i], b = spline.p[spline.wrap(i + 1)];
    const double chord = std::hypot(b.x - a.x, b.y - a.y);
    const int steps = std::clamp(static_cast<int>(std::ceil(16.0 * chord / spec.sample_spacing)), 32, 1 << 16);
    for (int k = 1; k <= steps; ++k) {
      const double g = i + static_cast<double>(k) / steps;
      const Point2d p = spline.point(g);
      dense_arc.push_back(dense_arc.back() + std::hypot(p.x - prev.x, p.y - prev.y));
      dense_g.push_back(g);
      prev = p;
    }
  }

  // Even resampling: N samples at arc length k L / N, N chosen so the loop divides evenly. The
  // parameter is interpolated between dense steps and the spline evaluated there, so every
  // sample lies on the curve itself.
  const double dense_length = dense_arc.back();
  const int count = std::max(8, static_cast<int>(std::lround(dense_length / spec.sample_spacing)));
  Track track;
  track.centre.resize(count);
  track.half_width.resize(count);
  track.span.resize(count);
  std::size_t j = 0;
  for (int k = 0; k < count; ++k) {
    const double target = dense_length * k / count;
    while (j + 2 < dense_arc.size() && dense_arc[j + 1] < target) ++j;
    const double step = dense_arc[j + 1] - dense_arc[j];
    const double f = step > 0.0 ? std::clamp((target - dense_arc[j]) / step, 0.0, 1.0) : 0.0;
    const double g = dense_g[j] + f * (dense_g[j + 1] - dense_g[j]);
    const Point2d p = spline.point(g);
    track.centre[k] = {static_cast<float>(p.x), static_cast<float>(p.y)};
    track.half_width[k] = static_cast<float>(0.5 * spline.width_at(g));
    track.span[k] = std::min(static_cast<int>(g), n - 1);
  }

  // Arc length of the sampled polyline itself, so s matches the segments project walks.
  track.s.resize(count);
  double total = 0.0;
  for (int k = 0; k < count; ++k) {
    track.s[k] = static_cast<float>(total);
    total += std::hypot(static_cast<double>(track.centre[(k + 1) % count].x - track.centre[k].x),
                        static_cast<double>(track.centre[(k + 1) % count].y - track.centre[k].y));
  }
  track.length = static_cast<float>(total);

  // Tangent from the central difference, and signed curvature from the circle through three
  // neighbours (Menger): kappa = 2 cross(b - a, c - b) / (|b - a| |c - b| |c - a|), positive when
  // the path turns left. Both are exact for samples on a circle.
  track.tangent.resize(count);
  track.curvature.resize(count);
  for (int k = 0; k < count; ++k) {
    const b2Vec2 a = track.centre[(k + count - 1) % count];
    const b2Vec2 b = track.centre[k];
    const b2Vec2 c = track.centre[(k + 1) % count];
    b2Vec2 t = c - a;
    t.Normalize();
    track.tangent[k] = t;
    const float denom = (b - a).Length() * (c - b).Length() * (c - a).Length();
    track.curvature[k] = denom > 0.0f ? 2.0f * cross(b - a, c - b) / denom : 0.0f;
  }

  track.left_wall.resize(count);
  track.right_wall.resize(count);
  for (int k = 0; k < count; ++k) {
    const b2Vec2 offset = track.half_width[k] * left_normal(track.tangent[k]);
    track.left_wall[k] = track.centre[k] + offset;
    track.right_wall[k] = track.centre[k] - offset;
    track.max_half_width = std::max(track.max_half_width, track.half_width[k]);
  }

  // Obstacles in world poses; track-relative ones are placed with the now complete centreline.
  for (const ObstacleSpec& o : scenario.obstacles) {
    Obstacle r;
    r.shape = o.shape;
    r.length = o.length;
    r.width = o.width;
    r.radius = o.radius;
    r.position = o.track_relative ? point_at(track, o.s, o.offset) : o.position;
    r.angle = o.track_relative ? heading_at(track, o.s) + o.angle : o.angle;
    box_corners(r.position, r.angle, o.length, o.width, r.corners.data());
    track.obstacles.push_back(r);
  }

  // Static geometry and bounds.
  b2Vec2 lo = track.left_wall[0], hi = track.left_wall[0];
  auto grow = [&](b2Vec2 p) { lo = b2Min(lo, p); hi = b2Max(hi, p); };
  for (int side = 0; side < 2; ++side) {
    const std::vector<b2Vec2>& wall = side == 0 ? track.left_wall : track.right_wall;
    for (int k = 0; k < count; ++k) grow(wall[k]);
    WallEdges& edges = track.wall_edges[side];
    edges = merge_wall(wall);
    const std::size_t m = edges.first.size();
    for (std::size_t e = 0; e < m; ++e) {
      track.geometry.add_segment(wall[static_cast<std::size_t>(edges.first[e])],
                                 wall[static_cast<std::size_t>(edges.first[(e + 1) % m])], {StaticTag::Wall, side});
    }
  }
  const int reach = static_cast<int>(std::ceil(kWallWindow * static_cast<float>(count) / track.length)) + 1;
  track.wall_window_is_lap = 2 * reach + 1 >= count;
  track.wall_window.resize(static_cast<std::size_t>(count));
  for (int k = 0; k < count; ++k) {
    for (int side = 0; side < 2; ++side) {
      const std::vector<int>& of = track.wall_edges[side].of_sample;
      track.wall_window[static_cast<std::size_t>(k)].first[side] = of[static_cast<std::size_t>(((k - reach) % count + count) % count)];
      track.wall_window[static_cast<std::size_t>(k)].last[side] = of[static_cast<std::size_t>((k + reach) % count)];
    }
  }
  for (std::size_t k = 0; k < track.obstacles.size(); ++k) {
    const Obstacle& o = track.obstacles[k];
    const StaticTag tag{StaticTag::Obstacle, static_cast<std::int32_t>(k)};
    if (o.shape == ObstacleShape::Box) {
      for (int c = 0; c < 4; ++c) {
        track.geometry.add_segment(o.corners[c], o.corners[(c + 1) % 4], tag);
        grow(o.corners[c]);
      }
    } else {
      track.geometry.add_circle(o.position, o.radius, tag);
      grow(o.position - b2Vec2(o.radius, o.radius));
      grow(o.position + b2Vec2(o.radius, o.radius));
    }
  }
  track.geometry.build();
  build_routes(scenario, track);
  track.bounds.lowerBound = lo;
  track.bounds.upperBound = hi;
  return track;
}

TrackPosition project(const Track& track, b2Vec2 p, int hint) {
  const int n = sample_count(track);
  float dist_sq = 0.0f;
  int k = 0;
  if (hint >= 0 && hint < n && n > 2 * kHintWindow + 2) {
    // The samples of segments hint - kHintWindow .. hint + kHintWindow.
    k = nearest_sample(track, p, hint - kHintWindow, 2 * kHintWindow + 2, &dist_sq);
    // Far from the centreline near the hint: the car jumped (reset, teleport) or the track
    // doubles back within the window; search everything.
    const float limit = 2.0f * track.max_half_width;
    if (dist_sq > limit * limit) k = nearest_sample(track, p, 0, n, &dist_sq);
  } else {
    k = nearest_sample(track, p, 0, n, &dist_sq);
  }

  // Of the segments meeting at the nearest sample, take the one whose band of interpolated
  // normals holds p (the nearer if both do: the bands overlap only inside tight bends). Far
  // outside a bend neither may: then look one segment further each way, and failing that take
  // the nearest clamped foot.
  const int before = k == 0 ? n - 1 : k - 1;
  int best_i = before;
  Foot best = normal_foot(track, before, p);
  auto consider = [&](int i) {
    const Foot f = normal_foot(track, i, p);
    const bool better = f.inside != best.inside ? f.inside : f.dist_sq < best.dist_sq;
    if (better) {
      best = f;
      best_i = i;
    }
  };
  consider(k);
  if (!best.inside) {
    consider(before == 0 ? n - 1 : before - 1);
    consider(next_sample(track, k));
  }

  const int j = next_sample(track, best_i);
  TrackPosition tp;
  tp.s = wrap_s(track, track.s[best_i] + best.u * segment_length(track, best_i));
  tp.lateral = best.lateral;
  tp.half_width = track.half_width[best_i] + best.u * (track.half_width[j] - track.half_width[best_i]);
  tp.segment = best_i;
  return tp;
}

b2Vec2 point_at(const Track& track, float s, float lateral) {
  float u = 0.0f;
  const int i = segment_at(track, wrap_s(track, s), &u);
  const int j = next_sample(track, i);
  const b2Vec2 n = lerp(left_normal(track.tangent[i]), left_normal(track.tangent[j]), u);
  return lerp(track.centre[i], track.centre[j], u) + lateral * n;
}

float heading_at(const Track& track, float s) {
  float u = 0.0f;
  const int i = segment_at(track, wrap_s(track, s), &u);
  const b2Vec2 t = lerp(track.tangent[i], track.tangent[next_sample(track, i)], u);
  return std::atan2(t.y, t.x);
}

float curvature_at(const Track& track, float s) {
  float u = 0.0f;
  const int i = segment_at(track, wrap_s(track, s), &u);
  return track.curvature[i] + u * (track.curvature[next_sample(track, i)] - track.curvature[i]);
}

float half_width_at(const Track& track, float s) {
  float u = 0.0f;
  const int i = segment_at(track, wrap_s(track, s), &u);
  return track.half_width[i] + u * (track.half_width[next_sample(track, i)] - track.half_width[i]);
}

float arc_delta(const Track& track, float a, float b) {
  const float half = 0.5f * track.length;
  float d = fmod_fast(b - a + half, track.length);
  if (d < 0.0f) d += track.length;
  if (d >= track.length) d -= track.length;
  return d - half;
}

}  // namespace sim
