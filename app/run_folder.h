// RunFolder: the files one training run leaves behind, named in one place.
//
//   <run>/config.toml              the resolved config (every key, as used)
//   <run>/scenario.toml            the scenario file, byte for byte as trained
//   <run>/metrics.csv              one row per PPO iteration
//   <run>/evals.csv                one row per evaluation of the deterministic policy
//   <run>/crashes.csv              every crash in training: step, position, speed
//   <run>/crashes/crash-N.episode  replayable recordings of a bounded set of them (row N of
//                                  crashes.csv; see crash_recordings.h)
//   <run>/learning_curve.svg       return, crash rate and near-misses per km against env steps
//   <run>/crash_heatmap.svg        where crashes happened, early against late in training
//   <run>/checkpoints/latest.ckpt  written every checkpoint_every steps, on a stop signal, at the end
//   <run>/checkpoints/best.ckpt    the best evaluation so far
//   <run>/summary.json             the run's outcome and final evaluation
//
// CSV files are appended to and flushed row by row, so a killed run keeps what it logged; a
// resumed run first drops the rows logged after the checkpoint it continues from.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <vector>

namespace app {

struct RunFolder {
  std::filesystem::path dir;

  std::filesystem::path config() const { return dir / "config.toml"; }
  std::filesystem::path scenario() const { return dir / "scenario.toml"; }
  std::filesystem::path metrics() const { return dir / "metrics.csv"; }
  std::filesystem::path evals() const { return dir / "evals.csv"; }
  std::filesystem::path crashes() const { return dir / "crashes.csv"; }
  std::filesystem::path crash_recordings() const { return dir / "crashes"; }
  std::filesystem::path learning_curve() const { return dir / "learning_curve.svg"; }
  std::filesystem::path crash_heatmap() const { return dir / "crash_heatmap.svg"; }
  std::filesystem::path checkpoints() const { return dir / "checkpoints"; }
  std::filesystem::path latest() const { return checkpoints() / "latest.ckpt"; }
  std::filesystem::path best() const { return checkpoints() / "best.ckpt"; }
  std::filesystem::path summary() const { return dir / "summary.json"; }
};

/// Why `dir` cannot become a new run folder, or "" if it can: it must not exist, or be empty,
/// or (with overwrite) be an earlier run folder, which is then deleted. Its parent must be
/// creatable and writable. Nothing is created here.
std::string check_new_run_folder(const std::filesystem::path& dir, bool overwrite);

/// Creates the folder and its checkpoints/ subfolder (deleting an earlier run when overwriting).
/// Returns "" or what failed.
std::string create_run_folder(const RunFolder& run, bool overwrite);

/// Writes text to path atomically (temporary file in the same folder, then rename). Returns ""
/// or what failed; on failure an existing file at path is untouched.
std::string write_file_atomically(const std::filesystem::path& path, const std::string& text);

/// The CSV column names of each log, in order.
extern const std::vector<std::string> kMetricsColumns;
extern const std::vector<std::string> kEvalColumns;
extern const std::vector<std::string> kCrashColumns;

/// A CSV file of numbers with a header row, appended to row by row.
class CsvLog {
 public:
  CsvLog() = default;
  /// Opens path for appending; writes the header first if the file is new or empty.
  /// Returns "" or what failed.
  std::string open(const std::filesystem::path& path, const std::vector<std::string>& columns);
  /// Appends one row (one value per column) and flushes it.
  void append(std::span<const double> values);

 private:
  std::ofstream out_;
  std::size_t columns_ = 0;
};

/// The rows of a CSV log written by CsvLog. Returns "" or what is wrong (file, line, what was
/// expected) in `error`. Columns are only ever added at the end, so a log written by an earlier
/// version, whose header is the first columns of `columns`, reads too: every row gets all of
/// `columns`, NaN in those the log did not have.
std::vector<std::vector<double>> read_csv(const std::filesystem::path& path,
                                          const std::vector<std::string>& columns, std::string& error);

/// Rewrites the log keeping only rows whose column `column` is ≤ limit (atomically). A missing
/// file is left missing. Returns "" or what failed.
std::string keep_rows_up_to(const std::filesystem::path& path, const std::vector<std::string>& columns,
                            std::size_t column, double limit);

/// A number as a CSV field: integers exactly (up to 2^53), others with 9 significant digits
/// (enough to read a float back bit for bit); NaN as "nan".
std::string csv_number(double v);

/// A float metric as summary and eval JSON files show it: 6 significant digits (0.99, not
/// 0.9900000095367432); non-finite values become 0.
double json_number(float v);

}  // namespace app
