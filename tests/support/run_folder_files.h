// Reading what a `crashcourse train` run folder holds, for the end-to-end tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/crash_recordings.h"
#include "app/run_folder.h"
#include "sim/episode_file.h"
#include "sim/scenario_loader.h"

namespace crashcourse::testing {

inline std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::vector<std::vector<double>> csv(const std::filesystem::path& path, const std::vector<std::string>& columns) {
  std::string error;
  std::vector<std::vector<double>> rows = app::read_csv(path, columns, error);
  EXPECT_EQ(error, "");
  return rows;
}

/// The metrics log without its wall-clock columns (time_s, samples_per_s, comm_s), as text.
inline std::string deterministic_metrics(const std::filesystem::path& run) {
  const std::vector<std::string> clock = {"time_s", "samples_per_s", "comm_s"};
  std::string out;
  for (const std::vector<double>& row : csv(run / "metrics.csv", app::kMetricsColumns)) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (std::find(clock.begin(), clock.end(), app::kMetricsColumns[i]) != clock.end()) continue;
      out += app::csv_number(row[i]) + ",";
    }
    out += "\n";
  }
  return out;
}

/// The crash recordings of a run folder (crashes/crash-N.episode), in crash order.
inline std::vector<std::filesystem::path> crash_recording_files(const std::filesystem::path& run) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(run / "crashes")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

/// Checks that the run folder keeps exactly the recordings CrashRecordings::kept names for the
/// crashes in crashes.csv, that each matches its row (step, x, y, speed), and that each replays
/// on the run's scenario into its crash on its step. Returns how many there are.
inline std::size_t expect_every_recording_replays_into_its_crash(const std::filesystem::path& run) {
  const auto rows = csv(run / "crashes.csv", app::kCrashColumns);
  const sim::LoadedScenario s = sim::load_scenario((run / "scenario.toml").string());
  EXPECT_TRUE(s.ok());
  if (!s.ok()) return 0;
  const auto count = static_cast<std::int64_t>(rows.size());
  std::vector<std::filesystem::path> expected;
  for (std::int64_t n = 1; n <= count; ++n) {
    if (app::CrashRecordings::kept(n, count)) expected.push_back(app::CrashRecordings::file(run / "crashes", n));
  }
  const std::vector<std::filesystem::path> files = crash_recording_files(run);
  EXPECT_EQ(files, expected);
  for (const std::filesystem::path& f : files) {
    SCOPED_TRACE(f.string());
    const sim::EpisodeFile e = sim::load_episode(f.string());
    EXPECT_TRUE(e.crash.has_value());
    if (!e.crash) continue;
    const std::size_t number = std::stoul(f.filename().string().substr(6, 6));
    EXPECT_LE(number, rows.size());
    if (number > rows.size()) continue;
    const std::vector<double>& row = rows[number - 1];  // step, x, y, speed
    EXPECT_EQ(static_cast<double>(e.crash->global_step), row[0]);
    EXPECT_EQ(e.crash->x, static_cast<float>(row[1]));  // the CSV keeps floats exactly
    EXPECT_EQ(e.crash->y, static_cast<float>(row[2]));
    EXPECT_EQ(e.crash->speed, static_cast<float>(row[3]));
    sim::Env env(s.scenario, s.track);
    std::vector<float> obs(static_cast<std::size_t>(env.observation_size() * env.agents()));
    EXPECT_NO_THROW(sim::replay_episode(env, e, f.string(), obs));
    EXPECT_EQ(env.episode(e.agent()).length, e.length);
  }
  return files.size();
}

}  // namespace crashcourse::testing
