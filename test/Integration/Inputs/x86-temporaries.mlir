// A float model whose intermediate (64x512 f32, 128 KiB: large enough for
// the allocator's per-thread cache) is a heap temporary when compiled with
// optimize=false (no fusion). x86-temporaries.test.
#id = affine_map<(d0, d1) -> (d0, d1)>
#red = affine_map<(d0, d1) -> (d0)>
func.func @temps(%x: tensor<64x512xf32> {qlow.name = "x"}) -> tensor<64xf32> {
  %e = tensor.empty() : tensor<64x512xf32>
  %sq = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<64x512xf32>) outs(%e : tensor<64x512xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %a : f32
    linalg.yield %m : f32
  } -> tensor<64x512xf32>
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<64xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%init : tensor<64xf32>) -> tensor<64xf32>
  %sum = linalg.generic {indexing_maps = [#id, #red], iterator_types = ["parallel", "reduction"]}
      ins(%sq : tensor<64x512xf32>) outs(%fill : tensor<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %o, %a : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  return %sum : tensor<64xf32>
}
