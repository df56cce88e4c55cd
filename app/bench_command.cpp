// `crashcourse bench`: the throughput figures of this machine — simulation env-steps per second
// (one env on one thread; N envs on every thread) and training samples per second with the PPO
// updates included. The Google Benchmark program bench/sim_bench measures the same steps with
// more statistics; this is the quick check a user runs.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "agent/trainer.h"
#include "app/commands.h"
#include "sim/rng.h"
#include "sim/scenario_loader.h"
#include "sim/vec_env.h"

namespace app {
namespace {

using Clock = std::chrono::steady_clock;

struct BenchOptions {
  std::string scenario = "scenarios/default.toml";
  double seconds = 3.0;
  int envs = 64;
  int threads = 0;
};

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// Env-steps per second of `envs` envs on `threads` threads, with seeded wandering actions (held
/// for 10 steps, as bench/sim_bench does), for about `seconds` after a short warm-up.
double sim_steps_per_second(const sim::LoadedScenario& s, int envs, int threads, double seconds) {
  sim::VecEnv vec(s.scenario, s.track, envs, threads);
  const std::size_t n = static_cast<std::size_t>(vec.num_slots());  // one row per agent car
  std::vector<float> obs(n * static_cast<std::size_t>(vec.observation_size())), reward(n), actions(n * 2);
  std::vector<std::uint8_t> terminated(n), truncated(n), reset(n);
  std::vector<sim::StepInfo> info(n);
  const sim::VecStepOutput out{obs, reward, terminated, truncated, reset, info};
  vec.reset(7, obs);
  sim::Rng rng(7);
  std::int64_t steps = 0;
  auto step = [&] {
    if (steps % 10 == 0) {
      for (std::size_t i = 0; i < n; ++i) {
        actions[2 * i] = rng.uniform(-0.6f, 0.6f);
        actions[2 * i + 1] = rng.uniform(0.2f, 0.8f);
      }
    }
    vec.step(actions, out);
    ++steps;
  };
  for (int k = 0; k < 200; ++k) step();
  const Clock::time_point t0 = Clock::now();
  const std::int64_t first = steps;
  while (since(t0) < seconds) {
    for (int k = 0; k < 100; ++k) step();
  }
  return static_cast<double>((steps - first) * vec.num_slots()) / since(t0);
}

/// Training samples per second (rollouts and PPO updates) with the default config.
double train_samples_per_second(const sim::LoadedScenario& s, int threads, double seconds) {
  agent::TrainConfig config;
  config.threads = threads;
  agent::Trainer trainer(s, config);
  trainer.iterate();  // warm-up
  const std::int64_t first = trainer.global_step();
  const Clock::time_point t0 = Clock::now();
  while (since(t0) < seconds) trainer.iterate();
  return static_cast<double>(trainer.global_step() - first) / since(t0);
}

int run_bench(const BenchOptions& o) {
  const sim::LoadedScenario s = sim::load_scenario(o.scenario);
  if (!s.ok()) {
    std::fputs(sim::format_diagnostics(s.diagnostics).c_str(), stderr);
    return kExitBadInput;
  }
  const int threads = o.threads > 0 ? o.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::printf("%s (%s): %d rays, %.0f m track; %.1f s per measurement\n", o.scenario.c_str(),
              s.scenario->name.c_str(), s.scenario->sensors.rays, static_cast<double>(s.track->length), o.seconds);
  std::fflush(stdout);
  const double one = sim_steps_per_second(s, 1, 1, o.seconds);
  std::printf("  %-44s %9.0f env-steps/s\n", "simulation, 1 env on 1 thread", one);
  std::fflush(stdout);
  const double many = sim_steps_per_second(s, o.envs, threads, o.seconds);
  const std::string label = "simulation, " + std::to_string(o.envs) + " envs on " + std::to_string(threads) + " threads";
  std::printf("  %-44s %9.0f env-steps/s (%.2fx the first)\n", label.c_str(), many, many / one);
  std::fflush(stdout);
  const double train = train_samples_per_second(s, threads, o.seconds);
  const std::string train_label = "training (PPO, default config), " + std::to_string(threads) + " threads";
  std::printf("  %-44s %9.0f samples/s, updates included\n", train_label.c_str(), train);
  return 0;
}

}  // namespace

std::function<int()> add_bench_command(CLI::App& cli) {
  auto o = std::make_shared<BenchOptions>();
  CLI::App* cmd = cli.add_subcommand("bench", "Measure simulation and training throughput on this machine");
  cmd->add_option("--scenario", o->scenario, "Scenario to step")->capture_default_str();
  cmd->add_option("--seconds", o->seconds, "Seconds per measurement")->capture_default_str()->check(CLI::Range(0.1, 600.0));
  cmd->add_option("--envs", o->envs, "Envs for the multi-thread measurement")->capture_default_str()->check(CLI::Range(1, 4096));
  cmd->add_option("--threads", o->threads, "Threads (0: every core)")->capture_default_str()->check(CLI::Range(0, 256));
  cmd->footer("Example:\n  crashcourse bench --seconds 5");
  return [o] { return run_bench(*o); };
}

}  // namespace app
