// RUN: qlow-opt %s --qlow-lower --split-input-file | FileCheck %s

// requantize 0.5 -> 0.25 is a rescale by 2.0 = {2^30, 29}: subtract the
// input zero point, one 64-bit product, add 2^28, shift right by 29, add the
// output zero point, clamp to the storage range. No float survives.

!qa = !quant.uniform<i8:f32, 0.5:-3>
!qb = !quant.uniform<i8:f32, 0.25:2>
// CHECK-LABEL: func.func @requantize
// CHECK-SAME: (%[[X:.*]]: tensor<4xi8>) -> tensor<4xi8>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel"]
// CHECK-SAME: ins(%[[X]] : tensor<4xi8>)
// CHECK: arith.extsi %{{.*}} : i8 to i64
// CHECK: %[[ZIN:.*]] = arith.constant -3 : i64
// CHECK: arith.subi %{{.*}}, %[[ZIN]] : i64
// CHECK: %[[M:.*]] = arith.constant 1073741824 : i64
// CHECK: arith.muli %{{.*}}, %[[M]] : i64
// CHECK: %[[HALF:.*]] = arith.constant 268435456 : i64
// CHECK: arith.addi %{{.*}}, %[[HALF]] : i64
// CHECK: %[[S:.*]] = arith.constant 29 : i64
// CHECK: arith.shrsi %{{.*}}, %[[S]] : i64
// CHECK: %[[ZOUT:.*]] = arith.constant 2 : i64
// CHECK: arith.addi %{{.*}}, %[[ZOUT]] : i64
// CHECK: arith.constant -128 : i64
// CHECK: arith.maxsi
// CHECK: arith.constant 127 : i64
// CHECK: arith.minsi
// CHECK: arith.trunci %{{.*}} : i64 to i8
// CHECK-NOT: quant.uniform
// CHECK-NOT: arith.mulf
// CHECK-NOT: arith.divf
func.func @requantize(%x: tensor<4x!qa>) -> tensor<4x!qb> {
  %r = qlow.requantize %x : tensor<4x!qa> -> tensor<4x!qb>
  return %r : tensor<4x!qb>
}

// -----

// Per-axis input: per-channel tables of multipliers (0.5/0.25 = 2.0 ->
// {2^30, 29}; 0.25/0.25 = 1.0 -> {2^30, 30}), shifts and input zero points
// along axis 1.

!qw = !quant.uniform<i8:f32:1, {0.5, 0.25:1}>
!qp = !quant.uniform<i8:f32, 0.25:-1>
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @requantize_per_axis
// CHECK-DAG: %[[M:.*]] = arith.constant dense<1073741824> : tensor<2xi32>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[29, 30]> : tensor<2xi32>
// CHECK-DAG: %[[Z:.*]] = arith.constant dense<[0, 1]> : tensor<2xi32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$ID]]]
// CHECK-SAME: ins(%{{.*}}, %[[M]], %[[S]], %[[Z]] :
// CHECK: arith.shrsi
// CHECK: arith.constant -1 : i64
func.func @requantize_per_axis(%x: tensor<3x2x!qw>) -> tensor<3x2x!qp> {
  %r = qlow.requantize %x : tensor<3x2x!qw> -> tensor<3x2x!qp>
  return %r : tensor<3x2x!qp>
}

// -----

// shift 0 is a plain product (no rounding constant); per-channel
// multipliers select the rounding constant at run time; the output range
// [0, 255] of a u8 held in i8 truncates.

// CHECK-LABEL: func.func @rescale
// CHECK: linalg.generic
// CHECK: %[[M:.*]] = arith.constant 1073741824 : i64
// CHECK-NEXT: %[[P:.*]] = arith.muli %{{.*}}, %[[M]] : i64
// CHECK-NEXT: arith.constant -128 : i64
// CHECK-NEXT: arith.maxsi %[[P]]
// CHECK: %[[MT:.*]] = arith.constant dense<[1073741824, 1518500250, 0]> : tensor<3xi32>
// CHECK: %[[ST:.*]] = arith.constant dense<[31, 40, 0]> : tensor<3xi32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %[[MT]], %[[ST]] : tensor<2x3xi32>, tensor<3xi32>, tensor<3xi32>)
// CHECK: ^bb0(%{{.*}}: i32, %[[MI:.*]]: i32, %[[SI:.*]]: i32,
// CHECK: %[[M64:.*]] = arith.extsi %[[MI]] : i32 to i64
// CHECK: %[[S64:.*]] = arith.extsi %[[SI]] : i32 to i64
// CHECK: %[[PROD:.*]] = arith.muli %{{.*}}, %[[M64]] : i64
// CHECK: %[[SM1:.*]] = arith.subi %[[S64]]
// CHECK: %[[SM1C:.*]] = arith.maxsi %[[SM1]]
// CHECK: %[[H:.*]] = arith.shli %{{.*}}, %[[SM1C]] : i64
// CHECK: %[[IS0:.*]] = arith.cmpi eq, %[[S64]]
// CHECK: %[[HS:.*]] = arith.select %[[IS0]], %{{.*}}, %[[H]] : i64
// CHECK: %[[SUM:.*]] = arith.addi %[[PROD]], %[[HS]] : i64
// CHECK: arith.shrsi %[[SUM]], %[[S64]] : i64
// CHECK: arith.constant 5 : i64
// CHECK: arith.constant 0 : i64
// CHECK: arith.constant 255 : i64
// CHECK: arith.trunci %{{.*}} : i64 to i8
// CHECK-NOT: arith.mulf
func.func @rescale(%x: tensor<2x3xi32>) -> (tensor<2x3xi8>, tensor<2x3xi8>) {
  %a = qlow.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 0>, input_zp = 0 : si32, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<2x3xi32> -> tensor<2x3xi8>
  %b = qlow.rescale %x {multiplier = array<i32: 1073741824, 1518500250, 0>, shift = array<i32: 31, 40, 0>, output_zp = 5 : si32, min = 0 : si32, max = 255 : si32} : tensor<2x3xi32> -> tensor<2x3xi8>
  return %a, %b : tensor<2x3xi8>, tensor<2x3xi8>
}

