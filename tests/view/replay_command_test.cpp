// End-to-end: `crashcourse replay` of a run folder and of episode files, good and bad.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "view/theme.h"
#include "view_cli.h"

namespace view::testing {
namespace {

/// A run folder of a short training run on the oval, made once per test (tests run in parallel,
/// each in its own process, so each has its own folder).
const std::string& oval_run() {
  static const std::string out = [] {
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    const std::string dir = (temp_dir("replay_run_" + name) / "run").string();
    const CommandResult r = run("train --scenario " + scenario("oval.toml") +
                                " --envs 8 --threads 1 --steps 2048 --eval-every 0 --eval-episodes 2 --out " + dir);
    EXPECT_EQ(r.status, 0) << r.output;
    return dir;
  }();
  return out;
}

TEST(ReplayCommandTest, RecordsARunsEvaluationEpisodeSavesItAndReplaysTheFile) {
  const std::filesystem::path dir = temp_dir("replay_save");
  const std::string episode = (dir / "eval.episode").string();
  const std::string png = (dir / "replay.png").string();
  const CommandResult recorded = run("replay " + oval_run() + " --episode 1 --save " + episode +
                                     " --step 20 --frames 5 --screenshot " + png);
  ASSERT_EQ(recorded.status, 0) << recorded.output;
  EXPECT_NE(recorded.output.find("recorded evaluation episode 1 (seed 1000003) of "), std::string::npos)
      << recorded.output;
  ASSERT_TRUE(std::filesystem::exists(episode));
  const sf::Image image = load_png(png);
  EXPECT_EQ(image.getPixel(640, 360), theme::kReplayCar);
  EXPECT_GT(count_color(image, timeline_rect(1280.0f, 720.0f), theme::kTimelineFill), 10);

  const CommandResult replayed = run("replay " + episode + " --scenario " + scenario("oval.toml") + " --frames 3");
  EXPECT_EQ(replayed.status, 0) << replayed.output;
}

TEST(ReplayCommandTest, CrashPicksAnEpisodeThatCrashes) {
  const CommandResult r = run("replay " + oval_run() + " --crash --frames 2");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(r.output.find(": crash after ") != std::string::npos ||
              r.output.find("no crash in evaluation episodes 0 to 99") != std::string::npos) << r.output;
}

TEST(ReplayCommandTest, ACorruptFileIsNamedWithWhatWasExpected) {
  const std::filesystem::path dir = temp_dir("replay_corrupt");
  const std::string bad = (dir / "bad.episode").string();
  std::ofstream(bad) << "this is not an episode";
  const CommandResult r = run("replay " + bad + " --scenario " + scenario("oval.toml") + " --frames 1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find(bad + ": not a crashcourse episode file: expected magic 'CCEPISD', got 'this is '"),
            std::string::npos) << r.output;
}

TEST(ReplayCommandTest, AnEpisodeOfAnotherScenarioIsRefused) {
  const std::filesystem::path dir = temp_dir("replay_other");
  const std::string episode = (dir / "oval.episode").string();
  ASSERT_EQ(run("replay " + oval_run() + " --save " + episode + " --frames 1").status, 0);
  const CommandResult r = run("replay " + episode + " --scenario " + scenario("default.toml") + " --frames 1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find(episode + ": field 'fingerprint': expected an episode of scenario 'Crashcourse circuit'"),
            std::string::npos) << r.output;
}

TEST(ReplayCommandTest, AnEpisodeFileWithoutItsScenarioAsksForOne) {
  const std::filesystem::path dir = temp_dir("replay_noscenario");
  const std::string episode = (dir / "oval.episode").string();
  ASSERT_EQ(run("replay " + oval_run() + " --save " + episode + " --frames 1").status, 0);
  const CommandResult r = run("replay " + episode + " --frames 1");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find(episode + ": expected --scenario FILE: the episode was recorded on scenario"),
            std::string::npos) << r.output;
}

}  // namespace
}  // namespace view::testing
