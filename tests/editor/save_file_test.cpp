// Saving: atomic, with the previous version kept, and never destroying the file on failure.
#include "editor/save_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "editor_test_support.h"

namespace editor {
namespace {

namespace fs = std::filesystem;
using testing::file_text;
using testing::fresh_dir;

TEST(SaveFileTest, CreatesANewFileWithoutABackup) {
  const fs::path dir = fresh_dir("save_new");
  const std::string path = (dir / "new.toml").string();
  EXPECT_EQ(save_with_backup(path, "a = 1\n"), "");
  EXPECT_EQ(file_text(path), "a = 1\n");
  EXPECT_FALSE(fs::exists(backup_path(path)));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);  // no temporary left
}

TEST(SaveFileTest, KeepsThePreviousVersionAsBak) {
  const fs::path dir = fresh_dir("save_backup");
  const std::string path = (dir / "s.toml").string();
  ASSERT_EQ(save_with_backup(path, "version = 1\n"), "");
  ASSERT_EQ(save_with_backup(path, "version = 2\n"), "");
  EXPECT_EQ(file_text(path), "version = 2\n");
  EXPECT_EQ(backup_path(path), path + ".bak");
  EXPECT_EQ(file_text(backup_path(path)), "version = 1\n");
  ASSERT_EQ(save_with_backup(path, "version = 3\n"), "");
  EXPECT_EQ(file_text(backup_path(path)), "version = 2\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 2);
}

TEST(SaveFileTest, AFailedBackupLeavesTheFileAsItWas) {
  const fs::path dir = fresh_dir("save_no_backup");
  const std::string path = (dir / "s.toml").string();
  std::ofstream(path) << "original\n";
  fs::create_directories(backup_path(path) + "/occupied");  // a folder where the backup should go
  const std::string error = save_with_backup(path, "new\n");
  EXPECT_NE(error.find(path + ": cannot save: cannot keep the previous version as '" + backup_path(path) + "'"),
            std::string::npos) << error;
  EXPECT_EQ(file_text(path), "original\n");
  EXPECT_FALSE(fs::exists(path + ".tmp-" + std::to_string(::getpid())));
}

TEST(SaveFileTest, AFolderThatCannotBeWrittenLeavesTheFileAsItWas) {
  const fs::path dir = fresh_dir("save_read_only");
  const std::string path = (dir / "s.toml").string();
  std::ofstream(path) << "original\n";
  // The temporary file cannot be created: as root (where permissions do not stop a write) by a
  // folder in its place, else by a read-only folder as well.
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  fs::create_directories(temp);
  if (::geteuid() != 0) fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec);
  const std::string error = save_with_backup(path, "new\n");
  fs::permissions(dir, fs::perms::owner_all);
  EXPECT_NE(error.find(path + ": cannot save: cannot create the temporary file"), std::string::npos) << error;
  EXPECT_EQ(file_text(path), "original\n");
  EXPECT_FALSE(fs::exists(backup_path(path)));
  EXPECT_TRUE(fs::is_directory(temp));  // not ours: left alone
}

TEST(SaveFileTest, AMissingFolderIsNamed) {
  const fs::path dir = fresh_dir("save_missing");
  const std::string path = (dir / "nowhere" / "s.toml").string();
  const std::string error = save_with_backup(path, "a = 1\n");
  EXPECT_NE(error.find(path + ": cannot save: cannot create the temporary file"), std::string::npos) << error;
  EXPECT_NE(error.find("No such file or directory"), std::string::npos) << error;
}

}  // namespace
}  // namespace editor
