// Scenario text for tests: an oval of two straights and two semicircles, built in code so a test
// can say exactly where its walls and obstacles are. Straights run along y = 0 (eastward, s from 0)
// and y = 2R (westward); the loop is counter-clockwise, so the left wall is on the inside.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>

#include "sim/scenario_loader.h"

namespace sim::testing {

struct OvalOptions {
  float straight = 200.0f;  ///< m, length of each straight
  float radius = 40.0f;     ///< m, radius of the two bends
  float width = 20.0f;      ///< m
  bool mirrored = false;    ///< reflect y → −y (a clockwise loop)
  std::string extra;        ///< more TOML appended after [track] (obstacles, [spawn], [episode] ...)
};

/// TOML for the oval. Control points every 10 m along the straights and every 15° on the bends.
inline std::string oval_toml(const OvalOptions& o) {
  std::ostringstream t;
  t << "name = \"test oval\"\n[track]\nwidth = " << o.width << "\npoints = [\n";
  const float sign = o.mirrored ? -1.0f : 1.0f;
  auto point = [&](float x, float y) { t << "  [" << x << ", " << sign * y << "],\n"; };
  const float r = o.radius;
  const float pi = 3.14159265358979f;
  for (float x = 0.0f; x < o.straight; x += 10.0f) point(x, 0.0f);
  for (int k = 0; k < 12; ++k) {
    const float a = -0.5f * pi + pi * static_cast<float>(k) / 12.0f;
    point(o.straight + r * std::cos(a), r + r * std::sin(a));
  }
  for (float x = o.straight; x > 0.0f; x -= 10.0f) point(x, 2.0f * r);
  for (int k = 0; k < 12; ++k) {
    const float a = 0.5f * pi + pi * static_cast<float>(k) / 12.0f;
    point(r * std::cos(a), r + r * std::sin(a));
  }
  t << "]\n" << o.extra;
  return t.str();
}

/// Loads scenario text, failing the test with every diagnostic when it does not load.
inline LoadedScenario load_or_fail(const std::string& text) {
  LoadedScenario loaded = load_scenario_text(text, "test.toml");
  EXPECT_TRUE(loaded.ok()) << format_diagnostics(loaded.diagnostics);
  return loaded;
}

/// A short, wide oval (60 m straights, 40 m bends, 20 m wide). Cars start anywhere on the first
/// half of the lap, already rolling at 10 m/s with a little heading jitter: the untrained policy
/// (mean action ≈ 0) coasts straight on into a wall, so a driver has to learn to steer. Reward:
/// 1 per metre of progress, the default crash penalty; episodes of 10 s. The learning tests'
/// scenario.
inline LoadedScenario steering_oval() {
  return load_or_fail(oval_toml(OvalOptions{60.0f, 40.0f, 20.0f, false,
      "[spawn]\ns = 5\ns_jitter = 100\nlateral_jitter = 2\nheading_jitter_deg = 10\nspeed = 10\n"
      "[reward]\nprogress = 1.0\n[episode]\nmax_steps = 300\n"}));
}

}  // namespace sim::testing
