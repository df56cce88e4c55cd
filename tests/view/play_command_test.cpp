// End-to-end: `crashcourse play`, headless.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "view/theme.h"
#include "view_cli.h"

namespace view::testing {
namespace {

TEST(PlayCommandTest, DrawsThePlayersCarInTheMiddleOfTheWindow) {
  const std::string png = (temp_dir("play_png") / "play.png").string();
  const CommandResult r = run("play --scenario " + scenario("default.toml") + " --frames 5 --screenshot " + png);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("1 episodes: 0 crashes"), std::string::npos) << r.output;
  const sf::Image image = load_png(png);
  ASSERT_EQ(image.getSize(), sf::Vector2u(1280, 720));
  EXPECT_EQ(image.getPixel(640, 360), theme::kPlayerCar);
  EXPECT_GT(text_pixels(image, {14, 14, 290, 150}), 400);
}

TEST(PlayCommandTest, ABadScenarioIsReportedWithFileAndLine) {
  const std::filesystem::path dir = temp_dir("play_bad");
  const std::string bad = (dir / "bad.toml").string();
  std::ofstream(bad) << "[track]\npoints = [[0, 0], [50, 0], [50, 40]]\nwidht = 8\n";
  const CommandResult r = run("play --scenario " + bad + " --frames 1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find(bad + ":3:1: track.widht: unknown key"), std::string::npos) << r.output;
}

TEST(PlayCommandTest, ADisplayThatCannotBeOpenedIsNamed) {
  const CommandResult r = shell(std::string("env DISPLAY=:54321 ") + CRASHCOURSE_BINARY + " play --scenario " +
                                scenario("oval.toml") + " --frames 1");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("crashcourse play: cannot open the display ':54321' (hint: run it under a virtual display: "
                          "xvfb-run -a crashcourse play"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace view::testing
