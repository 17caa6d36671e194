// RUN: qlow-opt %s -split-input-file --qlow-x86-vectorize | FileCheck %s
// RUN: qlow-opt %s -split-input-file --qlow-x86-vectorize=isa=avx2 | FileCheck %s --check-prefix=AVX2
// RUN: qlow-opt %s -split-input-file --qlow-x86-vectorize=accumulators=16 | FileCheck %s --check-prefix=ACC16

// A convolution and its element-wise epilogue: one loop over output rows,
// the epilogue fused in; inside, the window loops carry the 8x8 accumulator
// tile as a vector and each step is one vector.contract over the channels.
// No linalg op is left.
// CHECK-LABEL: func.func @conv_epilogue
// CHECK-NOT: linalg.
// CHECK: scf.for %[[OH:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<4x8x8xi8>)
// CHECK: scf.for {{.*}} -> (vector<8x8xi32>)
// CHECK: scf.for {{.*}} -> (vector<8x8xi32>)
// CHECK: vector.contract {{.*}} : vector<8x3xi32>, vector<3x8xi32> into vector<8x8xi32>
// CHECK: arith.shrsi %{{.*}} : vector<8x8xi32>
// CHECK: arith.trunci %{{.*}} : vector<8x8xi32> to vector<8x8xi8>
// CHECK-NOT: linalg.
// The u8 form (isa=avx2): the weights' correction is subtracted from the
// initial accumulator; the activations are flipped (x ^ 0x80) and read
// zero-extended.
// AVX2-LABEL: func.func @conv_epilogue
// AVX2: arith.subi %{{.*}} : vector<{{.*}}xi32>
// AVX2: arith.xori %{{.*}}, %{{.*}} : vector<{{.*}}xi8>
// AVX2: arith.extui %{{.*}} : vector<8x3xi8> to vector<8x3xi32>
// AVX2: vector.contract
#in = affine_map<(oh, ow, o, kh, kw, ci) -> (oh + kh, ow + kw, ci)>
#w = affine_map<(oh, ow, o, kh, kw, ci) -> (o, kh, kw, ci)>
#out = affine_map<(oh, ow, o, kh, kw, ci) -> (oh, ow, o)>
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @conv_epilogue(%x: tensor<6x10x3xi8>, %bias: tensor<4x8x8xi32>) -> tensor<4x8x8xi8> {
  %w = arith.constant dense<3> : tensor<8x3x3x3xi8>
  %acc = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<6x10x3xi8>, tensor<8x3x3x3xi8>) outs(%bias : tensor<4x8x8xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %ae = arith.extsi %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %m = arith.muli %ae, %be : i32
    %s = arith.addi %c, %m : i32
    linalg.yield %s : i32
  } -> tensor<4x8x8xi32>
  %e = tensor.empty() : tensor<4x8x8xi8>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%acc : tensor<4x8x8xi32>) outs(%e : tensor<4x8x8xi8>) {
  ^bb0(%a: i32, %o: i8):
    %c3 = arith.constant 3 : i32
    %s = arith.shrsi %a, %c3 : i32
    %t = arith.trunci %s : i32 to i8
    linalg.yield %t : i8
  } -> tensor<4x8x8xi8>
  return %r : tensor<4x8x8xi8>
}

// -----

