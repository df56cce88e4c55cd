// Traffic and movers: routes, scripted poses, kinematic bodies, outlines (see actors.h).
#include "sim/actors.h"

#include <box2d/b2_circle_shape.h>
#include <box2d/b2_fixture.h>
#include <box2d/b2_polygon_shape.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sim/geometry.h"

namespace sim {
namespace {

float wrap(float u, float length) {
  float r = std::fmod(u, length);
  if (r < 0.0f) r += length;
  return r >= length ? 0.0f : r;
}

/// The smallest rotation from angle a to angle b, in (-π, π].
float angle_delta(float a, float b) {
  constexpr float kPi = std::numbers::pi_v<float>;
  float d = std::fmod(b - a, 2.0f * kPi);
  if (d > kPi) d -= 2.0f * kPi;
  if (d <= -kPi) d += 2.0f * kPi;
  return d;
}

b2Body* create_actor_body(b2World& physics, BodyKind kind, int index, b2Vec2 position, float angle,
                          const b2Shape& shape) {
  b2BodyDef def;
  def.type = b2_kinematicBody;
  def.position = position;
  def.angle = angle;
  b2Body* body = physics.CreateBody(&def);
  b2FixtureDef fixture;
  fixture.shape = &shape;
  fixture.friction = 0.5f;
  fixture.userData.pointer = body_tag(kind, index);
  body->CreateFixture(&fixture);
  return body;
}

ActorShape outline(const World& world, const Actor& a) {
  const Scenario& sc = *world.scenario;
  ActorShape out;
  const b2Vec2 p = a.body->GetPosition();
  out.centre = p;
  float length = 0.0f, width = 0.0f;
  if (a.kind == BodyKind::Traffic) {
    const TrafficSpec& t = sc.traffic[static_cast<std::size_t>(a.spec)];
    length = t.length;
    width = t.width;
  } else {
    const MoverSpec& m = sc.movers[static_cast<std::size_t>(a.spec)];
    if (m.shape == ObstacleShape::Circle) {
      out.circle = true;
      out.radius = m.radius;
      return out;
    }
    length = m.length;
    width = m.width;
  }
  box_corners(p, a.body->GetAngle(), length, width, out.corners);
  out.radius = 0.5f * std::hypot(length, width);
  return out;
}

/// Where traffic car a will be after the coming step: u + v(u) · scale · dt, not yet wrapped.
float next_u(const World& world, const Actor& a) {
  const TrafficSpec& t = world.scenario->traffic[static_cast<std::size_t>(a.spec)];
  const Route& route = world.track->traffic_routes[static_cast<std::size_t>(a.spec)];
  return a.u + traffic_speed(t, a.u, route.length) * a.speed_scale * world.scenario->episode.dt;
}

/// Time (s) since the episode began, as the scripts see it.
double episode_time(const World& world, std::int64_t steps) {
  return static_cast<double>(steps) * static_cast<double>(world.scenario->episode.dt);
}

}  // namespace

Route make_route(std::vector<b2Vec2> points, bool closed) {
  Route r;
  r.closed = closed;
  r.points = std::move(points);
  r.s.resize(r.points.size());
  double total = 0.0;
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    r.s[i] = static_cast<float>(total);
    if (i + 1 < r.points.size() || closed) {
      total += static_cast<double>((r.points[(i + 1) % r.points.size()] - r.points[i]).Length());
    }
  }
  r.length = static_cast<float>(total);
  return r;
}

b2Vec2 route_point(const Route& route, float u) {
  if (route.length <= 0.0f) return route.points.front();
  u = route.closed ? wrap(u, route.length) : std::clamp(u, 0.0f, route.length);
  const std::size_t n = route.points.size();
  // The last point with s <= u.
  const std::size_t i = static_cast<std::size_t>(std::upper_bound(route.s.begin(), route.s.end(), u) - route.s.begin()) - 1;
  if (i + 1 == n && !route.closed) return route.points.back();
  const float end = i + 1 < n ? route.s[i + 1] : route.length;
  const float len = end - route.s[i];
  const float f = len > 0.0f ? (u - route.s[i]) / len : 0.0f;
  const b2Vec2 a = route.points[i], b = route.points[(i + 1) % n];
  return a + f * (b - a);
}

