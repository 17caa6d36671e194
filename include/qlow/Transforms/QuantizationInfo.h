//===- QuantizationInfo.h - what a quantized model contains -----*- C++ -*-===//
//
// One collection of "what was quantized" that the summary pass prints as
// text and the compile driver writes into its JSON report.
//
//===----------------------------------------------------------------------===//
#ifndef QLOW_TRANSFORMS_QUANTIZATIONINFO_H
#define QLOW_TRANSFORMS_QUANTIZATIONINFO_H

#include "Qlow/IR/QuantUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/MapVector.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::qlow {

struct TensorQuantizationInfo {
  std::string name;
  std::string op;        ///< the producing op ("input" for an argument)
  std::string precision; ///< "int8", "f16" or "f32"
  std::optional<QuantParams> params; ///< when quantized
};

struct FloatIslandInfo {
  std::string name, reason;
};

struct QuantizationInfo {
  std::string function;
  llvm::MapVector<StringRef, unsigned> quantizedOps; ///< op kind -> count
  unsigned floatOps = 0; ///< float compute ops outside islands
  int64_t weightParameters = 0, weightScales = 0;
  std::vector<TensorQuantizationInfo> tensors;
  std::vector<FloatIslandInfo> islands;

  /// Weights in FP32 bytes and quantized bytes (int8 values + f32 scales).
  double fp32WeightBytes() const { return 4.0 * double(weightParameters); }
  double quantizedWeightBytes() const {
    return double(weightParameters) + 4.0 * double(weightScales);
  }
};

/// Collects the information of a function after qlow-quantize.
QuantizationInfo collectQuantizationInfo(func::FuncOp func);

} // namespace mlir::qlow

#endif // QLOW_TRANSFORMS_QUANTIZATIONINFO_H
