// Track variants and procedural pools (see track_variants.h).
#include "sim/track_variants.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "sim/rng.h"
#include "sim/scenario_parser.h"
#include "sim/toml_reader.h"
#include "sim/track_generator.h"

namespace sim {
namespace {

constexpr std::uint64_t kVariantSeed = 0x56415249414E54ull;  // variants depend on the values only
constexpr int kJitterTries = 32;  // obstacle layouts drawn per variant before giving up

void report(const Scenario& sc, std::vector<Diagnostic>& out, const std::string& key, std::string message,
            std::string hint) {
  out.push_back({sc.file, sc.source.locate(key), key, std::move(message), std::move(hint)});
}

std::string first_problem(const std::vector<Diagnostic>& diags) {
  const Diagnostic& d = diags.front();
  return d.key_path + ": " + d.message;
}

/// A copy of the scenario with its widths scaled and its obstacles moved by up to ± jitter.
Scenario randomised_copy(const Scenario& sc, float width_scale, Rng& rng) {
  Scenario v = sc;
  for (float& w : v.track.widths) w *= width_scale;
  const float j = sc.randomise.obstacle_jitter;
  if (j <= 0.0f) return v;
  for (ObstacleSpec& o : v.obstacles) {
    const float dx = rng.uniform(-j, j), dy = rng.uniform(-j, j);
    if (o.track_relative) {
      o.s = std::max(0.0f, o.s + dx);
      o.offset += dy;
    } else {
      o.position += b2Vec2(dx, dy);
    }
  }
  return v;
}

/// Variant k of `variants` has the width scale at the middle of the k-th of `variants` equal
/// slices of the range (stratified: the range is covered evenly whatever the count), and an
/// obstacle layout drawn until it passes the checks.
bool add_randomised_variants(const Scenario& sc, Track& base, std::vector<Diagnostic>& out) {
  const RandomiseSpec& r = sc.randomise;
  Rng rng(kVariantSeed);
  for (int k = 0; k < r.variants; ++k) {
    const float f = (static_cast<float>(k) + 0.5f) / static_cast<float>(r.variants);
    const float scale = r.track_width[0] + f * (r.track_width[1] - r.track_width[0]);
    std::vector<Diagnostic> problems;
    for (int attempt = 0; attempt < kJitterTries; ++attempt) {
      problems.clear();
      const Scenario v = randomised_copy(sc, scale, rng);
      auto track = std::make_shared<Track>(build_track(v));
      check_track(v, *track, problems);
      if (problems.empty()) {
        base.variants.push_back(std::move(track));
        break;
      }
      if (r.obstacle_jitter <= 0.0f) break;  // only the width changed: drawing again cannot help
    }
    if (!problems.empty()) {
      const bool width = r.obstacle_jitter <= 0.0f;
      report(sc, out, width ? "randomise.track_width" : "randomise.obstacle_jitter",
             "expected randomisation that keeps the scenario valid, got a variant (width x" +
                 format_number(scale, false) + ") where " + first_problem(problems),
             width ? "narrow the track_width range" : "lower obstacle_jitter or narrow the track_width range");
      return false;
    }
  }
  return true;
}

/// The pool: circuit k generated from derive_seed(seed, k), with the scenario's car, spawn,
/// traffic and episode settings, checked like any track.
std::shared_ptr<const Track> build_pool(const Scenario& sc, std::vector<Diagnostic>& out) {
  const ProceduralSpec& p = sc.procedural;
  std::vector<std::shared_ptr<const Track>> pool;
  for (int k = 0; k < p.pool; ++k) {
    const std::uint64_t seed = derive_seed(p.seed, static_cast<std::uint64_t>(k));
    GeneratedScenario generated;
    try {
      generated = generate_scenario(seed, p.params);
    } catch (const std::runtime_error& e) {
      report(sc, out, "procedural", std::string("expected generator parameters that make circuits, got: ") + e.what(),
             "see the [procedural] keys in scenarios/README.md");
      return nullptr;
    }
    const ParseResult parsed = parse_scenario(generated.toml, "generated");
    Scenario v = sc;
    v.track = parsed.scenario.track;
    v.obstacles = parsed.scenario.obstacles;
    auto track = std::make_shared<Track>(build_track(v));
    std::vector<Diagnostic> problems;
    check_track(v, *track, problems);
    if (!problems.empty()) {
      report(sc, out, "procedural",
             "expected every circuit of the pool to pass the scenario's checks, got circuit " + std::to_string(k) +
                 " where " + first_problem(problems),
             "the spawn, car and traffic must suit every circuit: e.g. spawn.s_jitter at most half the "
             "shortest lap, traffic offsets inside the narrowest road");
      return nullptr;
    }
    pool.push_back(std::move(track));
  }
  auto base = std::make_shared<Track>(*pool.front());
  base->variants = std::move(pool);
  return base;
}

}  // namespace

std::shared_ptr<const Track> build_episode_tracks(const Scenario& sc, std::vector<Diagnostic>& out) {
  if (sc.procedural.enabled) return build_pool(sc, out);
  auto track = std::make_shared<Track>(build_track(sc));
  const std::size_t before = out.size();
  check_track(sc, *track, out);
  if (out.size() != before) return nullptr;
  if (sc.randomise.randomises_track() && !add_randomised_variants(sc, *track, out)) return nullptr;
  return track;
}

}  // namespace sim
