// CrashRecordings: the bounded set of training crashes a run folder keeps as replayable episode
// files, <run>/crashes/crash-NNNNNN.episode, where NNNNNN is the crash's row in crashes.csv.
//
// Every crash is logged in crashes.csv; recordings are kept for a bounded subset of them:
//   - the kRecent most recent crashes, and
//   - a spread over the whole run: crashes whose number is a multiple of a stride, the stride
//     being the smallest power of two that keeps at most kSpread of them (it doubles as the run
//     goes on, and every other one is dropped).
// Which crashes are kept is a function of how many there have been alone, so a resumed run keeps
// exactly what an uninterrupted one would, and the folder never holds more than
// kRecent + kSpread recordings (a few MB at most).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "sim/episode_file.h"

namespace app {

class CrashRecordings {
 public:
  static constexpr std::int64_t kRecent = 64;
  static constexpr std::int64_t kSpread = 192;

  /// Whether crash `number` (1-based, its row in crashes.csv) is kept after `count` crashes.
  static bool kept(std::int64_t number, std::int64_t count);
  /// The recording file of crash `number` in folder `dir`.
  static std::filesystem::path file(const std::filesystem::path& dir, std::int64_t number);

  /// Adds crash number count() + 1 and drops the recordings no longer kept.
  void add(sim::EpisodeFile recording);
  std::int64_t count() const { return count_; }
  const std::map<std::int64_t, sim::EpisodeFile>& recordings() const { return recordings_; }

  /// Brings `dir` in line: writes the kept recordings it lacks (atomically), deletes files of
  /// crashes no longer kept. Returns "" or what failed.
  std::string save(const std::filesystem::path& dir);
  /// Continues after `count` crashes (a resumed run) from the recordings saved in `dir`: loads the
  /// kept ones, and deletes those of crashes after `count`, which the resumed run redoes. Returns
  /// "" or what is wrong with a file.
  std::string resume(const std::filesystem::path& dir, std::int64_t count);

 private:
  std::int64_t count_ = 0;
  std::map<std::int64_t, sim::EpisodeFile> recordings_;  ///< by crash number; saved or not
  std::set<std::int64_t> saved_;                         ///< crash numbers whose file is in dir
};

}  // namespace app
