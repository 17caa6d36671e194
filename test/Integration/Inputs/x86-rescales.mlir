// Rescales for x86-rescale.test (inputs of the x86 backend).

// Per-channel shifts of every kind the narrowing handles (32, 33, 40, 62)
// with extreme multipliers.
func.func @per_channel_mixed(%x: tensor<64x5xi32>) -> tensor<64x5xi8> {
  %r = qlow.rescale %x {multiplier = array<i32: 1073741824, 2147483647, 1234567890, 1073741824, 1999999999>, shift = array<i32: 32, 33, 40, 62, 34>, input_zp = 0 : si32, output_zp = 3 : si32, min = -128 : si32, max = 127 : si32} : tensor<64x5xi32> -> tensor<64x5xi8>
  return %r : tensor<64x5xi8>
}

// Shift 32 exactly, the largest multiplier: rounding bit from the low word.
func.func @shift32(%x: tensor<256xi32>) -> tensor<256xi8> {
  %r = qlow.rescale %x {multiplier = array<i32: 2147483647>, shift = array<i32: 32>, output_zp = -7 : si32, min = -128 : si32, max = 127 : si32} : tensor<256xi32> -> tensor<256xi8>
  return %r : tensor<256xi8>
}

// Shift below 32 with an input zero point (64-bit unless bounds allow).
func.func @shift31_zp(%x: tensor<256xi32>) -> tensor<256xi8> {
  %r = qlow.rescale %x {multiplier = array<i32: 1073754169>, shift = array<i32: 31>, input_zp = 5 : si32, output_zp = 1 : si32, min = -100 : si32, max = 100 : si32} : tensor<256xi32> -> tensor<256xi8>
  return %r : tensor<256xi8>
}

// A 32-bit output with a wide clamp.
func.func @wide_output(%x: tensor<256xi32>) -> tensor<256xi32> {
  %r = qlow.rescale %x {multiplier = array<i32: 1500000000>, shift = array<i32: 45>, output_zp = 100 : si32, min = -1000000 : si32, max = 1000000 : si32} : tensor<256xi32> -> tensor<256xi32>
  return %r : tensor<256xi32>
}

// Small shifts (ratios above 1) stay 64-bit.
func.func @small_shifts(%x: tensor<64x3xi32>) -> tensor<64x3xi8> {
  %r = qlow.rescale %x {multiplier = array<i32: 1073741824, 2000000000, 3>, shift = array<i32: 28, 1, 0>, output_zp = 0 : si32, min = -128 : si32, max = 127 : si32} : tensor<64x3xi32> -> tensor<64x3xi8>
  return %r : tensor<64x3xi8>
}

// A shift below 32 on a bounded (8-bit) input: the 32-bit form with the
// high word shifted left.
func.func @shift30_i8(%x: tensor<256xi8>) -> tensor<256xi8> {
  %r = qlow.rescale %x {multiplier = array<i32: 1610612737>, shift = array<i32: 30>, input_zp = 3 : si32, output_zp = -1 : si32, min = -128 : si32, max = 127 : si32} : tensor<256xi8> -> tensor<256xi8>
  return %r : tensor<256xi8>
}

// Power-of-two multipliers (an add rescales its larger-scale input by
// exactly 1/2): a rounded shift, no multiply; and one whose rounded shift
// would overflow i32 (left to the general form).
func.func @pow2_i8(%x: tensor<256xi8>) -> tensor<256xi8> {
  %r = qlow.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 33>, input_zp = -3 : si32, output_zp = 2 : si32, min = -128 : si32, max = 127 : si32} : tensor<256xi8> -> tensor<256xi8>
  return %r : tensor<256xi8>
}

func.func @pow2_exact(%x: tensor<256xi32>) -> tensor<256xi32> {
  %r = qlow.rescale %x {multiplier = array<i32: 1073741824>, shift = array<i32: 30>, output_zp = 0 : si32, min = -40000 : si32, max = 40000 : si32} : tensor<256xi32> -> tensor<256xi32>
  return %r : tensor<256xi32>
}

func.func @pow2_wide(%x: tensor<256xi32>) -> tensor<256xi32> {
  %r = qlow.rescale %x {multiplier = array<i32: 1048576>, shift = array<i32: 40>, output_zp = 0 : si32, min = -2147483648 : si32, max = 2147483647 : si32} : tensor<256xi32> -> tensor<256xi32>
  return %r : tensor<256xi32>
}

// A requantized value read again by a fused add: the add takes the clamped
// i32 value itself, not its i8 truncation extended back.
!qa = !quant.uniform<i8:f32, 0.05:-41>
!qb = !quant.uniform<i8:f32, 0.02:3>
!qo = !quant.uniform<i8:f32, 0.06:-106>
func.func @rescale_into_add(%x: tensor<256xi32>) -> tensor<256xi8> {
  %r = qlow.rescale %x {multiplier = array<i32: 1234567890>, shift = array<i32: 40>, output_zp = -41 : si32, min = -128 : si32, max = 127 : si32} : tensor<256xi32> -> tensor<256xi8>
  %q = quant.scast %r : tensor<256xi8> to tensor<256x!qa>
  %c = qlow.const dense<17> : tensor<256xi8> -> tensor<256x!qb>
  %s = qlow.add %q, %c : (tensor<256x!qa>, tensor<256x!qb>) -> tensor<256x!qo>
  %o = quant.scast %s : tensor<256x!qo> to tensor<256xi8>
  return %o : tensor<256xi8>
}
