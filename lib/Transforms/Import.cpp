//===- Import.cpp - qlow-import: TOSA / linalg models into qlow ops -------===//
//
// Phases, each over the whole module:
//  1. check: an integer TOSA model, a non-zero zero point or a non-zero
//     tosa.mul shift is an error (nothing is rewritten then);
//  2. convert TOSA and linalg ops (ImportPatterns.h), then drop the glue
//     (zero fills, folded pads, zero points) that became dead;
//  3. fuse constant per-channel adds into the bias of the conv/matmul created
//     in phase 2 (also through the reshape of the TOSA FC idiom);
//  4. wrap whatever still computes on float tensors in a qlow.float_island,
//     with a remark;
//  5. name every qlow op and function argument.
//
// Ops that are already qlow ops, and everything inside float islands, are
// left alone, so running the pass twice changes nothing.
//
//===----------------------------------------------------------------------===//
#include "qlow/Transforms/ImportPatterns.h"
#include "qlow/Transforms/Passes.h"

#include "Qlow/IR/QlowOps.h"
#include "Qlow/IR/QuantUtils.h"
#include "qlow/Transforms/UnaryTables.h"
#include "qlow/Transforms/Utils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWIMPORT
#include "qlow/Transforms/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;
using namespace mlir::qlow;

//===----------------------------------------------------------------------===//
// Helpers shared by the import patterns
//===----------------------------------------------------------------------===//

Location mlir::qlow::import::auxLoc(Location loc) {
  if (auto n = dyn_cast<NameLoc>(loc))
    return auxLoc(n.getChildLoc());
  if (auto f = dyn_cast<FusedLoc>(loc)) {
    SmallVector<Location> parts;
    for (Location l : f.getLocations())
      parts.push_back(auxLoc(l));
    return FusedLoc::get(parts, f.getMetadata(), loc.getContext());
  }
  return loc;
}

DenseElementsAttr mlir::qlow::import::getDenseConstant(Value v) {
  Attribute attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return {};
  return dyn_cast<DenseElementsAttr>(attr);
}

bool mlir::qlow::import::isZeroFloatConstant(Value v) {
  DenseElementsAttr attr = getDenseConstant(v);
  if (!attr || !isa<FloatType>(attr.getElementType()))
    return false;
  if (attr.isSplat())
    return attr.getSplatValue<APFloat>().isZero();
  return llvm::all_of(attr.getValues<APFloat>(),
                      [](const APFloat &f) { return f.isZero(); });
}

DenseElementsAttr mlir::qlow::import::permuteConstant(DenseElementsAttr attr,
                                                      ArrayRef<int64_t> perm,
                                                      ArrayRef<int64_t> shape) {
  auto type = cast<ShapedType>(attr.getType());
  auto newType = RankedTensorType::get(shape, type.getElementType());
  if (attr.isSplat())
    return attr.resizeSplat(newType);
  ArrayRef<int64_t> in = type.getShape();
  int64_t rank = in.size(), n = type.getNumElements();
  SmallVector<int64_t> inStrides(rank, 1), outShape(rank);
  for (int64_t i = rank - 2; i >= 0; --i)
    inStrides[i] = inStrides[i + 1] * in[i + 1];
  for (int64_t i = 0; i < rank; ++i)
    outShape[i] = in[perm[i]];
  // Source flat index of each destination element, in destination order.
  SmallVector<int64_t> srcIndex(n);
  SmallVector<int64_t> idx(rank, 0);
  for (int64_t o = 0; o < n; ++o) {
    int64_t src = 0;
    for (int64_t i = 0; i < rank; ++i)
      src += idx[i] * inStrides[perm[i]];
    srcIndex[o] = src;
    for (int64_t i = rank - 1; i >= 0; --i) {
      if (++idx[i] < outShape[i])
        break;
      idx[i] = 0;
    }
  }
  unsigned bits = type.getElementTypeBitWidth();
  if (bits % 8 == 0 && !isa<ComplexType>(type.getElementType())) {
    size_t bytes = bits / 8;
    ArrayRef<char> raw = attr.getRawData();
    std::vector<char> data(raw.size());
    for (int64_t o = 0; o < n; ++o)
      std::memcpy(&data[o * bytes], &raw[srcIndex[o] * bytes], bytes);
    return DenseElementsAttr::getFromRawBuffer(newType, data);
  }
  auto values = llvm::to_vector(attr.getValues<Attribute>());
  SmallVector<Attribute> out(n);
  for (int64_t o = 0; o < n; ++o)
    out[o] = values[srcIndex[o]];
  return DenseElementsAttr::get(newType, out);
}

