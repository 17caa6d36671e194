//===- QlowOps.td - the qlow dialect -----------------------*- tablegen -*-===//
//
// qlow ops carry quantized semantics the way TFLite and TVM's QNN do: an op
// on `!quant.uniform` operands means "the real-valued op on the dequantized
// values, re-quantized to the result type". The same ops on f32/f16 tensors
// are the plain float ops. After `qlow-fold`, the `int_*` ops and
// `qlow.rescale` spell the integer arithmetic out explicitly.
//
//===----------------------------------------------------------------------===//

#ifndef QLOW_OPS
#define QLOW_OPS

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Qlow_Dialect : Dialect {
  let name = "qlow";
  let cppNamespace = "::mlir::qlow";
  let summary = "Quantized tensor ops of the qlow compiler";
  let description = [{
    Quantized tensors use upstream `!quant.uniform` types (per tensor and
    per axis). Every op verifies its quantization parameters: a scale must be
    positive and finite, a zero point must lie in the storage range, a
    per-axis dimension must exist and carry one parameter per element.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let hasConstantMaterializer = 1;
}

class Qlow_Op<string mnemonic, list<Trait> traits = []>
    : Op<Qlow_Dialect, mnemonic, traits>;

// A tensor of f32/f16 or of a quantized element type; the C++ verifiers check
// the combinations each op accepts.
def Qlow_Tensor : RankedTensorOf<[AnyType]>;
def Qlow_IntTensor : RankedTensorOf<[AnySignlessInteger]>;

// Ops whose result is a named tensor: calibration statistics, reports and
// precision overrides refer to tensors by this stable name.
class Qlow_NamedOp<string mnemonic, list<Trait> traits = []>
    : Qlow_Op<mnemonic, !listconcat(traits, [Pure])> {
  code extraNamedDecls = [{
    /// The stable tensor name of this op's result, or "" if it has none.
    ::llvm::StringRef getTensorName() {
      if (auto n = getNameAttr()) return n.getValue();
      return {};
    }
  }];
}

//===----------------------------------------------------------------------===//
// Calibration and (de)quantization
//===----------------------------------------------------------------------===//

def Qlow_ObserveOp : Qlow_Op<"observe", [AllTypesMatch<["input", "output"]>]> {
  let summary = "calibration probe: records the range of a named tensor";
  let description = [{
    Passes its input through unchanged. When the instrumented model runs over
    calibration data, each probe records min, max and a histogram of the
    values it sees under `name`. Lowering for deployment removes probes.
  }];
  let arguments = (ins Qlow_Tensor:$input, StrAttr:$name);
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = "$input $name attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Qlow_QuantizeOp : Qlow_NamedOp<"quantize"> {
  let summary = "float tensor to quantized tensor";
  let description = [{
    `q = clamp(roundeven(x / scale) + zero_point, qmin, qmax)` per
    docs/integer-spec.md; NaN maps to the zero point.
  }];
  let arguments = (ins Qlow_Tensor:$input, OptionalAttr<StrAttr>:$name);
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let extraClassDeclaration = extraNamedDecls;
}

def Qlow_DequantizeOp : Qlow_NamedOp<"dequantize"> {
  let summary = "quantized tensor to float tensor";
  let arguments = (ins Qlow_Tensor:$input, OptionalAttr<StrAttr>:$name);
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let extraClassDeclaration = extraNamedDecls;
}

def Qlow_RequantizeOp : Qlow_NamedOp<"requantize"> {
  let summary = "quantized tensor to another scale / zero point";
  let arguments = (ins Qlow_Tensor:$input, OptionalAttr<StrAttr>:$name);
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
  let extraClassDeclaration = extraNamedDecls;
}

def Qlow_ConstOp : Qlow_Op<"const", [ConstantLike, Pure]> {
  let summary = "quantized constant (weights) held in its storage integers";
  let description = [{
    `value` holds the storage integers (i8 for i8/u8 storage, i4 values in
    i8) and the result type gives their quantization parameters.
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = "$value attr-dict `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Compute ops (float or quantized)
//===----------------------------------------------------------------------===//

// A fused activation (ReLU: [0, +inf), ReLU6: [0, 6]); absent = unbounded.
defvar QlowClampAttrs = (ins OptionalAttr<F32Attr>:$clamp_min,
                             OptionalAttr<F32Attr>:$clamp_max);

def Qlow_Conv2DOp : Qlow_NamedOp<"conv2d"> {
  let summary = "2-D convolution, NHWC input, OHWI filter, grouped";
  let description = [{
    input [N,H,W,C], filter [O,KH,KW,C/groups], optional bias [O], result
    [N,OH,OW,O]. `groups == C` with `O == C*M` is a depthwise convolution.
    `padding` is [top, bottom, left, right]; padded positions hold real zero.
    Quantized: the filter may be per-axis on dimension 0, the bias stays f32
    (qlow-fold turns it into int32).
  }];
  let arguments = !con((ins Qlow_Tensor:$input, Qlow_Tensor:$filter,
                           Optional<Qlow_Tensor>:$bias,
                           DenseI64ArrayAttr:$strides,
                           DenseI64ArrayAttr:$padding,
                           DenseI64ArrayAttr:$dilation,
                           DefaultValuedAttr<I64Attr, "1">:$groups),
                       QlowClampAttrs,
                       (ins OptionalAttr<StrAttr>:$name));
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = extraNamedDecls;
}

def Qlow_MatmulOp : Qlow_NamedOp<"matmul"> {
  let summary = "(batched) matrix multiply / fully connected layer";
  let description = [{
    lhs [M,K] or [B,M,K]; rhs [K,N] (shared weights) or [B,K,N]; optional
    bias [N]. Quantized weights may be per-axis on the N dimension.
  }];
  let arguments = !con((ins Qlow_Tensor:$lhs, Qlow_Tensor:$rhs,
                           Optional<Qlow_Tensor>:$bias),
                       QlowClampAttrs,
                       (ins OptionalAttr<StrAttr>:$name));
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = extraNamedDecls;
}

class Qlow_BinaryOp<string mnemonic> : Qlow_NamedOp<mnemonic> {
  let description = [{
    Element-wise with NumPy broadcasting between operands of equal rank
    (a dimension of 1 stretches).
  }];
  let arguments = !con((ins Qlow_Tensor:$lhs, Qlow_Tensor:$rhs),
                       QlowClampAttrs,
                       (ins OptionalAttr<StrAttr>:$name));
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = extraNamedDecls;
}

def Qlow_AddOp : Qlow_BinaryOp<"add"> { let summary = "element-wise add"; }
def Qlow_MulOp : Qlow_BinaryOp<"mul"> { let summary = "element-wise multiply"; }

class Qlow_PoolOp<string mnemonic> : Qlow_NamedOp<mnemonic> {
  let arguments = (ins Qlow_Tensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let extraClassDeclaration = extraNamedDecls;
}

def Qlow_MaxPool2DOp : Qlow_PoolOp<"max_pool2d"> {
  let summary = "2-D max pooling, NHWC; padding never wins";
}
def Qlow_AvgPool2DOp : Qlow_PoolOp<"avg_pool2d"> {
  let summary = "2-D average pooling, NHWC; padding is not counted";
}

def Qlow_GlobalAvgPoolOp : Qlow_NamedOp<"global_avg_pool"> {
  let summary = "mean over H and W: [N,H,W,C] -> [N,1,1,C]";
  let arguments = (ins Qlow_Tensor:$input, OptionalAttr<StrAttr>:$name);
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let extraClassDeclaration = extraNamedDecls;
}

def Qlow_ConcatOp : Qlow_NamedOp<"concat"> {
  let summary = "concatenation along an axis";
  let arguments = (ins Variadic<Qlow_Tensor>:$inputs, I64Attr:$axis,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type($inputs, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = extraNamedDecls;
}

def Qlow_ClampOp : Qlow_NamedOp<"clamp"> {
  let summary = "clamp to [min, max] (ReLU, ReLU6, clip)";
  let description = [{
    Canonicalization fuses a float clamp into the conv/matmul/add that
    produces its (single-use) input, as the producer's fused activation; the
    fused op takes the clamp's tensor name, since its output is now the
    clamped tensor.
  }];
  let arguments = (ins Qlow_Tensor:$input, OptionalAttr<F32Attr>:$min,
                       OptionalAttr<F32Attr>:$max, OptionalAttr<StrAttr>:$name);
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
  let extraClassDeclaration = extraNamedDecls;
}

def Qlow_ReshapeOp : Qlow_NamedOp<"reshape"> {
  let summary = "reshape to the result type's shape (same element count)";
  let arguments = (ins Qlow_Tensor:$input, OptionalAttr<StrAttr>:$name);
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = extraNamedDecls;
}

def Qlow_TransposeOp : Qlow_NamedOp<"transpose"> {
  let summary = "permute dimensions: result dim i is input dim perm[i]";
  let arguments = (ins Qlow_Tensor:$input, DenseI64ArrayAttr:$permutation,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let extraClassDeclaration = extraNamedDecls;
}

def Qlow_SliceOp : Qlow_NamedOp<"slice"> {
  let summary = "a strided slice: static offsets, sizes and positive strides";
  let description = [{
    Result element `i` (per dimension `d`) is input element
    `offsets[d] + i * strides[d]`; the result's shape is `sizes`. Moves
    values only: a quantized input keeps its quantization.
  }];
  let arguments = (ins Qlow_Tensor:$input, DenseI64ArrayAttr:$offsets,
                       DenseI64ArrayAttr:$strides, OptionalAttr<StrAttr>:$name);
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = extraNamedDecls;
}

def Qlow_GatherOp : Qlow_NamedOp<"gather"> {
  let summary = "select along one axis by constant indices";
  let description = [{
    Result element `i` along `axis` is input element `indices[i]` along that
    axis (every other index unchanged). Repeated and reordered indices are
    allowed, so channel selections, nearest-neighbour resizes, tiles,
    broadcasts and edge/reflect padding are all gathers. Moves values only: a
    quantized input keeps its quantization.
  }];
  let arguments = (ins Qlow_Tensor:$input, I64Attr:$axis,
                       DenseI64ArrayAttr:$indices,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = extraNamedDecls;
}

def Qlow_LutOp : Qlow_NamedOp<"lut"> {
  let summary = "an element-wise function of 8-bit integers, as a table";
  let description = [{
    Per element: result integer = `table[q - qmin]`, `q` the input's storage
    integer and `qmin` its storage minimum. Input and result are per-tensor
    quantized with 8-bit storage; the 256 entries (one per input integer)
    are the result's integers. qlow-quantize and qlow-import-qdq tabulate an
    element-wise float function (Sigmoid, HardSwish, SiLU, ...) this way at
    compile time (docs/integer-spec.md, section 13), so every target computes
    the same integers.
  }];
  let arguments = (ins Qlow_Tensor:$input, DenseI32ArrayAttr:$table,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
  let extraClassDeclaration = extraNamedDecls;
}

def Qlow_BatchNormOp : Qlow_NamedOp<"batch_norm"> {
  let summary = "inference batch normalization over the last (channel) axis";
  let description = [{
    `y = (x - mean) / sqrt(variance + epsilon) * scale + offset`, float only;
    qlow-fold-batch-norm folds it into the preceding convolution or matmul.
  }];
  let arguments = (ins Qlow_Tensor:$input, Qlow_Tensor:$scale,
                       Qlow_Tensor:$offset, Qlow_Tensor:$mean,
                       Qlow_Tensor:$variance, F32Attr:$epsilon,
                       OptionalAttr<StrAttr>:$name);
  let results = (outs Qlow_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $offset `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = extraNamedDecls;
}

//===----------------------------------------------------------------------===//
// Float islands
//===----------------------------------------------------------------------===//

def Qlow_FloatIslandOp : Qlow_Op<"float_island", [
    SingleBlockImplicitTerminator<"YieldOp">, RecursiveMemoryEffects]> {
  let summary = "a region that deliberately stays in floating point";
  let description = [{
    Wraps computation that runs in f32 or f16 inside an otherwise integer
    model: an op qlow could not import, a layer kept in float by a precision
    override, or the float math of model-boundary (de)quantization. `reason`
    says why; reports list every island. Nothing outside an island may use
    floating-point arithmetic once a model is lowered.
  }];
  let arguments = (ins StrAttr:$reason, OptionalAttr<StrAttr>:$name);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$reason attr-dict-with-keyword (`:` type($results)^)? $body";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::llvm::StringRef getTensorName() {
      if (auto n = getNameAttr()) return n.getValue();
      return {};
    }
  }];
}

def Qlow_YieldOp : Qlow_Op<"yield", [Pure, Terminator,
                                     HasParent<"FloatIslandOp">]> {
  let summary = "ends a float island, giving its results";
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
  let builders = [OpBuilder<(ins), [{ }]>];
}

//===----------------------------------------------------------------------===//
// Integer form (after qlow-fold)
//===----------------------------------------------------------------------===//

def Qlow_IntConv2DOp : Qlow_Op<"int_conv2d", [Pure]> {
  let summary = "integer convolution with zero points folded into the bias";
  let description = [{
    `acc[n,oh,ow,o] = bias[o] + sum_k x_k * w[o,k] - weight_zp[o] * sum_k x_k`
    in i32 over the window of `x`, whose padding holds `pad_value` (the input
    zero point, i.e. real zero). The input zero point's terms are already in
    `bias` (four-term expansion, docs/integer-spec.md). With `input_unsigned`
    the i8 input holds u8 values and is read as `x - 128` (the shift is folded
    into `bias` and `pad_value` too). `weight_zp` empty means all zero, the
    symmetric case, where the inner loop is a pure i8 x i8 -> i32 dot product.
  }];
  let arguments = (ins Qlow_IntTensor:$input, Qlow_IntTensor:$filter,
                       Qlow_IntTensor:$bias, DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$padding, DenseI64ArrayAttr:$dilation,
                       DefaultValuedAttr<I64Attr, "1">:$groups,
                       SI32Attr:$pad_value,
                       DefaultValuedAttr<DenseI32ArrayAttr, "{}">:$weight_zp,
                       UnitAttr:$input_unsigned);
  let results = (outs Qlow_IntTensor:$output);
  let assemblyFormat = [{
    $input `,` $filter `,` $bias attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qlow_IntMatmulOp : Qlow_Op<"int_matmul", [Pure]> {
  let summary = "integer matmul with zero points folded into the bias";
  let description = [{
    `acc[b,m,n] = bias[n] + sum_k x[b,m,k] * w[k,n] - weight_zp[n] * sum_k x[b,m,k]`
    in i32; `input_unsigned` as for `qlow.int_conv2d`.
  }];
  let arguments = (ins Qlow_IntTensor:$lhs, Qlow_IntTensor:$rhs,
                       Qlow_IntTensor:$bias,
                       DefaultValuedAttr<DenseI32ArrayAttr, "{}">:$weight_zp,
                       UnitAttr:$input_unsigned);
  let results = (outs Qlow_IntTensor:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs `,` $bias attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qlow_RescaleOp : Qlow_Op<"rescale", [Pure]> {
  let summary = "fixed-point requantization epilogue";
  let description = [{
    Per element: `y = clamp(output_zp + ((x - input_zp) * m + 2^(s-1)) >> s,
    min, max)` with a 64-bit product and one round-half-up shift
    (docs/integer-spec.md). `multiplier`/`shift` hold one entry, or one per
    index of dimension `axis` (per-channel). With `input_unsigned` an i8
    input is read as u8.
  }];
  let arguments = (ins Qlow_IntTensor:$input, DenseI32ArrayAttr:$multiplier,
                       DenseI32ArrayAttr:$shift,
                       DefaultValuedAttr<SI32Attr, "0">:$input_zp,
                       SI32Attr:$output_zp, SI32Attr:$min, SI32Attr:$max,
                       DefaultValuedAttr<SI64Attr, "-1">:$axis,
                       UnitAttr:$input_unsigned);
  let results = (outs Qlow_IntTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

#endif // QLOW_OPS
