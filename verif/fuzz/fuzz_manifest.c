/* libFuzzer harness: a vector pack whose manifest.json is the fuzz input (the
 * other files are a valid small pack made once): the reader must refuse or
 * accept without crashing. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eie/eie_example.h"
#include "eie/eie_ref.h"
#include "eie_pack.h"

static char dir[128];

static void make_pack(void) {
  snprintf(dir, sizeof dir, "/tmp/eie_fuzz_pack_%d", (int)getpid());
  eie_layer_t l;
  int16_t *x = malloc(16);
  eie_example_paper(&l, x);
  eie_config_t cfg = eie_config_default();
  cfg.num_pe = 4;
  eie_pack_t pk;
  memset(&pk, 0, sizeof pk);
  eie_err_t e;
  if (eie_program_build(&cfg, &l, 1, &pk.prog, &e)) abort();
  eie_program_set_input(&pk.prog, x);
  pk.input = x;
  pk.expected = malloc(32);
  eie_ref_layer(&l, x, pk.expected);
  pk.layer_out[0] = malloc(32);
  memcpy(pk.layer_out[0], pk.expected, 32);
  eie_stats_t st;
  memset(&st, 0, sizeof st);
  if (eie_pack_write(dir, &pk, &st, 0, &e)) abort();
  eie_pack_free(&pk);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!dir[0]) make_pack();
  char path[256];
  snprintf(path, sizeof path, "%s/manifest.json", dir);
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  eie_pack_t pk;
  eie_err_t e;
  if (eie_pack_read(dir, &pk, &e) == EIE_OK) eie_pack_free(&pk);
  return 0;
}
