//===- OutputFiles.cpp - all outputs or none ------------------------------===//
#include "qlow/Driver/OutputFiles.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

using namespace qlow;

OutputFiles::~OutputFiles() {
  if (committed)
    return;
  for (const Entry &e : entries) {
    llvm::sys::fs::remove(e.tempPath);
    llvm::sys::DontRemoveFileOnSignal(e.tempPath);
  }
}

llvm::Expected<std::string> OutputFiles::add(llvm::StringRef finalPath) {
  llvm::SmallString<256> temp;
  int fd;
  // Beside the final file, so the rename stays within one file system.
  std::error_code ec = llvm::sys::fs::createUniqueFile(
      finalPath + ".tmp-%%%%%%", fd, temp);
  if (ec)
    return llvm::createStringError(ec, "cannot write '%s': %s",
                                   finalPath.str().c_str(),
                                   ec.message().c_str());
  llvm::sys::fs::closeFile(fd);
  // Also gone if the compiler is interrupted (SIGINT, SIGTERM).
  llvm::sys::RemoveFileOnSignal(temp);
  entries.push_back({finalPath.str(), temp.str().str()});
  return temp.str().str();
}

llvm::Error OutputFiles::write(llvm::StringRef finalPath,
                               llvm::StringRef contents) {
  llvm::Expected<std::string> temp = add(finalPath);
  if (!temp)
    return temp.takeError();
  std::error_code ec;
  llvm::raw_fd_ostream os(*temp, ec);
  if (!ec) {
    os << contents;
    os.close();
    ec = os.error();
  }
  if (ec)
    return llvm::createStringError(ec, "cannot write '%s': %s",
                                   finalPath.str().c_str(),
                                   ec.message().c_str());
  return llvm::Error::success();
}

llvm::Error OutputFiles::commit() {
  for (const Entry &e : entries) {
    if (std::error_code ec = llvm::sys::fs::rename(e.tempPath, e.finalPath))
      return llvm::createStringError(ec, "cannot move '%s' into place: %s",
                                     e.finalPath.c_str(), ec.message().c_str());
    llvm::sys::DontRemoveFileOnSignal(e.tempPath);
  }
  committed = true;
  return llvm::Error::success();
}
