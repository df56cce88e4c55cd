// Document: a scenario file as the editor holds it — every key and table of the file in a toml++
// table, so what the editor does not know (a [[traffic]] block, a section a newer simulator
// reads, a misspelt key the loader will flag) survives a save unchanged, plus the file's comments
// attached to the tables and keys they sit above or beside. read_document and write_document
// convert from and to TOML text in the style of the files in scenarios/.
#pragma once

#include <toml++/toml.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/diagnostics.h"

namespace editor {

/// The comments of one table of the file.
struct TableComments {
  std::string above;                               ///< comment lines right above its [header]
  std::map<std::string, std::string> key_above;    ///< key → comment lines right above the key
  std::map<std::string, std::string> key_after;    ///< key → the comment ending the key's line
};

struct Document {
  toml::table root;
  /// Comments of the top level ("") and of each [table], by name.
  std::map<std::string, TableComments> tables;
  /// Comments of each element of an array of tables ([[obstacles]], [[traffic]]), by name; kept
  /// the same length as the array by the edits.
  std::map<std::string, std::vector<TableComments>> arrays;
};

/// Parses TOML text. A syntax error is appended to `diagnostics` (file:line:col) and gives nothing.
std::optional<Document> read_document(std::string_view text, const std::string& file,
                                      std::vector<sim::Diagnostic>& diagnostics);

/// The document as TOML: top-level keys, then [track], [[obstacles]], [spawn], [car], [sensors],
/// [reward], [episode], [[traffic]] and any other table, each with its known keys in the
/// documented order and the rest after them; track points four to a line; comments where they
/// were. Comments inside a multi-line value (between track points) are not kept. Writing what
/// read_document read gives a document with the same values.
std::string write_document(const Document& doc);

}  // namespace editor
