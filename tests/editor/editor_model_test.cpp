// EditorModel: opening, undoable edits and gestures, dirty state, saving.
#include "editor/editor_model.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "editor/edits.h"
#include "editor/save_file.h"
#include "editor_test_support.h"

namespace editor {
namespace {

namespace fs = std::filesystem;
using testing::file_text;
using testing::fresh_dir;
using testing::kWithTraffic;

EditorModel open_or_fail(const std::string& path) {
  std::vector<sim::Diagnostic> errors;
  std::optional<EditorModel> model = EditorModel::open(path, errors);
  EXPECT_TRUE(model.has_value()) << sim::format_diagnostics(errors);
  return std::move(*model);
}

TEST(EditorModelTest, AMissingFileStartsAsTheNewOvalAndIsCreatedBySaving) {
  const std::string path = (fresh_dir("model_new") / "mine.toml").string();
  EditorModel model = open_or_fail(path);
  EXPECT_TRUE(model.is_new());
  EXPECT_FALSE(model.dirty());
  EXPECT_TRUE(model.validation().ok());
  EXPECT_EQ(point_count(model.document()), 8);
  EXPECT_FALSE(fs::exists(path));  // nothing is written until a save
  EXPECT_EQ(model.save(), "");
  EXPECT_FALSE(model.is_new());
  EXPECT_EQ(file_text(path), model.text());
  EXPECT_NE(model.text().find("# A new crashcourse scenario"), std::string::npos);
}

TEST(EditorModelTest, EditsUndoAndRedoChangeTheDocumentAndItsValidation) {
  const std::string path = (fresh_dir("model_edit") / "s.toml").string();
  std::ofstream(path) << kNewScenario;
  EditorModel model = open_or_fail(path);
  const int start = model.revision();
  EXPECT_FALSE(model.apply([](Document& d) { return move_point(d, 0, control_point(d, 0)); }));  // no change
  EXPECT_EQ(model.revision(), start);
  EXPECT_EQ(model.history().undo_steps(), 0u);

  EXPECT_TRUE(model.apply([](Document& d) { return set_track_width(d, 2.0f); }));
  EXPECT_TRUE(model.dirty());
  EXPECT_FALSE(model.validation().ok());  // too narrow for the car
  EXPECT_TRUE(model.apply([](Document& d) { return set_spawn(d, 20.0f); }));
  EXPECT_TRUE(model.undo());
  EXPECT_TRUE(model.undo());
  EXPECT_TRUE(model.validation().ok());
  EXPECT_FALSE(model.dirty());  // back to the file as opened
  EXPECT_FALSE(model.undo());
  EXPECT_TRUE(model.redo());
  EXPECT_EQ(track_width(model.document()), 2.0f);
  EXPECT_TRUE(model.redo());
  EXPECT_EQ(spawn_s(model.document()), 20.0f);
  EXPECT_FALSE(model.redo());
  EXPECT_GT(model.revision(), start + 5);
}

TEST(EditorModelTest, AGestureUndoesAsOneStepAndAnEmptyOneLeavesNone) {
  EditorModel model = open_or_fail((fresh_dir("model_gesture") / "s.toml").string());
  const b2Vec2 start = control_point(model.document(), 2);
  model.begin_gesture();
  for (int k = 1; k <= 5; ++k) {
    EXPECT_TRUE(model.apply_in_gesture([&](Document& d) { return move_point(d, 2, start + b2Vec2(k, 0.0f)); }));
  }
  model.end_gesture();
  EXPECT_EQ(model.history().undo_steps(), 1u);
  EXPECT_EQ(control_point(model.document(), 2), start + b2Vec2(5.0f, 0.0f));
  EXPECT_TRUE(model.undo());
  EXPECT_EQ(control_point(model.document(), 2), start);

  model.begin_gesture();
  EXPECT_FALSE(model.apply_in_gesture([&](Document& d) { return move_point(d, 2, start); }));
  model.end_gesture();
  EXPECT_EQ(model.history().undo_steps(), 0u);
  EXPECT_EQ(model.history().redo_steps(), 1u);  // the empty gesture did not clear it
}

TEST(EditorModelTest, LoadSaveLoadGivesTheSameScenarioAndKeepsTrafficAndABackup) {
  const std::string path = (fresh_dir("model_round_trip") / "t.toml").string();
  std::ofstream(path) << kWithTraffic;
  EditorModel model = open_or_fail(path);
  ASSERT_TRUE(model.apply([](Document& d) { return move_waypoint(d, 0, 2, {81.0f, 47.0f}); }));
  ASSERT_EQ(model.save(), "");
  EXPECT_FALSE(model.dirty());
  EXPECT_EQ(file_text(backup_path(path)), kWithTraffic);

  EditorModel again = open_or_fail(path);
  EXPECT_EQ(again.document().root, model.document().root);
  EXPECT_EQ(again.text(), model.text());
  EXPECT_EQ(waypoints(again.document(), 0)[2], b2Vec2(81.0f, 47.0f));
  EXPECT_EQ(again.document().root["traffic"][1]["speed_profile"][1][1].value<std::int64_t>(), 14);
  EXPECT_NE(again.text().find("# Header comment.\nname = \"With traffic\"\n"), std::string::npos) << again.text();
}

TEST(EditorModelTest, AFailedSaveKeepsTheEditsAndTheFile) {
  const fs::path dir = fresh_dir("model_failed_save");
  const std::string path = (dir / "s.toml").string();
  std::ofstream(path) << kNewScenario;
  EditorModel model = open_or_fail(path);
  ASSERT_TRUE(model.apply([](Document& d) { return set_spawn(d, 12.0f); }));
  fs::create_directories(backup_path(path) + "/occupied");
  EXPECT_NE(model.save(), "");
  EXPECT_TRUE(model.dirty());
  EXPECT_EQ(file_text(path), kNewScenario);
  EXPECT_EQ(spawn_s(model.document()), 12.0f);
}

TEST(EditorModelTest, AFileThatIsNotTomlOrCannotBeReadDoesNotOpen) {
  const fs::path dir = fresh_dir("model_bad");
  const std::string bad = (dir / "bad.toml").string();
  std::ofstream(bad) << "[track\n";
  std::vector<sim::Diagnostic> errors;
  EXPECT_FALSE(EditorModel::open(bad, errors).has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, bad);
  EXPECT_EQ(errors[0].where.line, 1);

  errors.clear();
  EXPECT_FALSE(EditorModel::open(dir.string(), errors).has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(sim::format_diagnostic(errors[0]), dir.string() + ": cannot read the scenario file: it is a folder "
                                               "(hint: check the path and its permissions)");
}

TEST(EditorModelTest, AFileWithProblemsOpensWithThemListed) {
  const std::string path = (fresh_dir("model_problems") / "p.toml").string();
  std::ofstream(path) << "[track]\nwidth = 2\npoints = [[0, 0], [60, 0], [60, 40], [0, 40]]\n[car]\nmas = 900\n";
  EditorModel model = open_or_fail(path);
  EXPECT_FALSE(model.validation().ok());
  EXPECT_EQ(model.validation().problems.front().diagnostic.key_path, "car.mas");
  ASSERT_NE(model.validation().track, nullptr);  // drawn from the parts that parse
  EXPECT_EQ(model.validation().scenario->track.points.size(), 4u);
}

}  // namespace
}  // namespace editor