// A padded 3-channel input (an RGB image): with x86 byte dot products the
// padded buffer gets a fourth channel (zero weights), filled with the pad
// value flipped to u8 (-5 ^ 0x80 = 123); the correction is 128 * sum(w)
// per output channel.
// AVX2-LABEL: func.func @conv_padded
// AVX2-DAG: arith.constant dense<123> : vector<1x10x4xi8>
// AVX2-DAG: arith.constant dense<[18944, 12416, 12416, 12416, 12416, 12416, 12416, 3072]> : tensor<8xi32>
// AVX2: tensor.insert_slice %{{.*}} into %{{.*}}[1, 1, 0] [8, 8, 3] [1, 1, 1] : tensor<8x8x3xi8> into tensor<10x10x4xi8>
// AVX2: vector.contract {{.*}} : vector<8x4xi32>, vector<4x8xi32> into vector<8x8xi32>
#in = affine_map<(oh, ow, o, kh, kw, ci) -> (oh + kh, ow + kw, ci)>
#w = affine_map<(oh, ow, o, kh, kw, ci) -> (o, kh, kw, ci)>
#out = affine_map<(oh, ow, o, kh, kw, ci) -> (oh, ow, o)>
func.func @conv_padded(%x: tensor<8x8x3xi8>, %bias: tensor<8x8x8xi32>) -> tensor<8x8x8xi32> {
  %zp = arith.constant -5 : i8
  %p = tensor.pad %x low[1, 1, 0] high[1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index):
    tensor.yield %zp : i8
  } : tensor<8x8x3xi8> to tensor<10x10x3xi8>
  %w = arith.constant dense<[[[[1, -2, 3], [4, -5, 6], [7, -8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[-1, 2, -3], [4, 5, 6], [7, 8, 60]]], [[[1, -2, 3], [4, -5, 6], [7, -8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[-1, 2, -3], [4, 5, 6], [7, 8, 9]]], [[[1, -2, 3], [4, -5, 6], [7, -8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[-1, 2, -3], [4, 5, 6], [7, 8, 9]]], [[[1, -2, 3], [4, -5, 6], [7, -8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[-1, 2, -3], [4, 5, 6], [7, 8, 9]]], [[[1, -2, 3], [4, -5, 6], [7, -8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[-1, 2, -3], [4, 5, 6], [7, 8, 9]]], [[[1, -2, 3], [4, -5, 6], [7, -8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[-1, 2, -3], [4, 5, 6], [7, 8, 9]]], [[[1, -2, 3], [4, -5, 6], [7, -8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[-1, 2, -3], [4, 5, 6], [7, 8, 9]]], [[[1, -2, 3], [4, -5, 6], [7, -8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[-1, 2, -3], [4, 5, 6], [7, 8, -64]]]]> : tensor<8x3x3x3xi8>
  %acc = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%p, %w : tensor<10x10x3xi8>, tensor<8x3x3x3xi8>) outs(%bias : tensor<8x8x8xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %ae = arith.extsi %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %m = arith.muli %ae, %be : i32
    %s = arith.addi %c, %m : i32
    linalg.yield %s : i32
  } -> tensor<8x8x8xi32>
  return %acc : tensor<8x8x8xi32>
}

// -----

// A float convolution with 7x7 outputs: no divisor of 7 up to the usual
// 4-pixel block, so one vector of lanes (8 channels) over all 7 pixels of a
// row, reusing each weight vector 7 times. The weights (72 KiB) outweigh
// the input (10 KiB): the channel tiles are the outermost loop.
// CHECK-LABEL: func.func @conv_f32_7x7
// CHECK: scf.for %{{.*}} = %c0 to %c64 step %c8 iter_args({{.*}}) -> (tensor<7x7x64xf32>)
// CHECK: scf.for %{{.*}} = %c0 to %c7 step %c1 iter_args({{.*}}) -> (tensor<7x7x64xf32>)
// CHECK: vector.contract {{.*}} : vector<7x32xf32>, vector<32x8xf32> into vector<7x8xf32>
// With 16 accumulators (AVX-512's 32 registers) the 7-pixel block takes two
// vectors of channels: 14 accumulators.
// ACC16-LABEL: func.func @conv_f32_7x7
// ACC16: vector.contract {{.*}} : vector<7x32xf32>, vector<32x16xf32> into vector<7x16xf32>
#in = affine_map<(oh, ow, o, kh, kw, ci) -> (oh + kh, ow + kw, ci)>
#w = affine_map<(oh, ow, o, kh, kw, ci) -> (o, kh, kw, ci)>
#out = affine_map<(oh, ow, o, kh, kw, ci) -> (oh, ow, o)>
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @conv_f32_7x7(%x: tensor<9x9x32xf32>, %bias: tensor<7x7x64xf32>) -> tensor<7x7x64xf32> {
  %w = arith.constant dense<0.5> : tensor<64x3x3x32xf32>
  %acc = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<9x9x32xf32>, tensor<64x3x3x32xf32>) outs(%bias : tensor<7x7x64xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<7x7x64xf32>
  %e = tensor.empty() : tensor<7x7x64xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%acc : tensor<7x7x64xf32>) outs(%e : tensor<7x7x64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %a, %z : f32
    linalg.yield %m : f32
  } -> tensor<7x7x64xf32>
  return %r : tensor<7x7x64xf32>
}

// -----

// Strided windows keep a block of one pixel: the lanes widen to 8 vectors
// (64 channels) so that 8 independent accumulators hide the FMA latency.
// CHECK-LABEL: func.func @conv_f32_stride2
// CHECK: vector.contract {{.*}} : vector<16xf32>, vector<16x64xf32> into vector<64xf32>
#in = affine_map<(oh, ow, o, kh, kw, ci) -> (oh * 2 + kh, ow * 2 + kw, ci)>
#w = affine_map<(oh, ow, o, kh, kw, ci) -> (o, kh, kw, ci)>
#out = affine_map<(oh, ow, o, kh, kw, ci) -> (oh, ow, o)>
func.func @conv_f32_stride2(%x: tensor<9x9x16xf32>, %bias: tensor<4x4x64xf32>) -> tensor<4x4x64xf32> {
  %w = arith.constant dense<0.5> : tensor<64x3x3x16xf32>
  %acc = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<9x9x16xf32>, tensor<64x3x3x16xf32>) outs(%bias : tensor<4x4x64xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x4x64xf32>
  return %acc : tensor<4x4x64xf32>
}

// -----

// The same for an 8-bit convolution: one vector of i32 accumulators over
// the 7 pixels of a row.
// CHECK-LABEL: func.func @conv_i8_7x7
// CHECK: scf.for %{{.*}} = %c0 to %c64 step %c8 iter_args({{.*}}) -> (tensor<7x7x64xi8>)
// CHECK: vector.contract {{.*}} : vector<7x32xi32>, vector<32x8xi32> into vector<7x8xi32>
#in = affine_map<(oh, ow, o, kh, kw, ci) -> (oh + kh, ow + kw, ci)>
#w = affine_map<(oh, ow, o, kh, kw, ci) -> (o, kh, kw, ci)>
#out = affine_map<(oh, ow, o, kh, kw, ci) -> (oh, ow, o)>
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @conv_i8_7x7(%x: tensor<9x9x32xi8>, %bias: tensor<7x7x64xi32>) -> tensor<7x7x64xi8> {
  %w = arith.constant dense<3> : tensor<64x3x3x32xi8>
  %acc = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<9x9x32xi8>, tensor<64x3x3x32xi8>) outs(%bias : tensor<7x7x64xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %ae = arith.extsi %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %m = arith.muli %ae, %be : i32
    %s = arith.addi %c, %m : i32
    linalg.yield %s : i32
  } -> tensor<7x7x64xi32>
  %e = tensor.empty() : tensor<7x7x64xi8>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%acc : tensor<7x7x64xi32>) outs(%e : tensor<7x7x64xi8>) {
  ^bb0(%a: i32, %o: i8):
    %c3 = arith.constant 3 : i32
    %sh = arith.shrsi %a, %c3 : i32
    %t = arith.trunci %sh : i32 to i8
    linalg.yield %t : i8
  } -> tensor<7x7x64xi8>
  return %r : tensor<7x7x64xi8>
}

// -----

// The 8-bit strided convolution likewise: 64 lanes of i32 accumulators.
// CHECK-LABEL: func.func @conv_i8_stride2
// CHECK: vector.contract {{.*}} : vector<16xi32>, vector<16x64xi32> into vector<64xi32>
#in = affine_map<(oh, ow, o, kh, kw, ci) -> (oh * 2 + kh, ow * 2 + kw, ci)>
#w = affine_map<(oh, ow, o, kh, kw, ci) -> (o, kh, kw, ci)>
#out = affine_map<(oh, ow, o, kh, kw, ci) -> (oh, ow, o)>
func.func @conv_i8_stride2(%x: tensor<9x9x16xi8>, %bias: tensor<4x4x64xi32>) -> tensor<4x4x64xi32> {
  %w = arith.constant dense<3> : tensor<64x3x3x16xi8>
  %acc = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<9x9x16xi8>, tensor<64x3x3x16xi8>) outs(%bias : tensor<4x4x64xi32>) {
  ^bb0(%a: i8, %b: i8, %c: i32):
    %ae = arith.extsi %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %m = arith.muli %ae, %be : i32
    %s = arith.addi %c, %m : i32
    linalg.yield %s : i32
  } -> tensor<4x4x64xi32>
  return %acc : tensor<4x4x64xi32>
}

// -----

// An element-wise op on i1 tensors stays a linalg op (scalar loops): a
// memref of i1 holds one byte per element, a vector of i1 packed bits.
// CHECK-LABEL: func.func @bools
// CHECK: linalg.generic
// CHECK-NOT: vector.transfer
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @bools(%a: tensor<4x16xi1>, %b: tensor<4x16xi1>) -> tensor<4x16xi1> {
  %e = tensor.empty() : tensor<4x16xi1>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%a, %b : tensor<4x16xi1>, tensor<4x16xi1>) outs(%e : tensor<4x16xi1>) {
  ^bb0(%x: i1, %y: i1, %o: i1):
    %z = arith.andi %x, %y : i1
    linalg.yield %z : i1
  } -> tensor<4x16xi1>
  return %r : tensor<4x16xi1>
}
