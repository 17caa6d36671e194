//===- RecordInterface.cpp - qlow-record-interface ------------------------===//
//
// Records the model function's tensor interface as `qlow.interface` so that
// it is still known after lowering (see qlow/Target/ModelInterface.h).
//
//===----------------------------------------------------------------------===//
#include "qlow/Target/ModelInterface.h"
#include "qlow/Target/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::qlow {
#define GEN_PASS_DEF_QLOWRECORDINTERFACE
#include "qlow/Target/Passes.h.inc"
} // namespace mlir::qlow

using namespace mlir;
using namespace mlir::qlow;

namespace {
struct QlowRecordInterfacePass
    : mlir::qlow::impl::QlowRecordInterfaceBase<QlowRecordInterfacePass> {
  using QlowRecordInterfaceBase::QlowRecordInterfaceBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto fn = dyn_cast_or_null<func::FuncOp>(
        SymbolTable::lookupSymbolIn(module, func));
    if (!fn) {
      module.emitError() << "qlow-record-interface: no func.func @" << func
                         << " in the module";
      return signalPassFailure();
    }
    FailureOr<ModelInterface> iface = computeModelInterface(fn, func);
    if (failed(iface))
      return signalPassFailure();
    fn->setAttr(kInterfaceAttr, encodeModelInterface(&getContext(), *iface));
  }
};
} // namespace
