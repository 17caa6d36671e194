//===- UnsignedActivations.cpp - the u8 x s8 form of int8 contractions ---===//
//
// x86's 8-bit dot products (vpmaddubsw, vpdpbusd) multiply an unsigned byte
// by a signed one. A contraction of signed 8-bit activations x with constant
// signed 8-bit weights w (every convolution and matmul qlow-lower emits) is
// rewritten over u = x + 128 (the byte x ^ 0x80 read as unsigned):
//
//   acc + sum_k x_k w_k  =  (acc - 128 * sum_k w_k) + sum_k u_k w_k
//
// with the correction folded into the initial value at compile time (one
// constant per output channel). Exact in wrapping i32 arithmetic, like the
// folded form of docs/integer-spec.md section 6.
//
//===----------------------------------------------------------------------===//
#include "X86Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

namespace {

/// The contraction body `out + extsi(a) * extsi(b)` (in either order) with
/// 8-bit a and b: returns the mul's extension ops, lhs first.
std::optional<std::pair<arith::ExtSIOp, arith::ExtSIOp>>
matchInt8MacBody(linalg::GenericOp op) {
  Block &body = *op.getBody();
  if (body.getOperations().size() != 5)
    return std::nullopt;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddIOp>();
  if (!add || !add.getType().isInteger(32))
    return std::nullopt;
  BlockArgument out = body.getArguments().back();
  Value other;
  if (add.getLhs() == out)
    other = add.getRhs();
  else if (add.getRhs() == out)
    other = add.getLhs();
  else
    return std::nullopt;
  auto mul = other.getDefiningOp<arith::MulIOp>();
  if (!mul)
    return std::nullopt;
  auto a = mul.getLhs().getDefiningOp<arith::ExtSIOp>();
  auto b = mul.getRhs().getDefiningOp<arith::ExtSIOp>();
  if (!a || !b || !a.getIn().getType().isInteger(8) ||
      !b.getIn().getType().isInteger(8))
    return std::nullopt;
  return std::make_pair(a, b);
}

} // namespace

