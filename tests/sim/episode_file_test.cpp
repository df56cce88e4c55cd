// Episode files: round trip, bit-for-bit replay, atomic save, and a clear error (never a crash)
// for every missing, truncated, corrupt or mismatched file.
#include "sim/episode_file.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/autopilot.h"
#include "sim/hash.h"
#include "support/test_tracks.h"

namespace sim {
namespace {

namespace fs = std::filesystem;
using testing::load_or_fail;
using testing::OvalOptions;
using testing::oval_toml;

LoadedScenario oval(const std::string& extra = "") {
  return load_or_fail(oval_toml(OvalOptions{200.0f, 40.0f, 20.0f, false, extra}));
}

/// An episode of the autopilot that weaves (so the actions vary) until it ends or `steps` pass.
EpisodeFile drive(const LoadedScenario& s, std::uint64_t seed, int steps) {
  Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  env.reset(seed, obs);
  for (int k = 0; k < steps && !env.done(); ++k) {
    const CarControls c = autopilot(env.world(), 0, AutopilotSpec{14.0f, 10.0f, 3.0f * std::sin(0.05f * k)});
    const float action[2] = {c.steer, c.throttle};
    env.step(action, obs);
  }
  return episode_from_env(env, "test episode");
}

fs::path temp_file(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / "crashcourse_episode_file";
  fs::create_directories(dir);
  return dir / name;
}

/// The message of the EpisodeFileError that decoding `bytes` throws ("" if it does not throw).
std::string decode_error(std::span<const std::byte> bytes) {
  try {
    decode_episode(bytes, "ep.episode");
  } catch (const EpisodeFileError& e) {
    return e.what();
  }
  return "";
}

TEST(EpisodeFileTest, EncodeDecodeKeepsEveryField) {
  const LoadedScenario s = oval();
  const EpisodeFile e = drive(s, 7, 120);
  const EpisodeFile back = decode_episode(encode_episode(e), "ep.episode");
  EXPECT_EQ(back.scenario_name, "test oval");
  EXPECT_EQ(back.scenario_fingerprint, s.scenario->fingerprint);
  EXPECT_EQ(back.source, "test episode");
  EXPECT_EQ(back.record.start, e.record.start);
  EXPECT_EQ(back.record.actions, e.record.actions);
  EXPECT_EQ(back.end, EndCause::None);
  EXPECT_EQ(back.length, 120);
  EXPECT_EQ(back.record.actions.size(), 240u);
}

TEST(EpisodeFileTest, ASavedEpisodeReplaysBitForBit) {
  const LoadedScenario s = oval("[episode]\nmax_steps = 300\n");
  Env original(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(original.observation_size()));
  original.reset(11, obs);
  for (int k = 0; !original.done(); ++k) {
    const CarControls c = autopilot(original.world(), 0, AutopilotSpec{});
    const float action[2] = {c.steer, c.throttle};
    original.step(action, obs);
  }
  const fs::path path = temp_file("replay.episode");
  save_episode(path.string(), episode_from_env(original, "test"));
  const EpisodeFile loaded = load_episode(path.string());
  EXPECT_EQ(loaded.end, EndCause::TimeLimit);
  EXPECT_EQ(loaded.length, 300);

  Env replayed(s.scenario, s.track);
  std::vector<float> replay_obs(obs.size());
  replay_episode(replayed, loaded, path.string(), replay_obs);
  EXPECT_EQ(hash_world(replayed.world()), hash_world(original.world()));
  EXPECT_EQ(replay_obs, obs);
  EXPECT_TRUE(replayed.done());
}

TEST(EpisodeFileTest, SaveReplacesTheFileAndLeavesNoTemporaryBehind) {
  const LoadedScenario s = oval();
  const fs::path path = temp_file("atomic.episode");
  save_episode(path.string(), drive(s, 1, 10));
  save_episode(path.string(), drive(s, 2, 20));
  EXPECT_EQ(load_episode(path.string()).length, 20);
  for (const fs::directory_entry& entry : fs::directory_iterator(path.parent_path())) {
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << entry.path();
  }
}

TEST(EpisodeFileTest, SaveIntoAMissingFolderNamesTheFile) {
  try {
    save_episode("/nonexistent-folder/x.episode", EpisodeFile{});
    FAIL() << "expected an error";
  } catch (const EpisodeFileError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-folder/x.episode: cannot create"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos) << e.what();
  }
}

TEST(EpisodeFileTest, MissingFileAndFolderAreNamed) {
  try {
    load_episode("/nonexistent/run.episode");
    FAIL();
  } catch (const EpisodeFileError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/run.episode: cannot read episode file: No such file or directory");
  }
  const std::string dir = temp_file("").string();
  try {
    load_episode(dir);
    FAIL();
  } catch (const EpisodeFileError& e) {
    EXPECT_NE(std::string(e.what()).find("Is a directory (hint: pass an episode file, or a run folder"), std::string::npos)
        << e.what();
  }
}

TEST(EpisodeFileTest, EmptyFileAndWrongMagicAreNamed) {
  EXPECT_EQ(decode_error({}), "ep.episode: expected a crashcourse episode file, got an empty file (hint: the file was "
                              "cut short (an interrupted copy?); record the episode again)");
  const std::string text = "name = \"oval\"\n";
  const std::string error = decode_error(std::as_bytes(std::span(text)));
  EXPECT_NE(error.find("ep.episode: not a crashcourse episode file: expected magic 'CCEPISD', got 'name = \"'"),
            std::string::npos) << error;
}

TEST(EpisodeFileTest, ACheckpointGivenAsAnEpisodeGetsAHint) {
  const std::string magic("CRASHCK\0rest", 12);
  const std::string error = decode_error(std::as_bytes(std::span(magic)));
  EXPECT_NE(error.find("hint: this is a checkpoint: watch its policy drive with `crashcourse watch --checkpoint "
                       "ep.episode --no-train`"), std::string::npos) << error;
}

TEST(EpisodeFileTest, EveryTruncationIsReportedAsTruncatedWhereTheFileEnds) {
  const std::vector<std::byte> bytes = encode_episode(drive(oval(), 3, 50));
  for (std::size_t size = 1; size < bytes.size(); ++size) {
    const std::string error = decode_error(std::span(bytes).first(size));
    ASSERT_NE(error.find("ep.episode: "), std::string::npos) << size;
    ASSERT_NE(error.find("truncated"), std::string::npos) << "size " << size << ": " << error;
    if (size >= 20) {
      ASSERT_NE(error.find("byte "), std::string::npos) << error;
    }
  }
  // A cut inside the actions names that field and how much is missing.
  const std::string error = decode_error(std::span(bytes).first(bytes.size() - 100));
  EXPECT_NE(error.find("in field 'actions': truncated: expected 400 more bytes, got"), std::string::npos) << error;
}

TEST(EpisodeFileTest, EveryCorruptByteIsAnErrorNeverACrash) {
  const std::vector<std::byte> good = encode_episode(drive(oval(), 3, 30));
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::vector<std::byte> bad = good;
    bad[i] ^= std::byte{0x5a};
    const std::string error = decode_error(bad);
    ASSERT_FALSE(error.empty()) << "byte " << i << " flipped went unnoticed";
    if (i >= 20) {
      ASSERT_NE(error.find("checksum mismatch"), std::string::npos) << i << ": " << error;
    }
  }
}

TEST(EpisodeFileTest, NewerVersionAndAppendedBytesAreRefused) {
  std::vector<std::byte> bytes = encode_episode(drive(oval(), 3, 5));
  std::vector<std::byte> newer = bytes;
  newer[8] = std::byte{9};
  EXPECT_EQ(decode_error(newer), "ep.episode: byte 8 in the header: format version 9 is newer than this build reads "
                                 "(3) (hint: replay it with a newer crashcourse)");
  bytes.push_back(std::byte{0});
  EXPECT_NE(decode_error(bytes).find("expected the file to end here (as its header says), got 1 more bytes"),
            std::string::npos);
}

TEST(EpisodeFileTest, InconsistentFieldsBehindAValidChecksumAreNamed) {
  EpisodeFile e = drive(oval(), 3, 5);
  e.length = 6;  // claims one more step than the actions hold
  std::vector<std::byte> bytes = encode_episode(e);
  const std::string error = decode_error(bytes);
  EXPECT_NE(error.find("in field 'actions': expected 48 bytes, got 44 left before the checksum"), std::string::npos)
      << error;
}

TEST(EpisodeFileTest, AnEpisodeOfAnotherScenarioIsRefusedByName) {
  const LoadedScenario s = oval();
  const LoadedScenario other = oval("[episode]\nmax_steps = 99\n");
  const EpisodeFile e = drive(s, 3, 20);
  Env env(other.scenario, other.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  try {
    replay_episode(env, e, "ep.episode", obs);
    FAIL();
  } catch (const EpisodeFileError& err) {
    const std::string m = err.what();
    EXPECT_NE(m.find("ep.episode: field 'fingerprint': expected an episode of scenario 'test oval'"), std::string::npos) << m;
    EXPECT_NE(m.find("got one of another version of it"), std::string::npos) << m;
    EXPECT_NE(m.find("hint: the scenario file changed"), std::string::npos) << m;
  }
}

TEST(EpisodeFileTest, AReplayThatEndsDifferentlyThanRecordedIsReported) {
  const LoadedScenario s = oval();
  EpisodeFile e = drive(s, 3, 40);
  e.end = EndCause::Crash;  // as if another build had crashed here
  Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  try {
    replay_episode(env, e, "ep.episode", obs);
    FAIL();
  } catch (const EpisodeFileError& err) {
    EXPECT_NE(std::string(err.what()).find("expected the replay to end as recorded (crash after 40 steps), got none "
                                           "after 40 steps"), std::string::npos) << err.what();
  }
}

/// Full throttle and full left lock from a standing start: the car drives into the left wall. The
/// recording is made as the trainer makes one, from the env right after the crash.
EpisodeFile crash_recording(const LoadedScenario& s, std::uint64_t seed) {
  Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  env.reset(seed, obs);
  const float action[2] = {1.0f, 1.0f};
  while (!env.done()) {
    const StepResult r = env.step(action, obs);
    if (!r.info.events.crashed) continue;
    EpisodeFile e = episode_from_env(env, "test crash");
    const CarEvents& ev = r.info.events;
    e.crash = CrashInfo{1234, ev.crash_point.x, ev.crash_point.y, ev.crash_speed, ev.crash_with, ev.crash_index,
                        env.episode().crashes};
    return e;
  }
  ADD_FAILURE() << "the car never crashed";
  return {};
}

TEST(EpisodeFileTest, ACrashRecordingRoundTripsAndReplaysIntoTheSameCrashOnTheSameStep) {
  const LoadedScenario s = oval();
  const EpisodeFile e = crash_recording(s, 5);
  ASSERT_TRUE(e.crash.has_value());
  EXPECT_EQ(e.end, EndCause::Crash);
  EXPECT_EQ(e.crash->with, BodyKind::Wall);
  const EpisodeFile back = decode_episode(encode_episode(e), "crash.episode");
  ASSERT_TRUE(back.crash.has_value());
  EXPECT_EQ(back.crash->global_step, 1234);
  EXPECT_EQ(back.crash->x, e.crash->x);
  EXPECT_EQ(back.crash->y, e.crash->y);
  EXPECT_EQ(back.crash->speed, e.crash->speed);
  EXPECT_EQ(back.crash->with, e.crash->with);
  EXPECT_EQ(back.crash->with_index, e.crash->with_index);
  EXPECT_EQ(back.crash->crashes, 1);

  Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  EXPECT_NO_THROW(replay_episode(env, back, "crash.episode", obs));
  EXPECT_EQ(env.episode().length, e.length);
  EXPECT_EQ(env.episode().cause, EndCause::Crash);
}

TEST(EpisodeFileTest, ACrashRecordingWhoseLastStepDoesNotCrashIsReported) {
  const LoadedScenario s = oval();
  EpisodeFile e = crash_recording(s, 5);
  // Cut the crash off: the recording now ends one step early, still claiming a crash there.
  e.record.actions.resize(e.record.actions.size() - Env::kActionSize);
  e.length -= 1;
  e.end = EndCause::None;
  Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  try {
    replay_episode(env, e, "crash.episode", obs);
    FAIL();
  } catch (const EpisodeFileError& err) {
    EXPECT_NE(std::string(err.what()).find("crash.episode: field 'crash': expected crash 1 of the episode on step " +
                                           std::to_string(e.length) + ", got no crash on that step"),
              std::string::npos) << err.what();
  }
}

TEST(EpisodeFileTest, ACorruptCrashSectionIsNamed) {
  EpisodeFile e = crash_recording(oval(), 5);
  e.crash->with = static_cast<BodyKind>(7);
  EXPECT_NE(decode_error(encode_episode(e)).find("in field 'crash': expected what was hit as 1 (wall), 2 (obstacle), "
                                                 "3 (car), 4 (traffic) or 5 (mover), got 7"), std::string::npos);
  e = crash_recording(oval(), 5);
  e.crash->crashes = 0;
  EXPECT_NE(decode_error(encode_episode(e)).find("in field 'crash': expected a crash count in [1, length]"),
            std::string::npos);
}

/// An older version of the file: `bytes` with `cut` bytes before the checksum dropped, the
/// version set, and the size and checksum made right again.
std::vector<std::byte> as_version(std::vector<std::byte> bytes, std::size_t cut, std::uint8_t version) {
  bytes.resize(bytes.size() - 8 - cut);
  bytes[8] = std::byte{version};
  const std::uint64_t size = bytes.size() + 8;
  for (std::size_t i = 0; i < 8; ++i) bytes[12 + i] = static_cast<std::byte>(size >> (8 * i));
  const std::uint64_t sum = fnv1a(bytes.data(), bytes.size());
  for (std::size_t i = 0; i < 8; ++i) bytes.push_back(static_cast<std::byte>(sum >> (8 * i)));
  return bytes;
}

TEST(EpisodeFileTest, AVersion1FileWithoutACrashSectionStillReads) {
  const EpisodeFile e = drive(oval(), 3, 25);
  // Version 1 is version 2 without the has_crash word before the checksum.
  const EpisodeFile back = decode_episode(as_version(encode_episode(e), 4, 1), "v1.episode");
  EXPECT_EQ(back.length, e.length);
  EXPECT_EQ(back.record.actions, e.record.actions);
  EXPECT_FALSE(back.crash.has_value());
}

TEST(EpisodeFileTest, AVersion2CrashRecordingStillReadsAsAgent0) {
  const LoadedScenario s = oval();
  const EpisodeFile e = crash_recording(s, 5);
  // Version 2 is version 3 without the crash's agent word before the checksum.
  const EpisodeFile back = decode_episode(as_version(encode_episode(e), 4, 2), "v2.episode");
  ASSERT_TRUE(back.crash.has_value());
  EXPECT_EQ(back.crash->agent, 0);
  EXPECT_EQ(back.agents, 1);
  Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(env.observation_size()));
  replay_episode(env, back, "v2.episode", obs);
  EXPECT_EQ(env.episode().cause, EndCause::Crash);
}

TEST(EpisodeFileTest, AMultiAgentCrashRecordingNamesItsAgentAndReplaysIntoItsCrash) {
  // Agent 1 turns hard into the wall; agent 0, 15 m ahead, idles.
  const LoadedScenario s = oval("[spawn]\ns = 65\nagents = 2\nagent_spacing = 15\n");
  Env env(s.scenario, s.track);
  std::vector<float> obs(static_cast<std::size_t>(2 * env.observation_size()));
  std::vector<StepResult> results(2);
  env.reset(5, obs);
  const float actions[4] = {0.0f, 0.0f, 1.0f, 1.0f};
  while (!env.done()) env.step(actions, obs, results);
  const CarEvents& ev = results[1].info.events;
  ASSERT_EQ(results[1].info.cause, EndCause::Crash);
  EpisodeFile e = episode_from_env(env, "agent 1 crash", 1);
  e.crash = CrashInfo{77, ev.crash_point.x, ev.crash_point.y, ev.crash_speed, ev.crash_with, ev.crash_index, 1, 1};
  EXPECT_EQ(e.end, EndCause::Crash) << "agent 1's end, not agent 0's (other_agent)";
  const EpisodeFile back = decode_episode(encode_episode(e), "multi.episode");
  EXPECT_EQ(back.agents, 2);
  ASSERT_TRUE(back.crash.has_value());
  EXPECT_EQ(back.crash->agent, 1);
  EXPECT_EQ(back.record.actions, e.record.actions);
  Env again(s.scenario, s.track);
  replay_episode(again, back, "multi.episode", obs);
  EXPECT_EQ(again.episode(1).cause, EndCause::Crash);
  EXPECT_EQ(again.episode(0).cause, EndCause::OtherAgent);

  EpisodeFile wrong = back;
  wrong.crash->agent = 0;  // agent 0 did not crash
  EXPECT_THROW(replay_episode(again, wrong, "wrong.episode", obs), EpisodeFileError);
  wrong.crash->agent = 2;  // there is no agent 2
  EXPECT_NE(decode_error(encode_episode(wrong)).find("expected the crashed agent in [0, 1], got 2"), std::string::npos);
  wrong = back;
  wrong.agents = 1;  // a file that claims another number of agents than its scenario has
  try {
    replay_episode(again, wrong, "wrong.episode", obs);
    ADD_FAILURE() << "a one-agent episode replayed on a two-agent env";
  } catch (const EpisodeFileError& error) {
    EXPECT_NE(std::string(error.what()).find("expected the actions of 2 agents per step, got 1"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace sim
