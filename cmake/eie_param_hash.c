/* Configure-time helper of cmake/EieConfigs.cmake: prints the parameter hash
 * of the default configuration with NAME VALUE overrides, using the C model's
 * own parameter table and hash, so CMake never re-implements either. */
#include <stdio.h>
#include <stdlib.h>

#include "../cmodel/src/eie_params.c"
#include "../cmodel/src/eie_status.c"

int main(int argc, char **argv) {
  eie_config_t cfg = eie_config_default();
  eie_err_t err;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (eie_config_set(&cfg, argv[i], strtol(argv[i + 1], NULL, 10), &err)) {
      printf("%s\n", err.msg);
      return 1;
    }
  }
  if (argc % 2 == 0 || eie_config_validate(&cfg, &err)) {
    printf("%s\n", argc % 2 == 0 ? "usage: NAME VALUE ..." : err.msg);
    return 1;
  }
  printf("%u", eie_param_hash(&cfg));
  return 0;
}
