// RunFolder: creating run folders, atomic writes and the CSV logs (see run_folder.h).
#include "app/run_folder.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <sstream>
#include <system_error>

#include "sim/atomic_file.h"

namespace app {

namespace fs = std::filesystem;

const std::vector<std::string> kMetricsColumns = {
    "iteration", "step", "time_s", "samples_per_s", "episodes", "mean_return", "mean_length",
    "crash_rate", "near_misses_per_km", "lap_rate", "learning_rate", "policy_loss", "value_loss",
    "entropy", "approx_kl", "clipfrac", "explained_variance", "grad_norm", "comm_s",
    "practice_episodes", "practice_crash_rate", "practice_fraction"};
const std::vector<std::string> kEvalColumns = {
    "step", "time_s", "episodes", "clean_lap_rate", "crash_rate", "lap_rate", "near_misses_per_km",
    "mean_lap_time", "mean_speed", "mean_return"};
const std::vector<std::string> kCrashColumns = {"step", "x", "y", "speed"};

namespace {

std::string system_error(const std::error_code& ec) { return ec.message(); }

std::string joined(const std::vector<std::string>& columns) {
  std::string line;
  for (const std::string& c : columns) {
    if (!line.empty()) line += ',';
    line += c;
  }
  return line;
}

}  // namespace

std::string check_new_run_folder(const fs::path& dir, bool overwrite) {
  std::error_code ec;
  const fs::file_status status = fs::status(dir, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) return dir.string() + ": expected a folder for the run, got a file";
    if (!fs::is_empty(dir, ec)) {
      if (!overwrite) {
        return dir.string() + ": the run folder already exists (hint: choose another --out, continue it "
                              "with --resume " + dir.string() + ", or pass --force to replace it)";
      }
      if (!fs::exists(RunFolder{dir}.config())) {
        return dir.string() + ": refusing to replace a folder that is not a crashcourse run (it has no "
                              "config.toml)";
      }
    }
    if (::access(dir.c_str(), W_OK) != 0) return dir.string() + ": cannot write here: " + std::strerror(errno);
    return "";
  }
  // The nearest existing ancestor must be a writable folder.
  fs::path parent = fs::absolute(dir, ec).parent_path();
  while (!fs::exists(parent, ec) && parent != parent.parent_path()) parent = parent.parent_path();
  if (!fs::is_directory(parent, ec)) return dir.string() + ": cannot create the run folder: " + parent.string() + " is not a folder";
  if (::access(parent.c_str(), W_OK) != 0) {
    return dir.string() + ": cannot create the run folder in " + parent.string() + ": " + std::strerror(errno);
  }
  return "";
}

std::string create_run_folder(const RunFolder& run, bool overwrite) {
  std::error_code ec;
  if (overwrite && fs::exists(run.config(), ec)) fs::remove_all(run.dir, ec);
  if (ec) return run.dir.string() + ": cannot remove the earlier run: " + system_error(ec);
  fs::create_directories(run.checkpoints(), ec);
  if (ec) return run.checkpoints().string() + ": cannot create: " + system_error(ec);
  return "";
}

std::string write_file_atomically(const fs::path& path, const std::string& text) {
  const std::string error = sim::replace_file(path.string(), text);
  return error.empty() ? "" : path.string() + ": " + error;
}

std::string csv_number(double v) {
  if (std::isnan(v)) return "nan";
  char buffer[40];
  if (std::trunc(v) == v && std::fabs(v) < 9007199254740992.0) {
    std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buffer, sizeof buffer, "%.9g", v);
  }
  return buffer;
}

double json_number(float v) {
  if (!std::isfinite(v)) return 0.0;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", static_cast<double>(v));
  return std::strtod(buffer, nullptr);
}

std::string CsvLog::open(const fs::path& path, const std::vector<std::string>& columns) {
  columns_ = columns.size();
  std::error_code ec;
  const bool fresh = !fs::exists(path, ec) || fs::file_size(path, ec) == 0;
  out_.open(path, std::ios::app);
  if (!out_) return path.string() + ": cannot open for writing: " + std::strerror(errno);
  if (fresh) out_ << joined(columns) << '\n' << std::flush;
  return "";
}

void CsvLog::append(std::span<const double> values) {
  std::string line;
  for (std::size_t i = 0; i < values.size() && i < columns_; ++i) {
    if (i > 0) line += ',';
    line += csv_number(values[i]);
  }
  out_ << line << '\n' << std::flush;
}

std::vector<std::vector<double>> read_csv(const fs::path& path, const std::vector<std::string>& columns,
                                          std::string& error) {
  error.clear();
  std::vector<std::vector<double>> rows;
  std::ifstream in(path);
  if (!in) {
    error = path.string() + ": cannot open: " + std::strerror(errno);
    return rows;
  }
  std::string line;
  int number = 1;
  // The header: all of columns, or (an earlier version's log) its first `present` of them.
  std::size_t present = 0;
  const bool read = static_cast<bool>(std::getline(in, line));
  for (std::size_t k = columns.size(); read && k > 0 && present == 0; --k) {
    if (line == joined({columns.begin(), columns.begin() + static_cast<std::ptrdiff_t>(k)})) present = k;
  }
  if (present == 0) {
    error = path.string() + ":1: expected the header '" + joined(columns) + "' (or its first columns, " +
            "from an earlier version), got '" + line + "'";
    return rows;
  }
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    std::vector<double> row;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, ',')) {
      char* end = nullptr;
      const double v = std::strtod(field.c_str(), &end);
      if (field.empty() || *end != '\0') {
        error = path.string() + ":" + std::to_string(number) + ": expected a number in column " +
                std::to_string(row.size() + 1) + " (" + (row.size() < columns.size() ? columns[row.size()] : "?") +
                "), got '" + field + "'";
        return {};
      }
      row.push_back(v);
    }
    if (row.size() != present) {
      error = path.string() + ":" + std::to_string(number) + ": expected " + std::to_string(present) +
              " fields, got " + std::to_string(row.size());
      return {};
    }
    row.resize(columns.size(), std::numeric_limits<double>::quiet_NaN());
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string keep_rows_up_to(const fs::path& path, const std::vector<std::string>& columns, std::size_t column,
                            double limit) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return "";
  std::string error;
  const std::vector<std::vector<double>> rows = read_csv(path, columns, error);
  if (!error.empty()) return error;
  std::string text = joined(columns) + "\n";
  for (const std::vector<double>& row : rows) {
    if (row[column] > limit) continue;
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) text += ',';
      text += csv_number(row[i]);
    }
    text += '\n';
  }
  return write_file_atomically(path, text);
}

}  // namespace app
