//===- qlow-reference-eval.cpp - evaluate a function by the integer spec --===//
//
// Interprets one function of a quantized qlow module op by op, doing all of
// the integer arithmetic with the plain C++ reference of docs/integer-spec.md
// (qlow::ref), on the inputs that qlow-test-harness bakes into its @main
// (qlow/Support/TestData.h). It prints the results in the harness's format,
// so that
//
//   qlow-reference-eval q.mlir --func=forward --seed=7 > ref.txt
//   qlow-opt q.mlir ... --qlow-test-harness="func=forward seed=7" ...
//     | mlir-runner -e main ... > out.txt
//   diff ref.txt out.txt
//
// proves the compiled integer code bit-exact with the spec.
//
// Output: every element of every result, row-major, one per line; results
// one after another. Integers print in decimal; a quantized result prints
// its storage values as the lowered code holds them: in an integer of the
// storage width (at least 8 bits), sign-extended, so u8 200 prints as -56
// exactly as the harness prints an i8 holding it. f32 values print as the
// decimal of their bit pattern read as i32 (--float-format=decimal prints
// them as numbers instead, for people).
//
// Float (f32) ops are evaluated in plain f32 loops; they are for looking at
// the FP32 model and are not bit-exact with any compiled code.
//
//===----------------------------------------------------------------------===//
#include "Qlow/IR/QlowDialect.h"
#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"
#include "qlow/Reference/IntegerSpec.h"
#include "qlow/Reference/Kernels.h"
#include "qlow/Support/TestData.h"
#include "qlow/Transforms/CalibrationStats.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <algorithm>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

using namespace mlir;
namespace ref = ::qlow::ref;
using mlir::qlow::QuantParams;
using ref::Shape;

namespace {

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

llvm::cl::opt<std::string> inputFilename(llvm::cl::Positional,
                                         llvm::cl::desc("<input .mlir file>"),
                                         llvm::cl::init("-"));
llvm::cl::opt<std::string> funcName("func",
                                    llvm::cl::desc("function to evaluate"),
                                    llvm::cl::init("forward"));
llvm::cl::opt<uint64_t> seedOpt("seed", llvm::cl::desc("seed of the inputs"),
                                llvm::cl::init(1));
llvm::cl::opt<float>
    rangeOpt("range", llvm::cl::desc("inputs are uniform in [-range, range)"),
             llvm::cl::init(1.0f));
llvm::cl::opt<std::string> statsOut(
    "stats-out",
    llvm::cl::desc("write the min/max each qlow.observe probe saw, over all "
                   "samples, as a calibration statistics file"),
    llvm::cl::init(""));
llvm::cl::opt<unsigned>
    samplesOpt("samples",
               llvm::cl::desc("evaluate this many inputs (seeds seed, "
                              "seed+1, ...); results of the last are printed"),
               llvm::cl::init(1));
enum class FloatFormat { Bits, Decimal };
llvm::cl::opt<FloatFormat> floatFormat(
    "float-format", llvm::cl::desc("how f32 results are printed"),
    llvm::cl::values(
        clEnumValN(FloatFormat::Bits, "bits",
                   "the bit pattern as a decimal i32 (the harness format)"),
        clEnumValN(FloatFormat::Decimal, "decimal",
                   "the value, with 9 significant digits")),
    llvm::cl::init(FloatFormat::Bits));

//===----------------------------------------------------------------------===//
// Runtime values
//===----------------------------------------------------------------------===//

/// A tensor value during interpretation: f32 values, or integers (storage
/// values of a quantized tensor, or plain integers) as int32.
struct RtValue {
  RankedTensorType type;
  bool isFloat = false;
  ref::Tensor ints;          // shape always; data when !isFloat
  std::vector<float> floats; // data when isFloat

  const Shape &shape() const { return ints.shape; }
  int64_t size() const { return ref::numElements(ints.shape); }
};

Shape shapeOf(RankedTensorType t) {
  return Shape(t.getShape().begin(), t.getShape().end());
}

RtValue makeInts(RankedTensorType type, ref::Tensor t) {
  RtValue v;
  v.type = type;
  v.isFloat = false;
  v.ints = std::move(t);
  return v;
}

RtValue makeFloats(RankedTensorType type, std::vector<float> data) {
  RtValue v;
  v.type = type;
  v.isFloat = true;
  v.ints.shape = shapeOf(type);
  v.floats = std::move(data);
  return v;
}

bool fitsInt32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() &&
         v <= std::numeric_limits<int32_t>::max();
}

/// Row-major strides of a shape.
std::vector<int64_t> stridesOf(const Shape &shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;)
    s[i - 1] = s[i] * shape[i];
  return s;
}

/// Index along `axis` of the element at row-major position `flat`.
int64_t axisIndex(const Shape &shape, int64_t axis, int64_t flat) {
  int64_t stride = 1;
  for (size_t d = static_cast<size_t>(axis) + 1; d < shape.size(); ++d)
    stride *= shape[d];
  return (flat / stride) % shape[static_cast<size_t>(axis)];
}


/// Transposed copy: result dimension i is input dimension perm[i].
template <typename T>
std::vector<T> transposeData(const std::vector<T> &in, const Shape &inShape,
                             ArrayRef<int64_t> perm) {
  size_t rank = inShape.size();
  Shape outShape(rank);
  for (size_t i = 0; i < rank; ++i)
    outShape[i] = inShape[static_cast<size_t>(perm[i])];
  std::vector<int64_t> inStrides = stridesOf(inShape);
  std::vector<T> out;
  out.reserve(in.size());
  std::vector<int64_t> coord(rank, 0);
  int64_t total = ref::numElements(outShape);
  for (int64_t i = 0; i < total; ++i) {
    int64_t src = 0;
    for (size_t d = 0; d < rank; ++d)
      src += coord[d] * inStrides[static_cast<size_t>(perm[d])];
    out.push_back(in[static_cast<size_t>(src)]);
    for (size_t d = rank; d-- > 0;) {
      if (++coord[d] < outShape[d])
        break;
      coord[d] = 0;
    }
  }
  return out;
}

/// A copy of `in` where output coordinate i of dimension d reads input
/// coordinate map(d, i) (slices and gathers).
template <typename T>
std::vector<T> selectData(const std::vector<T> &in, const Shape &inShape,
                          const Shape &outShape,
                          llvm::function_ref<int64_t(size_t, int64_t)> map) {
  size_t rank = inShape.size();
  std::vector<int64_t> inStrides = stridesOf(inShape);
  std::vector<T> out;
  std::vector<int64_t> coord(rank, 0);
  int64_t total = ref::numElements(outShape);
  out.reserve(static_cast<size_t>(total));
  for (int64_t i = 0; i < total; ++i) {
    int64_t src = 0;
    for (size_t d = 0; d < rank; ++d)
      src += map(d, coord[d]) * inStrides[d];
    out.push_back(in[static_cast<size_t>(src)]);
    for (size_t d = rank; d-- > 0;) {
      if (++coord[d] < outShape[d])
        break;
      coord[d] = 0;
    }
  }
  return out;
}

/// Concatenation along `axis` of row-major pieces with the given shapes.
template <typename T>
std::vector<T> concatData(ArrayRef<const std::vector<T> *> pieces,
                          ArrayRef<Shape> shapes, int64_t axis) {
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shapes[0][static_cast<size_t>(d)];
  std::vector<T> out;
  for (int64_t o = 0; o < outer; ++o)
    for (size_t p = 0; p < pieces.size(); ++p) {
      int64_t chunk = 1;
      for (size_t d = static_cast<size_t>(axis); d < shapes[p].size(); ++d)
        chunk *= shapes[p][d];
      auto begin = pieces[p]->begin() + o * chunk;
      out.insert(out.end(), begin, begin + chunk);
    }
  return out;
}

