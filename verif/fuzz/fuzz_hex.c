/* libFuzzer harness: the $readmemh reader must refuse or accept any bytes
 * without crashing or leaking; accepted words fit the width. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "eie_hex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/eie_fuzz_hex_%d.hex", (int)getpid());
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  static const unsigned widths[] = {4, 16, 64};
  for (unsigned i = 0; i < 3; i++) {
    uint64_t *w;
    size_t n;
    eie_err_t e;
    if (eie_hex_read(path, widths[i], 4096, &w, &n, &e) == EIE_OK) {
      for (size_t k = 0; k < n; k++)
        if (widths[i] < 64 && (w[k] >> widths[i])) abort();
      free(w);
    }
  }
  unlink(path);
  return 0;
}
