// load_scenario: read the file, parse and check values, build the track, check its geometry.
#include "sim/scenario_loader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sim/scenario_parser.h"
#include "sim/track_variants.h"

namespace sim {

LoadedScenario load_scenario_text(std::string_view text, const std::string& file) {
  LoadedScenario out;
  ParseResult parsed = parse_scenario(text, file);
  if (!parsed.ok()) {
    out.diagnostics = std::move(parsed.diagnostics);
    return out;
  }
  auto scenario = std::make_shared<const Scenario>(std::move(parsed.scenario));
  std::shared_ptr<const Track> track = build_episode_tracks(*scenario, out.diagnostics);
  if (out.diagnostics.empty()) {
    out.scenario = std::move(scenario);
    out.track = std::move(track);
  }
  return out;
}

LoadedScenario load_scenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadedScenario out;
    out.diagnostics.push_back(
        {path, {}, "", std::string("cannot open scenario file: ") + std::strerror(errno),
         "check the path; the scenarios/ folder holds the library"});
    return out;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_scenario_text(text.str(), path);
}

}  // namespace sim
