//===- NarrowFixedPoint.cpp - 32-bit forms of the requantize arithmetic ---===//
//
// qlow-lower writes the fixed-point rescale of docs/integer-spec.md section 4
// literally, in i64:
//
//   q = (x * m + (s == 0 ? 0 : 1 << (s - 1))) >> s        // x, m: i32
//
// followed by the zero point, the clamp and the truncation, all in i64. On
// x86 (AVX2) i64 lanes are slow: no 64-bit arithmetic shift, min or max.
// When every shift s of the rescale is at least 32 (multipliers below 1:
// convolutions, matmuls, pools and most requantizations), the same
// integers come from 32-bit lanes. With p = x * m = hi * 2^32 + lo (hi =
// the high word of the 32x32 product, 0 <= lo < 2^32):
//
//   s >= 33:  q = (hi + 2^(s-33)) >> (s - 32)
//   s == 32:  q = hi + (lo >> 31)          (logical shift: the rounding bit)
//
// Proof for s >= 33: (p + 2^(s-1)) / 2^s = (N + lo/2^32) / 2^(s-32) with the
// integer N = hi + 2^(s-33); adding a fraction below 1 to an integer
// numerator never crosses a multiple of the integer denominator, so the
// floors agree. |p| <= 2^62 gives |hi| <= 2^30, so nothing overflows and
// |q| <= 2^30 + 1; the zero point, the clamp and the truncation that follow
// are then done in i32 as well when their constants keep the bounds in
// range.
//
// The rewrite works on scalar arith in linalg.generic bodies, before
// vectorization. The shift is a constant or an element of a constant
// per-channel table (a generic input); anything it cannot prove is left
// alone.
//
//===----------------------------------------------------------------------===//
#include "X86Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <optional>

using namespace mlir;

