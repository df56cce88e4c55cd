// check_track: the geometric checks of a scenario that need its built track — self-intersection,
// folded corners, crossing walls, width against the car, obstacles, spawn — reported in the words
// of the file (control points, obstacle and spawn keys).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/actors.h"
#include "sim/car.h"
#include "sim/geometry.h"
#include "sim/track.h"

namespace sim {

// ---------------------------------------------------------------------------------------------
// check_track: each check reports in the words of the file (control points, obstacle and spawn
// keys), since the samples it works on are not something the user wrote.

namespace {

// ---------------------------------------------------------------------------------------------
// Diagnostics helpers.

std::string num(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(v));
  return buf;
}

std::string point_key(int i) { return "track.points[" + std::to_string(i) + "]"; }

void report(const Scenario& sc, std::vector<Diagnostic>& out, const std::string& key,
            std::string message, std::string hint) {
  out.push_back({sc.file, sc.source.locate(key), key, std::move(message), std::move(hint)});
}

/// The control point nearest to sample k (one of the two ends of the span it lies on).
int nearest_control_point(const Scenario& sc, const Track& t, int k) {
  const int n = static_cast<int>(sc.track.points.size());
  const int i = t.span[k];
  const int j = (i + 1) % n;
  return b2DistanceSquared(t.centre[k], sc.track.points[i]) <=
                 b2DistanceSquared(t.centre[k], sc.track.points[j])
             ? i
             : j;
}

std::string span_name(int i, int n) {
  return "points[" + std::to_string(i) + "]..points[" + std::to_string((i + 1) % n) + "]";
}

std::string tag_name(StaticTag tag) {
  if (tag.kind == StaticTag::Wall) return tag.index == 0 ? "the left wall" : "the right wall";
  return "obstacles[" + std::to_string(tag.index) + "]";
}

/// An edge of a polyline, for the pair search below.
struct Edge {
  b2Vec2 a, b;
};

/// Calls visit(i, j), i != j, for every pair of edges whose bounding boxes overlap: sort by the
/// boxes' left sides and sweep, which is O(n log n + pairs) instead of O(n²).
template <class Visit>
void for_each_close_pair(const std::vector<Edge>& edges, Visit&& visit) {
  std::vector<int> order(edges.size());
  std::iota(order.begin(), order.end(), 0);
  auto min_x = [&](int k) { return std::min(edges[k].a.x, edges[k].b.x); };
  std::sort(order.begin(), order.end(), [&](int l, int r) { return min_x(l) < min_x(r); });
  for (std::size_t ii = 0; ii < order.size(); ++ii) {
    const Edge& e = edges[order[ii]];
    const float max_x = std::max(e.a.x, e.b.x);
    const float lo_y = std::min(e.a.y, e.b.y), hi_y = std::max(e.a.y, e.b.y);
    for (std::size_t jj = ii + 1; jj < order.size() && min_x(order[jj]) <= max_x; ++jj) {
      const Edge& f = edges[order[jj]];
      if (std::max(f.a.y, f.b.y) < lo_y || std::min(f.a.y, f.b.y) > hi_y) continue;
      visit(std::min(order[ii], order[jj]), std::max(order[ii], order[jj]));
    }
  }
}

bool edges_touch(const Edge& e, const Edge& f) {
  return segment_segment_distance(e.a, e.b, f.a, f.b) <= 1e-5f;
}



/// Centreline crossing itself. Returns whether it does.
bool check_centreline(const Scenario& sc, const Track& t, std::vector<Diagnostic>& out) {
  const int count = sample_count(t);
  const int n = static_cast<int>(sc.track.points.size());
  std::vector<Edge> edges(count);
  for (int k = 0; k < count; ++k) edges[k] = {t.centre[k], t.centre[next_sample(t, k)]};
  std::vector<std::pair<int, int>> spans;
  for_each_close_pair(edges, [&](int i, int j) {
    if (j - i == 1 || j - i == count - 1) return;  // neighbours share an endpoint
    if (!edges_touch(edges[i], edges[j])) return;
    const std::pair<int, int> key{std::min(t.span[i], t.span[j]), std::max(t.span[i], t.span[j])};
    if (std::find(spans.begin(), spans.end(), key) == spans.end()) spans.push_back(key);
  });
  std::sort(spans.begin(), spans.end());
  for (const auto& [a, b] : spans) {
    const std::string where = a == b ? "the span " + span_name(a, n) + " crosses itself"
                                     : "the span " + span_name(a, n) + " crosses the span " +
                                           span_name(b, n);
    report(sc, out, point_key(a), "expected a centreline that does not cross itself, but " + where,
           "move the control points so the loop does not overlap; crossings (figure-eights) "
           "are not supported");
  }
  return !spans.empty();
}

/// Corners tighter than the half width: the inner wall, at distance 1/|kappa| - half width from
/// the centre of curvature, passes through it and folds back. Marks the samples near each fold
/// (its swallowtail reaches about a track width either side) in `folded`.
void check_folds(const Scenario& sc, const Track& t, std::vector<char>& folded,
                 std::vector<Diagnostic>& out) {
  const int count = sample_count(t);
  const float spacing = t.length / static_cast<float>(count);
  const int reach = static_cast<int>(std::ceil(2.0f * t.max_half_width / spacing)) + 1;
  folded.assign(count, 0);
  std::vector<int> reported;
  int k = 0;
  while (k < count) {
    if (std::fabs(t.curvature[k]) * t.half_width[k] < 1.0f) { ++k; continue; }
    int worst = k;
    for (; k < count && std::fabs(t.curvature[k]) * t.half_width[k] >= 1.0f; ++k) {
      if (std::fabs(t.curvature[k]) * t.half_width[k] >
          std::fabs(t.curvature[worst]) * t.half_width[worst]) {
        worst = k;
      }
      for (int d = -reach; d <= reach; ++d) folded[((k + d) % count + count) % count] = 1;
    }
    const int point = nearest_control_point(sc, t, worst);
    if (std::find(reported.begin(), reported.end(), point) != reported.end()) continue;
    reported.push_back(point);
    const float kappa = t.curvature[worst];
    report(sc, out, point_key(point),
           "expected corner radii of at least half the track width (" +
               num(t.half_width[worst]) + " m of " + num(2.0f * t.half_width[worst]) +
               " m), but the corner near points[" + std::to_string(point) + "] has radius " +
               num(1.0f / std::fabs(kappa)) + " m, so the " + (kappa > 0.0f ? "left" : "right") +
               " (inner) wall folds over itself",
           "widen the corner (spread its control points) or narrow the track there");
  }
}

/// Walls of two parts of the track crossing (parts that pass too close to each other).
void check_walls(const Scenario& sc, const Track& t, const std::vector<char>& folded,
                 std::vector<Diagnostic>& out) {
  const int count = sample_count(t);
  std::vector<Edge> edges(2 * count);
  for (int k = 0; k < count; ++k) {
    edges[k] = {t.left_wall[k], t.left_wall[next_sample(t, k)]};
    edges[count + k] = {t.right_wall[k], t.right_wall[next_sample(t, k)]};
  }
  std::vector<std::pair<int, int>> points;
  std::vector<Diagnostic> found;
  for_each_close_pair(edges, [&](int i, int j) {
    const int ki = i % count, kj = j % count;
    if (folded[ki] || folded[kj]) return;  // explained by a fold, reported already
    const int gap = std::abs(ki - kj);
    if (gap <= 1 || gap == count - 1) return;  // neighbours, or the two sides of one sample
    if (!edges_touch(edges[i], edges[j])) return;
    const std::pair<int, int> key{nearest_control_point(sc, t, ki), nearest_control_point(sc, t, kj)};
    if (std::find(points.begin(), points.end(), key) != points.end()) return;
    points.push_back(key);
    const char* wall_i = i < count ? "left" : "right";
    const char* wall_j = j < count ? "left" : "right";
    found.push_back({sc.file, sc.source.locate(point_key(key.first)), point_key(key.first),
                     std::string("expected the walls to stay apart, but the ") + wall_i +
                         " wall near points[" + std::to_string(key.first) + "] crosses the " +
                         wall_j + " wall near points[" + std::to_string(key.second) + "]",
                     "move these parts of the track further apart or narrow the track"});
  });
  out.insert(out.end(), found.begin(), found.end());
}

/// Track width against the car: the car needs its width plus a metre to drive. A point's width
/// is either the track's `width` or its own third coordinate; the most common width is taken to be
/// the former (one report at "track.width"), any other to be the point's own.
void check_width(const Scenario& sc, std::vector<Diagnostic>& out) {
  const std::vector<float>& widths = sc.track.widths;
  const float needed = sc.car.width + 1.0f;
  float common = widths.empty() ? 0.0f : widths.front();
  std::ptrdiff_t common_count = 0;
  for (const float w : widths) {
    const std::ptrdiff_t c = std::count(widths.begin(), widths.end(), w);
    if (c > common_count) { common = w; common_count = c; }
  }
  const std::string message_end = " (car width " + num(sc.car.width) + " m + 1.0 m), got ";
  if (!widths.empty() && common < needed) {
    report(sc, out, "track.width",
           "expected a track width of at least " + num(needed) + " m" + message_end + num(common) +
               " m",
           "widen the track or use a narrower car");
  }
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (widths[i] >= needed || widths[i] == common) continue;
    report(sc, out, point_key(static_cast<int>(i)),
           "expected a track width of at least " + num(needed) + " m at this point" + message_end +
               num(widths[i]) + " m",
           "widen the track here or use a narrower car");
  }
}

