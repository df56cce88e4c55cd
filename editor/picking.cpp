// Picking handles on the canvas (see picking.h).
#include "editor/picking.h"

#include <cmath>
#include <limits>

#include "editor/edits.h"
#include "sim/track.h"

namespace editor {

std::optional<b2Vec2> obstacle_position(const Document& doc, const Validation& v, int k) {
  if (v.track != nullptr && static_cast<int>(v.track->obstacles.size()) == obstacle_count(doc) && k >= 0 &&
      k < obstacle_count(doc)) {
    return v.track->obstacles[static_cast<std::size_t>(k)].position;
  }
  const sim::ObstacleSpec o = obstacle_spec(doc, k);
  if (k < 0 || k >= obstacle_count(doc) || o.track_relative) return std::nullopt;
  return o.position;
}

std::optional<b2Vec2> spawn_position(const Document& doc, const Validation& v) {
  if (v.track == nullptr) return std::nullopt;
  return sim::point_at(*v.track, spawn_s(doc), 0.0f);
}

std::optional<b2Vec2> handle_position(const Document& doc, const Validation& v, const Handle& h) {
  switch (h.kind) {
    case Handle::Kind::Point:
      if (h.index >= 0 && h.index < point_count(doc)) return control_point(doc, h.index);
      return std::nullopt;
    case Handle::Kind::Obstacle: return obstacle_position(doc, v, h.index);
    case Handle::Kind::Spawn: return spawn_position(doc, v);
    case Handle::Kind::Waypoint: {
      const std::vector<b2Vec2> loop = waypoints(doc, h.index);
      if (h.sub >= 0 && h.sub < static_cast<int>(loop.size())) return loop[static_cast<std::size_t>(h.sub)];
      return std::nullopt;
    }
    case Handle::Kind::None: break;
  }
  return std::nullopt;
}

Handle pick(const Document& doc, const Validation& v, b2Vec2 p, float tolerance, int preferred_traffic) {
  Handle best;
  float best_d = tolerance;
  // Candidates in priority order: a nearer one of a later group wins only by being nearer.
  const auto consider = [&](Handle h, float d) {
    if (d <= best_d && (!best || d < best_d)) {
      best = h;
      best_d = d;
    }
  };
  const auto waypoints_of = [&](int k) {
    const std::vector<b2Vec2> loop = waypoints(doc, k);
    for (int j = 0; j < static_cast<int>(loop.size()); ++j) {
      consider({Handle::Kind::Waypoint, k, j}, b2Distance(p, loop[static_cast<std::size_t>(j)]));
    }
  };
  if (preferred_traffic >= 0) waypoints_of(preferred_traffic);
  if (best) return best;
  for (int i = 0; i < point_count(doc); ++i) consider({Handle::Kind::Point, i, -1}, b2Distance(p, control_point(doc, i)));
  if (best) return best;
  for (int k = 0; k < obstacle_count(doc); ++k) {
    const std::optional<b2Vec2> at = obstacle_position(doc, v, k);
    if (!at) continue;
    const sim::ObstacleSpec o = obstacle_spec(doc, k);
    // Anywhere on the obstacle counts as on its centre.
    const float extent = o.shape == sim::ObstacleShape::Circle ? o.radius : 0.5f * std::min(o.length, o.width);
    consider({Handle::Kind::Obstacle, k, -1}, std::max(0.0f, b2Distance(p, *at) - extent));
  }
  if (best) return best;
  if (const std::optional<b2Vec2> at = spawn_position(doc, v)) consider({Handle::Kind::Spawn, -1, -1}, b2Distance(p, *at));
  if (best) return best;
  for (int k = 0; k < traffic_count(doc); ++k) waypoints_of(k);
  return best;
}

}  // namespace editor
