//===- CalibrationData.h - calibration samples from NumPy files -*- C++ -*-===//
//
// Calibration data is a directory of .npy files or one .npz archive, keyed
// by model input name:
//   DIR/<input>.npy            one sample, or a stack of samples [S, ...]
//   DIR/<input>/<any>.npy      several such files, taken in name order
//   FILE.npz with members <input>(.npy)
//   FILE.npy                   for a model with a single input
// An array holds exactly the input's shape (one sample) or, when the input's
// leading (batch) dimension is 1, a stack [S, rest...] of S samples. Every
// input must get the same number of samples; values must be float32.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_DRIVER_CALIBRATIONDATA_H
#define QLOW_DRIVER_CALIBRATIONDATA_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace qlow {

struct ModelInputInfo {
  std::string name;
  std::vector<int64_t> shape;
  /// The NumPy dtype (`descr`) the input's data must have: "<f4", "|u1",
  /// "|i1", "<i4", "<i8" or "|b1".
  std::string npyDtype = "<f4";
};

struct CalibrationData {
  std::vector<std::string> inputNames;
  /// samples[s][i]: the bytes of input i in sample s, row-major, in the
  /// input's own element type.
  std::vector<std::vector<std::vector<char>>> samples;
};

/// Loads and checks calibration data for a model with `inputs`; every
/// problem (missing or empty data, a file for an input the model does not
/// have, a missing input, wrong shape or dtype, a corrupt file, different
/// sample counts) is an error naming the file.
llvm::Expected<CalibrationData>
loadCalibrationData(llvm::StringRef path, llvm::ArrayRef<ModelInputInfo> inputs);

} // namespace qlow

#endif // QLOW_DRIVER_CALIBRATIONDATA_H
