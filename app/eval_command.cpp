// `crashcourse eval`: a trained policy driven deterministically over N seeded episodes, on its
// own scenario or another one with the same sensors (to measure generalisation). Prints a table
// and writes eval.json, and a recording of every crash (eval-crashes/eval-EEEE.episode) to replay.
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "agent/checkpoint.h"
#include "agent/evaluation.h"
#include "app/commands.h"
#include "app/eval_json.h"
#include "app/run_folder.h"
#include "sim/episode_file.h"
#include "sim/observation.h"
#include "sim/scenario_loader.h"

namespace app {
namespace {

namespace fs = std::filesystem;

struct EvalOptions {
  std::string checkpoint;
  std::string scenario;
  std::string json;
  std::string crashes;
  int episodes = 100;
  std::uint64_t seed = 1000003;
  int threads = 0;
};

/// The recording of each crashing episode's first crash, as <dir>/eval-EEEE.episode (E: the
/// episode's index), replacing the recordings of an earlier evaluation there. Returns "" or what failed.
std::string write_crash_recordings(const agent::EvalResult& r, const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return dir.string() + ": cannot create the folder for crash recordings: " + ec.message();
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("eval-") && entry.path().extension() == ".episode") fs::remove(entry.path(), ec);
  }
  std::string last;
  for (const auto& [episode, recording] : r.crash_recordings) {
    char name[32];
    std::snprintf(name, sizeof name, "eval-%04d.episode", episode);
    last = (dir / name).string();
    try {
      sim::save_episode(last, recording);
    } catch (const sim::EpisodeFileError& e) {
      return e.what();
    }
  }
  std::printf("%zu of %d episodes crashed; their crashes are recorded in %s", r.crash_recordings.size(), r.episodes,
              dir.c_str());
  if (!last.empty()) std::printf(" (replay one: crashcourse replay %s)", last.c_str());
  std::printf("\n");
  return "";
}