// -----

// CHECK-LABEL: func.func @rescale_unsigned_input
// CHECK: arith.extui %{{.*}} : i8 to i64
// CHECK: arith.constant 128 : i64
// CHECK: arith.subi
func.func @rescale_unsigned_input(%x: tensor<4xi8>) -> tensor<4xi8> {
  %r = qlow.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 31>, input_zp = 128 : si32, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32, input_unsigned} : tensor<4xi8> -> tensor<4xi8>
  return %r : tensor<4xi8>
}

// -----

// One generic for every group count: channel dims expanded to
// [N,H,W,G,C/G], filter [G,O/G,KH,KW,C/G], output [N,OH,OW,G,O/G]; the pad
// holds pad_value; the bias initializes the accumulator; i8 x i8 -> i32.

// CHECK-DAG: #[[$BIAS:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1 * 2 + d5, d2 * 2 + d6, d3, d7)>
// CHECK-DAG: #[[$W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d3, d4, d5, d6, d7)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @int_conv2d
// CHECK-SAME: (%[[X:.*]]: tensor<1x5x5x4xi8>, %[[W:.*]]: tensor<6x3x3x2xi8>, %[[B:.*]]: tensor<6xi32>)
// CHECK: %[[PV:.*]] = arith.constant -3 : i8
// CHECK: %[[P:.*]] = tensor.pad %[[X]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield %[[PV]] : i8
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[$BIAS]], {{.*}}]{{.*}} ins(%[[B]] : tensor<6xi32>)
// CHECK: %[[XE:.*]] = tensor.expand_shape %[[P]] {{\[\[}}0], [1], [2], [3, 4]] output_shape [1, 7, 7, 2, 2]
// CHECK: %[[WE:.*]] = tensor.expand_shape %[[W]] {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 3, 3, 3, 2]
// CHECK: %[[AE:.*]] = tensor.expand_shape %[[INIT]] {{\[\[}}0], [1], [2], [3, 4]] output_shape [1, 3, 3, 2, 3]
// CHECK: %[[C:.*]] = linalg.generic {indexing_maps = [#[[$IN]], #[[$W]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[XE]], %[[WE]] : tensor<1x7x7x2x2xi8>, tensor<2x3x3x3x2xi8>) outs(%[[AE]] : tensor<1x3x3x2x3xi32>)
// CHECK: %[[XV:.*]] = arith.extsi %{{.*}} : i8 to i32
// CHECK: %[[WV:.*]] = arith.extsi %{{.*}} : i8 to i32
// CHECK: %[[PR:.*]] = arith.muli %[[XV]], %[[WV]] : i32
// CHECK: arith.addi %{{.*}}, %[[PR]] : i32
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[C]] {{\[\[}}0], [1], [2], [3, 4]] : tensor<1x3x3x2x3xi32> into tensor<1x3x3x6xi32>
// CHECK: return %[[R]]
// CHECK-NOT: arith.mulf
func.func @int_conv2d(%x: tensor<1x5x5x4xi8>, %w: tensor<6x3x3x2xi8>, %b: tensor<6xi32>) -> tensor<1x3x3x6xi32> {
  %r = qlow.int_conv2d %x, %w, %b {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, groups = 2, pad_value = -3 : si32} : (tensor<1x5x5x4xi8>, tensor<6x3x3x2xi8>, tensor<6xi32>) -> tensor<1x3x3x6xi32>
  return %r : tensor<1x3x3x6xi32>
}

// -----

// u8 input read as x XOR 0x80; weight zero points subtract zw[o] times the
// window sum of x (a per-group window reduction).

