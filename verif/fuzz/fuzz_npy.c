/* libFuzzer harness: the .npy reader must refuse or accept any bytes without
 * crashing, leaking or reading out of bounds. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "eie/eie_npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/eie_fuzz_npy_%d.npy", (int)getpid());
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  eie_npy_t a;
  eie_err_t e;
  if (eie_npy_read(path, &a, &e) == EIE_OK) {
    double *d = eie_npy_to_double(&a);
    free(d);
    eie_npy_free(&a);
  }
  unlink(path);
  return 0;
}
