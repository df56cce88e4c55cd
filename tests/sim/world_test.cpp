// Crashes, near-misses and progress as facts about the world, on the test oval.
#include "sim/world.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "support/test_tracks.h"

namespace sim {
namespace {

using testing::load_or_fail;
using testing::OvalOptions;
using testing::oval_toml;

World oval_world(const std::string& extra = "", float width = 20.0f) {
  LoadedScenario s = load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, width, false, extra}));
  return make_world(s.scenario, s.track);
}

/// Steps until the predicate holds or `steps` run out; returns the step count used (or -1).
template <class Pred>
int step_until(World& w, std::vector<CarEvents>& ev, int steps, Pred pred) {
  for (int k = 0; k < steps; ++k) {
    step_world(w, ev);
    if (pred()) return k;
  }
  return -1;
}

TEST(WorldTest, DrivingIntoAWallIsACrashWithItsPoint) {
  World w = oval_world();
  add_car(w, CarPose{{50.0f, 0.0f}, 1.5707963f, 10.0f});  // heading +y: into the left (inner) wall
  std::vector<CarEvents> ev(1);
  const int k = step_until(w, ev, 120, [&] { return ev[0].crashed; });
  ASSERT_GE(k, 0) << "no crash";
  EXPECT_EQ(ev[0].crash_with, BodyKind::Wall);
  EXPECT_EQ(ev[0].crash_index, 0) << "the left wall";
  EXPECT_NEAR(ev[0].crash_point.y, 10.0f, 0.3f);
  EXPECT_NEAR(ev[0].crash_point.x, 50.0f, 1.5f);
  EXPECT_TRUE(ev[0].touching);
  EXPECT_FALSE(ev[0].near_miss) << "a crash is not a near-miss";
}

TEST(WorldTest, RightWallCrashesToo) {
  World w = oval_world();
  add_car(w, CarPose{{50.0f, 0.0f}, -1.5707963f, 10.0f});
  std::vector<CarEvents> ev(1);
  ASSERT_GE(step_until(w, ev, 120, [&] { return ev[0].crashed; }), 0);
  EXPECT_EQ(ev[0].crash_index, 1);
  EXPECT_NEAR(ev[0].crash_point.y, -10.0f, 0.3f);
}

TEST(WorldTest, ScrapingAlongAWallIsOneCrash) {
  World w = oval_world();
  // Angled slightly into the left wall: it hits, then slides along it for a second.
  add_car(w, CarPose{{30.0f, 7.0f}, 0.25f, 12.0f});
  std::vector<CarEvents> ev(1);
  int crashes = 0;
  for (int k = 0; k < 60; ++k) {
    w.cars[0].state.controls = controls_from_action(0.3f, 0.5f);
    step_world(w, ev);
    crashes += ev[0].crashed ? 1 : 0;
  }
  EXPECT_EQ(crashes, 1);
}

TEST(WorldTest, PassingAnObstacleAtHalfAMetreIsANearMissNotACrash) {
  // A box 1 m across centred 1.9 m left of the line the car drives: the car's side is at
  // y = 0.9, the box's near side at y = 1.4, so the gap is 0.5 m.
  World w = oval_world(
      "[[obstacles]]\nshape = \"box\"\nposition = [80.0, 1.9]\nlength = 2.0\nwidth = 1.0\n"
      "[episode]\nnear_miss_distance = 1.0\n");
  add_car(w, CarPose{{40.0f, 0.0f}, 0.0f, 10.0f});
  std::vector<CarEvents> ev(1);
  int entered = 0, crashed = 0;
  float min_clearance = 1e9f;
  for (int k = 0; k < 150; ++k) {
    step_world(w, ev);
    entered += ev[0].near_miss_entered ? 1 : 0;
    crashed += ev[0].crashed ? 1 : 0;
    min_clearance = std::min(min_clearance, ev[0].clearance);
  }
  EXPECT_EQ(crashed, 0);
  EXPECT_EQ(entered, 1) << "entering the zone counts once";
  EXPECT_NEAR(min_clearance, 0.5f, 0.05f);
}

TEST(WorldTest, PassingFarFromEverythingIsNoNearMiss) {
  World w = oval_world("[[obstacles]]\nshape = \"circle\"\nposition = [80.0, 6.0]\nradius = 1.0\n");
  add_car(w, CarPose{{40.0f, 0.0f}, 0.0f, 10.0f});
  std::vector<CarEvents> ev(1);
  for (int k = 0; k < 150; ++k) {
    step_world(w, ev);
    EXPECT_FALSE(ev[0].near_miss);
  }
}

TEST(WorldTest, CarsCrashIntoEachOtherAndBothKnow) {
  World w = oval_world();
  add_car(w, CarPose{{40.0f, 0.0f}, 0.0f, 10.0f});
  add_car(w, CarPose{{60.0f, 0.0f}, 0.0f, 0.0f});
  std::vector<CarEvents> ev(2);
  ASSERT_GE(step_until(w, ev, 120, [&] { return ev[0].crashed; }), 0);
  EXPECT_TRUE(ev[1].crashed);
  EXPECT_EQ(ev[0].crash_with, BodyKind::Car);
  EXPECT_EQ(ev[0].crash_index, 1);
  EXPECT_EQ(ev[1].crash_index, 0);
}

TEST(WorldTest, CarsPassingCloseAreANearMiss) {
  World w = oval_world();
  add_car(w, CarPose{{40.0f, 0.0f}, 0.0f, 10.0f});
  add_car(w, CarPose{{70.0f, 2.5f}, 0.0f, 0.0f});  // 2.5 m apart: 0.7 m between hulls
  std::vector<CarEvents> ev(2);
  ASSERT_GE(step_until(w, ev, 120, [&] { return ev[0].near_miss_entered; }), 0);
  EXPECT_FALSE(ev[0].crashed);
  EXPECT_NEAR(ev[0].clearance, 0.7f, 0.2f);
}