/// Distance between obstacle o and the wall segments [first, first + count) of one side.
float obstacle_wall_distance(const Track& t, const Obstacle& o, const std::vector<b2Vec2>& wall,
                             int first, int count) {
  const int n = sample_count(t);
  float best = std::numeric_limits<float>::infinity();
  for (int c = 0; c < count; ++c) {
    const int k = ((first + c) % n + n) % n;
    const b2Vec2 a = wall[k], b = wall[next_sample(t, k)];
    const float d = o.shape == ObstacleShape::Box
                        ? polygon_segment_distance(o.corners.data(), 4, a, b, nullptr)
                        : std::max(0.0f, b2Distance(closest_point_on_segment(o.position, a, b), o.position) - o.radius);
    best = std::min(best, d);
  }
  return best;
}

/// Obstacles off the track, and obstacles that leave no gap the car fits through.
void check_obstacles(const Scenario& sc, const Track& t, std::vector<Diagnostic>& out) {
  const int count = sample_count(t);
  const float spacing = t.length / static_cast<float>(count);
  const float needed = sc.car.width + 0.2f;
  for (std::size_t k = 0; k < t.obstacles.size(); ++k) {
    const Obstacle& o = t.obstacles[k];
    const std::string key = "obstacles[" + std::to_string(k) + "]";
    const TrackPosition tp = project(t, o.position, -1);
    if (std::fabs(tp.lateral) > tp.half_width) {
      report(sc, out, key,
             "expected the obstacle's centre between the walls (within " + num(tp.half_width) +
                 " m of the centreline), but it is " + num(std::fabs(tp.lateral)) + " m to the " +
                 (tp.lateral > 0.0f ? "left" : "right") + " of it (s = " + num(tp.s) + " m)",
             "move it onto the track or remove it");
      continue;
    }
    // The narrowest passage on each side is the distance from the obstacle to that wall, over
    // the wall segments within reach of it.
    const float extent = o.shape == ObstacleShape::Box
                             ? 0.5f * std::hypot(o.length, o.width)
                             : o.radius;
    const int reach = static_cast<int>(std::ceil((extent + 2.0f * t.max_half_width) / spacing)) + 1;
    const int first = tp.segment - reach, span = std::min(2 * reach + 1, count);
    const float left = obstacle_wall_distance(t, o, t.left_wall, first, span);
    const float right = obstacle_wall_distance(t, o, t.right_wall, first, span);
    if (std::max(left, right) < needed) {
      report(sc, out, key,
             "expected a gap of at least " + num(needed) + " m (car width + 0.2 m) beside the "
             "obstacle, but it leaves " + num(left) + " m on the left and " + num(right) +
                 " m on the right: it blocks the track",
             "move it towards one wall, make it smaller, or widen the track");
    }
  }
}