//===----------------------------------------------------------------------===//
// Reading constants
//===----------------------------------------------------------------------===//

/// The raw bytes of a dense resource, or null when elided / absent.
const AsmResourceBlob *resourceBlob(Attribute attr) {
  auto res = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!res)
    return nullptr;
  return res.getRawHandle().getBlob();
}

/// Integer elements of a constant (DenseElementsAttr or a dense resource of
/// 8/16/32-bit integers), sign- or zero-extended.
FailureOr<std::vector<int64_t>> readInts(Operation *op, ElementsAttr attr,
                                         bool isSigned) {
  auto elemType = dyn_cast<IntegerType>(attr.getElementType());
  if (!elemType || elemType.getWidth() > 64)
    return op->emitError() << "expects an integer constant, got "
                           << attr.getType();
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(attr.getNumElements()));
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    for (const APInt &v : dense.getValues<APInt>())
      out.push_back(isSigned ? v.getSExtValue()
                             : static_cast<int64_t>(v.getZExtValue()));
    return out;
  }
  unsigned width = elemType.getWidth();
  if (const AsmResourceBlob *blob = resourceBlob(attr)) {
    ArrayRef<char> data = blob->getData();
    if (width != 8 && width != 16 && width != 32)
      return op->emitError() << "cannot read a dense resource of i" << width;
    size_t bytes = width / 8;
    if (data.size() != bytes * static_cast<size_t>(attr.getNumElements()))
      return op->emitError()
             << "dense resource holds " << data.size() << " bytes, expected "
             << bytes * attr.getNumElements();
    for (size_t i = 0; i < data.size(); i += bytes) {
      uint32_t raw = 0;
      std::memcpy(&raw, data.data() + i, bytes); // little-endian host
      APInt v(width, raw, /*isSigned=*/false, /*implicitTrunc=*/true);
      out.push_back(isSigned ? v.getSExtValue()
                             : static_cast<int64_t>(v.getZExtValue()));
    }
    return out;
  }
  return op->emitError() << "cannot read the values of constant "
                         << attr.getType()
                         << " (expected dense elements or a dense resource "
                            "with its data)";
}

FailureOr<std::vector<float>> readFloats(Operation *op, ElementsAttr attr) {
  if (!attr.getElementType().isF32())
    return op->emitError() << "expects an f32 constant, got " << attr.getType();
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  if (const AsmResourceBlob *blob = resourceBlob(attr)) {
    ArrayRef<char> data = blob->getData();
    if (data.size() != 4 * static_cast<size_t>(attr.getNumElements()))
      return op->emitError()
             << "dense resource holds " << data.size() << " bytes, expected "
             << 4 * attr.getNumElements();
    std::vector<float> out(static_cast<size_t>(attr.getNumElements()));
    std::memcpy(out.data(), data.data(), data.size());
    return out;
  }
  return op->emitError() << "cannot read the values of constant "
                         << attr.getType();
}

//===----------------------------------------------------------------------===//
// The evaluator
//===----------------------------------------------------------------------===//

class Evaluator {
public:
  /// Evaluates `fn` on the harness inputs; appends its results.
  LogicalResult run(func::FuncOp fn, uint64_t seed, float range,
                    std::vector<RtValue> &results);

  /// The range each qlow.observe probe saw, over every run so far.
  mlir::qlow::CalibrationStats observed;

private:
  std::unordered_map<const void *, RtValue> env;

  LogicalResult evalBlock(Block &block, std::vector<RtValue> *yielded);
  LogicalResult evalOp(Operation *op);

  void recordRange(StringRef name, const RtValue &v) {
    if (!v.isFloat || v.floats.empty())
      return;
    auto [lo, hi] = std::minmax_element(v.floats.begin(), v.floats.end());
    auto [it, inserted] = observed.tensors.try_emplace(name);
    if (inserted) {
      it->second.min = *lo;
      it->second.max = *hi;
      return;
    }
    it->second.min = std::min(it->second.min, double(*lo));
    it->second.max = std::max(it->second.max, double(*hi));
  }

  FailureOr<const RtValue *> lookup(Operation *op, Value v) {
    auto it = env.find(v.getAsOpaquePointer());
    if (it == env.end())
      return op->emitError() << "operand has no value (defined by an op that "
                                "was not evaluated)";
    return &it->second;
  }
  void bind(Value v, RtValue value) {
    env[v.getAsOpaquePointer()] = std::move(value);
  }

  // Op evaluators; each returns the value of the op's single result.
  FailureOr<RtValue> evalArithConstant(arith::ConstantOp op);
  FailureOr<RtValue> evalConst(mlir::qlow::ConstOp op);
  FailureOr<RtValue> evalQuantize(mlir::qlow::QuantizeOp op);
  FailureOr<RtValue> evalDequantize(mlir::qlow::DequantizeOp op);
  FailureOr<RtValue> evalRequantize(mlir::qlow::RequantizeOp op);
  FailureOr<RtValue> evalLut(mlir::qlow::LutOp op);
  FailureOr<RtValue> evalConv2D(mlir::qlow::Conv2DOp op);
  FailureOr<RtValue> evalMatmul(mlir::qlow::MatmulOp op);
  FailureOr<RtValue> evalBinary(Operation *op, Value lhs, Value rhs,
                                FloatAttr clampMin, FloatAttr clampMax,
                                bool isAdd);
  FailureOr<RtValue> evalPool(Operation *op, Value input,
                              ArrayRef<int64_t> kernel,
                              ArrayRef<int64_t> strides,
                              ArrayRef<int64_t> padding, bool isMax);
  FailureOr<RtValue> evalConcat(mlir::qlow::ConcatOp op);
  FailureOr<RtValue> evalClamp(mlir::qlow::ClampOp op);
  FailureOr<RtValue> evalReshape(mlir::qlow::ReshapeOp op);
  FailureOr<RtValue> evalTranspose(mlir::qlow::TransposeOp op);
  /// Slices and gathers: output coordinate i of dimension d reads input
  /// coordinate map(d, i).
  FailureOr<RtValue> evalSelect(Operation *op,
                                llvm::function_ref<int64_t(size_t, int64_t)> map);
  LogicalResult evalFloatIsland(mlir::qlow::FloatIslandOp op);
};

/// The statically shaped tensor type of `v`, or an error on `op`.
FailureOr<RankedTensorType> staticTensorType(Operation *op, Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (!t || !t.hasStaticShape())
    return op->emitError() << "expects statically shaped tensors, got "
                           << v.getType();
  return t;
}

/// Quantization parameters of a value, or an error on `op`.
FailureOr<QuantParams> quantParamsOf(Operation *op, Value v) {
  FailureOr<QuantParams> p = mlir::qlow::getQuantParams(v.getType());
  if (failed(p))
    return op->emitError() << "expects a uniform quantized type, got "
                           << v.getType();
  // Up to 16 bits every product and sum the spec forms is exact in int64.
  if (p->bits > 16)
    return op->emitError() << "quantized storage of " << p->bits
                           << " bits is not supported (at most 16)";
  return p;
}

/// The value must be an f32 tensor.
LogicalResult expectF32(Operation *op, const RtValue &v) {
  if (!v.isFloat || !v.type.getElementType().isF32())
    return op->emitError() << "float evaluation supports f32 tensors only, got "
                           << v.type;
  return success();
}

