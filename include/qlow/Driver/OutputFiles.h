//===- OutputFiles.h - all outputs or none ----------------------*- C++ -*-===//
//
// A compile writes several files (.o, .so, .h, report); a failure half-way
// must leave none of them behind, and must not clobber the previous ones.
// Each output is written to a temporary beside its final path; commit()
// renames them all into place, and the destructor removes whatever was not
// committed.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_DRIVER_OUTPUTFILES_H
#define QLOW_DRIVER_OUTPUTFILES_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace qlow {

class OutputFiles {
public:
  OutputFiles() = default;
  OutputFiles(const OutputFiles &) = delete;
  OutputFiles &operator=(const OutputFiles &) = delete;
  ~OutputFiles();

  /// Reserves `finalPath` and returns the temporary path to write it to.
  /// Fails if the directory cannot be written.
  llvm::Expected<std::string> add(llvm::StringRef finalPath);
  /// Writes `contents` as `finalPath` (through its temporary).
  llvm::Error write(llvm::StringRef finalPath, llvm::StringRef contents);
  /// Moves every temporary into place.
  llvm::Error commit();

private:
  struct Entry {
    std::string finalPath, tempPath;
  };
  std::vector<Entry> entries;
  bool committed = false;
};

} // namespace qlow

#endif // QLOW_DRIVER_OUTPUTFILES_H
