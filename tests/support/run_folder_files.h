// Reading what a `crashcourse train` run folder holds, for the end-to-end tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/run_folder.h"

namespace crashcourse::testing {

inline std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::vector<std::vector<double>> csv(const std::filesystem::path& path, const std::vector<std::string>& columns) {
  std::string error;
  std::vector<std::vector<double>> rows = app::read_csv(path, columns, error);
  EXPECT_EQ(error, "");
  return rows;
}

/// The metrics log without its wall-clock columns (time_s, samples_per_s, comm_s), as text.
inline std::string deterministic_metrics(const std::filesystem::path& run) {
  const std::vector<std::string> clock = {"time_s", "samples_per_s", "comm_s"};
  std::string out;
  for (const std::vector<double>& row : csv(run / "metrics.csv", app::kMetricsColumns)) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (std::find(clock.begin(), clock.end(), app::kMetricsColumns[i]) != clock.end()) continue;
      out += app::csv_number(row[i]) + ",";
    }
    out += "\n";
  }
  return out;
}

}  // namespace crashcourse::testing
