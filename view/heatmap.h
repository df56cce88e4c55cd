// HeatmapGrid: crash counts on square cells over the track, built up while training runs (each
// IterationStats::crashes lands here) and drawn over the road. No SFML: the renderer turns the
// cells into coloured quads only when the grid has changed (see version()).
#pragma once

#include <box2d/b2_collision.h>
#include <box2d/b2_math.h>

#include <cstdint>
#include <vector>

namespace view {

class HeatmapGrid {
 public:
  /// Cells of cell_size m covering bounds (m), with one spare cell around it.
  HeatmapGrid(const b2AABB& bounds, float cell_size);

  /// Counts a crash at p (m); points outside the grid or not finite are ignored.
  void add(b2Vec2 p);
  void clear();

  int columns() const { return columns_; }
  int rows() const { return rows_; }
  float cell_size() const { return cell_; }
  b2Vec2 origin() const { return origin_; }  ///< m, lower-left corner of cell (0, 0)
  /// Crashes in cell (column, row); row 0 is the lowest (smallest y).
  int count(int column, int row) const { return counts_[static_cast<std::size_t>(row * columns_ + column)]; }
  int max_count() const { return max_; }
  std::int64_t total() const { return total_; }
  /// Bumped by every change, so drawings of the grid know when to rebuild.
  std::uint64_t version() const { return version_; }

  /// The cell holding p, or false when outside.
  bool cell_of(b2Vec2 p, int& column, int& row) const;

 private:
  b2Vec2 origin_;
  float cell_;
  int columns_ = 0;
  int rows_ = 0;
  std::vector<int> counts_;
  int max_ = 0;
  std::int64_t total_ = 0;
  std::uint64_t version_ = 0;
};

/// Heat in [0, 1] of a cell with `count` crashes when the busiest has `max`: a square-root scale,
/// so a single crash still shows next to a hundred.
float heat(int count, int max);

}  // namespace view
