// Execution test of quantized pools (docs/integer-spec.md sections 9 and
// 10): average over the valid window elements only, with the multiplier for
// each border count; max pool padding never wins. Expected values from the
// spec's definitions (cross-checked with qlow::ref::avgPool2d/maxPool2d).
// RUN: qlow-opt %s --qlow-lower --qlow-test-lower-to-llvm \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so \
// RUN: | FileCheck %s

!qx = !quant.uniform<i8:f32, 0.5:-1>
!qy = !quant.uniform<i8:f32, 0.75:3>
!q1 = !quant.uniform<i8:f32, 1.0>
!qa = !quant.uniform<i8:f32, 0.1:1>
!qb = !quant.uniform<i8:f32, 0.05:-5>
!qu = !quant.uniform<u8:f32, 0.02:128>
!qv = !quant.uniform<u8:f32, 0.01:128>

// 3x3 window, padding 1: counts 4 (corners), 6 (edges), 9 (centre).
func.func @avg_border(%x: tensor<1x3x3x2x!qx>) -> tensor<1x3x3x2x!qy> {
  %r = qlow.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x3x2x!qx> -> tensor<1x3x3x2x!qy>
  return %r : tensor<1x3x3x2x!qy>
}

func.func @avg_tie(%x: tensor<1x2x3x1x!q1>) -> tensor<1x2x3x1x!q1> {
  %r = qlow.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x2x3x1x!q1> -> tensor<1x2x3x1x!q1>
  return %r : tensor<1x2x3x1x!q1>
}

func.func @avg_no_padding(%x: tensor<1x4x4x1x!qa>) -> tensor<1x2x2x1x!qb> {
  %r = qlow.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 0>} : tensor<1x4x4x1x!qa> -> tensor<1x2x2x1x!qb>
  return %r : tensor<1x2x2x1x!qb>
}

func.func @global_avg(%x: tensor<1x4x4x1x!qa>) -> tensor<1x1x1x1x!qb> {
  %r = qlow.global_avg_pool %x : tensor<1x4x4x1x!qa> -> tensor<1x1x1x1x!qb>
  return %r : tensor<1x1x1x1x!qb>
}

func.func @global_avg_u8(%x: tensor<1x2x2x2x!qu>) -> tensor<1x1x1x2x!qv> {
  %r = qlow.global_avg_pool %x : tensor<1x2x2x2x!qu> -> tensor<1x1x1x2x!qv>
  return %r : tensor<1x1x1x2x!qv>
}

func.func @max_padded(%x: tensor<1x3x3x1x!qx>) -> tensor<1x3x3x1x!qx> {
  %r = qlow.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x3x1x!qx> -> tensor<1x3x3x1x!qx>
  return %r : tensor<1x3x3x1x!qx>
}

func.func @max_u8(%x: tensor<1x2x2x1x!qu>) -> tensor<1x1x1x1x!qu> {
  %r = qlow.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : tensor<1x2x2x1x!qu> -> tensor<1x1x1x1x!qu>
  return %r : tensor<1x1x1x1x!qu>
}

