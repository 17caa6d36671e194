/* Two inputs of different dtypes, two outputs:
 *   sum  = a + b            f32 [1, 3]  (a: f32 [1, 3], b: i8 [1, 3])
 *   best = argmax(sum)      i32 [1]
 */
#include "qlow/runtime.h"

static const int64_t shape13[] = {1, 3};
static const int64_t shape1[] = {1};
static const qlow_tensor_info inputs[] = {{"a", QLOW_DTYPE_F32, 2, shape13},
                                          {"b", QLOW_DTYPE_I8, 2, shape13}};
static const qlow_tensor_info outputs[] = {
    {"sum", QLOW_DTYPE_F32, 2, shape13}, {"best", QLOW_DTYPE_I32, 1, shape1}};

static qlow_status run(const void *const *in, void *const *out) {
  const float *a = (const float *)in[0];
  const int8_t *b = (const int8_t *)in[1];
  float *sum = (float *)out[0];
  int32_t *best = (int32_t *)out[1];
  *best = 0;
  for (int i = 0; i < 3; ++i) {
    sum[i] = a[i] + (float)b[i];
    if (sum[i] > sum[*best])
      *best = i;
  }
  return QLOW_OK;
}

const qlow_model qlow_model_mix = {"mix", 2, inputs, 2, outputs, run};
extern const qlow_model qlow_default_model
    __attribute__((weak, alias("qlow_model_mix")));