/// The value must be quantized per tensor.
LogicalResult expectPerTensor(Operation *op, const QuantParams &p,
                              StringRef what) {
  if (p.isPerAxis())
    return op->emitError() << "expects a per-tensor quantized " << what;
  return success();
}

std::optional<float> optionalFloat(FloatAttr a) {
  if (!a)
    return std::nullopt;
  return static_cast<float>(a.getValueAsDouble());
}

/// A fixed-point multiplier, or an error naming what it is for.
FailureOr<ref::FixedPointMultiplier> multiplierOf(Operation *op, double real,
                                                  const Twine &what) {
  std::optional<ref::FixedPointMultiplier> m = ref::computeMultiplier(real);
  if (!m)
    return op->emitError() << "invalid " << what << " multiplier " << real
                           << " (must be finite, > 0 and < 2^31)";
  return *m;
}

/// Integer output stage of a quantized result: zero point and the storage
/// range intersected with a fused activation.
ref::OutputParams outputParams(const QuantParams &p, FloatAttr clampMin,
                               FloatAttr clampMax) {
  ref::OutputParams out;
  out.zeroPoint = static_cast<int32_t>(p.zeroPoint());
  auto [lo, hi] = ref::activationBounds(
      optionalFloat(clampMin), optionalFloat(clampMax),
      static_cast<float>(p.scale()), out.zeroPoint,
      static_cast<int32_t>(p.qmin), static_cast<int32_t>(p.qmax));
  out.min = lo;
  out.max = hi;
  return out;
}

LogicalResult Evaluator::run(func::FuncOp fn, uint64_t seed, float range,
                             std::vector<RtValue> &results) {
  Block &entry = fn.getBody().front();
  for (unsigned i = 0, e = entry.getNumArguments(); i < e; ++i) {
    BlockArgument arg = entry.getArgument(i);
    auto t = dyn_cast<RankedTensorType>(arg.getType());
    auto argError = [&]() {
      return fn.emitError() << "argument #" << i << " of @" << fn.getSymName()
                            << " has type " << arg.getType() << ": ";
    };
    if (!t || !t.hasStaticShape())
      return argError() << "expected a statically shaped tensor";
    int64_t n = t.getNumElements();
    Type elem = t.getElementType();
    if (elem.isF32()) {
      std::vector<float> data(static_cast<size_t>(n));
      for (int64_t k = 0; k < n; ++k)
        data[static_cast<size_t>(k)] = ::qlow::testInputValue(
            ::qlow::testArgumentSeed(seed, i), k, range);
      bind(arg, makeFloats(t, std::move(data)));
      continue;
    }
    unsigned bits;
    int64_t lo, hi;
    if (auto q = mlir::qlow::getQuantElementType(t)) {
      // A quantized argument is fed its storage integers as the lowered
      // function's integer argument gets them.
      if (!q.isSigned())
        return argError() << "quantized arguments need signed storage";
      bits = q.getStorageTypeIntegralWidth();
      lo = q.getStorageTypeMin();
      hi = q.getStorageTypeMax();
    } else if (auto it = dyn_cast<IntegerType>(elem);
               it && it.isSignless() && it.getWidth() <= 32) {
      bits = it.getWidth();
      lo = std::numeric_limits<int64_t>::min();
      hi = std::numeric_limits<int64_t>::max();
    } else {
      return argError() << "expected f32, signless integers of at most 32 "
                           "bits or signed quantized storage";
    }
    std::vector<int32_t> data(static_cast<size_t>(n));
    for (int64_t k = 0; k < n; ++k) {
      int64_t v = ::qlow::testInputInteger(::qlow::testArgumentSeed(seed, i), k,
                                           range, bits);
      if (v < lo || v > hi)
        return argError() << "input value " << v << " lies outside the "
                          << "storage range [" << lo << ", " << hi
                          << "] (use a smaller --range)";
      data[static_cast<size_t>(k)] = static_cast<int32_t>(v);
    }
    bind(arg, makeInts(t, ref::Tensor(shapeOf(t), std::move(data))));
  }
  return evalBlock(entry, &results);
}

LogicalResult Evaluator::evalBlock(Block &block,
                                   std::vector<RtValue> *yielded) {
  for (Operation &op : block) {
    if (isa<func::ReturnOp, mlir::qlow::YieldOp>(op)) {
      for (Value v : op.getOperands()) {
        FailureOr<const RtValue *> r = lookup(&op, v);
        if (failed(r))
          return failure();
        yielded->push_back(**r);
      }
      return success();
    }
    if (failed(evalOp(&op)))
      return failure();
  }
  return block.getParentOp()->emitError() << "block has no terminator";
}

LogicalResult Evaluator::evalOp(Operation *op) {
  if (auto island = dyn_cast<mlir::qlow::FloatIslandOp>(op))
    return evalFloatIsland(island);
  if (!isa<arith::ConstantOp, mlir::qlow::ConstOp, mlir::qlow::ObserveOp,
           mlir::qlow::QuantizeOp, mlir::qlow::DequantizeOp,
           mlir::qlow::RequantizeOp, mlir::qlow::Conv2DOp, mlir::qlow::MatmulOp,
           mlir::qlow::AddOp, mlir::qlow::MulOp, mlir::qlow::MaxPool2DOp,
           mlir::qlow::AvgPool2DOp, mlir::qlow::GlobalAvgPoolOp,
           mlir::qlow::ConcatOp, mlir::qlow::ClampOp, mlir::qlow::ReshapeOp,
           mlir::qlow::TransposeOp, mlir::qlow::SliceOp,
           mlir::qlow::GatherOp, mlir::qlow::LutOp>(op))
    return op->emitError() << "qlow-reference-eval: unsupported op '"
                           << op->getName() << "'";
  FailureOr<RankedTensorType> resultType =
      staticTensorType(op, op->getResult(0));
  if (failed(resultType))
    return failure();
  FailureOr<RtValue> result =
      llvm::TypeSwitch<Operation *, FailureOr<RtValue>>(op)
          .Case([&](arith::ConstantOp c) { return evalArithConstant(c); })
          .Case([&](mlir::qlow::ConstOp c) { return evalConst(c); })
          .Case([&](mlir::qlow::ObserveOp o) -> FailureOr<RtValue> {
            FailureOr<const RtValue *> in = lookup(op, o.getInput());
            if (failed(in))
              return failure();
            recordRange(o.getName(), **in);
            return **in;
          })
          .Case([&](mlir::qlow::QuantizeOp o) { return evalQuantize(o); })
          .Case([&](mlir::qlow::DequantizeOp o) { return evalDequantize(o); })
          .Case([&](mlir::qlow::RequantizeOp o) { return evalRequantize(o); })
          .Case([&](mlir::qlow::LutOp o) { return evalLut(o); })
          .Case([&](mlir::qlow::Conv2DOp o) { return evalConv2D(o); })
          .Case([&](mlir::qlow::MatmulOp o) { return evalMatmul(o); })
          .Case([&](mlir::qlow::AddOp o) {
            return evalBinary(op, o.getLhs(), o.getRhs(), o.getClampMinAttr(),
                              o.getClampMaxAttr(), /*isAdd=*/true);
          })
          .Case([&](mlir::qlow::MulOp o) {
            return evalBinary(op, o.getLhs(), o.getRhs(), o.getClampMinAttr(),
                              o.getClampMaxAttr(), /*isAdd=*/false);
          })
          .Case([&](mlir::qlow::MaxPool2DOp o) {
            return evalPool(op, o.getInput(), o.getKernel(), o.getStrides(),
                            o.getPadding(), /*isMax=*/true);
          })
          .Case([&](mlir::qlow::AvgPool2DOp o) {
            return evalPool(op, o.getInput(), o.getKernel(), o.getStrides(),
                            o.getPadding(), /*isMax=*/false);
          })
          .Case([&](mlir::qlow::GlobalAvgPoolOp o) -> FailureOr<RtValue> {
            auto in = staticTensorType(op, o.getInput());
            if (failed(in))
              return failure();
            int64_t kernel[2] = {in->getDimSize(1), in->getDimSize(2)};
            int64_t strides[2] = {1, 1};
            int64_t padding[4] = {0, 0, 0, 0};
            return evalPool(op, o.getInput(), kernel, strides, padding,
                            /*isMax=*/false);
          })
          .Case([&](mlir::qlow::ConcatOp o) { return evalConcat(o); })
          .Case([&](mlir::qlow::ClampOp o) { return evalClamp(o); })
          .Case([&](mlir::qlow::ReshapeOp o) { return evalReshape(o); })
          .Case([&](mlir::qlow::TransposeOp o) { return evalTranspose(o); })
          .Case([&](mlir::qlow::SliceOp o) {
            ArrayRef<int64_t> offsets = o.getOffsets(),
                              strides = o.getStrides();
            return evalSelect(o, [&](size_t d, int64_t i) {
              return offsets[d] + i * strides[d];
            });
          })
          .Case([&](mlir::qlow::GatherOp o) {
            size_t axis = size_t(o.getAxis());
            ArrayRef<int64_t> indices = o.getIndices();
            return evalSelect(o, [&](size_t d, int64_t i) {
              return d == axis ? indices[size_t(i)] : i;
            });
          })
          .Default([&](Operation *) -> FailureOr<RtValue> {
            return op->emitError() << "qlow-reference-eval: unsupported op '"
                                   << op->getName() << "'";
          });
  if (failed(result))
    return failure();
  if (result->shape() != shapeOf(*resultType))
    return op->emitError() << "evaluated shape does not match the result type "
                           << *resultType;
  result->type = *resultType;
  bind(op->getResult(0), std::move(*result));
  return success();
}