/// Where the hull of agent k's car stands at its nominal start, moved by the given offsets.
void agent_hull(const Scenario& sc, const Track& t, int k, float lateral, float heading, b2Vec2 hull[4]) {
  const SpawnSpec& sp = sc.spawn;
  car_hull(sc.car, point_at(t, sp.agent_s(k), sp.agent_lateral(k) + lateral), heading_at(t, sp.agent_s(k)) + heading,
           hull);
}

/// The spawn: jitter range, and every agent's hull at its start with the extreme lateral offsets
/// and headings must be clear of walls and obstacles (the env falls back to the nominal pose).
/// Agents' nominal starts must not overlap one another.
void check_spawn(const Scenario& sc, const Track& t, std::vector<Diagnostic>& out) {
  const SpawnSpec& sp = sc.spawn;
  if (sp.s_jitter > 0.5f * t.length) {
    report(sc, out, "spawn.s_jitter",
           "expected at most half the track length (" + num(0.5f * t.length) + " m), got " +
               num(sp.s_jitter) + " m",
           "use half the track length to start anywhere on the loop");
  }
  for (int k = 0; k < sp.agents; ++k) {
    const std::string agent = k == 0 ? "" : "agent " + std::to_string(k) + "'s ";
    const float half_width = half_width_at(t, sp.agent_s(k));
    if (sp.lateral_jitter + sp.grid_offset >= half_width) {
      const bool grid = sp.grid_offset > 0.0f;
      report(sc, out, grid ? "spawn.grid_offset" : "spawn.lateral_jitter",
             std::string("expected ") + (grid ? "grid_offset + lateral_jitter " : "") + "less than the half width at " +
                 (k == 0 ? std::string("spawn.s") : agent + "start") + " (" + num(half_width) + " m), got " +
                 num(sp.grid_offset + sp.lateral_jitter) + " m",
             "starts that far out are outside the walls");
      return;
    }
    const float laterals[3] = {0.0f, sp.lateral_jitter, -sp.lateral_jitter};
    const float headings[3] = {0.0f, sp.heading_jitter, -sp.heading_jitter};
    for (const float lateral : laterals) {
      for (const float dh : headings) {
        b2Vec2 hull[4];
        agent_hull(sc, t, k, lateral, dh, hull);
        const ClearanceResult c = t.geometry.clearance(hull, 4, 1e-3f);
        if (c.distance > 1e-4f) continue;
        const bool nominal = lateral == 0.0f && dh == 0.0f;
        const bool grid_into_wall = sp.grid_offset > 0.0f && c.tag.kind == StaticTag::Wall;
        const std::string key = nominal ? (grid_into_wall ? "spawn.grid_offset" : k == 0 ? "spawn.s" : "spawn.agent_spacing")
                                : lateral != 0.0f ? "spawn.lateral_jitter"
                                                  : "spawn.heading_jitter";
        report(sc, out, key,
               "expected " + agent + "car (" + num(sc.car.length) + " m x " + num(sc.car.width) +
                   " m) to start clear of walls and obstacles, but at s = " + num(sp.agent_s(k)) +
                   " m, lateral " + num(sp.agent_lateral(k) + lateral) + " m, heading offset " + num(dh) +
                   " rad it touches " + tag_name(c.tag),
               nominal ? (grid_into_wall ? "reduce spawn.grid_offset"
                          : k == 0       ? "move spawn.s or the obstacle"
                                         : "change spawn.agent_spacing or move the obstacle")
                       : "reduce the spawn jitter");
        return;
      }
    }
  }
  for (int k = 1; k < sp.agents; ++k) {
    b2Vec2 hull[4];
    agent_hull(sc, t, k, 0.0f, 0.0f, hull);
    for (int j = 0; j < k; ++j) {
      b2Vec2 other[4];
      agent_hull(sc, t, j, 0.0f, 0.0f, other);
      if (polygon_polygon_distance(hull, 4, other, 4, nullptr) > 0.0f) continue;
      report(sc, out, "spawn.agent_spacing",
             "expected agent " + std::to_string(k) + "'s start clear of agent " + std::to_string(j) +
                 "'s, but their cars overlap (agent_spacing " + num(sp.agent_spacing) + " m, grid_offset " +
                 num(sp.grid_offset) + " m, car " + num(sc.car.length) + " m long, track " + num(t.length) +
                 " m)",
             "make agent_spacing longer than the car, and agents x agent_spacing shorter than the track");
      return;
    }
  }
}