namespace {

struct Bounds {
  int64_t lo, hi;
};

constexpr int64_t kI32Min = INT32_MIN, kI32Max = INT32_MAX;

bool fitsI32(Bounds b) { return b.lo >= kI32Min && b.hi <= kI32Max; }

std::optional<int64_t> getConstantInt(Value v) {
  APInt value;
  if (matchPattern(v, m_ConstantInt(&value)))
    return value.getSExtValue();
  return std::nullopt;
}

/// The constant integer table bound to input block argument `arg` of
/// `op`, if any.
DenseIntElementsAttr getConstantTable(linalg::GenericOp op, BlockArgument arg) {
  if (arg.getOwner() != op.getBody())
    return {};
  unsigned index = arg.getArgNumber();
  if (index >= op.getNumDpsInputs())
    return {};
  DenseIntElementsAttr table;
  if (matchPattern(op.getDpsInputOperand(index)->get(), m_Constant(&table)))
    return table;
  return {};
}

/// Bounds of an integer value of the body, by interval arithmetic
/// (overflow-free in i64 for the magnitudes involved; gives up otherwise).
/// Bounds of values this rewrite created (the narrowed rescale results).
using KnownBounds = llvm::DenseMap<Value, Bounds>;

std::optional<Bounds> getBounds(linalg::GenericOp op, Value v,
                                const KnownBounds &known, int depth = 0) {
  if (depth > 12)
    return std::nullopt;
  if (auto it = known.find(v); it != known.end())
    return it->second;
  auto type = dyn_cast<IntegerType>(v.getType());
  if (!type || type.getWidth() > 64)
    return std::nullopt;
  if (std::optional<int64_t> c = getConstantInt(v))
    return Bounds{*c, *c};
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    if (DenseIntElementsAttr table = getConstantTable(op, arg)) {
      Bounds b{INT64_MAX, INT64_MIN};
      for (const APInt &x : table.getValues<APInt>()) {
        b.lo = std::min(b.lo, x.getSExtValue());
        b.hi = std::max(b.hi, x.getSExtValue());
      }
      if (b.lo <= b.hi)
        return b;
      return std::nullopt;
    }
    if (type.getWidth() >= 64)
      return std::nullopt;
    return Bounds{-(int64_t(1) << (type.getWidth() - 1)),
                  (int64_t(1) << (type.getWidth() - 1)) - 1};
  }
  Operation *def = v.getDefiningOp();
  if (!def)
    return std::nullopt;
  auto bounds = [&](Value x) { return getBounds(op, x, known, depth + 1); };
  constexpr int64_t kLimit = int64_t(1) << 62;
  auto sane = [&](Bounds b) -> std::optional<Bounds> {
    if (b.lo < -kLimit || b.hi > kLimit)
      return std::nullopt;
    return b;
  };
  if (auto ext = dyn_cast<arith::ExtSIOp>(def)) {
    if (auto b = bounds(ext.getIn()))
      return b;
    unsigned w = ext.getIn().getType().getIntOrFloatBitWidth();
    if (w >= 64)
      return std::nullopt;
    return Bounds{-(int64_t(1) << (w - 1)), (int64_t(1) << (w - 1)) - 1};
  }
  if (auto ext = dyn_cast<arith::ExtUIOp>(def)) {
    unsigned w = ext.getIn().getType().getIntOrFloatBitWidth();
    if (w >= 63)
      return std::nullopt;
    return Bounds{0, (int64_t(1) << w) - 1};
  }
  if (isa<arith::AddIOp, arith::SubIOp>(def)) {
    auto a = bounds(def->getOperand(0)), b = bounds(def->getOperand(1));
    if (!a || !b)
      return std::nullopt;
    if (isa<arith::AddIOp>(def))
      return sane({a->lo + b->lo, a->hi + b->hi});
    return sane({a->lo - b->hi, a->hi - b->lo});
  }
  if (auto mul = dyn_cast<arith::MulIOp>(def)) {
    auto a = bounds(mul.getLhs()), b = bounds(mul.getRhs());
    if (!a || !b)
      return std::nullopt;
    // |a|, |b| < 2^31 keeps every corner product exact in i64.
    auto small = [](Bounds x) { return fitsI32(x); };
    if (!small(*a) || !small(*b))
      return std::nullopt;
    int64_t c[] = {a->lo * b->lo, a->lo * b->hi, a->hi * b->lo, a->hi * b->hi};
    return Bounds{*std::min_element(c, c + 4), *std::max_element(c, c + 4)};
  }
  if (auto shr = dyn_cast<arith::ShRSIOp>(def)) {
    auto a = bounds(shr.getLhs());
    std::optional<int64_t> k = getConstantInt(shr.getRhs());
    if (!a || !k || *k < 0 || *k > 62)
      return std::nullopt;
    return Bounds{a->lo >> *k, a->hi >> *k}; // floor division, monotonic
  }
  if (auto shl = dyn_cast<arith::ShLIOp>(def)) {
    auto a = bounds(shl.getLhs());
    std::optional<int64_t> k = getConstantInt(shl.getRhs());
    if (!a || !k || *k < 0 || *k > 31 || a->lo < -(kLimit >> *k) ||
        a->hi > (kLimit >> *k))
      return std::nullopt;
    return Bounds{a->lo * (int64_t(1) << *k), a->hi * (int64_t(1) << *k)};
  }
  return std::nullopt;
}

/// `v` (an i64 whose bounds fit i32, or an extension of a <= 32-bit value)
/// as an i32 value created at `b`'s insertion point.
Value toI32(OpBuilder &b, linalg::GenericOp op, Value v,
            const KnownBounds &known) {
  Type i32 = b.getI32Type();
  if (std::optional<int64_t> c = getConstantInt(v)) {
    if (*c < kI32Min || *c > kI32Max)
      return {};
    return arith::ConstantOp::create(b, v.getLoc(), b.getI32IntegerAttr(*c));
  }
  if (auto ext = v.getDefiningOp<arith::ExtSIOp>()) {
    Value in = ext.getIn();
    unsigned w = in.getType().getIntOrFloatBitWidth();
    if (w == 32)
      return in;
    if (w < 32)
      return arith::ExtSIOp::create(b, v.getLoc(), i32, in);
  }
  std::optional<Bounds> bounds = getBounds(op, v, known);
  if (!bounds || !fitsI32(*bounds))
    return {};
  return arith::TruncIOp::create(b, v.getLoc(), i32, v);
}

