// CrashRecordings (see crash_recordings.h): which crashes are kept, and their files.
#include "app/crash_recordings.h"

#include <cinttypes>
#include <cstdio>
#include <system_error>
#include <vector>

namespace app {
namespace {

namespace fs = std::filesystem;

/// The spread's stride after `count` crashes: the smallest power of two with at most kSpread
/// multiples in [1, count].
std::int64_t stride(std::int64_t count) {
  std::int64_t s = 1;
  while (count / s > CrashRecordings::kSpread) s *= 2;
  return s;
}

/// The crash number in a file name "crash-NNNNNN.episode", or -1.
std::int64_t number_of(const fs::path& file) {
  long long number = -1;
  char tail = 0;
  const std::string name = file.filename().string();
  if (std::sscanf(name.c_str(), "crash-%lld.episod%c", &number, &tail) != 2 || tail != 'e' ||
      name != CrashRecordings::file("", number).string()) {
    return -1;
  }
  return number;
}

}  // namespace

bool CrashRecordings::kept(std::int64_t number, std::int64_t count) {
  if (number < 1 || number > count) return false;
  return number > count - kRecent || number % stride(count) == 0;
}

fs::path CrashRecordings::file(const fs::path& dir, std::int64_t number) {
  char name[48];
  std::snprintf(name, sizeof name, "crash-%06" PRId64 ".episode", number);
  return dir / name;
}

void CrashRecordings::add(sim::EpisodeFile recording) {
  const std::int64_t before = stride(count_);
  ++count_;
  recordings_[count_] = std::move(recording);
  if (stride(count_) != before) {
    std::erase_if(recordings_, [&](const auto& entry) { return !kept(entry.first, count_); });
  } else if (const std::int64_t left = count_ - kRecent; left >= 1 && !kept(left, count_)) {
    recordings_.erase(left);
  }
}

std::string CrashRecordings::save(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return dir.string() + ": cannot create the crash recordings folder: " + ec.message();
  for (auto it = saved_.begin(); it != saved_.end();) {
    if (recordings_.contains(*it)) {
      ++it;
      continue;
    }
    fs::remove(file(dir, *it), ec);
    it = saved_.erase(it);
  }
  for (const auto& [number, recording] : recordings_) {
    if (saved_.contains(number)) continue;
    try {
      sim::save_episode(file(dir, number).string(), recording);
    } catch (const sim::EpisodeFileError& e) {
      return e.what();
    }
    saved_.insert(number);
  }
  return "";
}

std::string CrashRecordings::resume(const fs::path& dir, std::int64_t count) {
  count_ = count;
  recordings_.clear();
  saved_.clear();
  std::error_code ec;
  if (!fs::exists(dir, ec)) return "";
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) files.push_back(entry.path());
  if (ec) return dir.string() + ": cannot list the crash recordings: " + ec.message();
  for (const fs::path& path : files) {
    const std::int64_t number = number_of(path);
    if (number < 0) continue;  // not ours: left alone
    if (!kept(number, count)) {
      fs::remove(path, ec);
      continue;
    }
    try {
      recordings_[number] = sim::load_episode(path.string());
    } catch (const sim::EpisodeFileError& e) {
      return e.what();
    }
    saved_.insert(number);
  }
  return "";
}

}  // namespace app