TEST(WorldTest, ProgressFollowsTheCentrelineAndGoesNegativeBackwards) {
  World w = oval_world();
  add_car(w, CarPose{{40.0f, 0.0f}, 0.0f, 10.0f});
  std::vector<CarEvents> ev(1);
  for (int k = 0; k < 30; ++k) step_world(w, ev);
  EXPECT_NEAR(w.cars[0].progress, w.cars[0].state.body->GetPosition().x - 40.0f, 0.2f);

  World back = oval_world();
  add_car(back, CarPose{{40.0f, 0.0f}, 3.14159265f, 10.0f});
  for (int k = 0; k < 30; ++k) step_world(back, ev);
  EXPECT_LT(back.cars[0].progress, -5.0f);
}

TEST(WorldTest, HashIsEqualForEqualHistoriesAndDiffersOtherwise) {
  auto run = [](float steer) {
    World w = oval_world();
    add_car(w, CarPose{{40.0f, 0.0f}, 0.0f, 10.0f});
    std::vector<CarEvents> ev(1);
    w.cars[0].state.controls = controls_from_action(steer, 0.5f);
    for (int k = 0; k < 50; ++k) step_world(w, ev);
    return hash_world(w);
  };
  EXPECT_EQ(run(0.1f), run(0.1f));
  EXPECT_NE(run(0.1f), run(0.11f));
}

/// Moves the (stationary) car to x on the bottom straight, steps once, returns the events. Hops of
/// more than ~15 m would leave the window the projection searches near its last segment.
CarEvents teleport_and_step(World& w, float x) {
  w.cars[0].state.body->SetTransform(b2Vec2(x, 0.0f), 0.0f);
  std::vector<CarEvents> ev(1);
  step_world(w, ev);
  return ev[0];
}

TEST(WorldTest, CheckpointsArePassedInOrderAndTakenBackBackwards) {
  World w = oval_world("[[checkpoints]]\ns = 50\nreward = 3\n[[checkpoints]]\ns = 56\nreward = 4\n");
  add_car(w, pose_on_track(*w.track, 40.0f, 0.0f, 0.0f, 0.0f));
  EXPECT_EQ(w.cars[0].next_checkpoint, 0);
  CarEvents ev = teleport_and_step(w, 52.0f);
  EXPECT_EQ(ev.checkpoints_passed, 1);
  EXPECT_FLOAT_EQ(ev.checkpoint_reward, 3.0f);
  ev = teleport_and_step(w, 48.0f);  // back over it: taken back
  EXPECT_EQ(ev.checkpoints_passed, -1);
  EXPECT_FLOAT_EQ(ev.checkpoint_reward, -3.0f);
  ev = teleport_and_step(w, 49.0f);
  EXPECT_EQ(ev.checkpoints_passed, 0);
  ev = teleport_and_step(w, 58.0f);  // both in one step
  EXPECT_EQ(ev.checkpoints_passed, 2);
  EXPECT_FLOAT_EQ(ev.checkpoint_reward, 7.0f);
  EXPECT_EQ(w.cars[0].checkpoints_passed, 2);
  EXPECT_EQ(w.cars[0].next_checkpoint, 0);  // round the loop to the first again
}

TEST(WorldTest, TheFirstCheckpointToPassIsTheFirstAheadOfTheStart) {
  World w = oval_world("[[checkpoints]]\ns = 50\n[[checkpoints]]\ns = 80\n");
  add_car(w, pose_on_track(*w.track, 60.0f, 0.0f, 0.0f, 0.0f));
  EXPECT_EQ(w.cars[0].next_checkpoint, 1);
  EXPECT_EQ(teleport_and_step(w, 70.0f).checkpoints_passed, 0);
  EXPECT_EQ(teleport_and_step(w, 81.0f).checkpoints_passed, 1);
}

TEST(WorldTest, TheTargetIsReachedOnlyAfterEveryCheckpoint) {
  const std::string reach = "[episode]\ngoal = \"reach\"\ntarget = [60, 1]\ntarget_radius = 3\n";
  World w = oval_world(std::string("[[checkpoints]]\ns = 70\n") + reach);
  add_car(w, pose_on_track(*w.track, 40.0f, 0.0f, 0.0f, 0.0f));
  EXPECT_FALSE(teleport_and_step(w, 50.0f).reached_target);
  EXPECT_FALSE(teleport_and_step(w, 56.0f).reached_target);  // 4.1 m away
  EXPECT_FALSE(teleport_and_step(w, 59.0f).reached_target);  // close, but checkpoint 0 not passed
  teleport_and_step(w, 65.0f);
  EXPECT_EQ(teleport_and_step(w, 72.0f).checkpoints_passed, 1);
  EXPECT_EQ(teleport_and_step(w, 65.0f).checkpoints_passed, -1);
  EXPECT_FALSE(teleport_and_step(w, 59.0f).reached_target);  // back past the checkpoint: taken back

  World v = oval_world(std::string("[[checkpoints]]\ns = 50\n") + reach);
  add_car(v, pose_on_track(*v.track, 40.0f, 0.0f, 0.0f, 0.0f));
  EXPECT_FALSE(teleport_and_step(v, 56.0f).reached_target);
  EXPECT_TRUE(teleport_and_step(v, 59.0f).reached_target);
}

}  // namespace
}  // namespace sim