// CHECK-DAG: #[[$WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5, d3, d6)>
// CHECK-DAG: #[[$SUM:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, 0)>
// CHECK-LABEL: func.func @int_conv2d_weight_zp
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: %[[K:.*]] = arith.constant -128 : i8
// CHECK: %[[U:.*]] = arith.xori %{{.*}}, %[[K]] : i8
// CHECK: arith.extsi %[[U]] : i8 to i32
// CHECK: %[[SUMS:.*]] = linalg.generic {indexing_maps = [#[[$WIN]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK: arith.xori
// CHECK: %[[SE:.*]] = tensor.expand_shape %[[SUMS]]
// CHECK: %[[ZW:.*]] = arith.constant dense<{{\[\[\[\[\[}}0, 3]]]]]> : tensor<1x1x1x1x2xi32>
// CHECK: linalg.generic {indexing_maps = [{{.*}}, #[[$SUM]], {{.*}}]
// CHECK-SAME: ins(%{{.*}}, %[[SE]], %[[ZW]] :
// CHECK: ^bb0(%[[ACC:.*]]: i32, %[[S:.*]]: i32, %[[Z:.*]]: i32,
// CHECK: %[[ZS:.*]] = arith.muli %[[Z]], %[[S]] : i32
// CHECK: arith.subi %[[ACC]], %[[ZS]] : i32
func.func @int_conv2d_weight_zp(%x: tensor<1x4x4x2xi8>, %w: tensor<2x2x2x2xi8>, %b: tensor<2xi32>) -> tensor<1x3x3x2xi32> {
  %r = qlow.int_conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, pad_value = 0 : si32, weight_zp = array<i32: 0, 3>, input_unsigned} : (tensor<1x4x4x2xi8>, tensor<2x2x2x2xi8>, tensor<2xi32>) -> tensor<1x3x3x2xi32>
  return %r : tensor<1x3x3x2xi32>
}

// -----

// [B,M,K] x [K,N]: B folds into M; a signed input is a linalg.matmul i8 x
// i8 -> i32 on the broadcast bias.

// CHECK-LABEL: func.func @int_matmul
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xi8>, %[[W:.*]]: tensor<4x5xi8>, %[[B:.*]]: tensor<5xi32>)
// CHECK: %[[XC:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<2x3x4xi8> into tensor<6x4xi8>
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<5xi32>) outs(%{{.*}} : tensor<6x5xi32>)
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[XC]], %[[W]] : tensor<6x4xi8>, tensor<4x5xi8>) outs(%[[INIT]] : tensor<6x5xi32>)
// CHECK: %[[R:.*]] = tensor.expand_shape %[[MM]] {{\[\[}}0, 1], [2]] output_shape [2, 3, 5]
// CHECK: return %[[R]]
func.func @int_matmul(%x: tensor<2x3x4xi8>, %w: tensor<4x5xi8>, %b: tensor<5xi32>) -> tensor<2x3x5xi32> {
  %r = qlow.int_matmul %x, %w, %b : (tensor<2x3x4xi8>, tensor<4x5xi8>, tensor<5xi32>) -> tensor<2x3x5xi32>
  return %r : tensor<2x3x5xi32>
}

// -----

// CHECK-LABEL: func.func @int_matmul_unsigned_zp
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.xori
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.constant dense<[1, -1]> : tensor<2xi32>
// CHECK: linalg.generic
// CHECK: arith.muli
// CHECK: arith.subi
func.func @int_matmul_unsigned_zp(%x: tensor<3x4xi8>, %w: tensor<4x2xi8>, %b: tensor<2xi32>) -> tensor<3x2xi32> {
  %r = qlow.int_matmul %x, %w, %b {weight_zp = array<i32: 1, -1>, input_unsigned} : (tensor<3x4xi8>, tensor<4x2xi8>, tensor<2xi32>) -> tensor<3x2xi32>
  return %r : tensor<3x2xi32>
}

// -----

// Boundary quantize/dequantize: the float math lives in new islands.

