// End-to-end: a training run records its crashes; `crashcourse crashes` lists them, and each
// recording replays into the crash crashes.csv logged, at the same step, place and speed.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/crash_recordings.h"
#include "app/run_folder.h"
#include "sim/episode_file.h"
#include "sim/scenario_loader.h"
#include "support/run_binary.h"
#include "support/run_folder_files.h"

namespace {

namespace fs = std::filesystem;
using crashcourse::testing::CommandResult;
using crashcourse::testing::crash_recording_files;
using crashcourse::testing::csv;
using crashcourse::testing::expect_every_recording_replays_into_its_crash;
using crashcourse::testing::run;
using crashcourse::testing::scenario;
using crashcourse::testing::temp_dir;

/// A small training run on the oval, in a folder of its own (ctest runs tests in parallel); an
/// untrained driver crashes there.
fs::path trained_run(const std::string& name) {
  const fs::path out = temp_dir(name) / "run";
  const CommandResult r = run("train --scenario " + scenario("oval.toml") + " --out " + out.string() +
                              " --steps 16384 --envs 16 --threads 2 --eval-every 0 --eval-episodes 4");
  EXPECT_EQ(r.status, 0) << r.output;
  return out;
}

TEST(CrashesCommandTest, EveryRecordingReplaysIntoTheCrashThatWasLogged) {
  const fs::path dir = trained_run("crashes_replay");
  const auto rows = csv(dir / "crashes.csv", app::kCrashColumns);
  ASSERT_GT(rows.size(), 10u) << "an untrained driver crashes on the oval";
  const std::vector<fs::path> files = crash_recording_files(dir);
  ASSERT_FALSE(files.empty());
  EXPECT_LE(files.size(), static_cast<std::size_t>(app::CrashRecordings::kRecent + app::CrashRecordings::kSpread));
  EXPECT_EQ(files.back(), app::CrashRecordings::file(dir / "crashes", static_cast<std::int64_t>(rows.size())))
      << "the latest crash is kept";
  expect_every_recording_replays_into_its_crash(dir);
}

TEST(CrashesCommandTest, EvalRecordsEachCrashingEpisodeAndARepeatReplacesThem) {
  const fs::path dir = trained_run("crashes_eval");
  const CommandResult r = run("eval --checkpoint " + dir.string() + " --episodes 12 --threads 2");
  ASSERT_EQ(r.status, 0) << r.output;
  const nlohmann::json results = nlohmann::json::parse(crashcourse::testing::read(dir / "eval.json"));
  const auto crashed = static_cast<std::size_t>(std::lround(results["crash_rate"].get<double>() * 12));
  ASSERT_GT(crashed, 0u) << "an untrained driver crashes on the oval";
  std::vector<fs::path> files;
  for (const fs::directory_entry& e : fs::directory_iterator(dir / "eval-crashes")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files.size(), crashed) << "one recording per episode that crashed";
  EXPECT_NE(r.output.find(std::to_string(crashed) + " of 12 episodes crashed"), std::string::npos) << r.output;
  const sim::LoadedScenario s = sim::load_scenario((dir / "scenario.toml").string());
  ASSERT_TRUE(s.ok());
  for (const fs::path& f : files) {
    SCOPED_TRACE(f.string());
    const sim::EpisodeFile e = sim::load_episode(f.string());
    ASSERT_TRUE(e.crash.has_value());
    EXPECT_EQ(e.crash->crashes, 1) << "the episode's first crash";
    sim::Env env(s.scenario, s.track);
    std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
    EXPECT_NO_THROW(sim::replay_episode(env, e, f.string(), obs));
  }
  // A second evaluation of fewer episodes leaves only its own recordings.
  const CommandResult again = run("eval --checkpoint " + dir.string() + " --episodes 1 --threads 1");
  ASSERT_EQ(again.status, 0) << again.output;
  std::size_t left = 0;
  for ([[maybe_unused]] const fs::directory_entry& e : fs::directory_iterator(dir / "eval-crashes")) ++left;
  EXPECT_LE(left, 1u);
}

TEST(CrashesCommandTest, ListsTheRecordingsAndHowToReplayThem) {
  const fs::path dir = trained_run("crashes_list");
  const std::vector<fs::path> files = crash_recording_files(dir);
  const CommandResult r = run("crashes " + dir.string());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find(std::to_string(files.size()) + " kept as recordings"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(files.front().filename().string()), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("crashcourse replay " + files.back().string()), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(" wall"), std::string::npos) << "the oval has only walls to hit\n" << r.output;

  const CommandResult j = run("crashes --json " + dir.string());
  ASSERT_EQ(j.status, 0) << j.output;
  const nlohmann::json parsed = nlohmann::json::parse(j.output);
  ASSERT_EQ(parsed["recordings"].size(), files.size());
  EXPECT_EQ(parsed["recordings"].back()["file"], files.back().string());
  EXPECT_GE(parsed["crashes"].get<std::size_t>(), files.size());
}

TEST(CrashesCommandTest, ACorruptRecordingOrAMissingRunIsNamed) {
  const fs::path copy = trained_run("crashes_corrupt");
  const fs::path victim = crash_recording_files(copy).front();
  {
    std::fstream f(victim, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(40);
    f.put('\x5a');
  }
  const CommandResult r = run("crashes " + copy.string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find(victim.string() + ": "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("checksum mismatch"), std::string::npos) << r.output;

  const CommandResult missing = run("crashes " + (copy / "nope").string());
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.output.find("nope: expected a run folder of `crashcourse train`"), std::string::npos)
      << missing.output;
}

}  // namespace
