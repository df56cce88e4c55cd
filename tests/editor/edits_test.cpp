// The editor's edits: each changes what it says, keeps the rest, and refuses what would not load.
#include "editor/edits.h"

#include <gtest/gtest.h>

#include "editor_test_support.h"
#include "sim/scenario_loader.h"

namespace editor {
namespace {

using testing::kWithTraffic;
using testing::read_or_fail;

constexpr const char* kSquare =
    "[track]\nwidth = 10.0\npoints = [[0, 0], [30, 0], [60, 0], [75, 15], [75, 45], [60, 60], [30, 60], [0, 60], "
    "[-15, 45], [-15, 15]]\n"
    "[[obstacles]]\nshape = \"circle\"\ns = 30\noffset = 1.0\nradius = 0.5\n"
    "[[obstacles]]\nshape = \"box\"\nposition = [75, 30]\nlength = 2.0\nwidth = 1.0\n";

sim::LoadedScenario load(const Document& doc) { return sim::load_scenario_text(write_document(doc), "t.toml"); }

// A procedural scenario's track and obstacles are generated each episode: the edits that would
// write [track] points or width, or [[obstacles]] (which its loader refuses), change nothing.
TEST(EditsTest, AProceduralTrackHasNoPointsWidthOrObstaclesToAdd) {
  const std::string text = "[procedural]\npool = 2\nseed = 7\npoints = 10\nradius = 70.0\nwidth = 11.0\n";
  Document doc = read_or_fail(text);
  ASSERT_TRUE(is_procedural(doc));
  EXPECT_FALSE(is_procedural(read_or_fail(kSquare)));
  ASSERT_TRUE(load(doc).ok()) << sim::format_diagnostics(load(doc).diagnostics);
  const std::string before = write_document(doc);
  EXPECT_FALSE(insert_point(doc, 0, {1.0f, 2.0f}));
  EXPECT_FALSE(set_track_width(doc, 14.0f));
  EXPECT_FALSE(add_obstacle(doc, sim::ObstacleShape::Box, {1.0f, 2.0f}, nullptr));
  EXPECT_EQ(write_document(doc), before);
  EXPECT_TRUE(load(doc).ok());
}

TEST(EditsTest, MovesInsertsAndDeletesCentrelinePoints) {
  Document doc = read_or_fail(kSquare);
  EXPECT_TRUE(move_point(doc, 1, {31.234f, -0.04f}));
  EXPECT_EQ(control_point(doc, 1), b2Vec2(31.2f, 0.0f));                   // on the 0.1 m grid
  EXPECT_TRUE(doc.root["track"]["points"][1][1].is_integer());              // whole numbers stay integers
  EXPECT_FALSE(move_point(doc, 1, {31.2f, 0.0f}));                           // no change
  EXPECT_FALSE(move_point(doc, 10, {0.0f, 0.0f}));

  EXPECT_EQ(insertion_index(doc, {45.0f, 61.0f}), 6);  // nearest the span points[5]..points[6]
  EXPECT_TRUE(insert_point(doc, 6, {45.0f, 62.0f}));
  EXPECT_EQ(point_count(doc), 11);
  EXPECT_EQ(control_point(doc, 6), b2Vec2(45.0f, 62.0f));
  EXPECT_EQ(control_point(doc, 7), b2Vec2(30.0f, 60.0f));

  EXPECT_TRUE(delete_point(doc, 6));
  EXPECT_EQ(control_point(doc, 6), b2Vec2(30.0f, 60.0f));
  while (point_count(doc) > 3) EXPECT_TRUE(delete_point(doc, 0));
  EXPECT_FALSE(delete_point(doc, 0));  // a track needs 3 points
  EXPECT_EQ(point_count(doc), 3);
}

TEST(EditsTest, SetsTheTrackWidthAndAPointsOwnWidth) {
  Document doc = read_or_fail(kSquare);
  EXPECT_EQ(track_width(doc), 10.0f);
  EXPECT_TRUE(set_track_width(doc, 14.04f));
  EXPECT_EQ(track_width(doc), 14.0f);
  EXPECT_TRUE(set_track_width(doc, 500.0f));
  EXPECT_EQ(track_width(doc), kMaxWidth);  // the loader's limit

  EXPECT_FALSE(point_width(doc, 2).has_value());
  EXPECT_TRUE(set_point_width(doc, 2, 16.0f));
  EXPECT_EQ(point_width(doc, 2), 16.0f);
  EXPECT_TRUE(move_point(doc, 2, {61.0f, 1.0f}));
  EXPECT_EQ(point_width(doc, 2), 16.0f);  // moving keeps the point's width
  EXPECT_TRUE(set_point_width(doc, 2, std::nullopt));
  EXPECT_FALSE(point_width(doc, 2).has_value());
  EXPECT_FALSE(set_point_width(doc, 2, std::nullopt));

  EXPECT_TRUE(set_track_width(doc, 10.0f));
  EXPECT_TRUE(load(doc).ok()) << sim::format_diagnostics(load(doc).diagnostics);
}

TEST(EditsTest, PlacesMovesRotatesResizesAndDeletesObstacles) {
  Document doc = read_or_fail(kSquare);
  const sim::LoadedScenario before = load(doc);
  ASSERT_TRUE(before.ok()) << sim::format_diagnostics(before.diagnostics);
  const sim::Track& track = *before.track;

  // On the track: placed along it, so it follows the centreline.
  EXPECT_TRUE(add_obstacle(doc, sim::ObstacleShape::Box, {45.0f, 62.0f}, &track));
  ASSERT_EQ(obstacle_count(doc), 3);
  const sim::ObstacleSpec added = obstacle_spec(doc, 2);
  EXPECT_TRUE(added.track_relative);
  EXPECT_EQ(added.shape, sim::ObstacleShape::Box);
  const sim::LoadedScenario with = load(doc);
  ASSERT_TRUE(with.ok()) << sim::format_diagnostics(with.diagnostics);
  EXPECT_LT(b2Distance(with.track->obstacles[2].position, {45.0f, 62.0f}), 0.3f);
  // Without a track: placed in the world.
  EXPECT_TRUE(add_obstacle(doc, sim::ObstacleShape::Circle, {5.0f, 1.0f}, nullptr));
  EXPECT_FALSE(obstacle_spec(doc, 3).track_relative);
  EXPECT_EQ(obstacle_spec(doc, 3).position, b2Vec2(5.0f, 1.0f));

  // Moving keeps the kind of placement.
  EXPECT_TRUE(move_obstacle(doc, 0, {2.0f, 58.0f}, &track));
  EXPECT_TRUE(obstacle_spec(doc, 0).track_relative);
  EXPECT_TRUE(move_obstacle(doc, 1, {74.0f, 20.0f}, &track));
  EXPECT_EQ(obstacle_spec(doc, 1).position, b2Vec2(74.0f, 20.0f));
  EXPECT_TRUE(move_obstacle(doc, 0, {3.0f, 58.0f}, nullptr));  // no track: becomes world-placed
  EXPECT_FALSE(obstacle_spec(doc, 0).track_relative);
  EXPECT_FALSE(doc.root["obstacles"][0].as_table()->contains("offset"));

  EXPECT_TRUE(rotate_obstacle(doc, 1, 15.0f));
  EXPECT_TRUE(rotate_obstacle(doc, 1, 170.0f));
  EXPECT_EQ(doc.root["obstacles"][1]["angle_deg"].value<double>(), -175.0);  // kept in (-180, 180]

  EXPECT_TRUE(resize_obstacle(doc, 1, 1.5f));
  EXPECT_EQ(obstacle_spec(doc, 1).length, 3.0f);
  EXPECT_EQ(obstacle_spec(doc, 1).width, 1.5f);
  EXPECT_TRUE(resize_obstacle(doc, 3, 2.0f));
  EXPECT_EQ(obstacle_spec(doc, 3).radius, 1.0f);
  EXPECT_FALSE(doc.root["obstacles"][3].as_table()->contains("length"));  // a circle has no length

  EXPECT_TRUE(delete_obstacle(doc, 0));
  EXPECT_EQ(obstacle_count(doc), 3);
  EXPECT_EQ(obstacle_spec(doc, 0).position, b2Vec2(74.0f, 20.0f));  // the others move up
  EXPECT_FALSE(delete_obstacle(doc, 7));
}

TEST(EditsTest, DeletingObstaclesKeepsEachOnesComment) {
  Document doc = read_or_fail(
      "[track]\npoints = [[0, 0], [60, 0], [60, 60], [0, 60]]\n# first\n[[obstacles]]\nshape = \"box\"\ns = 5\n"
      "# second\n[[obstacles]]\nshape = \"box\"\ns = 50\n");
  EXPECT_TRUE(delete_obstacle(doc, 0));
  const std::string text = write_document(doc);
  EXPECT_EQ(text.find("# first"), std::string::npos) << text;
  EXPECT_NE(text.find("# second\n[[obstacles]]\nshape = \"box\"\ns = 50\n"), std::string::npos) << text;
  EXPECT_TRUE(delete_obstacle(doc, 0));
  EXPECT_FALSE(doc.root.contains("obstacles"));  // no empty array left behind
}

TEST(EditsTest, SetsTheSpawn) {
  Document doc = read_or_fail(kSquare);
  EXPECT_EQ(spawn_s(doc), 0.0f);
  EXPECT_TRUE(set_spawn(doc, 42.26f));
  EXPECT_FLOAT_EQ(spawn_s(doc), 42.3f);
  EXPECT_FALSE(set_spawn(doc, 42.3f));
  EXPECT_TRUE(set_spawn(doc, -5.0f));
  EXPECT_EQ(spawn_s(doc), 0.0f);
}

TEST(EditsTest, AddsEditsAndDeletesTrafficPathsKeepingTheirOtherKeys) {
  Document doc = read_or_fail(kWithTraffic);
  ASSERT_EQ(traffic_count(doc), 2);
  EXPECT_EQ(traffic_speed(doc, 0), 12.0f);
  EXPECT_FALSE(traffic_speed(doc, 1).has_value());
  EXPECT_TRUE(waypoints(doc, 1).empty());  // follows the centreline
  EXPECT_TRUE(move_waypoint(doc, 0, 1, {82.0f, 3.0f}));
  EXPECT_EQ(waypoints(doc, 0)[1], b2Vec2(82.0f, 3.0f));
  EXPECT_TRUE(insert_waypoint(doc, 0, 2, {90.0f, 25.0f}));
  EXPECT_EQ(waypoints(doc, 0).size(), 5u);
  EXPECT_TRUE(delete_waypoint(doc, 0, 0));
  EXPECT_EQ(waypoints(doc, 0).front(), b2Vec2(82.0f, 3.0f));
  EXPECT_TRUE(set_traffic_speed(doc, 0, 15.5f));
  EXPECT_EQ(traffic_speed(doc, 0), 15.5f);
  EXPECT_EQ(doc.root["traffic"][0]["start"].value<double>(), 20.0);            // untouched keys stay
  EXPECT_EQ(doc.root["traffic"][1]["speed_profile"].as_array()->size(), 2u);
  EXPECT_FALSE(set_traffic_speed(doc, 1, 9.0f));  // it has a speed profile: one or the other
  EXPECT_FALSE(doc.root["traffic"][1].as_table()->contains("speed"));

  EXPECT_TRUE(add_traffic(doc, {{0.0f, -2.0f}, {50.0f, -2.0f}, {50.0f, 52.0f}, {0.0f, 52.0f}}, 8.0f, 33.3f));
  ASSERT_EQ(traffic_count(doc), 3);
  EXPECT_EQ(waypoints(doc, 2).size(), 4u);
  EXPECT_EQ(traffic_speed(doc, 2), 8.0f);
  EXPECT_EQ(doc.root["traffic"][2]["start"].value<double>(), 33.3);
  EXPECT_FALSE(add_traffic(doc, {{0.0f, 0.0f}, {1.0f, 0.0f}}, 8.0f, 0.0f));  // two points are no loop
  EXPECT_TRUE(delete_waypoint(doc, 2, 0));
  EXPECT_FALSE(delete_waypoint(doc, 2, 0));  // a loop keeps 3 waypoints

  EXPECT_TRUE(delete_traffic(doc, 0));
  ASSERT_EQ(traffic_count(doc), 2);
  EXPECT_EQ(traffic_speed(doc, 1), 8.0f);
  EXPECT_TRUE(doc.root.contains("future"));  // the unknown section is still there
}

}  // namespace
}  // namespace editor
