#include "sim/actors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "sim/env.h"
#include "sim/observation.h"
#include "sim/sensors.h"
#include "support/test_tracks.h"

namespace sim {
namespace {

using testing::load_or_fail;
using testing::oval_toml;

// The test oval's bottom straight runs along y = 0 from x = 0 to 200 (s = x there), 20 m wide.
LoadedScenario oval_with(const std::string& extra) { return load_or_fail(oval_toml({.extra = extra})); }

World world_with_car_at(const LoadedScenario& s, float x, float speed = 0.0f) {
  World w = make_world(s.scenario, s.track);
  Rng rng(1);
  add_actors(w, rng);
  add_car(w, pose_on_track(*s.track, x, 0.0f, 0.0f, speed));
  return w;
}

TEST(ActorsTest, RouteWrapsWhenClosedAndClampsWhenOpen) {
  const Route closed = make_route({{0, 0}, {10, 0}, {10, 10}}, true);
  EXPECT_NEAR(closed.length, 20.0f + std::sqrt(200.0f), 1e-4f);
  EXPECT_NEAR(route_point(closed, 15.0f).y, 5.0f, 1e-5f);
  EXPECT_NEAR(route_point(closed, closed.length + 5.0f).x, 5.0f, 1e-4f);
  const Route open = make_route({{0, 0}, {10, 0}}, false);
  EXPECT_FLOAT_EQ(open.length, 10.0f);
  EXPECT_FLOAT_EQ(route_point(open, 25.0f).x, 10.0f);
  EXPECT_FLOAT_EQ(route_point(open, -3.0f).x, 0.0f);
}

TEST(ActorsTest, SpeedProfileIsLinearBetweenEntriesAndRoundTheLoop) {
  TrafficSpec t;
  t.speed_profile = {{10, 4}, {30, 8}};
  EXPECT_FLOAT_EQ(traffic_speed(t, 20.0f, 100.0f), 6.0f);
  EXPECT_FLOAT_EQ(traffic_speed(t, 30.0f, 100.0f), 8.0f);
  // From s = 30 (8 m/s) round the loop to s = 110 (4 m/s): a quarter of the way at s = 50.
  EXPECT_FLOAT_EQ(traffic_speed(t, 50.0f, 100.0f), 7.0f);
  EXPECT_FLOAT_EQ(traffic_speed(t, 5.0f, 100.0f), 4.25f);  // 75 of the 80 m from s = 30 to s = 110
  TrafficSpec constant;
  constant.speed = 3.5f;
  EXPECT_FLOAT_EQ(traffic_speed(constant, 42.0f, 100.0f), 3.5f);
}

TEST(ActorsTest, MoverBouncesWithPausesAtBothEnds) {
  MoverSpec m;
  m.speed = 2.0f;
  m.pause = 1.0f;
  const Route path = make_route({{0, 0}, {10, 0}}, false);
  EXPECT_FLOAT_EQ(mover_position(path, m, 0.5).x, 0.0f);   // waiting at the start
  EXPECT_FLOAT_EQ(mover_position(path, m, 3.0).x, 4.0f);   // 2 s out at 2 m/s
  EXPECT_FLOAT_EQ(mover_position(path, m, 6.5).x, 10.0f);  // waiting at the end
  EXPECT_FLOAT_EQ(mover_position(path, m, 9.0).x, 6.0f);   // 2 s on the way back
  EXPECT_FLOAT_EQ(mover_position(path, m, 12.0 + 3.0).x, 4.0f);  // the cycle is 2 (5 + 1) s
  m.phase = 2.0f;
  EXPECT_FLOAT_EQ(mover_position(path, m, 1.0).x, 4.0f);
  m.mode = MoverMode::Loop;
  m.pause = 0.0f;
  m.phase = 0.0f;
  const Route loop = make_route({{0, 0}, {10, 0}, {10, 10}, {0, 10}}, true);
  EXPECT_FLOAT_EQ(mover_position(loop, m, 10.0).y, 10.0f);  // 20 m round: the third corner
  EXPECT_FLOAT_EQ(mover_position(loop, m, 20.0).x, 0.0f);   // back at the start after 40 m
}

TEST(ActorsTest, TrafficDrivesItsRouteAtItsSpeed) {
  const LoadedScenario s = oval_with("[[traffic]]\noffset = -4\nspeed = 8\nstart = 20\n");
  World w = world_with_car_at(s, 150.0f);
  ASSERT_EQ(w.actors.size(), 1u);
  std::vector<CarEvents> ev(1);
  for (int k = 0; k < 90; ++k) step_world(w, ev);  // 3 s
  const b2Vec2 p = w.actors[0].body->GetPosition();
  EXPECT_NEAR(w.actors[0].u, 44.0f, 1e-3f);
  const b2Vec2 expected = route_point(s.track->traffic_routes[0], 44.0f);
  EXPECT_NEAR(p.x, expected.x, 1e-3f);
  EXPECT_NEAR(p.y, -4.0f, 0.01f);
  EXPECT_NEAR(w.actors[0].body->GetAngle(), 0.0f, 1e-3f);
  EXPECT_NEAR(w.actors[0].body->GetLinearVelocity().x, 8.0f, 0.01f);
}

TEST(ActorsTest, ScenarioWithoutActorsHasNone) {
  const LoadedScenario s = oval_with("");
  const World w = world_with_car_at(s, 10.0f);
  EXPECT_TRUE(w.actors.empty());
  EXPECT_TRUE(w.actor_shapes.empty());
}

TEST(ActorsTest, DrivingIntoAStoppedTrafficCarIsACrashWithTraffic) {
  const LoadedScenario s = oval_with("[[traffic]]\nspeed_profile = [[0, 0]]\nstart = 40\n");
  World w = world_with_car_at(s, 10.0f, 10.0f);
  std::vector<CarEvents> ev(1);
  bool crashed = false;
  for (int k = 0; k < 120 && !crashed; ++k) {
    w.cars[0].state.controls = {0.0f, 1.0f};
    step_world(w, ev);
    crashed = ev[0].crashed;
  }
  ASSERT_TRUE(crashed);
  EXPECT_EQ(ev[0].crash_with, BodyKind::Traffic);
  EXPECT_EQ(ev[0].crash_index, 0);
  const b2Vec2 parked = route_point(s.track->traffic_routes[0], 40.0f);
  EXPECT_NEAR(ev[0].crash_point.x, parked.x - 2.2f, 0.3f);  // the traffic car's rear bumper
  // Kinematic: the stopped car was not pushed.
  EXPECT_EQ(w.actors[0].body->GetPosition().x, parked.x);
}

TEST(ActorsTest, LidarAndClearanceSeeTrafficAndMovers) {
  // A traffic car 20 m ahead, a circular mover beside the car's left side.
  const LoadedScenario s = oval_with(
      "[[traffic]]\nspeed_profile = [[0, 0]]\nstart = 40\n"
      "[[movers]]\nshape = \"circle\"\nradius = 0.5\npath = [[20, 2.0], [20, 9]]\nspeed = 1\npause = 100\n");
  World w = world_with_car_at(s, 20.0f);
  std::vector<float> rays(static_cast<std::size_t>(lidar_size(s.scenario->sensors)));
  cast_rays(w, 0, rays);
  const int middle = s.scenario->sensors.rays + 1;  // the corridor ray down the car's centreline
  EXPECT_NEAR(rays[static_cast<std::size_t>(middle)], 20.0f - 2.2f, 1e-3f);
  // Hull's left side at y = 0.9, the mover's edge at y = 1.5.
  std::vector<CarEvents> ev(1);
  step_world(w, ev);
  EXPECT_NEAR(ev[0].clearance, 0.6f, 1e-3f);
  EXPECT_TRUE(ev[0].near_miss);
}

TEST(ActorsTest, MoverCrossesTheRoadAndHitsACarInItsPath) {
  const LoadedScenario s = oval_with(
      "[[movers]]\nshape = \"box\"\nlength = 1\nwidth = 1\npath = [[30, -9], [30, 9]]\nspeed = 4\n");
  World w = world_with_car_at(s, 30.0f);
  std::vector<CarEvents> ev(1);
  bool crashed = false;
  for (int k = 0; k < 90 && !crashed; ++k) {
    step_world(w, ev);
    crashed = ev[0].crashed;
  }
  ASSERT_TRUE(crashed);
  EXPECT_EQ(ev[0].crash_with, BodyKind::Mover);
}

// Everything the new keys draw at reset comes from the env's stream: same seed, same episode.
constexpr const char* kBusy =
    "[[traffic]]\noffset = -4\nspeed = 7\nstart = 60\nstart_jitter = 20\ncount = 2\nspacing = 150\n"
    "[[traffic]]\noffset = 4\nspeed_profile = [[0, 9], [300, 5]]\nstart = 300\n"
    "[[movers]]\nshape = \"circle\"\nradius = 0.6\npath = [[120, -9], [120, 9]]\nspeed = 3\npause = 2\nphase = 1.5\n"
    "[randomise]\ntyre_friction = [0.7, 1.2]\ntraffic_speed = [0.8, 1.2]\n"
    "[spawn]\ns = 10\ns_jitter = 50\nlateral_jitter = 2\n";

std::uint64_t episode_hash(Env& env, std::uint64_t seed, int steps) {
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  env.reset(seed, obs);
  for (int k = 0; k < steps && !env.done(); ++k) {
    const float action[2] = {0.1f * std::sin(0.05f * static_cast<float>(k)), 0.6f};
    env.step(action, obs);
  }
  return hash_world(env.world());
}

TEST(ActorsTest, SameSeedSameEpisodeDifferentSeedDifferentDraws) {
  const LoadedScenario s = oval_with(kBusy);
  Env a(s.scenario, s.track), b(s.scenario, s.track);
  EXPECT_EQ(episode_hash(a, 5, 300), episode_hash(b, 5, 300));
  EXPECT_NE(episode_hash(a, 5, 300), episode_hash(b, 6, 300));
  // Friction and traffic speed scales are drawn from their ranges.
  std::vector<float> obs(static_cast<std::size_t>(a.observation_size()));
  float lo = 10.0f, hi = 0.0f;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    a.reset(seed, obs);
    const float mu = a.world().car_spec.tyre_friction;
    lo = std::min(lo, mu);
    hi = std::max(hi, mu);
    for (const Actor& actor : a.world().actors) {
      if (actor.kind != BodyKind::Traffic) continue;
      EXPECT_GE(actor.speed_scale, 0.8f);
      EXPECT_LT(actor.speed_scale, 1.2f);
    }
  }
  EXPECT_GE(lo, 0.7f);
  EXPECT_LT(hi, 1.2f);
  EXPECT_GT(hi - lo, 0.2f);
}

TEST(ActorsTest, ReplayReproducesAnEpisodeWithTrafficAndRandomisation) {
  const LoadedScenario s = oval_with(kBusy);
  Env env(s.scenario, s.track);
  const std::uint64_t original = episode_hash(env, 11, 200);
  const EpisodeRecord record = env.record();
  Env other(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(other.observation_size()));
  other.reset(99, obs);  // some other episode first
  ASSERT_TRUE(other.replay(record, obs));
  EXPECT_EQ(hash_world(other.world()), original);
}

TEST(ActorsTest, SpawnKeepsClearOfTraffic) {
  // Traffic parked all round the right lane; random starts must not overlap any of it.
  const LoadedScenario s = oval_with(
      "[[traffic]]\noffset = -5\nspeed_profile = [[0, 0]]\ncount = 20\nspacing = 30\nstart = 100\n"
      "[spawn]\ns = 10\ns_jitter = 300\nlateral_jitter = 6\n");
  Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    env.reset(seed, obs);
    EXPECT_GT(obs[static_cast<std::size_t>(observation_size(*s.scenario) - 1)], 0.0f) << "seed " << seed;
    b2Vec2 hull[4];
    car_corners(*env.world().cars[0].state.body, s.scenario->car, hull);
    EXPECT_GE(actor_clearance(env.world(), hull, 4, 5.0f), 3.0f) << "seed " << seed;
  }
}

}  // namespace
}  // namespace sim
