/* A C program using a compiled model the way users do: its generated
 * header and its object file, linked statically. */
#include "mlp.h"

#include <stdio.h>

int main(void) {
  float input[16], logits[8];
  for (int i = 0; i < 16; ++i)
    input[i] = (float)(i % 5) * 0.25f - 0.5f;
  const void *inputs[] = {input};
  void *outputs[] = {logits};
  if (qlow_run_mlp(inputs, outputs) != QLOW_OK)
    return 1;
  /* NULL buffers are refused. */
  void *bad[] = {NULL};
  if (qlow_run_mlp(inputs, bad) != QLOW_ERROR_NULL_ARGUMENT)
    return 2;
  printf("model %s: %d input(s), %d output(s) '%s' [%lld, %lld]\n",
         qlow_model_mlp.name, qlow_model_mlp.num_inputs,
         qlow_model_mlp.num_outputs, qlow_model_mlp.outputs[0].name,
         (long long)qlow_model_mlp.outputs[0].shape[0],
         (long long)qlow_model_mlp.outputs[0].shape[1]);
  for (int i = 0; i < 8; ++i)
    printf("%.6f\n", logits[i]);
  return 0;
}