/// Checkpoints on the loop, and the reach target between the walls.
void check_goals(const Scenario& sc, const Track& t, std::vector<Diagnostic>& out) {
  for (std::size_t k = 0; k < sc.checkpoints.size(); ++k) {
    if (sc.checkpoints[k].s < t.length) continue;
    report(sc, out, "checkpoints[" + std::to_string(k) + "].s",
           "expected s below the track length (" + num(t.length) + " m), got " + num(sc.checkpoints[k].s) + " m",
           "arc lengths run from 0 at the first control point round the loop");
  }
  if (!sc.episode.goal_reach) return;
  const TrackPosition tp = project(t, sc.episode.target, -1);
  if (std::fabs(tp.lateral) > tp.half_width) {
    report(sc, out, "episode.target",
           "expected the target between the walls, but it is " + num(std::fabs(tp.lateral)) + " m " +
               (tp.lateral > 0.0f ? "left" : "right") + " of the centreline where the half width is " +
               num(tp.half_width) + " m (s = " + num(tp.s) + " m)",
           "move the target onto the road");
  }
}

/// Traffic on the road, speed profiles within their route, and room for every car of a route.
void check_traffic(const Scenario& sc, const Track& t, std::vector<Diagnostic>& out) {
  const float narrowest = *std::min_element(t.half_width.begin(), t.half_width.end());
  for (std::size_t k = 0; k < sc.traffic.size(); ++k) {
    const TrafficSpec& spec = sc.traffic[k];
    const Route& route = t.traffic_routes[k];
    const std::string key = "traffic[" + std::to_string(k) + "]";
    if (spec.waypoints.empty() && std::fabs(spec.offset) + 0.5f * spec.width > narrowest) {
      report(sc, out, key + ".offset",
             "expected |offset| + width / 2 within the narrowest half width of the track (" + num(narrowest) +
                 " m), got " + num(std::fabs(spec.offset) + 0.5f * spec.width) + " m",
             "traffic on the centreline route must stay between the walls");
    }
    for (std::size_t i = 0; i < spec.speed_profile.size(); ++i) {
      if (spec.speed_profile[i].x < route.length) continue;
      report(sc, out, key + ".speed_profile[" + std::to_string(i) + "]",
             "expected s below the route length (" + num(route.length) + " m), got " + num(spec.speed_profile[i].x) + " m",
             "s is measured along this car's own route");
    }
    if (static_cast<float>(spec.count - 1) * spec.spacing + spec.length > route.length) {
      report(sc, out, key + ".spacing",
             "expected the cars to fit on the route ((count - 1) x spacing + length <= " + num(route.length) +
                 " m), got " + num(static_cast<float>(spec.count - 1) * spec.spacing + spec.length) + " m",
             "lower count or spacing");
    }
  }
}

