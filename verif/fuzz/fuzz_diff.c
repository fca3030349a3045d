/* libFuzzer differential harness: the fuzz input picks a random layer and a
 * configuration; the cycle-accurate model must equal the functional reference
 * bit for bit and never beat the work lower bound. Aborts on a difference. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eie/eie_driver.h"
#include "eie/eie_random.h"
#include "eie/eie_ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t b[16] = {0};
  memcpy(b, data, size < sizeof b ? size : sizeof b);
  eie_config_t cfg = eie_config_default();
  cfg.num_pe = 1 + b[0] % 64;
  cfg.fifo_depth = 1 + b[1] % 16;
  cfg.rf_depth = 1 + b[2] % 64;
  eie_random_spec_t s;
  s.out_len = 1 + (b[3] | b[4] << 8) % 200;
  s.in_len = 1 + (b[5] | b[6] << 8) % 200;
  s.density = b[7] / 255.0;
  s.act_density = b[8] / 255.0;
  s.bias = b[9] & 1;
  s.relu = (b[9] >> 1) & 1;
  s.seed = (uint64_t)b[10] | (uint64_t)b[11] << 8 | (uint64_t)b[12] << 16;
  eie_layer_t l;
  int16_t *x;
  eie_err_t e;
  if (eie_random_layer(&s, &l, &x, &e)) return 0;
  eie_program_t p;
  if (eie_program_build(&cfg, &l, 1, &p, &e)) { /* a layer the configuration cannot hold */
    eie_layer_free(&l);
    free(x);
    return 0;
  }
  eie_program_set_input(&p, x);
  eie_array_t *a;
  if (eie_array_create(&cfg, &a, &e)) abort();
  eie_bus_t bus = eie_model_bus(a);
  uint64_t cycles = 0;
  int16_t *y = malloc(sizeof *y * l.out_len), *r = malloc(sizeof *r * l.out_len);
  if (eie_driver_load(&bus, &p, &e) || eie_driver_run(&bus, 100000000, &cycles, &e) ||
      eie_driver_read_output(&bus, &p, y, &e)) {
    fprintf(stderr, "model run failed: %s\n", e.msg);
    abort();
  }
  eie_ref_layer(&l, x, r);
  if (memcmp(y, r, sizeof *y * l.out_len)) {
    fprintf(stderr, "cycle model differs from the reference\n");
    abort();
  }
  if (cycles < eie_program_work_bound(&p, 0, x)) {
    fprintf(stderr, "cycle count %llu beats the lower bound\n", (unsigned long long)cycles);
    abort();
  }
  free(y);
  free(r);
  eie_array_destroy(a);
  eie_program_free(&p);
  eie_layer_free(&l);
  free(x);
  return 0;
}
