// Simulation throughput: env-steps per second on the default scenario, the full step included —
// physics, lidar, clearance, progress, reward, observation, resets. The default lidar is 16 fan
// rays + 3 corridor rays; the `fan16` variants drop the corridor rays (16 rays in all).
//   build/bench/sim_bench                      (all)
//   build/bench/sim_bench --benchmark_filter=VecEnv
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "sim/autopilot.h"
#include "sim/scenario_loader.h"
#include "sim/vec_env.h"
#include "wandering_driver.h"

namespace {

const sim::LoadedScenario& default_scenario() {
  static const sim::LoadedScenario loaded = [] {
    const std::string path = std::string(CRASHCOURSE_SOURCE_DIR) + "/scenarios/default.toml";
    sim::LoadedScenario s = sim::load_scenario(path);
    if (!s.ok()) {
      std::fputs(sim::format_diagnostics(s.diagnostics).c_str(), stderr);
      std::exit(2);
    }
    return s;
  }();
  return loaded;
}

/// One env driven round the track by the autopilot: the steady state of a car that is driving.
void BM_EnvStep_Autopilot(benchmark::State& state) {
  const sim::LoadedScenario& s = default_scenario();
  sim::Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  std::uint64_t seed = 1;
  env.reset(seed, obs);
  for (auto _ : state) {
    if (env.done()) env.reset(++seed, obs);
    const sim::CarControls c = sim::autopilot(env.world(), 0, sim::AutopilotSpec{});
    const float action[2] = {c.steer, c.throttle};
    benchmark::DoNotOptimize(env.step(action, obs));
  }
  state.counters["env_steps/s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                     benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EnvStep_Autopilot)->UseRealTime()->MinTime(3.0);

/// The default scenario with `corridor_rays` corridor rays instead of its own number.
std::shared_ptr<const sim::Scenario> with_corridor_rays(int corridor_rays) {
  auto copy = std::make_shared<sim::Scenario>(*default_scenario().scenario);
  copy->sensors.corridor_rays = corridor_rays;
  return copy;
}

/// N envs on T threads with seeded wandering actions (held for 10 steps): crashes and resets
/// happen as they do early in training. Arguments: {envs, threads}; corridor_rays < 0 keeps the
/// scenario's own lidar.
void BM_VecEnvStep(benchmark::State& state, int corridor_rays) {
  const sim::LoadedScenario& s = default_scenario();
  const int envs = static_cast<int>(state.range(0));
  const int threads = static_cast<int>(state.range(1));
  sim::VecEnv vec(corridor_rays < 0 ? s.scenario : with_corridor_rays(corridor_rays), s.track, envs,
                  threads);
  bench::WanderingDriver driver(vec);
  for (auto _ : state) driver.step();
  state.counters["env_steps/s"] = benchmark::Counter(static_cast<double>(state.iterations()) * envs,
                                                     benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_VecEnvStep, default, -1)
    ->Args({1, 1})->Args({8, 1})->Args({32, 1})->Args({64, 1})->Args({64, 2})
    ->UseRealTime()->MinTime(3.0);
BENCHMARK_CAPTURE(BM_VecEnvStep, fan16, 0)
    ->Args({1, 1})->Args({32, 1})->Args({64, 1})->Args({64, 2})
    ->UseRealTime()->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
