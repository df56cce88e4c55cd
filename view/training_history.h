// TrainingHistory: what the live chart draws — mean episode return and crash rate against env
// steps, one point per PPO iteration that ended episodes, smoothed over the last kWindow such
// iterations (one iteration's figures are noisy). The point count stays bounded however long
// training runs: past max_points, neighbouring points are merged in pairs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace view {

struct ChartPoint {
  double step = 0.0;                ///< env steps trained
  float mean_return = 0.0f;         ///< smoothed mean episode return
  float crash_rate = 0.0f;          ///< smoothed fraction of episodes with a crash
};

class TrainingHistory {
 public:
  static constexpr std::size_t kWindow = 20;  ///< iterations averaged into each point

  /// max_points: about the chart's width in pixels, so each segment drawn is worth drawing.
  explicit TrainingHistory(std::size_t max_points = 256);

  /// One iteration's figures; ignored when it ended no episodes.
  void add(std::int64_t step, int episodes, float mean_return, float crash_rate);

  const std::vector<ChartPoint>& points() const { return points_; }
  bool empty() const { return points_.empty(); }

 private:
  std::size_t max_points_;
  std::vector<ChartPoint> points_;
  std::deque<float> returns_, crash_rates_;
  double return_sum_ = 0.0, crash_sum_ = 0.0;
};

/// A range [lo, hi] for a chart axis that holds every value, with a little headroom, never empty.
struct AxisRange {
  float lo = 0.0f;
  float hi = 1.0f;
};
AxisRange return_range(const std::vector<ChartPoint>& points);

}  // namespace view
