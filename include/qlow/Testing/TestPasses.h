//===- TestPasses.h - qlow's test-only passes -------------------*- C++ -*-===//
#ifndef QLOW_TESTING_TESTPASSES_H
#define QLOW_TESTING_TESTPASSES_H

namespace mlir::qlow {

/// Registers the test-only passes (qlow-test-harness) with the global pass
/// registry; qlow-opt gets them through registerAllPasses().
void registerQlowTestPasses();

} // namespace mlir::qlow

#endif // QLOW_TESTING_TESTPASSES_H
