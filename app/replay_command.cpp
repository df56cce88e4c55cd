// `crashcourse replay`: a recorded episode, replayed deterministically from its start state and
// actions, with pause, step and scrub. Given a run folder, it first records an evaluation episode
// of the run's best (or latest) policy on the run's scenario — or the first evaluation episode
// that crashes, with --crash — then replays it; --save keeps it as an episode file.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "agent/checkpoint.h"
#include "app/commands.h"
#include "app/run_folder.h"
#include "app/stop_signal.h"
#include "sim/episode_file.h"
#include "sim/observation.h"
#include "sim/scenario_loader.h"
#include "view/cli_flags.h"
#include "view/policy_driver.h"
#include "view/replay_mode.h"
#include "view/replay_scrubber.h"
#include "view/viewer.h"

namespace app {
namespace {

namespace fs = std::filesystem;

/// Evaluation episodes searched for one with a crash (--crash).
constexpr int kCrashSearch = 100;

struct ReplayFlags {
  std::string path, scenario, save;
  bool latest = false, crash = false;
  int episode = 0, step = -1;
  std::uint64_t seed = 1000003;
  view::WindowOptions window;
};

int fail(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  return kExitBadInput;
}

/// Records the episode a run folder's policy drives. Returns "" or what is wrong.
std::string record_from_run(const ReplayFlags& f, const RunFolder& run, const sim::LoadedScenario& scenario,
                            sim::EpisodeFile& out, std::string& label) {
  const fs::path ck_path = !f.latest && fs::exists(run.best()) ? run.best() : run.latest();
  agent::CheckpointData ck;
  try {
    ck = agent::load_checkpoint(ck_path.string());
  } catch (const agent::CheckpointError& e) {
    return e.what();
  }
  const std::string problems = agent::check_compatible(
      ck, ck_path.string(),
      {scenario.scenario->name, scenario.scenario->fingerprint, sim::observation_size(*scenario.scenario),
       sim::Env::kActionSize, ck.hidden, false});
  if (!problems.empty()) return problems;
  const agent::Policy policy = agent::make_policy_from_checkpoint(ck);
  const auto source = [&](int k) {
    return "evaluation episode " + std::to_string(k) + " (seed " + std::to_string(f.seed) + ") of " + ck_path.string();
  };
  int chosen = f.episode;
  out = view::record_policy_episode(scenario, policy, ck.obs_norm, f.seed, chosen, source(chosen));
  for (int k = f.episode + 1; f.crash && out.end != sim::EndCause::Crash && k < f.episode + kCrashSearch; ++k) {
    chosen = k;
    out = view::record_policy_episode(scenario, policy, ck.obs_norm, f.seed, k, source(k));
  }
  if (f.crash && out.end != sim::EndCause::Crash) {
    std::printf("no crash in evaluation episodes %d to %d: showing episode %d\n", f.episode,
                f.episode + kCrashSearch - 1, f.episode);
    chosen = f.episode;
    out = view::record_policy_episode(scenario, policy, ck.obs_norm, f.seed, chosen, source(chosen));
  }
  label = "evaluation " + std::to_string(chosen) + ", " + ck_path.filename().string();
  std::printf("recorded %s: %s after %d steps\n", out.source.c_str(), sim::to_string(out.end), out.length);
  return "";
}

int run_replay(const ReplayFlags& f) {
  const fs::path path = f.path;
  std::optional<RunFolder> run;
  if (fs::is_directory(path)) {
    run = RunFolder{path};
  }
  // The scenario: --scenario, else the run folder's, else one next to the episode file.
  std::string scenario_path = f.scenario;
  if (scenario_path.empty()) {
    for (const fs::path& candidate : {run ? run->scenario() : fs::path(), path.parent_path() / "scenario.toml",
                                      path.parent_path().parent_path() / "scenario.toml"}) {
      if (!candidate.empty() && fs::exists(candidate)) {
        scenario_path = candidate.string();
        break;
      }
    }
  }
  std::optional<sim::EpisodeFile> episode;
  if (!run) {
    try {
      episode = sim::load_episode(path.string());
    } catch (const sim::EpisodeFileError& e) {
      return fail(e.what());
    }
  }
  if (scenario_path.empty()) {
    return fail(path.string() + ": expected --scenario FILE: the episode was recorded on scenario '" +
                episode->scenario_name + "', and no scenario.toml is next to it");
  }
  const sim::LoadedScenario scenario = sim::load_scenario(scenario_path);
  if (!scenario.ok()) return fail(sim::format_diagnostics(scenario.diagnostics));

  std::string label = path.filename().string();
  if (run) {
    episode.emplace();
    if (const std::string error = record_from_run(f, *run, scenario, *episode, label); !error.empty()) return fail(error);
  }
  if (!f.save.empty()) {
    try {
      sim::save_episode(f.save, *episode);
    } catch (const sim::EpisodeFileError& e) {
      return fail(e.what());
    }
    std::printf("saved to %s: replay it with `crashcourse replay %s --scenario %s`\n", f.save.c_str(), f.save.c_str(),
                scenario_path.c_str());
  }
  std::optional<view::ReplayScrubber> scrubber;
  try {
    scrubber.emplace(scenario, *episode, run ? "the recorded episode" : path.string());
  } catch (const sim::EpisodeFileError& e) {
    return fail(e.what());
  }

  view::WindowOptions window = f.window;
  window.title = "crashcourse replay: " + label;
  window.stop = [] { return stop_requested() != 0; };
  install_stop_handlers();
  std::optional<view::Viewer> viewer;
  if (const std::string error = view::Viewer::open(viewer, window, scenario, "replay"); !error.empty()) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  view::ReplayMode mode(scenario, *scrubber, label);
  if (f.step >= 0) mode.seek(f.step);
  return viewer->run(mode);
}

}  // namespace

std::function<int()> add_replay_command(CLI::App& cli) {
  auto f = std::make_shared<ReplayFlags>();
  CLI::App* cmd = cli.add_subcommand("replay", "Replay a recorded episode (an episode file, or a run's evaluation "
                                               "episode) with pause, step and scrub");
  cmd->add_option("path", f->path, "Episode file, or a run folder (records an evaluation episode of its policy)")
      ->required()->check(CLI::ExistingPath);
  cmd->add_option("--scenario", f->scenario, "Scenario the episode was recorded on (default: the run folder's, or "
                                             "a scenario.toml next to the episode file)");
  cmd->add_option("--episode", f->episode, "Run folder: which evaluation episode to record")
      ->capture_default_str()->check(CLI::Range(0, 1'000'000));
  cmd->add_flag("--crash", f->crash, "Run folder: the first evaluation episode from --episode on that crashes");
  cmd->add_flag("--latest", f->latest, "Run folder: its latest checkpoint rather than its best");
  cmd->add_option("--seed", f->seed, "Run folder: seed of the evaluation episodes")->capture_default_str();
  cmd->add_option("--save", f->save, "Also write the episode to this episode file");
  cmd->add_option("--step", f->step, "Start paused at this step (e.g. for a screenshot of a crash)")
      ->check(CLI::Range(0, 1'000'000'000));
  view::add_window_flags(cmd, f->window);
  cmd->footer(
      "Keys: Space plays/pauses, Left/Right step (Shift: 1 s), click the timeline to scrub, H lists them all.\n"
      "Examples:\n"
      "  crashcourse replay runs/default --crash                   # the best policy's first crash\n"
      "  crashcourse replay runs/default --episode 7 --save ep7.episode\n"
      "  crashcourse replay ep7.episode --scenario scenarios/default.toml");
  return [f] { return run_replay(*f); };
}

}  // namespace app