void mlir::qlow::x86::shiftToUnsignedActivations(func::FuncOp fn,
                                                 int64_t maxWeightMagnitude) {
  SmallVector<linalg::GenericOp> candidates;
  fn.walk([&](linalg::GenericOp op) {
    if (op.hasPureTensorSemantics() && op.getNumDpsInputs() == 2 &&
        op.getNumDpsInits() == 1 && op.getNumReductionLoops() > 0 &&
        !op.hasDynamicShape())
      candidates.push_back(op);
  });
  for (linalg::GenericOp op : candidates) {
    auto exts = matchInt8MacBody(op);
    if (!exts)
      continue;
    // Which input is the constant weight tensor, which the activations.
    auto argOf = [&](arith::ExtSIOp ext) {
      return dyn_cast<BlockArgument>(ext.getIn());
    };
    BlockArgument aArg = argOf(exts->first), bArg = argOf(exts->second);
    if (!aArg || !bArg || aArg == bArg)
      continue;
    OpOperand *weightsOperand = nullptr;
    BlockArgument activation;
    DenseIntElementsAttr weights;
    for (auto [arg, otherArg] : {std::make_pair(aArg, bArg),
                                 std::make_pair(bArg, aArg)}) {
      OpOperand *operand = op.getMatchingOpOperand(arg);
      if (matchPattern(operand->get(), m_Constant(&weights))) {
        weightsOperand = operand;
        activation = otherArg;
        break;
      }
    }
    if (!weightsOperand || weights.getElementType() != exts->first.getIn().getType())
      continue;
    int64_t lo = 0, hi = 0;
    for (const APInt &w : weights.getValues<APInt>()) {
      lo = std::min(lo, w.getSExtValue());
      hi = std::max(hi, w.getSExtValue());
    }
    if (std::max(-lo, hi) > maxWeightMagnitude)
      continue;

    // corr[out] = 128 * sum over the reduction loops of w, indexed by the
    // output dims the weights share with the output.
    AffineMap wMap = op.getMatchingIndexingMap(weightsOperand);
    AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    AffineMap xMap =
        op.getMatchingIndexingMap(op.getMatchingOpOperand(activation));
    if (!wMap.isProjectedPermutation() || !outMap.isProjectedPermutation())
      continue;
    // Contractions (convolutions, matmuls) only: no parallel loop may index
    // both the activations and the weights (in a depthwise window the
    // channel does; every channel is then its own tiny dot product, with
    // nothing to gain).
    {
      SmallVector<utils::IteratorType> its = op.getIteratorTypesArray();
      bool batch = false;
      for (unsigned l = 0; l < its.size(); ++l)
        if (its[l] == utils::IteratorType::parallel &&
            xMap.isFunctionOfDim(l) && wMap.isFunctionOfDim(l))
          batch = true;
      if (batch)
        continue;
    }
    auto wType = cast<RankedTensorType>(weights.getType());
    SmallVector<unsigned> keptWeightDims; // weight dims that are parallel
    SmallVector<int64_t> corrShape;
    SmallVector<AffineExpr> corrExprs; // over the generic's loops
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    for (unsigned i = 0; i < wMap.getNumResults(); ++i) {
      unsigned loop = wMap.getDimPosition(i);
      if (iterators[loop] == utils::IteratorType::parallel) {
        keptWeightDims.push_back(i);
        corrShape.push_back(wType.getDimSize(i));
        corrExprs.push_back(getAffineDimExpr(loop, op.getContext()));
      }
    }
    int64_t corrSize = 1;
    for (int64_t d : corrShape)
      corrSize *= d;
    std::vector<int64_t> sums(corrSize, 0);
    {
      int64_t rank = wType.getRank();
      SmallVector<int64_t> index(rank, 0);
      for (const APInt &w : weights.getValues<APInt>()) {
        int64_t linear = 0;
        for (unsigned d : keptWeightDims)
          linear = linear * wType.getDimSize(d) + index[d];
        sums[linear] += w.getSExtValue();
        for (int64_t i = rank - 1; i >= 0; --i) {
          if (++index[i] < wType.getDimSize(i))
            break;
          index[i] = 0;
        }
      }
    }
    SmallVector<int32_t> corr;
    bool fits = true;
    for (int64_t s : sums) {
      int64_t c = 128 * s;
      fits &= c >= INT32_MIN && c <= INT32_MAX;
      corr.push_back(static_cast<int32_t>(c));
    }
    if (!fits)
      continue;

    OpBuilder b(op);
    Location loc = op.getLoc();
    Type i32 = b.getI32Type();
    Value init = op.getDpsInitOperand(0)->get();
    auto initType = cast<RankedTensorType>(init.getType());
    // The correction, as a constant over its own dims, read by the output's
    // loops through corrMap (output dims -> correction dims).
    auto corrType = RankedTensorType::get(corrShape, i32);
    Value corrCst = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(corrType, ArrayRef<int32_t>(corr)));
    // Express the correction's indexing in terms of the output's dims.
    SmallVector<AffineExpr> corrOnOut;
    bool ok = true;
    for (AffineExpr e : corrExprs) {
      std::optional<unsigned> pos = outMap.getResultPosition(e);
      if (!pos) {
        ok = false;
        break;
      }
      corrOnOut.push_back(getAffineDimExpr(*pos, op.getContext()));
    }
    if (!ok) {
      corrCst.getDefiningOp()->erase();
      continue;
    }
    unsigned outRank = initType.getRank();
    SmallVector<AffineMap> maps = {
        b.getMultiDimIdentityMap(outRank),
        AffineMap::get(outRank, 0, corrOnOut, op.getContext()),
        b.getMultiDimIdentityMap(outRank)};
    Value empty = tensor::EmptyOp::create(b, loc, initType.getShape(), i32);
    auto corrected = linalg::GenericOp::create(
        b, loc, initType, ValueRange{init, corrCst}, ValueRange{empty}, maps,
        SmallVector<utils::IteratorType>(outRank,
                                         utils::IteratorType::parallel),
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value v = arith::SubIOp::create(nb, nloc, args[0], args[1]);
          linalg::YieldOp::create(nb, nloc, v);
        });
    op.getDpsInitOperand(0)->set(corrected.getResult(0));

    // The activations become u = x ^ 0x80, read zero-extended. The flip is
    // its own element-wise op on the activation tensor (the contraction's
    // body stays cast-multiply-add, which the vectorizer turns into
    // vector.contract); element-wise fusion later moves it into the
    // producer of the activations where it can.
    OpOperand *actOperand = op.getMatchingOpOperand(activation);
    Value x = actOperand->get();
    auto xType = cast<RankedTensorType>(x.getType());
    unsigned xRank = xType.getRank();
    Value xEmpty = tensor::EmptyOp::create(b, loc, xType.getShape(),
                                           xType.getElementType());
    auto flip = linalg::GenericOp::create(
        b, loc, xType, ValueRange{x}, ValueRange{xEmpty},
        SmallVector<AffineMap>(2, b.getMultiDimIdentityMap(xRank)),
        SmallVector<utils::IteratorType>(xRank,
                                         utils::IteratorType::parallel),
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          Value sign = arith::ConstantOp::create(
              nb, nloc, nb.getIntegerAttr(nb.getI8Type(), -128));
          linalg::YieldOp::create(
              nb, nloc,
              ValueRange{arith::XOrIOp::create(nb, nloc, args[0], sign)});
        });
    actOperand->set(flip.getResult(0));
    arith::ExtSIOp actExt =
        exts->first.getIn() == activation ? exts->first : exts->second;
    OpBuilder nb(actExt);
    Value widened = arith::ExtUIOp::create(nb, actExt.getLoc(), i32,
                                           actExt.getIn());
    actExt.getResult().replaceAllUsesWith(widened);
    actExt.erase();
  }
}

