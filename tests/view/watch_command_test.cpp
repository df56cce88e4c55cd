// End-to-end: `crashcourse watch`, run as a user would, headless under the test's display.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "view/theme.h"
#include "view_cli.h"

namespace view::testing {
namespace {

// A normal-priority window: the tests run in parallel, and an idle-priority window would get few
// frames on a machine that busy (RunsUnderXvfbRunAsTheReadmeSays keeps the default).
const std::string kQuick = " --envs 8 --threads 1 --width 800 --height 450 --window-priority normal";

TEST(WatchCommandTest, TrainsAndWritesAScreenshotOfTheWindow) {
  const std::filesystem::path dir = temp_dir("watch_png");
  const std::string png = (dir / "watch.png").string();
  const CommandResult r = run("watch --scenario " + scenario("oval.toml") + kQuick + " --frames 40 --screenshot " + png);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("training "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("with the window open: "), std::string::npos) << r.output;
  const sf::Image image = load_png(png);
  ASSERT_EQ(image.getSize(), sf::Vector2u(800, 450));
  // Follow-cam: the spectator car is in the middle of the window.
  EXPECT_EQ(image.getPixel(400, 225), theme::kSpectatorCar);
  // The road fills a good part of the view; the HUD panel at the top left holds text.
  EXPECT_GT(count_color(image, {0, 0, 800, 450}, theme::kRoad), 800 * 450 / 20);
  EXPECT_GT(text_pixels(image, {14, 14, 290, 150}), 400);
}

TEST(WatchCommandTest, SavesAPolicyThatWatchCanThenDriveWithoutTraining) {
  const std::filesystem::path dir = temp_dir("watch_save");
  const std::string ck = (dir / "oval.ckpt").string();
  const CommandResult trained = run("watch --scenario " + scenario("oval.toml") + kQuick + " --frames 20 --save " + ck);
  ASSERT_EQ(trained.status, 0) << trained.output;
  EXPECT_NE(trained.output.find("saved to " + ck), std::string::npos) << trained.output;
  const std::string png = (dir / "replay.png").string();
  const CommandResult watched = run("watch --checkpoint " + ck + " --scenario " + scenario("oval.toml") +
                                    " --no-train --frames 10 --width 640 --height 360 --screenshot " + png);
  ASSERT_EQ(watched.status, 0) << watched.output;
  EXPECT_NE(watched.output.find("no training"), std::string::npos) << watched.output;
  EXPECT_EQ(load_png(png).getPixel(320, 180), theme::kSpectatorCar);
}

TEST(WatchCommandTest, ContinuesTrainingFromARunFolder) {
  const std::filesystem::path dir = temp_dir("watch_run");
  const std::string out = (dir / "run").string();
  const CommandResult trained = run("train --scenario " + scenario("oval.toml") + " --envs 8 --threads 1 --steps 2048 "
                                    "--eval-every 0 --eval-episodes 2 --out " + out);
  ASSERT_EQ(trained.status, 0) << trained.output;
  const CommandResult r = run("watch --checkpoint " + out + " --steps 4096 --threads 1 --frames 10 --width 640 --height 360 "
                              "--window-priority normal");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("from step 2048"), std::string::npos) << r.output;

  // A run that has trained all its steps opens for watching and trains nothing more.
  const CommandResult done = run("watch --checkpoint " + out + " --threads 1 --frames 3 --width 640 --height 360 "
                                 "--window-priority normal --steps 2048");
  ASSERT_EQ(done.status, 0) << done.output;
  EXPECT_NE(done.output.find("trained 0 env steps"), std::string::npos) << done.output;
  EXPECT_NE(done.output.find("now at step 2048"), std::string::npos) << done.output;
}

TEST(WatchCommandTest, NoTrainNeedsACheckpoint) {
  const CommandResult r = run("watch --no-train --frames 1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("--checkpoint"), std::string::npos) << r.output;
}

TEST(WatchCommandTest, ScreenshotNeedsFrames) {
  const CommandResult r = run("watch --screenshot x.png");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("--frames"), std::string::npos) << r.output;
}

TEST(WatchCommandTest, WithoutADisplayItSaysSoAndSuggestsXvfbRunOrTrain) {
  const CommandResult r = shell(std::string("env -u DISPLAY ") + CRASHCOURSE_BINARY + " watch --scenario " +
                                scenario("oval.toml") + " --frames 1");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("crashcourse watch: expected a display to open a window, got none (DISPLAY is not set)"),
            std::string::npos) << r.output;
  EXPECT_NE(r.output.find("xvfb-run -a crashcourse watch"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("crashcourse train"), std::string::npos) << r.output;
}

TEST(WatchCommandTest, RunsUnderXvfbRunAsTheReadmeSays) {
  const std::filesystem::path dir = temp_dir("watch_xvfb_run");
  const std::string png = (dir / "w.png").string();
  CommandResult r;
  for (int attempt = 0; attempt < 3; ++attempt) {  // xvfb-run -a can race another Xvfb for a display number
    r = shell(std::string("env -u DISPLAY xvfb-run -a ") + CRASHCOURSE_BINARY + " watch --scenario " +
              scenario("oval.toml") + " --envs 8 --threads 1 --width 800 --height 450 --frames 5 --screenshot " + png);
    if (r.output.find("Xvfb failed to start") == std::string::npos) break;
  }
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(load_png(png).getSize(), sf::Vector2u(800, 450));
}

TEST(WatchCommandTest, RefusesToTrainOnACheckpointOfAnotherScenario) {
  const std::filesystem::path dir = temp_dir("watch_other");
  const std::string ck = (dir / "oval.ckpt").string();
  ASSERT_EQ(run("watch --scenario " + scenario("oval.toml") + kQuick + " --frames 3 --save " + ck).status, 0);
  const CommandResult r = run("watch --checkpoint " + ck + " --scenario " + scenario("slalom.toml") + " --frames 3");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find(ck + ": section 'identity': made for scenario"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace view::testing
