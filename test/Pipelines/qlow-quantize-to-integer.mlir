// RUN: qlow-opt %s --qlow-quantize-to-integer="stats=%S/Inputs/small-stats.json target=x86-64-vnni" | FileCheck %s
// RUN: qlow-opt %s --qlow-quantize-to-integer="stats=%S/Inputs/small-stats.json target=x86-64-vnni summary=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=SUMMARY

// An FP32 TOSA conv + ReLU + fully connected layer with statistics, taken
// through the whole pipeline. Known scales: input [-1, 1] -> sx = 2/255,
// zx = -1; relu [0, 2] -> 2/255, zero point -128; conv weights per channel
// 1/127 and 0.25/127 (max |w| / 127).
//
// Conv bias, folded: round(0.1 / (sx / 127)) - zx * (64 - 127) = 1556 and
// round(-0.2 / (sx * 0.25 / 127)) - zx * (127 + 64) = -12763.
// Multipliers sx * sw / sy: 1/127 -> 1082196484 >> 37; 0.25/127 -> >> 39.
// CHECK-LABEL: func.func @net
// CHECK-DAG: arith.constant dense<[1556, -12763]> : tensor<2xi32>
// CHECK-DAG: arith.constant dense<1082196484> : tensor<2xi32>
// CHECK-DAG: arith.constant dense<[37, 39]> : tensor<2xi32>
// FC (no bias): weights per column at 1/127, input zero point -128, so the
// folded bias is 128 * column sum: 128 * 254 = 32512 and 128 * 96 = 12288.
// CHECK-DAG: arith.constant dense<{{\[\[}}127, -127], [64, 64], [0, 127], [127, 0], [-64, 32], [0, 0], [127, 127], [-127, -127]]> : tensor<8x2xi8>
// CHECK-DAG: arith.constant dense<[32512, 12288]> : tensor<2xi32>
// The only float math is the boundary quantize/dequantize, in islands.
// CHECK: qlow.float_island "quantize at model boundary"
// CHECK: arith.divf
// CHECK: qlow.yield
// CHECK-NOT: arith.{{.*}}f {{.*}}: f32
// The conv's inner loop: i8 x i8 products accumulated in i32, nothing else.
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK-SAME: ins({{.*}} : tensor<1x2x2x1x2xi8>, tensor<1x2x1x1x2xi8>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: i8, %[[B:.*]]: i8, %[[ACC:.*]]: i32):
// CHECK-NEXT:   %[[AX:.*]] = arith.extsi %[[A]] : i8 to i32
// CHECK-NEXT:   %[[BX:.*]] = arith.extsi %[[B]] : i8 to i32
// CHECK-NEXT:   %[[P:.*]] = arith.muli %[[AX]], %[[BX]] : i32
// CHECK-NEXT:   %[[S:.*]] = arith.addi %[[ACC]], %[[P]] : i32
// CHECK-NEXT:   linalg.yield %[[S]] : i32
// The fully connected layer: an i8 x i8 -> i32 matmul.
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x8xi8>, tensor<8x2xi8>) outs(%{{.*}} : tensor<1x2xi32>)
// CHECK: qlow.float_island "dequantize at model boundary"
// CHECK: arith.mulf
// CHECK: qlow.yield
// CHECK-NOT: arith.mulf
// CHECK-NOT: arith.divf
// CHECK: return

// SUMMARY: qlow summary for @net
// SUMMARY: quantized ops: conv2d x1 reshape x2 matmul x1 (4 in all, 0 float outside islands)
// SUMMARY: input            i8  scale 0.00784314   zero point   -1
// SUMMARY: relu             i8  scale 0.00784314   zero point -128
// SUMMARY: float islands: 0
func.func @net(%x: tensor<1x2x2x2xf32>) -> tensor<1x2xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<[0.1, -0.2]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x2xf32> loc("conv")
  %r = tosa.clamp %c {min_val = 0.0 : f32, max_val = 0x7F800000 : f32} : (tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> loc("relu")
  %s = tosa.const_shape {values = dense<[1, 1, 8]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %f = tosa.reshape %r, %s : (tensor<1x2x2x2xf32>, !tosa.shape<3>) -> tensor<1x1x8xf32> loc("flat")
  %m = "tosa.const"() {values = dense<[[[1.0, -1.0], [0.5, 0.5], [0.0, 1.0], [1.0, 0.0], [-0.5, 0.25], [0.0, 0.0], [1.0, 1.0], [-1.0, -1.0]]]> : tensor<1x8x2xf32>} : () -> tensor<1x8x2xf32>
  %y = tosa.matmul %f, %m, %zp, %zp : (tensor<1x1x8xf32>, tensor<1x8x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2xf32> loc("fc")
  %s2 = tosa.const_shape {values = dense<[1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %o = tosa.reshape %y, %s2 : (tensor<1x1x2xf32>, !tosa.shape<2>) -> tensor<1x2xf32> loc("out")
  return %o : tensor<1x2xf32>
}
