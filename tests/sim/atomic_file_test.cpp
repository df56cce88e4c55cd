// replace_file: the old file or the new one, never a mix, and no temporary file left behind.
#include "sim/atomic_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace sim {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("crashcourse_atomic_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string text_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

long files_in(const fs::path& dir) { return std::distance(fs::directory_iterator(dir), fs::directory_iterator()); }

TEST(AtomicFileTest, ReplacesTheFileAndLeavesNoTemporary) {
  const fs::path dir = fresh_dir("replace");
  const std::string path = (dir / "f.txt").string();
  EXPECT_EQ(replace_file(path, "first"), "");
  EXPECT_EQ(replace_file(path, "second, longer"), "");
  EXPECT_EQ(text_of(path), "second, longer");
  EXPECT_EQ(files_in(dir), 1);
}

TEST(AtomicFileTest, AnErrorBeforeTheReplaceKeepsTheOldFile) {
  const fs::path dir = fresh_dir("abort");
  const std::string path = (dir / "f.txt").string();
  ASSERT_EQ(replace_file(path, "old"), "");
  bool asked = false;
  const std::string error = replace_file(path, "new", [&] {
    asked = true;
    EXPECT_EQ(files_in(dir), 2) << "the new file is complete beside the old one";
    return std::string("no backup possible");
  });
  EXPECT_TRUE(asked);
  EXPECT_EQ(error, "no backup possible");
  EXPECT_EQ(text_of(path), "old");
  EXPECT_EQ(files_in(dir), 1) << "the temporary file is removed";
}

TEST(AtomicFileTest, AMissingFolderIsNamedInTheError) {
  const fs::path dir = fresh_dir("missing");
  const std::string path = (dir / "nowhere" / "f.txt").string();
  const std::string error = replace_file(path, "x");
  EXPECT_NE(error.find("cannot create the temporary file '" + path + ".tmp-"), std::string::npos) << error;
  EXPECT_NE(error.find("No such file or directory"), std::string::npos) << error;
}

}  // namespace
}  // namespace sim
