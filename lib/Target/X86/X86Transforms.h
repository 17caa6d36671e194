//===- X86Transforms.h - x86 backend internals ------------------*- C++ -*-===//
#ifndef QLOW_LIB_TARGET_X86_X86TRANSFORMS_H
#define QLOW_LIB_TARGET_X86_X86TRANSFORMS_H

namespace mlir {
class Operation;
namespace qlow::x86 {

/// Rewrites the i64 fixed-point rescales (and the zero point, clamp and
/// truncation after them) in the bodies of the linalg.generic ops under
/// `root` into i32 arithmetic where every shift is at least 32: the same
/// integers, with lanes x86 handles well (see NarrowFixedPoint.cpp).
void narrowFixedPointArithmetic(Operation *root);

} // namespace qlow::x86
} // namespace mlir

#endif // QLOW_LIB_TARGET_X86_X86TRANSFORMS_H
