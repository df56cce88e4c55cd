// EditorMode without a window: mouse and key events, as the window delivers them, edit the
// scenario, save it, undo, and test-drive it.
#include "view/editor_mode.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "editor/edits.h"
#include "editor/save_file.h"

namespace view {
namespace {

namespace fs = std::filesystem;
using editor::Handle;

constexpr const char* kLoop =
    "name = \"loop\"\n"
    "[track]\nwidth = 10.0\npoints = [[0, 0], [30, 0], [60, 0], [75, 15], [75, 45], [60, 60], [30, 60], [0, 60], "
    "[-15, 45], [-15, 15]]\n"
    "[[obstacles]]\nshape = \"box\"\ns = 45\noffset = 2\nlength = 2\nwidth = 1\n";

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// A file with kLoop, its model, the mode, and a camera on the whole loop.
struct Editing {
  std::string path;
  editor::EditorModel model;
  EditorMode mode;
  Camera camera{{30.0f, 30.0f}, 8.0f, 1280.0f, 720.0f};

  static std::string make_file(const std::string& name) {
    const fs::path dir = fs::path(::testing::TempDir()) / ("crashcourse_editor_mode_" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string path = (dir / "loop.toml").string();
    std::ofstream(path) << kLoop;
    return path;
  }
  static editor::EditorModel open(const std::string& path) {
    std::vector<sim::Diagnostic> errors;
    std::optional<editor::EditorModel> m = editor::EditorModel::open(path, errors);
    EXPECT_TRUE(m.has_value()) << sim::format_diagnostics(errors);
    return std::move(*m);
  }
  explicit Editing(const std::string& name) : path(make_file(name)), model(open(path)), mode(model, 1) {}

  bool mouse(sf::Event::EventType type, b2Vec2 at, sf::Mouse::Button button = sf::Mouse::Left) {
    const ScreenPoint p = world_to_screen(camera, at);
    sf::Event e;
    e.type = type;
    if (type == sf::Event::MouseMoved) {
      e.mouseMove = {static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y))};
    } else {
      e.mouseButton = {button, static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y))};
    }
    return mode.event(e, camera);
  }
  bool drag(b2Vec2 from, b2Vec2 to) {
    const bool grabbed = mouse(sf::Event::MouseButtonPressed, from);
    mouse(sf::Event::MouseMoved, 0.5f * (from + to));
    mouse(sf::Event::MouseMoved, to);
    mouse(sf::Event::MouseButtonReleased, to);
    return grabbed;
  }
  bool right_click(b2Vec2 at) {
    const bool used = mouse(sf::Event::MouseButtonPressed, at, sf::Mouse::Right);
    mouse(sf::Event::MouseButtonReleased, at, sf::Mouse::Right);
    return used;
  }
  bool key(sf::Keyboard::Key code, bool control = false, bool shift = false) {
    sf::Event e;
    e.type = sf::Event::KeyPressed;
    e.key = {code, false, control, shift, false};
    return mode.event(e, camera);
  }
  const editor::Document& doc() const { return model.document(); }
  /// Where the handle is drawn (obstacles and the spawn lie where the built track puts them).
  b2Vec2 at(Handle h) const { return editor::handle_position(doc(), model.validation(), h).value(); }
};

TEST(EditorModeTest, DraggingAPointMovesItAndCtrlSSavesItWithABackup) {
  Editing ed("drag_save");
  EXPECT_TRUE(ed.drag({30.0f, 0.0f}, {30.0f, -6.0f}));
  EXPECT_EQ(ed.mode.selected(), (Handle{Handle::Kind::Point, 1, -1}));
  EXPECT_EQ(editor::control_point(ed.doc(), 1), b2Vec2(30.0f, -6.0f));
  EXPECT_EQ(ed.model.history().undo_steps(), 1u);  // the whole drag is one step
  EXPECT_TRUE(ed.model.dirty());

  EXPECT_TRUE(ed.key(sf::Keyboard::S, true));
  EXPECT_FALSE(ed.model.dirty());
  EXPECT_NE(read(ed.path).find("[30, -6]"), std::string::npos) << read(ed.path);
  EXPECT_EQ(read(editor::backup_path(ed.path)), kLoop);
  EXPECT_NE(ed.mode.message().find("saved " + ed.path), std::string::npos) << ed.mode.message();

  EXPECT_TRUE(ed.key(sf::Keyboard::Z, true));
  EXPECT_EQ(editor::control_point(ed.doc(), 1), b2Vec2(30.0f, 0.0f));
  EXPECT_TRUE(ed.key(sf::Keyboard::Y, true));
  EXPECT_EQ(editor::control_point(ed.doc(), 1), b2Vec2(30.0f, -6.0f));
  EXPECT_TRUE(ed.key(sf::Keyboard::Z, true));
  EXPECT_TRUE(ed.key(sf::Keyboard::Z, true, true));  // Ctrl+Shift+Z redoes too
  EXPECT_EQ(editor::control_point(ed.doc(), 1), b2Vec2(30.0f, -6.0f));
}

