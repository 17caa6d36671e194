// RUN: qlow-opt %s -split-input-file -verify-diagnostics --qlow-emit-entry-point="func=model"

// expected-error @+1 {{no 'qlow.interface' attribute: run qlow-record-interface on the tensor-level function before lowering}}
llvm.func @model(%a0: !llvm.ptr) {
  llvm.return
}

// -----

// expected-error @+1 {{the lowered model function's parameters do not match its recorded interface (one expanded memref descriptor per input, then per output): expected 8 parameters, got 5}}
llvm.func @model(%a0: !llvm.ptr, %a1: !llvm.ptr, %a2: i64, %a3: i64, %a4: i64)
    attributes {qlow.interface = {
      inputs = [{name = "x", type = tensor<4xf32>}],
      outputs = [{name = "y", type = tensor<f32>}]}} {
  llvm.return
}

// -----

// expected-error @+1 {{the lowered model function returns 'i32'; results must have become out-parameters (buffer-results-to-out-params)}}
llvm.func @model() -> i32 attributes {qlow.interface = {inputs = [], outputs = []}} {
  %0 = llvm.mlir.constant(0 : i32) : i32
  llvm.return %0 : i32
}

// -----

// expected-error @+1 {{qlow-emit-entry-point: no llvm.func @model with a body in the module (run it after lowering to the LLVM dialect)}}
module {
  func.func @model() {
    return
  }
}

// -----

// expected-error @+1 {{qlow-emit-entry-point: the module already has a symbol @qlow_default_model}}
module {
  llvm.func @model() attributes {qlow.interface = {inputs = [], outputs = []}} {
    llvm.return
  }
  llvm.mlir.global external constant @qlow_default_model(0 : i32) : i32
}
