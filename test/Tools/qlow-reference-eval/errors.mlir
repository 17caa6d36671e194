// Bad input: a clear error with a location, exit code 1, never a crash and
// nothing on stdout.
//
// RUN: not qlow-reference-eval %s --func=unsupported 2>&1 | FileCheck %s --check-prefix=UNSUP
// RUN: not qlow-reference-eval %s --func=unsupported_in_island 2>&1 | FileCheck %s --check-prefix=ISLAND
// RUN: not qlow-reference-eval %s --func=missing 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not qlow-reference-eval %s --func=declaration 2>&1 | FileCheck %s --check-prefix=MISSING-DECL
// RUN: not qlow-reference-eval %s --func=dynamic_arg 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// RUN: not qlow-reference-eval %s --func=f16_arg 2>&1 | FileCheck %s --check-prefix=F16
// RUN: not qlow-reference-eval %s --func=unsigned_arg 2>&1 | FileCheck %s --check-prefix=UNSIGNED
// RUN: not qlow-reference-eval %s --func=bad_multiplier 2>&1 | FileCheck %s --check-prefix=MULT
// RUN: not qlow-reference-eval %s --func=f16_float_op 2>&1 | FileCheck %s --check-prefix=F16OP
// RUN: not qlow-reference-eval %s --func=dynamic_result 2>&1 | FileCheck %s --check-prefix=DYNRES
// RUN: not qlow-reference-eval %s --func=add_unsupported_ok --range=0 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not qlow-reference-eval %S/Inputs/unparsable.mlir 2>&1 | FileCheck %s --check-prefix=PARSE
// RUN: not qlow-reference-eval %S/Inputs/invalid.mlir 2>&1 | FileCheck %s --check-prefix=INVALID
// RUN: not qlow-reference-eval %S/Inputs/const-resource.mlir 2>&1 | FileCheck %s --check-prefix=RESOURCE
// RUN: not qlow-reference-eval %S/Inputs/does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=NOFILE
// RUN: not qlow-reference-eval %s --func=unsupported 2>/dev/null | count 0

// UNSUP: errors.mlir:[[@LINE+4]]:8: error: qlow-reference-eval: unsupported op 'arith.addf'
// UNSUP-NOT: note
func.func @unsupported(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qlow.add %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = arith.addf %0, %x : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// ISLAND: errors.mlir:[[@LINE+3]]:10: error: qlow-reference-eval: unsupported op 'tosa.tanh'
func.func @unsupported_in_island(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qlow.float_island "unsupported op tosa.tanh" : tensor<4xf32> {
    %t = tosa.tanh %x : (tensor<4xf32>) -> tensor<4xf32>
    qlow.yield %t : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// MISSING: errors.mlir: error: qlow-reference-eval: no function @missing with a body in the module
// MISSING-DECL: errors.mlir: error: qlow-reference-eval: no function @declaration with a body in the module
func.func private @declaration(tensor<4xf32>) -> tensor<4xf32>

// DYNAMIC: errors.mlir:[[@LINE+1]]:1: error: argument #0 of @dynamic_arg has type 'tensor<?xf32>': expected a statically shaped tensor
func.func @dynamic_arg(%x: tensor<?xf32>) -> tensor<?xf32> {
  return %x : tensor<?xf32>
}

// F16: error: argument #1 of @f16_arg has type 'tensor<4xf16>': expected f32, signless integers of at most 32 bits or signed quantized storage
func.func @f16_arg(%x: tensor<4xf32>, %y: tensor<4xf16>) -> tensor<4xf16> {
  return %y : tensor<4xf16>
}

// UNSIGNED: error: argument #0 of @unsigned_arg has type 'tensor<4x!quant.uniform<u8:f32, 1.000000e+00:128>>': quantized arguments need signed storage
func.func @unsigned_arg(%x: tensor<4x!quant.uniform<u8:f32, 1.0:128>>) -> tensor<4x!quant.uniform<u8:f32, 1.0:128>> {
  return %x : tensor<4x!quant.uniform<u8:f32, 1.0:128>>
}

// A scale ratio of 1e10 has no valid fixed-point multiplier (>= 2^31).
// MULT: errors.mlir:[[@LINE+3]]:8: error: invalid requantize multiplier
func.func @bad_multiplier() -> tensor<2x!quant.uniform<i8:f32, 1.0e-10>> {
  %q = qlow.const dense<[1, 2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 1.0>>
  %r = qlow.requantize %q : tensor<2x!quant.uniform<i8:f32, 1.0>> -> tensor<2x!quant.uniform<i8:f32, 1.0e-10>>
  return %r : tensor<2x!quant.uniform<i8:f32, 1.0e-10>>
}

// F16OP: errors.mlir:[[@LINE+4]]:8: error: supports dequantizing to f32 only, got 'tensor<2xf16>'
// F16OP-NOT: note
func.func @f16_float_op() -> tensor<2xf16> {
  %q = qlow.const dense<[1, 2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f16, 1.0>>
  %0 = qlow.dequantize %q : tensor<2x!quant.uniform<i8:f16, 1.0>> -> tensor<2xf16>
  return %0 : tensor<2xf16>
}

// DYNRES: errors.mlir:[[@LINE+2]]:8: error: expects statically shaped tensors, got 'tensor<?x4xf32>'
func.func @dynamic_result(%x: tensor<1x4xf32>) -> tensor<?x4xf32> {
  %0 = qlow.add %x, %x : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// RANGE: qlow-reference-eval: --range must be positive and finite
func.func @add_unsupported_ok(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// PARSE: unparsable.mlir:3:12: error: expected ':'
// INVALID: invalid.mlir:3:8: error: 'qlow.requantize' op input and result shapes differ
// RESOURCE: const-resource.mlir:2:8: error: qlow-reference-eval: qlow.const needs a dense elements value, got dense_resource<blob> : tensor<3xi8>
// NOFILE: qlow-reference-eval: cannot open input file '{{.*}}does-not-exist.mlir'