LogicalResult Evaluator::evalFloatIsland(mlir::qlow::FloatIslandOp op) {
  std::vector<RtValue> yielded;
  if (failed(evalBlock(op.getBody().front(), &yielded)))
    return failure();
  for (auto [result, value] : llvm::zip(op.getResults(), yielded))
    bind(result, std::move(value));
  return success();
}

//===----------------------------------------------------------------------===//
// Constants and (de/re)quantization
//===----------------------------------------------------------------------===//

FailureOr<RtValue> Evaluator::evalArithConstant(arith::ConstantOp op) {
  auto attr = dyn_cast<ElementsAttr>(op.getValue());
  auto type = cast<RankedTensorType>(op.getType());
  if (!attr)
    return op.emitError() << "expects a tensor constant";
  if (type.getElementType().isF32()) {
    FailureOr<std::vector<float>> values = readFloats(op, attr);
    if (failed(values))
      return failure();
    return makeFloats(type, std::move(*values));
  }
  auto it = dyn_cast<IntegerType>(type.getElementType());
  if (!it || it.getWidth() > 32)
    return op.emitError() << "supports f32 and integer (at most 32-bit) "
                             "constants, got "
                          << type;
  FailureOr<std::vector<int64_t>> values =
      readInts(op, attr, /*isSigned=*/true);
  if (failed(values))
    return failure();
  std::vector<int32_t> data(values->begin(), values->end());
  return makeInts(type, ref::Tensor(shapeOf(type), std::move(data)));
}

FailureOr<RtValue> Evaluator::evalConst(mlir::qlow::ConstOp op) {
  auto type = cast<RankedTensorType>(op.getType());
  FailureOr<QuantParams> p = quantParamsOf(op, op.getOutput());
  if (failed(p))
    return failure();
  FailureOr<std::vector<int64_t>> values =
      readInts(op, op.getValue(), p->isSigned);
  if (failed(values))
    return failure();
  std::vector<int32_t> data;
  data.reserve(values->size());
  for (int64_t v : *values) {
    if (v < p->qmin || v > p->qmax)
      return op.emitError() << "storage value " << v << " is outside ["
                            << p->qmin << ", " << p->qmax << "]";
    data.push_back(static_cast<int32_t>(v));
  }
  return makeInts(type, ref::Tensor(shapeOf(type), std::move(data)));
}

FailureOr<RtValue> Evaluator::evalQuantize(mlir::qlow::QuantizeOp op) {
  FailureOr<const RtValue *> in = lookup(op, op.getInput());
  FailureOr<QuantParams> p = quantParamsOf(op, op.getOutput());
  if (failed(in) || failed(p) || failed(expectF32(op, **in)))
    return failure();
  const RtValue &x = **in;
  int32_t qmin = static_cast<int32_t>(p->qmin);
  int32_t qmax = static_cast<int32_t>(p->qmax);
  auto type = cast<RankedTensorType>(op.getType());
  if (!p->isPerAxis())
    return makeInts(
        type,
        ref::quantizeTensor(x.shape(), x.floats, static_cast<float>(p->scale()),
                            static_cast<int32_t>(p->zeroPoint()), qmin, qmax));
  std::vector<int32_t> data(x.floats.size());
  for (int64_t i = 0; i < x.size(); ++i) {
    int64_t c = axisIndex(x.shape(), p->axis, i);
    data[static_cast<size_t>(i)] = ref::quantize(
        x.floats[static_cast<size_t>(i)], static_cast<float>(p->scale(c)),
        static_cast<int32_t>(p->zeroPoint(c)), qmin, qmax);
  }
  return makeInts(type, ref::Tensor(x.shape(), std::move(data)));
}

FailureOr<RtValue> Evaluator::evalDequantize(mlir::qlow::DequantizeOp op) {
  FailureOr<const RtValue *> in = lookup(op, op.getInput());
  FailureOr<QuantParams> p = quantParamsOf(op, op.getInput());
  if (failed(in) || failed(p))
    return failure();
  auto type = cast<RankedTensorType>(op.getType());
  if (!type.getElementType().isF32())
    return op.emitError() << "supports dequantizing to f32 only, got " << type;
  const RtValue &x = **in;
  if (!p->isPerAxis())
    return makeFloats(
        type, ref::dequantizeTensor(x.ints, static_cast<float>(p->scale()),
                                    static_cast<int32_t>(p->zeroPoint())));
  std::vector<float> data(static_cast<size_t>(x.size()));
  for (int64_t i = 0; i < x.size(); ++i) {
    int64_t c = axisIndex(x.shape(), p->axis, i);
    data[static_cast<size_t>(i)] =
        ref::dequantize(x.ints[i], static_cast<float>(p->scale(c)),
                        static_cast<int32_t>(p->zeroPoint(c)));
  }
  return makeFloats(type, std::move(data));
}

/// The integer spec's table lookup (section 13): out = table[q - qmin].
FailureOr<RtValue> Evaluator::evalLut(mlir::qlow::LutOp op) {
  FailureOr<const RtValue *> in = lookup(op, op.getInput());
  FailureOr<QuantParams> pi = quantParamsOf(op, op.getInput());
  if (failed(in) || failed(pi))
    return failure();
  ArrayRef<int32_t> table = op.getTable();
  const RtValue &x = **in;
  std::vector<int32_t> out;
  out.reserve(x.ints.data.size());
  for (int32_t q : x.ints.data)
    out.push_back(table[size_t(q - pi->qmin)]);
  auto type = cast<RankedTensorType>(op.getType());
  return makeInts(type, ref::Tensor(shapeOf(type), std::move(out)));
}

