// Procedural tracks: a random closed circuit, written as an ordinary scenario file a person can
// read, edit and check like any other. Control points go round a centre at jittered angles and
// radii (so the loop turns one way overall and mixes fast sweepers with tight corners); cones and
// crates are dropped on the road away from the start. A candidate that fails the loader's checks
// (a self-intersection, a corner tighter than the half width, an obstacle blocking the road) is
// discarded and the next one drawn, so what comes out always loads. Same seed, same file.
#pragma once

#include <cstdint>
#include <string>

namespace sim {

struct GeneratorParams {
  int points = 12;                  ///< control points round the loop, [5, 64]
  float radius = 80.0f;             ///< m, mean distance of the control points from the centre
  float radius_jitter = 0.35f;      ///< each radius is radius × (1 ± this), [0, 0.8]
  float angle_jitter = 0.35f;       ///< each angle moves by ± this fraction of the even spacing, [0, 0.45]
  float width = 10.0f;              ///< m, road width
  int obstacles = 3;                ///< cones and crates on the road
};

struct GeneratedScenario {
  std::string toml;                 ///< the scenario file
  int attempts = 0;                 ///< candidates drawn until one passed every check
  float length = 0.0f;              ///< m, centreline length of the lap
};

/// A random scenario for `seed`; it passes load_scenario_text. Throws std::runtime_error when
/// 1,000 candidates in a row fail (parameters that cannot make a valid track, e.g. a road wider
/// than the corners allow).
GeneratedScenario generate_scenario(std::uint64_t seed, const GeneratorParams& params);

}  // namespace sim
