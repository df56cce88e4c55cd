// check_track: each geometric problem of a scenario is reported at its key path, and good
// tracks pass.
#include "sim/track.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sim/geometry.h"
#include "sim/rng.h"
#include "support/track_scenarios.h"

namespace sim {
namespace {

using namespace sim::testing;

/// A track-relative circular obstacle.
ObstacleSpec cone_at(float s, float offset, float radius) {
  ObstacleSpec cone;
  cone.shape = ObstacleShape::Circle;
  cone.track_relative = true;
  cone.s = s;
  cone.offset = offset;
  cone.radius = radius;
  return cone;
}

TEST(TrackCheckTest, GoodTracksHaveNoDiagnostics) {
  EXPECT_TRUE(check(make_scenario(circle_points(50.0f, 12), 10.0f)).empty());
  Scenario sc = make_scenario(kidney_points(), 10.0f);
  sc.obstacles.push_back(cone_at(60.0f, 3.0f, 0.5f));
  sc.spawn.s = 5.0f;
  sc.spawn.lateral_jitter = 1.5f;
  sc.spawn.heading_jitter = 0.2f;
  sc.spawn.s_jitter = 20.0f;
  const std::vector<Diagnostic> ds = check(sc);
  EXPECT_TRUE(ds.empty()) << format_diagnostics(ds);
}

TEST(TrackCheckTest, FigureEightCrossingIsReportedAtAControlPoint) {
  // Lemniscate of Bernoulli, sampled off its crossing point.
  std::vector<b2Vec2> p;
  for (int k = 0; k < 16; ++k) {
    const float t = 2.0f * kPi * (static_cast<float>(k) + 0.5f) / 16.0f;
    const float d = 1.0f + std::sin(t) * std::sin(t);
    p.push_back({60.0f * std::cos(t) / d, 60.0f * std::sin(t) * std::cos(t) / d});
  }
  Scenario sc = make_scenario(p, 6.0f);
  sc.source.add("track.points[3]", {7, 5});
  const std::vector<Diagnostic> ds = check(sc);
  ASSERT_TRUE(has_key_prefix(ds, "track.points[", "does not cross itself")) << format_diagnostics(ds);
  // Spans around the crossing are named: the crossing lies between points 3..4 and 11..12.
  EXPECT_TRUE(has_key(ds, "track.points[3]", "points[11]..points[12]")) << format_diagnostics(ds);
  EXPECT_EQ(ds.front().where.line, 7);
}

TEST(TrackCheckTest, HairpinTighterThanTheHalfWidthFolds) {
  // A paper clip: straights 6 m apart joined by 3 m-radius ends, on a 10 m-wide track.
  const Scenario sc =
      make_scenario({{0, 3}, {40, 3}, {43, 0}, {40, -3}, {0, -3}, {-3, 0}}, 10.0f);
  const std::vector<Diagnostic> ds = check(sc);
  EXPECT_TRUE(has_key(ds, "track.points[2]", "folds over itself")) << format_diagnostics(ds);
  EXPECT_TRUE(has_key(ds, "track.points[5]", "folds over itself")) << format_diagnostics(ds);
  EXPECT_TRUE(std::all_of(ds.begin(), ds.end(), [](const Diagnostic& d) {
    return d.hint.find("widen the corner") != std::string::npos;
  })) << format_diagnostics(ds);
}

TEST(TrackCheckTest, PartsOfTheTrackPassingTooCloseCrossWalls) {
  // A peanut: the waist brings the two long sides within 7 m of each other, gently curved, on a
  // 10 m-wide track.
  const Scenario sc = make_scenario({{-60, -30}, {-30, -32}, {0, -3.5f}, {30, -32}, {60, -30},
                                     {80, 0}, {60, 30}, {30, 32}, {0, 3.5f}, {-30, 32},
                                     {-60, 30}, {-80, 0}},
                                    10.0f);
  const std::vector<Diagnostic> ds = check(sc);
  EXPECT_TRUE(has_key_prefix(ds, "track.points[", "walls to stay apart")) << format_diagnostics(ds);
  EXPECT_FALSE(has_key_prefix(ds, "track.points[", "cross itself")) << format_diagnostics(ds);
}

TEST(TrackCheckTest, TrackTooNarrowForTheCar) {
  const std::vector<Diagnostic> ds = check(make_scenario(circle_points(50.0f, 12), 2.5f));
  EXPECT_TRUE(has_key(ds, "track.width", "at least 2.8 m")) << format_diagnostics(ds);
  EXPECT_EQ(ds.size(), 1u) << format_diagnostics(ds);
}

TEST(TrackCheckTest, OnePointTooNarrowIsReportedAtThatPoint) {
  Scenario sc = make_scenario(circle_points(50.0f, 12), 10.0f);
  sc.track.widths[4] = 2.0f;
  const std::vector<Diagnostic> ds = check(sc);
  EXPECT_TRUE(has_key(ds, "track.points[4]", "at least 2.8 m at this point")) << format_diagnostics(ds);
  EXPECT_EQ(ds.size(), 1u) << format_diagnostics(ds);
}

TEST(TrackCheckTest, ObstacleOutsideTheWalls) {
  Scenario sc = make_scenario(circle_points(50.0f, 12), 10.0f);
  ObstacleSpec box;
  box.position = {0.0f, 0.0f};  // the middle of the circle: 50 m left of the centreline
  sc.obstacles.push_back(box);
  const std::vector<Diagnostic> ds = check(sc);
  EXPECT_TRUE(has_key(ds, "obstacles[0]", "between the walls")) << format_diagnostics(ds);
}

TEST(TrackCheckTest, ObstacleThatLeavesNoGapBlocksTheTrack) {
  Scenario sc = make_scenario(circle_points(50.0f, 12), 10.0f);
  ObstacleSpec box;
  box.track_relative = true;
  box.s = 100.0f;
  box.length = 1.0f;
  box.width = 7.0f;  // 1.5 m either side, the car needs 2.0 m
  sc.obstacles.push_back(box);
  const std::vector<Diagnostic> ds = check(sc);
  EXPECT_TRUE(has_key(ds, "obstacles[0]", "blocks the track")) << format_diagnostics(ds);
  // Pushed to one side it leaves 3 m: fine.
  sc.obstacles[0].offset = 1.5f;
  EXPECT_TRUE(check(sc).empty());
}

TEST(TrackCheckTest, SpawnInsideAnObstacle) {
  Scenario sc = make_scenario(circle_points(50.0f, 12), 10.0f);
  sc.obstacles.push_back(cone_at(12.0f, 1.0f, 0.4f));
  sc.spawn.s = 10.5f;
  const std::vector<Diagnostic> ds = check(sc);
  EXPECT_TRUE(has_key(ds, "spawn.s", "obstacles[0]")) << format_diagnostics(ds);
}

TEST(TrackCheckTest, SpawnJitterIntoAWall) {
  Scenario sc = make_scenario(circle_points(50.0f, 12), 10.0f);
  sc.spawn.lateral_jitter = 4.5f;  // the car's side reaches 4.5 + 0.9 > 5 m
  EXPECT_TRUE(has_key(check(sc), "spawn.lateral_jitter", "wall"));
  sc.spawn.lateral_jitter = 6.0f;
  EXPECT_TRUE(has_key(check(sc), "spawn.lateral_jitter", "half width"));
}

TEST(TrackCheckTest, SpawnJitterLongerThanHalfTheLoop) {
  Scenario sc = make_scenario(circle_points(50.0f, 12), 10.0f);
  sc.spawn.s_jitter = 200.0f;
  EXPECT_TRUE(has_key(check(sc), "spawn.s_jitter", "half the track length"));
}

TEST(TrackCheckTest, SeveralAgentsWithStartsClearOfEachOtherPass) {
  Scenario sc = make_scenario(circle_points(50.0f, 12), 10.0f);
  sc.spawn.s = 40.0f;
  sc.spawn.agents = 4;
  sc.spawn.agent_spacing = 8.0f;
  sc.spawn.grid_offset = 2.0f;
  sc.spawn.lateral_jitter = 1.0f;
  EXPECT_TRUE(check(sc).empty()) << format_diagnostics(check(sc));
}

TEST(TrackCheckTest, AgentsWhoseStartsOverlapAreReportedAtTheSpacing) {
  Scenario sc = make_scenario(circle_points(50.0f, 12), 10.0f);
  sc.spawn.s = 40.0f;
  sc.spawn.agents = 3;
  sc.spawn.agent_spacing = 3.0f;  // shorter than the 4.4 m car
  const std::vector<Diagnostic> ds = check(sc);
  EXPECT_TRUE(has_key(ds, "spawn.agent_spacing", "agent 1's start clear of agent 0's")) << format_diagnostics(ds);
  sc.spawn.grid_offset = 2.0f;    // side by side instead: clear
  EXPECT_TRUE(check(sc).empty()) << format_diagnostics(check(sc));
  sc.spawn.grid_offset = 0.0f;
  sc.spawn.agent_spacing = 157.0f;  // three agents round a 314 m loop: agent 2 lands on agent 0
  EXPECT_TRUE(has_key(check(sc), "spawn.agent_spacing", "agent 2's start clear of agent 0's"));
}

TEST(TrackCheckTest, AGridIntoTheWallIsReportedAtTheGridOffset) {
  Scenario sc = make_scenario(circle_points(50.0f, 12), 10.0f);
  sc.spawn.agents = 2;
  sc.spawn.grid_offset = 4.5f;  // the car's side reaches 4.5 + 0.9 > 5 m
  EXPECT_TRUE(has_key(check(sc), "spawn.grid_offset", "wall"));
  sc.spawn.grid_offset = 4.0f;
  sc.spawn.lateral_jitter = 1.5f;  // the grid and the jitter together leave the road
  EXPECT_TRUE(has_key(check(sc), "spawn.grid_offset", "grid_offset + lateral_jitter less than the half width"));
}

TEST(TrackCheckTest, AnAgentStartingInsideAnObstacleIsNamed) {
  Scenario sc = make_scenario(circle_points(50.0f, 12), 10.0f);
  sc.obstacles.push_back(cone_at(30.0f, 0.0f, 0.4f));
  sc.spawn.s = 40.0f;
  sc.spawn.agents = 2;
  sc.spawn.agent_spacing = 10.0f;  // agent 1 starts at s = 30, on the cone
  const std::vector<Diagnostic> ds = check(sc);
  EXPECT_TRUE(has_key(ds, "spawn.agent_spacing", "agent 1's car")) << format_diagnostics(ds);
}

}  // namespace
}  // namespace sim
