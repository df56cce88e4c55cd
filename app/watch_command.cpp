// `crashcourse watch`: PPO trains at full speed on background threads while a window shows a
// spectator car driven by the latest policy snapshot, the training cars, the crash heatmap and
// the training curve. With --checkpoint it continues that run's training, or with --no-train
// only drives the checkpoint's policy.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agent/checkpoint.h"
#include "agent/trainer.h"
#include "app/commands.h"
#include "app/run_config.h"
#include "app/run_folder.h"
#include "app/stop_signal.h"
#include "sim/episode_file.h"
#include "sim/observation.h"
#include "sim/scenario_loader.h"
#include "view/background_trainer.h"
#include "view/cli_flags.h"
#include "view/viewer.h"
#include "view/watch_mode.h"

namespace app {
namespace {

namespace fs = std::filesystem;

struct WatchFlags {
  std::string scenario, checkpoint, save, speed = "1", window_priority = "idle";
  bool no_train = false;
  agent::TrainConfig train = default_run_config().train;
  std::uint64_t spectator_seed = 1000003;
  CLI::Option *steps = nullptr, *envs = nullptr, *threads = nullptr, *seed = nullptr;
  view::WindowOptions window;
};

int fail(const std::string& message, int status = kExitBadInput) {
  std::fprintf(stderr, "%s\n", message.c_str());
  return status;
}

/// A finished or interrupted run's training curve and crashes up to `step`, so the chart and the
/// heatmap start where the run was.
void load_run_history(const RunFolder& run, std::int64_t step, view::WatchMode& mode) {
  std::string error;
  const std::vector<std::vector<double>> metrics = read_csv(run.metrics(), kMetricsColumns, error);
  const std::vector<std::vector<double>> crashes = error.empty() ? read_csv(run.crashes(), kCrashColumns, error)
                                                                 : std::vector<std::vector<double>>{};
  if (!error.empty()) {
    std::fprintf(stderr, "warning: %s; the chart and heatmap start empty\n", error.c_str());
    return;
  }
  const auto col = [](const std::vector<std::string>& columns, const char* name) {
    return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
  };
  std::vector<view::IterationPoint> points;
  for (const std::vector<double>& row : metrics) {
    if (row[col(kMetricsColumns, "step")] > static_cast<double>(step)) break;
    points.push_back({static_cast<std::int64_t>(row[col(kMetricsColumns, "step")]),
                      static_cast<int>(row[col(kMetricsColumns, "episodes")]),
                      static_cast<float>(row[col(kMetricsColumns, "mean_return")]),
                      static_cast<float>(row[col(kMetricsColumns, "crash_rate")])});
  }
  std::vector<b2Vec2> crash_points;
  for (const std::vector<double>& row : crashes) {
    if (row[0] <= static_cast<double>(step)) crash_points.emplace_back(static_cast<float>(row[1]), static_cast<float>(row[2]));
  }
  mode.add_history(points, crash_points);

  // The run's crash recordings, oldest first, for a right-click on the heatmap to open.
  std::vector<fs::path> files;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(run.dir / "crashes", ec)) {
    if (entry.path().extension() == ".episode") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    try {
      sim::EpisodeFile recording = sim::load_episode(file.string());
      if (recording.crash && recording.crash->global_step <= step) mode.shelve(std::move(recording), file.string());
    } catch (const sim::EpisodeFileError& e) {
      std::fprintf(stderr, "warning: %s; skipped\n", e.what());
    }
  }
}

int run_watch(const WatchFlags& f) {
  // The checkpoint (a run folder stands for its latest checkpoint, or its best with --no-train)
  // and the scenario (the run's own unless --scenario says otherwise).
  fs::path ck_path = f.checkpoint;
  std::optional<RunFolder> run;
  if (!ck_path.empty() && fs::is_directory(ck_path)) {
    run = RunFolder{ck_path};
    ck_path = f.no_train && fs::exists(run->best()) ? run->best() : run->latest();
  } else if (!ck_path.empty() && ck_path.parent_path().filename() == "checkpoints" &&
             fs::exists(RunFolder{ck_path.parent_path().parent_path()}.scenario())) {
    run = RunFolder{ck_path.parent_path().parent_path()};
  }
  const std::string scenario_path = !f.scenario.empty() ? f.scenario
                                    : run               ? run->scenario().string()
                                                        : default_run_config().scenario;
  const sim::LoadedScenario scenario = sim::load_scenario(scenario_path);
  if (!scenario.ok()) return fail(sim::format_diagnostics(scenario.diagnostics));
  std::optional<agent::CheckpointData> ck;
  if (!ck_path.empty()) {
    try {
      ck = agent::load_checkpoint(ck_path.string());
    } catch (const agent::CheckpointError& e) {
      return fail(e.what());
    }
    const std::string problems = agent::check_compatible(
        *ck, ck_path.string(),
        {scenario.scenario->name, scenario.scenario->fingerprint, sim::observation_size(*scenario.scenario),
         sim::Env::kActionSize, ck->hidden, !f.no_train});
    if (!problems.empty()) return fail(problems);
  }

  // The training config: the checkpoint's own when continuing it, flags on top.
  RunConfig config = default_run_config();
  if (ck && !f.no_train) {
    if (ck->es) {
      return fail(ck_path.string() + ": expected a PPO checkpoint to continue training from, got one of evolution "
                                     "strategies, which watch does not train (hint: add --no-train to watch it drive, "
                                     "or continue it with crashcourse train --resume)");
    }
    if (!ck->resume || ck->config_text.empty()) {
      return fail(ck_path.string() + ": expected a checkpoint written by `crashcourse train` or `watch --save` to "
                                     "continue training from, got a policy only (hint: add --no-train to watch it drive)");
    }
    const RunConfigResult parsed = parse_run_config(ck->config_text, ck_path.string() + " (config)", config);
    if (!parsed.ok()) return fail(sim::format_diagnostics(parsed.diagnostics));
    config = parsed.config;
    for (CLI::Option* fixed : {f.envs, f.seed}) {
      if (fixed->count() > 0) {
        return fail(fixed->get_name() + " cannot change when training continues from a checkpoint (hint: its envs "
                                        "and seed are part of the run; --steps and --threads may change)");
      }
    }
  }
  if (f.steps->count() > 0) config.train.total_steps = f.train.total_steps;
  if (f.threads->count() > 0) config.train.threads = f.train.threads;
  if (f.envs->count() > 0) config.train.envs = f.train.envs;
  if (f.seed->count() > 0) config.train.seed = f.train.seed;
  if (config.train.threads == 0) config.train.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  view::WindowOptions window = f.window;
  window.title = "crashcourse watch: " + scenario.scenario->name;
  window.stop = [] { return stop_requested() != 0; };
  install_stop_handlers();
  const int speed = f.speed == "max" ? 3 : f.speed == "4" ? 2 : f.speed == "2" ? 1 : 0;
  // No display: say so before training starts. The connection is held until the window has its
  // own (see view/display.cpp).
  std::string problem;
  const std::unique_ptr<void, void (*)(void*)> display(view::open_display("watch", problem), view::close_display);
  if (display == nullptr) return fail(problem, 1);
  std::optional<view::Viewer> viewer;
  const auto open_window = [&] { return view::Viewer::open(viewer, window, scenario, "watch"); };

  if (f.no_train) {
    if (const std::string error = open_window(); !error.empty()) return fail(error, 1);
    const view::PolicySnapshot snapshot{agent::make_policy_from_checkpoint(*ck), ck->obs_norm, ck->global_step,
                                        ck->iteration, 0.0, 1};
    view::WatchMode mode(scenario, nullptr, snapshot, {f.spectator_seed, speed, ck_path.string(), ck->global_step});
    if (run) load_run_history(*run, ck->global_step, mode);
    std::printf("watching %s drive %s (no training)\n", ck_path.c_str(), scenario_path.c_str());
    std::fflush(stdout);
    return viewer->run(mode);
  }

  auto trainer = std::make_unique<agent::Trainer>(scenario, config.train);
  if (ck) {
    try {
      trainer->restore(*ck, ck_path.string());
    } catch (const agent::CheckpointError& e) {
      return fail(e.what());
    }
  }
  const std::int64_t first_step = trainer->global_step();
  const view::PolicySnapshot initial{trainer->policy(), trainer->obs_norm(), first_step, trainer->iteration(), 0.0, 0};
  view::BackgroundTrainer training(std::move(trainer), view::kTrainingCarsShown);
  view::WatchMode mode(scenario, &training.exchange(), initial, {f.spectator_seed, speed, "", 0});
  if (run) load_run_history(*run, first_step, mode);
  std::printf("training %s (%s) from step %lld to %lld: %d envs × %d steps per iteration on %d threads, seed %llu; "
              "close the window or press Ctrl-C to stop\n",
              scenario_path.c_str(), scenario.scenario->name.c_str(), static_cast<long long>(first_step),
              static_cast<long long>(config.train.total_steps), config.train.envs, config.train.rollout_steps,
              config.train.threads, static_cast<unsigned long long>(config.train.seed));
  if (first_step >= config.train.total_steps) {
    std::printf("the checkpoint has trained its %lld steps already: pass --steps to train on\n",
                static_cast<long long>(first_step));
  }
  std::fflush(stdout);
  // Training threads first; then the window, whose threads inherit its priority.
  training.start();
  window.idle_priority = f.window_priority == "idle";
  if (const std::string error = open_window(); !error.empty()) {
    training.stop();
    return fail(error, 1);
  }
  const int status = viewer->run(mode);
  training.stop();

  view::TrainingFeed feed;
  training.exchange().take_feed(feed);
  const view::TrainingStatus& s = feed.status;
  // Nothing published (the checkpoint had trained its steps already): still at first_step.
  const std::int64_t now = std::max(s.global_step, first_step);
  std::printf("trained %lld env steps in %.1f s with the window open: %.0f samples/s (now at step %lld); "
              "the window drew %d frames in %.1f s (%.1f fps)\n",
              static_cast<long long>(now - first_step), s.seconds, s.samples_per_s,
              static_cast<long long>(now), viewer->frames(), viewer->seconds(),
              viewer->frames() / std::max(viewer->seconds(), 1e-9));
  if (!f.save.empty()) {
    agent::CheckpointData c = training.trainer().checkpoint();
    c.config_text = run_config_toml(config);
    c.elapsed_seconds = (ck ? ck->elapsed_seconds : 0.0) + s.seconds;
    try {
      agent::save_checkpoint(f.save, c);
    } catch (const agent::CheckpointError& e) {
      return fail(e.what(), 1);
    }
    std::printf("saved to %s: watch it with `crashcourse watch --checkpoint %s --no-train`\n", f.save.c_str(),
                f.save.c_str());
  }
  return status;
}

}  // namespace

