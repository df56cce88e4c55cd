// `crashcourse compare`: the learning curves of several runs in one SVG figure — training return,
// crash rate, near-misses per km and the evaluations' clean-lap rate against env steps. Runs given
// the same label (LABEL=DIR) share a colour and a legend entry, so seeds of one setting read as a
// band next to another setting's.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/commands.h"
#include "app/run_curves.h"
#include "app/run_folder.h"
#include "report/learning_curve.h"

namespace app {
namespace {

namespace fs = std::filesystem;

/// Colours of the labels, in order of first appearance.
constexpr const char* kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

struct CompareOptions {
  std::vector<std::string> runs;
  std::string out = "compare.svg";
  std::string title = "Learning curves";
};

struct Run {
  std::string label;
  fs::path dir;
  std::vector<std::vector<double>> metrics, evals;
};

/// 1.5 × the 95th percentile of every series' values: the first iterations drive a few metres
/// with many near-misses, a rate of thousands per km that would flatten the rest (as in a run's
/// own learning curve). None with too few points to tell.
std::optional<double> robust_top(const std::vector<report::Series>& series) {
  std::vector<double> values;
  for (const report::Series& s : series) values.insert(values.end(), s.y.begin(), s.y.end());
  if (values.size() < 20) return std::nullopt;
  const auto at = values.begin() + static_cast<std::ptrdiff_t>(values.size() * 95 / 100);
  std::nth_element(values.begin(), at, values.end());
  return 1.5 * *at;
}

/// Whether two logs hold the same results: as many rows, equal in every column but the wall-clock
/// ones (a NaN, a column an earlier version did not write, matches anything). The simulation and
/// the learner are deterministic, so two runs of one config and seed give the same results.
bool same_rows(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b,
               const std::vector<std::string>& columns) {
  if (a.size() != b.size()) return false;
  for (std::size_t r = 0; r < a.size(); ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (columns[c] == "time_s" || columns[c] == "samples_per_s" || columns[c] == "comm_s") continue;
      const double x = a[r][c], y = b[r][c];
      if (x != y && !std::isnan(x) && !std::isnan(y)) return false;
    }
  }
  return true;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  return kExitBadInput;
}

int run_compare(const CompareOptions& o) {
  std::vector<Run> runs;
  for (const std::string& arg : o.runs) {
    Run r;
    const std::size_t eq = arg.find('=');
    r.dir = eq == std::string::npos ? fs::path(arg) : fs::path(arg.substr(eq + 1));
    r.label = eq == std::string::npos ? r.dir.filename().string() : arg.substr(0, eq);
    const RunFolder folder{r.dir};
    std::string error;
    r.metrics = read_csv(folder.metrics(), kMetricsColumns, error);
    if (error.empty() && fs::exists(folder.evals())) r.evals = read_csv(folder.evals(), kEvalColumns, error);
    if (!error.empty()) return fail(error + " (hint: compare takes run folders of `crashcourse train`)");
    runs.push_back(std::move(r));
  }

  std::map<std::string, std::string> colours;
  for (const Run& r : runs) {
    if (!colours.contains(r.label)) colours[r.label] = kPalette[colours.size() % std::size(kPalette)];
  }
  // Runs with the same results draw the same curves, the later over the earlier: say so, in the
  // legend and on the terminal, rather than leave one run seemingly missing.
  std::map<std::string, std::string> legend;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const Run& r = runs[k];
    if (legend.contains(r.label)) continue;
    legend[r.label] = r.label;
    for (std::size_t j = 0; j < k; ++j) {
      if (runs[j].label == r.label || !same_rows(runs[j].metrics, r.metrics, kMetricsColumns) ||
          !same_rows(runs[j].evals, r.evals, kEvalColumns)) {
        continue;
      }
      legend[r.label] = r.label + " (same as " + runs[j].label + ")";
      std::printf("%s and %s have the same results (their curves coincide)\n", runs[j].dir.string().c_str(),
                  r.dir.string().c_str());
      break;
    }
  }
  struct Metric {
    const char* title;
    const char* y_label;
    const char* column;
    bool eval;
    std::optional<double> y_min, y_max;
  };
  const Metric metrics[] = {
      {"Episode return (training)", "return", "mean_return", false, {}, {}},
      {"Crash rate (training)", "episodes with a crash", "crash_rate", false, 0.0, 1.0},
      {"Near-misses per km (training)", "near-misses / km", "near_misses_per_km", false, 0.0, {}},
      {"Clean laps (evaluations)", "fraction of episodes", "clean_lap_rate", true, 0.0, 1.0},
  };
  std::vector<report::Panel> panels;
  for (const Metric& m : metrics) {
    report::Panel panel{m.title, m.y_label, {}, m.y_min, m.y_max};
    std::map<std::string, bool> named;
    for (const Run& r : runs) {
      report::Series s = m.eval ? eval_points(r.evals, m.column, "") : smoothed_metric(r.metrics, m.column, "");
      s.points = false;
      s.color = colours[r.label];
      if (!named[r.label]) s.name = legend[r.label];  // one legend entry per label
      named[r.label] = true;
      panel.series.push_back(std::move(s));
    }
    if (std::string_view(m.column) == "near_misses_per_km") panel.y_max = robust_top(panel.series);
    panels.push_back(std::move(panel));
  }
  const std::string note = "training curves: mean of " + std::to_string(kCurveWindow) + " iterations";
  const std::string error = write_file_atomically(o.out, report::learning_curve_svg(o.title, "env steps (" + note + ")", panels));
  if (!error.empty()) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  std::printf("wrote %s: %zu runs, %zu labels\n", o.out.c_str(), runs.size(), colours.size());
  return 0;
}

}  // namespace

std::function<int()> add_compare_command(CLI::App& cli) {
  auto o = std::make_shared<CompareOptions>();
  CLI::App* cmd = cli.add_subcommand("compare", "Draw the learning curves of several runs in one SVG figure");
  cmd->add_option("runs", o->runs, "Run folders, each optionally LABEL=DIR (runs with one label share a colour)")
      ->required();
  cmd->add_option("-o,--out", o->out, "SVG file to write")->capture_default_str();
  cmd->add_option("--title", o->title, "Title of the figure")->capture_default_str();
  cmd->footer("Example:\n  crashcourse compare plain=runs/s1 plain=runs/s2 curriculum=runs/c1 curriculum=runs/c2 -o cmp.svg");
  return [o] { return run_compare(*o); };
}

}  // namespace app
