// FP32 ops in plain f32 loops (for looking at the float model; not
// bit-exact with compiled code), printed as values.
//
// RUN: qlow-reference-eval %s --func=float_ops --float-format=decimal | FileCheck %s --match-full-lines
// RUN: qlow-reference-eval %s --func=float_ops | FileCheck %s --match-full-lines --check-prefix=BITS

// conv: 1x1x2x2 input, 3x3 window with padding 1 at each side (only the
// valid taps count), two output channels, bias, ReLU6:
//   o0 = sum(x) * 1 + 0.5 = 10 + 0.5 -> 6 (clamp) everywhere
//   o1 = x at the same position * 2 (centre tap only) - 3
// CHECK: 6
// CHECK-NEXT: 0
// CHECK-NEXT: 6
// CHECK-NEXT: 1
// CHECK-NEXT: 6
// CHECK-NEXT: 3
// CHECK-NEXT: 6
// CHECK-NEXT: 5
// The pools of x = [1 2; 3 4], 2x2 window, padding bottom/right 1:
// avg 10/4 3/2 7/2 4, max 4 4 4 4; global avg 2.5.
// CHECK-NEXT: 2.5
// CHECK-NEXT: 3
// CHECK-NEXT: 3.5
// CHECK-NEXT: 4
// CHECK-NEXT: 4
// CHECK-NEXT: 4
// CHECK-NEXT: 4
// CHECK-NEXT: 4
// CHECK-NEXT: 2.5
// matmul [1,4] x [4,2] + bias, then mul by 0.5, add (broadcast) 1, clamp to
// [-1, 7]: [1 2 3 4] x [[1 0] [0 1] [1 0] [0 1]] = [4 6] + [1 -20] = [5 -14]
// -> * 0.5 = [2.5 -7] -> + 1 = [3.5 -6] -> clamp [3.5 -1]; transposed and
// concatenated with itself.
// CHECK-NEXT: 3.5
// CHECK-NEXT: 3.5
// CHECK-NEXT: -1
// CHECK-NEXT: -1
// CHECK-NOT: {{.}}
// BITS: 1086324736
func.func @float_ops() -> (tensor<1x2x2x2xf32>, tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>, tensor<1x1x1x1xf32>, tensor<2x2xf32>) {
  %x = arith.constant dense<[[[[1.0], [2.0]], [[3.0], [4.0]]]]> : tensor<1x2x2x1xf32>
  %w = arith.constant dense<[[[[1.0], [1.0], [1.0]], [[1.0], [1.0], [1.0]], [[1.0], [1.0], [1.0]]],
                             [[[0.0], [0.0], [0.0]], [[0.0], [2.0], [0.0]], [[0.0], [0.0], [0.0]]]]> : tensor<2x3x3x1xf32>
  %b = arith.constant dense<[0.5, -3.0]> : tensor<2xf32>
  %c = qlow.conv2d %x, %w, %b {strides = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, dilation = array<i64: 1, 1>, clamp_min = 0.0 : f32, clamp_max = 6.0 : f32} : (tensor<1x2x2x1xf32>, tensor<2x3x3x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %a = qlow.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, padding = array<i64: 0, 1, 0, 1>} : tensor<1x2x2x1xf32> -> tensor<1x2x2x1xf32>
  %m = qlow.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, padding = array<i64: 0, 1, 0, 1>} : tensor<1x2x2x1xf32> -> tensor<1x2x2x1xf32>
  %g = qlow.global_avg_pool %x : tensor<1x2x2x1xf32> -> tensor<1x1x1x1xf32>
  %l = arith.constant dense<[[1.0, 2.0, 3.0, 4.0]]> : tensor<1x4xf32>
  %r = arith.constant dense<[[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]> : tensor<4x2xf32>
  %mb = arith.constant dense<[1.0, -20.0]> : tensor<2xf32>
  %mm = qlow.matmul %l, %r, %mb : (tensor<1x4xf32>, tensor<4x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %half = arith.constant dense<0.5> : tensor<1x1xf32>
  %p = qlow.mul %mm, %half : (tensor<1x2xf32>, tensor<1x1xf32>) -> tensor<1x2xf32>
  %one = arith.constant dense<1.0> : tensor<1x1xf32>
  %s = qlow.add %p, %one : (tensor<1x2xf32>, tensor<1x1xf32>) -> tensor<1x2xf32>
  %cl = qlow.clamp %s {min = -1.0 : f32, max = 7.0 : f32} : tensor<1x2xf32> -> tensor<1x2xf32>
  %t = qlow.transpose %cl {permutation = array<i64: 1, 0>} : tensor<1x2xf32> -> tensor<2x1xf32>
  %cc = qlow.concat %t, %t {axis = 1 : i64} : (tensor<2x1xf32>, tensor<2x1xf32>) -> tensor<2x2xf32>
  return %c, %a, %m, %g, %cc : tensor<1x2x2x2xf32>, tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>, tensor<1x1x1x1xf32>, tensor<2x2xf32>
}
