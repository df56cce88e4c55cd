// Replacing a file so that a crash, a full disk or a failed write leaves the old file or the new
// one, never a mix or an empty file. Checkpoints, run-folder files, episode recordings and the
// editor's saves are all written this way.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace sim {

/// Writes `bytes` to `path` + ".tmp-PID" (in path's folder, so the rename stays on one
/// filesystem), flushes it to disk, runs `before_replace` if given (an error it returns stops
/// there), renames the new file over `path` and flushes the folder (best effort: some
/// filesystems refuse). Returns "" or what failed, e.g. "cannot write 'x.tmp-7': No space left on
/// device", with the temporary file removed and `path` untouched. A temporary file that cannot be
/// created (a folder in its place, say) is left alone: it is not ours.
std::string replace_file(const std::string& path, std::string_view bytes,
                         const std::function<std::string()>& before_replace = {});

}  // namespace sim