int run_eval(const EvalOptions& o) {
  // A run folder stands for its best checkpoint (or its latest, before any evaluation).
  fs::path checkpoint_path = o.checkpoint;
  std::optional<RunFolder> run;
  if (fs::is_directory(checkpoint_path)) {
    run = RunFolder{checkpoint_path};
    checkpoint_path = fs::exists(run->best()) ? run->best() : run->latest();
  } else if (checkpoint_path.parent_path().filename() == "checkpoints") {
    const RunFolder candidate{checkpoint_path.parent_path().parent_path()};
    if (fs::exists(candidate.scenario())) run = candidate;
  }
  agent::CheckpointData ck;
  try {
    ck = agent::load_checkpoint(checkpoint_path.string());
  } catch (const agent::CheckpointError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitBadInput;
  }

  std::string scenario_path = o.scenario;
  if (scenario_path.empty()) {
    if (!run) {
      std::fprintf(stderr, "%s: expected --scenario FILE: this checkpoint is not inside a run folder, so its "
                           "scenario is unknown\n", checkpoint_path.c_str());
      return kExitBadInput;
    }
    scenario_path = run->scenario().string();
  }
  const sim::LoadedScenario scenario = sim::load_scenario(scenario_path);
  if (!scenario.ok()) {
    std::fputs(sim::format_diagnostics(scenario.diagnostics).c_str(), stderr);
    return kExitBadInput;
  }
  const std::string problems = agent::check_compatible(
      ck, checkpoint_path.string(),
      agent::CheckpointUse{scenario.scenario->name, scenario.scenario->fingerprint,
                           sim::observation_size(*scenario.scenario), sim::Env::kActionSize, ck.hidden, false});
  if (!problems.empty()) {
    std::fprintf(stderr, "%s\n(hint: a policy can drive another scenario only with the same sensors: ray count "
                         "and field of view)\n", problems.c_str());
    return kExitBadInput;
  }
  const bool same_scenario = ck.scenario_fingerprint == scenario.scenario->fingerprint;

  const agent::Policy policy = agent::make_policy_from_checkpoint(ck);
  agent::RunningNorm norm = ck.obs_norm;
  norm.frozen = true;
  const int threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const agent::EvalResult r = agent::evaluate_policy(scenario, policy, norm, {o.episodes, o.seed, threads, true});

  std::printf("policy   %s (trained on %s for %lld steps)\n", checkpoint_path.c_str(), ck.scenario_name.c_str(),
              static_cast<long long>(ck.global_step));
  std::printf("scenario %s (%s%s)\n", scenario_path.c_str(), scenario.scenario->name.c_str(),
              same_scenario ? "" : ", not the one it was trained on");
  std::printf("%d episodes from seed %llu, deterministic policy\n\n", r.episodes,
              static_cast<unsigned long long>(o.seed));
  std::printf("  %-20s %10.2f\n  %-20s %10.2f\n  %-20s %10.2f\n  %-20s %10.2f\n  %-20s %10.1f\n"
              "  %-20s %10.1f\n  %-20s %10.1f\n",
              "clean-lap rate", static_cast<double>(r.clean_lap_rate), "crash rate", static_cast<double>(r.crash_rate),
              "lap rate", static_cast<double>(r.lap_rate), "near-misses per km",
              static_cast<double>(r.near_misses_per_km), "mean lap time (s)", static_cast<double>(r.mean_lap_time),
              "mean speed (m/s)", static_cast<double>(r.mean_speed), "mean return", static_cast<double>(r.mean_return));

  const fs::path json_path = !o.json.empty() ? fs::path(o.json)
                             : run                ? run->dir / "eval.json"
                                                  : checkpoint_path.parent_path() / "eval.json";
  nlohmann::json j = {
      {"checkpoint", checkpoint_path.string()},
      {"trained_on", ck.scenario_name},
      {"trained_steps", ck.global_step},
      {"scenario", {{"file", scenario_path}, {"name", scenario.scenario->name}, {"same_as_training", same_scenario}}},
      {"seed", o.seed}};
  j.update(eval_json(r));
  if (const std::string error = write_file_atomically(json_path, j.dump(2) + "\n"); !error.empty()) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return kExitBadInput;
  }
  std::printf("\nwritten to %s\n", json_path.c_str());
  const fs::path crash_dir = !o.crashes.empty() ? fs::path(o.crashes) : json_path.parent_path() / "eval-crashes";
  if (const std::string error = write_crash_recordings(r, crash_dir); !error.empty()) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

std::function<int()> add_eval_command(CLI::App& cli) {
  auto o = std::make_shared<EvalOptions>();
  CLI::App* cmd = cli.add_subcommand("eval", "Evaluate a trained policy over seeded episodes");
  cmd->add_option("--checkpoint", o->checkpoint, "Checkpoint file, or a run folder (its best checkpoint)")
      ->required()->check(CLI::ExistingPath);
  cmd->add_option("--scenario", o->scenario, "Scenario to drive (default: the run folder's own)");
  cmd->add_option("--episodes", o->episodes, "Episodes, each from its own seeded random start")
      ->capture_default_str()->check(CLI::Range(1, 100000));
  cmd->add_option("--seed", o->seed, "Seed of the starts")->capture_default_str();
  cmd->add_option("--threads", o->threads, "Threads (0: every core)")->capture_default_str()->check(CLI::Range(0, 256));
  cmd->add_option("--json", o->json, "Where to write the results (default: eval.json in the run folder)");
  cmd->add_option("--crashes", o->crashes,
                  "Folder for the crashing episodes' recordings (default: eval-crashes/ beside the results)");
  cmd->footer(
      "Examples:\n"
      "  crashcourse eval --checkpoint runs/default                       # the run's best policy on its scenario\n"
      "  crashcourse eval --checkpoint runs/oval/checkpoints/latest.ckpt --scenario scenarios/default.toml");
  return [o] { return run_eval(*o); };
}

}  // namespace app
