// Picking: the handle under the cursor, and where handles are.
#include "editor/picking.h"

#include <gtest/gtest.h>

#include "editor/edits.h"
#include "sim/track.h"
#include "editor_test_support.h"

namespace editor {
namespace {

using testing::read_or_fail;

constexpr const char* kLoop =
    "[track]\nwidth = 10.0\npoints = [[0, 0], [30, 0], [60, 0], [75, 15], [75, 45], [60, 60], [30, 60], [0, 60], "
    "[-15, 45], [-15, 15]]\n"
    "[[obstacles]]\nshape = \"box\"\ns = 45\noffset = 2\nlength = 4\nwidth = 2\n"
    "[spawn]\ns = 10\n"
    "[[traffic]]\nwaypoints = [[0, 2], [60, 2], [60, 58], [0, 58]]\nspeed = 10\n";

TEST(PickingTest, FindsPointsObstaclesSpawnAndWaypoints) {
  const Document doc = read_or_fail(kLoop);
  const Validation v = validate(doc, "loop.toml");
  ASSERT_NE(v.track, nullptr);

  // The box (4 m x 2 m, along the track) and the spawn as the built track places them.
  const b2Vec2 box = sim::point_at(*v.track, 45.0f, 2.0f);
  const b2Vec2 spawn = sim::point_at(*v.track, 10.0f, 0.0f);
  EXPECT_EQ(pick(doc, v, {30.5f, 0.4f}, 1.0f), (Handle{Handle::Kind::Point, 1, -1}));
  EXPECT_EQ(pick(doc, v, box + b2Vec2(0.0f, 1.4f), 1.0f), (Handle{Handle::Kind::Obstacle, 0, -1}));  // on the box
  EXPECT_FALSE(pick(doc, v, box + b2Vec2(0.0f, 2.2f), 1.0f));
  EXPECT_EQ(pick(doc, v, spawn + b2Vec2(0.2f, -0.3f), 1.0f), (Handle{Handle::Kind::Spawn, -1, -1}));
  EXPECT_EQ(pick(doc, v, {60.0f, 57.5f}, 1.0f), (Handle{Handle::Kind::Waypoint, 0, 2}));
  EXPECT_FALSE(pick(doc, v, {30.0f, 30.0f}, 1.0f));  // the infield: nothing

  // A point wins over a waypoint at the same place, unless that traffic path is being edited.
  EXPECT_EQ(pick(doc, v, {60.0f, 1.0f}, 1.5f), (Handle{Handle::Kind::Point, 2, -1}));
  EXPECT_EQ(pick(doc, v, {60.0f, 1.0f}, 1.5f, 0), (Handle{Handle::Kind::Waypoint, 0, 1}));
}

TEST(PickingTest, HandlePositionsAreWhereTheTrackPutsThem) {
  const Document doc = read_or_fail(kLoop);
  const Validation v = validate(doc, "loop.toml");
  ASSERT_NE(v.track, nullptr);
  EXPECT_EQ(handle_position(doc, v, {Handle::Kind::Point, 3, -1}), b2Vec2(75.0f, 15.0f));
  const std::optional<b2Vec2> obstacle = handle_position(doc, v, {Handle::Kind::Obstacle, 0, -1});
  ASSERT_TRUE(obstacle.has_value());
  EXPECT_LT(b2Distance(*obstacle, sim::point_at(*v.track, 45.0f, 2.0f)), 0.01f);  // s = 45, 2 m left
  const std::optional<b2Vec2> spawn = handle_position(doc, v, {Handle::Kind::Spawn, -1, -1});
  ASSERT_TRUE(spawn.has_value());
  EXPECT_LT(b2Distance(*spawn, sim::point_at(*v.track, 10.0f, 0.0f)), 0.01f);
  EXPECT_LT(b2Distance(*spawn, {10.0f, 0.0f}), 1.5f);
  EXPECT_FALSE(handle_position(doc, v, {Handle::Kind::Waypoint, 0, 9}).has_value());
}

}  // namespace
}  // namespace editor
