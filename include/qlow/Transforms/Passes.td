//===- Passes.td - qlow passes -----------------------------*- tablegen -*-===//
#ifndef QLOW_TRANSFORMS_PASSES
#define QLOW_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def QlowImport : Pass<"qlow-import", "ModuleOp"> {
  let summary = "Import FP32 TOSA and linalg-on-tensors models into qlow ops";
  let description = [{
    Rewrites TOSA ops (conv2d, depthwise_conv2d, matmul, add, mul, clamp,
    max_pool2d, avg_pool2d, reshape, transpose, concat and their constants)
    and linalg named ops on tensors into qlow ops, and gives every tensor a
    stable name (from a `NameLoc` when present, else `<op>_<n>` in program
    order; function arguments get `qlow.name`). An op it cannot import is
    wrapped in a `qlow.float_island` and reported with a remark, never
    dropped.
  }];
  let dependentDialects = ["::mlir::qlow::QlowDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QlowFoldBatchNorm : Pass<"qlow-fold-batch-norm", "ModuleOp"> {
  let summary = "Fold inference batch-norm into the preceding conv/matmul";
  let description = [{
    Before quantization, `qlow.batch_norm` (and the equivalent per-channel
    constant `qlow.mul` + `qlow.add` pair that TOSA exporters produce) after a
    float `qlow.conv2d` or `qlow.matmul` with constant weights is folded into
    the weights and bias, so the quantized model has one layer where the
    float one had two.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def QlowInstrument : Pass<"qlow-instrument", "ModuleOp"> {
  let summary = "Insert qlow.observe probes on every tensor that needs a range";
  let description = [{
    Every float activation that a quantizable op reads or writes (function
    arguments and op results, not constant weights) gets one `qlow.observe`
    carrying its stable tensor name. Running the instrumented model over
    calibration data fills the statistics file that qlow-quantize reads.
  }];
}

def QlowExposeObservations : Pass<"qlow-expose-observations", "ModuleOp"> {
  let summary = "Turn qlow.observe probes into extra function results";
  let description = [{
    For calibration by running the model natively: every `qlow.observe` in
    function `func` is removed and the observed tensor is appended to the
    function's results, in program order; the function gets the attribute
    `qlow.observed`, the list of the observed tensor names, so the runner
    knows which extra output is which tensor. A probe inside a float island
    is exposed through the island's results. Each exposed tensor is a copy
    (linalg.copy), so that every result becomes a buffer of its own.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
  let options = [
    Option<"funcName", "func", "std::string", "\"\"",
           "the function to expose (default: the only one with a body)">,
  ];
}

def QlowQuantize : Pass<"qlow-quantize", "ModuleOp"> {
  let summary = "Assign quantized types from calibration statistics and a policy";
  let description = [{
    Reads a statistics file (JSON: per tensor name, min, max and an optional
    histogram), quantizes activations to per-tensor types (s8 or u8,
    affine or symmetric) and weights at compile time to per-channel or
    per-tensor symmetric/affine integer constants (`qlow.const`). Ops marked
    `qlow.precision = "f32"|"f16"` stay float. Each quantized op is wrapped in
    quantize/dequantize; dequantize->quantize pairs then fold away.
  }];
  let options = [
    Option<"statsFile", "stats", "std::string", "",
           "calibration statistics (JSON)">,
    Option<"weightGranularity", "weights", "std::string", "\"per-channel\"",
           "per-channel | per-tensor">,
    Option<"weightScheme", "weight-scheme", "std::string", "\"symmetric\"",
           "symmetric | affine">,
    Option<"activationType", "activations", "std::string", "\"s8\"",
           "s8 | u8">,
    Option<"activationScheme", "activation-scheme", "std::string",
           "\"affine\"", "affine | symmetric">,
    Option<"percentile", "percentile", "double", "100.0",
           "clip activation ranges to this percentile of the histogram "
           "(needs histograms; 100 = plain min/max)">,
  ];
  let dependentDialects = ["::mlir::qlow::QlowDialect",
                           "::mlir::quant::QuantDialect"];
}

def QlowImportQdq : Pass<"qlow-import-qdq", "ModuleOp"> {
  let summary = "Turn the quantize/dequantize pairs of a pre-quantized (QDQ) "
                "model into quantized qlow ops";
  let description = [{
    For models that arrive quantized (ONNX QDQ / QOperator models, QAT
    exports): the importer gives every QuantizeLinear / DequantizeLinear
    exactly its scales and zero points as `!quant.uniform` types. This pass
    makes the quantized program they describe, with no calibration:

    - dequantized integer weights (`qlow.dequantize` of a `quant.scast` of
      an 8-bit constant) become `qlow.const`;
    - ops are visited in program order; a float qlow op whose activation
      inputs all come from `qlow.dequantize` and whose result feeds
      `qlow.quantize` becomes the quantized op with
      those types (the quantize disappears; other float users read a
      dequantize of the new result);
    - an int32 dequantized bias at scale `input scale x weight scale` becomes
      the float bias of its real value, checked so that `qlow-fold`
      re-derives exactly the model's int32 values;
    - transposes, reshapes and max pools of a dequantized (per-tensor)
      tensor move before the dequantize, so they work on the integers
      (exact: they only move or select values);
    - an average pool of dequantized values that no quantize follows (PyTorch
      QAT observes no pool) keeps its input's quantization, as PyTorch's
      converted model does (a remark says so);
    - every float compute op left is moved into a `qlow.float_island` with
      the reason ("no quantized kernel", "inputs not quantized", ...),
      reported as a remark.

    Remaining dequantize -> quantize pairs are left to `qlow-fold`, which
    turns them into requantizes (or nothing). A module without quantized
    types is left unchanged.
  }];
  let dependentDialects = ["::mlir::qlow::QlowDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::quant::QuantDialect"];
}

def QlowLegalizePrecision : Pass<"qlow-legalize-precision", "ModuleOp"> {
  let summary = "Decide each op's precision for a target and user overrides";
  let description = [{
    Marks each compute op with `qlow.precision` ("int8", "f16" or "f32")
    from the target capability table and the user's overrides (by tensor/op
    name), and rewrites combinations the target cannot run: f16 on a target
    without f16 arithmetic runs in f32; on x86-64 AVX2 without VNNI the
    weights are restricted to 7 bits (`qlow.weight_bits = 7`) so that u8 x s8
    pair sums never saturate the 16-bit `vpmaddubsw`. Runs before
    qlow-quantize, which follows the marks. f16 layers are materialized as
    `qlow.float_island`s computing in f16.
  }];
  let options = [
    Option<"target", "target", "std::string", "\"x86-64-avx2\"",
           "x86-64-avx2 | x86-64-vnni | x86-64-avx512-vnni | "
           "aarch64 | aarch64-dotprod | aarch64-i8mm | sm_80 | sm_90">,
    ListOption<"overrides", "overrides", "std::string",
               "name=precision pairs, e.g. conv1=f16,fc2=f32">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def QlowFold : Pass<"qlow-fold", "ModuleOp"> {
  let summary = "Fold quantization parameters into integer arithmetic";
  let description = [{
    Collapses dequantize->quantize pairs and requantize chains, fuses
    clamps (ReLU/ReLU6/clip) into the producing op's output range, and turns
    quantized conv/matmul into `qlow.int_conv2d`/`qlow.int_matmul` with the
    input zero point folded into an int32 bias (four-term expansion) followed
    by `qlow.rescale` with per-channel int32 multipliers and shifts, per
    docs/integer-spec.md.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def QlowLowerToInteger : Pass<"qlow-lower", "ModuleOp"> {
  let summary = "Lower qlow ops to linalg + arith on integers";
  let description = [{
    Lowers the integer form and the remaining quantized ops to linalg,
    tensor and arith on i8/i32 tensors exactly as docs/integer-spec.md says,
    erasing every `!quant` type. Float math (float ops and the boundary
    quantize/dequantize) stays inside `qlow.float_island`s. A function
    argument or result whose erased type was unsigned 8-bit is marked
    `qlow.unsigned` (its i8 storage holds u8 values), so that the C interface
    still says u8.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect"];
}

def QlowSummary : Pass<"qlow-summary", "ModuleOp"> {
  let summary = "Print what was quantized: ops, tensors, weight sizes, islands";
  let description = [{
    Run after qlow-quantize: prints, per function, the quantized ops by
    kind, every named activation tensor with its storage type, scale and zero
    point, the weight size in FP32 and in integers (with their scales), and
    every float island with its reason. The IR is not changed. Output goes to
    `output` ("-" = stderr, so it never mixes with IR on stdout).
  }];
  let options = [
    Option<"output", "output", "std::string", "\"-\"",
           "where to write the summary (\"-\" = stderr)">,
  ];
}

def QlowVerifyInteger : Pass<"qlow-verify-integer", "ModuleOp"> {
  let summary = "Check that no float arithmetic is left outside float islands";
  let description = [{
    After qlow-lower, every floating-point operation (any op with a float
    operand or result, other than constants) must sit inside a
    `qlow.float_island`, and no `!quant` type may remain. The pass changes
    nothing; it reports the first offender of each kind with its location and
    fails.
  }];
}

def QlowInlineFloatIslands : Pass<"qlow-inline-float-islands", "ModuleOp"> {
  let summary = "Dissolve qlow.float_island regions into their parent block";
  let description = [{
    Once everything is lowered and checked, islands have served their
    purpose; code generation wants plain blocks.
  }];
}

#endif // QLOW_TRANSFORMS_PASSES
