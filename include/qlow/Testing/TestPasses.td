//===- TestPasses.td - qlow's test-only passes -------------*- tablegen -*-===//
#ifndef QLOW_TESTING_TESTPASSES
#define QLOW_TESTING_TESTPASSES

include "mlir/Pass/PassBase.td"

def QlowTestHarness : Pass<"qlow-test-harness", "ModuleOp"> {
  let summary = "Add a @main that runs a function on deterministic inputs "
                "and prints its results";
  let description = [{
    Test only. Adds `func.func @main()` to the module. It builds every
    argument of `func` as an `arith.constant` dense tensor whose element `i`
    (row-major) is `qlow::testInputValue(seed, i, range)` for float tensors
    (f32; f16/bf16 get that value rounded to their type) and
    `qlow::testInputInteger(seed, i, range, bits)`, i.e.
    `clamp(roundeven(v * 100), -2^(bits-1), 2^(bits-1)-1)`, for signless
    integer tensors; it calls `func` and prints every element of every result
    in row-major order, one per line, with `vector.print`: integers
    sign-extended to i32 (i64 as i64) in decimal, f32 as the decimal of their
    bit pattern (`arith.bitcast` to i32) so that comparisons are bit-exact
    (f16/bf16 are extended to f32 first). Results are printed one after
    another with no separator. `qlow-reference-eval` prints the same
    sequence for the same function, seed and range.

    The generated IR is on tensors (arith, tensor, scf, vector), like the
    output of `qlow-lower`, and is bufferized and lowered with the rest of
    the module.
  }];
  let options = [
    Option<"func", "func", "std::string", "\"forward\"",
           "the function to run">,
    Option<"seed", "seed", "uint64_t", "1", "seed of the inputs">,
    Option<"range", "range", "float", "1.0f",
           "inputs are uniform in [-range, range)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::vector::VectorDialect"];
}

#endif // QLOW_TESTING_TESTPASSES