TEST(EditorModeTest, PressingOnEmptySpaceLeavesTheDragToTheViewersPan) {
  Editing ed("pan");
  EXPECT_FALSE(ed.mouse(sf::Event::MouseButtonPressed, {30.0f, 30.0f}));
  EXPECT_FALSE(ed.mouse(sf::Event::MouseMoved, {35.0f, 30.0f}));
  EXPECT_FALSE(ed.mouse(sf::Event::MouseButtonReleased, {35.0f, 30.0f}));
  EXPECT_FALSE(ed.model.dirty());
}

TEST(EditorModeTest, RightClickAddsWithTheToolAndDeletesWhatIsUnderTheCursor) {
  Editing ed("right_click");
  // Track tool (1): a point on the span it is nearest.
  EXPECT_TRUE(ed.right_click({15.0f, 1.0f}));
  EXPECT_EQ(editor::point_count(ed.doc()), 11);
  EXPECT_EQ(editor::control_point(ed.doc(), 1), b2Vec2(15.0f, 1.0f));
  EXPECT_EQ(ed.mode.selected(), (Handle{Handle::Kind::Point, 1, -1}));
  EXPECT_TRUE(ed.right_click({15.0f, 1.0f}));
  EXPECT_EQ(editor::point_count(ed.doc()), 10);
  EXPECT_EQ(editor::control_point(ed.doc(), 1), b2Vec2(30.0f, 0.0f));

  // Circle tool (3): an obstacle along the track, selected.
  EXPECT_TRUE(ed.key(sf::Keyboard::Num3));
  EXPECT_EQ(ed.mode.tool(), EditorTool::Circle);
  EXPECT_TRUE(ed.right_click({20.0f, 60.0f}));
  ASSERT_EQ(editor::obstacle_count(ed.doc()), 2);
  EXPECT_EQ(editor::obstacle_spec(ed.doc(), 1).shape, sim::ObstacleShape::Circle);
  EXPECT_TRUE(editor::obstacle_spec(ed.doc(), 1).track_relative);
  EXPECT_EQ(ed.mode.selected(), (Handle{Handle::Kind::Obstacle, 1, -1}));
  EXPECT_TRUE(ed.right_click({20.0f, 60.0f}));
  EXPECT_EQ(editor::obstacle_count(ed.doc()), 1);

  // Spawn tool (4).
  EXPECT_TRUE(ed.key(sf::Keyboard::Num4));
  EXPECT_TRUE(ed.right_click({75.0f, 30.0f}));
  EXPECT_GT(editor::spawn_s(ed.doc()), 60.0f);
  EXPECT_TRUE(ed.model.validation().ok());
}