!qu = !quant.uniform<u8:f32, 0.02:128>
// CHECK-LABEL: func.func @boundary
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[Q:.*]] = qlow.float_island "quantize at model boundary" attributes {name = "in_q"} : tensor<4xi8> {
// CHECK: linalg.generic {{.*}} ins(%[[X]] : tensor<4xf32>) outs(%{{.*}} : tensor<4xi8>)
// CHECK: %[[S:.*]] = arith.constant 2.000000e-02 : f32
// CHECK: %[[Z:.*]] = arith.constant 128 : i32
// CHECK: %[[LO:.*]] = arith.constant -1.280000e+02 : f32
// CHECK: %[[HI:.*]] = arith.constant 1.270000e+02 : f32
// CHECK: %[[D:.*]] = arith.divf %{{.*}}, %[[S]] : f32
// CHECK: %[[R:.*]] = math.roundeven %[[D]] : f32
// CHECK: %[[NAN:.*]] = arith.cmpf uno, %[[R]], %[[R]] : f32
// CHECK: %[[C1:.*]] = arith.maximumf %[[R]], %[[LO]] : f32
// CHECK: %[[C2:.*]] = arith.minimumf %[[C1]], %[[HI]] : f32
// CHECK: %[[SEL:.*]] = arith.select %[[NAN]], %{{.*}}, %[[C2]] : f32
// CHECK: %[[I:.*]] = arith.fptosi %[[SEL]] : f32 to i32
// CHECK: %[[A:.*]] = arith.addi %[[I]], %[[Z]] : i32
// CHECK: arith.trunci %[[A]] : i32 to i8
// CHECK: qlow.yield %{{.*}} : tensor<4xi8>
// CHECK: %[[DQ:.*]] = qlow.float_island "dequantize at model boundary" : tensor<4xf32> {
// CHECK: linalg.generic {{.*}} ins(%[[Q]] : tensor<4xi8>)
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.subi
// CHECK: arith.sitofp %{{.*}} : i32 to f32
// CHECK: arith.mulf
// CHECK: qlow.yield %{{.*}} : tensor<4xf32>
// CHECK: return %[[DQ]]
func.func @boundary(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = qlow.quantize %x {name = "in_q"} : tensor<4xf32> -> tensor<4x!qu>
  %d = qlow.dequantize %q : tensor<4x!qu> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// Already inside an island: no nested island. The island's quantized result
// type becomes the storage type.

!qa = !quant.uniform<i8:f32, 0.5:-3>
// CHECK-LABEL: func.func @in_island
// CHECK: qlow.float_island "kept in f32" : tensor<4xi8> {
// CHECK-NOT: qlow.float_island
// CHECK: arith.divf
// CHECK: qlow.yield %{{.*}} : tensor<4xi8>
func.func @in_island(%x: tensor<4xf32>) -> tensor<4x!qa> {
  %i = qlow.float_island "kept in f32" : tensor<4x!qa> {
    %q = qlow.quantize %x : tensor<4xf32> -> tensor<4x!qa>
    qlow.yield %q : tensor<4x!qa>
  }
  return %i : tensor<4x!qa>
}

// -----

// Constants hold storage integers; probes and storage casts disappear; call
// sites and signatures take the storage type, and a u8 boundary is marked
// qlow.unsigned (the C interface reports it as u8).

!qu = !quant.uniform<u8:f32, 0.02:128>
// CHECK-LABEL: func.func @const_observe
// CHECK-SAME: (%[[X:.*]]: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xi8> {qlow.unsigned})
// CHECK: %[[C:.*]] = arith.constant dense<[-1, 5]> : tensor<2xi8>
// CHECK: return %[[X]], %[[C]] : tensor<2xf32>, tensor<2xi8>
func.func @const_observe(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2x!qu>) {
  %o = qlow.observe %x "x" : tensor<2xf32>
  %c = qlow.const dense<[-1, 5]> : tensor<2xi8> -> tensor<2x!qu>
  return %o, %c : tensor<2xf32>, tensor<2x!qu>
}
// CHECK-LABEL: func.func @calls
// CHECK-SAME: (%[[Y:.*]]: tensor<2xi8>) -> tensor<2xi8>
// CHECK: %[[R:.*]]:2 = call @const_observe(%{{.*}}) : (tensor<2xf32>) -> (tensor<2xf32>, tensor<2xi8>)
// CHECK: return %[[Y]] : tensor<2xi8>
func.func @calls(%y: tensor<2xi8>) -> tensor<2xi8> {
  %f = arith.constant dense<1.0> : tensor<2xf32>
  %r:2 = call @const_observe(%f) : (tensor<2xf32>) -> (tensor<2xf32>, tensor<2x!qu>)
  %q = quant.scast %y : tensor<2xi8> to tensor<2x!qu>
  %s = quant.scast %q : tensor<2x!qu> to tensor<2xi8>
  return %s : tensor<2xi8>
}

// -----

// Add (spec section 7, its example scales 0.5, 0.25 -> 1, i8 operands):
// one rounding in i32, (a * 2^22 + b * 2^21 + 2^22) >> 23; b broadcasts
// over rows; ReLU gives [lo, hi] = [0, 127].

!qh = !quant.uniform<i8:f32, 0.5>
!qq = !quant.uniform<i8:f32, 0.25>
!q1 = !quant.uniform<i8:f32, 1.0>
// CHECK-DAG: #[[$BC:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @add
// CHECK: linalg.generic {indexing_maps = [#[[$ID:.*]], #[[$BC]], #[[$ID]]]
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.constant 4194304 : i32
// CHECK: arith.muli
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.constant 2097152 : i32
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: arith.constant 4194304 : i32
// CHECK: arith.addi
// CHECK: arith.constant 23 : i32
// CHECK: arith.shrsi
// CHECK: arith.constant 0 : i32
// CHECK: arith.maxsi
// CHECK: arith.constant 127 : i32
// CHECK: arith.minsi
// CHECK-NOT: i64
// CHECK-NOT: arith.addf
func.func @add(%a: tensor<2x3x!qh>, %b: tensor<1x3x!qq>) -> tensor<2x3x!q1> {
  %r = qlow.add %a, %b {clamp_min = 0.0 : f32} : (tensor<2x3x!qh>, tensor<1x3x!qq>) -> tensor<2x3x!q1>
  return %r : tensor<2x3x!q1>
}

// -----

// Mul: (a - za) * (b - zb) rescaled by 0.5 * 0.25 / 0.1 = 1.25 ->
// {1342177280, 30}; ReLU6 on scale 0.1, zp 1: [1, 61].

!qx = !quant.uniform<i8:f32, 0.5:2>
!qy = !quant.uniform<i8:f32, 0.25:-1>
!qz = !quant.uniform<i8:f32, 0.1:1>
// CHECK-LABEL: func.func @mul
// CHECK: arith.constant 2 : i64
// CHECK: arith.subi
// CHECK: arith.constant -1 : i64
// CHECK: arith.subi
// CHECK: arith.muli
// CHECK: arith.constant 1342177280 : i64
// CHECK: arith.muli
// CHECK: arith.constant 536870912 : i64
// CHECK: arith.addi
// CHECK: arith.constant 30 : i64
// CHECK: arith.shrsi
// CHECK: arith.constant 1 : i64
// CHECK: arith.addi
// CHECK: arith.constant 1 : i64
// CHECK: arith.maxsi
// CHECK: arith.constant 61 : i64
// CHECK: arith.minsi
func.func @mul(%a: tensor<4x!qx>, %b: tensor<4x!qy>) -> tensor<4x!qz> {
  %r = qlow.mul %a, %b {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32} : (tensor<4x!qx>, tensor<4x!qy>) -> tensor<4x!qz>
  return %r : tensor<4x!qz>
}

// -----

// A quantized clamp on one type is a clamp: the rescale by exactly 1.0
// ({2^30, 30}) is the identity and is not emitted.

!qa = !quant.uniform<i8:f32, 0.5:-3>
// CHECK-LABEL: func.func @clamp
// CHECK: arith.extsi %{{.*}} : i8 to i64
// CHECK-NOT: arith.muli
// CHECK: arith.constant -5 : i64
// CHECK: arith.maxsi
// CHECK: arith.constant -1 : i64
// CHECK: arith.minsi
func.func @clamp(%x: tensor<4x!qa>) -> tensor<4x!qa> {
  %r = qlow.clamp %x {min = -1.0 : f32, max = 1.0 : f32} : tensor<4x!qa> -> tensor<4x!qa>
  return %r : tensor<4x!qa>
}

// -----

// Max pool pads with the storage minimum (-128 for i8, 0 for u8 compared
// unsigned).

!qa = !quant.uniform<i8:f32, 0.5:-3>
!qu = !quant.uniform<u8:f32, 0.02:128>
// CHECK-DAG: #[[$PIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d4, d2 * 2 + d5, d3)>
// CHECK-DAG: #[[$PWIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[MIN:.*]] = arith.constant -128 : i8
// CHECK: tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield %[[MIN]]
// CHECK: linalg.fill ins(%[[MIN]] : i8)
// CHECK: %[[WIN:.*]] = tensor.empty() : tensor<2x2xi8>
// CHECK: linalg.generic {indexing_maps = [#[[$PIN]], #[[$PWIN]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%{{.*}}, %[[WIN]] : tensor<1x5x5x2xi8>, tensor<2x2xi8>)
// CHECK: arith.maxsi
// CHECK: arith.constant 0 : i8
// CHECK: arith.maxui
func.func @max_pool(%x: tensor<1x4x4x2x!qa>, %y: tensor<1x2x2x1x!qu>) -> (tensor<1x2x2x2x!qa>, tensor<1x1x1x1x!qu>) {
  %m = qlow.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 0, 1>} : tensor<1x4x4x2x!qa> -> tensor<1x2x2x2x!qa>
  %u = qlow.max_pool2d %y {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : tensor<1x2x2x1x!qu> -> tensor<1x1x1x1x!qu>
  return %m, %u : tensor<1x2x2x2x!qa>, tensor<1x1x1x1x!qu>
}

// -----

// Average pool: the padding holds the zero point so the window sum of
// (x - zx) counts only valid elements; the multiplier of each count that
// occurs (4, 6, 9 for a 3x3 window with padding 1 on 3x3) sits in a table
// indexed by the count computed from linalg.index. Global average pool:
// count = H * W = 9, 1/9 -> {1908874354, 34}. Both round ties to even
// (spec section 9): p + (2^(s-1) - 1 + ((p >> s) & 1)), then >> s.

!qa = !quant.uniform<i8:f32, 0.5:-3>
// CHECK-LABEL: func.func @avg_pool
// CHECK: %[[ZX:.*]] = arith.constant -3 : i8
// CHECK: tensor.pad
// CHECK: tensor.yield %[[ZX]] : i8
// CHECK: %[[SUM:.*]] = linalg.generic
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.constant -3 : i32
// CHECK: arith.subi
// CHECK: %[[MT:.*]] = arith.constant dense<[0, 0, 0, 0, 1073741824, 0, 1431655765, 0, 0, 1908874354]> : tensor<10xi32>
// CHECK: %[[ST:.*]] = arith.constant dense<[0, 0, 0, 0, 32, 0, 33, 0, 0, 34]> : tensor<10xi32>
// CHECK: linalg.generic {{.*}} ins(%[[SUM]] : tensor<1x3x3x2xi32>)
// CHECK: %[[OH:.*]] = linalg.index 1 : index
// CHECK: arith.minsi
// CHECK: arith.maxsi
// CHECK: %[[OW:.*]] = linalg.index 2 : index
// CHECK: tensor.extract %[[MT]][%[[CNT:.*]]] : tensor<10xi32>
// CHECK: %[[S:.*]] = tensor.extract %[[ST]][%[[CNT]]] : tensor<10xi32>
// CHECK: %[[S64:.*]] = arith.extsi %[[S]] : i32 to i64
// CHECK: %[[P:.*]] = arith.muli
// CHECK: %[[HALF:.*]] = arith.shli
// CHECK: %[[Q:.*]] = arith.shrsi %[[P]], %[[S64]] : i64
// CHECK: %[[ODD:.*]] = arith.andi %[[Q]], %{{.*}} : i64
// CHECK: %[[HM1:.*]] = arith.subi %[[HALF]], %{{.*}} : i64
// CHECK: %[[T:.*]] = arith.addi %[[HM1]], %[[ODD]] : i64
// CHECK: %[[TS:.*]] = arith.select %{{.*}}, %{{.*}}, %[[T]] : i64
// CHECK: %[[SUM2:.*]] = arith.addi %[[P]], %[[TS]] : i64
// CHECK: arith.shrsi %[[SUM2]], %[[S64]] : i64
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// CHECK: %[[GM:.*]] = arith.constant 1908874354 : i64
// CHECK: %[[GP:.*]] = arith.muli %{{.*}}, %[[GM]] : i64
// CHECK: arith.constant 8589934592 : i64
// CHECK: %[[GS:.*]] = arith.constant 34 : i64
// CHECK: %[[GQ:.*]] = arith.shrsi %[[GP]], %[[GS]] : i64
// CHECK: arith.andi %[[GQ]]
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] output_shape [1, 1, 1, 2]
// CHECK-NOT: arith.divf
func.func @avg_pool(%x: tensor<1x3x3x2x!qa>) -> (tensor<1x3x3x2x!qa>, tensor<1x1x1x2x!qa>) {
  %a = qlow.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x3x2x!qa> -> tensor<1x3x3x2x!qa>
  %g = qlow.global_avg_pool %x : tensor<1x3x3x2x!qa> -> tensor<1x1x1x2x!qa>
  return %a, %g : tensor<1x3x3x2x!qa>, tensor<1x1x1x2x!qa>
}

// -----

// Concat requantizes inputs of another type to the result's first.

!qa = !quant.uniform<i8:f32, 0.5:-3>
!qc = !quant.uniform<i8:f32, 0.25:2>
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.*]]: tensor<2x1xi8>, %[[B:.*]]: tensor<2x2xi8>)
// CHECK: %[[RB:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<2x2xi8>)
// CHECK: arith.constant 1073741824 : i64
// CHECK: arith.constant 31 : i64
// CHECK: %[[R:.*]] = tensor.concat dim(1) %[[A]], %[[RB]] : (tensor<2x1xi8>, tensor<2x2xi8>) -> tensor<2x3xi8>
// CHECK: return %[[R]]
func.func @concat(%a: tensor<2x1x!qa>, %b: tensor<2x2x!qc>) -> tensor<2x3x!qa> {
  %r = qlow.concat %a, %b {axis = 1 : i64} : (tensor<2x1x!qa>, tensor<2x2x!qc>) -> tensor<2x3x!qa>
  return %r : tensor<2x3x!qa>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:-3>
// CHECK-LABEL: func.func @layout
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xi8>)
// CHECK: %[[T:.*]] = linalg.transpose ins(%[[X]] : tensor<2x3xi8>) outs(%{{.*}} : tensor<3x2xi8>) permutation = [1, 0]
// CHECK: %[[F:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1]] : tensor<2x3xi8> into tensor<6xi8>
// CHECK: %[[E:.*]] = tensor.expand_shape %[[X]] {{\[\[}}0], [1, 2]] output_shape [2, 3, 1] : tensor<2x3xi8> into tensor<2x3x1xi8>
// CHECK: %[[G:.*]] = tensor.collapse_shape %[[T]] {{\[\[}}0, 1]] : tensor<3x2xi8> into tensor<6xi8>
// CHECK: %[[H:.*]] = tensor.expand_shape %[[G]] {{\[\[}}0, 1]] output_shape [2, 3] : tensor<6xi8> into tensor<2x3xi8>
// CHECK: return %[[T]], %[[F]], %[[E]], %[[H]]
func.func @layout(%x: tensor<2x3x!qa>) -> (tensor<3x2x!qa>, tensor<6x!qa>, tensor<2x3x1x!qa>, tensor<2x3x!qa>) {
  %t = qlow.transpose %x {permutation = array<i64: 1, 0>} : tensor<2x3x!qa> -> tensor<3x2x!qa>
  %f = qlow.reshape %x : tensor<2x3x!qa> -> tensor<6x!qa>
  %e = qlow.reshape %x : tensor<2x3x!qa> -> tensor<2x3x1x!qa>
  %h = qlow.reshape %t : tensor<3x2x!qa> -> tensor<2x3x!qa>
  return %t, %f, %e, %h : tensor<3x2x!qa>, tensor<6x!qa>, tensor<2x3x1x!qa>, tensor<2x3x!qa>
}

