// Curves from a run folder's logs (see run_curves.h).
#include "app/run_curves.h"

#include <algorithm>
#include <cmath>

#include "app/run_folder.h"

namespace app {

std::size_t column(const std::vector<std::string>& columns, std::string_view name) {
  return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
}

report::Series smoothed_metric(const std::vector<std::vector<double>>& metrics, std::string_view name,
                               const std::string& label) {
  const std::size_t step = column(kMetricsColumns, "step");
  const std::size_t episodes = column(kMetricsColumns, "episodes");
  const std::size_t value = column(kMetricsColumns, name);
  report::Series s{label, "", {}, {}, false};
  std::vector<double> window;
  double sum = 0.0;
  for (const std::vector<double>& row : metrics) {
    if (row[episodes] <= 0.0 || !std::isfinite(row[value])) continue;
    window.push_back(row[value]);
    sum += row[value];
    if (window.size() > kCurveWindow) {
      sum -= window[window.size() - kCurveWindow - 1];
    }
    const std::size_t n = std::min(window.size(), kCurveWindow);
    s.x.push_back(row[step]);
    s.y.push_back(sum / static_cast<double>(n));
  }
  return s;
}

report::Series eval_points(const std::vector<std::vector<double>>& evals, std::string_view name,
                           const std::string& label) {
  report::Series s{label, "", {}, {}, true};
  const std::size_t value = column(kEvalColumns, name);
  for (const std::vector<double>& row : evals) {
    s.x.push_back(row[0]);
    s.y.push_back(row[value]);
  }
  return s;
}

}  // namespace app
