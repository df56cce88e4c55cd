// TrainingRun (see training_run.h): the loop of `crashcourse train`, and what it writes.
#include "app/training_run.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <span>
#include <string_view>
#include <vector>

#include "agent/es_trainer.h"
#include "agent/evaluation.h"
#include "agent/trainer.h"
#include "app/crash_recordings.h"
#include "app/eval_json.h"
#include "app/progress_line.h"
#include "app/run_curves.h"
#include "app/stop_signal.h"
#include "report/crash_heatmap.h"
#include "report/learning_curve.h"

namespace app {
namespace {

using Clock = std::chrono::steady_clock;

/// Episodes the evaluation gate's lap rate averages over (the time constant of an exponential
/// average: a few iterations' worth).
constexpr double kGateEpisodes = 32.0;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The value of a checkpoint metric, or `fallback`.
double metric(const agent::CheckpointData& c, std::string_view name, double fallback) {
  for (const auto& [key, value] : c.metrics) {
    if (key == name) return value;
  }
  return fallback;
}

/// Evaluations compare by clean-lap rate, then by return.
bool better(const agent::EvalResult& a, double best_clean, double best_return) {
  return a.clean_lap_rate > best_clean || (a.clean_lap_rate == best_clean && a.mean_return > best_return);
}

void print_eval(const char* label, std::int64_t step, const agent::EvalResult& r) {
  std::printf("%s at step %lld: clean laps %.2f  crash rate %.2f  lap rate %.2f  near-misses/km %.1f  "
              "lap time %.1f s  speed %.1f m/s  return %.1f\n",
              label, static_cast<long long>(step), static_cast<double>(r.clean_lap_rate),
              static_cast<double>(r.crash_rate), static_cast<double>(r.lap_rate),
              static_cast<double>(r.near_misses_per_km), static_cast<double>(r.mean_lap_time),
              static_cast<double>(r.mean_speed), static_cast<double>(r.mean_return));
}

/// What the plots are drawn from: the logs, kept in memory as they are written.
struct History {
  std::vector<std::vector<double>> metrics, evals, crashes;
};

std::string learning_curve(const History& h, const std::string& scenario_name) {
  const std::string avg = "training (mean of " + std::to_string(kCurveWindow) + " iterations)";
  std::vector<report::Panel> panels;
  panels.push_back({"Episode return", "return", {smoothed_metric(h.metrics, "mean_return", avg),
                                                  eval_points(h.evals, "mean_return", "evaluation")}, {}, {}});
  panels.push_back({"Crash rate", "episodes with a crash", {smoothed_metric(h.metrics, "crash_rate", avg),
                                                             eval_points(h.evals, "crash_rate", "evaluation")}, 0.0, 1.0});
  // The first iterations drive a few metres with many near-misses: a rate of hundreds per km
  // that would flatten the rest of the curve. The axis stops at 1.5 × the 95th percentile.
  report::Series near = smoothed_metric(h.metrics, "near_misses_per_km", avg);
  std::optional<double> near_top;
  if (near.y.size() >= 20) {
    std::vector<double> sorted = near.y;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() * 95 / 100), sorted.end());
    near_top = 1.5 * sorted[sorted.size() * 95 / 100];
  }
  panels.push_back({"Near-misses per km", "near-misses / km",
                    {near, eval_points(h.evals, "near_misses_per_km", "evaluation")}, 0.0, near_top});
  panels.push_back({"Laps", "fraction of episodes", {smoothed_metric(h.metrics, "lap_rate", "training lap rate"),
                                                     eval_points(h.evals, "clean_lap_rate", "evaluation: clean laps")},
                    0.0, 1.0});
  return report::learning_curve_svg("Learning curve: " + scenario_name, "env steps", panels);
}

std::string crash_heatmap(const History& h, const sim::Track& track, std::int64_t steps,
                          const std::string& scenario_name) {
  std::vector<report::CrashMark> marks;
  marks.reserve(h.crashes.size());
  for (const std::vector<double>& row : h.crashes) {
    marks.push_back({static_cast<float>(row[1]), static_cast<float>(row[2]), static_cast<std::int64_t>(row[0])});
  }
  return report::crash_heatmap_svg(track, marks, steps / 2, "Crashes in training: " + scenario_name);
}

