// Crash counts on a grid (see heatmap.h).
#include "view/heatmap.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace view {

HeatmapGrid::HeatmapGrid(const b2AABB& bounds, float cell_size) : cell_(cell_size) {
  assert(cell_size > 0.0f);
  origin_ = bounds.lowerBound - b2Vec2(cell_, cell_);
  const b2Vec2 extent = bounds.upperBound - bounds.lowerBound;
  columns_ = std::max(1, static_cast<int>(std::ceil(extent.x / cell_)) + 2);
  rows_ = std::max(1, static_cast<int>(std::ceil(extent.y / cell_)) + 2);
  counts_.assign(static_cast<std::size_t>(columns_) * static_cast<std::size_t>(rows_), 0);
}

bool HeatmapGrid::cell_of(b2Vec2 p, int& column, int& row) const {
  if (!std::isfinite(p.x) || !std::isfinite(p.y)) return false;
  const float cx = std::floor((p.x - origin_.x) / cell_);
  const float cy = std::floor((p.y - origin_.y) / cell_);
  if (cx < 0.0f || cy < 0.0f || cx >= static_cast<float>(columns_) || cy >= static_cast<float>(rows_)) return false;
  column = static_cast<int>(cx);
  row = static_cast<int>(cy);
  return true;
}

void HeatmapGrid::add(b2Vec2 p) {
  int column = 0, row = 0;
  if (!cell_of(p, column, row)) return;
  int& c = counts_[static_cast<std::size_t>(row * columns_ + column)];
  ++c;
  max_ = std::max(max_, c);
  ++total_;
  ++version_;
}

void HeatmapGrid::clear() {
  std::fill(counts_.begin(), counts_.end(), 0);
  max_ = 0;
  total_ = 0;
  ++version_;
}

float heat(int count, int max) {
  if (count <= 0 || max <= 0) return 0.0f;
  return std::sqrt(static_cast<float>(count) / static_cast<float>(max));
}

}  // namespace view
