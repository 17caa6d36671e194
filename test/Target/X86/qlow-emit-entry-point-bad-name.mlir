// RUN: not qlow-opt %s --qlow-emit-entry-point="func=model model=9lives" 2>&1 | FileCheck %s
// CHECK: error: qlow-emit-entry-point: model name '9lives' is not a C identifier
llvm.func @model() attributes {qlow.interface = {inputs = [], outputs = []}} {
  llvm.return
}
