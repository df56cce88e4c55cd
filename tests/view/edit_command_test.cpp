// End-to-end: `crashcourse edit`, headless.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "view/theme.h"
#include "view_cli.h"

namespace view::testing {
namespace {

namespace fs = std::filesystem;

TEST(EditCommandTest, DrawsTheTrackItsHandlesAndThePanels) {
  const fs::path dir = temp_dir("edit_png");
  const std::string file = (dir / "default.toml").string();
  fs::copy_file(scenario("default.toml"), file);
  const std::string png = (dir / "edit.png").string();
  const CommandResult r = run("edit " + file + " --frames 3 --screenshot " + png);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find(file + ": no unsaved changes"), std::string::npos) << r.output;
  const sf::Image image = load_png(png);
  ASSERT_EQ(image.getSize(), sf::Vector2u(1280, 720));
  const Rect all{0, 0, 1280, 720};
  EXPECT_GT(count_color(image, all, theme::kRoad), 20000);        // the whole track in view
  EXPECT_GT(count_color(image, all, theme::kHandle), 100);        // the control points
  EXPECT_GT(count_color(image, all, theme::kObstacle), 10);
  EXPECT_GT(count_color(image, all, theme::kPlayerCar), 10);      // the car at the spawn
  EXPECT_EQ(count_color(image, all, theme::kProblem), 0);         // it loads
  EXPECT_GT(text_pixels(image, {14, 14, 290, 150}), 400);         // the file panel
}

TEST(EditCommandTest, ANewFileStartsAsAnOvalAndIsOnlyCreatedBySaving) {
  const fs::path dir = temp_dir("edit_new");
  const std::string file = (dir / "mine.toml").string();
  const std::string png = (dir / "new.png").string();
  const CommandResult r = run("edit " + file + " --frames 2 --screenshot " + png);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find(file + ": not created (nothing was saved)"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(file));
  EXPECT_GT(count_color(load_png(png), {0, 0, 1280, 720}, theme::kRoad), 20000);
}

TEST(EditCommandTest, ProblemsAreMarkedOnTheCanvas) {
  const fs::path dir = temp_dir("edit_problems");
  const std::string file = (dir / "p.toml").string();
  std::ofstream(file) << "[track]\npoints = [[0, 0], [60, 0], [80, 20], [60, 40], [0, 40], [-20, 20]]\n"
                         "[[obstacles]]\nshape = \"circle\"\nposition = [30, 20]\nradius = 1\n";
  const std::string png = (dir / "p.png").string();
  const CommandResult r = run("edit " + file + " --frames 2 --screenshot " + png);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("; 1 problem"), std::string::npos) << r.output;
  EXPECT_GT(count_color(load_png(png), {0, 0, 1280, 720}, theme::kProblem), 50);
}

TEST(EditCommandTest, AFileThatIsNotTomlOrCannotBeReadIsNamed) {
  const fs::path dir = temp_dir("edit_bad");
  const std::string bad = (dir / "bad.toml").string();
  std::ofstream(bad) << "[track]\npoints = [[0, 0], [50, 0]\n";
  CommandResult r = run("edit " + bad + " --frames 1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find(bad + ":2:"), std::string::npos) << r.output;

  r = run("edit " + dir.string() + " --frames 1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find(dir.string() + ": cannot read the scenario file: it is a folder"), std::string::npos)
      << r.output;

  const std::string no_track = (dir / "no_track.toml").string();
  std::ofstream(no_track) << "name = \"x\"\n";
  r = run("edit " + no_track + " --frames 1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("crashcourse edit: " + no_track + ": expected a [track] the editor can draw"),
            std::string::npos) << r.output;
}

TEST(EditCommandTest, WithoutADisplayItSaysWhatToDo) {
  const CommandResult r = shell(std::string("env -u DISPLAY ") + CRASHCOURSE_BINARY + " edit " +
                                scenario("oval.toml") + " --frames 1");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("crashcourse edit: expected a display to open a window, got none (DISPLAY is not set) "
                          "(hint: run it under a virtual display: xvfb-run -a crashcourse edit"),
            std::string::npos) << r.output;
}

}  // namespace
}  // namespace view::testing
