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
    tensor of f32, f16, i8 or i32; an i8 one marked `qlow.unsigned` (by
    qlow-lower) is u8.
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

def QlowDistinctResultBuffers
    : Pass<"qlow-distinct-result-buffers", "ModuleOp"> {
  let summary = "Give every returned memref a buffer of its own";
  let description = [{
    After bufferization and before results become out-parameters: a result
    that is a function argument, a view of any buffer, or a buffer already
    returned is copied into a fresh allocation, so that each result is a
    distinct `memref.alloc` that buffer-results-to-out-params can replace by
    the caller's buffer (a model may return its input, or the same tensor
    twice; calibration exposes such tensors).
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def QlowLowerMemRefCopies : Pass<"qlow-lower-memref-copies", "ModuleOp"> {
  let summary = "Rewrite memref.copy between non-contiguous buffers as loops";
  let description = [{
    `finalize-memref-to-llvm` turns a `memref.copy` whose operands are not
    both contiguous into a call to `memrefCopy` from MLIR's C runner
    utilities, which a standalone object must not depend on. This pass
    rewrites such copies as a vector transfer_read/transfer_write pair when
    the shape is static (`linalg::vectorizeCopy`), else as `linalg.copy`
    (lowered to loops later); contiguous copies stay and become
    `llvm.memcpy`. A static copy of more than 32 rows (innermost-dimension
    vectors) is split by `scf.for` loops over its leading dimensions first,
    so that the unrolled transfers stay small.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def QlowX86Vectorize : Pass<"qlow-x86-vectorize", "func::FuncOp"> {
  let summary = "Tile, fuse and vectorize linalg on tensors for x86-64";
  let description = [{
    Runs on tensors, before bufferization, with upstream machinery only:

    1. `tensor.pad` becomes fill + insert_slice, named linalg ops are
       generalized, unit-extent dimensions are dropped, and element-wise
       producers are fused into their consumers where the consumer reads
       them through a permutation (never into windows or reductions, which
       would recompute them); element-wise ops merge contiguous inner
       dimensions.
    2. With `isa=avx2|avxvnni` (x86 byte dot products, u8 x s8): 8-bit
       contractions with constant weights read u = x ^ 0x80 (a separate
       element-wise flip, fused into the activations' producer or pushed
       into their padded buffer) and start from `init - 128 * sum(w)`
       (folded at compile time); inputs of few channels (RGB) are padded
       to a multiple of 4 channels (zero weights). With `avx2` only weights
       within [-64, 64] qualify (vpmaddubsw must not saturate).
    3. The i64 requantization arithmetic qlow-lower writes becomes exact
       i32 arithmetic on the high/low words of the 32x32 product where the
       shifts and value bounds allow.
    4. Every reduction (convolution, matmul, pool) whose only user is an
       element-wise op (the requantizing rescale, a float activation) is
       fused into that consumer's tiles together with the op producing its
       initial value (the broadcast bias or a fill), with
       `tileConsumerAndFuseProducersUsingSCF`: a tile's accumulators stay
       in registers up to the requantized output.
    5. Every remaining linalg op is tiled to vector-sized tiles: the
       innermost output dimension gives the lanes (up to two vectors of the
       widest type the op computes in), the one before it a register block
       (a convolution's output columns, up to `accumulators` vectors); window
       dimensions, and every reduction dimension but the innermost one of a
       contraction, become loops.
    6. Unit dimensions are dropped and every linalg op is vectorized
       (`linalg::vectorize`); contractions become `vector.contract` (kept
       for qlow-x86-lower-vectors), other reductions element-wise vector
       arithmetic; accumulators become loop-carried vectors
       (`hoistLoopInvariantSubsets`) and loop-invariant code is hoisted.

    Ops it cannot tile or vectorize are left as they are (they become
    loops later): the pass never changes what is computed.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", "256",
           "width of a vector register in bits">,
    Option<"vectorISA", "isa", "std::string", "\"generic\"",
           "integer dot products: generic | avx2 (vpmaddubsw) | avxvnni "
           "(vpdpbusd)">,
    Option<"accumulators", "accumulators", "unsigned", "8",
           "accumulator vectors of a reduction's register block (half the "
           "vector registers: 8 of AVX2's 16, 16 of AVX-512's 32)">,
  ];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::vector::VectorDialect"];
}

def QlowX86LowerVectors : Pass<"qlow-x86-lower-vectors", "ModuleOp"> {
  let summary = "Contraction kernels and vector transfers for x86-64";
  let description = [{
    Runs after bufferization (the deallocation pipeline rejects the
    intrinsic calls it creates) on the vector code of `qlow-x86-vectorize`:

    * reads and writes of a buffer location that do not change across a
      loop become loop-carried vectors
      (`linalg::hoistRedundantVectorTransfers`), and n-D transfers of
      contiguous memory single 1-D loads and stores
      (`vector::populateFlattenVectorTransferPatterns`);
    * `vector.contract`s are lowered: u8 x s8 -> i32 to x86 byte dot
      products (`isa=avxvnni`: vpdpbusd; `isa=avx2`: vpmaddubsw + vpmaddwd,
      with weights provably within [-64, 64] so that nothing saturates);
      other 8/16-bit integer ones to pairwise multiply-adds that LLVM
      selects as vpmaddwd (vpdpwssd with VNNI); float ones to outer
      products (FMAs). Constant weights for the byte dot products are read
      from a copy interleaved at compile time (a new private global,
      `<name>_x86dot`); a module pass, since it adds those globals.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", "256",
           "widest flattened transfer in bits (of its innermost dimension)">,
    Option<"vectorISA", "isa", "std::string", "\"generic\"",
           "integer dot products: generic | avx2 | avxvnni">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::vector::VectorDialect"];
}

def QlowPromoteSmallBuffers
    : Pass<"qlow-promote-small-buffers", "func::FuncOp"> {
  let summary = "Allocate a function's small temporaries on the stack";
  let description = [{
    After bufferization, before the deallocation pipeline: `memref.alloc`s
    of static shape in a function's entry block (executed once per call,
    never in a loop) become `memref.alloca`s, in program order, while their
    total size stays within `max-bytes`. A model's temporaries then cost no
    malloc/free per call; larger ones stay on the heap, so deep models do
    not overflow the caller's stack.
  }];
  let options = [
    Option<"maxBytes", "max-bytes", "int64_t", "65536",
           "stack bytes a function may use for promoted buffers">,
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

#endif // QLOW_TARGET_PASSES
