// The crash shelf (see crash_shelf.h).
#include "view/crash_shelf.h"

#include <utility>

namespace view {

void CrashShelf::add(sim::EpisodeFile recording, const std::string& label) {
  if (!recording.crash || capacity_ == 0) return;
  const b2Vec2 at(recording.crash->x, recording.crash->y);
  if (crashes_.size() == capacity_) crashes_.pop_front();
  crashes_.push_back({at, std::move(recording), label});
}

const ShelvedCrash* CrashShelf::nearest(b2Vec2 p, float radius) const {
  const ShelvedCrash* best = nullptr;
  float best_d2 = radius * radius;
  for (const ShelvedCrash& c : crashes_) {  // oldest first: a later one as near wins
    const float d2 = b2DistanceSquared(c.position, p);
    if (d2 <= best_d2) {
      best = &c;
      best_d2 = d2;
    }
  }
  return best;
}

}  // namespace view
