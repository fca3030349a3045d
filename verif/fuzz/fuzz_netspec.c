/* libFuzzer harness: a network specification from the fuzz input (next to
 * valid .npy files made once) must be refused or read without crashing. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eie/eie_npy.h"
#include "eie_netspec.h"

static char dir[128];

static void make_files(void) {
  snprintf(dir, sizeof dir, "/tmp/eie_fuzz_net_%d", (int)getpid());
  char cmd[256];
  snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
  if (system(cmd)) abort();
  static float x[64], w0[48 * 64], b0[48], w1[10 * 48];
  for (int i = 0; i < 64; i++) x[i] = (float)(i % 5) * 0.25f;
  for (int i = 0; i < 48 * 64; i++) w0[i] = (float)((i * 37) % 11 - 5) * 0.01f;
  for (int i = 0; i < 48; i++) b0[i] = 0.01f * (float)i;
  for (int i = 0; i < 10 * 48; i++) w1[i] = (float)((i * 17) % 7 - 3) * 0.02f;
  struct {
    const char *name;
    unsigned ndim;
    uint64_t shape[2];
    const void *data;
  } f[] = {{"x.npy", 1, {64, 0}, x},
           {"w0.npy", 2, {48, 64}, w0},
           {"b0.npy", 1, {48, 0}, b0},
           {"w1.npy", 2, {10, 48}, w1}};
  for (unsigned i = 0; i < 4; i++) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, f[i].name);
    eie_err_t e;
    if (eie_npy_write(path, EIE_NPY_F32, f[i].ndim, f[i].shape, f[i].data, &e)) abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!dir[0]) make_files();
  char path[256];
  snprintf(path, sizeof path, "%s/net.json", dir);
  FILE *fp = fopen(path, "wb");
  if (!fp) return 0;
  fwrite(data, 1, size, fp);
  fclose(fp);
  eie_netspec_t ns;
  eie_err_t e;
  if (eie_netspec_read(path, &ns, &e) == EIE_OK) eie_netspec_free(&ns);
  return 0;
}
