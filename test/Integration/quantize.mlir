// Execution test of qlow.quantize / qlow.dequantize (docs/integer-spec.md
// sections 1 and 2): a true f32 division, ties to even, NaN to the zero
// point, saturation before the conversion.
// RUN: qlow-opt %s --qlow-lower --qlow-test-lower-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so \
// RUN: | FileCheck %s

!qs = !quant.uniform<i8:f32, 0.5:3>
!qc = !quant.uniform<i8:f32, 0.01>
!qu = !quant.uniform<u8:f32, 0.02:128>
!qp = !quant.uniform<i8:f32:1, {0.5, 0.25:1}>

func.func @quantize_i8(%x: tensor<10xf32>) -> tensor<10xi8> {
  %q = qlow.quantize %x : tensor<10xf32> -> tensor<10x!qs>
  %s = quant.scast %q : tensor<10x!qs> to tensor<10xi8>
  return %s : tensor<10xi8>
}

func.func @quantize_div(%x: tensor<1xf32>) -> tensor<1xi8> {
  %q = qlow.quantize %x : tensor<1xf32> -> tensor<1x!qc>
  %s = quant.scast %q : tensor<1x!qc> to tensor<1xi8>
  return %s : tensor<1xi8>
}

func.func @quantize_u8(%x: tensor<6xf32>) -> tensor<6xi8> {
  %q = qlow.quantize %x : tensor<6xf32> -> tensor<6x!qu>
  %s = quant.scast %q : tensor<6x!qu> to tensor<6xi8>
  return %s : tensor<6xi8>
}

func.func @quantize_per_axis(%x: tensor<2x2xf32>) -> tensor<2x2xi8> {
  %q = qlow.quantize %x : tensor<2x2xf32> -> tensor<2x2x!qp>
  %s = quant.scast %q : tensor<2x2x!qp> to tensor<2x2xi8>
  return %s : tensor<2x2xi8>
}

func.func @dequantize_u8(%x: tensor<4xi8>) -> tensor<4xf32> {
  %q = quant.scast %x : tensor<4xi8> to tensor<4x!qu>
  %d = qlow.dequantize %q : tensor<4x!qu> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

func.func @print_i8(%t: tensor<?xi8>, %unsigned: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %t, %c0 : tensor<?xi8>
  scf.for %i = %c0 to %n step %c1 {
    %v = tensor.extract %t[%i] : tensor<?xi8>
    %s = arith.extsi %v : i8 to i32
    %u = arith.extui %v : i8 to i32
    %w = arith.select %unsigned, %u, %s : i32
    vector.print %w : i32
  }
  return
}

func.func @main() {
  %signed = arith.constant false
  %unsigned = arith.constant true

  // x / 0.5 = 0.5, 1.5, 2.5, -0.5, -1.5 round to even: 0, 2, 2, -0, -2;
  // + 3. NaN gives the zero point; +-1000 and +-inf saturate.
  // CHECK-LABEL: quantize_i8
  // CHECK-NEXT: 3
  // CHECK-NEXT: 5
  // CHECK-NEXT: 5
  // CHECK-NEXT: 3
  // CHECK-NEXT: 1
  // CHECK-NEXT: 3
  // CHECK-NEXT: 127
  // CHECK-NEXT: -128
  // CHECK-NEXT: 127
  // CHECK-NEXT: -128
  vector.print str "quantize_i8\n"
  %a = arith.constant dense<[0.25, 0.75, 1.25, -0.25, -0.75, 0x7FC00000, 1000.0, -1000.0, 0x7F800000, 0xFF800000]> : tensor<10xf32>
  %ra = call @quantize_i8(%a) : (tensor<10xf32>) -> tensor<10xi8>
  %pa = tensor.cast %ra : tensor<10xi8> to tensor<?xi8>
  call @print_i8(%pa, %signed) : (tensor<?xi8>, i1) -> ()

  // 11.5f * 0.01f (0x3DEB851E) divided by 0.01f is exactly 11.5 -> 12; a
  // reciprocal multiply would give 11.499999 -> 11.
  // CHECK-LABEL: quantize_div
  // CHECK-NEXT: 12
  vector.print str "quantize_div\n"
  %b = arith.constant dense<[0x3DEB851E]> : tensor<1xf32>
  %rb = call @quantize_div(%b) : (tensor<1xf32>) -> tensor<1xi8>
  %pb = tensor.cast %rb : tensor<1xi8> to tensor<?xi8>
  call @print_i8(%pb, %signed) : (tensor<?xi8>, i1) -> ()

  // u8, scale 0.02, zp 128: 1.0 -> 50 + 128; -3.0 -> -150 saturates at
  // 0 - 128; 3.0 -> 150 saturates at 255 - 128; 0.01 -> 0.5 -> 0;
  // 0.03 -> 1.5 -> 2; 0.05 -> 2.5 -> 2.
  // CHECK-LABEL: quantize_u8
  // CHECK-NEXT: 178
  // CHECK-NEXT: 0
  // CHECK-NEXT: 255
  // CHECK-NEXT: 128
  // CHECK-NEXT: 130
  // CHECK-NEXT: 130
  vector.print str "quantize_u8\n"
  %c = arith.constant dense<[1.0, -3.0, 3.0, 0.01, 0.03, 0.05]> : tensor<6xf32>
  %rc = call @quantize_u8(%c) : (tensor<6xf32>) -> tensor<6xi8>
  %pc = tensor.cast %rc : tensor<6xi8> to tensor<?xi8>
  call @print_i8(%pc, %unsigned) : (tensor<?xi8>, i1) -> ()

  // Column 0: scale 0.5, zp 0; column 1: scale 0.25, zp 1.
  // CHECK-LABEL: quantize_per_axis
  // CHECK-NEXT: 2
  // CHECK-NEXT: 5
  // CHECK-NEXT: 2
  // CHECK-NEXT: -2
  vector.print str "quantize_per_axis\n"
  %d = arith.constant dense<[[1.0, 1.0], [0.75, -0.75]]> : tensor<2x2xf32>
  %rd = call @quantize_per_axis(%d) : (tensor<2x2xf32>) -> tensor<2x2xi8>
  %fd = tensor.collapse_shape %rd [[0, 1]] : tensor<2x2xi8> into tensor<4xi8>
  %pd = tensor.cast %fd : tensor<4xi8> to tensor<?xi8>
  call @print_i8(%pd, %signed) : (tensor<?xi8>, i1) -> ()

  // f32(q - 128) * 0.02f for u8 178, 0, 255, 128.
  // CHECK-LABEL: dequantize_u8
  // CHECK-NEXT: 1
  // CHECK-NEXT: -2.56
  // CHECK-NEXT: 2.54
  // CHECK-NEXT: 0
  vector.print str "dequantize_u8\n"
  %e = arith.constant dense<[-78, 0, -1, -128]> : tensor<4xi8>
  %re = call @dequantize_u8(%e) : (tensor<4xi8>) -> tensor<4xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %v = tensor.extract %re[%i] : tensor<4xf32>
    vector.print %v : f32
  }
  return
}
