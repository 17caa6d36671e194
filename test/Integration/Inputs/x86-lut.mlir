// A small float TOSA model of element-wise functions between convolutions:
// conv1x1 -> sigmoid -> conv1x1 -> tanh (conv2 is an output too). On 8-bit
// data each function becomes a qlow.lut (a table computed at compile
// time): test/Integration/x86-lut-bit-exact.test.
func.func @lut_model(%input: tensor<1x4x4x8xf32>) -> (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w1 = "tosa.const"() {values = dense<[[[[-0.278, 0.3707, -0.2933, 0.4186, -0.0116, 0.1117, 0.2659, 0.0184]]], [[[-0.2032, -0.3123, -0.4193, 0.2384, -0.0587, -0.3417, 0.3799, -0.2259]]], [[[-0.0858, -0.2039, 0.1288, 0.0798, 0.0999, -0.2342, -0.2153, -0.2464]]], [[[-0.1724, -0.3558, -0.3344, 0.4639, 0.4602, -0.3116, -0.4757, -0.2954]]], [[[0.1998, 0.2795, -0.4771, 0.0777, -0.4984, 0.0155, 0.1398, 0.4856]]], [[[-0.2409, 0.3025, 0.3705, 0.4227, -0.4978, -0.0305, 0.4815, -0.1011]]], [[[0.3137, 0.0465, 0.2709, -0.0151, -0.4709, -0.4135, -0.3885, -0.2488]]], [[[0.4649, 0.1318, 0.3167, 0.0661, 0.1354, 0.3119, 0.4267, 0.4126]]]]> : tensor<8x1x1x8xf32>} : () -> tensor<8x1x1x8xf32>
  %b1 = "tosa.const"() {values = dense<[0.1299, -0.1623, -0.0556, -0.1858, 0.0185, 0.1185, -0.1795, -0.1245]> : tensor<8xf32>} : () -> tensor<8xf32>
  %c1 = tosa.conv2d %input, %w1, %b1, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x8xf32> loc("conv1")
  %s = tosa.sigmoid %c1 : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> loc("sig")
  %w2 = "tosa.const"() {values = dense<[[[[-0.1345, -0.2557, 0.2951, -0.1479, 0.1389, -0.0066, 0.0835, 0.4393]]], [[[0.4435, -0.3883, 0.3436, -0.154, -0.3992, -0.1166, 0.0104, 0.4611]]], [[[-0.1285, -0.4876, 0.3597, -0.3889, -0.0217, 0.35, 0.0147, -0.0534]]], [[[0.3005, -0.4796, 0.0726, -0.0886, 0.4851, 0.3014, -0.446, -0.3095]]], [[[-0.0476, 0.2029, -0.168, -0.14, 0.4215, 0.4536, -0.0923, 0.3986]]], [[[-0.1697, -0.4173, 0.0267, 0.1608, 0.393, 0.4652, 0.2699, 0.2591]]], [[[0.21, 0.2016, 0.2673, 0.4743, -0.1263, -0.4169, -0.2604, -0.2785]]], [[[-0.1364, 0.3103, -0.4399, -0.0503, 0.3132, -0.2358, -0.4366, -0.2579]]]]> : tensor<8x1x1x8xf32>} : () -> tensor<8x1x1x8xf32>
  %b2 = "tosa.const"() {values = dense<[-0.166, 0.1231, -0.1319, -0.1219, 0.1259, 0.1241, 0.0357, 0.1659]> : tensor<8xf32>} : () -> tensor<8xf32>
  %c2 = tosa.conv2d %s, %w2, %b2, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x4x4x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x8xf32> loc("conv2")
  %t = tosa.tanh %c2 : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> loc("th")
  return %t, %c2 : tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>
}