//===----------------------------------------------------------------------===//
// Channel padding for 4-byte dot products
//===----------------------------------------------------------------------===//

// A convolution over few input channels (an RGB image: 3) gives its dot
// products a reduction of 3 per window position: the 4-byte groups of
// vpmaddubsw/vpdpbusd then straddle pixels and every row has to be
// shuffled into place. Padding the channels of the (already padded) input
// to a multiple of 4 with the pad value, and the weights with zeros, makes
// each pixel one aligned 4-byte group; the result is unchanged (the extra
// products are zero).
/// The element-wise op (one same-shaped input, identity maps, no index
/// use) whose result is only padded by `pad`.
static linalg::GenericOp getPaddableElementwiseProducer(tensor::PadOp pad) {
  auto producer = pad.getSource().getDefiningOp<linalg::GenericOp>();
  if (!producer || !producer->hasOneUse() || producer.getNumDpsInputs() != 1 ||
      producer.getNumDpsInits() != 1 || producer.hasIndexSemantics() ||
      !linalg::isElementwise(producer) ||
      !producer.getDpsInitOperand(0)->get().getDefiningOp<tensor::EmptyOp>())
    return {};
  for (AffineMap m : producer.getIndexingMapsArray())
    if (!m.isIdentity())
      return {};
  if (cast<ShapedType>(producer.getDpsInputOperand(0)->get().getType())
          .getShape() !=
      cast<ShapedType>(producer.getResult(0).getType()).getShape())
    return {};
  return producer;
}

