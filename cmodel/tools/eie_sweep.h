/* eie sweep: one layer over PE counts and FIFO depths (eie_sweep.c). */
#ifndef EIE_SWEEP_CMD_H
#define EIE_SWEEP_CMD_H

/* argv[0] is "sweep". Exit codes as every eie command: 0, 1 mismatch, 2 timeout, 3 bad input. */
int eie_cmd_sweep(int argc, char **argv);

#endif
