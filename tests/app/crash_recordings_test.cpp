// CrashRecordings: which crashes a run keeps as recordings, and that the folder on disk follows.
#include "app/crash_recordings.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "support/run_binary.h"

namespace app {
namespace {

namespace fs = std::filesystem;

/// A small stand-in recording; only its number matters here.
sim::EpisodeFile recording(std::int64_t number) {
  sim::EpisodeFile e;
  e.scenario_name = "test";
  e.length = 1;
  e.record.actions = {0.0f, 1.0f};
  e.end = sim::EndCause::Crash;
  e.crash = sim::CrashInfo{number * 10, 1.0f, 2.0f, 3.0f, sim::BodyKind::Wall, 0, 1};
  return e;
}

std::set<std::int64_t> numbers_in(const fs::path& dir) {
  std::set<std::int64_t> out;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    out.insert(std::stoll(entry.path().filename().string().substr(6, 6)));
  }
  return out;
}

TEST(CrashRecordingsTest, KeepsTheMostRecentAndABoundedSpreadOverTheWholeRun) {
  for (const std::int64_t count : {1, 63, 64, 65, 255, 256, 257, 1000, 5000, 123457}) {
    std::int64_t kept = 0, spread_early = 0;
    for (std::int64_t n = 1; n <= count; ++n) {
      if (!CrashRecordings::kept(n, count)) continue;
      ++kept;
      if (n <= count / 4) ++spread_early;
    }
    EXPECT_LE(kept, CrashRecordings::kRecent + CrashRecordings::kSpread) << count;
    for (std::int64_t n = std::max<std::int64_t>(1, count - CrashRecordings::kRecent + 1); n <= count; ++n) {
      EXPECT_TRUE(CrashRecordings::kept(n, count)) << n << " of " << count;
    }
    if (count > 1000) {
      EXPECT_GE(spread_early, CrashRecordings::kSpread / 8) << "the early run is represented";
    }
  }
  EXPECT_FALSE(CrashRecordings::kept(0, 10));
  EXPECT_FALSE(CrashRecordings::kept(11, 10));
}

TEST(CrashRecordingsTest, EveryCrashIsKeptUntilTheSpreadIsFull) {
  const std::int64_t count = CrashRecordings::kSpread;
  for (std::int64_t n = 1; n <= count; ++n) EXPECT_TRUE(CrashRecordings::kept(n, count)) << n;
  EXPECT_FALSE(CrashRecordings::kept(1, count + CrashRecordings::kRecent + 1)) << "odd numbers go first";
}

TEST(CrashRecordingsTest, MemoryAndFolderHoldExactlyTheKeptCrashes) {
  const fs::path dir = crashcourse::testing::temp_dir("crash_recordings") / "crashes";
  CrashRecordings r;
  for (std::int64_t n = 1; n <= 700; ++n) {
    r.add(recording(n));
    if (n % 100 == 0) {
      ASSERT_EQ(r.save(dir), "");
    }
  }
  std::set<std::int64_t> expected;
  for (std::int64_t n = 1; n <= 700; ++n) {
    if (CrashRecordings::kept(n, 700)) expected.insert(n);
  }
  std::set<std::int64_t> in_memory;
  for (const auto& [n, e] : r.recordings()) in_memory.insert(n);
  EXPECT_EQ(in_memory, expected);
  EXPECT_EQ(numbers_in(dir), expected);
  EXPECT_EQ(r.recordings().at(700).crash->global_step, 7000);
}

TEST(CrashRecordingsTest, AResumedRunDropsLaterCrashesAndContinuesAsAnUninterruptedOne) {
  const fs::path dir = crashcourse::testing::temp_dir("crash_recordings_resume") / "crashes";
  CrashRecordings first;
  for (std::int64_t n = 1; n <= 500; ++n) first.add(recording(n));
  ASSERT_EQ(first.save(dir), "");

  // The checkpoint was taken after 420 crashes: the run resumes there and redoes the rest.
  CrashRecordings resumed;
  ASSERT_EQ(resumed.resume(dir, 420), "");
  for (const std::int64_t n : numbers_in(dir)) EXPECT_TRUE(CrashRecordings::kept(n, 420)) << n;
  for (std::int64_t n = 421; n <= 600; ++n) resumed.add(recording(n));
  ASSERT_EQ(resumed.save(dir), "");

  CrashRecordings whole;
  for (std::int64_t n = 1; n <= 600; ++n) whole.add(recording(n));
  std::set<std::int64_t> expected;
  for (const auto& [n, e] : whole.recordings()) expected.insert(n);
  EXPECT_EQ(numbers_in(dir), expected);
}

TEST(CrashRecordingsTest, ACorruptRecordingIsNamedOnResume) {
  const fs::path dir = crashcourse::testing::temp_dir("crash_recordings_corrupt") / "crashes";
  CrashRecordings r;
  for (std::int64_t n = 1; n <= 3; ++n) r.add(recording(n));
  ASSERT_EQ(r.save(dir), "");
  const fs::path victim = CrashRecordings::file(dir, 2);
  fs::resize_file(victim, fs::file_size(victim) - 5);
  const std::string error = CrashRecordings().resume(dir, 3);
  EXPECT_NE(error.find(victim.string() + ": "), std::string::npos) << error;
  EXPECT_NE(error.find("truncated"), std::string::npos) << error;
}

}  // namespace
}  // namespace app