// -----

// Float ops lower to the same structures with float arithmetic.

// CHECK-LABEL: func.func @float_conv
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f16
// CHECK: tensor.pad
// CHECK: tensor.yield %[[Z]] : f16
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<2xf16>)
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: arith.mulf %{{.*}} : f16
// CHECK: arith.addf %{{.*}} : f16
// CHECK: tensor.collapse_shape
// CHECK: linalg.generic
// CHECK: arith.constant 0.000000e+00 : f16
// CHECK: arith.maximumf
// CHECK: arith.constant 6.000000e+00 : f16
// CHECK: arith.minimumf
func.func @float_conv(%x: tensor<1x4x4x2xf16>, %w: tensor<2x3x3x1xf16>, %b: tensor<2xf16>) -> tensor<1x4x4x2xf16> {
  %r = qlow.conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, groups = 2, clamp_min = 0.0 : f32, clamp_max = 6.0 : f32} : (tensor<1x4x4x2xf16>, tensor<2x3x3x1xf16>, tensor<2xf16>) -> tensor<1x4x4x2xf16>
  return %r : tensor<1x4x4x2xf16>
}

// CHECK-LABEL: func.func @float_matmul
// CHECK: linalg.fill
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x4xf32>, tensor<4x2xf32>)
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<2x1x4xf32>, tensor<2x4x2xf32>)
func.func @float_matmul(%x: tensor<1x4xf32>, %w: tensor<4x2xf32>, %xb: tensor<2x1x4xf32>, %wb: tensor<2x4x2xf32>) -> (tensor<1x2xf32>, tensor<2x1x2xf32>) {
  %r = qlow.matmul %x, %w : (tensor<1x4xf32>, tensor<4x2xf32>) -> tensor<1x2xf32>
  %s = qlow.matmul %xb, %wb : (tensor<2x1x4xf32>, tensor<2x4x2xf32>) -> tensor<2x1x2xf32>
  return %r, %s : tensor<1x2xf32>, tensor<2x1x2xf32>
}

