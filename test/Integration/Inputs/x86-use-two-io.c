/* Uses a model compiled by qlow's x86 backend through its generated header
 * only (see x86-interface.mlir). */
#ifdef INCLUDE_RUNTIME_FIRST
#include <qlow/runtime.h>
#endif
#include "two_io.h"
#include <qlow/runtime.h>

#include <stdio.h>
#include <string.h>

static int fail(const char *what) {
  fprintf(stderr, "FAIL: %s\n", what);
  return 1;
}

int main(void) {
  const qlow_model *m = &qlow_model_two_io;
  float a[2][3] = {{0.5f, -1.0f, 2.0f}, {3.0f, -0.25f, 100.0f}};
  int8_t b[3] = {-128, 5, 127};
  float scaled[2][3];
  int32_t out1[3];
  const void *inputs[QLOW_TWO_IO_NUM_INPUTS] = {a, b};
  void *outputs[QLOW_TWO_IO_NUM_OUTPUTS] = {scaled, out1};
  int i, j;

  if (strcmp(m->name, "two_io") != 0 || m->num_inputs != 2 ||
      m->num_outputs != 2 || m->run != qlow_run_two_io)
    return fail("descriptor");
  if (strcmp(m->inputs[0].name, "a") != 0 ||
      m->inputs[0].dtype != QLOW_DTYPE_F32 || m->inputs[0].rank != 2 ||
      m->inputs[0].shape[0] != 2 || m->inputs[0].shape[1] != 3 ||
      strcmp(m->inputs[1].name, "b") != 0 ||
      m->inputs[1].dtype != QLOW_DTYPE_I8 ||
      m->outputs[1].dtype != QLOW_DTYPE_I32 ||
      qlow_num_elements(&m->outputs[0]) * qlow_dtype_size(m->outputs[0].dtype) !=
          QLOW_TWO_IO_OUTPUT_0_SIZE ||
      sizeof scaled != QLOW_TWO_IO_OUTPUT_0_SIZE ||
      sizeof out1 != QLOW_TWO_IO_OUTPUT_1_SIZE)
    return fail("tensor infos");
  memset(scaled, 0xff, sizeof scaled);
  memset(out1, 0xff, sizeof out1);
  if (qlow_run_two_io(inputs, outputs) != QLOW_OK)
    return fail("run");
  for (i = 0; i < 2; ++i)
    for (j = 0; j < 3; ++j)
      if (scaled[i][j] != a[i][j] * 2.0f + 1.0f)
        return fail("output 0");
  for (i = 0; i < 3; ++i)
    if (out1[i] != -3 * b[i])
      return fail("output 1");
  /* Through the descriptor, and concurrently usable: a second call with
   * other buffers gives the same values. */
  {
    float scaled2[2][3];
    int32_t out2[3];
    void *outputs2[2] = {scaled2, out2};
    if (m->run(inputs, outputs2) != QLOW_OK ||
        memcmp(scaled, scaled2, sizeof scaled) != 0 ||
        memcmp(out1, out2, sizeof out1) != 0)
      return fail("second run");
  }
  inputs[1] = NULL;
  if (m->run(inputs, outputs) != QLOW_ERROR_NULL_ARGUMENT)
    return fail("NULL input");
  printf("ok\n");
  return 0;
}
