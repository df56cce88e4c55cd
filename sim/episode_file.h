// Episode files: one recorded episode (an EpisodeRecord: the env's random state at reset and the
// actions taken) with the scenario it belongs to and how it ended, so `crashcourse replay` can
// show it again, bit for bit, long after it was driven.
//
// Layout (all integers and floats little-endian):
//   0   magic          8 bytes  "CCEPISD\0"
//   8   version        u32      kEpisodeFileVersion
//   12  file_size      u64      bytes in the whole file, trailer included
//   20  scenario_name  u32 length + bytes
//       fingerprint    u64      sim::Scenario::fingerprint of the scenario it was driven on
//       source         u32 length + bytes: what recorded it ("evaluation episode 3 of ...")
//       rng_start      4 × u64, f32 spare, u32 has_spare (Rng::State)
//       end_cause      u32      EndCause (None: recorded before the episode ended)
//       length         u32      env steps
//       action_size    u32      values per step: agents × Env::kActionSize (agent after agent)
//       actions        length × action_size f32
//       has_crash      u32      1: a crash recording, the fields below follow (version ≥ 2)
//       crash          i64 global_step, f32 x, f32 y, f32 speed, u32 with (BodyKind),
//                      i32 with_index, u32 crashes, u32 agent (version ≥ 3)
//   end checksum       u64      FNV-1a 64 of every byte before it
//
// Changing the layout bumps kEpisodeFileVersion; a reader refuses versions newer than its own.
// Every error is an EpisodeFileError reading "<path>: <place>: expected <X>, got <Y> (hint: …)",
// as checkpoint errors do. A file shorter than its header says is reported as truncated in the
// field where it ends; any other damage as a checksum mismatch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/env.h"
#include "sim/scenario.h"

namespace sim {

/// 2 added the crash section, 3 the crash's agent (multi-agent scenarios); 1 and 2 still read.
inline constexpr std::uint32_t kEpisodeFileVersion = 3;

/// What a crash recording adds to an episode: its last step is the step that crashed.
struct CrashInfo {
  std::int64_t global_step = 0;  ///< training env step of the crash (1-based; 0 outside training)
  float x = 0.0f, y = 0.0f;      ///< m, where the car touched
  float speed = 0.0f;            ///< m/s, the car's speed at the end of the step
  BodyKind with = BodyKind::Wall;
  int with_index = 0;            ///< index of the obstacle, car, traffic car or mover hit
  int crashes = 1;               ///< the episode's crash count after that step, this one included
  int agent = 0;                 ///< the agent that crashed (0 in single-agent scenarios)
};

struct EpisodeFile {
  std::string scenario_name;
  std::uint64_t scenario_fingerprint = 0;  ///< Scenario::fingerprint
  std::string source;                      ///< free text: what recorded the episode
  EpisodeRecord record;
  EndCause end = EndCause::None;           ///< how the episode ended (None: not ended)
  int length = 0;                          ///< env steps; record.actions holds length × agents × kActionSize
  int agents = 1;                          ///< agent-controlled cars (the scenario's spawn.agents)
  std::optional<CrashInfo> crash;          ///< set for a crash recording
  /// The agent whose episode `end` and `crash` describe: the crashed one, else agent 0.
  int agent() const { return crash ? crash->agent : 0; }
};

/// What went wrong with an episode file: the file, the place, what was expected, and advice.
struct EpisodeFileError : std::runtime_error {
  EpisodeFileError(const std::string& path, const std::string& place, const std::string& message,
                   const std::string& hint = "");
  std::string path;
  std::string place;    ///< "byte 52 in field 'actions'", or "" when the whole file is meant
  std::string message;
  std::string hint;
};

/// The episode env has driven so far (complete once env.done()), labelled with `source`; its end
/// is agent's (set crash->agent to the same agent for a crash recording).
EpisodeFile episode_from_env(const Env& env, const std::string& source, int agent = 0);

/// The format without file I/O; decode validates everything load_episode does.
std::vector<std::byte> encode_episode(const EpisodeFile& episode);
EpisodeFile decode_episode(std::span<const std::byte> bytes, const std::string& path);

/// Writes atomically (temporary file in the same folder, fsync, rename); on failure an existing
/// file at path is untouched and EpisodeFileError is thrown.
void save_episode(const std::string& path, const EpisodeFile& episode);
/// Reads and validates an episode file; throws EpisodeFileError on any problem.
EpisodeFile load_episode(const std::string& path);

/// Replays the episode in env (which must run the scenario it names) and checks that it ends as
/// recorded (a crash recording: that its last step crashed), leaving env at the episode's last step and its observation in obs. Throws
/// EpisodeFileError naming `path` when the scenario differs (by fingerprint) or the replay does
/// not reproduce the recorded end: a file recorded by another build.
void replay_episode(Env& env, const EpisodeFile& episode, const std::string& path, std::span<float> obs);

}  // namespace sim