void build_routes(const Scenario& scenario, Track& track) {
  for (const TrafficSpec& t : scenario.traffic) {
    if (!t.waypoints.empty()) {
      track.traffic_routes.push_back(make_route(t.waypoints, true));
      continue;
    }
    std::vector<b2Vec2> points(track.centre.size());
    for (std::size_t k = 0; k < points.size(); ++k) points[k] = point_at(track, track.s[k], t.offset);
    track.traffic_routes.push_back(make_route(std::move(points), true));
  }
  for (const MoverSpec& m : scenario.movers) {
    track.mover_paths.push_back(make_route(m.path, m.mode == MoverMode::Loop));
  }
}

float traffic_speed(const TrafficSpec& spec, float u, float length) {
  const std::vector<b2Vec2>& p = spec.speed_profile;
  if (p.empty()) return spec.speed;
  if (p.size() == 1 || length <= 0.0f) return p.front().y;
  u = wrap(u, length);
  // Entry i at or before u (the last entry, from the loop's far side, when u is before the first).
  std::size_t i = p.size() - 1;
  for (std::size_t k = 0; k < p.size(); ++k) {
    if (p[k].x <= u) i = k;
  }
  const std::size_t j = (i + 1) % p.size();
  const float from = p[i].x;
  float to = p[j].x;
  float at = u;
  if (j == 0) to += length;       // the span from the last entry round the loop to the first
  if (at < from) at += length;
  const float span = to - from;
  const float f = span > 0.0f ? std::clamp((at - from) / span, 0.0f, 1.0f) : 0.0f;
  return p[i].y + f * (p[j].y - p[i].y);
}

void traffic_pose(const Route& route, const TrafficSpec& spec, float u, b2Vec2& position, float& angle) {
  position = route_point(route, u);
  const b2Vec2 chord = route_point(route, u + 0.5f * spec.length) - route_point(route, u - 0.5f * spec.length);
  angle = std::atan2(chord.y, chord.x);
}

b2Vec2 mover_position(const Route& path, const MoverSpec& spec, double t) {
  const double travel = static_cast<double>(path.length) / static_cast<double>(spec.speed);
  const double pause = spec.pause;
  t += spec.phase;
  if (spec.mode == MoverMode::Loop) {
    // Wait at the first point, then once round the closed path.
    const double cycle = travel + pause;
    if (cycle <= 0.0) return path.points.front();
    const double tau = std::fmod(t, cycle);
    if (tau < pause) return path.points.front();
    return route_point(path, static_cast<float>((tau - pause) * spec.speed));
  }
  // Wait at the first point, travel to the last, wait there, travel back.
  const double cycle = 2.0 * (travel + pause);
  if (cycle <= 0.0) return path.points.front();
  double tau = std::fmod(t, cycle);
  if (tau < pause) return path.points.front();
  tau -= pause;
  if (tau < travel) return route_point(path, static_cast<float>(tau * spec.speed));
  tau -= travel;
  if (tau < pause) return path.points.back();
  tau -= pause;
  return route_point(path, static_cast<float>(static_cast<double>(path.length) - tau * spec.speed));
}

