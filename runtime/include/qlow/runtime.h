/*===- qlow/runtime.h - the C interface of qlow-compiled models -*- C -*-===*
 *
 * Every model qlow compiles exports one descriptor, `qlow_model_<name>`
 * (and the weak alias `qlow_default_model`, so a program that dlopens a
 * single model needs no name), describing its inputs and outputs and
 * pointing at its entry point.
 *
 * Buffers: the caller owns every input and output buffer. Inputs are read
 * only; outputs are written completely. Buffers are dense, row-major, with
 * the element type and shape the descriptor gives; they must not overlap.
 *
 * Threads: a model may run concurrently from several threads, each with
 * its own buffers. The descriptor is immutable. Temporaries are allocated
 * inside each call; those of 64 KiB or more that a call frees are kept in
 * a cache of the calling thread for its next calls, and freed when the
 * thread exits (or, for the unloading thread, when the model is unloaded).
 *
 *===----------------------------------------------------------------------===*/
#ifndef QLOW_RUNTIME_H
#define QLOW_RUNTIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum qlow_dtype {
  QLOW_DTYPE_F32 = 0,
  QLOW_DTYPE_I8 = 1,
  QLOW_DTYPE_U8 = 2,
  QLOW_DTYPE_I32 = 3,
  QLOW_DTYPE_F16 = 4,
  QLOW_DTYPE_I64 = 5,
  QLOW_DTYPE_BOOL = 6, /* one byte per element, 0 or 1 */
} qlow_dtype;

typedef enum qlow_status {
  QLOW_OK = 0,
  QLOW_ERROR_NULL_ARGUMENT = 1, /* an input or output pointer is NULL */
  QLOW_ERROR_OUT_OF_MEMORY = 2,
} qlow_status;

typedef struct qlow_tensor_info {
  const char *name;     /* the stable tensor name (from the model) */
  qlow_dtype dtype;
  int32_t rank;
  const int64_t *shape; /* rank entries */
} qlow_tensor_info;

typedef struct qlow_model {
  const char *name;
  int32_t num_inputs;
  const qlow_tensor_info *inputs;
  int32_t num_outputs;
  const qlow_tensor_info *outputs;
  /* inputs[i] / outputs[i] point at the buffers of the i-th tensor. */
  qlow_status (*run)(const void *const *inputs, void *const *outputs);
} qlow_model;

/* Size in bytes of one element of `dtype`. */
static inline int64_t qlow_dtype_size(qlow_dtype dtype) {
  switch (dtype) {
  case QLOW_DTYPE_I64:
    return 8;
  case QLOW_DTYPE_F32:
  case QLOW_DTYPE_I32:
    return 4;
  case QLOW_DTYPE_F16:
    return 2;
  case QLOW_DTYPE_I8:
  case QLOW_DTYPE_U8:
  case QLOW_DTYPE_BOOL:
    return 1;
  }
  return 0;
}

/* Number of elements of a tensor. */
static inline int64_t qlow_num_elements(const qlow_tensor_info *info) {
  int64_t n = 1;
  for (int32_t i = 0; i < info->rank; ++i)
    n *= info->shape[i];
  return n;
}

/* The helpers below live in the small runtime library (libqlow_runtime.a);
 * a compiled model itself needs none of them. */

/* A readable name for `status` ("ok", "null argument", ...). */
const char *qlow_status_string(qlow_status status);

/* The input / output called `name`, or NULL. */
const qlow_tensor_info *qlow_find_input(const qlow_model *model,
                                        const char *name);
const qlow_tensor_info *qlow_find_output(const qlow_model *model,
                                         const char *name);

/* Bytes of one input or output buffer. */
int64_t qlow_tensor_bytes(const qlow_tensor_info *info);

#ifdef __cplusplus
}
#endif

#endif /* QLOW_RUNTIME_H */
