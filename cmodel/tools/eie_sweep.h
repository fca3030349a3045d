/* eie sweep: one layer over PE counts and FIFO depths (eie_sweep.c). */
#ifndef EIE_SWEEP_CMD_H
#define EIE_SWEEP_CMD_H

/* argv[0] is "sweep". Exit codes as every eie command: 0, 1 mismatch, 2 timeout, 3 bad input. */
int eie_cmd_sweep(int argc, char **argv);

/* Shared with eie_main.c: a number in [lo, hi] for option `opt`, or a one-line
 * error "eie: OPT 'S' is not a number in [lo, hi]" and -1. */
int eie_cli_parse_double(const char *opt, const char *s, double lo, double hi, double *out);

#endif