// CHECK-LABEL: func.func @float_elementwise
// CHECK: arith.addf
// CHECK: arith.mulf
// CHECK: arith.constant -1.000000e+00 : f32
// CHECK: arith.maximumf
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK: arith.subf
// CHECK: arith.constant 1.000000e-03 : f32
// CHECK: arith.addf
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @float_elementwise(%a: tensor<3x2xf32>, %b: tensor<1x2xf32>, %p: tensor<2xf32>) -> tensor<3x2xf32> {
  %s = qlow.add %a, %b : (tensor<3x2xf32>, tensor<1x2xf32>) -> tensor<3x2xf32>
  %m = qlow.mul %s, %b : (tensor<3x2xf32>, tensor<1x2xf32>) -> tensor<3x2xf32>
  %c = qlow.clamp %m {min = -1.0 : f32} : tensor<3x2xf32> -> tensor<3x2xf32>
  %n = qlow.batch_norm %c, %p, %p, %p, %p {epsilon = 1.0e-3 : f32} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %n : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @float_pools
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: arith.maximumf
// CHECK: arith.addf
// CHECK: linalg.index 1
// CHECK: arith.index_cast %{{.*}} : index to i32
// CHECK: arith.sitofp
// CHECK: arith.divf
// CHECK: arith.constant 1.600000e+01 : f32
// CHECK: arith.divf
func.func @float_pools(%x: tensor<1x4x4x2xf32>) -> (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) {
  %m = qlow.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  %a = qlow.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  %g = qlow.global_avg_pool %x : tensor<1x4x4x2xf32> -> tensor<1x1x1x2xf32>
  return %m, %a, %g : tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>
}

// -----

// i4 storage lives in an i8 container: constants widen with the storage's
// signedness, storage casts extend into and truncate out of the container,
// the add clamps to [-8, 7].

!q4 = !quant.uniform<i4:f32, 0.5>
!u4 = !quant.uniform<u4:f32, 0.5:8>
// CHECK-LABEL: func.func @narrow_storage
// CHECK-SAME: (%[[X:.*]]: tensor<2xi4>) -> (tensor<2xi8>, tensor<2xi8>, tensor<2xi4>)
// CHECK-DAG: arith.constant dense<[-8, 7]> : tensor<2xi8>
// CHECK-DAG: arith.constant dense<[15, 3]> : tensor<2xi8>
// CHECK: linalg.generic {{.*}} ins(%[[X]] : tensor<2xi4>)
// CHECK: arith.extsi %{{.*}} : i4 to i8
// CHECK: arith.constant -8 : i32
// CHECK: arith.constant 7 : i32
// CHECK: arith.trunci %{{.*}} : i8 to i4
func.func @narrow_storage(%x: tensor<2xi4>) -> (tensor<2x!q4>, tensor<2x!u4>, tensor<2xi4>) {
  %c = qlow.const dense<[-8, 7]> : tensor<2xi4> -> tensor<2x!q4>
  %u = qlow.const dense<[15, 3]> : tensor<2xi8> -> tensor<2x!u4>
  %q = quant.scast %x : tensor<2xi4> to tensor<2x!q4>
  %a = qlow.add %q, %c : (tensor<2x!q4>, tensor<2x!q4>) -> tensor<2x!q4>
  %s = quant.scast %a : tensor<2x!q4> to tensor<2xi4>
  return %c, %u, %s : tensor<2x!q4>, tensor<2x!u4>, tensor<2xi4>
}

// -----

// Block arguments and loop-carried values take the storage type too.

!qa = !quant.uniform<i8:f32, 0.5:-3>
// CHECK-LABEL: func.func @control_flow
// CHECK-SAME: (%[[X:.*]]: tensor<4xi8>, %{{.*}}: i1) -> tensor<4xi8>
// CHECK: cf.cond_br %{{.*}}, ^[[A:.*]](%[[X]] : tensor<4xi8>), ^[[B:.*]]
// CHECK: ^[[A]](%[[Y:.*]]: tensor<4xi8>):
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[Y]]) -> (tensor<4xi8>)
// CHECK: scf.yield %{{.*}} : tensor<4xi8>
func.func @control_flow(%x: tensor<4x!qa>, %c: i1) -> tensor<4x!qa> {
  cf.cond_br %c, ^a(%x : tensor<4x!qa>), ^b
^a(%y: tensor<4x!qa>):
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%a = %y) -> tensor<4x!qa> {
    %n = qlow.add %a, %a : (tensor<4x!qa>, tensor<4x!qa>) -> tensor<4x!qa>
    scf.yield %n : tensor<4x!qa>
  }
  return %r : tensor<4x!qa>