/// True if `round` is `s == 0 ? 0 : 1 << max(s - 1, 0)` (qlow-lower's
/// run-time rounding term) or, for a constant shift, the constant
/// `1 << (s - 1)`.
bool isRoundingTerm(Value round, Value shift, std::optional<int64_t> constShift) {
  if (std::optional<int64_t> c = getConstantInt(round))
    return constShift && *constShift >= 1 && *c == (int64_t(1) << (*constShift - 1));
  auto select = round.getDefiningOp<arith::SelectOp>();
  if (!select)
    return false;
  auto cmp = select.getCondition().getDefiningOp<arith::CmpIOp>();
  if (!cmp || cmp.getPredicate() != arith::CmpIPredicate::eq ||
      cmp.getLhs() != shift || getConstantInt(cmp.getRhs()) != 0 ||
      getConstantInt(select.getTrueValue()) != 0)
    return false;
  auto shl = select.getFalseValue().getDefiningOp<arith::ShLIOp>();
  if (!shl || getConstantInt(shl.getLhs()) != 1)
    return false;
  auto max = shl.getRhs().getDefiningOp<arith::MaxSIOp>();
  if (!max || getConstantInt(max.getRhs()) != 0)
    return false;
  auto sub = max.getLhs().getDefiningOp<arith::SubIOp>();
  return sub && sub.getLhs() == shift && getConstantInt(sub.getRhs()) == 1;
}

/// `(x * 2^k + 2^(s-1)) >> s` with a constant multiplier 2^k <= 2^s is
/// `(x + 2^(s-k-1)) >> (s-k)` (or x when s == k): numerator and
/// denominator share the factor 2^k, so the floors agree. Scale ratios
/// that are powers of two (equal scales, a halved or doubled range) then
/// need no multiply. Returns null when it does not apply or x does not fit
/// i32.
Value rewritePowerOfTwoRescale(linalg::GenericOp op, arith::MulIOp mul,
                               std::optional<int64_t> shift,
                               const KnownBounds &known, Bounds &out) {
  std::optional<int64_t> m = getConstantInt(mul.getRhs());
  if (!shift || !m || *m <= 0 || !llvm::isPowerOf2_64(*m))
    return {};
  int64_t d = *shift - llvm::Log2_64(*m);
  if (d < 0 || d > 31)
    return {};
  std::optional<Bounds> x = getBounds(op, mul.getLhs(), known);
  int64_t half = d == 0 ? 0 : int64_t(1) << (d - 1);
  if (!x || !fitsI32({x->lo, x->hi + half}))
    return {};
  OpBuilder b(mul);
  Location loc = mul.getLoc();
  Value x32 = toI32(b, op, mul.getLhs(), known);
  if (!x32)
    return {};
  out = {(x->lo + half) >> d, (x->hi + half) >> d};
  if (d == 0)
    return x32;
  auto c32 = [&](int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(v));
  };
  return arith::ShRSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, x32, c32(half)), c32(d));
}

