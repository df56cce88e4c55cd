// What a build computes, step by step, so that two builds can be compared for equal results (a
// speed-up that should change nothing): ENVS envs of SCENARIO on one thread, driven by the
// benchmarks' wandering driver; one line per VecEnv step with the hash of every slot's
// observation, reward and flags, bit for bit. scripts/same_results.sh compares this build with
// another revision's.
//   build/bench/trajectory_dump SCENARIO [STEPS (default 3000)] [ENVS (default 8)]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "sim/scenario_loader.h"
#include "sim/vec_env.h"
#include "wandering_driver.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs("usage: trajectory_dump SCENARIO [STEPS] [ENVS]\n", stderr);
    return 2;
  }
  const sim::LoadedScenario s = sim::load_scenario(argv[1]);
  if (!s.ok()) {
    std::fputs(sim::format_diagnostics(s.diagnostics).c_str(), stderr);
    return 2;
  }
  const long steps = argc > 2 ? std::max(1L, std::atol(argv[2])) : 3000;
  const int envs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 8;
  sim::VecEnv vec(std::make_shared<sim::Scenario>(*s.scenario), s.track, envs, 1);
  bench::WanderingDriver driver(vec);
  for (long t = 0; t < steps; ++t) {
    driver.step();
    std::printf("%ld %016llx\n", t, static_cast<unsigned long long>(driver.output_hash()));
  }
}