// In a procedural scenario tools 1 to 3 and the width keys say why they do nothing; the spawn
// still moves along the circuit shown.
TEST(EditorModeTest, AProceduralScenarioRefusesTrackAndObstacleEditsWithAReason) {
  const fs::path dir = fs::path(::testing::TempDir()) / "crashcourse_editor_mode_procedural";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "generated.toml").string();
  std::ofstream(path) << "name = \"generated\"\n[procedural]\npool = 2\nseed = 7\npoints = 10\nradius = 70.0\n"
                         "width = 11.0\n[spawn]\ns = 10\n";
  editor::EditorModel model = Editing::open(path);
  ASSERT_TRUE(model.validation().ok());
  EditorMode mode(model, 1);
  const sim::Track& track = *model.validation().track;
  Camera camera{sim::point_at(track, 0.0f, 0.0f), 4.0f, 1280.0f, 720.0f};
  const auto right_click = [&](b2Vec2 at) {
    const ScreenPoint p = world_to_screen(camera, at);
    sf::Event e;
    e.type = sf::Event::MouseButtonPressed;
    e.mouseButton = {sf::Mouse::Right, static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y))};
    mode.event(e, camera);
    e.type = sf::Event::MouseButtonReleased;
    mode.event(e, camera);
  };
  const auto key = [&](sf::Keyboard::Key code) {
    sf::Event e;
    e.type = sf::Event::KeyPressed;
    e.key = {code, false, false, false, false};
    mode.event(e, camera);
  };
  const std::string text = model.text();
  const b2Vec2 on_track = sim::point_at(track, 30.0f, 0.0f);
  for (const sf::Keyboard::Key tool : {sf::Keyboard::Num1, sf::Keyboard::Num2, sf::Keyboard::Num3}) {
    key(tool);
    right_click(on_track);
    EXPECT_EQ(model.text(), text) << "tool " << static_cast<int>(tool);
    EXPECT_EQ(mode.message(), kProceduralTrack);
  }
  key(sf::Keyboard::RBracket);  // wider track
  EXPECT_EQ(model.text(), text);
  key(sf::Keyboard::Num4);
  right_click(on_track);
  EXPECT_NE(model.text(), text) << "the spawn moved";
  EXPECT_NEAR(editor::spawn_s(model.document()), 30.0f, 1.0f);
  EXPECT_TRUE(model.validation().ok());
}

TEST(EditorModeTest, KeysRotateResizeWidenAndDeleteTheSelection) {
  Editing ed("keys");
  const b2Vec2 box = ed.at({Handle::Kind::Obstacle, 0, -1});
  ASSERT_TRUE(ed.drag(box, box));  // select the box (a drag to nowhere changes nothing)
  EXPECT_EQ(ed.model.history().undo_steps(), 0u);
  EXPECT_EQ(ed.mode.selected(), (Handle{Handle::Kind::Obstacle, 0, -1}));
  EXPECT_TRUE(ed.key(sf::Keyboard::R));
  EXPECT_TRUE(ed.key(sf::Keyboard::R));
  EXPECT_TRUE(ed.key(sf::Keyboard::R, false, true));
  EXPECT_EQ(ed.doc().root["obstacles"][0]["angle_deg"].value<double>(), 15.0);
  EXPECT_TRUE(ed.key(sf::Keyboard::RBracket));
  EXPECT_FLOAT_EQ(editor::obstacle_spec(ed.doc(), 0).length, 2.2f);
  EXPECT_TRUE(ed.key(sf::Keyboard::Delete));
  EXPECT_EQ(editor::obstacle_count(ed.doc()), 0);

  // Nothing selected: [ and ] change the track's width; with a point selected, its own.
  EXPECT_TRUE(ed.key(sf::Keyboard::RBracket));
  EXPECT_EQ(editor::track_width(ed.doc()), 10.5f);
  ASSERT_TRUE(ed.drag({60.0f, 60.0f}, {60.0f, 60.0f}));
  EXPECT_TRUE(ed.key(sf::Keyboard::LBracket));
  EXPECT_EQ(editor::point_width(ed.doc(), 5), 10.0f);
  EXPECT_TRUE(ed.key(sf::Keyboard::BackSlash));
  EXPECT_FALSE(editor::point_width(ed.doc(), 5).has_value());
}

