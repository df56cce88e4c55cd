// Scenarios built in code for track and track-check tests: circles, a kidney, mirror images.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "sim/scenario.h"
#include "sim/track.h"

namespace sim::testing {

inline constexpr float kPi = 3.14159265f;

inline Scenario make_scenario(const std::vector<b2Vec2>& points, float width) {
  Scenario sc;
  sc.file = "test.toml";
  sc.track.points = points;
  sc.track.widths.assign(points.size(), width);
  sc.track.sample_spacing = 1.0f;
  return sc;
}

/// n control points on a circle of radius r around the origin, counter-clockwise or clockwise.
inline std::vector<b2Vec2> circle_points(float r, int n, bool ccw = true) {
  std::vector<b2Vec2> p;
  for (int k = 0; k < n; ++k) {
    const float a = 2.0f * kPi * static_cast<float>(k) / static_cast<float>(n);
    p.push_back({r * std::cos(a), (ccw ? 1.0f : -1.0f) * r * std::sin(a)});
  }
  return p;
}

/// A lopsided loop with left and right turns and straights: a general test track (~330 m).
inline std::vector<b2Vec2> kidney_points() {
  return {{0, 0},    {40, -5},  {80, 0},   {100, 20}, {95, 50}, {70, 60},
          {55, 45},  {40, 42},  {20, 60},  {-5, 55},  {-20, 30}};
}

inline std::vector<b2Vec2> mirrored(std::vector<b2Vec2> p) {
  for (b2Vec2& v : p) v.y = -v.y;
  return p;
}

inline bool has_key(const std::vector<Diagnostic>& ds, const std::string& key, const std::string& words) {
  return std::any_of(ds.begin(), ds.end(), [&](const Diagnostic& d) {
    return d.key_path == key && d.message.find(words) != std::string::npos &&
           d.message.find("expected") != std::string::npos && d.file == "test.toml";
  });
}

inline bool has_key_prefix(const std::vector<Diagnostic>& ds, const std::string& prefix,
                    const std::string& words) {
  return std::any_of(ds.begin(), ds.end(), [&](const Diagnostic& d) {
    return d.key_path.rfind(prefix, 0) == 0 && d.message.find(words) != std::string::npos;
  });
}

inline std::vector<Diagnostic> check(const Scenario& sc) {
  const Track track = build_track(sc);
  std::vector<Diagnostic> ds;
  check_track(sc, track, ds);
  return ds;
}


}  // namespace sim::testing