// Float pools: padding is not counted, -inf padding never wins.
func.func @float_pools(%x: tensor<1x2x3x1xf32>) -> (tensor<1x2x3x1xf32>, tensor<1x2x3x1xf32>, tensor<1x1x1x1xf32>) {
  %a = qlow.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x2x3x1xf32> -> tensor<1x2x3x1xf32>
  %n = qlow.mul %x, %x : (tensor<1x2x3x1xf32>, tensor<1x2x3x1xf32>) -> tensor<1x2x3x1xf32>
  %z = arith.constant dense<-1.0> : tensor<1x1x1x1xf32>
  %neg = qlow.mul %z, %n : (tensor<1x1x1x1xf32>, tensor<1x2x3x1xf32>) -> tensor<1x2x3x1xf32>
  %m1 = qlow.mul %neg, %x : (tensor<1x2x3x1xf32>, tensor<1x2x3x1xf32>) -> tensor<1x2x3x1xf32>
  %m = qlow.max_pool2d %m1 {kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x2x3x1xf32> -> tensor<1x2x3x1xf32>
  %g = qlow.global_avg_pool %x : tensor<1x2x3x1xf32> -> tensor<1x1x1x1xf32>
  return %a, %m, %g : tensor<1x2x3x1xf32>, tensor<1x2x3x1xf32>, tensor<1x1x1x1xf32>
}

func.func @print_f32(%t: tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %t, %c0 : tensor<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %v = tensor.extract %t[%i] : tensor<?xf32>
    vector.print %v : f32
  }
  return
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

  // E.g. channel 0 at (0, 0): (0+1+3+4 - 4*(-1)) = 12 over count 4, times
  // 0.5/0.75, + 3 = 5; at (0, 1): (0+1+2+3+4+5 + 6) = 21 over 6 -> 7/3 -> 2
  // + 3 = 5 ... channel 1 at (1, 1): (10-20+30-40+50-60+70-80+90 + 9) = 59
  // over 9, times 2/3 -> 4.37 -> 4 + 3 = 7.
  // CHECK-LABEL: avg_border
  // CHECK-NEXT: 5
  // CHECK-NEXT: 4
  // CHECK-NEXT: 5
  // CHECK-NEXT: 0
  // CHECK-NEXT: 6
  // CHECK-NEXT: 4
  // CHECK-NEXT: 6
  // CHECK-NEXT: 3
  // CHECK-NEXT: 6
  // CHECK-NEXT: 7
  // CHECK-NEXT: 7
  // CHECK-NEXT: 5
  // CHECK-NEXT: 7
  // CHECK-NEXT: 4
  // CHECK-NEXT: 7
  // CHECK-NEXT: 7
  // CHECK-NEXT: 8
  // CHECK-NEXT: 4
  vector.print str "avg_border\n"
  %a = arith.constant dense<[[[[0, 10], [1, -20], [2, 30]], [[3, -40], [4, 50], [5, -60]], [[6, 70], [7, -80], [8, 90]]]]> : tensor<1x3x3x2xi8>
  %qa = quant.scast %a : tensor<1x3x3x2xi8> to tensor<1x3x3x2x!qx>
  %ra = call @avg_border(%qa) : (tensor<1x3x3x2x!qx>) -> tensor<1x3x3x2x!qy>
  %sa = quant.scast %ra : tensor<1x3x3x2x!qy> to tensor<1x3x3x2xi8>
  %fa = tensor.collapse_shape %sa [[0, 1, 2, 3]] : tensor<1x3x3x2xi8> into tensor<18xi8>
  %pa = tensor.cast %fa : tensor<18xi8> to tensor<?xi8>
  call @print_i8(%pa, %signed) : (tensor<?xi8>, i1) -> ()

  // Corner: 14 / 4 = 3.5 -> 4 (half up). Edge: 21 / 6 = 3.5 -> 3, because
  // the multiplier for 1/6 is slightly below 1/6 (spec section 9).
  // CHECK-LABEL: avg_tie
  // CHECK-NEXT: 4
  // CHECK-NEXT: 3
  // CHECK-NEXT: 4
  // CHECK-NEXT: 4
  // CHECK-NEXT: 3
  // CHECK-NEXT: 4
  vector.print str "avg_tie\n"
  %b = arith.constant dense<[[[[3], [4], [3]], [[4], [3], [4]]]]> : tensor<1x2x3x1xi8>
  %qb = quant.scast %b : tensor<1x2x3x1xi8> to tensor<1x2x3x1x!q1>
  %rb = call @avg_tie(%qb) : (tensor<1x2x3x1x!q1>) -> tensor<1x2x3x1x!q1>
  %sb = quant.scast %rb : tensor<1x2x3x1x!q1> to tensor<1x2x3x1xi8>
  %fb = tensor.collapse_shape %sb [[0, 1, 2, 3]] : tensor<1x2x3x1xi8> into tensor<6xi8>
  %pb = tensor.cast %fb : tensor<6xi8> to tensor<?xi8>
  call @print_i8(%pb, %signed) : (tensor<?xi8>, i1) -> ()

  // (sum - 4) / 4 * 2 - 5: (14-4)/2 - 5 = 0, (22-4)/2 - 5 = 4,
  // (46-4)/2 - 5 = 16, (22-4)/2 - 5 = 4.
  // CHECK-LABEL: avg_no_padding
  // CHECK-NEXT: 0
  // CHECK-NEXT: 4
  // CHECK-NEXT: 16
  // CHECK-NEXT: 4
  vector.print str "avg_no_padding\n"
  %c = arith.constant dense<[[[[1], [2], [3], [4]], [[5], [6], [7], [8]], [[9], [10], [11], [12]], [[13], [14], [15], [-16]]]]> : tensor<1x4x4x1xi8>
  %qc = quant.scast %c : tensor<1x4x4x1xi8> to tensor<1x4x4x1x!qa>
  %rc = call @avg_no_padding(%qc) : (tensor<1x4x4x1x!qa>) -> tensor<1x2x2x1x!qb>
  %sc = quant.scast %rc : tensor<1x2x2x1x!qb> to tensor<1x2x2x1xi8>
  %fc = tensor.collapse_shape %sc [[0, 1, 2, 3]] : tensor<1x2x2x1xi8> into tensor<4xi8>
  %pc = tensor.cast %fc : tensor<4xi8> to tensor<?xi8>
  call @print_i8(%pc, %signed) : (tensor<?xi8>, i1) -> ()

  // (104 - 16) / 16 * 2 - 5 = 6.
  // CHECK-LABEL: global_avg
  // CHECK-NEXT: 6
  vector.print str "global_avg\n"
  %rd = call @global_avg(%qc) : (tensor<1x4x4x1x!qa>) -> tensor<1x1x1x1x!qb>
  %sd = quant.scast %rd : tensor<1x1x1x1x!qb> to tensor<1x1x1x1xi8>
  %fd = tensor.collapse_shape %sd [[0, 1, 2, 3]] : tensor<1x1x1x1xi8> into tensor<1xi8>
  %pd = tensor.cast %fd : tensor<1xi8> to tensor<?xi8>
  call @print_i8(%pd, %signed) : (tensor<?xi8>, i1) -> ()

  // u8 200, 255, 130, 129: (72+127+2+1)/4 * 2 + 128 = 229; u8 0, 10, 20,
  // 30: -113 * 2 + 128 = -98 -> 0.
  // CHECK-LABEL: global_avg_u8
  // CHECK-NEXT: 229
  // CHECK-NEXT: 0
  vector.print str "global_avg_u8\n"
  %e = arith.constant dense<[[[[-56, 0], [-1, 10]], [[-126, 20], [-127, 30]]]]> : tensor<1x2x2x2xi8>
  %qe = quant.scast %e : tensor<1x2x2x2xi8> to tensor<1x2x2x2x!qu>
  %re = call @global_avg_u8(%qe) : (tensor<1x2x2x2x!qu>) -> tensor<1x1x1x2x!qv>
  %se = quant.scast %re : tensor<1x1x1x2x!qv> to tensor<1x1x1x2xi8>
  %fe = tensor.collapse_shape %se [[0, 1, 2, 3]] : tensor<1x1x1x2xi8> into tensor<2xi8>
  %pe = tensor.cast %fe : tensor<2xi8> to tensor<?xi8>
  call @print_i8(%pe, %unsigned) : (tensor<?xi8>, i1) -> ()

  // All values are below the zero point and near the storage minimum;
  // padding (-128) never wins, not even over -128 itself.
  // CHECK-LABEL: max_padded
  // CHECK-NEXT: -90
  // CHECK-NEXT: -90
  // CHECK-NEXT: -90
  // CHECK-NEXT: -90
  // CHECK-NEXT: -90
  // CHECK-NEXT: -90
  // CHECK-NEXT: -99
  // CHECK-NEXT: -99
  // CHECK-NEXT: -99
  vector.print str "max_padded\n"
  %m = arith.constant dense<[[[[-100], [-90], [-120]], [[-110], [-127], [-105]], [[-128], [-99], [-101]]]]> : tensor<1x3x3x1xi8>
  %qm = quant.scast %m : tensor<1x3x3x1xi8> to tensor<1x3x3x1x!qx>
  %rm = call @max_padded(%qm) : (tensor<1x3x3x1x!qx>) -> tensor<1x3x3x1x!qx>
  %sm = quant.scast %rm : tensor<1x3x3x1x!qx> to tensor<1x3x3x1xi8>
  %fm = tensor.collapse_shape %sm [[0, 1, 2, 3]] : tensor<1x3x3x1xi8> into tensor<9xi8>
  %pm = tensor.cast %fm : tensor<9xi8> to tensor<?xi8>
  call @print_i8(%pm, %signed) : (tensor<?xi8>, i1) -> ()

  // u8 compares unsigned: max(200, 10, 255, 127) = 255.
  // CHECK-LABEL: max_u8
  // CHECK-NEXT: 255
  vector.print str "max_u8\n"
  %u = arith.constant dense<[[[[-56], [10]], [[-1], [127]]]]> : tensor<1x2x2x1xi8>
  %qu = quant.scast %u : tensor<1x2x2x1xi8> to tensor<1x2x2x1x!qu>
  %ru = call @max_u8(%qu) : (tensor<1x2x2x1x!qu>) -> tensor<1x1x1x1x!qu>
  %su = quant.scast %ru : tensor<1x1x1x1x!qu> to tensor<1x1x1x1xi8>
  %fu = tensor.collapse_shape %su [[0, 1, 2, 3]] : tensor<1x1x1x1xi8> into tensor<1xi8>
  %pu = tensor.cast %fu : tensor<1xi8> to tensor<?xi8>
  call @print_i8(%pu, %unsigned) : (tensor<?xi8>, i1) -> ()

  // avg: 12/4, 21/6, 16/4 per row; max of -x^3 = -1, -1, -8 per row;
  // global: 21/6.
  // CHECK-LABEL: float_pools
  // CHECK-NEXT: 3
  // CHECK-NEXT: 3.5
  // CHECK-NEXT: 4
  // CHECK-NEXT: 3
  // CHECK-NEXT: 3.5
  // CHECK-NEXT: 4
  // CHECK-NEXT: -1
  // CHECK-NEXT: -1
  // CHECK-NEXT: -8
  // CHECK-NEXT: -1
  // CHECK-NEXT: -1
  // CHECK-NEXT: -8
  // CHECK-NEXT: 3.5
  vector.print str "float_pools\n"
  %xf = arith.constant dense<[[[[1.0], [2.0], [3.0]], [[4.0], [5.0], [6.0]]]]> : tensor<1x2x3x1xf32>
  %pa0, %pm0, %pg0 = call @float_pools(%xf) : (tensor<1x2x3x1xf32>) -> (tensor<1x2x3x1xf32>, tensor<1x2x3x1xf32>, tensor<1x1x1x1xf32>)
  %ffa = tensor.collapse_shape %pa0 [[0, 1, 2, 3]] : tensor<1x2x3x1xf32> into tensor<6xf32>
  %pfa = tensor.cast %ffa : tensor<6xf32> to tensor<?xf32>
  call @print_f32(%pfa) : (tensor<?xf32>) -> ()
  %ffm = tensor.collapse_shape %pm0 [[0, 1, 2, 3]] : tensor<1x2x3x1xf32> into tensor<6xf32>
  %pfm = tensor.cast %ffm : tensor<6xf32> to tensor<?xf32>
  call @print_f32(%pfm) : (tensor<?xf32>) -> ()
  %ffg = tensor.collapse_shape %pg0 [[0, 1, 2, 3]] : tensor<1x1x1x1xf32> into tensor<1xf32>
  %pfg = tensor.cast %ffg : tensor<1xf32> to tensor<?xf32>
  call @print_f32(%pfg) : (tensor<?xf32>) -> ()
  return
}
