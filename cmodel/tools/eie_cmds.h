/* The eie subcommands, one file each (eie_cmd_<name>.c), dispatched by
 * eie_main.c. argv[0] is the subcommand's name. Each returns the exit code:
 * 0 pass, 1 mismatch, 2 timeout, 3 bad input (eie_cli_common.h). */
#ifndef EIE_CMDS_H
#define EIE_CMDS_H

int eie_cmd_gen(int argc, char **argv);
int eie_cmd_run(int argc, char **argv);
int eie_cmd_check(int argc, char **argv); /* in eie_cmd_run.c */
int eie_cmd_trace(int argc, char **argv);
int eie_cmd_sweep(int argc, char **argv);
int eie_cmd_params(int argc, char **argv);
int eie_cmd_script(int argc, char **argv);

/* Run subcommand cmd (argv[0] == cmd) as `eie cmd ...` would; in eie_main.c. */
int eie_dispatch(const char *cmd, int argc, char **argv);

#endif
