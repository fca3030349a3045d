/* A program outside the EIE tree that uses the installed libeie: the paper's
 * worked example (docs/microarchitecture.md §10) on the cycle-accurate model
 * through the host driver, checked against the functional reference.
 *   CMake:      find_package(eie) and link eie::eie (CMakeLists.txt here)
 *   pkg-config: cc paper_example.c $(pkg-config --cflags --libs eie) -o paper_example */
#include <eie/eie_driver.h>
#include <eie/eie_example.h>
#include <eie/eie_model.h>
#include <eie/eie_ref.h>
#include <eie/eie_version.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  eie_err_t err;
  eie_layer_t layer;
  int16_t x[8], y[16], ref[16];
  eie_example_paper(&layer, x);

  eie_config_t cfg = eie_config_default();
  if (eie_config_set(&cfg, "NUM_PE", 4, &err) || eie_config_validate(&cfg, &err)) {
    fprintf(stderr, "paper_example: %s\n", err.msg);
    return 3;
  }
  eie_program_t prog;
  if (eie_program_build(&cfg, &layer, 1, &prog, &err)) {
    fprintf(stderr, "paper_example: %s\n", err.msg);
    return 3;
  }
  eie_program_set_input(&prog, x);

  eie_array_t *array;
  if (eie_array_create(&cfg, &array, &err)) {
    fprintf(stderr, "paper_example: %s\n", err.msg);
    eie_program_free(&prog);
    return 3;
  }
  eie_bus_t bus = eie_model_bus(array);
  uint64_t cycles = 0;
  eie_status_t st = eie_driver_load(&bus, &prog, &err);
  if (!st) st = eie_driver_run(&bus, 1000, &cycles, &err);
  if (!st) st = eie_driver_read_output(&bus, &prog, y, &err);
  if (st) fprintf(stderr, "paper_example: %s\n", err.msg);
  const double eff = st ? 0.0 : eie_stats_load_efficiency(eie_array_stats(array));
  eie_array_destroy(array);
  eie_program_free(&prog);
  if (st) return (int)st;

  eie_ref_layer(&layer, x, ref);
  printf("libeie %s: the paper's 16x8 example on %u PEs: %llu cycles, load efficiency %.3f\n",
         eie_version(), cfg.num_pe, (unsigned long long)cycles, eff);
  printf("y =");
  for (int i = 0; i < 16; i++) printf(" %d", y[i]);
  printf("\n");
  const int same = memcmp(y, ref, sizeof y) == 0;
  printf("%s the functional reference\n", same ? "matches" : "DIFFERS FROM");
  return same ? 0 : 1;
}
