// End-to-end: the real `crashcourse` binary, run as a user would, on real files.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "agent/checkpoint.h"

namespace {

struct CommandResult {
  int status = -1;
  std::string output;  ///< stdout and stderr together
};

CommandResult run(const std::string& args) {
  const std::string cmd = std::string(CRASHCOURSE_BINARY) + " " + args + " 2>&1";
  CommandResult r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), pipe) != nullptr) r.output += buf.data();
  const int raw = pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

std::string scenario(const std::string& name) { return std::string(CRASHCOURSE_SOURCE_DIR) + "/scenarios/" + name; }

std::filesystem::path temp_dir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / ("crashcourse_cli_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(CliTest, ValidateAcceptsTheScenarioLibrary) {
  const CommandResult r = run("validate " + scenario("default.toml") + " " + scenario("oval.toml") + " " + scenario("slalom.toml"));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("default.toml: ok"), std::string::npos) << r.output;
}

TEST(CliTest, ValidateReportsEveryProblemWithFileLineAndExitStatus2) {
  const std::filesystem::path dir = temp_dir("validate");
  const std::string bad = (dir / "bad.toml").string();
  std::ofstream(bad) << "[track]\npoints = [[0, 0], [50, 0], [50, 40]]\n[car]\nmas = 900\nlength = -1\n";
  const CommandResult r = run("validate " + bad);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find(bad + ":4:1: car.mas: unknown key"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("did you mean 'mass'?"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(bad + ":5:10: car.length: expected"), std::string::npos) << r.output;
}

TEST(CliTest, ValidateNamesAMissingFile) {
  const CommandResult r = run("validate /nonexistent/track.toml");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("/nonexistent/track.toml: cannot open scenario file"), std::string::npos) << r.output;
}

TEST(CliTest, UnknownFlagIsRejectedWithExitStatus2) {
  const CommandResult r = run("train --no-such-flag 3");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("no-such-flag"), std::string::npos) << r.output;
}

TEST(CliTest, DriveReportsCrashesNearMissesAndLaps) {
  const CommandResult r = run("drive --scenario " + scenario("oval.toml") + " --episodes 4 --envs 4 --threads 2");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("crash rate"), std::string::npos);
  EXPECT_NE(r.output.find("lap completion rate   1.000"), std::string::npos) << r.output;
}

TEST(CliTest, TrainRunsEvaluatesAndSavesALoadableCheckpoint) {
  const std::filesystem::path dir = temp_dir("train");
  const std::string ckpt = (dir / "policy.ckpt").string();
  const CommandResult r = run("train --scenario " + scenario("oval.toml") +
                    " --steps 8192 --envs 8 --rollout 32 --threads 2 --eval-every 0 --eval-episodes 4 --save " + ckpt);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("final evaluation: clean laps"), std::string::npos) << r.output;
  const agent::CheckpointData c = agent::load_checkpoint(ckpt);
  EXPECT_EQ(c.scenario_name, "Oval");
  EXPECT_EQ(c.global_step, 8192);
  EXPECT_NE(c.config_text.find("envs = 8"), std::string::npos) << c.config_text;
}

}  // namespace