/// Rewrites one `(x * m + round) >> s`; returns the i32 result and sets
/// its bounds, or returns null.
Value rewriteRescale(linalg::GenericOp op, arith::ShRSIOp shr,
                     const KnownBounds &known, Bounds &out) {
  if (!shr.getType().isInteger(64))
    return {};
  Value shift = shr.getRhs();
  std::optional<Bounds> s = getBounds(op, shift, known);
  if (!s || s->lo < 1 || s->hi > 62 || (s->lo < 32 && s->lo != s->hi))
    return {};
  std::optional<int64_t> constShift;
  if (s->lo == s->hi)
    constShift = s->lo;
  auto add = shr.getLhs().getDefiningOp<arith::AddIOp>();
  if (!add)
    return {};
  arith::MulIOp mul;
  Value round;
  for (unsigned i = 0; i < 2 && !mul; ++i) {
    mul = add->getOperand(i).getDefiningOp<arith::MulIOp>();
    round = add->getOperand(1 - i);
  }
  if (!mul || !isRoundingTerm(round, shift, constShift))
    return {};
  if (Value q = rewritePowerOfTwoRescale(op, mul, constShift, known, out))
    return q;
  std::optional<Bounds> p = getBounds(op, mul.getResult(), known);
  if (!p)
    return {};
  // q = floor((p + 2^(s-1)) / 2^s) is monotonic in p and, for p of either
  // sign, largest in magnitude at the smallest shift.
  auto q = [](int64_t v, int64_t sh) {
    return (v + (int64_t(1) << (sh - 1))) >> sh;
  };
  Bounds qb{std::min(q(p->lo, s->lo), q(p->lo, s->hi)),
            std::max(q(p->hi, s->lo), q(p->hi, s->hi))};
  if (!fitsI32(qb))
    return {};
  if (s->lo < 32) {
    // hi << (32 - s) must not overflow either: it is q up to one unit of
    // 2^(32-s).
    int64_t unit = int64_t(1) << (32 - s->lo);
    if (!fitsI32({qb.lo - unit, qb.hi + unit}))
      return {};
  }

  OpBuilder b(shr);
  Location loc = shr.getLoc();
  Value x = toI32(b, op, mul.getLhs(), known);
  Value m = toI32(b, op, mul.getRhs(), known);
  if (!x || !m)
    return {};
  // The 32x32->64 product (vpmuldq on x86) and its two words.
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  Value prod = arith::MulIOp::create(b, loc,
                                     arith::ExtSIOp::create(b, loc, i64, x),
                                     arith::ExtSIOp::create(b, loc, i64, m));
  Value lo = arith::TruncIOp::create(b, loc, i32, prod);
  Value hi = arith::TruncIOp::create(
      b, loc, i32,
      arith::ShRSIOp::create(
          b, loc, prod,
          arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(32))));
  auto c32 = [&](int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(v));
  };
  out = qb;
  if (s->lo < 32) {
    // (hi << (32 - s)) + round_half_up(lo / 2^s), lo unsigned:
    // (lo >>u s) + ((lo >>u (s - 1)) & 1).
    int64_t sh = *constShift;
    Value high = arith::ShLIOp::create(b, loc, hi, c32(32 - sh));
    Value low = arith::ShRUIOp::create(b, loc, lo, c32(sh));
    Value half = arith::AndIOp::create(
        b, loc, arith::ShRUIOp::create(b, loc, lo, c32(sh - 1)), c32(1));
    return arith::AddIOp::create(b, loc, high,
                                 arith::AddIOp::create(b, loc, low, half));
  }
  // s == 32: hi + (lo >>u 31).
  Value at32 = arith::AddIOp::create(
      b, loc, hi, arith::ShRUIOp::create(b, loc, lo, c32(31)));
  if (s->hi == 32)
    return at32;
  // k = s - 32 >= 1: (hi + (1 << (k - 1))) >> k.
  Value k = constShift ? Value(c32(*constShift - 32))
                       : Value(arith::SubIOp::create(
                             b, loc, arith::TruncIOp::create(b, loc, i32, shift),
                             c32(32)));
  Value half = constShift
                   ? Value(c32(int64_t(1) << (*constShift - 33)))
                   : Value(arith::ShLIOp::create(
                         b, loc, c32(1),
                         arith::MaxSIOp::create(
                             b, loc, arith::SubIOp::create(b, loc, k, c32(1)),
                             c32(0))));
  Value above =
      arith::ShRSIOp::create(b, loc, arith::AddIOp::create(b, loc, hi, half), k);
  if (s->lo >= 33)
    return above;
  Value is32 =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, k, c32(0));
  return arith::SelectOp::create(b, loc, is32, at32, above);
}

/// A fused consumer extends the producer's stored narrow value back:
/// ext(trunc(v)) is v itself when v's bounds fit the narrow type (the
/// requantize clamp guarantees it), which saves a pack to bytes and an
/// unpack per vector. Rewrites those extensions of `trunc` to use the i32
/// value `v` with bounds `vb`.
void foldExtensionsOfTruncation(OpBuilder &b, arith::TruncIOp trunc, Value v,
                                Bounds vb) {
  unsigned width = trunc.getType().getIntOrFloatBitWidth();
  int64_t signedLo = -(int64_t(1) << (width - 1));
  int64_t signedHi = (int64_t(1) << (width - 1)) - 1;
  int64_t unsignedHi = (int64_t(1) << width) - 1;
  for (Operation *user : llvm::make_early_inc_range(trunc->getUsers())) {
    bool exact;
    if (isa<arith::ExtSIOp>(user))
      exact = vb.lo >= signedLo && vb.hi <= signedHi;
    else if (isa<arith::ExtUIOp>(user))
      exact = vb.lo >= 0 && vb.hi <= unsignedHi;
    else
      continue;
    Type type = user->getResult(0).getType();
    unsigned to = type.getIntOrFloatBitWidth();
    if (!exact || to > 64)
      continue;
    b.setInsertionPoint(user);
    Value same = v;
    if (to > 32)
      same = arith::ExtSIOp::create(b, user->getLoc(), type, v);
    else if (to < 32)
      same = arith::TruncIOp::create(b, user->getLoc(), type, v);
    // Left dead for the canonicalizer: the caller is iterating the body.
    user->getResult(0).replaceAllUsesWith(same);
  }
}

