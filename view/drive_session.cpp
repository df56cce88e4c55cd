// Episode after episode of one car (and the other agents), with marks and lap times (see drive_session.h).
#include "view/drive_session.h"

#include <algorithm>

#include "sim/rng.h"

namespace view {

DriveSession::DriveSession(const sim::LoadedScenario& scenario, std::uint64_t seed, int end_hold_steps)
    : env_(scenario.scenario, scenario.track), seed_(seed), end_hold_steps_(std::max(0, end_hold_steps)),
      obs_(static_cast<std::size_t>(env_.observation_size() * env_.agents())),
      results_(static_cast<std::size_t>(env_.agents())) {
  start_episode();
}

void DriveSession::start_episode() {
  env_.reset(sim::derive_seed(seed_, static_cast<std::uint64_t>(episode_)), obs_);
  ++episode_;
  hold_left_ = end_hold_steps_;
  lap_start_step_ = 0;
  laps_seen_ = 0;
  start_s_ = env_.world().cars[0].s;
}

void DriveSession::restart() {
  if (!env_.done()) {
    const sim::EpisodeStats& e = env_.episode();
    last_ = {episode_, e.total_reward, e.length, sim::EndCause::None};
  }
  start_episode();
}

void DriveSession::step(std::span<const float> actions) {
  if (env_.done()) {
    if (--hold_left_ < 0) start_episode();
    return;
  }
  env_.step(actions, obs_, results_);
  for (const sim::StepResult& r : results_) {
    if (!r.info.events.crashed) continue;
    if (marks_.size() >= kMaxCrashMarks) marks_.erase(marks_.begin());
    marks_.push_back({r.info.events.crash_point, episode_});
  }
  const sim::CarEvents& ev = results_.front().info.events;
  if (ev.crashed) ++total_crashes_;
  if (ev.near_miss_entered) ++total_near_misses_;
  const sim::EpisodeStats& e = env_.episode();
  if (e.laps > laps_seen_) {
    const double lap = (e.length - lap_start_step_) * static_cast<double>(env_.scenario().episode.dt);
    last_lap_ = lap;
    best_lap_ = best_lap_ < 0.0 ? lap : std::min(best_lap_, lap);
    laps_seen_ = e.laps;
    lap_start_step_ = e.length;
  }
  if (env_.done()) last_ = {episode_, e.total_reward, e.length, e.cause};
}

double DriveSession::lap_time() const {
  return (env_.episode().length - lap_start_step_) * static_cast<double>(env_.scenario().episode.dt);
}

}  // namespace view
