//===- InitAll.h - register everything qlow tools use -----------*- C++ -*-===//
#ifndef QLOW_INITALL_H
#define QLOW_INITALL_H

namespace mlir {
class DialectRegistry;
namespace qlow {

/// The dialects every qlow tool loads: qlow, quant and the upstream dialects
/// qlow imports from and lowers to, with their interface models.
void registerAllDialects(DialectRegistry &registry);
/// qlow's passes and pipelines plus the upstream passes qlow-opt offers.
void registerAllPasses();

} // namespace qlow
} // namespace mlir

#endif // QLOW_INITALL_H
