// Live validation for the editor: the document put through the real loader (sim::load_scenario_text
// on the text a save would write), its diagnostics placed in the world where they have a place
// (the control point, obstacle, spawn or waypoint they name, the point where a centreline crosses
// itself), and the scenario and track built even when the checks fail, so the canvas can show
// what is wrong.
#pragma once

#include <box2d/b2_math.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "editor/document.h"
#include "sim/diagnostics.h"
#include "sim/scenario_loader.h"

namespace editor {

struct Problem {
  sim::Diagnostic diagnostic;
  std::optional<b2Vec2> at;         ///< m, where to mark it on the canvas, when it has a place
};

struct Validation {
  std::vector<Problem> problems;    ///< the loader's diagnostics, in file order; empty: it loads
  sim::LoadedScenario loaded;       ///< what the loader gives when there are no problems (to drive)
  std::shared_ptr<const sim::Scenario> scenario;  ///< parsed, even with geometric problems; null when unparsable
  std::shared_ptr<const sim::Track> track;        ///< built from scenario
  /// The [[traffic]] entries were validated without: the simulator of this build does not read
  /// them (they are kept in the document and written on save all the same).
  bool traffic_ignored = false;

  bool ok() const { return problems.empty(); }
};

/// Validates the document as the file `file` (the name diagnostics carry).
Validation validate(const Document& doc, const std::string& file);

}  // namespace editor
