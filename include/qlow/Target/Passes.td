//===- Passes.td - qlow code generation passes -------------*- tablegen -*-===//
#ifndef QLOW_TARGET_PASSES
#define QLOW_TARGET_PASSES

include "mlir/Pass/PassBase.td"

def QlowRecordInterface : Pass<"qlow-record-interface", "ModuleOp"> {
  let summary = "Record a model function's tensor interface before lowering";
  let description = [{
    Attaches `qlow.interface` to `@func`: for every argument and result its
    stable name (`qlow.name` of an argument; for a result the `name` or
    `NameLoc` of the op producing it, else `output_<i>`), element type and
    static shape. The attribute is discardable, so bufferization and the
    conversion to the LLVM dialect carry it over to the lowered function,
    where `qlow-emit-entry-point` reads it (the LLVM types no longer say what
    the tensors were). Every argument and result must be a statically shaped
    tensor of f32, f16, i8 or i32.
  }];
  let options = [
    Option<"func", "func", "std::string", "",
           "the model function">,
  ];
}

def QlowEmitEntryPoint : Pass<"qlow-emit-entry-point", "ModuleOp"> {
  let summary = "Add the C entry point and model descriptor of qlow/runtime.h";
  let description = [{
    Runs on the LLVM-dialect module after lowering. `@func` must be the
    lowered model function carrying `qlow.interface` (see
    `qlow-record-interface`), taking one memref descriptor per input and then
    one per output (results turned into out-parameters) and returning nothing.
    The pass adds

    * `qlow_status qlow_run_<model>(const void *const *inputs,
      void *const *outputs)`, which returns `QLOW_ERROR_NULL_ARGUMENT` if any
      pointer is NULL and otherwise calls `@func` with dense row-major
      descriptors (offset 0) built on the caller's buffers;
    * the constant descriptor `qlow_model qlow_model_<model>` (names, dtypes,
      shapes of every input and output, and `run`);
    * the weak alias `qlow_default_model` of that descriptor;

    and gives `@func` internal linkage: the entry point is the interface.
  }];
  let options = [
    Option<"func", "func", "std::string", "",
           "the lowered model function">,
    Option<"model", "model", "std::string", "",
           "the model's C name (default: the function's name)">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def QlowLowerMemRefCopies : Pass<"qlow-lower-memref-copies", "ModuleOp"> {
  let summary = "Rewrite memref.copy between non-contiguous buffers as loops";
  let description = [{
    `finalize-memref-to-llvm` turns a `memref.copy` whose operands are not
    both contiguous into a call to `memrefCopy` from MLIR's C runner
    utilities, which a standalone object must not depend on. This pass
    rewrites such copies as `linalg.copy` (lowered to loops later); contiguous
    copies stay and become `llvm.memcpy`.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // QLOW_TARGET_PASSES