/// Every agent's nominal start clear of every traffic car and mover at its starting pose.
void check_start_clear_of_actors(const Scenario& sc, const Track& t, std::vector<Diagnostic>& out) {
  for (int a = 0; a < sc.spawn.agents; ++a) {
    b2Vec2 hull[4];
    agent_hull(sc, t, a, 0.0f, 0.0f, hull);
    std::string touched;
    for (std::size_t k = 0; k < sc.traffic.size() && touched.empty(); ++k) {
      const TrafficSpec& spec = sc.traffic[k];
      for (int j = 0; j < spec.count && touched.empty(); ++j) {
        b2Vec2 p, box[4];
        float angle = 0.0f;
        traffic_pose(t.traffic_routes[k], spec, spec.start + static_cast<float>(j) * spec.spacing, p, angle);
        box_corners(p, angle, spec.length, spec.width, box);
        if (polygon_polygon_distance(hull, 4, box, 4, nullptr) <= 0.0f) touched = "traffic[" + std::to_string(k) + "]";
      }
    }
    for (std::size_t k = 0; k < sc.movers.size() && touched.empty(); ++k) {
      const MoverSpec& m = sc.movers[k];
      const b2Vec2 p = mover_position(t.mover_paths[k], m, 0.0);
      b2Vec2 box[4];
      box_corners(p, m.angle, m.length, m.width, box);
      const float d = m.shape == ObstacleShape::Circle ? polygon_circle_distance(hull, 4, p, m.radius, nullptr)
                                                       : polygon_polygon_distance(hull, 4, box, 4, nullptr);
      if (d <= 0.0f) touched = "movers[" + std::to_string(k) + "]";
    }
    if (touched.empty()) continue;
    const std::string agent = a == 0 ? "the car" : "agent " + std::to_string(a) + "'s car";
    report(sc, out, a == 0 ? "spawn.s" : "spawn.agent_spacing",
           "expected " + agent + " to start clear of traffic and movers, but at s = " + num(sc.spawn.agent_s(a)) +
               " m it touches " + touched + " at its starting pose",
           a == 0 ? "move spawn.s, or the traffic's start or the mover's phase"
                  : "change spawn.agent_spacing, or the traffic's start or the mover's phase");
    return;
  }
}

}  // namespace

void check_track(const Scenario& scenario, const Track& track, std::vector<Diagnostic>& out) {
  const bool crossed = check_centreline(scenario, track, out);
  std::vector<char> folded;
  check_folds(scenario, track, folded, out);
  if (!crossed) check_walls(scenario, track, folded, out);  // a crossing centreline crosses walls
  check_width(scenario, out);
  check_obstacles(scenario, track, out);
  check_spawn(scenario, track, out);
  check_goals(scenario, track, out);
  check_traffic(scenario, track, out);
  check_start_clear_of_actors(scenario, track, out);
}

}  // namespace sim
