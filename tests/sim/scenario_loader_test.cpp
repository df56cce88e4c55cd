// The scenario library: every file in scenarios/ loads, and the autopilot can drive each one.
#include "sim/scenario_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/autopilot.h"
#include "sim/env.h"

namespace sim {
namespace {

std::vector<std::string> library_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CRASHCOURSE_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ScenarioLoaderTest, TheLibraryHoldsTheNewScenarios) {
  std::vector<std::string> names;
  for (const std::string& f : library_files()) names.push_back(std::filesystem::path(f).stem().string());
  for (const char* name : {"default", "oval", "slalom", "overtake", "crossing", "procedural", "multi_agent"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
}

TEST(ScenarioLoaderTest, EveryLibraryScenarioLoadsAndTheAutopilotDrivesIt) {
  for (const std::string& file : library_files()) {
    SCOPED_TRACE(file);
    const LoadedScenario s = load_scenario(file);
    ASSERT_TRUE(s.ok()) << format_diagnostics(s.diagnostics);
    Env env(s.scenario, s.track);
    const std::size_t agents = static_cast<std::size_t>(env.agents());
    std::vector<float> obs(static_cast<std::size_t>(env.observation_size()) * agents), actions(2 * agents);
    std::vector<StepResult> results(agents);
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      env.reset(seed, obs);
      for (int k = 0; k < 300 && !env.done(); ++k) {
        for (std::size_t a = 0; a < agents; ++a) {
          const CarControls c = autopilot(env.world(), static_cast<int>(a), AutopilotSpec{10.0f, 10.0f, 0.0f});
          actions[2 * a] = c.steer;
          actions[2 * a + 1] = c.throttle;
        }
        env.step(actions, obs, results);
      }
      for (int a = 0; a < env.agents(); ++a) {
        EXPECT_NE(env.episode(a).cause, EndCause::NonFinite);
        EXPECT_NE(env.episode(a).cause, EndCause::OffTrack);
      }
      EXPECT_GT(env.episode().distance, 20.0f) << "seed " << seed;
    }
  }
}

TEST(ScenarioLoaderTest, AMissingFileIsADiagnostic) {
  const LoadedScenario s = load_scenario("/nonexistent/x.toml");
  ASSERT_EQ(s.diagnostics.size(), 1u);
  EXPECT_NE(s.diagnostics[0].message.find("cannot open scenario file"), std::string::npos);
}

}  // namespace
}  // namespace sim