Value mlir::qlow::import::permuteAndReshape(PatternRewriter &rewriter,
                                            Location loc, Value v,
                                            ArrayRef<int64_t> perm,
                                            ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  bool identity = llvm::equal(perm, llvm::seq<int64_t>(0, perm.size()));
  if (identity && type.getShape() == shape)
    return v;
  Location aux = auxLoc(loc);
  if (DenseElementsAttr attr = getDenseConstant(v)) {
    DenseElementsAttr moved = permuteConstant(attr, perm, shape);
    return arith::ConstantOp::create(rewriter, aux, moved);
  }
  Value result = v;
  if (!identity) {
    SmallVector<int64_t> tshape;
    for (int64_t p : perm)
      tshape.push_back(type.getDimSize(p));
    result = TransposeOp::create(rewriter, aux, type.clone(tshape), result,
                                 perm, StringAttr());
  }
  if (cast<RankedTensorType>(result.getType()).getShape() != shape)
    result = ReshapeOp::create(rewriter, aux, type.clone(shape), result,
                               StringAttr());
  return result;
}

//===----------------------------------------------------------------------===//
// Bias fusion
//===----------------------------------------------------------------------===//

namespace {

/// Records the ops that the import patterns create: only those are rewritten
/// further (qlow ops that were there before are left alone).
struct CreatedOps : RewriterBase::Listener {
  void notifyOperationInserted(Operation *op,
                               OpBuilder::InsertPoint) override {
    ops.insert(op);
  }
  void notifyOperationErased(Operation *op) override { ops.erase(op); }
  bool contains(Operation *op) const { return op && ops.contains(op); }
  llvm::DenseSet<Operation *> ops;
};

/// The per-channel row of a constant that is constant along every dimension
/// but the last, broadcast to `channels` values; null if it is not one.
DenseElementsAttr getPerChannelRow(DenseElementsAttr attr, int64_t channels) {
  auto type = cast<ShapedType>(attr.getType());
  auto floatType = dyn_cast<FloatType>(type.getElementType());
  if (!floatType || type.getRank() < 1)
    return {};
  auto biasType = RankedTensorType::get({channels}, floatType);
  if (attr.isSplat())
    return attr.resizeSplat(biasType);
  int64_t last = type.getDimSize(type.getRank() - 1);
  if (last != channels && last != 1)
    return {};
  auto values = llvm::to_vector(attr.getValues<APFloat>());
  for (size_t i = last; i < values.size(); ++i)
    if (values[i].bitwiseIsEqual(values[i % last]) == false)
      return {};
  SmallVector<APFloat> row;
  for (int64_t c = 0; c < channels; ++c)
    row.push_back(values[last == 1 ? 0 : c]);
  return DenseElementsAttr::get(biasType, row);
}

/// qlow.add(conv/matmul, per-channel constant) -> conv/matmul with bias;
/// also qlow.add(qlow.reshape(matmul), constant) when the reshape keeps the
/// channel (last) dimension, as in TOSA's reshape -> matmul -> reshape -> add
/// fully connected layer.
struct FuseBiasAdd : OpRewritePattern<AddOp> {
  FuseBiasAdd(MLIRContext *ctx, const CreatedOps &created)
      : OpRewritePattern(ctx), created(created) {}
  const CreatedOps &created;
  bool isNew(Operation *op) const { return created.contains(op); }

  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    if (!isNew(add) || add.getClampMinAttr() || add.getClampMaxAttr() ||
        add->getParentOfType<FloatIslandOp>())
      return failure();
    for (auto [x, c] : {std::make_pair(add.getLhs(), add.getRhs()),
                        std::make_pair(add.getRhs(), add.getLhs())})
      if (succeeded(tryFuse(add, x, c, rewriter)))
        return success();
    return failure();
  }

