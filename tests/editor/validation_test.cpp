// Live validation: the loader's verdict on the document, with the problems placed in the world.
#include "editor/validation.h"

#include <gtest/gtest.h>

#include "editor/edits.h"
#include "editor/editor_model.h"
#include "sim/track.h"
#include "editor_test_support.h"

namespace editor {
namespace {

using testing::kWithTraffic;
using testing::read_or_fail;

constexpr const char* kLoop =
    "[track]\nwidth = 10.0\npoints = [[0, 0], [30, 0], [60, 0], [75, 15], [75, 45], [60, 60], [30, 60], [0, 60], "
    "[-15, 45], [-15, 15]]\n";

const Problem* find_problem(const Validation& v, const std::string& key_prefix) {
  for (const Problem& p : v.problems) {
    if (p.diagnostic.key_path.starts_with(key_prefix)) return &p;
  }
  return nullptr;
}

TEST(ValidationTest, AValidDocumentLoadsAndCanBeDriven) {
  const Validation v = validate(read_or_fail(kLoop), "loop.toml");
  EXPECT_TRUE(v.ok());
  ASSERT_TRUE(v.loaded.ok());
  EXPECT_NE(v.track, nullptr);
  EXPECT_EQ(v.loaded.scenario->name, "loop");
}

TEST(ValidationTest, TheNewScenarioIsValid) {
  const Validation v = validate(read_or_fail(kNewScenario), "new.toml");
  EXPECT_TRUE(v.ok()) << sim::format_diagnostics(v.loaded.diagnostics);
}

TEST(ValidationTest, ASelfIntersectionIsMarkedWhereTheCentrelineCrossesItself) {
  Document doc = read_or_fail(kLoop);
  // Drag the top-left corner down through the bottom straight: the loop now crosses itself.
  ASSERT_TRUE(move_point(doc, 8, {10.0f, -30.0f}));
  const Validation v = validate(doc, "loop.toml");
  EXPECT_FALSE(v.ok());
  ASSERT_NE(v.track, nullptr);  // still drawn
  bool found = false;
  for (const Problem& p : v.problems) {
    if (p.diagnostic.message.find("does not cross itself") == std::string::npos) continue;
    found = true;
    ASSERT_TRUE(p.at.has_value());
    // On the bottom straight (y = 0), between the points either side of the crossing.
    EXPECT_NEAR(p.at->y, 0.0f, 1.5f);
    EXPECT_GT(p.at->x, -15.0f);
    EXPECT_LT(p.at->x, 30.0f);
  }
  EXPECT_TRUE(found) << sim::format_diagnostics(v.loaded.diagnostics);
}

TEST(ValidationTest, AnObstacleOffTheTrackIsMarkedAtTheObstacle) {
  Document doc = read_or_fail(kLoop);
  ASSERT_TRUE(add_obstacle(doc, sim::ObstacleShape::Circle, {30.0f, 30.0f}, nullptr));  // in the infield
  const Validation v = validate(doc, "loop.toml");
  const Problem* p = find_problem(v, "obstacles[0]");
  ASSERT_NE(p, nullptr) << sim::format_diagnostics(v.loaded.diagnostics);
  ASSERT_TRUE(p->at.has_value());
  EXPECT_EQ(*p->at, b2Vec2(30.0f, 30.0f));
}

TEST(ValidationTest, ASpawnInsideAnObstacleIsMarkedAtTheSpawn) {
  Document doc = read_or_fail(std::string(kLoop) + "[[obstacles]]\nshape = \"box\"\ns = 30\nlength = 3\nwidth = 3\n");
  ASSERT_TRUE(set_spawn(doc, 30.0f));
  const Validation v = validate(doc, "loop.toml");
  const Problem* p = find_problem(v, "spawn");
  ASSERT_NE(p, nullptr) << sim::format_diagnostics(v.loaded.diagnostics);
  ASSERT_TRUE(p->at.has_value());
  ASSERT_NE(v.track, nullptr);
  EXPECT_LT(b2Distance(*p->at, sim::point_at(*v.track, 30.0f, 0.0f)), 0.01f);
}

TEST(ValidationTest, ATrackTooNarrowForTheCarIsListedWithoutAPlace) {
  Document doc = read_or_fail(kLoop);
  ASSERT_TRUE(set_track_width(doc, 2.0f));
  const Validation v = validate(doc, "loop.toml");
  const Problem* p = find_problem(v, "track.width");
  ASSERT_NE(p, nullptr) << sim::format_diagnostics(v.loaded.diagnostics);
  EXPECT_NE(p->diagnostic.message.find("expected a track width of at least 2.8 m"), std::string::npos);
  EXPECT_FALSE(p->at.has_value());
}

/// Whether this build's loader reads [[traffic]] (the traffic simulation is being added alongside).
bool loader_reads_traffic() {
  const sim::LoadedScenario s = sim::load_scenario_text(std::string(kLoop) + "[[traffic]]\nspeed = 5\n", "t.toml");
  for (const sim::Diagnostic& d : s.diagnostics) {
    if (d.key_path == "traffic" && d.message == "unknown table") return false;
  }
  return true;
}

TEST(ValidationTest, TrafficIsCheckedByALoaderThatReadsItAndSetAsideByOneThatDoesNot) {
  const Validation v = validate(read_or_fail(kWithTraffic), "traffic.toml");
  for (const Problem& p : v.problems) EXPECT_FALSE(p.diagnostic.key_path.starts_with("traffic")) << p.diagnostic.message;
  // The section no simulator knows is an error either way.
  ASSERT_NE(find_problem(v, "future"), nullptr) << sim::format_diagnostics(v.loaded.diagnostics);
  EXPECT_EQ(v.problems.size(), 1u) << sim::format_diagnostics(v.loaded.diagnostics);
  EXPECT_EQ(v.traffic_ignored, !loader_reads_traffic());
}

}  // namespace
}  // namespace editor