TEST(EditorModeTest, TrafficPathsAreCreatedExtendedSpedUpAndDeleted) {
  Editing ed("traffic");
  EXPECT_TRUE(ed.key(sf::Keyboard::N));
  ASSERT_EQ(editor::traffic_count(ed.doc()), 1);
  EXPECT_EQ(ed.mode.tool(), EditorTool::Traffic);
  EXPECT_EQ(editor::waypoints(ed.doc(), 0).size(), 10u);  // along the centreline's points
  EXPECT_TRUE(ed.right_click({45.0f, -1.0f}));
  EXPECT_EQ(editor::waypoints(ed.doc(), 0)[2], b2Vec2(45.0f, -1.0f));
  EXPECT_TRUE(ed.drag({45.0f, -1.0f}, {45.0f, 2.0f}));  // the selected path's waypoint, not the track
  EXPECT_EQ(editor::waypoints(ed.doc(), 0)[2], b2Vec2(45.0f, 2.0f));
  EXPECT_FALSE(ed.mouse(sf::Event::MouseButtonPressed, {30.0f, 30.0f}));  // empty: from the waypoint to its path
  ed.mouse(sf::Event::MouseButtonReleased, {30.0f, 30.0f});
  EXPECT_EQ(ed.mode.selected(), (Handle{Handle::Kind::Waypoint, 0, -1}));
  EXPECT_TRUE(ed.key(sf::Keyboard::RBracket));
  EXPECT_EQ(editor::traffic_speed(ed.doc(), 0), 11.0f);
  EXPECT_TRUE(ed.key(sf::Keyboard::Delete, false, true));
  EXPECT_EQ(editor::traffic_count(ed.doc()), 0);
  EXPECT_FALSE(ed.mode.selected());
}

TEST(EditorModeTest, F5TestDrivesAndEscComesBackWithTheEditsKept) {
  Editing ed("drive");
  ASSERT_TRUE(ed.drag({0.0f, 60.0f}, {0.0f, 62.0f}));
  const std::string text = ed.model.text();
  const Camera before = ed.camera;
  EXPECT_TRUE(ed.key(sf::Keyboard::F5));
  ASSERT_TRUE(ed.mode.driving());
  EXPECT_TRUE(ed.key(sf::Keyboard::W));  // the play mode's throttle
  for (int k = 0; k < 30; ++k) ed.mode.update(1.0 / 30.0);
  ed.mode.camera(ed.camera);
  EXPECT_GT(ed.camera.center.x, 0.5f);  // following the car down the first straight
  Scene scene;
  ed.mode.fill(scene);
  ASSERT_EQ(scene.cars.size(), 1u);
  EXPECT_EQ(scene.cars[0].style, CarStyle::Player);
  EXPECT_NE(scene.status.find("back to the editor"), std::string::npos);

  EXPECT_TRUE(ed.key(sf::Keyboard::Escape));
  EXPECT_FALSE(ed.mode.driving());
  EXPECT_EQ(ed.model.text(), text);
  EXPECT_EQ(ed.camera.center, before.center);
  EXPECT_EQ(ed.camera.scale, before.scale);
}

TEST(EditorModeTest, F5RefusesAScenarioThatDoesNotLoad) {
  Editing ed("drive_refused");
  for (int k = 0; k < 20; ++k) ed.key(sf::Keyboard::LBracket);  // 10 m → 1 m: too narrow
  ASSERT_FALSE(ed.model.validation().ok());
  EXPECT_TRUE(ed.key(sf::Keyboard::F5));
  EXPECT_FALSE(ed.mode.driving());
  EXPECT_NE(ed.mode.message().find("fix the"), std::string::npos) << ed.mode.message();
}

TEST(EditorModeTest, EscWithUnsavedChangesWarnsBeforeQuitting) {
  Editing ed("quit");
  EXPECT_FALSE(ed.key(sf::Keyboard::Escape));  // nothing to lose: the viewer quits
  ASSERT_TRUE(ed.key(sf::Keyboard::RBracket));
  EXPECT_TRUE(ed.key(sf::Keyboard::Escape));   // kept: a warning instead
  Scene scene;
  ed.mode.fill(scene);
  EXPECT_NE(scene.banner.find("Unsaved changes"), std::string::npos);
  EXPECT_FALSE(ed.key(sf::Keyboard::Escape));  // the second one quits
}

TEST(EditorModeTest, TheCloseButtonWithUnsavedChangesWarnsToo) {
  Editing ed("close");
  sf::Event close;
  close.type = sf::Event::Closed;
  EXPECT_FALSE(ed.mode.event(close, ed.camera));
  ASSERT_TRUE(ed.key(sf::Keyboard::RBracket));
  EXPECT_TRUE(ed.mode.event(close, ed.camera));
  EXPECT_FALSE(ed.mode.event(close, ed.camera));
}

}  // namespace
}  // namespace view
