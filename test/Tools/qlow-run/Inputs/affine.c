/* A hand-written model in the qlow ABI: y = 2 * x + 1 on a [1, 4] f32. */
#include "qlow/runtime.h"

static const int64_t shape[] = {1, 4};
static const qlow_tensor_info inputs[] = {{"x", QLOW_DTYPE_F32, 2, shape}};
static const qlow_tensor_info outputs[] = {{"y", QLOW_DTYPE_F32, 2, shape}};

static qlow_status run(const void *const *in, void *const *out) {
  if (!in || !out || !in[0] || !out[0])
    return QLOW_ERROR_NULL_ARGUMENT;
  const float *x = (const float *)in[0];
  float *y = (float *)out[0];
  for (int i = 0; i < 4; ++i)
    y[i] = 2.0f * x[i] + 1.0f;
  return QLOW_OK;
}

const qlow_model qlow_model_affine = {"affine", 1, inputs, 1, outputs, run};
extern const qlow_model qlow_default_model
    __attribute__((weak, alias("qlow_model_affine")));
