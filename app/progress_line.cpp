// ProgressLine (see progress_line.h).
#include "app/progress_line.h"

#include <algorithm>
#include <cstdio>

namespace app {

ProgressLine::ProgressLine(std::int64_t total_steps, bool tty) : total_steps_(total_steps), tty_(tty) {}

double ProgressLine::done_percent(std::int64_t step) const {
  // A run may end past its goal (evolution strategies finishes its last generation): 100 %.
  if (total_steps_ <= 0) return 100.0;
  return std::min(100.0, 100.0 * static_cast<double>(step) / static_cast<double>(total_steps_));
}

void ProgressLine::update(const agent::IterationStats& it, double seconds, double samples_per_s) {
  if (it.episodes > 0) episodes_ = it;
  const bool last = it.global_step >= total_steps_;
  if (!last && seconds - last_shown_ < (tty_ ? 0.25 : 5.0)) return;
  last_shown_ = seconds;
  const double eta = static_cast<double>(std::max<std::int64_t>(0, total_steps_ - it.global_step)) /
                     std::max(samples_per_s, 1.0);
  std::printf("%sstep %9lld/%lld %3.0f%%  %6.0f sps  return %7.1f  crash %.2f  near-miss/km %5.1f  "
              "lap %.2f  %5.0fs  eta %4.0fs%s",
              tty_ ? "\r" : "", static_cast<long long>(it.global_step), static_cast<long long>(total_steps_),
              done_percent(it.global_step), samples_per_s,
              static_cast<double>(episodes_.mean_return), static_cast<double>(episodes_.crash_rate),
              static_cast<double>(episodes_.near_misses_per_km), static_cast<double>(episodes_.lap_rate), seconds,
              eta, tty_ ? "\x1b[K" : "\n");
  open_ = tty_;
  std::fflush(stdout);
}

void ProgressLine::break_line() {
  if (open_) std::printf("\n");
  open_ = false;
}

}  // namespace app
