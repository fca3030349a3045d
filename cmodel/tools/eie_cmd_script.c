/* eie script: eie commands one after another in this one process, one a line
 * of a file, each with its own output files, as a regression runs thousands
 * of short gen and run commands (a process start costs as much as a small
 * pack's simulation). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eie_cli_common.h"
#include "eie_cmds.h"

/* One source line per line of output. */
/* clang-format off */
static const char *script_help =
    "usage: eie script FILE\n"
    "\n"
    "Run the eie commands of FILE (- for stdin) one after another in this process, one a line:\n"
    "\n"
    "  COMMAND ARGS... [>OUT | >>OUT] [2>ERR | 2>>ERR | 2>&1]\n"
    "\n"
    "as `eie COMMAND ARGS...` would run with those redirections (applied left to right, as a\n"
    "shell does; without them the command writes to the script's stdout and stderr). Words are\n"
    "separated by blanks and hold none (no quoting); empty lines and lines starting with # are\n"
    "skipped. After each command, one line on stdout: its exit status and its wall time in\n"
    "seconds (\"0 0.0042\"), so redirect a command's own output when a program reads them.\n"
    "Exit: the largest status of the commands; 3 when FILE cannot be read or a line is not a\n"
    "command (its status line says 3, the others still run). A command that crashes ends the\n"
    "script, its status line and the later ones missing.\n";
/* clang-format on */

#define SCRIPT_MAX_WORDS 512

/* Point descriptor fd (1 or 2) at path, truncated or appended. */
static int redirect(int fd, const char *path, int append, const char *where) {
  int f = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0666);
  if (f < 0) {
    fprintf(stderr, "eie: %s: cannot open %s: %s\n", where, path, strerror(errno));
    return -1;
  }
  int ok = dup2(f, fd) >= 0;
  close(f);
  if (!ok) fprintf(stderr, "eie: %s: %s: %s\n", where, path, strerror(errno));
  return ok ? 0 : -1;
}

/* Whether word t is a redirection (>F, >>F, 2>F, 2>>F, 2>&1), and whether
 * it is an operator alone, its file the next word. */
static int is_redirection(const char *t) {
  return t[0] == '>' || (t[0] == '2' && t[1] == '>');
}
static int operator_alone(const char *t) {
  return !strcmp(t, ">") || !strcmp(t, ">>") || !strcmp(t, "2>") || !strcmp(t, "2>>");
}

/* Apply the redirections w[first..n), checked by run_line (fd 1 and 2 saved). */
static int apply_redirections(char **w, int first, int n, const char *where) {
  for (int i = first; i < n; i++) {
    const char *t = w[i];
    if (!strcmp(t, "2>&1")) {
      if (dup2(1, 2) < 0) return -1;
      continue;
    }
    const int fd = t[0] == '2' ? 2 : 1;
    if (fd == 2) t++;
    const int append = t[1] == '>';
    const char *path = operator_alone(w[i]) ? w[++i] : t + 1 + append;
    if (redirect(fd, path, append, where)) return -1;
  }
  return 0;
}

/* Run one line's command; returns its exit status. */
static int run_line(char *line, const char *where) {
  char *w[SCRIPT_MAX_WORDS + 1];
  int n = 0;
  for (char *save = NULL, *t = strtok_r(line, " \t\r", &save); t;
       t = strtok_r(NULL, " \t\r", &save)) {
    if (n == SCRIPT_MAX_WORDS) {
      fprintf(stderr, "eie: %s: more than %d words\n", where, SCRIPT_MAX_WORDS);
      return EIE_EXIT_BAD;
    }
    w[n++] = t;
  }
  int args = 0; /* the command and its arguments: the words before the first redirection */
  while (args < n && !is_redirection(w[args])) args++;
  for (int i = args; i < n; i++) {
    const char *bad = !is_redirection(w[i])              ? "comes after the redirections"
                      : operator_alone(w[i]) && ++i == n ? "names no file"
                                                         : NULL;
    if (bad) {
      fprintf(stderr, "eie: %s: '%s' %s\n", where, w[i < n ? i : n - 1], bad);
      return EIE_EXIT_BAD;
    }
  }
  if (args == 0 || !strcmp(w[0], "script")) {
    fprintf(stderr, "eie: %s: %s\n", where, args ? "a script runs no script" : "no command");
    return EIE_EXIT_BAD;
  }
  fflush(stdout);
  fflush(stderr);
  const int out = dup(1), err = dup(2);
  if (out < 0 || err < 0) {
    fprintf(stderr, "eie: %s: %s\n", where, strerror(errno));
    if (out >= 0) close(out);
    if (err >= 0) close(err);
    return EIE_EXIT_BAD;
  }
  int rc = EIE_EXIT_BAD;
  if (!apply_redirections(w, args, n, where)) {
    w[args] = NULL; /* the redirections are applied: the command's argv ends here */
    optind = 0;     /* glibc: a new argument vector, getopt starts over */
    rc = eie_dispatch(w[0], args, w);
  }
  /* What the command wrote must have arrived, as at the end of a process. */
  if (fflush(stdout) || ferror(stdout)) {
    const int e = errno;
    clearerr(stdout);
    dprintf(err, "eie: %s: stdout: write failed: %s\n", where, strerror(e));
    if (!rc) rc = EIE_EXIT_BAD;
  }
  fflush(stderr);
  dup2(out, 1);
  dup2(err, 2);
  close(out);
  close(err);
  return rc;
}

int eie_cmd_script(int argc, char **argv) {
  if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    fputs(script_help, stdout);
    return 0;
  }
  if (argc != 2) {
    fputs(script_help, stderr);
    return EIE_EXIT_BAD;
  }
  const char *path = argv[1];
  FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
  if (!f) {
    fprintf(stderr, "eie: %s: cannot open: %s\n", path, strerror(errno));
    return EIE_EXIT_BAD;
  }
  char *line = NULL;
  size_t cap = 0;
  int worst = 0;
  unsigned long lineno = 0;
  for (ssize_t len; (len = getline(&line, &cap, f)) >= 0;) {
    lineno++;
    if (len > 0 && line[len - 1] == '\n') line[--len] = '\0';
    const char *p = line + strspn(line, " \t\r");
    if (!*p || *p == '#') continue;
    char where[4200]; /* FILE:LINE, the place every message of the line names */
    snprintf(where, sizeof where, "%s:%lu", path, lineno);
    const double t0 = eie_cli_now();
    const int rc = run_line(line, where);
    printf("%d %.4f\n", rc, eie_cli_now() - t0);
    fflush(stdout);
    if (rc > worst) worst = rc;
  }
  const int bad = ferror(f);
  free(line);
  if (f != stdin) fclose(f);
  if (bad) return eie_cli_die(EIE_EXIT_BAD, "%s: read failed", path);
  return worst;
}