FailureOr<RtValue> Evaluator::evalRequantize(mlir::qlow::RequantizeOp op) {
  FailureOr<const RtValue *> in = lookup(op, op.getInput());
  FailureOr<QuantParams> pi = quantParamsOf(op, op.getInput());
  FailureOr<QuantParams> po = quantParamsOf(op, op.getOutput());
  if (failed(in) || failed(pi) || failed(po))
    return failure();
  const RtValue &x = **in;
  auto type = cast<RankedTensorType>(op.getType());
  int32_t qmin = static_cast<int32_t>(po->qmin);
  int32_t qmax = static_cast<int32_t>(po->qmax);
  if (!pi->isPerAxis() && !po->isPerAxis()) {
    auto m = multiplierOf(op, pi->scale() / po->scale(), "requantize");
    if (failed(m))
      return failure();
    ref::OutputParams out{static_cast<int32_t>(po->zeroPoint()), qmin, qmax};
    return makeInts(
        type, ref::requantizeTensor(
                  x.ints, static_cast<int32_t>(pi->zeroPoint()), *m, out));
  }
  if (pi->isPerAxis() && po->isPerAxis() && pi->axis != po->axis)
    return op.emitError() << "requantize between different quantized "
                             "dimensions is not supported";
  int32_t axis = pi->isPerAxis() ? pi->axis : po->axis;
  int64_t channels = x.shape()[static_cast<size_t>(axis)];
  std::vector<ref::FixedPointMultiplier> ms;
  for (int64_t c = 0; c < channels; ++c) {
    auto m = multiplierOf(op, pi->scale(c) / po->scale(c),
                          "requantize channel " + Twine(c));
    if (failed(m))
      return failure();
    ms.push_back(*m);
  }
  std::vector<int32_t> data(static_cast<size_t>(x.size()));
  for (int64_t i = 0; i < x.size(); ++i) {
    int64_t c = axisIndex(x.shape(), axis, i);
    data[static_cast<size_t>(i)] =
        ref::requantize(x.ints[i], static_cast<int32_t>(pi->zeroPoint(c)),
                        ms[static_cast<size_t>(c)],
                        static_cast<int32_t>(po->zeroPoint(c)), qmin, qmax);
  }
  return makeInts(type, ref::Tensor(x.shape(), std::move(data)));
}

//===----------------------------------------------------------------------===//
// Conv2D and matmul
//===----------------------------------------------------------------------===//

/// Per-output-channel parameters shared by quantized conv and matmul: weight
/// zero points, quantized bias and multipliers for `channels` channels.
struct ChannelParams {
  std::vector<int32_t> weightZeroPoints, biasQ;
  std::vector<ref::FixedPointMultiplier> multipliers;
};

FailureOr<ChannelParams> channelParams(Operation *op, const QuantParams &px,
                                       const QuantParams &pw,
                                       const QuantParams &py,
                                       const RtValue *bias, int64_t channels) {
  ChannelParams cp;
  for (int64_t o = 0; o < channels; ++o) {
    double sw = pw.scale(o);
    cp.weightZeroPoints.push_back(static_cast<int32_t>(pw.zeroPoint(o)));
    if (bias)
      cp.biasQ.push_back(ref::quantizeBias(
          static_cast<double>(bias->floats[static_cast<size_t>(o)]), px.scale(),
          sw));
    auto m = multiplierOf(op, px.scale() * sw / py.scale(),
                          "output channel " + Twine(o));
    if (failed(m))
      return failure();
    cp.multipliers.push_back(*m);
  }
  return cp;
}

/// requantizeOutput of each accumulator with its channel's multiplier
/// (channel = the innermost index), after checking that every accumulator
/// fits i32 as the spec requires.
FailureOr<ref::Tensor>
requantizeAccumulators(Operation *op, const std::vector<int64_t> &accs,
                       const Shape &shape,
                       const std::vector<ref::FixedPointMultiplier> &ms,
                       const ref::OutputParams &out) {
  int64_t channels = shape.back();
  ref::Tensor result = ref::Tensor::filled(shape, 0);
  for (int64_t i = 0; i < result.size(); ++i) {
    int64_t acc = accs[static_cast<size_t>(i)];
    if (!fitsInt32(acc))
      return op->emitError() << "accumulator " << acc << " of element " << i
                             << " does not fit i32";
    result[i] =
        ref::requantizeOutput(acc, ms[static_cast<size_t>(i % channels)],
                              out.zeroPoint, out.min, out.max);
  }
  return result;
}

float clampFloat(float v, FloatAttr lo, FloatAttr hi) {
  if (lo && v < static_cast<float>(lo.getValueAsDouble()))
    v = static_cast<float>(lo.getValueAsDouble());
  if (hi && v > static_cast<float>(hi.getValueAsDouble()))
    v = static_cast<float>(hi.getValueAsDouble());
  return v;
}

FailureOr<RtValue> Evaluator::evalConv2D(mlir::qlow::Conv2DOp op) {
  FailureOr<const RtValue *> in = lookup(op, op.getInput());
  FailureOr<const RtValue *> filter = lookup(op, op.getFilter());
  if (failed(in) || failed(filter))
    return failure();
  const RtValue *bias = nullptr;
  if (op.getBias()) {
    FailureOr<const RtValue *> b = lookup(op, op.getBias());
    if (failed(b) || failed(expectF32(op, **b)))
      return failure();
    bias = *b;
  }
  auto type = cast<RankedTensorType>(op.getType());
  const RtValue &x = **in, &w = **filter;
  ref::Conv2DParams cp;
  auto strides = op.getStrides(), padding = op.getPadding(),
       dilation = op.getDilation();
  cp.strides = {strides[0], strides[1]};
  cp.padding = {padding[0], padding[1], padding[2], padding[3]};
  cp.dilations = {dilation[0], dilation[1]};
  cp.groups = op.getGroups();
  Shape outShape = ref::conv2dOutputShape(x.shape(), w.shape(), cp);
  int64_t channels = w.shape()[0];

  if (!mlir::qlow::isQuantized(op.getInput())) {
    if (failed(expectF32(op, x)) || failed(expectF32(op, w)))
      return failure();
    int64_t h = x.shape()[1], wd = x.shape()[2], c = x.shape()[3];
    int64_t kh = w.shape()[1], kw = w.shape()[2], cpg = w.shape()[3];
    int64_t opg = channels / cp.groups;
    std::vector<float> out;
    out.reserve(static_cast<size_t>(ref::numElements(outShape)));
    for (int64_t n = 0; n < outShape[0]; ++n)
      for (int64_t oy = 0; oy < outShape[1]; ++oy)
        for (int64_t ox = 0; ox < outShape[2]; ++ox)
          for (int64_t oc = 0; oc < channels; ++oc) {
            float acc = 0.0f;
            int64_t group = oc / opg;
            for (int64_t ky = 0; ky < kh; ++ky) {
              int64_t iy =
                  oy * cp.strides[0] - cp.padding[0] + ky * cp.dilations[0];
              if (iy < 0 || iy >= h)
                continue;
              for (int64_t kx = 0; kx < kw; ++kx) {
                int64_t ix =
                    ox * cp.strides[1] - cp.padding[2] + kx * cp.dilations[1];
                if (ix < 0 || ix >= wd)
                  continue;
                for (int64_t ci = 0; ci < cpg; ++ci)
                  acc += x.floats[static_cast<size_t>(
                             ((n * h + iy) * wd + ix) * c + group * cpg + ci)] *
                         w.floats[static_cast<size_t>(
                             ((oc * kh + ky) * kw + kx) * cpg + ci)];
              }
            }
            if (bias)
              acc += bias->floats[static_cast<size_t>(oc)];
            out.push_back(
                clampFloat(acc, op.getClampMinAttr(), op.getClampMaxAttr()));
          }
    return makeFloats(type, std::move(out));
  }

  FailureOr<QuantParams> px = quantParamsOf(op, op.getInput());
  FailureOr<QuantParams> pw = quantParamsOf(op, op.getFilter());
  FailureOr<QuantParams> py = quantParamsOf(op, op.getOutput());
  if (failed(px) || failed(pw) || failed(py) ||
      failed(expectPerTensor(op, *px, "input")) ||
      failed(expectPerTensor(op, *py, "result")))
    return failure();
  if (pw->isPerAxis() && pw->axis != 0)
    return op.emitError() << "expects filter quantization per tensor or per "
                             "axis on dimension 0";
  FailureOr<ChannelParams> chp =
      channelParams(op, *px, *pw, *py, bias, channels);
  if (failed(chp))
    return failure();
  cp.inputZeroPoint = static_cast<int32_t>(px->zeroPoint());
  cp.weightZeroPoints = chp->weightZeroPoints;
  cp.biasQ = chp->biasQ;
  cp.multipliers = chp->multipliers;
  cp.output = outputParams(*py, op.getClampMinAttr(), op.getClampMaxAttr());
  std::vector<int64_t> accs = ref::conv2dAccumulators(x.ints, w.ints, cp);
  FailureOr<ref::Tensor> out =
      requantizeAccumulators(op, accs, outShape, cp.multipliers, cp.output);
  if (failed(out))
    return failure();
  return makeInts(type, std::move(*out));
}