void mlir::qlow::x86::padChannelsToQuads(func::FuncOp fn) {
  SmallVector<linalg::GenericOp> convs;
  fn.walk([&](linalg::GenericOp op) {
    if (op.hasPureTensorSemantics() && op.getNumDpsInputs() == 2 &&
        op.getNumDpsInits() == 1 && op.getNumReductionLoops() > 0 &&
        !op.hasDynamicShape() && matchInt8MacBody(op))
      convs.push_back(op);
  });
  for (linalg::GenericOp op : convs) {
    OpOperand *act = op.getDpsInputOperand(0);
    OpOperand *wgt = op.getDpsInputOperand(1);
    DenseIntElementsAttr weights;
    if (!matchPattern(wgt->get(), m_Constant(&weights)))
      std::swap(act, wgt);
    if (!matchPattern(wgt->get(), m_Constant(&weights)))
      continue;
    auto pad = act->get().getDefiningOp<tensor::PadOp>();
    if (!pad || !pad->hasOneUse() || !pad.getConstantPaddingValue() ||
        pad.getResultType().getRank() == 0 || !pad.getResultType().hasStaticShape())
      continue;
    AffineMap actMap = op.getMatchingIndexingMap(act);
    AffineMap wMap = op.getMatchingIndexingMap(wgt);
    auto ci = dyn_cast<AffineDimExpr>(actMap.getResults().back());
    SmallVector<utils::IteratorType> its = op.getIteratorTypesArray();
    if (!ci || its[ci.getPosition()] != utils::IteratorType::reduction)
      continue;
    std::optional<unsigned> wPos = wMap.getResultPosition(ci);
    if (!wPos)
      continue;
    // ci must index nothing else.
    unsigned uses = 0;
    for (AffineMap m : op.getIndexingMapsArray())
      for (AffineExpr e : m.getResults())
        uses += e.isFunctionOfDim(ci.getPosition());
    if (uses != 2)
      continue;
    RankedTensorType padType = pad.getResultType();
    int64_t rank = padType.getRank();
    int64_t c = padType.getDimSize(rank - 1);
    if (c % 4 == 0 || c > 16)
      continue;
    int64_t cp = (c + 3) / 4 * 4;

    // The input, padded further along its channels. The extra channels
    // only ever meet zero weights, so their values do not matter: when the
    // padded tensor is made by an element-wise op on a same-shaped tensor
    // (the model input's quantization), that op's input is padded instead
    // (with zeros) and the op computes the extra channels too, so that it
    // writes whole, contiguous pixels into the padded buffer.
    OpBuilder b(pad);
    SmallVector<OpFoldResult> high = pad.getMixedHighPad();
    std::optional<int64_t> lastHigh = getConstantIntValue(high.back());
    if (!lastHigh)
      continue;
    SmallVector<int64_t> shape(padType.getShape());
    shape.back() = cp;
    auto newType = RankedTensorType::get(shape, padType.getElementType());
    tensor::PadOp newPad;
    if (linalg::GenericOp producer = getPaddableElementwiseProducer(pad)) {
      Value in = producer.getDpsInputOperand(0)->get();
      auto inType = cast<RankedTensorType>(in.getType());
      SmallVector<int64_t> inShape(inType.getShape());
      inShape.back() += cp - c;
      SmallVector<OpFoldResult> zeros(inShape.size(), b.getIndexAttr(0));
      SmallVector<OpFoldResult> inHigh = zeros;
      inHigh.back() = b.getIndexAttr(cp - c);
      Value zero = arith::ConstantOp::create(
          b, pad.getLoc(), b.getZeroAttr(inType.getElementType()));
      Value inPadded = tensor::PadOp::create(
          b, pad.getLoc(), RankedTensorType::get(inShape, inType.getElementType()),
          in, zeros, inHigh, zero);
      SmallVector<int64_t> outShape(inShape);
      Type outElem = getElementTypeOrSelf(producer.getResult(0).getType());
      Value empty = tensor::EmptyOp::create(b, pad.getLoc(), outShape, outElem);
      auto wide = linalg::GenericOp::create(
          b, producer.getLoc(), RankedTensorType::get(outShape, outElem),
          ValueRange{inPadded}, ValueRange{empty},
          producer.getIndexingMapsArray(), producer.getIteratorTypesArray());
      IRMapping mapping;
      producer.getRegion().cloneInto(&wide.getRegion(), mapping);
      newPad = tensor::PadOp::create(b, pad.getLoc(), newType,
                                     wide.getResult(0), pad.getMixedLowPad(),
                                     pad.getMixedHighPad(),
                                     pad.getConstantPaddingValue(),
                                     pad.getNofold());
    } else {
      high.back() = b.getIndexAttr(*lastHigh + (cp - c));
      newPad = tensor::PadOp::create(b, pad.getLoc(), newType,
                                     pad.getSource(), pad.getMixedLowPad(),
                                     high, pad.getConstantPaddingValue(),
                                     pad.getNofold());
    }
    // The weights, padded with zeros along ci.
    auto wType = cast<RankedTensorType>(weights.getType());
    SmallVector<int64_t> wShape(wType.getShape());
    int64_t wDim = *wPos;
    wShape[wDim] = cp;
    auto newWType = RankedTensorType::get(wShape, wType.getElementType());
    SmallVector<APInt> values;
    values.reserve(newWType.getNumElements());
    SmallVector<APInt> old(weights.getValues<APInt>());
    SmallVector<int64_t> index(wShape.size(), 0);
    unsigned width = wType.getElementTypeBitWidth();
    for (int64_t linear = 0, n = newWType.getNumElements(); linear < n;
         ++linear) {
      if (index[wDim] >= wType.getDimSize(wDim)) {
        values.push_back(APInt(width, 0));
      } else {
        int64_t src = 0;
        for (unsigned d = 0; d < wShape.size(); ++d)
          src = src * wType.getDimSize(d) + index[d];
        values.push_back(old[src]);
      }
      for (int64_t d = wShape.size() - 1; d >= 0; --d) {
        if (++index[d] < wShape[d])
          break;
        index[d] = 0;
      }
    }
    OpBuilder wb(op);
    Value newWeights = arith::ConstantOp::create(
        wb, op.getLoc(), DenseElementsAttr::get(newWType, values));
    act->set(newPad.getResult());
    wgt->set(newWeights);
    Operation *producer = pad.getSource().getDefiningOp();
    pad.erase();
    if (producer && producer->use_empty())
      producer->erase();
  }
}

