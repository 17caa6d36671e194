// RUN: qlow-opt %s --qlow-import-qdq --split-input-file -verify-diagnostics

// Float ops left between quantized neighbours are reported, with the reason,
// and moved into float islands.
!q = !quant.uniform<i8:f32, 0.1>
func.func @float_ops(%x: tensor<2x4xf32>, %y: tensor<4x3xf32>) -> tensor<2x3xf32> {
  %q = qlow.quantize %x : tensor<2x4xf32> -> tensor<2x4x!q>
  %dq = qlow.dequantize %q : tensor<2x4x!q> -> tensor<2x4xf32>
  %qy = qlow.quantize %y : tensor<4x3xf32> -> tensor<4x3x!q>
  %dqy = qlow.dequantize %qy : tensor<4x3x!q> -> tensor<4x3xf32>
  // expected-remark @below {{'mm' (qlow.matmul) stays in float: no quantized kernel for a matmul of two activations}}
  %m = qlow.matmul %dq, %dqy {name = "mm"} : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  %mq = qlow.quantize %m : tensor<2x3xf32> -> tensor<2x3x!q>
  %r = qlow.dequantize %mq : tensor<2x3x!q> -> tensor<2x3xf32>
  // expected-remark @below {{'sum' (qlow.add) stays in float: result not quantized (no QuantizeLinear follows)}}
  %s = qlow.add %r, %r {name = "sum"} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // expected-remark @below {{'twice' (qlow.add) stays in float: inputs not quantized (operand #0 is float)}}
  %t = qlow.add %s, %r {name = "twice"} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %t : tensor<2x3xf32>
}

// -----

// An average pool of dequantized values that no quantize follows keeps its
// input's quantization, and says so; an add in the same place (its result
// may leave the input's range) stays float.
!q = !quant.uniform<u8:f32, 0.1>
func.func @unquantized_results(%x: tensor<1x2x2x1xf32>) -> (tensor<1x1x1x1xf32>, tensor<1x2x2x1xf32>) {
  %q = qlow.quantize %x : tensor<1x2x2x1xf32> -> tensor<1x2x2x1x!q>
  %dq = qlow.dequantize %q : tensor<1x2x2x1x!q> -> tensor<1x2x2x1xf32>
  // expected-remark @below {{'avg' (qlow.avg_pool2d): no QuantizeLinear follows; the result keeps its input's quantization}}
  %a = qlow.avg_pool2d %dq {kernel = array<i64: 2, 2>, name = "avg", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : tensor<1x2x2x1xf32> -> tensor<1x1x1x1xf32>
  // expected-remark @below {{'sum' (qlow.add) stays in float: result not quantized (no QuantizeLinear follows)}}
  %s = qlow.add %dq, %dq {name = "sum"} : (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return %a, %s : tensor<1x1x1x1xf32>, tensor<1x2x2x1xf32>
}

// -----

// An int32 bias whose value no float can carry exactly at scale sx * sw.
!qx = !quant.uniform<i8:f32, 1.0>
!qw = !quant.uniform<i8:f32, 1.0>
!qb = !quant.uniform<i32:f32, 1.0>
func.func @bias(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %q = qlow.quantize %x : tensor<1x2xf32> -> tensor<1x2x!qx>
  %dq = qlow.dequantize %q : tensor<1x2x!qx> -> tensor<1x2xf32>
  %wi = arith.constant dense<[[1], [2]]> : tensor<2x1xi8>
  %wq = quant.scast %wi : tensor<2x1xi8> to tensor<2x1x!qw>
  %w = qlow.dequantize %wq : tensor<2x1x!qw> -> tensor<2x1xf32>
  %bi = arith.constant dense<[16777217]> : tensor<1xi32>
  %bq = quant.scast %bi : tensor<1xi32> to tensor<1x!qb>
  %b = qlow.dequantize %bq : tensor<1x!qb> -> tensor<1xf32>
  // expected-error @below {{the int32 bias 16777217 of output channel 0 has no float value that re-derives it exactly at scale 1.000000e+00 x 1.000000e+00}}
  %m = qlow.matmul %dq, %w, %b : (tensor<1x2xf32>, tensor<2x1xf32>, tensor<1xf32>) -> tensor<1x1xf32>
  %mq = qlow.quantize %m : tensor<1x1xf32> -> tensor<1x1x!qx>
  %r = qlow.dequantize %mq : tensor<1x1x!qx> -> tensor<1x1xf32>
  return %r : tensor<1x1xf32>
}
