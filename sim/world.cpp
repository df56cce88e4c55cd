// World construction, the physics step and per-car event extraction (crash, near-miss, progress).
#include "sim/world.h"

#include <box2d/b2_edge_shape.h>
#include <box2d/b2_circle_shape.h>
#include <box2d/b2_contact.h>
#include <box2d/b2_fixture.h>
#include <box2d/b2_polygon_shape.h>

#include <algorithm>
#include <cmath>

#include "sim/actors.h"
#include "sim/box2d_setup.h"
#include "sim/geometry.h"
#include "sim/hash.h"
#include "sim/sensors.h"

namespace sim {
namespace {

constexpr std::size_t kContactCapacity = 64;  // begun contacts kept per step; more are dropped

BodyKind tag_kind(std::uintptr_t tag) { return static_cast<BodyKind>(tag >> 32); }
int tag_index(std::uintptr_t tag) { return static_cast<int>(tag & 0xFFFFFFFFu); }

void record_begin(ContactRecorder& rec, std::uintptr_t self, std::uintptr_t other, b2Vec2 point) {
  if (tag_kind(self) != BodyKind::Car) return;
  const int car = tag_index(self);
  ++rec.touching[car];
  if (rec.begun.size() < rec.begun.capacity()) {
    rec.begun.push_back({car, tag_kind(other), tag_index(other), point});
  }
}

b2Vec2 contact_point(b2Contact* contact) {
  b2WorldManifold manifold;
  contact->GetWorldManifold(&manifold);
  const int n = contact->GetManifold()->pointCount;
  return n >= 2 ? 0.5f * (manifold.points[0] + manifold.points[1]) : manifold.points[0];
}

/// Adds edge e of a wall to the walls' body, one-sided (solid towards the outside of the road),
/// with its neighbours as ghost vertices so a car sliding along the wall does not catch on joints.
/// Edges collide on the right of v1 → v2, so the left wall is walked in track direction (the road
/// is on its right) and the right wall backwards.
b2Fixture* create_wall_edge(b2Body& body, const std::vector<b2Vec2>& wall, const WallEdges& edges, int side,
                            std::size_t e) {
  const std::size_t m = edges.first.size();
  auto at = [&](std::size_t i) { return wall[static_cast<std::size_t>(edges.first[i % m])]; };
  b2EdgeShape edge;
  if (side == 0) {
    edge.SetOneSided(at(e + m - 1), at(e), at(e + 1), at(e + 2));
  } else {
    edge.SetOneSided(at(e + 2), at(e + 1), at(e), at(e + m - 1));
  }
  b2FixtureDef fixture;
  fixture.shape = &edge;
  fixture.friction = 0.3f;
  fixture.userData.pointer = body_tag(BodyKind::Wall, side);
  return body.CreateFixture(&fixture);
}

/// Brings Box2D's wall edges in line with the cars' positions: every edge holding a wall segment
/// within kWallWindow of a car present, the others absent. Work is proportional to the window,
/// not to the lap, and edges are added and removed in a deterministic order.
void sync_wall_window(World& world) {
  const Track& track = *world.track;
  WallWindow& win = world.walls;
  // A car's window is, per side, the edges from its segment's first to its last (Track::
  // wall_window). Merged edges span several segments, so the car usually moves to the next
  // segment without changing these ends; then there is nothing to do.
  const std::size_t ends = 4 * world.cars.size();
  bool moved = win.synced_ends.size() != ends;
  win.synced_ends.resize(ends);
  for (std::size_t i = 0; i < world.cars.size(); ++i) {
    const WallWindowEnds& w = track.wall_window[static_cast<std::size_t>(world.cars[i].segment)];
    const int now[4] = {w.first[0], w.last[0], w.first[1], w.last[1]};
    for (std::size_t k = 0; k < 4; ++k) {
      int& synced = win.synced_ends[4 * i + k];
      moved = moved || synced != now[k];
      synced = now[k];
    }
  }
  if (!moved) return;

  for (int side = 0; side < 2; ++side) {
    const WallEdges& edges = track.wall_edges[side];
    const std::vector<b2Vec2>& wall = side == 0 ? track.left_wall : track.right_wall;
    WallWindow::Side& w = win.sides[side];
    const std::size_t m = edges.first.size();
    // The edges of a car's window are consecutive: from its first edge to its last, round the loop.
    auto for_each_wanted = [&](auto&& fn) {
      if (track.wall_window_is_lap) {
        for (std::size_t e = 0; e < m; ++e) fn(e);
        return;
      }
      for (std::size_t i = 0; i < world.cars.size(); ++i) {
        const auto first = static_cast<std::size_t>(win.synced_ends[4 * i + 2 * static_cast<std::size_t>(side)]);
        const auto last = static_cast<std::size_t>(win.synced_ends[4 * i + 2 * static_cast<std::size_t>(side) + 1]);
        for (std::size_t e = first;; e = e + 1 == m ? 0 : e + 1) {
          fn(e);
          if (e == last) break;
        }
      }
    };
    const auto bit = [](std::size_t e) { return std::uint64_t{1} << (e % 64); };
    for_each_wanted([&](std::size_t e) { w.wanted[e / 64] |= bit(e); });
    std::size_t kept = 0;
    for (const WallWindow::Present& p : w.present) {
      const std::size_t e = static_cast<std::size_t>(p.edge);
      if (w.wanted[e / 64] & bit(e)) {
        w.present[kept++] = p;
      } else {
        win.body->DestroyFixture(p.fixture);
        w.is_present[e / 64] &= ~bit(e);
      }
    }
    w.present.resize(kept);
    for_each_wanted([&](std::size_t e) {
      if (w.is_present[e / 64] & bit(e)) return;
      w.present.push_back({static_cast<int>(e), create_wall_edge(*win.body, wall, edges, side, e)});
      w.is_present[e / 64] |= bit(e);
    });
    std::fill(w.wanted.begin(), w.wanted.end(), 0);
  }
}

void add_obstacles(b2World& physics, const Track& track) {
  b2BodyDef def;
  b2Body* body = physics.CreateBody(&def);
  for (std::size_t k = 0; k < track.obstacles.size(); ++k) {
    const Obstacle& o = track.obstacles[k];
    b2PolygonShape box;
    b2CircleShape circle;
    b2FixtureDef fixture;
    if (o.shape == ObstacleShape::Box) {
      box.SetAsBox(0.5f * o.length, 0.5f * o.width, o.position, o.angle);
      fixture.shape = &box;
    } else {
      circle.m_p = o.position;
      circle.m_radius = o.radius;
      fixture.shape = &circle;
    }
    fixture.friction = 0.5f;
    fixture.userData.pointer = body_tag(BodyKind::Obstacle, static_cast<int>(k));
    body->CreateFixture(&fixture);
  }
}

bool finite(b2Vec2 v) { return std::isfinite(v.x) && std::isfinite(v.y); }

/// Exact clearance from car i's hull to static geometry and the other cars, capped at `cap`.
float car_clearance(const World& world, int i, float cap) {
  const CarSpec& spec = world.scenario->car;
  b2Vec2 hull[4];
  car_corners(*world.cars[i].state.body, spec, hull);
  float best = world.track->geometry.clearance(hull, 4, cap).distance;
  const float reach = std::sqrt(spec.length * spec.length + spec.width * spec.width) + cap;
  const b2Vec2 centre = world.cars[i].state.body->GetPosition();
  for (std::size_t j = 0; j < world.cars.size(); ++j) {
    if (static_cast<int>(j) == i) continue;
    const b2Body& other = *world.cars[j].state.body;
    if (b2DistanceSquared(centre, other.GetPosition()) > reach * reach) continue;
    b2Vec2 other_hull[4];
    car_corners(other, spec, other_hull);
    best = std::min(best, polygon_polygon_distance(hull, 4, other_hull, 4, nullptr));
  }
  if (!world.actor_shapes.empty()) best = std::min(best, actor_clearance(world, hull, 4, cap));
  return std::min(best, cap);
}

/// Checkpoints the car crossed this step, given its arc length before the step. Forwards, the
/// next checkpoint is passed when it lies in (s_before, s_before + delta]; backwards, the last
/// one passed is taken back when it lies in (s_before + delta, s_before]. So wiggling across a
/// checkpoint earns nothing, and checkpoints are passed in order.
void pass_checkpoints(const std::vector<CheckpointSpec>& cps, const Track& track, float s_before, Car& car,
                      CarEvents& ev) {
  const int n = static_cast<int>(cps.size());
  const float delta = ev.progress_delta;
  for (int k = 0; k < n && delta > 0.0f; ++k) {
    const CheckpointSpec& cp = cps[static_cast<std::size_t>(car.next_checkpoint)];
    const float d = arc_delta(track, s_before, cp.s);
    if (!(d > 0.0f && d <= delta)) break;
    ev.checkpoint_reward += cp.reward;
    ++ev.checkpoints_passed;
    ++car.checkpoints_passed;
    car.next_checkpoint = (car.next_checkpoint + 1) % n;
  }
  for (int k = 0; k < n && delta < 0.0f; ++k) {
    const int last = (car.next_checkpoint + n - 1) % n;
    const CheckpointSpec& cp = cps[static_cast<std::size_t>(last)];
    const float d = arc_delta(track, s_before, cp.s);
    if (!(d <= 0.0f && d > delta)) break;
    ev.checkpoint_reward -= cp.reward;
    --ev.checkpoints_passed;
    --car.checkpoints_passed;
    car.next_checkpoint = last;
  }
}

/// Progress along the track: re-project near the last segment, accumulate the signed arc length.
/// A lap counts once the car has driven the loop's length and passed every checkpoint again.
void update_progress(const Scenario& sc, const Track& track, Car& car, CarEvents& ev) {
  const TrackPosition tp = project(track, car.state.body->GetPosition(), car.segment);
  ev.progress_delta = arc_delta(track, car.s, tp.s);
  const float s_before = car.s;
  car.s = tp.s;
  car.segment = tp.segment;
  car.lateral = tp.lateral;
  car.progress += ev.progress_delta;
  car.best_progress = std::max(car.best_progress, car.progress);
  if (!sc.checkpoints.empty()) pass_checkpoints(sc.checkpoints, track, s_before, car, ev);
  const int per_lap = static_cast<int>(sc.checkpoints.size());
  while (car.progress >= static_cast<float>(car.laps + 1) * track.length &&
         car.checkpoints_passed >= per_lap * (car.laps + 1)) {
    ++car.laps;
    ++ev.laps_completed;
  }
  ev.off_track = std::fabs(tp.lateral) > tp.half_width;
  if (sc.episode.goal_reach) {
    const b2Vec2 p = car.state.body->GetPosition();
    ev.reached_target = b2DistanceSquared(p, sc.episode.target) <= sc.episode.target_radius * sc.episode.target_radius &&
                        car.checkpoints_passed >= per_lap;
  }
}

}  // namespace

std::uintptr_t body_tag(BodyKind kind, int index) {
  return (static_cast<std::uintptr_t>(kind) << 32) | static_cast<std::uint32_t>(index);
}

void ContactRecorder::BeginContact(b2Contact* contact) {
  const std::uintptr_t a = contact->GetFixtureA()->GetUserData().pointer;
  const std::uintptr_t b = contact->GetFixtureB()->GetUserData().pointer;
  const b2Vec2 point = contact_point(contact);
  record_begin(*this, a, b, point);
  record_begin(*this, b, a, point);
}

void ContactRecorder::EndContact(b2Contact* contact) {
  for (std::uintptr_t tag : {contact->GetFixtureA()->GetUserData().pointer,
                             contact->GetFixtureB()->GetUserData().pointer}) {
    if (tag_kind(tag) == BodyKind::Car) --touching[tag_index(tag)];
  }
}

World make_world(std::shared_ptr<const Scenario> scenario, std::shared_ptr<const Track> track) {
  initialise_box2d();
  World world;
  world.scenario = std::move(scenario);
  world.track = std::move(track);
  world.physics = std::make_unique<b2World>(b2Vec2(0.0f, 0.0f));
  world.recorder = std::make_unique<ContactRecorder>();
  world.recorder->begun.reserve(kContactCapacity);
  world.physics->SetContactListener(world.recorder.get());
  b2BodyDef walls;
  world.walls.body = world.physics->CreateBody(&walls);
  for (int side = 0; side < 2; ++side) {
    const std::size_t m = world.track->wall_edges[side].first.size();
    WallWindow::Side& w = world.walls.sides[side];
    w.is_present.assign((m + 63) / 64, 0);
    w.wanted.assign((m + 63) / 64, 0);
    w.present.reserve(m);  // capacity only: the stepping loop never allocates
  }
  add_obstacles(*world.physics, *world.track);
  world.car_spec = world.scenario->car;
  world.ray_directions = ray_directions(world.scenario->sensors);
  return world;
}

CarPose pose_on_track(const Track& track, float s, float lateral, float heading_offset, float speed) {
  return {point_at(track, s, lateral), heading_at(track, s) + heading_offset, speed};
}

int add_car(World& world, const CarPose& pose) {
  const CarSpec& spec = world.scenario->car;
  const int index = static_cast<int>(world.cars.size());

  b2BodyDef def;
  def.type = b2_dynamicBody;
  def.position = pose.position;
  def.angle = pose.angle;
  def.linearVelocity = pose.speed * b2Vec2(std::cos(pose.angle), std::sin(pose.angle));
  b2Body* body = world.physics->CreateBody(&def);

  b2PolygonShape box;
  box.SetAsBox(0.5f * spec.length, 0.5f * spec.width);
  b2FixtureDef fixture;
  fixture.shape = &box;
  fixture.density = spec.mass / (spec.length * spec.width);
  fixture.friction = 0.5f;
  fixture.restitution = 0.1f;
  fixture.userData.pointer = body_tag(BodyKind::Car, index);
  body->CreateFixture(&fixture);

  Car car;
  car.state.body = body;
  const TrackPosition tp = project(*world.track, pose.position, -1);
  car.segment = tp.segment;
  car.s = tp.s;
  car.lateral = tp.lateral;
  car.clearance = kClearanceCapFactor * world.scenario->episode.near_miss_distance;
  const std::vector<CheckpointSpec>& cps = world.scenario->checkpoints;
  // The first checkpoint ahead of the start (they are sorted by s).
  while (car.next_checkpoint < static_cast<int>(cps.size()) &&
         cps[static_cast<std::size_t>(car.next_checkpoint)].s <= car.s) {
    ++car.next_checkpoint;
  }
  if (car.next_checkpoint == static_cast<int>(cps.size())) car.next_checkpoint = 0;
  world.cars.push_back(car);
  world.recorder->touching.push_back(0);
  sync_wall_window(world);
  return index;
}

void step_world(World& world, std::span<CarEvents> events) {
  const Scenario& sc = *world.scenario;
  const EpisodeSpec& ep = sc.episode;
  const float h = ep.dt / static_cast<float>(ep.substeps);
  ContactRecorder& rec = *world.recorder;

  rec.begun.clear();
  sync_wall_window(world);
  drive_actors(world);
  for (int sub = 0; sub < ep.substeps; ++sub) {
    for (Car& car : world.cars) apply_car_forces(car.state, world.car_spec, h);
    world.physics->Step(h, ep.velocity_iterations, ep.position_iterations);
  }
  finish_actor_step(world);
  ++world.steps;

  const float d = ep.near_miss_distance;
  for (std::size_t i = 0; i < world.cars.size(); ++i) {
    Car& car = world.cars[i];
    CarEvents& ev = events[i];
    ev = CarEvents{};
    const b2Body& body = *car.state.body;
    if (!finite(body.GetPosition()) || !finite(body.GetLinearVelocity()) ||
        !std::isfinite(body.GetAngle())) {
      ev.non_finite = true;
      continue;
    }
    for (const ContactRecord& c : rec.begun) {
      if (c.car != static_cast<int>(i) || !car.crash_armed) continue;
      ev.crashed = true;
      ev.crash_with = c.other;
      ev.crash_index = c.other_index;
      ev.crash_point = c.point;
      ev.crash_speed = body.GetLinearVelocity().Length();
      break;
    }
    ev.touching = rec.touching[i] > 0;
    update_progress(sc, *world.track, car, ev);

    // Near-miss: exact hull clearance under d without contact; entering the zone counts once.
    car.clearance = ev.touching ? 0.0f : car_clearance(world, static_cast<int>(i), kClearanceCapFactor * d);
    if (ev.crashed) car.crash_armed = false;
    if (!ev.touching && car.clearance > kCrashRearmClearance) car.crash_armed = true;
    const bool was = car.near_miss;
    if (ev.touching || ev.crashed) {
      car.near_miss = false;
    } else if (car.clearance < d) {
      car.near_miss = true;
    } else if (car.clearance > d * (1.0f + kNearMissHysteresis)) {
      car.near_miss = false;
    }
    ev.clearance = car.clearance;
    ev.near_miss = car.near_miss;
    ev.near_miss_entered = car.near_miss && !was;
  }
}

std::uint64_t hash_world(const World& world) {
  // The bit patterns of every value that carries the world forward.
  Fnv1a h;
  h.add_value(world.steps);
  for (const Car& car : world.cars) {
    const b2Body& b = *car.state.body;
    for (float f : {b.GetPosition().x, b.GetPosition().y, b.GetAngle(), b.GetLinearVelocity().x,
                    b.GetLinearVelocity().y, b.GetAngularVelocity(), car.state.steer_angle, car.progress}) {
      h.add_value(f);
    }
    h.add_value(car.laps);
    h.add_value(car.near_miss);
    h.add_value(car.crash_armed);
    h.add_value(car.checkpoints_passed);
  }
  for (const Actor& a : world.actors) {
    const b2Body& b = *a.body;
    for (float f : {b.GetPosition().x, b.GetPosition().y, b.GetAngle(), a.u, a.speed_scale}) h.add_value(f);
  }
  h.add_value(world.car_spec.tyre_friction);
  return h.value();
}

}  // namespace sim