//===----------------------------------------------------------------------===//
// Element-wise ops moved into padded buffers
//===----------------------------------------------------------------------===//

// `f(insert_slice(src, fill(c)))` for an element-wise unary f (the u8 flip of
// a padded convolution input) is `insert_slice(f(src), fill(f(c)))`: f(src)
// then fuses into src's producer and the padded buffer is filled with f(c),
// instead of a whole extra pass over it.
void mlir::qlow::x86::pushElementwiseIntoPadding(func::FuncOp fn) {
  SmallVector<linalg::GenericOp> candidates;
  fn.walk([&](linalg::GenericOp op) {
    if (op.hasPureTensorSemantics() && op.getNumDpsInputs() == 1 &&
        op.getNumDpsInits() == 1 && linalg::isElementwise(op) &&
        !op.hasIndexSemantics() &&
        llvm::all_of(op.getIndexingMapsArray(),
                     [](AffineMap m) { return m.isIdentity(); }) &&
        op.getDpsInitOperand(0)->get().getDefiningOp<tensor::EmptyOp>())
      candidates.push_back(op);
  });
  for (linalg::GenericOp op : candidates) {
    auto insert =
        op.getDpsInputOperand(0)->get().getDefiningOp<tensor::InsertSliceOp>();
    if (!insert || !insert->hasOneUse())
      continue;
    auto fill = insert.getDest().getDefiningOp<linalg::FillOp>();
    if (!fill || !fill->hasOneUse())
      continue;
    Value c = fill.getDpsInputOperand(0)->get();
    auto srcType = dyn_cast<RankedTensorType>(insert.getSource().getType());
    if (!srcType || !srcType.hasStaticShape())
      continue;
    Type outElem = getElementTypeOrSelf(op.getResult(0).getType());
    Location loc = op.getLoc();

    // f(c): the body evaluated on the scalar.
    OpBuilder b(op);
    IRMapping mapping;
    Block &body = *op.getBody();
    mapping.map(body.getArgument(0), c);
    for (Operation &inner : body.without_terminator())
      b.clone(inner, mapping);
    Value fc = mapping.lookupOrDefault(
        cast<linalg::YieldOp>(body.getTerminator()).getOperand(0));

    // f(src), same maps and body.
    unsigned srcRank = srcType.getRank();
    Value srcEmpty =
        tensor::EmptyOp::create(b, loc, srcType.getShape(), outElem);
    auto fSrc = linalg::GenericOp::create(
        b, loc, RankedTensorType::get(srcType.getShape(), outElem),
        ValueRange{insert.getSource()}, ValueRange{srcEmpty},
        SmallVector<AffineMap>(2, b.getMultiDimIdentityMap(srcRank)),
        SmallVector<utils::IteratorType>(srcRank,
                                         utils::IteratorType::parallel));
    IRMapping bodyMapping;
    op.getRegion().cloneInto(&fSrc.getRegion(), bodyMapping);

    auto destType = cast<RankedTensorType>(op.getResult(0).getType());
    Value destEmpty =
        tensor::EmptyOp::create(b, loc, destType.getShape(), outElem);
    Value newFill =
        linalg::FillOp::create(b, loc, ValueRange{fc}, ValueRange{destEmpty})
            .getResult(0);
    Value newInsert = tensor::InsertSliceOp::create(
        b, loc, fSrc.getResult(0), newFill, insert.getMixedOffsets(),
        insert.getMixedSizes(), insert.getMixedStrides());
    op.getResult(0).replaceAllUsesWith(newInsert);
    op.erase();
    insert.erase();
    fill.erase();
  }
}
