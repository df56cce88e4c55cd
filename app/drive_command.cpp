// `crashcourse drive`: the scripted autopilot drives seeded episodes of a scenario on every core
// and reports what happened — crashes, near-misses, laps. A baseline for the learned policy, and
// a quick way to see a new scenario is drivable.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/commands.h"
#include "sim/autopilot.h"
#include "sim/scenario_loader.h"
#include "sim/vec_env.h"

namespace app {
namespace {

struct DriveOptions {
  std::string scenario = "scenarios/default.toml";
  int episodes = 64;
  int envs = 16;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::uint64_t seed = 1;
  float speed = 12.0f;
};

struct Totals {
  int episodes = 0, crashes = 0, laps_done = 0, near_misses = 0;
  double distance = 0.0, time = 0.0, lap_time = 0.0;
};

int run_drive(const DriveOptions& o) {
  const sim::LoadedScenario s = sim::load_scenario(o.scenario);
  if (!s.ok()) {
    std::fputs(sim::format_diagnostics(s.diagnostics).c_str(), stderr);
    return kExitBadInput;
  }
  sim::VecEnv vec(s.scenario, s.track, o.envs, o.threads);
  const std::size_t n = static_cast<std::size_t>(vec.num_slots());  // one row per agent car
  const int agents = vec.agents_per_env();
  std::vector<float> obs(n * static_cast<std::size_t>(vec.observation_size())), reward(n), actions(2 * n);
  std::vector<std::uint8_t> terminated(n), truncated(n), reset(n);
  std::vector<sim::StepInfo> info(n);
  const sim::VecStepOutput out{obs, reward, terminated, truncated, reset, info};
  vec.reset(o.seed, obs);

  const bool tty = isatty(fileno(stdout)) != 0;
  const float dt = s.scenario->episode.dt;
  const sim::AutopilotSpec pilot{o.speed, 10.0f, 0.0f};
  Totals t;
  std::int64_t steps = 0;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  double last_print = 0.0;

  std::printf("driving %s (%s, %.0f m) with the autopilot at %.0f m/s: %d episodes, %d envs, %d threads\n",
              o.scenario.c_str(), s.scenario->name.c_str(), static_cast<double>(s.track->length),
              static_cast<double>(o.speed), o.episodes, o.envs, vec.num_threads());
  while (t.episodes < o.episodes) {
    for (std::size_t i = 0; i < n; ++i) {
      const sim::Env& env = vec.env(static_cast<int>(i) / agents);
      if (env.done()) continue;
      const sim::CarControls c = sim::autopilot(env.world(), static_cast<int>(i) % agents, pilot);
      actions[2 * i] = c.steer;
      actions[2 * i + 1] = c.throttle;
    }
    vec.step(actions, out);
    steps += static_cast<std::int64_t>(n);
    for (std::size_t i = 0; i < n && t.episodes < o.episodes; ++i) {
      if (!terminated[i] && !truncated[i]) continue;
      const sim::EpisodeStats& e = info[i].episode;
      ++t.episodes;
      t.crashes += e.crashes > 0 ? 1 : 0;
      t.near_misses += e.near_misses;
      t.distance += e.distance;
      t.time += e.length * dt;
      if (e.cause == sim::EndCause::LapGoal) {
        ++t.laps_done;
        t.lap_time += e.length * dt / e.laps;
      }
    }
    const double now = elapsed();
    if (now - last_print > (tty ? 0.2 : 5.0) || t.episodes >= o.episodes) {
      last_print = now;
      std::printf("%sepisodes %d/%d  env-steps %lld  %.0f steps/s  crash rate %.2f  laps %d%s",
                  tty ? "\r" : "", t.episodes, o.episodes, static_cast<long long>(steps), steps / now,
                  t.episodes ? static_cast<double>(t.crashes) / t.episodes : 0.0, t.laps_done,
                  tty ? "   " : "\n");
      std::fflush(stdout);
    }
  }
  if (tty) std::printf("\n");
  const double km = t.distance / 1000.0;
  std::printf("\nresult over %d episodes:\n", t.episodes);
  std::printf("  crash rate            %.3f\n", static_cast<double>(t.crashes) / t.episodes);
  std::printf("  lap completion rate   %.3f\n", static_cast<double>(t.laps_done) / t.episodes);
  std::printf("  near-misses per km    %.2f\n", km > 0 ? t.near_misses / km : 0.0);
  std::printf("  mean speed            %.1f m/s\n", t.time > 0 ? t.distance / t.time : 0.0);
  if (t.laps_done > 0) std::printf("  mean lap time         %.1f s\n", t.lap_time / t.laps_done);
  return 0;
}

}  // namespace

std::function<int()> add_drive_command(CLI::App& cli) {
  auto o = std::make_shared<DriveOptions>();
  CLI::App* cmd = cli.add_subcommand("drive", "Drive a scenario with the scripted autopilot and report crashes, near-misses, laps");
  cmd->add_option("--scenario", o->scenario, "Scenario file")->capture_default_str()->check(CLI::ExistingFile);
  cmd->add_option("--episodes", o->episodes, "Episodes to drive")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--envs", o->envs, "Environments stepped together")->capture_default_str()->check(CLI::Range(1, 4096));
  cmd->add_option("--threads", o->threads, "Threads (default: every core)")->capture_default_str()->check(CLI::Range(1, 256));
  cmd->add_option("--seed", o->seed, "Seed of the random starts")->capture_default_str();
  cmd->add_option("--speed", o->speed, "Autopilot target speed, m/s")->capture_default_str()->check(CLI::Range(0.5, 80.0));
  cmd->footer("Example:\n  crashcourse drive --scenario scenarios/default.toml --episodes 100 --speed 15");
  return [o] { return run_drive(*o); };
}

}  // namespace app
