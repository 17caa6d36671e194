/* Broken models: BROKEN_RUN fails at run time, BROKEN_DESCRIPTOR has no run
 * function, BROKEN_DTYPE declares an unknown dtype. */
#include "qlow/runtime.h"

static const int64_t shape[] = {1, 4};
static const qlow_tensor_info inputs[] = {{"x", QLOW_DTYPE_F32, 2, shape}};
#ifdef BROKEN_DTYPE
static const qlow_tensor_info outputs[] = {{"y", (qlow_dtype)42, 2, shape}};
#else
static const qlow_tensor_info outputs[] = {{"y", QLOW_DTYPE_F32, 2, shape}};
#endif

static qlow_status run(const void *const *in, void *const *out) {
  (void)in;
  (void)out;
  return QLOW_ERROR_OUT_OF_MEMORY;
}

#ifdef BROKEN_DESCRIPTOR
const qlow_model qlow_default_model = {"broken", 1, inputs, 1, outputs, 0};
#else
const qlow_model qlow_default_model = {"broken", 1, inputs, 1, outputs, run};
#endif
