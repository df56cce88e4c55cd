// The fixed-step accumulator (see fixed_step.h).
#include "view/fixed_step.h"

#include <cassert>
#include <algorithm>
#include <cmath>

namespace view {

FixedStepClock::FixedStepClock(double dt, int max_steps) : dt_(dt), max_steps_(max_steps) {
  assert(dt > 0.0 && max_steps >= 1);
}

void FixedStepClock::set_speed(double speed) {
  speed_ = std::isfinite(speed) && speed > 0.0 ? speed : 0.0;
  if (speed_ == 0.0) accumulator_ = 0.0;
}

int FixedStepClock::advance(double frame_seconds) {
  if (!std::isfinite(frame_seconds) || frame_seconds <= 0.0 || speed_ == 0.0) return 0;
  accumulator_ += frame_seconds * speed_;
  // Within a millionth of a step counts as a whole one: sixty frames of 1/60 s must make thirty
  // steps of the scenario's float dt (1/30 is stored as 0.033333335), not twenty-nine.
  const double due = std::floor(accumulator_ / dt_ + 1e-6);
  if (due > max_steps_) {
    accumulator_ = 0.0;
    return max_steps_;
  }
  accumulator_ = std::max(0.0, accumulator_ - due * dt_);
  return static_cast<int>(due);
}

}  // namespace view
