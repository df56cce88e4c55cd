// libFuzzer target for the scenario loader: any bytes given as a scenario file must end in either
// a loaded scenario or diagnostics, never a crash, a hang or a sanitizer report. A scenario that
// loads is then built into an Env and driven for a few steps, so the checks the loader makes are
// tested against what the simulation needs.
//   bash scripts/fuzz.sh [SECONDS]        (builds with clang into build-fuzz and runs)
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/env.h"
#include "sim/scenario_loader.h"
#include "sim/scenario_parser.h"

// Loading builds every track variant and every circuit of a procedural pool, each in
// milliseconds (a circuit may take up to 300 candidates): work that grows with
// `randomise.variants` (≤ 256) and `procedural.pool` (≤ 1024) by design. Under the sanitizers a
// large pool takes minutes, which libFuzzer would report as a hang; the loader's handling of
// these keys does not depend on their size, so inputs that use larger values are not tried
// (tests/fuzz/seeds/procedural_pool_of_two.toml starts the fuzzer with a small pool).
constexpr int kMaxFuzzedPool = 2;
constexpr int kMaxFuzzedVariants = 8;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const sim::ParseResult parsed = sim::parse_scenario(text, "fuzz.toml"); parsed.ok()) {
    const sim::Scenario& sc = parsed.scenario;
    if (sc.procedural.enabled && sc.procedural.pool > kMaxFuzzedPool) return 0;
    if (sc.randomise.randomises_track() && sc.randomise.variants > kMaxFuzzedVariants) return 0;
  }
  const sim::LoadedScenario loaded = sim::load_scenario_text(text, "fuzz.toml");
  if (!loaded.ok()) {
    if (sim::format_diagnostics(loaded.diagnostics).empty()) __builtin_trap();  // errors must say something
    return 0;
  }
  sim::Env env(loaded.scenario, loaded.track);
  const std::size_t agents = static_cast<std::size_t>(env.agents());
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()) * agents);
  std::vector<float> actions(2 * agents, 0.3f);
  for (std::size_t a = 0; a < agents; ++a) actions[2 * a + 1] = 1.0f;
  std::vector<sim::StepResult> results(agents);
  env.reset(1, obs);
  for (int step = 0; step < 30 && !env.done(); ++step) env.step(actions, obs, results);
  return 0;
}
