// Atomic save with a backup (see save_file.h).
#include "editor/save_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace editor {
namespace {

namespace fs = std::filesystem;

std::string failure(const std::string& path, const std::string& what, int error) {
  std::string out = path;
  out += ": cannot save: ";
  out += what;
  out += ": ";
  out += std::strerror(error);
  return out;
}

/// Writes text to a new file at temp and flushes it to disk; "" or what failed. A temp that it
/// could not create is left alone (it is not ours); one it created and could not finish is removed.
std::string write_synced(const std::string& path, const std::string& temp, const std::string& text) {
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return failure(path, "cannot create the temporary file '" + temp + "'", errno);
  std::string error;
  std::size_t written = 0;
  while (error.empty() && written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) error = failure(path, "cannot write '" + temp + "'", errno);
    else written += static_cast<std::size_t>(n);
  }
  // On disk before the rename makes it the file: a crash must not leave a renamed empty file.
  if (error.empty() && ::fsync(fd) != 0) error = failure(path, "cannot sync '" + temp + "'", errno);
  if (::close(fd) != 0 && error.empty()) error = failure(path, "cannot close '" + temp + "'", errno);
  if (!error.empty()) ::unlink(temp.c_str());
  return error;
}

}  // namespace

std::string backup_path(const std::string& path) { return path + ".bak"; }

std::string save_with_backup(const std::string& path, const std::string& text) {
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  std::string error = write_synced(path, temp, text);
  if (!error.empty()) return error;
  std::error_code ec;
  if (fs::exists(target, ec)) {
    fs::copy_file(target, backup_path(path), fs::copy_options::overwrite_existing, ec);
    if (ec) error = failure(path, "cannot keep the previous version as '" + backup_path(path) + "'", ec.value());
  }
  if (error.empty() && std::rename(temp.c_str(), path.c_str()) != 0) {
    error = failure(path, "cannot rename '" + temp + "' over it", errno);
  }
  if (!error.empty()) {
    fs::remove(temp, ec);
    return error;
  }
  // Make the rename durable. Best effort: the file is complete and in place, and some
  // filesystems refuse fsync on a folder.
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return "";
}

}  // namespace editor
