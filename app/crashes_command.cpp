// `crashcourse crashes RUN_DIR`: the training crashes a run folder kept as recordings (see
// crash_recordings.h) — when, where, what was hit, how fast — and how to replay each one.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/crash_recordings.h"
#include "app/run_folder.h"
#include "sim/episode_file.h"
#include "sim/scenario_loader.h"

namespace app {
namespace {

namespace fs = std::filesystem;

struct CrashesOptions {
  std::string run;
  bool json = false;
};

std::string what_was_hit(const sim::CrashInfo& c) {
  switch (c.with) {
    case sim::BodyKind::Wall: return c.with_index == 0 ? "left wall" : "right wall";
    case sim::BodyKind::Obstacle: return "obstacle #" + std::to_string(c.with_index);
    case sim::BodyKind::Car: return "car #" + std::to_string(c.with_index);
    case sim::BodyKind::Traffic: return "traffic car #" + std::to_string(c.with_index);
    case sim::BodyKind::Mover: return "mover #" + std::to_string(c.with_index);
  }
  return "?";
}

int fail(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  return kExitBadInput;
}

int run_crashes(const CrashesOptions& o) {
  const RunFolder run{o.run};
  if (!fs::is_directory(run.dir) || !fs::exists(run.scenario())) {
    return fail(o.run + ": expected a run folder of `crashcourse train` (with scenario.toml), got " +
                (fs::exists(run.dir) ? "something else" : "nothing: no such folder"));
  }
  const sim::LoadedScenario scenario = sim::load_scenario(run.scenario().string());
  if (!scenario.ok()) return fail(sim::format_diagnostics(scenario.diagnostics));
  std::string error;
  const std::size_t total = fs::exists(run.crashes()) ? read_csv(run.crashes(), kCrashColumns, error).size() : 0;
  if (!error.empty()) return fail(error);

  std::vector<fs::path> files;
  if (fs::is_directory(run.crash_recordings())) {
    for (const fs::directory_entry& entry : fs::directory_iterator(run.crash_recordings())) {
      if (entry.path().extension() == ".episode") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<sim::EpisodeFile> recordings;
  for (const fs::path& f : files) {
    try {
      recordings.push_back(sim::load_episode(f.string()));
    } catch (const sim::EpisodeFileError& e) {
      return fail(e.what());
    }
    if (!recordings.back().crash) return fail(f.string() + ": expected a crash recording, got an episode without a crash section");
  }

  const float dt = scenario.scenario->episode.dt;
  if (o.json) {
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t k = 0; k < files.size(); ++k) {
      const sim::EpisodeFile& e = recordings[k];
      const sim::CrashInfo& c = *e.crash;
      list.push_back({{"file", files[k].string()},
                      {"step", c.global_step},
                      {"episode_step", e.length},
                      {"episode_time_s", json_number(static_cast<float>(e.length) * dt)},
                      {"x", json_number(c.x)},
                      {"y", json_number(c.y)},
                      {"speed_mps", json_number(c.speed)},
                      {"hit", what_was_hit(c)},
                      {"crash_in_episode", c.crashes}});
    }
    const nlohmann::json out = {{"run", run.dir.string()}, {"crashes", total}, {"recordings", list}};
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }

  std::printf("%s: %zu crashes in training (crashes.csv); %zu kept as recordings (the %lld most recent "
              "and a spread over the run)\n",
              run.dir.c_str(), total, files.size(), static_cast<long long>(CrashRecordings::kRecent));
  if (files.empty()) return 0;
  std::printf("\n%-20s %10s %8s %8s %8s %8s %9s  %s\n", "recording", "env step", "episode", "at", "x", "y",
              "speed", "hit");
  for (std::size_t k = 0; k < files.size(); ++k) {
    const sim::EpisodeFile& e = recordings[k];
    const sim::CrashInfo& c = *e.crash;
    std::printf("%-20s %10lld %8d %6.1f s %8.1f %8.1f %5.1f m/s  %s\n", files[k].filename().c_str(),
                static_cast<long long>(c.global_step), e.length, static_cast<double>(e.length * dt),
                static_cast<double>(c.x), static_cast<double>(c.y), static_cast<double>(c.speed),
                what_was_hit(c).c_str());
  }
  std::printf("\nreplay one:  crashcourse replay %s\n", files.back().c_str());
  return 0;
}

}  // namespace

std::function<int()> add_crashes_command(CLI::App& cli) {
  auto o = std::make_shared<CrashesOptions>();
  CLI::App* cmd = cli.add_subcommand("crashes", "List the training crashes a run folder recorded, to replay them");
  cmd->add_option("run", o->run, "Run folder of `crashcourse train`")->required();
  cmd->add_flag("--json", o->json, "Print the list as JSON");
  cmd->footer("Example:\n  crashcourse crashes runs/default\n"
              "  crashcourse replay runs/default/crashes/crash-000512.episode");
  return [o] { return run_crashes(*o); };
}

}  // namespace app
