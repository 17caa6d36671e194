//===- Npy.h - NumPy .npy / .npz files --------------------------*- C++ -*-===//
//
// Reading and writing NumPy's array files, for the tools that feed compiled
// models and compare their outputs (qlow-run, qlow-npy).
//
//   .npy  format versions 1.0, 2.0 and 3.0; little-endian, C order only.
//         dtypes: <f4 <f8 <f2 |i1 |u1 <i4 <i8 |b1 (read and written; the tools
//         convert <f8 and the integer types to double where they compare).
//   .npz  ZIP archives of .npy members, stored or deflated (read and
//         written). ZIP64 archives are rejected.
//
// Every malformed input is an llvm::Error whose message names the file (and
// the archive member): nothing here crashes or aborts on bad bytes. Writing
// goes to a temporary file in the destination's directory that is renamed
// into place only when it is complete.
//
// Plain C++17 over LLVMSupport and zlib; no MLIR.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_SUPPORT_NPY_H
#define QLOW_SUPPORT_NPY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace qlow {

/// The byte size of one element of a supported dtype (NumPy's `descr`
/// spelling: "<f4", "<f8", "<f2", "|i1", "|u1", "<i4", "<i8", "|b1"), or
/// std::nullopt for anything else.
std::optional<int64_t> npyItemSize(llvm::StringRef dtype);

/// The canonical spelling of a dtype as NumPy writes it, accepting the
/// equivalent spellings NumPy reads ("<i1" or "i1" for "|i1", "=f4" for "<f4"
/// on this little-endian host), or std::nullopt when unsupported (big-endian,
/// structured, strings, ...).
std::optional<std::string> canonicalNpyDtype(llvm::StringRef dtype);

/// Short names used by the tools: f32 f64 f16 i8 u8 i32 i64 bool <-> descr.
std::optional<std::string> npyDtypeFromShortName(llvm::StringRef shortName);
/// The short name of a supported descr ("<f4" -> "f32"); the descr itself
/// when it has none.
std::string npyShortName(llvm::StringRef dtype);

/// "[1, 4]" ("[]" for a 0-d array).
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// A dense, C-ordered, little-endian array. `data` holds exactly
/// numElements() * itemSize() bytes.
struct NpyArray {
  std::string dtype; ///< canonical descr, e.g. "<f4"
  std::vector<int64_t> shape;
  std::vector<char> data;

  /// Product of the shape (1 for a 0-d array).
  int64_t numElements() const;
  /// Bytes per element (0 for an unsupported dtype).
  int64_t itemSize() const;
  bool isFloat() const;

  /// Element `i` (in C order) converted to double (f2/f4/f8 and integers).
  double getAsDouble(int64_t i) const;
  /// Every element converted to double / to float.
  std::vector<double> toDoubles() const;
  std::vector<float> toFloats() const;

  /// Element `i` reinterpreted as T (sizeof(T) must be the item size).
  template <typename T> T get(int64_t i) const {
    T v;
    std::memcpy(&v, data.data() + i * sizeof(T), sizeof(T));
    return v;
  }

  /// A zero-filled array of `dtype` (which must be supported).
  static NpyArray zeros(llvm::StringRef dtype, llvm::ArrayRef<int64_t> shape);
  /// An array holding `values` (whose element size must match `dtype`).
  template <typename T>
  static NpyArray create(llvm::StringRef dtype, llvm::ArrayRef<int64_t> shape,
                         llvm::ArrayRef<T> values) {
    NpyArray a;
    a.dtype = dtype.str();
    a.shape.assign(shape.begin(), shape.end());
    a.data.resize(values.size() * sizeof(T));
    if (!values.empty())
      std::memcpy(a.data.data(), values.data(), a.data.size());
    return a;
  }
  static NpyArray fromFloats(llvm::ArrayRef<int64_t> shape,
                             llvm::ArrayRef<float> values) {
    return create<float>("<f4", shape, values);
  }

  /// Checks the invariants (supported dtype, non-negative shape without
  /// overflow, data size matching the shape); `name` prefixes the message.
  llvm::Error verify(llvm::StringRef name) const;
};

/// Archive member name without ".npy" -> array.
using NpzMap = std::map<std::string, NpyArray>;

/// Parses the bytes of a .npy file; `name` (the file) prefixes errors.
llvm::Expected<NpyArray> parseNpy(llvm::StringRef bytes, llvm::StringRef name);
/// Reads a .npy file.
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);

/// Parses the bytes of a .npz archive; `name` prefixes errors. Members whose
/// names do not end in ".npy" keep their full name; directories are skipped.
llvm::Expected<NpzMap> parseNpz(llvm::StringRef bytes, llvm::StringRef name);
/// Reads a .npz archive.
llvm::Expected<NpzMap> readNpz(llvm::StringRef path);

/// Serializes `array` as a .npy file (version 1.0, or 2.0 when the header
/// needs it), header padded to a multiple of 64 bytes as NumPy does.
llvm::Error writeNpy(llvm::raw_ostream &os, const NpyArray &array);
/// Writes `path` atomically (temporary file renamed into place).
llvm::Error writeNpy(llvm::StringRef path, const NpyArray &array);

/// Serializes a .npz archive (members "<name>.npy"), stored or deflated.
llvm::Error writeNpz(llvm::raw_ostream &os, const NpzMap &arrays,
                     bool compress);
/// Writes `path` atomically (temporary file renamed into place).
llvm::Error writeNpz(llvm::StringRef path, const NpzMap &arrays,
                     bool compress);

} // namespace qlow

#endif // QLOW_SUPPORT_NPY_H
