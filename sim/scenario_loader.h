// The one entry point for reading a scenario file: read, parse, build the track, check geometry.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/scenario.h"
#include "sim/track.h"

namespace sim {

/// A scenario with its built track; both immutable and shared by every env that runs it.
struct LoadedScenario {
  std::shared_ptr<const Scenario> scenario;
  std::shared_ptr<const Track> track;
  std::vector<Diagnostic> diagnostics;  ///< empty on success
  bool ok() const { return diagnostics.empty(); }
};

/// Loads and fully validates the scenario at `path`. A missing or unreadable file is a diagnostic.
LoadedScenario load_scenario(const std::string& path);

/// The same for text already in memory (tests, the editor). `file` labels the diagnostics.
LoadedScenario load_scenario_text(std::string_view text, const std::string& file);

}  // namespace sim