/// The algorithm the config names, on the job's ranks.
std::unique_ptr<agent::Learner> make_learner(const TrainingRunSetup& setup) {
  const RunConfig& c = setup.config;
  if (c.algo == Algorithm::kEs) return std::make_unique<agent::EsTrainer>(setup.scenario, c.train, c.es, setup.comm);
  return std::make_unique<agent::Trainer>(setup.scenario, c.train, setup.comm);
}

}  // namespace

int run_training(const TrainingRunSetup& setup) {
  const RunConfig& config = setup.config;
  const RunFolder& run = setup.run;
  const sim::LoadedScenario& scenario = setup.scenario;
  const std::string& name = scenario.scenario->name;
  const Clock::time_point start = Clock::now();

  const std::unique_ptr<agent::Learner> learner = make_learner(setup);
  agent::Learner& trainer = *learner;
  agent::Communicator& comm = trainer.communicator();
  const bool root = comm.rank() == 0;  // rank 0 alone prints, evaluates and writes the run folder
  double time_before = 0.0;                 // s of training before this process (resumed runs)
  std::int64_t next_eval = config.eval.every;
  double gate_lap_rate = 0.0;               // lap rate of recent training episodes (see kGateEpisodes)
  double best_clean = -1.0, best_return = -1e300;
  History history;
  CrashRecordings recordings;               // replayable recordings of some of the crashes

  if (setup.resume) {
    const agent::CheckpointData& ck = *setup.resume;
    try {
      trainer.restore(ck, run.latest().string());
    } catch (const agent::CheckpointError& e) {
      std::fprintf(stderr, "%s\n", e.what());
      return 2;
    }
    if (trainer.done()) {
      if (root) std::printf("%s is complete: %lld of %lld steps trained (pass a larger --steps to train on)\n",
                  run.dir.c_str(), static_cast<long long>(ck.global_step),
                  static_cast<long long>(config.train.total_steps));
      return 0;
    }
    time_before = ck.elapsed_seconds;
  }
  if (setup.resume && root) {
    const agent::CheckpointData& ck = *setup.resume;
    next_eval = static_cast<std::int64_t>(metric(ck, "schedule.next_eval", static_cast<double>(next_eval)));
    gate_lap_rate = metric(ck, "schedule.gate_lap_rate", 0.0);
    best_clean = metric(ck, "best.clean_lap_rate", best_clean);
    best_return = metric(ck, "best.mean_return", best_return);
    // best.ckpt may be newer than latest.ckpt: never replace it with a worse one.
    try {
      if (std::filesystem::exists(run.best())) {
        const agent::CheckpointData best = agent::load_checkpoint(run.best().string());
        const double clean = metric(best, "best.clean_lap_rate", -1.0);
        const double ret = metric(best, "best.mean_return", -1e300);
        if (clean > best_clean || (clean == best_clean && ret > best_return)) {
          best_clean = clean;
          best_return = ret;
        }
      }
    } catch (const agent::CheckpointError& e) {
      std::fprintf(stderr, "warning: %s; it will be replaced by the next evaluation\n", e.what());
    }
    // Rows logged after the checkpoint are redone by this run.
    for (const std::string& error :
         {keep_rows_up_to(run.metrics(), kMetricsColumns, 0, static_cast<double>(ck.iteration)),
          keep_rows_up_to(run.evals(), kEvalColumns, 0, static_cast<double>(ck.global_step)),
          keep_rows_up_to(run.crashes(), kCrashColumns, 0, static_cast<double>(ck.global_step))}) {
      if (!error.empty()) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 2;
      }
    }
    std::string error;
    history.metrics = read_csv(run.metrics(), kMetricsColumns, error);
    if (error.empty()) history.evals = read_csv(run.evals(), kEvalColumns, error);
    if (error.empty()) history.crashes = read_csv(run.crashes(), kCrashColumns, error);
    if (error.empty()) error = recordings.resume(run.crash_recordings(), static_cast<std::int64_t>(history.crashes.size()));
    if (!error.empty()) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 2;
    }
    std::printf("resuming %s at step %lld (iteration %lld, %.0f s trained)\n", run.dir.c_str(),
                static_cast<long long>(ck.global_step), static_cast<long long>(ck.iteration), time_before);
  }

  CsvLog metrics_log, eval_log, crash_log;
  for (const std::string& error : {root ? metrics_log.open(run.metrics(), kMetricsColumns) : "",
                                   root ? eval_log.open(run.evals(), kEvalColumns) : "",
                                   root ? crash_log.open(run.crashes(), kCrashColumns) : ""}) {
    if (!error.empty()) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 1;
    }
  }

  const agent::TrainConfig& tc = config.train;
  const std::string config_text = run_config_toml(config);
  const agent::EvalConfig eval_config{config.eval.episodes, config.eval.seed, tc.threads};
  const std::int64_t steps_at_start = trainer.global_step();
  double eval_seconds = 0.0;
  auto seconds = [&] { return time_before + seconds_since(start); };
  auto samples_per_s = [&] {
    return static_cast<double>(trainer.global_step() - steps_at_start) /
           std::max(1e-9, seconds_since(start) - eval_seconds);
  };

  // The checkpoint of the trainer's current state, with what the schedule needs to continue.
  auto with_schedule = [&](agent::CheckpointData c, std::vector<std::pair<std::string, double>> extra) {
    c.elapsed_seconds = seconds();
    c.config_text = config_text;
    c.metrics = {{"schedule.next_eval", static_cast<double>(next_eval)},
                 {"schedule.gate_lap_rate", gate_lap_rate},
                 {"best.clean_lap_rate", best_clean},
                 {"best.mean_return", best_return}};
    c.metrics.insert(c.metrics.end(), extra.begin(), extra.end());
    return c;
  };
  std::string write_error;
  auto save = [&](const std::filesystem::path& path, const agent::CheckpointData& c) {
    try {
      agent::save_checkpoint(path.string(), c);
    } catch (const agent::CheckpointError& e) {
      if (write_error.empty()) write_error = e.what();
    }
  };
  // Collective on K > 1 ranks: every rank's envs go into latest.ckpt, which rank 0 writes.
  auto save_latest = [&] {
    if (std::optional<agent::CheckpointData> c = trainer.gather_checkpoint()) save(run.latest(), with_schedule(*c, {}));
  };
  auto write_plots = [&] {
    if (!root) return;
    for (const std::string& error :
         {recordings.save(run.crash_recordings()),
          write_file_atomically(run.learning_curve(), learning_curve(history, name)),
          write_file_atomically(run.crash_heatmap(),
                                crash_heatmap(history, *scenario.track, trainer.global_step(), name))}) {
      if (!error.empty() && write_error.empty()) write_error = error;
    }
  };

  std::optional<agent::EvalResult> last_eval;
  std::int64_t last_eval_step = -1;
  auto evaluate = [&](const char* label) {
    const Clock::time_point t0 = Clock::now();
    const agent::EvalResult r = agent::evaluate_policy(scenario, trainer.policy(), trainer.obs_norm(), eval_config);
    eval_seconds += seconds_since(t0);
    last_eval = r;
    last_eval_step = trainer.global_step();
    const std::vector<double> row = {static_cast<double>(trainer.global_step()), seconds(),
                                     static_cast<double>(r.episodes), r.clean_lap_rate, r.crash_rate, r.lap_rate,
                                     r.near_misses_per_km, r.mean_lap_time, r.mean_speed, r.mean_return};
    eval_log.append(row);
    history.evals.push_back(row);
    print_eval(label, trainer.global_step(), r);
    if (better(r, best_clean, best_return)) {
      best_clean = r.clean_lap_rate;
      best_return = r.mean_return;
      // On K > 1 ranks only rank 0's envs are at hand: best.ckpt is then a policy, not a resume point.
      agent::CheckpointData c = trainer.checkpoint();
      if (comm.size() > 1) c.resume.reset();
      save(run.best(), with_schedule(std::move(c), {{"eval.clean_lap_rate", r.clean_lap_rate}, {"eval.crash_rate", r.crash_rate},
                                   {"eval.step", static_cast<double>(trainer.global_step())}}));
    }
    return r;
  };

  const bool tty = ::isatty(::fileno(stdout)) != 0;
  ProgressLine progress(tc.total_steps, tty && root);
  if (root) {
    std::string ranks;
    if (comm.size() > 1) ranks = " on each of " + std::to_string(comm.size()) + " MPI ranks";
    const int agents = scenario.scenario->spawn.agents;
    const std::string envs = agents == 1 ? std::to_string(tc.envs) + " envs"
                                         : std::to_string(tc.envs) + " envs of " + std::to_string(agents) + " agents";
    char iteration[200];
    if (config.algo == Algorithm::kEs) {
      std::snprintf(iteration, sizeof iteration, "evolution strategies, %d pairs × %d episodes per generation",
                    config.es.pairs, config.es.episodes_per_member);
    } else {
      std::snprintf(iteration, sizeof iteration, "PPO, %s × %d steps per iteration", envs.c_str(), tc.rollout_steps);
    }
    std::printf("training %s (%s, %.0f m) for %lld steps: %s on %d threads%s, seed %llu\n"
                "run folder: %s\n",
                scenario.scenario->file.c_str(), name.c_str(), static_cast<double>(scenario.track->length),
                static_cast<long long>(tc.total_steps), iteration, tc.threads, ranks.c_str(),
                static_cast<unsigned long long>(tc.seed), run.dir.c_str());
    std::fflush(stdout);
  }

  install_stop_handlers(comm.size() == 1);
  int stopped_by = 0;
  bool root_failed = false;  // rank 0 could not write the run folder
  std::optional<std::pair<std::int64_t, double>> solved_at;  // step, s
  while (!trainer.done() && !solved_at) {
    const std::int64_t step_before = trainer.global_step();
    agent::IterationStats it = trainer.iterate();
    const agent::PpoStats& p = it.ppo;
    if (root) {
      const std::vector<double> row = {
          static_cast<double>(it.iteration), static_cast<double>(it.global_step), seconds(), samples_per_s(),
          static_cast<double>(it.episodes), it.mean_return, it.mean_length, it.crash_rate, it.near_misses_per_km,
          it.lap_rate, it.learning_rate, p.policy_loss, p.value_loss, p.entropy, p.approx_kl, p.clipfrac,
          p.explained_variance, p.grad_norm, it.comm_seconds, static_cast<double>(it.practice_episodes),
          it.practice_crash_rate, it.practice_fraction};
      metrics_log.append(row);
      history.metrics.push_back(row);
      for (agent::CrashEvent& c : it.crashes) {
        const std::vector<double> crash = {static_cast<double>(c.step), c.x, c.y, c.speed};
        crash_log.append(crash);
        history.crashes.push_back(crash);
        recordings.add(std::move(c.recording));
      }
      // An exponential average over episodes: one iteration ends only a few, too few to judge by.
      gate_lap_rate += (it.lap_rate - gate_lap_rate) * (1.0 - std::pow(1.0 - 1.0 / kGateEpisodes, it.episodes));
      progress.update(it, seconds(), samples_per_s());

      if (config.eval.every > 0 && it.global_step >= next_eval && gate_lap_rate >= config.eval.gate) {
        next_eval = it.global_step + config.eval.every;
        progress.break_line();
        const agent::EvalResult r = evaluate("  evaluation");
        if (config.eval.stop_when_solved && agent::is_solved(r, config.eval.solve_threshold)) {
          solved_at = {it.global_step, seconds()};
        }
      }
    }
    if (it.global_step / config.checkpoint_every != step_before / config.checkpoint_every) {
      save_latest();
      write_plots();
    }
    // Every rank stops after the same iteration: on a signal any rank got, or what rank 0 decided.
    const std::array<double, 3> mine = {static_cast<double>(stop_requested()), write_error.empty() ? 0.0 : 1.0,
                                        solved_at ? 1.0 : 0.0};
    const std::span<const double> all = comm.gather_all(mine);
    for (std::size_t k = 0; k < all.size(); k += mine.size()) {
      if (stopped_by == 0) stopped_by = static_cast<int>(all[k]);
    }
    if (!solved_at && all[2] != 0.0) solved_at = {it.global_step, seconds()};
    root_failed = all[1] != 0.0;
    if (root_failed || stopped_by != 0) break;
  }
  progress.break_line();

  if (root_failed) {
    if (!root) return 0;  // rank 0 reports it and ends the job
    std::fprintf(stderr, "%s\nstopped: the run folder cannot be written; the last checkpoint saved is intact\n",
                 write_error.c_str());
    return 1;
  }
  if (solved_at && root) {
    std::printf("solved after %lld env steps in %.1f s wall-clock (%.1f s of it evaluating)\n",
                static_cast<long long>(solved_at->first), solved_at->second, eval_seconds);
  }
  if (root && !stopped_by && last_eval_step != trainer.global_step()) evaluate("final evaluation");
  save_latest();
  write_plots();
  const std::vector<std::uint64_t> param_hashes = trainer.gather_param_hashes();
  // Rank 0 writes the summary; then every rank exits with its status together: a rank that exits
  // early with a non-zero status makes mpirun end the others, rank 0 perhaps mid-write.
  const auto finish = [&]() -> int {
    const char* status = stopped_by ? "interrupted" : solved_at ? "solved" : "finished";
    nlohmann::json summary = {
        {"status", status},
        {"scenario", {{"name", name}, {"file", run.scenario().string()}}},
        {"algo", algorithm_name(config.algo)},
        {"seed", tc.seed},
        {"steps", trainer.global_step()},
        {"total_steps", tc.total_steps},
        {"iterations", trainer.iteration()},
        {"seconds", seconds()},
        {"samples_per_s", std::round(samples_per_s())},
        {"solved", solved_at ? nlohmann::json{{"step", solved_at->first}, {"seconds", solved_at->second}}
                             : nlohmann::json(nullptr)},
        {"final_evaluation", last_eval ? eval_json(*last_eval) : nlohmann::json(nullptr)},
        {"best_evaluation", {{"clean_lap_rate", json_number(static_cast<float>(best_clean))},
                             {"mean_return", json_number(static_cast<float>(best_return))}}},
        {"checkpoints", {{"latest", run.latest().string()}, {"best", run.best().string()}}},
        {"ranks", {{"count", comm.size()}, {"params", trainer.policy().params.size()}, {"param_hashes", param_hashes}}}};
    if (best_clean < 0.0) summary["best_evaluation"] = nullptr;
    if (last_eval) summary["final_evaluation"]["step"] = last_eval_step;
    if (const std::string error = write_file_atomically(run.summary(), summary.dump(2) + "\n"); !error.empty()) {
      if (write_error.empty()) write_error = error;
    }
    if (!write_error.empty()) {
      std::fprintf(stderr, "%s\n", write_error.c_str());
      return 1;
    }

    std::printf("%lld env steps in %.1f s (%.0f samples/s including updates)\n",
                static_cast<long long>(trainer.global_step()), seconds(), samples_per_s());
    if (stopped_by) {
      std::string launcher;  // a run resumes on as many ranks as it ran on
      if (comm.size() > 1) launcher = "mpirun -np " + std::to_string(comm.size()) + " ";
      std::printf("stopped by signal %d at step %lld; checkpoint saved. Continue with:\n"
                  "  %scrashcourse train --resume %s\n",
                  stopped_by, static_cast<long long>(trainer.global_step()), launcher.c_str(), run.dir.c_str());
      return 128 + stopped_by;
    }
    std::printf("\nrun folder      %s\n"
                "summary         %s\n"
                "learning curve  %s\n"
                "crash heatmap   %s\n"
                "best policy     %s   (crashcourse eval --checkpoint %s)\n",
                run.dir.c_str(), run.summary().c_str(), run.learning_curve().c_str(), run.crash_heatmap().c_str(),
                run.best().c_str(), run.dir.c_str());
    return 0;
  };
  const std::array<double, 1> mine = {root ? static_cast<double>(finish()) : 0.0};
  return static_cast<int>(comm.gather_all(mine)[0]);
}

}  // namespace app
