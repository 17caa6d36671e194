// RUN: qlow-opt %s --qlow-legalize-precision="target=x86-64-avx2" | FileCheck %s --check-prefix=INT8
// RUN: qlow-opt %s --qlow-legalize-precision="target=x86-64-avx2 overrides=sig=f32" | FileCheck %s --check-prefix=F32
// RUN: qlow-opt %s --qlow-legalize-precision="target=sm_90 overrides=sig=f16" -verify-diagnostics | FileCheck %s --check-prefix=F32

// An element-wise island (which qlow-quantize would make a table) can be
// kept in float by name; f16 is not offered for it: it runs in f32.
// INT8: qlow.float_island "Sigmoid" attributes {name = "sig", qlow.precision = "int8"}
// F32: qlow.float_island "Sigmoid" attributes {name = "sig", qlow.precision = "f32"}
// F32-NOT: truncf
func.func @tabulatable(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  // expected-remark @+1 {{'sig' is an element-wise float island; it runs in f32, not f16}}
  %i = qlow.float_island "Sigmoid" attributes {name = "sig"} : tensor<1x8xf32> {
    %s = tosa.sigmoid %x : (tensor<1x8xf32>) -> tensor<1x8xf32>
    qlow.yield %s : tensor<1x8xf32>
  }
  return %i : tensor<1x8xf32>
}
