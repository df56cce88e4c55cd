// ProgressLine: the live status of a training run. On a terminal one line is redrawn in place a
// few times a second; otherwise (a log file, a batch job) a plain line is printed every few
// seconds, so logs stay readable.
#pragma once

#include <cstdint>

#include "agent/trainer.h"

namespace app {

class ProgressLine {
 public:
  /// total_steps: the run's goal; tty: stdout is a terminal.
  ProgressLine(std::int64_t total_steps, bool tty);

  /// Shows the latest iteration if enough time has passed since the last line. Episode figures
  /// come from the latest iteration that ended episodes. `seconds`: wall time of the run so far;
  /// `samples_per_s`: training throughput.
  void update(const agent::IterationStats& it, double seconds, double samples_per_s);

  /// Ends the redrawn line, so other output starts on a fresh one.
  void break_line();

  /// How much of the goal `step` is, in percent, at most 100.
  double done_percent(std::int64_t step) const;

 private:
  std::int64_t total_steps_;
  bool tty_;
  bool open_ = false;               ///< a redrawn line is on screen, not yet ended
  double last_shown_ = -1e9;
  agent::IterationStats episodes_;  ///< latest iteration with episodes
};

}  // namespace app