^b:
  return %x : tensor<4x!qa>
}

// -----

// Slices and gathers move storage integers: an extract_slice, and a
// linalg.generic that reads a constant index table and extracts.
!qa = !quant.uniform<i8:f32, 0.5:-3>
// CHECK-LABEL: func.func @selections
// CHECK-SAME: (%[[X:.*]]: tensor<2x6xi8>)
// CHECK: %[[S:.*]] = tensor.extract_slice %[[X]][0, 1] [2, 3] [1, 2] : tensor<2x6xi8> to tensor<2x3xi8>
// CHECK: %[[T:.*]] = arith.constant dense<[5, 0, 0]> : tensor<3xi64>
// CHECK: %[[G:.*]] = linalg.generic {{.*}} ins(%[[T]] : tensor<3xi64>) outs(%{{.*}} : tensor<2x3xi8>)
// CHECK: ^bb0(%[[I:.*]]: i64, %{{.*}}: i8):
// CHECK-DAG: %[[C:.*]] = arith.index_cast %[[I]] : i64 to index
// CHECK-DAG: %[[R:.*]] = linalg.index 0 : index
// CHECK: %[[E:.*]] = tensor.extract %[[X]][%[[R]], %[[C]]] : tensor<2x6xi8>
// CHECK: linalg.yield %[[E]] : i8
// CHECK: return %[[S]], %[[G]]
func.func @selections(%x: tensor<2x6x!qa>) -> (tensor<2x3x!qa>, tensor<2x3x!qa>) {
  %s = qlow.slice %x {offsets = array<i64: 0, 1>, strides = array<i64: 1, 2>} : tensor<2x6x!qa> -> tensor<2x3x!qa>
  %g = qlow.gather %x {axis = 1 : i64, indices = array<i64: 5, 0, 0>} : tensor<2x6x!qa> -> tensor<2x3x!qa>
  return %s, %g : tensor<2x3x!qa>, tensor<2x3x!qa>
}

