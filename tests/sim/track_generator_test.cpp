// Procedural tracks: every seed gives a scenario that loads (closed, not self-intersecting,
// drivable, obstacles clear of each other and of the start), the same seed the same file, and
// the parameters shape what comes out.
#include "sim/track_generator.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "sim/scenario_loader.h"

namespace sim {
namespace {

TEST(TrackGeneratorTest, AThousandSeedsAllGiveValidScenarios) {
  const GeneratorParams params;
  std::set<std::string> distinct;
  int attempts = 0;
  for (std::uint64_t seed = 0; seed < 1000; ++seed) {
    const GeneratedScenario g = generate_scenario(seed, params);
    const LoadedScenario s = load_scenario_text(g.toml, "seed " + std::to_string(seed));
    ASSERT_TRUE(s.ok()) << format_diagnostics(s.diagnostics) << "\n" << g.toml;
    EXPECT_EQ(s.scenario->obstacles.size(), 3u);
    EXPECT_NEAR(s.track->length, g.length, 1e-3f);
    EXPECT_GT(s.track->length, 200.0f) << "seed " << seed;
    distinct.insert(g.toml);
    attempts += g.attempts;
  }
  EXPECT_EQ(distinct.size(), 1000u) << "seeds gave the same track";
  EXPECT_LT(attempts, 3000) << "the generator wastes most of its candidates";
}

TEST(TrackGeneratorTest, TheSameSeedGivesTheSameFile) {
  EXPECT_EQ(generate_scenario(42, {}).toml, generate_scenario(42, {}).toml);
  EXPECT_NE(generate_scenario(42, {}).toml, generate_scenario(43, {}).toml);
}

TEST(TrackGeneratorTest, ParametersShapeTheTrack) {
  GeneratorParams big;
  big.radius = 200.0f;
  big.obstacles = 7;
  big.width = 14.0f;
  const LoadedScenario s = load_scenario_text(generate_scenario(5, big).toml, "big");
  ASSERT_TRUE(s.ok()) << format_diagnostics(s.diagnostics);
  EXPECT_GT(s.track->length, 2.0f * 3.14159f * 200.0f * 0.6f);
  EXPECT_EQ(s.scenario->obstacles.size(), 7u);
  EXPECT_FLOAT_EQ(s.track->half_width[0], 7.0f);
}

TEST(TrackGeneratorTest, ImpossibleParametersAreRefusedWithAReason) {
  GeneratorParams impossible;
  impossible.radius = 12.0f;
  impossible.width = 30.0f;
  EXPECT_THROW(generate_scenario(1, impossible), std::runtime_error);
}

}  // namespace
}  // namespace sim
