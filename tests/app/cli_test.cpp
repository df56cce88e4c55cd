// End-to-end: the real `crashcourse` binary, run as a user would, on real files.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "support/run_binary.h"

namespace {

using crashcourse::testing::CommandResult;
using crashcourse::testing::run;
using crashcourse::testing::scenario;
using crashcourse::testing::temp_dir;

TEST(CliTest, ValidateAcceptsEveryScenarioInTheLibrary) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(scenario("default.toml")).parent_path())) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path().string());
  }
  ASSERT_GE(files.size(), 9u);
  std::string command = "validate";
  for (const std::string& f : files) command += " " + f;
  const CommandResult r = run(command);
  EXPECT_EQ(r.status, 0) << r.output;
  for (const std::string& f : files) EXPECT_NE(r.output.find(f + ": ok ("), std::string::npos) << f << "\n" << r.output;
  EXPECT_NE(r.output.find("multi_agent.toml: ok (Multi-agent oval, 419 m track, 0 obstacles, 3 agents)"), std::string::npos)
      << r.output;
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

TEST(CliTest, ValidateReportsTheNewScenarioKeysPrecisely) {
  const std::filesystem::path dir = temp_dir("validate_new_keys");
  const std::string bad = (dir / "bad.toml").string();
  std::ofstream(bad) << "[track]\npoints = [[0, 0], [50, 0], [50, 40]]\n"
                        "[[traffic]]\nsped = 5\n"
                        "[[movers]]\nshape = \"box\"\npath = [[0, 0], [1, 0]]\nmode = \"bouce\"\n"
                        "[randomise]\ntyre_friction = [1.2, 0.8]\n";
  const CommandResult r = run("validate " + bad);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find(bad + ":4:1: traffic[0].sped: unknown key (hint: did you mean 'speed'?)"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find(bad + ":8:8: movers[0].mode: expected \"bounce\" or \"loop\""), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(bad + ":10:17: randomise.tyre_friction: expected low <= high, got [1.2, 0.8]"),
            std::string::npos)
      << r.output;
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

TEST(CliTest, GenerateWritesAScenarioThatValidatesAndPreviews) {
  const std::filesystem::path dir = temp_dir("generate");
  const std::string file = (dir / "g.toml").string();
  const CommandResult r = run("generate --seed 11 --obstacles 4 -o " + file);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("4 obstacles"), std::string::npos) << r.output;
  EXPECT_EQ(run("validate " + file).status, 0);
  const CommandResult again = run("generate --seed 11 -o " + file);
  EXPECT_EQ(again.status, 2) << "an existing file is not replaced without --force";
  EXPECT_NE(again.output.find("already exists"), std::string::npos) << again.output;
  const CommandResult preview = run("preview " + file + " -o " + (dir / "g.svg").string());
  ASSERT_EQ(preview.status, 0) << preview.output;
  std::ifstream svg(dir / "g.svg");
  const std::string text{std::istreambuf_iterator<char>(svg), {}};
  EXPECT_NE(text.find("Generated 11"), std::string::npos);
  const CommandResult bad = run("generate --seed 1 --radius 20 --width 40 -o " + (dir / "x.toml").string());
  EXPECT_EQ(bad.status, 2) << bad.output;
  EXPECT_NE(bad.output.find("cannot make a drivable circuit"), std::string::npos) << bad.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "x.toml"));
}

TEST(CliTest, PreviewOfAnInvalidScenarioPrintsItsProblems) {
  const std::filesystem::path dir = temp_dir("preview_bad");
  const std::string bad = (dir / "bad.toml").string();
  std::ofstream(bad) << "[track]\npoints = [[0, 0], [50, 0]]\n";
  const CommandResult r = run("preview " + bad + " -o " + (dir / "bad.svg").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find(bad + ":2:"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.svg"));
}

TEST(CliTest, BenchReportsSimulationAndTrainingThroughput) {
  const CommandResult r = run("bench --scenario " + scenario("oval.toml") + " --seconds 0.2 --envs 4 --threads 2");
  ASSERT_EQ(r.status, 0) << r.output;
  const std::vector<std::pair<std::string, std::string>> figures = {
      {"simulation, 1 env on 1 thread", "env-steps/s"},
      {"simulation, 4 envs on 2 threads", "env-steps/s"},
      {"training (PPO", "samples/s"}};
  for (const auto& [label, unit] : figures) {
    const std::size_t at = r.output.find(label);
    ASSERT_NE(at, std::string::npos) << label << "\n" << r.output;
    const std::string line = r.output.substr(at, r.output.find('\n', at) - at);
    const std::size_t unit_at = line.find(unit);
    ASSERT_NE(unit_at, std::string::npos) << line;
    const std::size_t number_at = line.find_last_not_of(" ", unit_at - 1);
    const std::size_t number_start = line.find_last_of(' ', number_at) + 1;
    EXPECT_GT(std::stod(line.substr(number_start, number_at + 1 - number_start)), 100.0) << line;
  }
}

}  // namespace
