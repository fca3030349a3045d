/* eie: generate vector packs, run them on the cycle-accurate model (or the
 * Verilated RTL), trace and sweep them. This file only dispatches: each
 * subcommand is eie_cmd_<name>.c (eie_cmds.h), what they share is
 * eie_cli_common.c. Exit codes: 0 pass, 1 mismatch, 2 timeout, 3 bad input. */
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "eie_cli_common.h"
#include "eie_cmds.h"
#include "eie_fsafe.h"
#include "eie_pack.h"

/* One source line per line of output. */
/* clang-format off */
static const char *main_help =
    "usage: eie COMMAND [options]\n"
    "\n"
    "Cycle-accurate C model of the EIE sparse-inference accelerator.\n"
    "\n"
    "commands:\n"
    "  gen     compress a layer and write a vector pack (eie gen --help)\n"
    "  run     run a vector pack and check it (eie run --help)\n"
    "  check   check a vector pack whole without running it (eie check --help)\n"
    "  trace   print a cycle-by-cycle table of a run (eie trace --help)\n"
    "  sweep   run a layer over PE counts and FIFO depths, one CSV row each (eie sweep --help)\n"
    "  params  print the architectural parameters and a configuration's parameter hash (hex, decimal)\n"
    "          (--sv: the SystemVerilog package generated from them)\n"
    "  script  run many eie commands, one a line of a file, in one process (eie script --help)\n"
    "  version print the version\n";
/* clang-format on */

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
} commands[] = {{"gen", eie_cmd_gen},      {"run", eie_cmd_run},     {"check", eie_cmd_check},
                {"trace", eie_cmd_trace},  {"sweep", eie_cmd_sweep}, {"params", eie_cmd_params},
                {"script", eie_cmd_script}};

int eie_dispatch(const char *cmd, int argc, char **argv) {
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(main_help, stdout);
    return 0;
  }
  if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
    puts(EIE_GENERATOR);
    return 0;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (!strcmp(cmd, commands[i].name)) return commands[i].run(argc, argv);
  fprintf(stderr, "eie: unknown command '%s' (see 'eie --help')\n", cmd);
  return EIE_EXIT_BAD;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(main_help, stderr);
    return EIE_EXIT_BAD;
  }
#ifdef __GLIBC__
  /* A program's PE images are large zeroed blocks, mostly never written. glibc serves blocks
   * this large from fresh zero pages, touched only where written, until a larger block is
   * freed: then its threshold rises and it takes them from the heap and clears them whole
   * (eie gen, after the compression's buffers: 16 MB cleared for 100 PEs, 7 ms of 30). */
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
  /* The subcommand sees itself as argv[0]. */
  int rc = eie_dispatch(argv[1], argc - 1, argv + 1);
  /* Whatever went to stdout must have arrived (a full disk, a closed pipe). */
  eie_err_t e;
  if (eie_fsafe_close_stdout(&e)) {
    fprintf(stderr, "eie: %s\n", e.msg);
    if (!rc) rc = EIE_EXIT_BAD;
  }
  return rc;
}
