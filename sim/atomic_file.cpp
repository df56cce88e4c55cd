// replace_file (see atomic_file.h): write, sync, rename, sync the folder.
#include "sim/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace sim {

std::string replace_file(const std::string& path, std::string_view bytes,
                         const std::function<std::string()>& before_replace) {
  const std::string temp = path + ".tmp-" + std::to_string(::getpid());
  const auto failed = [](const std::string& what, int error) {
    return what + ": " + std::generic_category().message(error);
  };
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return failed("cannot create the temporary file '" + temp + "'", errno);
  // From here on the temporary file is ours, and every failure closes and removes it.
  const auto abandon = [&](const std::string& error) {
    if (fd >= 0) ::close(fd);
    ::unlink(temp.c_str());
    return error;
  };
  for (std::size_t written = 0; written < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return abandon(failed("cannot write '" + temp + "'", n < 0 ? errno : EIO));
    written += static_cast<std::size_t>(n);
  }
  // On disk before the rename makes it the file: a crash must not leave a renamed empty file.
  if (::fsync(fd) != 0) return abandon(failed("cannot sync '" + temp + "'", errno));
  const int closed = ::close(fd);  // NFS reports write errors here
  const int close_error = errno;
  fd = -1;
  if (closed != 0) return abandon(failed("cannot close '" + temp + "'", close_error));
  if (before_replace) {
    if (std::string error = before_replace(); !error.empty()) return abandon(error);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    return abandon(failed("cannot rename '" + temp + "' over it", errno));
  }
  // Make the rename itself durable. Best effort: the file is complete and in place.
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const std::filesystem::path folder = parent.empty() ? std::filesystem::path(".") : parent;
  const int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return "";
}

}  // namespace sim
