// Saving a scenario file without ever destroying the one on disk: the new text goes to a
// temporary file in the same folder and is flushed to disk, the previous version is kept as
// FILE.bak, and only then is the temporary renamed over FILE (a rename within one folder is
// atomic: a reader, or a crash, sees the old file or the new one, never half of one).
#pragma once

#include <string>

namespace editor {

/// Where the previous version of `path` is kept: "<path>.bak".
std::string backup_path(const std::string& path);

/// Writes text to path as above. Returns "" on success, else what failed, naming the file; on
/// failure the file at path is as it was and no temporary file is left behind.
std::string save_with_backup(const std::string& path, const std::string& text);

}  // namespace editor
