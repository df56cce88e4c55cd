// A fixed amount of stepping for profilers: N envs on T threads take S VecEnv steps of the
// default scenario with 16 lidar rays and the benchmarks' wandering driver (as BM_VecEnvStep/fan16),
// R times.
// Wall time on a shared VM drifts by tens of percent; instruction and cache-miss counts under
// cachegrind do not, so two builds are compared by running this under valgrind (README,
// Performance) and subtracting a short run from a long one to drop the set-up.
//   build/bench/sim_probe ENVS THREADS STEPS [ROUNDS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "sim/scenario_loader.h"
#include "sim/vec_env.h"
#include "wandering_driver.h"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fputs("usage: sim_probe ENVS THREADS STEPS [ROUNDS]\n", stderr);
    return 2;
  }
  const int envs = std::max(1, std::atoi(argv[1]));
  const int threads = std::max(1, std::atoi(argv[2]));
  const long steps = std::max(1L, std::atol(argv[3]));
  const int rounds = argc > 4 ? std::max(1, std::atoi(argv[4])) : 1;

  const sim::LoadedScenario s = sim::load_scenario(std::string(CRASHCOURSE_SOURCE_DIR) + "/scenarios/default.toml");
  if (!s.ok()) {
    std::fputs(sim::format_diagnostics(s.diagnostics).c_str(), stderr);
    return 2;
  }
  auto scenario = std::make_shared<sim::Scenario>(*s.scenario);
  scenario->sensors.corridor_rays = 0;
  sim::VecEnv vec(scenario, s.track, envs, threads);
  bench::WanderingDriver driver(vec);
  long t = 0, episodes = 0;
  std::vector<double> rates;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    for (long k = 0; k < steps; ++k, ++t) {
      driver.step();
      episodes += driver.started();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rates.push_back(static_cast<double>(steps) * envs / seconds);
  }
  std::sort(rates.begin(), rates.end());
  std::printf("%d envs, %d threads, %d × %ld steps: best %.0f, median %.0f env-steps/s; %.1f steps per episode\n",
              envs, threads, rounds, steps, rates.back(), rates[rates.size() / 2],
              static_cast<double>(t) * envs / static_cast<double>(episodes + 1));
}