// -----

// A table lookup: the u8 input (held in i8) read unsigned, offset by the
// storage minimum (0 for u8, 128 for i8), indexes a constant of the
// result's storage type.
// CHECK-LABEL: func.func @lut
// CHECK-DAG: %[[T:.*]] = arith.constant dense<"0x80818283{{[0-9A-F]*}}7C7D7E7F"> : tensor<256xi8>
// CHECK: linalg.generic
// CHECK: %[[E:.*]] = arith.extui %{{.*}} : i8 to i32
// CHECK: %[[I:.*]] = arith.addi %[[E]], %{{.*}} : i32
// CHECK: %[[X:.*]] = arith.index_cast %[[I]] : i32 to index
// CHECK: tensor.extract %[[T]][%[[X]]] : tensor<256xi8>
// CHECK-NOT: f32
func.func @lut(%x: tensor<2x3x!quant.uniform<u8:f32, 0.1:128>>) -> tensor<2x3x!quant.uniform<i8:f32, 0.05:-1>> {
  %y = qlow.lut %x {table = array<i32: -128, -127, -126, -125, -124, -123, -122, -121, -120, -119, -118, -117, -116, -115, -114, -113, -112, -111, -110, -109, -108, -107, -106, -105, -104, -103, -102, -101, -100, -99, -98, -97, -96, -95, -94, -93, -92, -91, -90, -89, -88, -87, -86, -85, -84, -83, -82, -81, -80, -79, -78, -77, -76, -75, -74, -73, -72, -71, -70, -69, -68, -67, -66, -65, -64, -63, -62, -61, -60, -59, -58, -57, -56, -55, -54, -53, -52, -51, -50, -49, -48, -47, -46, -45, -44, -43, -42, -41, -40, -39, -38, -37, -36, -35, -34, -33, -32, -31, -30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127>} : tensor<2x3x!quant.uniform<u8:f32, 0.1:128>> -> tensor<2x3x!quant.uniform<i8:f32, 0.05:-1>>
  return %y : tensor<2x3x!quant.uniform<i8:f32, 0.05:-1>>
}