FailureOr<RtValue> Evaluator::evalMatmul(mlir::qlow::MatmulOp op) {
  FailureOr<const RtValue *> lhsV = lookup(op, op.getLhs());
  FailureOr<const RtValue *> rhsV = lookup(op, op.getRhs());
  if (failed(lhsV) || failed(rhsV))
    return failure();
  const RtValue *bias = nullptr;
  if (op.getBias()) {
    FailureOr<const RtValue *> b = lookup(op, op.getBias());
    if (failed(b) || failed(expectF32(op, **b)))
      return failure();
    bias = *b;
  }
  auto type = cast<RankedTensorType>(op.getType());
  const RtValue &a = **lhsV, &w = **rhsV;
  size_t r = a.shape().size();
  int64_t batch = r == 3 ? a.shape()[0] : 1;
  int64_t m = a.shape()[r - 2], k = a.shape()[r - 1], n = w.shape().back();
  bool batchedRhs = w.shape().size() == 3;
  Shape outShape = a.shape();
  outShape.back() = n;

  if (!mlir::qlow::isQuantized(op.getLhs())) {
    if (failed(expectF32(op, a)) || failed(expectF32(op, w)))
      return failure();
    std::vector<float> out;
    out.reserve(static_cast<size_t>(batch * m * n));
    for (int64_t b = 0; b < batch; ++b) {
      int64_t wOff = batchedRhs ? b * k * n : 0;
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
          float acc = 0.0f;
          for (int64_t kk = 0; kk < k; ++kk)
            acc += a.floats[static_cast<size_t>((b * m + i) * k + kk)] *
                   w.floats[static_cast<size_t>(wOff + kk * n + j)];
          if (bias)
            acc += bias->floats[static_cast<size_t>(j)];
          out.push_back(
              clampFloat(acc, op.getClampMinAttr(), op.getClampMaxAttr()));
        }
    }
    return makeFloats(type, std::move(out));
  }

  FailureOr<QuantParams> px = quantParamsOf(op, op.getLhs());
  FailureOr<QuantParams> pw = quantParamsOf(op, op.getRhs());
  FailureOr<QuantParams> py = quantParamsOf(op, op.getOutput());
  if (failed(px) || failed(pw) || failed(py) ||
      failed(expectPerTensor(op, *px, "lhs")) ||
      failed(expectPerTensor(op, *py, "result")))
    return failure();
  if (pw->isPerAxis() && pw->axis != static_cast<int32_t>(w.shape().size()) - 1)
    return op.emitError() << "expects rhs quantization per tensor or per axis "
                             "on its last (N) dimension";
  FailureOr<ChannelParams> chp = channelParams(op, *px, *pw, *py, bias, n);
  if (failed(chp))
    return failure();
  ref::MatMulParams mp;
  mp.inputZeroPoint = static_cast<int32_t>(px->zeroPoint());
  mp.weightZeroPoints = chp->weightZeroPoints;
  mp.biasQ = chp->biasQ;
  mp.multipliers = chp->multipliers;
  mp.output = outputParams(*py, op.getClampMinAttr(), op.getClampMaxAttr());
  std::vector<int64_t> accs;
  if (!batchedRhs) {
    accs = ref::matmulAccumulators(a.ints, w.ints, mp);
  } else {
    // The reference shares one [K, N] rhs: run it once per batch.
    for (int64_t b = 0; b < batch; ++b) {
      auto sliceOf = [&](const ref::Tensor &t, int64_t rows, int64_t cols) {
        auto begin = t.data.begin() + b * rows * cols;
        return ref::Tensor({rows, cols},
                           std::vector<int32_t>(begin, begin + rows * cols));
      };
      std::vector<int64_t> part = ref::matmulAccumulators(
          sliceOf(a.ints, m, k), sliceOf(w.ints, k, n), mp);
      accs.insert(accs.end(), part.begin(), part.end());
    }
  }
  FailureOr<ref::Tensor> out =
      requantizeAccumulators(op, accs, outShape, mp.multipliers, mp.output);
  if (failed(out))
    return failure();
  return makeInts(type, std::move(*out));
}

//===----------------------------------------------------------------------===//
// Elementwise, pooling, data movement
//===----------------------------------------------------------------------===//

