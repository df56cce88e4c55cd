// The editor's frame: handles, the selection, traffic paths, problems marked and listed.
#include "view/editor_scene.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "editor/edits.h"
#include "sim/track.h"
#include "view/theme.h"

namespace view {
namespace {

constexpr const char* kLoop =
    "[track]\nwidth = 10.0\npoints = [[0, 0], [30, 0], [60, 0], [75, 15], [75, 45], [60, 60], [30, 60], [0, 60], "
    "[-15, 45], [-15, 15, 12]]\n"
    "[[traffic]]\nwaypoints = [[30, 2], [60, 2], [60, 58]]\nspeed = 9\n";

editor::EditorModel open_text(const std::string& text) {
  std::vector<sim::Diagnostic> errors;
  std::optional<editor::Document> doc = editor::read_document(text, "loop.toml", errors);
  EXPECT_TRUE(doc.has_value());
  return editor::EditorModel("loop.toml", std::move(*doc), false);
}

int count_marks(const Scene& scene, Mark::Shape shape, sf::Color color) {
  return static_cast<int>(std::count_if(scene.marks.begin(), scene.marks.end(),
                                        [&](const Mark& m) { return m.shape == shape && m.color == color; }));
}

TEST(EditorSceneTest, DrawsEveryPointTheTrafficPathAndTheSpawnCar) {
  const editor::EditorModel model = open_text(kLoop);
  Scene scene;
  scene.scenario = model.validation().scenario.get();
  fill_editor_scene(model, {}, scene);
  EXPECT_EQ(count_marks(scene, Mark::Shape::Dot, theme::kHandle), 9);
  EXPECT_EQ(count_marks(scene, Mark::Shape::Dot, theme::kHandleOwnWidth), 1);  // [-15, 15, 12]
  EXPECT_EQ(count_marks(scene, Mark::Shape::Line, theme::kControlLine), 10);   // the closed polygon
  EXPECT_EQ(count_marks(scene, Mark::Shape::Line, theme::kTrafficPath), 3);
  EXPECT_EQ(count_marks(scene, Mark::Shape::Dot, theme::kTrafficPath), 3);
  ASSERT_EQ(scene.cars.size(), 1u);
  EXPECT_LT(b2Distance(scene.cars[0].position, {0.0f, 0.0f}), 0.01f);
  ASSERT_EQ(scene.panels.size(), 2u);
  EXPECT_EQ(scene.panels[1].title, "No problems: it loads");
  EXPECT_FALSE(scene.keys.empty());
}

TEST(EditorSceneTest, AMultiAgentScenarioShowsEveryAgentsStart) {
  const editor::EditorModel model =
      open_text(std::string(kLoop) + "[spawn]\ns = 40\nagents = 3\nagent_spacing = 12\ngrid_offset = 2\n");
  Scene scene;
  scene.scenario = model.validation().scenario.get();
  ASSERT_NE(scene.scenario, nullptr);
  fill_editor_scene(model, {}, scene);
  ASSERT_EQ(scene.cars.size(), 3u);
  const sim::Track& track = *model.validation().track;
  for (int k = 0; k < 3; ++k) {
    SCOPED_TRACE("agent " + std::to_string(k));
    const b2Vec2 expected = sim::point_at(track, 40.0f - 12.0f * static_cast<float>(k), k % 2 == 0 ? 2.0f : -2.0f);
    EXPECT_LT(b2Distance(scene.cars[static_cast<std::size_t>(k)].position, expected), 0.01f);
  }
  EXPECT_EQ(scene.cars[0].style, CarStyle::Player) << "the spawn handle's car";
  EXPECT_EQ(scene.cars[1].style, CarStyle::Training);
}

// A procedural scenario's file panel says the track is generated and which circuit is shown;
// the status line says why the track tool does nothing.
TEST(EditorSceneTest, AProceduralScenarioSaysItsTrackIsGenerated) {
  const editor::EditorModel model =
      open_text("[procedural]\npool = 2\nseed = 7\npoints = 10\nradius = 70.0\nwidth = 11.0\n");
  ASSERT_TRUE(model.validation().ok());
  Scene scene;
  scene.scenario = model.validation().scenario.get();
  fill_editor_scene(model, {}, scene);
  const std::vector<HudRow>& rows = scene.panels[0].rows;
  const auto value = [&](const std::string& label) {
    const auto it = std::find_if(rows.begin(), rows.end(), [&](const HudRow& r) { return r.label == label; });
    return it == rows.end() ? std::string("(none)") : it->value;
  };
  EXPECT_EQ(value("track"), "generated, seed 7");
  EXPECT_EQ(value("shown"), "circuit 1 of 2");
  EXPECT_EQ(value("track width"), "(none)") << "the file has none";
  EXPECT_NE(scene.status.find(kProceduralTrack), std::string::npos) << scene.status;
}

TEST(EditorSceneTest, TheSelectionIsRingedAndItsTrafficPathHighlighted) {
  const editor::EditorModel model = open_text(kLoop);
  Scene scene;
  scene.scenario = model.validation().scenario.get();
  EditorView ui;
  ui.selected = {editor::Handle::Kind::Waypoint, 0, 1};
  fill_editor_scene(model, ui, scene);
  EXPECT_EQ(count_marks(scene, Mark::Shape::Ring, theme::kSelection), 1);
  EXPECT_EQ(count_marks(scene, Mark::Shape::Line, theme::kTrafficPathSelected), 3);
  EXPECT_EQ(scene.panels[0].rows[1].value, "traffic[0], 9.0 m/s");
}

TEST(EditorSceneTest, ProblemsAreMarkedWhereTheyAreListedAndTheFirstSpelledOut) {
  editor::EditorModel model = open_text(kLoop);
  ASSERT_TRUE(model.apply([](editor::Document& d) {
    return editor::add_obstacle(d, sim::ObstacleShape::Circle, {30.0f, 30.0f}, nullptr);
  }));
  Scene scene;
  scene.scenario = model.validation().scenario.get();
  fill_editor_scene(model, {}, scene);
  ASSERT_EQ(count_marks(scene, Mark::Shape::Cross, theme::kProblem), 1);
  const auto cross = std::find_if(scene.marks.begin(), scene.marks.end(),
                                  [](const Mark& m) { return m.shape == Mark::Shape::Cross; });
  EXPECT_EQ(cross->a, b2Vec2(30.0f, 30.0f));
  EXPECT_EQ(scene.panels[1].title, "Problems: 1");
  EXPECT_EQ(scene.panels[1].rows[0].label, "obstacles[0]");
  EXPECT_EQ(scene.panels[1].rows[0].value, "off the track");
  EXPECT_TRUE(scene.panels[1].rows[0].highlight);
  EXPECT_TRUE(scene.status.starts_with("obstacles[0]: expected the obstacle's centre between the walls")) << scene.status;
  EXPECT_EQ(scene.panels[0].rows.back().value, "unsaved changes");
}

TEST(EditorSceneTest, ShortReasonsNameTheKindOfProblem) {
  EXPECT_EQ(short_reason({"f", {}, "track.points[2]", "expected a centreline that does not cross itself, but ...", ""}),
            "crosses itself");
  EXPECT_EQ(short_reason({"f", {}, "car.mas", "unknown key", "did you mean 'mass'?"}), "unknown key");
  EXPECT_EQ(short_reason({"f", {}, "car.mass", "expected a number > 0, got -3", ""}), "expected a number > 0...");
}

}  // namespace
}  // namespace view
