// RUN: qlow-opt %s -split-input-file -canonicalize | FileCheck %s

//===----------------------------------------------------------------------===//
// qlow.requantize: folder and CollapseRequantizeChain
//===----------------------------------------------------------------------===//

!qa = !quant.uniform<i8:f32, 0.1>

// A requantize to its own input type is the identity.
// CHECK-LABEL: func @requantize_same_type
// CHECK-SAME: (%[[X:.*]]: tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>)
// CHECK-NOT: qlow.requantize
// CHECK: return %[[X]]
func.func @requantize_same_type(%x: tensor<4x!qa>) -> tensor<4x!qa> {
  %0 = qlow.requantize %x {name = "r"} : tensor<4x!qa> -> tensor<4x!qa>
  return %0 : tensor<4x!qa>
}

// -----

!qa = !quant.uniform<i8:f32, 0.1>
!qwide = !quant.uniform<i16:f32, 0.05>
!qo = !quant.uniform<u8:f32, 0.2:128>

// The i16 middle type covers [-1638.4, 1638.35], which contains the input's
// [-12.8, 12.7]: it cannot saturate, so the chain is one requantize that
// keeps the outer op's name.
// CHECK-LABEL: func @requantize_chain_collapses
// CHECK-SAME: (%[[X:.*]]: tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>)
// CHECK-NEXT: %[[R:.*]] = qlow.requantize %[[X]] {name = "out"} : tensor<4x!quant.uniform<i8:f32, 1.000000e-01>> -> tensor<4x!quant.uniform<u8:f32, 2.000000e-01:128>>
// CHECK-NEXT: return %[[R]]
func.func @requantize_chain_collapses(%x: tensor<4x!qa>) -> tensor<4x!qo> {
  %0 = qlow.requantize %x {name = "mid"} : tensor<4x!qa> -> tensor<4x!qwide>
  %1 = qlow.requantize %0 {name = "out"} : tensor<4x!qwide> -> tensor<4x!qo>
  return %1 : tensor<4x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.1>
!qsame = !quant.uniform<u8:f32, 0.1:128>
!qwide = !quant.uniform<i16:f32, 0.05>

// Equal real ranges also collapse (the bound is inclusive); a chain back to
// the input type then folds away completely.
// CHECK-LABEL: func @requantize_chain_round_trip
// CHECK-SAME: (%[[X:.*]]: tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>)
// CHECK-NOT: qlow.requantize
// CHECK: return %[[X]], %[[X]]
func.func @requantize_chain_round_trip(%x: tensor<4x!qa>) -> (tensor<4x!qa>, tensor<4x!qa>) {
  %0 = qlow.requantize %x : tensor<4x!qa> -> tensor<4x!qwide>
  %1 = qlow.requantize %0 : tensor<4x!qwide> -> tensor<4x!qa>
  %2 = qlow.requantize %x : tensor<4x!qa> -> tensor<4x!qsame>
  %3 = qlow.requantize %2 : tensor<4x!qsame> -> tensor<4x!qa>
  return %1, %3 : tensor<4x!qa>, tensor<4x!qa>
}

// -----

!qa = !quant.uniform<i8:f32, 0.1>
!qnarrow = !quant.uniform<i8:f32, 0.01>
!qo = !quant.uniform<u8:f32, 0.2:128>

// The middle type only covers [-1.28, 1.27]: it clamps the input's
// [-12.8, 12.7], so dropping it would change the result.
// CHECK-LABEL: func @requantize_chain_saturates
// CHECK-SAME: (%[[X:.*]]: tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>)
// CHECK-NEXT: %[[M:.*]] = qlow.requantize %[[X]] {name = "mid"} : tensor<4x!quant.uniform<i8:f32, 1.000000e-01>> -> tensor<4x!quant.uniform<i8:f32, 1.000000e-02>>
// CHECK-NEXT: %[[R:.*]] = qlow.requantize %[[M]] {name = "out"} : tensor<4x!quant.uniform<i8:f32, 1.000000e-02>> -> tensor<4x!quant.uniform<u8:f32, 2.000000e-01:128>>
// CHECK-NEXT: return %[[R]]
func.func @requantize_chain_saturates(%x: tensor<4x!qa>) -> tensor<4x!qo> {
  %0 = qlow.requantize %x {name = "mid"} : tensor<4x!qa> -> tensor<4x!qnarrow>
  %1 = qlow.requantize %0 {name = "out"} : tensor<4x!qnarrow> -> tensor<4x!qo>
  return %1 : tensor<4x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.1>
!qshift = !quant.uniform<i8:f32, 0.1:10>
!qo = !quant.uniform<u8:f32, 0.2:128>

// Same scale but a shifted zero point: the middle range [-13.8, 11.7] misses
// the top of the input's range, so the chain is kept.
// CHECK-LABEL: func @requantize_chain_zero_point_saturates
// CHECK: qlow.requantize %{{.*}} : {{.*}} -> tensor<4x!quant.uniform<i8:f32, 1.000000e-01:10>>
// CHECK: qlow.requantize %{{.*}} : tensor<4x!quant.uniform<i8:f32, 1.000000e-01:10>> -> tensor<4x!quant.uniform<u8:f32, 2.000000e-01:128>>
func.func @requantize_chain_zero_point_saturates(%x: tensor<4x!qa>) -> tensor<4x!qo> {
  %0 = qlow.requantize %x : tensor<4x!qa> -> tensor<4x!qshift>
  %1 = qlow.requantize %0 : tensor<4x!qshift> -> tensor<4x!qo>
  return %1 : tensor<4x!qo>
}

// -----

!qa = !quant.uniform<i8:f32, 0.1>
!qwide = !quant.uniform<i16:f32, 0.05>
!qo = !quant.uniform<u8:f32, 0.2:128>

// The middle requantize has another use: the outer one still reads the
// source directly and the middle one stays for its other user.
// CHECK-LABEL: func @requantize_chain_shared_middle
// CHECK-SAME: (%[[X:.*]]: tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>)
// CHECK-DAG: %[[M:.*]] = qlow.requantize %[[X]] {name = "mid"} : {{.*}} -> tensor<4x!quant.uniform<i16:f32, 5.000000e-02>>
// CHECK-DAG: %[[R:.*]] = qlow.requantize %[[X]] {name = "out"} : {{.*}} -> tensor<4x!quant.uniform<u8:f32, 2.000000e-01:128>>
// CHECK: return %[[R]], %[[M]]
func.func @requantize_chain_shared_middle(%x: tensor<4x!qa>) -> (tensor<4x!qo>, tensor<4x!qwide>) {
  %0 = qlow.requantize %x {name = "mid"} : tensor<4x!qa> -> tensor<4x!qwide>
  %1 = qlow.requantize %0 {name = "out"} : tensor<4x!qwide> -> tensor<4x!qo>
  return %1, %0 : tensor<4x!qo>, tensor<4x!qwide>
}

//===----------------------------------------------------------------------===//
// qlow.reshape folder
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func @reshape_of_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: %[[R:.*]] = qlow.reshape %[[X]] {name = "r"} : tensor<2x3xf32> -> tensor<6xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_of_reshape(%x: tensor<2x3xf32>) -> tensor<6xf32> {
  %0 = qlow.reshape %x : tensor<2x3xf32> -> tensor<3x2xf32>
  %1 = qlow.reshape %0 {name = "r"} : tensor<3x2xf32> -> tensor<6xf32>
  return %1 : tensor<6xf32>
}

// -----

!qa = !quant.uniform<i8:f32, 0.1:-3>

// CHECK-LABEL: func @reshape_chain_quantized
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3x!quant.uniform<i8:f32, 1.000000e-01:-3>>)
// CHECK-NEXT: %[[R:.*]] = qlow.reshape %[[X]] : tensor<1x2x3x!quant.uniform<i8:f32, 1.000000e-01:-3>> -> tensor<6x!quant.uniform<i8:f32, 1.000000e-01:-3>>
// CHECK-NEXT: return %[[R]]
func.func @reshape_chain_quantized(%x: tensor<1x2x3x!qa>) -> tensor<6x!qa> {
  %0 = qlow.reshape %x : tensor<1x2x3x!qa> -> tensor<2x3x!qa>
  %1 = qlow.reshape %0 : tensor<2x3x!qa> -> tensor<3x2x!qa>
  %2 = qlow.reshape %1 : tensor<3x2x!qa> -> tensor<6x!qa>
  return %2 : tensor<6x!qa>
}

// -----

// CHECK-LABEL: func @reshape_same_type
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: qlow.reshape
// CHECK: return %[[X]]
func.func @reshape_same_type(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = qlow.reshape %x : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A reshape chain back to the input shape folds away entirely.
// CHECK-LABEL: func @reshape_round_trip
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT: qlow.reshape
// CHECK: return %[[X]]
func.func @reshape_round_trip(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = qlow.reshape %x : tensor<2x3xf32> -> tensor<6xf32>
  %1 = qlow.reshape %0 : tensor<6xf32> -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// qlow.clamp: FuseClampIntoProducer (float only)
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func @fuse_clamp_into_conv2d
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x8x2xf32>, %[[W:.*]]: tensor<2x3x3x2xf32>, %[[B:.*]]: tensor<2xf32>)
// CHECK-NEXT: %[[C:.*]] = qlow.conv2d %[[X]], %[[W]], %[[B]] {clamp_max = 6.000000e+00 : f32, clamp_min = 0.000000e+00 : f32, dilation = array<i64: 1, 1>, name = "relu6", padding = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>}
// CHECK-NOT: qlow.clamp
// CHECK: return %[[C]]
func.func @fuse_clamp_into_conv2d(%x: tensor<1x8x8x2xf32>, %w: tensor<2x3x3x2xf32>, %b: tensor<2xf32>) -> tensor<1x6x6x2xf32> {
  %0 = qlow.conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, name = "conv"} : (tensor<1x8x8x2xf32>, tensor<2x3x3x2xf32>, tensor<2xf32>) -> tensor<1x6x6x2xf32>
  %1 = qlow.clamp %0 {min = 0.0 : f32, max = 6.0 : f32, name = "relu6"} : tensor<1x6x6x2xf32> -> tensor<1x6x6x2xf32>
  return %1 : tensor<1x6x6x2xf32>
}

// -----

// CHECK-LABEL: func @fuse_clamp_into_matmul
// CHECK-SAME: (%[[A:.*]]: tensor<3x4xf32>, %[[W:.*]]: tensor<4x2xf32>)
// CHECK-NEXT: %[[M:.*]] = qlow.matmul %[[A]], %[[W]] {clamp_min = 0.000000e+00 : f32, name = "fc_relu"} : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
// CHECK-NEXT: return %[[M]]
func.func @fuse_clamp_into_matmul(%a: tensor<3x4xf32>, %w: tensor<4x2xf32>) -> tensor<3x2xf32> {
  %0 = qlow.matmul %a, %w {name = "fc"} : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  %1 = qlow.clamp %0 {min = 0.0 : f32, name = "fc_relu"} : tensor<3x2xf32> -> tensor<3x2xf32>
  return %1 : tensor<3x2xf32>
}

// -----

// An existing fused ReLU6 intersected with a clip to [-1, 4] is [0, 4]. The
// clamp has no name, so the producer keeps its own.
// CHECK-LABEL: func @fuse_clamp_into_add_intersect
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[S:.*]] = qlow.add %[[A]], %[[B]] {clamp_max = 4.000000e+00 : f32, clamp_min = 0.000000e+00 : f32, name = "sum"}
// CHECK-NEXT: return %[[S]]
func.func @fuse_clamp_into_add_intersect(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qlow.add %a, %b {clamp_min = 0.0 : f32, clamp_max = 6.0 : f32, name = "sum"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = qlow.clamp %0 {min = -1.0 : f32, max = 4.0 : f32} : tensor<4xf32> -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// The tighter bound wins on each side: the producer's minimum, the clamp's
// maximum; an unbounded side of the clamp keeps the producer's bound.
// CHECK-LABEL: func @fuse_clamp_into_conv2d_intersect
// CHECK: qlow.conv2d {{.*}} {clamp_max = 3.000000e+00 : f32, clamp_min = 1.000000e+00 : f32, {{.*}}name = "act"
// CHECK: qlow.add {{.*}} {clamp_max = 6.000000e+00 : f32, clamp_min = 0.000000e+00 : f32}
// CHECK-NOT: qlow.clamp
func.func @fuse_clamp_into_conv2d_intersect(%x: tensor<1x4x4x2xf32>, %w: tensor<2x1x1x2xf32>, %a: tensor<4xf32>) -> (tensor<1x4x4x2xf32>, tensor<4xf32>) {
  %0 = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>, clamp_min = 1.0 : f32, clamp_max = 6.0 : f32} : (tensor<1x4x4x2xf32>, tensor<2x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %1 = qlow.clamp %0 {min = 0.0 : f32, max = 3.0 : f32, name = "act"} : tensor<1x4x4x2xf32> -> tensor<1x4x4x2xf32>
  %2 = qlow.add %a, %a {clamp_max = 6.0 : f32} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = qlow.clamp %2 {min = 0.0 : f32} : tensor<4xf32> -> tensor<4xf32>
  return %1, %3 : tensor<1x4x4x2xf32>, tensor<4xf32>
}

// -----

// The unclamped sum is used too: fusing would change that use.
// CHECK-LABEL: func @no_fuse_two_uses
// CHECK-NEXT: %[[S:.*]] = qlow.add %{{.*}}, %{{.*}} {name = "sum"}
// CHECK-NEXT: %[[C:.*]] = qlow.clamp %[[S]] {min = 0.000000e+00 : f32, name = "relu"}
// CHECK-NEXT: return %[[S]], %[[C]]
func.func @no_fuse_two_uses(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = qlow.add %a, %b {name = "sum"} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = qlow.clamp %0 {min = 0.0 : f32, name = "relu"} : tensor<4xf32> -> tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Two clamps of the same producer: it has two uses, neither is fused.
// CHECK-LABEL: func @no_fuse_two_clamps
// CHECK-NEXT: %[[M:.*]] = qlow.matmul %{{.*}}, %{{.*}} : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
// CHECK-COUNT-2: qlow.clamp %[[M]]
func.func @no_fuse_two_clamps(%a: tensor<3x4xf32>, %w: tensor<4x2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %0 = qlow.matmul %a, %w : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  %1 = qlow.clamp %0 {min = 0.0 : f32} : tensor<3x2xf32> -> tensor<3x2xf32>
  %2 = qlow.clamp %0 {min = 0.0 : f32, max = 6.0 : f32} : tensor<3x2xf32> -> tensor<3x2xf32>
  return %1, %2 : tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

!qa = !quant.uniform<i8:f32, 0.1>
!qr = !quant.uniform<i8:f32, 0.05:-128>

// Quantized clamps are fused by a quantization pass, not by canonicalization.
// CHECK-LABEL: func @no_fuse_quantized
// CHECK-NEXT: %[[S:.*]] = qlow.add %{{.*}}, %{{.*}} {name = "sum"} : {{.*}} -> tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>
// CHECK-NEXT: %[[C:.*]] = qlow.clamp %[[S]] {min = 0.000000e+00 : f32, name = "relu"} : tensor<4x!quant.uniform<i8:f32, 1.000000e-01>> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-02:-128>>
// CHECK-NEXT: return %[[C]]
func.func @no_fuse_quantized(%a: tensor<4x!qa>) -> tensor<4x!qr> {
  %0 = qlow.add %a, %a {name = "sum"} : (tensor<4x!qa>, tensor<4x!qa>) -> tensor<4x!qa>
  %1 = qlow.clamp %0 {min = 0.0 : f32, name = "relu"} : tensor<4x!qa> -> tensor<4x!qr>
  return %1 : tensor<4x!qr>
}

// -----

// Only conv2d, matmul and add take a fused activation.
// CHECK-LABEL: func @no_fuse_into_mul
// CHECK-NEXT: %[[M:.*]] = qlow.mul
// CHECK-NEXT: %[[C:.*]] = qlow.clamp %[[M]]
// CHECK-NEXT: return %[[C]]
func.func @no_fuse_into_mul(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qlow.mul %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = qlow.clamp %0 {min = 0.0 : f32} : tensor<4xf32> -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// qlow.const
//===----------------------------------------------------------------------===//

// -----

!qa = !quant.uniform<i8:f32, 0.1>
!qb = !quant.uniform<i8:f32, 0.2>

// Identical constants (same value, same type) are uniqued; the same storage
// integers under another quantized type are a different constant, and an
// unused one is dropped.
// CHECK-LABEL: func @const_dedup
// CHECK-DAG: %[[A:.*]] = qlow.const dense<[1, 2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 1.000000e-01>>
// CHECK-DAG: %[[B:.*]] = qlow.const dense<[1, 2]> : tensor<2xi8> -> tensor<2x!quant.uniform<i8:f32, 2.000000e-01>>
// CHECK-NOT: qlow.const
// CHECK: return %[[A]], %[[A]], %[[B]]
func.func @const_dedup() -> (tensor<2x!qa>, tensor<2x!qa>, tensor<2x!qb>) {
  %0 = qlow.const dense<[1, 2]> : tensor<2xi8> -> tensor<2x!qa>
  %1 = qlow.const dense<[1, 2]> : tensor<2xi8> -> tensor<2x!qa>
  %2 = qlow.const dense<[1, 2]> : tensor<2xi8> -> tensor<2x!qb>
  %unused = qlow.const dense<[3, 4]> : tensor<2xi8> -> tensor<2x!qb>
  return %0, %1, %2 : tensor<2x!qa>, tensor<2x!qa>, tensor<2x!qb>
}

// -----

!qw = !quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>
!qa = !quant.uniform<i8:f32, 0.05:-3>
!qy = !quant.uniform<i8:f32, 0.1:5>

// Per-axis weights stay a qlow.const feeding the convolution (hoisted to the
// top of the block by the folder).
// CHECK-LABEL: func @const_weights_kept
// CHECK-NEXT: %[[W:.*]] = qlow.const dense<{{\[\[\[\[}}1, -2]]], {{\[\[\[}}127, -127]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!quant.uniform<i8<-127:127>:f32:0, {1.000000e-02,2.000000e-02}>>
// CHECK-NEXT: %[[C:.*]] = qlow.conv2d %{{.*}}, %[[W]]
// CHECK-NEXT: return %[[C]]
func.func @const_weights_kept(%x: tensor<1x4x4x2x!qa>) -> tensor<1x4x4x2x!qy> {
  %w = qlow.const dense<[[[[1, -2]]], [[[127, -127]]]]> : tensor<2x1x1x2xi8> -> tensor<2x1x1x2x!qw>
  %c = qlow.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x2x!qa>, tensor<2x1x1x2x!qw>) -> tensor<1x4x4x2x!qy>
  return %c : tensor<1x4x4x2x!qy>
}

// -----

// A clamp whose range does not meet the producer's fused range is not fused
// (the intersection would be empty).
// CHECK-LABEL: func @clamp_disjoint_not_fused
// CHECK: qlow.add {{.*}}clamp_max = 6.000000e+00
// CHECK: qlow.clamp
func.func @clamp_disjoint_not_fused(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = qlow.add %a, %a {clamp_max = 6.0 : f32} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = qlow.clamp %0 {min = 8.0 : f32, max = 10.0 : f32} : tensor<4xf32> -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// A slice of the whole tensor and a gather of every index in order are the
// input; others stay.
// CHECK-LABEL: func @identity_selections
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: %[[G:.*]] = qlow.gather %[[X]] {axis = 1 : i64, indices = array<i64: 2, 1, 0>}
// CHECK-NEXT: return %[[X]], %[[X]], %[[G]]
func.func @identity_selections(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %s = qlow.slice %x {offsets = array<i64: 0, 0>, strides = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %g = qlow.gather %x {axis = 1 : i64, indices = array<i64: 0, 1, 2>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %r = qlow.gather %x {axis = 1 : i64, indices = array<i64: 2, 1, 0>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %s, %g, %r : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}
