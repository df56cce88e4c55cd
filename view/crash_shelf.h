// CrashShelf: the crash recordings the watch window can open — the training crashes it was fed
// (live, through the TrainingExchange) or a run folder's crashes/ — kept by where they happened,
// so a right-click on a hot spot of the crash heatmap finds the recording nearest to it. No SFML.
#pragma once

#include <box2d/b2_math.h>

#include <cstddef>
#include <deque>
#include <string>

#include "sim/episode_file.h"

namespace view {

/// A recording and what to call it in the replay's HUD.
struct ShelvedCrash {
  b2Vec2 position{0.0f, 0.0f};      ///< m, the crash point (CrashInfo x, y)
  sim::EpisodeFile recording;       ///< has its crash section
  std::string label;                ///< "training crash at step 81234" or the file it came from
};

class CrashShelf {
 public:
  /// Keeps the latest `capacity` recordings.
  explicit CrashShelf(std::size_t capacity = 256) : capacity_(capacity) {}

  /// Shelves a crash recording (one without a crash section is ignored); drops the oldest when full.
  void add(sim::EpisodeFile recording, const std::string& label);
  /// The shelved crash nearest to p within radius m (the latest among equally near), or nullptr.
  const ShelvedCrash* nearest(b2Vec2 p, float radius) const;
  std::size_t size() const { return crashes_.size(); }

 private:
  std::size_t capacity_;
  std::deque<ShelvedCrash> crashes_;  ///< oldest first
};

}  // namespace view
