// Reads a scenario from TOML text into a Scenario, checking every key and value on the way.
// Reports all problems at once as Diagnostics (file:line:col, key path, expected/got, hint).
// Geometry that needs the built track is checked afterwards by check_track (track.h);
// scenario_loader.h runs both.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/scenario.h"

namespace sim {

struct ParseResult {
  Scenario scenario;                    ///< meaningful only when diagnostics is empty
  std::vector<Diagnostic> diagnostics;
  bool ok() const { return diagnostics.empty(); }
};

/// Parses scenario TOML. `file` is only used to label diagnostics and is stored in Scenario::file.
ParseResult parse_scenario(std::string_view text, const std::string& file);

}  // namespace sim
