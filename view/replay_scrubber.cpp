// Scrubbing a recorded episode by replaying it (see replay_scrubber.h).
#include "view/replay_scrubber.h"

#include <algorithm>

namespace view {

ReplayScrubber::ReplayScrubber(const sim::LoadedScenario& scenario, sim::EpisodeFile episode, const std::string& path)
    : env_(scenario.scenario, scenario.track), episode_(std::move(episode)),
      obs_(static_cast<std::size_t>(env_.observation_size() * env_.agents())),
      results_(static_cast<std::size_t>(env_.agents())) {
  sim::replay_episode(env_, episode_, path, obs_);
  // One pass to gather the timeline.
  prefix_.start = episode_.record.start;
  prefix_.actions.reserve(episode_.record.actions.size());
  env_.replay(prefix_, obs_);
  steps_.reserve(static_cast<std::size_t>(episode_.length));
  const std::span<const float> actions(episode_.record.actions);
  const std::size_t stride = action_stride();
  for (int k = 0; k < episode_.length; ++k) {
    env_.step(actions.subspan(static_cast<std::size_t>(k) * stride, stride), obs_, results_);
    const sim::StepResult& r = results_[static_cast<std::size_t>(agent())];
    steps_.push_back({r.info.episode.total_reward, r.info.events.crashed, r.info.events.crash_point,
                      r.info.events.near_miss_entered, r.info.episode.laps});
  }
  seek(0);
  start_s_ = env_.world().cars[static_cast<std::size_t>(agent())].s;
}

void ReplayScrubber::seek(int k) {
  k = std::clamp(k, 0, episode_.length);
  const std::span<const float> actions(episode_.record.actions);
  const std::size_t stride = action_stride();
  if (k < position_ || k == 0) {
    prefix_.actions.assign(actions.begin(), actions.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(k) * stride));
    env_.replay(prefix_, obs_);
  } else {
    for (int i = position_; i < k; ++i) {
      env_.step(actions.subspan(static_cast<std::size_t>(i) * stride, stride), obs_, results_);
    }
  }
  position_ = k;
}

}  // namespace view