FailureOr<RtValue> Evaluator::evalBinary(Operation *op, Value lhs, Value rhs,
                                         FloatAttr clampMin, FloatAttr clampMax,
                                         bool isAdd) {
  FailureOr<const RtValue *> lhsV = lookup(op, lhs);
  FailureOr<const RtValue *> rhsV = lookup(op, rhs);
  if (failed(lhsV) || failed(rhsV))
    return failure();
  const RtValue &a = **lhsV, &b = **rhsV;
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  Shape outShape = shapeOf(type);

  if (!mlir::qlow::isQuantized(lhs)) {
    if (failed(expectF32(op, a)) || failed(expectF32(op, b)))
      return failure();
    std::vector<float> out(static_cast<size_t>(ref::numElements(outShape)));
    ref::forEachBroadcast(
        a.shape(), b.shape(), [&](int64_t i, int64_t ia, int64_t ib) {
          float x = a.floats[static_cast<size_t>(ia)];
          float y = b.floats[static_cast<size_t>(ib)];
          out[static_cast<size_t>(i)] =
              clampFloat(isAdd ? x + y : x * y, clampMin, clampMax);
        });
    return makeFloats(type, std::move(out));
  }

  FailureOr<QuantParams> pa = quantParamsOf(op, lhs);
  FailureOr<QuantParams> pb = quantParamsOf(op, rhs);
  FailureOr<QuantParams> po = quantParamsOf(op, op->getResult(0));
  if (failed(pa) || failed(pb) || failed(po) ||
      failed(expectPerTensor(op, *pa, "lhs")) ||
      failed(expectPerTensor(op, *pb, "rhs")) ||
      failed(expectPerTensor(op, *po, "result")))
    return failure();
  int32_t za = static_cast<int32_t>(pa->zeroPoint());
  int32_t zb = static_cast<int32_t>(pb->zeroPoint());
  ref::OutputParams out = outputParams(*po, clampMin, clampMax);
  if (isAdd) {
    if (pa->bits > 10 || pb->bits > 10)
      return op->emitError() << "quantized add supports storage of at most 10 "
                                "bits (spec section 7)";
    std::optional<ref::AddParams> params = ref::computeAddParams(
        pa->scale(), pb->scale(), po->scale(),
        ref::maxCenteredMagnitude(za, pa->qmin, pa->qmax),
        ref::maxCenteredMagnitude(zb, pb->qmin, pb->qmax));
    if (!params)
      return op->emitError()
             << "invalid add multipliers for scales " << pa->scale() << ", "
             << pb->scale() << " -> " << po->scale();
    return makeInts(type, ref::add(a.ints, za, b.ints, zb, *params, out));
  }
  std::optional<ref::FixedPointMultiplier> m =
      ref::computeMulMultiplier(pa->scale(), pb->scale(), po->scale());
  if (!m)
    return op->emitError() << "invalid mul multiplier "
                           << pa->scale() * pb->scale() / po->scale();
  return makeInts(type, ref::mul(a.ints, za, b.ints, zb, *m, out));
}

FailureOr<RtValue> Evaluator::evalPool(Operation *op, Value input,
                                       ArrayRef<int64_t> kernel,
                                       ArrayRef<int64_t> strides,
                                       ArrayRef<int64_t> padding, bool isMax) {
  FailureOr<const RtValue *> in = lookup(op, input);
  if (failed(in))
    return failure();
  const RtValue &x = **in;
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  ref::Pool2DParams pp;
  pp.kernel = {kernel[0], kernel[1]};
  pp.strides = {strides[0], strides[1]};
  pp.padding = {padding[0], padding[1], padding[2], padding[3]};
  Shape outShape = ref::pool2dOutputShape(x.shape(), pp);

  if (!mlir::qlow::isQuantized(input)) {
    if (failed(expectF32(op, x)))
      return failure();
    int64_t h = x.shape()[1], w = x.shape()[2], c = x.shape()[3];
    std::vector<float> out;
    out.reserve(static_cast<size_t>(ref::numElements(outShape)));
    for (int64_t n = 0; n < outShape[0]; ++n)
      for (int64_t oy = 0; oy < outShape[1]; ++oy)
        for (int64_t ox = 0; ox < outShape[2]; ++ox)
          for (int64_t ch = 0; ch < c; ++ch) {
            float acc = 0.0f;
            int64_t count = 0;
            for (int64_t ky = 0; ky < pp.kernel[0]; ++ky) {
              int64_t iy = oy * pp.strides[0] - pp.padding[0] + ky;
              if (iy < 0 || iy >= h)
                continue;
              for (int64_t kx = 0; kx < pp.kernel[1]; ++kx) {
                int64_t ix = ox * pp.strides[1] - pp.padding[2] + kx;
                if (ix < 0 || ix >= w)
                  continue;
                float v = x.floats[static_cast<size_t>(
                    ((n * h + iy) * w + ix) * c + ch)];
                if (isMax)
                  acc = count == 0 ? v : std::max(acc, v);
                else
                  acc += v;
                ++count;
              }
            }
            out.push_back(isMax ? acc : acc / static_cast<float>(count));
          }
    return makeFloats(type, std::move(out));
  }

  FailureOr<QuantParams> px = quantParamsOf(op, input);
  FailureOr<QuantParams> py = quantParamsOf(op, op->getResult(0));
  if (failed(px) || failed(py) || failed(expectPerTensor(op, *px, "input")) ||
      failed(expectPerTensor(op, *py, "result")))
    return failure();
  ref::OutputParams out = outputParams(*py, nullptr, nullptr);
  if (isMax) {
    if (getElementTypeOrSelf(input) != type.getElementType())
      return op->emitError() << "quantized max pool must keep its input's "
                                "quantization";
    return makeInts(type, ref::maxPool2d(x.ints, pp, out));
  }
  // Every count from 1 to the window size must give a valid multiplier
  // (the ratio only shrinks as the count grows), and window sums must fit.
  int64_t window = pp.kernel[0] * pp.kernel[1];
  for (int64_t count : {int64_t(1), window})
    if (!ref::computeAvgPoolMultiplier(px->scale(), py->scale(), count))
      return op->emitError() << "invalid average pool multiplier for a count "
                                "of "
                             << count;
  if (window * (px->qmax - px->qmin) > (int64_t(1) << 31))
    return op->emitError() << "a window of " << window
                           << " elements can overflow the i32 accumulator";
  return makeInts(type, ref::avgPool2d(x.ints, pp, px->scale(),
                                       static_cast<int32_t>(px->zeroPoint()),
                                       py->scale(), out));
}

FailureOr<RtValue> Evaluator::evalConcat(mlir::qlow::ConcatOp op) {
  auto type = cast<RankedTensorType>(op.getType());
  int64_t axis = op.getAxis();
  bool quantized = mlir::qlow::isQuantized(op.getOutput());
  std::vector<Shape> shapes;
  std::vector<const RtValue *> values;
  std::vector<ref::Tensor> requantized; // keeps converted inputs alive
  requantized.reserve(op.getInputs().size());
  FailureOr<QuantParams> po;
  if (quantized) {
    po = quantParamsOf(op, op.getOutput());
    if (failed(po) || failed(expectPerTensor(op, *po, "result")))
      return failure();
  }
  std::vector<const std::vector<int32_t> *> intPieces;
  std::vector<const std::vector<float> *> floatPieces;
  for (Value v : op.getInputs()) {
    FailureOr<const RtValue *> in = lookup(op, v);
    if (failed(in))
      return failure();
    const RtValue &x = **in;
    shapes.push_back(x.shape());
    if (x.isFloat) {
      if (failed(expectF32(op, x)))
        return failure();
      floatPieces.push_back(&x.floats);
      continue;
    }
    if (!quantized || getElementTypeOrSelf(v) == type.getElementType()) {
      intPieces.push_back(&x.ints.data);
      continue;
    }
    // Other parameters: requantize to the result type first.
    FailureOr<QuantParams> pi = quantParamsOf(op, v);
    if (failed(pi) || failed(expectPerTensor(op, *pi, "input")))
      return failure();
    auto m = multiplierOf(op, pi->scale() / po->scale(), "concat input");
    if (failed(m))
      return failure();
    ref::OutputParams out{static_cast<int32_t>(po->zeroPoint()),
                          static_cast<int32_t>(po->qmin),
                          static_cast<int32_t>(po->qmax)};
    requantized.push_back(ref::requantizeTensor(
        x.ints, static_cast<int32_t>(pi->zeroPoint()), *m, out));
    intPieces.push_back(&requantized.back().data);
  }
  if (!floatPieces.empty() && !intPieces.empty())
    return op.emitError() << "mixes float and integer inputs";
  if (!floatPieces.empty())
    return makeFloats(type, concatData<float>(floatPieces, shapes, axis));
  return makeInts(
      type,
      ref::Tensor(shapeOf(type), concatData<int32_t>(intPieces, shapes, axis)));
}

