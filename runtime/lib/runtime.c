/*===- runtime.c - helpers over the qlow_model descriptor ---------------===*/
#include "qlow/runtime.h"

#include <stddef.h>
#include <string.h>

const char *qlow_status_string(qlow_status status) {
  switch (status) {
  case QLOW_OK:
    return "ok";
  case QLOW_ERROR_NULL_ARGUMENT:
    return "null argument";
  case QLOW_ERROR_OUT_OF_MEMORY:
    return "out of memory";
  }
  return "unknown status";
}

static const qlow_tensor_info *find(const qlow_tensor_info *infos, int32_t n,
                                    const char *name) {
  if (!infos || !name)
    return NULL;
  for (int32_t i = 0; i < n; ++i)
    if (infos[i].name && strcmp(infos[i].name, name) == 0)
      return &infos[i];
  return NULL;
}

const qlow_tensor_info *qlow_find_input(const qlow_model *model,
                                        const char *name) {
  return model ? find(model->inputs, model->num_inputs, name) : NULL;
}

const qlow_tensor_info *qlow_find_output(const qlow_model *model,
                                         const char *name) {
  return model ? find(model->outputs, model->num_outputs, name) : NULL;
}

int64_t qlow_tensor_bytes(const qlow_tensor_info *info) {
  return info ? qlow_num_elements(info) * qlow_dtype_size(info->dtype) : 0;
}
