/* Two models in one library and no qlow_default_model: --model picks one. */
#include "qlow/runtime.h"

static const int64_t shape[] = {2};
static const qlow_tensor_info x[] = {{"x", QLOW_DTYPE_F32, 1, shape}};
static const qlow_tensor_info y[] = {{"y", QLOW_DTYPE_F32, 1, shape}};

static qlow_status twice(const void *const *in, void *const *out) {
  for (int i = 0; i < 2; ++i)
    ((float *)out[0])[i] = 2.0f * ((const float *)in[0])[i];
  return QLOW_OK;
}
static qlow_status negate(const void *const *in, void *const *out) {
  for (int i = 0; i < 2; ++i)
    ((float *)out[0])[i] = -((const float *)in[0])[i];
  return QLOW_OK;
}

const qlow_model qlow_model_twice = {"twice", 1, x, 1, y, twice};
const qlow_model qlow_model_negate = {"negate", 1, x, 1, y, negate};
