// The tracks an env drives, built once at load: the scenario's own track, and the variants an env
// picks one of at each reset — copies with a randomised width scale and obstacle positions
// ([randomise] track_width, obstacle_jitter), or a pool of generated circuits ([procedural]).
// Rebuilding a track and its grid at every reset would cost more than the episode's first
// hundred steps; a pool built once costs nothing per episode, and every variant is checked like
// the file's own track, so no episode can start on a broken one.
#pragma once

#include <memory>
#include <vector>

#include "sim/diagnostics.h"
#include "sim/scenario.h"
#include "sim/track.h"

namespace sim {

/// Builds and checks the scenario's track and, when it randomises its track or is procedural,
/// every variant (Track::variants). Problems are appended to `out`; the result is then null.
std::shared_ptr<const Track> build_episode_tracks(const Scenario& scenario, std::vector<Diagnostic>& out);

}  // namespace sim
