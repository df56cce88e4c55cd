// End-to-end: the real `crashcourse` binary, run as a user would, on real files.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/run_binary.h"

namespace {

using crashcourse::testing::CommandResult;
using crashcourse::testing::run;
using crashcourse::testing::scenario;
using crashcourse::testing::temp_dir;

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

}  // namespace