void add_actors(World& world, Rng& rng) {
  const Scenario& sc = *world.scenario;
  const Track& track = *world.track;
  const RandomiseSpec& rnd = sc.randomise;
  for (std::size_t k = 0; k < sc.traffic.size(); ++k) {
    const TrafficSpec& t = sc.traffic[k];
    const Route& route = track.traffic_routes[k];
    b2PolygonShape box;
    box.SetAsBox(0.5f * t.length, 0.5f * t.width);
    for (int j = 0; j < t.count; ++j) {
      Actor a;
      a.kind = BodyKind::Traffic;
      a.spec = static_cast<int>(k);
      a.u = t.start + static_cast<float>(j) * t.spacing;
      if (t.start_jitter > 0.0f) a.u += rng.uniform(-t.start_jitter, t.start_jitter);
      if (rnd.traffic_speed[0] != rnd.traffic_speed[1]) {
        a.speed_scale = rng.uniform(rnd.traffic_speed[0], rnd.traffic_speed[1]);
      } else {
        a.speed_scale = rnd.traffic_speed[0];
      }
      a.u = wrap(a.u, route.length);
      b2Vec2 p;
      float angle = 0.0f;
      traffic_pose(route, t, a.u, p, angle);
      a.body = create_actor_body(*world.physics, BodyKind::Traffic, static_cast<int>(world.actors.size()), p, angle, box);
      world.actors.push_back(a);
    }
  }
  for (std::size_t k = 0; k < sc.movers.size(); ++k) {
    const MoverSpec& m = sc.movers[k];
    b2PolygonShape box;
    b2CircleShape circle;
    if (m.shape == ObstacleShape::Box) {
      box.SetAsBox(0.5f * m.length, 0.5f * m.width);
    } else {
      circle.m_radius = m.radius;
    }
    const b2Shape& shape = m.shape == ObstacleShape::Box ? static_cast<const b2Shape&>(box) : circle;
    Actor a;
    a.kind = BodyKind::Mover;
    a.spec = static_cast<int>(k);
    const b2Vec2 p = mover_position(track.mover_paths[k], m, episode_time(world, world.steps));
    a.body = create_actor_body(*world.physics, BodyKind::Mover, static_cast<int>(world.actors.size()), p, m.angle, shape);
    world.actors.push_back(a);
  }
  world.actor_shapes.clear();
  for (const Actor& a : world.actors) world.actor_shapes.push_back(outline(world, a));
}

void drive_actors(World& world) {
  const Scenario& sc = *world.scenario;
  const Track& track = *world.track;
  const float dt = sc.episode.dt;
  const double t_next = episode_time(world, world.steps + 1);
  for (Actor& a : world.actors) {
    b2Body& body = *a.body;
    b2Vec2 target;
    float angle = body.GetAngle();
    if (a.kind == BodyKind::Traffic) {
      const std::size_t k = static_cast<std::size_t>(a.spec);
      traffic_pose(track.traffic_routes[k], sc.traffic[k], next_u(world, a), target, angle);
    } else {
      const MoverSpec& m = sc.movers[static_cast<std::size_t>(a.spec)];
      target = mover_position(track.mover_paths[static_cast<std::size_t>(a.spec)], m, t_next);
    }
    body.SetLinearVelocity((1.0f / dt) * (target - body.GetPosition()));
    body.SetAngularVelocity(angle_delta(body.GetAngle(), angle) / dt);
  }
}

void finish_actor_step(World& world) {
  for (std::size_t i = 0; i < world.actors.size(); ++i) {
    Actor& a = world.actors[i];
    if (a.kind == BodyKind::Traffic) {
      a.u = wrap(next_u(world, a), world.track->traffic_routes[static_cast<std::size_t>(a.spec)].length);
    }
    world.actor_shapes[i] = outline(world, a);
  }
}

float actor_clearance(const World& world, const b2Vec2* hull, int count, float cap) {
  float best = cap;
  // A bound on the hull's distance from its first corner, for a cheap cull.
  float hull_reach = 0.0f;
  for (int k = 1; k < count; ++k) hull_reach = std::max(hull_reach, (hull[k] - hull[0]).Length());
  for (const ActorShape& s : world.actor_shapes) {
    const float reach = hull_reach + s.radius + best;
    if (b2DistanceSquared(hull[0], s.centre) > reach * reach) continue;
    const float d = s.circle ? polygon_circle_distance(hull, count, s.centre, s.radius, nullptr)
                             : polygon_polygon_distance(hull, count, s.corners, 4, nullptr);
    best = std::min(best, d);
  }
  return best;
}

}  // namespace sim
