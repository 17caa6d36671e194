// RUN: qlow-opt %s --qlow-import -split-input-file -verify-diagnostics

// An op qlow cannot import stays float, in an island, with a remark.
func.func @unsupported(%x: tensor<2x8xf32>) -> tensor<2x1xf32> {
  // expected-remark @+1 {{kept in float: unsupported op 'tosa.reduce_product'}}
  %0 = tosa.reduce_product %x {axis = 1 : i32} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

// An element-wise function of one tensor gets an island but no remark:
// qlow-quantize tabulates it on 8-bit data (and remarks when it cannot).
func.func @tabulatable(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = tosa.tanh %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @unsupported_linalg(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %e = tensor.empty() : tensor<2x8xf32>
  // expected-remark @+1 {{kept in float: unsupported op 'linalg.generic'}}
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x8xf32>) outs(%e : tensor<2x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %1 = math.exp %in : f32
    linalg.yield %1 : f32
  } -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// A linalg.matmul whose init is undefined (tensor.empty) is not a zero fill.
func.func @matmul_empty_init(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %e = tensor.empty() : tensor<4x16xf32>
  // expected-remark @+1 {{kept in float: unsupported op 'linalg.matmul'}}
  %0 = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// An integer TOSA model is not an FP32 model.
func.func @integer_tosa(%x: tensor<1x8x8x3xi8>, %w: tensor<8x3x3x3xi8>, %b: tensor<8xi32>) -> tensor<1x8x8x8xi32> {
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{qlow-import expects an FP32 model; integer TOSA ('tosa.conv2d' on 'tensor<1x8x8x3xi8>' -> 'tensor<1x8x8x8xi32>') is not supported}}
  %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = i32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x3xi8>, tensor<8x3x3x3xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x8x8x8xi32>
  return %0 : tensor<1x8x8x8xi32>
}

// -----

func.func @integer_rescale(%x: tensor<1x8xi32>) -> tensor<1x8xi8> {
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<30> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{qlow-import expects an FP32 model; integer TOSA ('tosa.rescale') is not supported}}
  %0 = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1x8xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x8xi8>
  return %0 : tensor<1x8xi8>
}

// -----

// TOSA's verifier rejects constant non-zero zero points; one computed at run
// time is rejected here.
func.func @nonzero_zero_point(%x: tensor<1x8x8x3xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf32>, %zp: tensor<1xf32>) -> tensor<1x8x8x8xf32> {
  %z = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @+1 {{qlow-import expects an FP32 model: the weight zero point of 'tosa.conv2d' must be a constant 0}}
  %0 = tosa.conv2d %x, %w, %b, %z, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<1x8x8x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

func.func @nonzero_matmul_zero_point(%a: tensor<1x2x4xf32>, %b: tensor<1x4x3xf32>, %zp: tensor<1xf32>) -> tensor<1x2x3xf32> {
  %z = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @+1 {{qlow-import expects an FP32 model: the a zero point of 'tosa.matmul' must be a constant 0}}
  %0 = tosa.matmul %a, %b, %zp, %z : (tensor<1x2x4xf32>, tensor<1x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x3xf32>
  return %0 : tensor<1x2x3xf32>
}

// -----

func.func @mul_shift(%x: tensor<1x4xf32>, %shift: tensor<1xi8>) -> tensor<1x4xf32> {
  // expected-error @+1 {{qlow-import expects an FP32 model: the shift of 'tosa.mul' must be a constant 0}}
  %0 = tosa.mul %x, %x, %shift : (tensor<1x4xf32>, tensor<1x4xf32>, tensor<1xi8>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}