  LogicalResult tryFuse(AddOp add, Value x, Value c,
                        PatternRewriter &rewriter) const {
    DenseElementsAttr cst = import::getDenseConstant(c);
    if (!cst || x.getType() != add.getType() || !x.hasOneUse())
      return failure();
    auto cType = cast<ShapedType>(cst.getType());
    auto xType = cast<RankedTensorType>(x.getType());
    if (cType.getElementType() != xType.getElementType() ||
        cType.getRank() != xType.getRank())
      return failure();
    for (int64_t i = 0; i < xType.getRank(); ++i)
      if (cType.getDimSize(i) != 1 && cType.getDimSize(i) != xType.getDimSize(i))
        return failure();

    Value producerValue = x;
    ReshapeOp reshape = x.getDefiningOp<ReshapeOp>();
    if (reshape) {
      if (!isNew(reshape))
        return failure();
      producerValue = reshape.getInput();
      auto inType = cast<RankedTensorType>(producerValue.getType());
      if (inType.getRank() < 1 || xType.getRank() < 1 ||
          inType.getDimSize(inType.getRank() - 1) !=
              xType.getDimSize(xType.getRank() - 1))
        return failure();
      if (!producerValue.hasOneUse())
        return failure();
    }
    Operation *producer = producerValue.getDefiningOp();
    if (!isNew(producer) || !isa_and_present<Conv2DOp, MatmulOp>(producer))
      return failure();
    auto outType = cast<RankedTensorType>(producerValue.getType());
    int64_t channels = outType.getDimSize(outType.getRank() - 1);
    if (ShapedType::isDynamic(channels))
      return failure();
    DenseElementsAttr row = getPerChannelRow(cst, channels);
    if (!row)
      return failure();

    rewriter.setInsertionPoint(producer);
    Value fusedValue;
    Location aux = import::auxLoc(c.getLoc());
    if (auto conv = dyn_cast<Conv2DOp>(producer)) {
      if (conv.getBias() || conv.getClampMinAttr() || conv.getClampMaxAttr())
        return failure();
      Value bias = arith::ConstantOp::create(rewriter, aux, row);
      auto fused = Conv2DOp::create(
          rewriter, conv.getLoc(), conv.getType(), conv.getInput(),
          conv.getFilter(), bias, conv.getStridesAttr(), conv.getPaddingAttr(),
          conv.getDilationAttr(), conv.getGroupsAttr(), FloatAttr(),
          FloatAttr(), StringAttr());
      fusedValue = fused.getResult();
      rewriter.replaceOp(conv, fusedValue);
    } else {
      auto mm = cast<MatmulOp>(producer);
      if (mm.getBias() || mm.getClampMinAttr() || mm.getClampMaxAttr())
        return failure();
      Value bias = arith::ConstantOp::create(rewriter, aux, row);
      auto fused =
          MatmulOp::create(rewriter, mm.getLoc(), mm.getType(), mm.getLhs(),
                           mm.getRhs(), bias, FloatAttr(), FloatAttr(),
                           StringAttr());
      fusedValue = fused.getResult();
      rewriter.replaceOp(mm, fusedValue);
    }
    rewriter.replaceOp(add, reshape ? reshape.getResult() : fusedValue);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Float islands
//===----------------------------------------------------------------------===//

bool isFloatTensorValueType(Type t) {
  auto tt = dyn_cast<TensorType>(t);
  return tt && isa<FloatType>(tt.getElementType());
}

/// Ops that only carry values around or describe shapes.
bool isGlue(Operation *op) {
  if (op->hasTrait<OpTrait::ConstantLike>() ||
      isa_and_present<func::FuncDialect>(op->getDialect()) ||
      isa<tensor::EmptyOp>(op))
    return true;
  if (isa<tosa::ConstShapeOp>(op))
    return true;
  // A fill that only initializes destination operands.
  if (auto fill = dyn_cast<linalg::FillOp>(op))
    return fill.hasPureTensorSemantics() &&
           llvm::all_of(fill->getUses(), [](OpOperand &use) {
             auto dps = dyn_cast<DestinationStyleOpInterface>(use.getOwner());
             return dps && dps.isDpsInit(&use);
           });
  return false;
}

/// True for an op that still computes on float tensors (or any TOSA or
/// linalg op) and so must go into an island.
bool needsIsland(Operation *op) {
  if (isGlue(op))
    return false;
  if (isa_and_present<tosa::TosaDialect, linalg::LinalgDialect>(
          op->getDialect()))
    return true;
  return llvm::any_of(op->getOperandTypes(), isFloatTensorValueType) ||
         llvm::any_of(op->getResultTypes(), isFloatTensorValueType);
}

void wrapInIsland(Operation *op) {
  std::string reason =
      ("unsupported op '" + op->getName().getStringRef() + "'").str();
  OpBuilder b(op);
  auto island = FloatIslandOp::create(b, op->getLoc(), op->getResultTypes(),
                                      reason, StringAttr());
  Block *body = new Block();
  island.getBody().push_back(body);
  for (auto [from, to] : llvm::zip(op->getResults(), island.getResults()))
    from.replaceAllUsesWith(to);
  op->moveBefore(body, body->end());
  b.setInsertionPointToEnd(body);
  YieldOp::create(b, op->getLoc(), op->getResults());
  // An element-wise function of one tensor is not kept in float: activations
  // are 8-bit, and qlow-quantize makes it a table (qlow.lut).
  if (isTabulatableIsland(island))
    island.setReason(
        ("element-wise op '" + op->getName().getStringRef() + "'").str());
  else
    op->emitRemark() << "kept in float: " << reason;
}

//===----------------------------------------------------------------------===//
// Names
//===----------------------------------------------------------------------===//

StringRef findLocName(Location loc) {
  if (auto n = dyn_cast<NameLoc>(loc)) {
    if (!n.getName().getValue().empty())
      return n.getName().getValue();
    return findLocName(n.getChildLoc());
  }
  if (auto f = dyn_cast<FusedLoc>(loc)) {
    for (Location l : f.getLocations())
      if (StringRef s = findLocName(l); !s.empty())
        return s;
    return {};
  }
  if (auto c = dyn_cast<CallSiteLoc>(loc))
    return findLocName(c.getCallee());
  if (auto o = dyn_cast<OpaqueLoc>(loc))
    return findLocName(o.getFallbackLocation());
  return {};
}

bool canBeNamed(Operation *op) {
  if (!isa_and_present<QlowDialect>(op->getDialect()))
    return false;
  std::optional<RegisteredOperationName> info = op->getRegisteredInfo();
  return info && llvm::is_contained(info->getAttributeNames(), "name");
}

class Namer {
public:
  explicit Namer(ModuleOp module) {
    module.walk([&](Operation *op) {
      if (auto n = dyn_cast_or_null<StringAttr>(op->getAttr("name")))
        if (canBeNamed(op))
          used.insert(n.getValue());
      if (auto f = dyn_cast<FunctionOpInterface>(op))
        for (unsigned i = 0, e = f.getNumArguments(); i < e; ++i)
          if (auto n = f.getArgAttrOfType<StringAttr>(i, "qlow.name"))
            used.insert(n.getValue());
    });
  }

  /// `base` itself, else `base_1`, `base_2`, ...
  std::string unique(StringRef base) {
    std::string name = base.str();
    for (unsigned i = 1; used.contains(name); ++i)
      name = (base + "_" + Twine(i)).str();
    used.insert(name);
    return name;
  }

  /// `<mnemonic>_<n>` with n counting per mnemonic.
  std::string generate(StringRef mnemonic) {
    unsigned &n = counters[mnemonic];
    std::string name;
    do
      name = (mnemonic + "_" + Twine(n++)).str();
    while (used.contains(name));
    used.insert(name);
    return name;
  }

private:
  llvm::StringSet<> used;
  llvm::StringMap<unsigned> counters;
};

/// Function results keep the name of the tensor they return at import
/// (`qlow.name` result attribute), so that later rewrites (a folded reshape,
/// a fused op) do not rename a compiled model's outputs.
void nameResults(ModuleOp module) {
  for (auto f : module.getOps<func::FuncOp>()) {
    if (f.isExternal())
      continue;
    auto ret = cast<func::ReturnOp>(f.getBody().back().getTerminator());
    for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
      std::string name = getTensorName(v);
      if (!name.empty() && !f.getResultAttr(i, kArgNameAttr))
        f.setResultAttr(i, kArgNameAttr,
                        StringAttr::get(module.getContext(), name));
    }
  }
}

void nameEverything(ModuleOp module) {
  Namer namer(module);
  MLIRContext *ctx = module.getContext();
  module.walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (auto f = dyn_cast<FunctionOpInterface>(op)) {
      if (f.isExternal())
        return;
      unsigned n = f.getNumArguments();
      for (unsigned i = 0; i < n; ++i) {
        if (f.getArgAttr(i, "qlow.name"))
          continue;
        std::string base = n == 1 ? "input" : ("input_" + Twine(i)).str();
        f.setArgAttr(i, "qlow.name", StringAttr::get(ctx, namer.unique(base)));
      }
      return;
    }
    if (!canBeNamed(op) || op->getAttr("name"))
      return;
    StringRef fromLoc = findLocName(op->getLoc());
    std::string name = fromLoc.empty()
                           ? namer.generate(op->getName().stripDialect())
                           : namer.unique(fromLoc);
    op->setAttr("name", StringAttr::get(ctx, name));
  });
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct QlowImportPass : qlow::impl::QlowImportBase<QlowImportPass> {
  using QlowImportBase::QlowImportBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();

    // 1. Reject what is not an FP32 model (islands may compute on
    // integers: they are not imported).
    bool ok = true;
    module.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<FloatIslandOp>(op))
        return WalkResult::skip();
      if (failed(checkTosaOpImportable(op)))
        ok = false;
      return WalkResult::advance();
    });
    if (!ok)
      return signalPassFailure();

    // 2. Convert.
    CreatedOps created;
    {
      RewritePatternSet patterns(ctx);
      populateTosaToQlowPatterns(patterns);
      populateLinalgToQlowPatterns(patterns);
      walkAndApplyPatterns(module, std::move(patterns), &created);
    }
    eraseDeadGlue(module);

    // 3. Fuse bias adds.
    {
      RewritePatternSet patterns(ctx);
      patterns.add<FuseBiasAdd>(ctx, created);
      walkAndApplyPatterns(module, std::move(patterns));
    }
    eraseDeadGlue(module);

    // 4. Islands for everything else.
    SmallVector<Operation *> unsupported;
    module.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<FloatIslandOp>(op))
        return WalkResult::skip();
      if (op == module || isa_and_present<QlowDialect>(op->getDialect()) ||
          isa<FunctionOpInterface>(op))
        return WalkResult::advance();
      if (needsIsland(op)) {
        unsupported.push_back(op);
        return WalkResult::skip();
      }
      return WalkResult::advance();
    });
    for (Operation *op : unsupported)
      wrapInIsland(op);

    // 5. Names.
    nameEverything(module);
    nameResults(module);
  }

  /// Erases constants, zero points, fills, empties and pads (outside islands)
  /// that the rewrites left without users.
  static void eraseDeadGlue(ModuleOp module) {
    SmallVector<Operation *> ops;
    module.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<FloatIslandOp>(op))
        return WalkResult::skip();
      if (op->hasTrait<OpTrait::ConstantLike>() ||
          isa<tensor::EmptyOp, tensor::PadOp, linalg::FillOp>(op))
        ops.push_back(op);
      // Do not look into the bodies of ops (pads, generics).
      if (op->getNumRegions() && op != module && !isa<FunctionOpInterface>(op))
        return WalkResult::skip();
      return WalkResult::advance();
    });
    for (Operation *op : llvm::reverse(ops))
      if (op->use_empty() && wouldOpBeTriviallyDead(op))
        op->erase();
  }
};

} // namespace
