// Smoothed, bounded chart data (see training_history.h).
#include "view/training_history.h"

#include <algorithm>
#include <cmath>

namespace view {

TrainingHistory::TrainingHistory(std::size_t max_points) : max_points_(std::max<std::size_t>(max_points, 4)) {}

void TrainingHistory::add(std::int64_t step, int episodes, float mean_return, float crash_rate) {
  if (episodes <= 0 || !std::isfinite(mean_return) || !std::isfinite(crash_rate)) return;
  returns_.push_back(mean_return);
  crash_rates_.push_back(crash_rate);
  return_sum_ += mean_return;
  crash_sum_ += crash_rate;
  if (returns_.size() > kWindow) {
    return_sum_ -= returns_.front();
    crash_sum_ -= crash_rates_.front();
    returns_.pop_front();
    crash_rates_.pop_front();
  }
  const double n = static_cast<double>(returns_.size());
  points_.push_back({static_cast<double>(step), static_cast<float>(return_sum_ / n), static_cast<float>(crash_sum_ / n)});
  if (points_.size() > max_points_) {
    // Merge pairs (the oldest stays on its own when the count is odd): half the points, same span.
    std::vector<ChartPoint> merged;
    merged.reserve(points_.size() / 2 + 1);
    std::size_t i = points_.size() % 2;
    if (i == 1) merged.push_back(points_[0]);
    for (; i + 1 < points_.size(); i += 2) {
      const ChartPoint& a = points_[i];
      const ChartPoint& b = points_[i + 1];
      merged.push_back({b.step, 0.5f * (a.mean_return + b.mean_return), 0.5f * (a.crash_rate + b.crash_rate)});
    }
    points_ = std::move(merged);
  }
}

AxisRange return_range(const std::vector<ChartPoint>& points) {
  if (points.empty()) return {0.0f, 1.0f};
  float lo = points[0].mean_return, hi = lo;
  for (const ChartPoint& p : points) {
    lo = std::min(lo, p.mean_return);
    hi = std::max(hi, p.mean_return);
  }
  const float pad = std::max(0.05f * (hi - lo), 0.5f);
  return {lo - pad, hi + pad};
}

}  // namespace view
