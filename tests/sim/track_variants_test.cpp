#include "sim/track_variants.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "sim/env.h"
#include "sim/vec_env.h"
#include "support/test_tracks.h"

namespace sim {
namespace {

using testing::load_or_fail;
using testing::oval_toml;

/// The tracks an env drives over `seeds` resets, by their address.
std::set<const Track*> tracks_driven(const LoadedScenario& s, int seeds) {
  Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  std::set<const Track*> seen;
  for (int seed = 0; seed < seeds; ++seed) {
    env.reset(static_cast<std::uint64_t>(seed), obs);
    seen.insert(env.world().track.get());
  }
  return seen;
}

TEST(TrackVariantsTest, ScenarioWithoutRandomisationHasNoVariants) {
  const LoadedScenario s = load_or_fail(oval_toml({}));
  EXPECT_TRUE(s.track->variants.empty());
  EXPECT_EQ(tracks_driven(s, 5), std::set<const Track*>{s.track.get()});
}

TEST(TrackVariantsTest, WidthVariantsCoverTheRangeEvenlyAndEpisodesPickThem) {
  const LoadedScenario s = load_or_fail(oval_toml({.extra = "[randomise]\ntrack_width = [0.8, 1.2]\nvariants = 4\n"}));
  ASSERT_EQ(s.track->variants.size(), 4u);
  const float expected[4] = {8.5f, 9.5f, 10.5f, 11.5f};  // half of 20 m × 0.85, 0.95, 1.05, 1.15
  for (std::size_t k = 0; k < 4; ++k) EXPECT_NEAR(s.track->variants[k]->half_width[0], expected[k], 1e-4f);
  EXPECT_EQ(tracks_driven(s, 40).size(), 4u);
  // Same seed, same variant.
  Env a(s.scenario, s.track), b(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(a.observation_size()));
  a.reset(17, obs);
  b.reset(17, obs);
  EXPECT_EQ(a.world().track, b.world().track);
}

TEST(TrackVariantsTest, ObstacleJitterMovesEachObstacleWithinTheJitter) {
  const LoadedScenario s = load_or_fail(oval_toml(
      {.extra = "[[obstacles]]\nshape = \"circle\"\ns = 100\nradius = 0.5\n[randomise]\nobstacle_jitter = 2\nvariants = 8\n"}));
  ASSERT_EQ(s.track->variants.size(), 8u);
  const b2Vec2 nominal = s.track->obstacles[0].position;  // the file's own track is untouched
  EXPECT_EQ(nominal.x, point_at(*s.track, 100.0f, 0.0f).x);
  std::set<float> xs;
  for (const auto& v : s.track->variants) {
    const b2Vec2 p = v->obstacles[0].position;  // on the straight: along the track is x, across is y
    EXPECT_LE(std::fabs(p.x - nominal.x), 2.0f + 1e-3f);
    EXPECT_LE(std::fabs(p.y - nominal.y), 2.0f + 1e-3f);
    xs.insert(p.x);
  }
  EXPECT_EQ(xs.size(), 8u);
}

TEST(TrackVariantsTest, AWidthRangeThatBreaksTheTrackIsReportedAtTheKey) {
  const LoadedScenario s = load_scenario_text(oval_toml({.width = 5.0f, .extra = "[randomise]\ntrack_width = [0.5, 1.0]\n"}),
                                              "w.toml");
  ASSERT_FALSE(s.ok());
  const std::string text = format_diagnostics(s.diagnostics);
  EXPECT_NE(text.find("randomise.track_width: expected randomisation that keeps the scenario valid, got a variant "
                      "(width x0.515625) where track.width: expected a track width of at least 2.8 m"),
            std::string::npos)
      << text;
}

constexpr const char* kProcedural = "[procedural]\npool = 4\nseed = 3\npoints = 8\nobstacles = 1\n"
                                    "[randomise]\ntyre_friction = [0.8, 1.1]\n[spawn]\ns = 10\ns_jitter = 40\n";

TEST(TrackVariantsTest, ProceduralPoolHoldsDifferentCircuitsPickedPerEpisode) {
  const LoadedScenario s = load_or_fail(kProcedural);
  ASSERT_EQ(s.track->variants.size(), 4u);
  std::set<float> lengths;
  for (const auto& v : s.track->variants) {
    lengths.insert(v->length);
    EXPECT_EQ(v->obstacles.size(), 1u);
  }
  EXPECT_EQ(lengths.size(), 4u);
  EXPECT_EQ(tracks_driven(s, 40).size(), 4u);
  // The pool depends on the values only: loading again gives the same circuits.
  const LoadedScenario again = load_or_fail(kProcedural);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(again.track->variants[k]->centre, s.track->variants[k]->centre);
}

TEST(TrackVariantsTest, ProceduralFalseStillNeedsATrack) {
  const LoadedScenario off = load_scenario_text("procedural = false\n", "p.toml");
  ASSERT_FALSE(off.ok());
  EXPECT_EQ(off.diagnostics[0].key_path, "track");
}

std::vector<std::uint64_t> vec_hashes(const LoadedScenario& s, int threads) {
  VecEnv vec(s.scenario, s.track, 6, threads);
  const std::size_t n = 6, d = static_cast<std::size_t>(vec.observation_size());
  std::vector<float> obs(n * d), reward(n), actions(n * 2);
  std::vector<std::uint8_t> terminated(n), truncated(n), reset(n);
  std::vector<StepInfo> info(n);
  vec.reset(42, obs);
  for (int t = 0; t < 150; ++t) {
    for (std::size_t i = 0; i < n; ++i) {
      actions[2 * i] = 0.3f * std::sin(0.07f * static_cast<float>(t) + static_cast<float>(i));
      actions[2 * i + 1] = 0.8f;
    }
    vec.step(actions, {obs, reward, terminated, truncated, reset, info});
  }
  std::vector<std::uint64_t> out;
  for (int i = 0; i < vec.num_envs(); ++i) out.push_back(hash_world(vec.env(i).world()));
  return out;
}

TEST(TrackVariantsTest, ProceduralAndRandomisedRunsAreTheSameOnAnyThreadCount) {
  const LoadedScenario s = load_or_fail(kProcedural);
  EXPECT_EQ(vec_hashes(s, 1), vec_hashes(s, 2));
  const LoadedScenario busy = load_or_fail(oval_toml(
      {.extra = "[[traffic]]\noffset = -4\nspeed = 7\nstart = 60\nstart_jitter = 30\n"
                "[[movers]]\nshape = \"circle\"\nradius = 0.6\npath = [[120, -9], [120, 9]]\nspeed = 3\n"
                "[randomise]\ntrack_width = [0.9, 1.1]\ntyre_friction = [0.7, 1.2]\ntraffic_speed = [0.8, 1.2]\n"
                "[spawn]\ns = 10\ns_jitter = 30\n"}));
  EXPECT_EQ(vec_hashes(busy, 1), vec_hashes(busy, 2));
}

}  // namespace
}  // namespace sim
