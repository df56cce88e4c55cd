// RunFolder: CSV logs that read back bit for bit, resume truncation, atomic writes, and the
// checks that keep a new run from destroying an existing folder.
#include "app/run_folder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <vector>

#include "support/run_binary.h"

namespace app {
namespace {

namespace fs = std::filesystem;
using crashcourse::testing::temp_dir;

TEST(RunFolderTest, CsvRowsReadBackBitForBit) {
  const fs::path dir = temp_dir("csv");
  const std::vector<std::string> columns = {"step", "value"};
  {
    CsvLog log;
    ASSERT_EQ(log.open(dir / "a.csv", columns), "");
    const float f = 0.1f;
    log.append(std::vector<double>{9007199254740991.0, static_cast<double>(f)});
    log.append(std::vector<double>{2.0, -3.25e-7});
    log.append(std::vector<double>{3.0, std::numeric_limits<double>::quiet_NaN()});
  }
  std::string error;
  const auto rows = read_csv(dir / "a.csv", columns, error);
  ASSERT_EQ(error, "");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], 9007199254740991.0);
  EXPECT_EQ(static_cast<float>(rows[0][1]), 0.1f);
  EXPECT_EQ(rows[1][1], -3.25e-7);
  EXPECT_TRUE(std::isnan(rows[2][1]));
  // Reopening appends without a second header.
  CsvLog again;
  ASSERT_EQ(again.open(dir / "a.csv", columns), "");
  again.append(std::vector<double>{4.0, 1.0});
  EXPECT_EQ(read_csv(dir / "a.csv", columns, error).size(), 4u) << error;
}

TEST(RunFolderTest, KeepRowsUpToDropsWhatCameAfterTheCheckpoint) {
  const fs::path dir = temp_dir("keep");
  const std::vector<std::string> columns = {"step", "v"};
  {
    CsvLog log;
    ASSERT_EQ(log.open(dir / "m.csv", columns), "");
    for (int k = 1; k <= 5; ++k) log.append(std::vector<double>{k * 100.0, k * 0.5});
  }
  ASSERT_EQ(keep_rows_up_to(dir / "m.csv", columns, 0, 300.0), "");
  std::string error;
  const auto rows = read_csv(dir / "m.csv", columns, error);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows.back()[0], 300.0);
  EXPECT_EQ(keep_rows_up_to(dir / "missing.csv", columns, 0, 1.0), "");
  EXPECT_FALSE(fs::exists(dir / "missing.csv"));
}

// Columns are only added at the end: a log from an earlier version (a leading part of today's
// columns) reads with NaN in the new ones, and resuming rewrites it with today's header, so rows
// appended after it line up.
TEST(RunFolderTest, ALogFromAnEarlierVersionReadsWithNaNInTheNewColumns) {
  const fs::path dir = temp_dir("older");
  std::ofstream(dir / "m.csv") << "step,v\n100,0.5\n200,1.5\n300,2.5\n";
  const std::vector<std::string> columns = {"step", "v", "added", "also_added"};
  std::string error;
  const auto rows = read_csv(dir / "m.csv", columns, error);
  ASSERT_EQ(error, "");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1][0], 200.0);
  EXPECT_EQ(rows[1][1], 1.5);
  EXPECT_TRUE(std::isnan(rows[1][2]) && std::isnan(rows[1][3]));

  ASSERT_EQ(keep_rows_up_to(dir / "m.csv", columns, 0, 200.0), "");
  {
    CsvLog log;
    ASSERT_EQ(log.open(dir / "m.csv", columns), "");
    log.append(std::vector<double>{300.0, 2.0, 7.0, 8.0});
  }
  const auto resumed = read_csv(dir / "m.csv", columns, error);
  ASSERT_EQ(error, "");
  ASSERT_EQ(resumed.size(), 3u);
  EXPECT_TRUE(std::isnan(resumed[1][3]));
  EXPECT_EQ(resumed[2][2], 7.0);

  // A row with the wrong count for its header is still an error, as is a header that is not a
  // leading part of the columns.
  std::ofstream(dir / "short.csv") << "step,v\n100\n";
  read_csv(dir / "short.csv", columns, error);
  EXPECT_EQ(error, (dir / "short.csv").string() + ":2: expected 2 fields, got 1");
  std::ofstream(dir / "skips.csv") << "step,added\n100,1\n";
  read_csv(dir / "skips.csv", columns, error);
  EXPECT_NE(error.find(":1: expected the header 'step,v,added,also_added'"), std::string::npos) << error;
}

TEST(RunFolderTest, ACorruptLogIsReportedWithItsLine) {
  const fs::path dir = temp_dir("corrupt");
  std::ofstream(dir / "m.csv") << "step,v\n1,2\n3,x\n";
  std::string error;
  read_csv(dir / "m.csv", {"step", "v"}, error);
  EXPECT_EQ(error, (dir / "m.csv").string() + ":3: expected a number in column 2 (v), got 'x'");
  std::ofstream(dir / "h.csv") << "a,b\n";
  read_csv(dir / "h.csv", {"step", "v"}, error);
  EXPECT_NE(error.find(":1: expected the header 'step,v'"), std::string::npos) << error;
}

TEST(RunFolderTest, NewRunFoldersNeverReplaceSomethingElse) {
  const fs::path dir = temp_dir("new");
  EXPECT_EQ(check_new_run_folder(dir / "a" / "b", false), "") << "missing parents are created";
  fs::create_directories(dir / "empty");
  EXPECT_EQ(check_new_run_folder(dir / "empty", false), "");
  fs::create_directories(dir / "other");
  std::ofstream(dir / "other" / "x") << "x";
  EXPECT_NE(check_new_run_folder(dir / "other", false).find("already exists"), std::string::npos);
  EXPECT_NE(check_new_run_folder(dir / "other", true).find("not a crashcourse run"), std::string::npos);
  fs::create_directories(dir / "run");
  std::ofstream(dir / "run" / "config.toml") << "seed = 1\n";
  EXPECT_EQ(check_new_run_folder(dir / "run", true), "");
  ASSERT_EQ(create_run_folder(RunFolder{dir / "run"}, true), "");
  EXPECT_FALSE(fs::exists(dir / "run" / "config.toml")) << "the earlier run was replaced";
  EXPECT_TRUE(fs::is_directory(dir / "run" / "checkpoints"));
}

TEST(RunFolderTest, AtomicWriteLeavesTheOldFileWhenItFails) {
  const fs::path dir = temp_dir("atomic");
  ASSERT_EQ(write_file_atomically(dir / "f.txt", "one"), "");
  ASSERT_EQ(write_file_atomically(dir / "f.txt", "two"), "");
  std::ifstream in(dir / "f.txt");
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "two");
  EXPECT_NE(write_file_atomically(dir / "missing" / "f.txt", "x"), "");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1) << "no temporary file left";
}

}  // namespace
}  // namespace app