std::function<int()> add_watch_command(CLI::App& cli) {
  auto f = std::make_shared<WatchFlags>();
  CLI::App* cmd = cli.add_subcommand("watch", "Train with a window open: watch a spectator car learn as PPO runs");
  cmd->add_option("--scenario", f->scenario, "Scenario file (default: the checkpoint's run folder's, else "
                                             "scenarios/default.toml)");
  cmd->add_option("--checkpoint", f->checkpoint, "Continue training from this checkpoint or run folder (its latest)")
      ->check(CLI::ExistingPath);
  cmd->add_flag("--no-train", f->no_train, "Do not train: only drive the --checkpoint's policy (a run folder: its best)")
      ->needs(cmd->get_option("--checkpoint"));
  f->steps = cmd->add_option("--steps", f->train.total_steps, "Env steps to train for")
                 ->capture_default_str()->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 50));
  f->envs = cmd->add_option("--envs", f->train.envs, "Envs stepped together")->capture_default_str()->check(CLI::Range(1, 4096));
  f->threads = cmd->add_option("--threads", f->train.threads, "Training threads (0: every core)")
                   ->capture_default_str()->check(CLI::Range(0, 256));
  f->seed = cmd->add_option("--seed", f->train.seed, "Seed of training")->capture_default_str();
  cmd->add_option("--spectator-seed", f->spectator_seed, "Seed of the spectator's episodes (episode k starts as "
                                                         "evaluation episode k - 1)")->capture_default_str();
  cmd->add_option("--speed", f->speed, "Spectator speed at start")
      ->capture_default_str()->check(CLI::IsMember({"1", "2", "4", "max"}));
  cmd->add_option("--window-priority", f->window_priority,
                  "idle: the window draws only with CPU time training leaves (training at full speed; few "
                  "frames on a machine busy with other work); normal: it competes like any program")
      ->capture_default_str()->check(CLI::IsMember({"idle", "normal"}));
  cmd->add_option("--save", f->save, "When the window closes, save the trained policy and training state here");
  view::add_window_flags(cmd, f->window);
  cmd->footer(
      "Keys: H lists them all. Space pauses training, 1-4 set the spectator speed, N/P switch cars.\n"
      "Examples:\n"
      "  crashcourse watch --scenario scenarios/oval.toml\n"
      "  crashcourse watch --checkpoint runs/default --no-train            # the run's best policy drives\n"
      "  crashcourse watch --scenario scenarios/oval.toml --save oval.ckpt\n"
      "  xvfb-run -a crashcourse watch --frames 600 --screenshot watch.png # headless: 30 s at 20 fps (software GL)");
  return [f] { return run_watch(*f); };
}

}  // namespace app