/// Re-creates the i64 users of narrowed values in i32 while the bounds
/// allow (zero point, clamps) and folds the final truncation.
void narrowUsers(OpBuilder &b, llvm::DenseMap<Value, std::pair<Value, Bounds>> &narrowed,
                 Block &body) {
  for (Operation &inner : llvm::make_early_inc_range(body)) {
    auto get = [&](Value v) -> std::optional<std::pair<Value, Bounds>> {
      auto it = narrowed.find(v);
      if (it != narrowed.end())
        return it->second;
      if (std::optional<int64_t> c = getConstantInt(v))
        if (*c >= kI32Min && *c <= kI32Max)
          return std::make_pair(Value(), Bounds{*c, *c});
      return std::nullopt;
    };
    auto materialize = [&](Value v, std::pair<Value, Bounds> n) {
      if (n.first)
        return n.first;
      return Value(arith::ConstantOp::create(
          b, v.getLoc(), b.getI32IntegerAttr(n.second.lo)));
    };
    if (auto trunc = dyn_cast<arith::TruncIOp>(inner)) {
      auto it = narrowed.find(trunc.getIn());
      if (it == narrowed.end() ||
          trunc.getType().getIntOrFloatBitWidth() > 32)
        continue;
      b.setInsertionPoint(trunc);
      Value v = it->second.first;
      unsigned width = trunc.getType().getIntOrFloatBitWidth();
      if (width < 32) {
        foldExtensionsOfTruncation(b, trunc, v, it->second.second);
        v = arith::TruncIOp::create(b, trunc.getLoc(), trunc.getType(), v);
      }
      trunc.getResult().replaceAllUsesWith(v);
      continue;
    }
    if (!isa<arith::AddIOp, arith::SubIOp, arith::MaxSIOp, arith::MinSIOp>(
            inner) ||
        !inner.getResult(0).getType().isInteger(64))
      continue;
    auto a = get(inner.getOperand(0)), c = get(inner.getOperand(1));
    if (!a || !c || (!a->first && !c->first))
      continue;
    Bounds x = a->second, y = c->second, r;
    if (isa<arith::AddIOp>(inner))
      r = {x.lo + y.lo, x.hi + y.hi};
    else if (isa<arith::SubIOp>(inner))
      r = {x.lo - y.hi, x.hi - y.lo};
    else if (isa<arith::MaxSIOp>(inner))
      r = {std::max(x.lo, y.lo), std::max(x.hi, y.hi)};
    else
      r = {std::min(x.lo, y.lo), std::min(x.hi, y.hi)};
    if (!fitsI32(r))
      continue;
    b.setInsertionPoint(&inner);
    Value l = materialize(inner.getOperand(0), *a);
    Value rr = materialize(inner.getOperand(1), *c);
    OperationState state(inner.getLoc(), inner.getName());
    state.addOperands({l, rr});
    state.addTypes(b.getI32Type());
    Operation *narrow = b.create(state);
    narrowed[inner.getResult(0)] = {narrow->getResult(0), r};
    // Remaining i64 users see the (exact) extension.
    b.setInsertionPointAfter(narrow);
    Value ext = arith::ExtSIOp::create(b, inner.getLoc(), b.getI64Type(),
                                       narrow->getResult(0));
    inner.getResult(0).replaceAllUsesWith(ext);
    narrowed[ext] = {narrow->getResult(0), r};
  }
}

} // namespace

void mlir::qlow::x86::narrowFixedPointArithmetic(Operation *root) {
  root->walk([&](linalg::GenericOp op) {
    llvm::DenseMap<Value, std::pair<Value, Bounds>> narrowed;
    Block &body = *op.getBody();
    SmallVector<arith::ShRSIOp> shifts;
    body.walk([&](arith::ShRSIOp shr) { shifts.push_back(shr); });
    KnownBounds known;
    for (arith::ShRSIOp shr : shifts) {
      Bounds bounds;
      Value q32 = rewriteRescale(op, shr, known, bounds);
      if (!q32)
        continue;
      OpBuilder b(shr);
      Value q64 = arith::ExtSIOp::create(b, shr.getLoc(), b.getI64Type(), q32);
      shr.getResult().replaceAllUsesWith(q64);
      narrowed[q64] = {q32, bounds};
      known[q64] = bounds;
      known[q32] = bounds;
    }
    if (narrowed.empty())
      return;
    OpBuilder b(op.getContext());
    narrowUsers(b, narrowed, body);
  });
}