FailureOr<RtValue> Evaluator::evalClamp(mlir::qlow::ClampOp op) {
  FailureOr<const RtValue *> in = lookup(op, op.getInput());
  if (failed(in))
    return failure();
  const RtValue &x = **in;
  auto type = cast<RankedTensorType>(op.getType());
  if (!mlir::qlow::isQuantized(op.getOutput())) {
    if (failed(expectF32(op, x)))
      return failure();
    std::vector<float> out;
    out.reserve(x.floats.size());
    for (float v : x.floats)
      out.push_back(clampFloat(v, op.getMinAttr(), op.getMaxAttr()));
    return makeFloats(type, std::move(out));
  }
  FailureOr<QuantParams> pi = quantParamsOf(op, op.getInput());
  FailureOr<QuantParams> po = quantParamsOf(op, op.getOutput());
  if (failed(pi) || failed(po) || failed(expectPerTensor(op, *pi, "input")) ||
      failed(expectPerTensor(op, *po, "result")))
    return failure();
  auto m = multiplierOf(op, pi->scale() / po->scale(), "clamp");
  if (failed(m))
    return failure();
  ref::OutputParams out = outputParams(*po, op.getMinAttr(), op.getMaxAttr());
  return makeInts(
      type, ref::requantizeTensor(x.ints, static_cast<int32_t>(pi->zeroPoint()),
                                  *m, out));
}

FailureOr<RtValue> Evaluator::evalReshape(mlir::qlow::ReshapeOp op) {
  FailureOr<const RtValue *> in = lookup(op, op.getInput());
  if (failed(in))
    return failure();
  auto type = cast<RankedTensorType>(op.getType());
  RtValue out = **in;
  if (out.size() != type.getNumElements())
    return op.emitError() << "reshape changes the number of elements";
  out.ints.shape = shapeOf(type);
  return out;
}

FailureOr<RtValue> Evaluator::evalTranspose(mlir::qlow::TransposeOp op) {
  FailureOr<const RtValue *> in = lookup(op, op.getInput());
  if (failed(in))
    return failure();
  const RtValue &x = **in;
  auto type = cast<RankedTensorType>(op.getType());
  if (x.isFloat)
    return makeFloats(type,
                      transposeData(x.floats, x.shape(), op.getPermutation()));
  return makeInts(
      type, ref::Tensor(shapeOf(type), transposeData(x.ints.data, x.shape(),
                                                     op.getPermutation())));
}

FailureOr<RtValue>
Evaluator::evalSelect(Operation *op,
                      llvm::function_ref<int64_t(size_t, int64_t)> map) {
  FailureOr<const RtValue *> in = lookup(op, op->getOperand(0));
  if (failed(in))
    return failure();
  const RtValue &x = **in;
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  if (x.isFloat)
    return makeFloats(type, selectData(x.floats, x.shape(), shapeOf(type), map));
  return makeInts(type, ref::Tensor(shapeOf(type),
                                    selectData(x.ints.data, x.shape(),
                                               shapeOf(type), map)));
}

//===----------------------------------------------------------------------===//
// Printing
//===----------------------------------------------------------------------===//

/// Width of the integer that holds a result's values in lowered code.
unsigned containerBits(const RtValue &v) {
  Type elem = v.type.getElementType();
  if (auto q = mlir::qlow::getQuantElementType(elem))
    return std::max(8u, q.getStorageTypeIntegralWidth());
  return elem.getIntOrFloatBitWidth();
}

void printResult(const RtValue &v, llvm::raw_ostream &os) {
  if (v.isFloat) {
    for (float f : v.floats) {
      if (floatFormat == FloatFormat::Decimal) {
        os << llvm::format("%.9g", static_cast<double>(f)) << "\n";
        continue;
      }
      int32_t bits;
      std::memcpy(&bits, &f, sizeof(bits));
      os << bits << "\n";
    }
    return;
  }
  unsigned width = containerBits(v);
  for (int32_t q : v.ints.data) {
    int64_t x = q;
    if (width < 32)
      x = APInt(width, static_cast<uint64_t>(x), /*isSigned=*/true,
                /*implicitTrunc=*/true)
              .getSExtValue();
    os << x << "\n";
  }
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "qlow reference evaluator: runs a function of a quantized qlow module "
      "by the integer spec's C++ reference and prints its results in the "
      "qlow-test-harness format\n");

  DialectRegistry registry;
  registry
      .insert<mlir::qlow::QlowDialect, quant::QuantDialect, func::FuncDialect,
              arith::ArithDialect, tensor::TensorDialect, linalg::LinalgDialect,
              math::MathDialect, scf::SCFDialect, tosa::TosaDialect>();
  MLIRContext context(registry);
  // Diagnostics name the op by its location; no generic-form dump.
  context.printOpOnDiagnostic(false);

  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      openInputFile(inputFilename, &errorMessage);
  if (!file) {
    llvm::errs() << "qlow-reference-eval: " << errorMessage << "\n";
    return 1;
  }
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  // Verify after a pre-check: qlow.const's verifier iterates its value as
  // APInt, which aborts for a dense resource, so such constants are rejected
  // here with a diagnostic before the verifier sees them.
  ParserConfig config(&context, /*verifyAfterParse=*/false);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, config);
  if (!module)
    return 1;
  WalkResult unreadable = module->walk([](mlir::qlow::ConstOp op) {
    Attribute value = op.getValueAttr();
    if (value && !isa<DenseElementsAttr>(value)) {
      op.emitError() << "qlow-reference-eval: qlow.const needs a dense "
                        "elements value, got "
                     << value;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (unreadable.wasInterrupted() || failed(verify(*module)))
    return 1;

  if (!(rangeOpt > 0.0f) || !std::isfinite(rangeOpt)) {
    llvm::errs() << "qlow-reference-eval: --range must be positive and "
                    "finite\n";
    return 1;
  }
  auto fn = dyn_cast_or_null<func::FuncOp>(
      SymbolTable::lookupSymbolIn(*module, funcName));
  if (!fn || fn.isExternal()) {
    llvm::errs() << inputFilename << ": error: qlow-reference-eval: no "
                 << "function @" << funcName << " with a body in the module\n";
    return 1;
  }
  if (!fn.getBody().hasOneBlock()) {
    fn.emitError() << "qlow-reference-eval: expects a function with one block";
    return 1;
  }

  Evaluator evaluator;
  std::vector<RtValue> results;
  for (unsigned i = 0; i < std::max(1u, unsigned(samplesOpt)); ++i) {
    results.clear();
    if (failed(evaluator.run(fn, seedOpt + i, rangeOpt, results)))
      return 1;
  }
  if (!statsOut.empty()) {
    if (evaluator.observed.tensors.empty()) {
      fn.emitError() << "qlow-reference-eval: --stats-out needs an "
                        "instrumented function (run qlow-instrument), but "
                        "no qlow.observe saw a value";
      return 1;
    }
    std::string error;
    auto out = openOutputFile(statsOut, &error);
    if (!out) {
      llvm::errs() << "qlow-reference-eval: " << error << "\n";
      return 1;
    }
    out->os() << mlir::qlow::writeCalibrationStats(evaluator.observed);
    out->keep();
  }
  // Print only once everything has been evaluated: no partial output.
  std::string text;
  llvm::raw_string_ostream os(text);
  for (const RtValue &r : results)
    printResult(r, os);
  llvm::outs() << text;
  llvm::outs().flush();
  return 0;
}
