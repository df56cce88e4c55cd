// Curves from a run folder's logs, for the figures: a metrics column as a moving average over the
// iterations that ended episodes, an evaluations column as points. Used for a run's own
// learning_curve.svg and for `crashcourse compare`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "report/learning_curve.h"

namespace app {

/// Iterations in the moving average of training curves.
inline constexpr std::size_t kCurveWindow = 20;

/// The index of `name` in `columns` (columns.size() if absent).
std::size_t column(const std::vector<std::string>& columns, std::string_view name);

/// Column `name` of metrics.csv rows (kMetricsColumns) against steps, as a moving average over
/// the kCurveWindow latest iterations that ended episodes (one iteration's figures are noisy).
report::Series smoothed_metric(const std::vector<std::vector<double>>& metrics, std::string_view name,
                               const std::string& label);

/// Column `name` of evals.csv rows (kEvalColumns) against steps, as points.
report::Series eval_points(const std::vector<std::vector<double>>& evals, std::string_view name,
                           const std::string& label);

}  // namespace app
