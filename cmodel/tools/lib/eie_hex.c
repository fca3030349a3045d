/* $readmemh image reader (see eie_hex.h). */
#define _POSIX_C_SOURCE 200809L
#include "eie_hex.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "eie_fsafe.h"

eie_status_t eie_hex_read(const char *path, unsigned width, size_t max_words, uint64_t **words,
                          size_t *count, eie_err_t *err) {
  *words = NULL;
  *count = 0;
  FILE *f;
  eie_status_t st = eie_fsafe_open(NULL, path, EIE_FSAFE_NO_LIMIT, &f, NULL, err);
  if (st) return st;
  st = eie_hex_fread(f, path, width, max_words, words, count, err);
  fclose(f);
  return st;
}

eie_status_t eie_hex_fread(FILE *f, const char *path, unsigned width, size_t max_words,
                           uint64_t **words, size_t *count, eie_err_t *err) {
  *words = NULL;
  *count = 0;
  size_t cap = 1024, n = 0;
  uint64_t *w = malloc(cap * sizeof *w);
  char *line = NULL;
  size_t line_cap = 0;
  ssize_t got;
  unsigned long lineno = 0;
  eie_status_t st = w ? EIE_OK : eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory");
  /* Lines of any length, as $readmemh reads them. */
  while (!st && (got = getline(&line, &line_cap, f)) >= 0) {
    lineno++;
    if (memchr(line, 0, (size_t)got)) {
      st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: line %lu: a NUL byte", path, lineno);
      break;
    }
    char *p = line;
    while (isspace((unsigned char)*p)) p++;
    char *c = strstr(p, "//");
    if (c) *c = 0;
    size_t len = strlen(p);
    while (len && isspace((unsigned char)p[len - 1])) p[--len] = 0;
    if (!len) continue;
    if (p[0] == '@') {
      st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: line %lu: '@' addresses are not supported",
                    path, lineno);
      break;
    }
    uint64_t v = 0;
    unsigned sig = 0; /* significant digits */
    for (size_t i = 0; i < len; i++) {
      if (p[i] == '_' && i > 0) continue; /* a separator, not a digit: never first */
      if (!isxdigit((unsigned char)p[i])) {
        if (isprint((unsigned char)p[i]))
          st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: line %lu: '%c' is not a hexadecimal digit",
                        path, lineno, p[i]);
        else
          st = eie_fail(err, EIE_STATUS_BAD_INPUT,
                        "%s: line %lu: byte 0x%02x is not a hexadecimal digit", path, lineno,
                        (unsigned char)p[i]);
        break;
      }
      unsigned d =
          (unsigned)(isdigit((unsigned char)p[i]) ? p[i] - '0'
                                                  : tolower((unsigned char)p[i]) - 'a' + 10);
      if (sig || d) sig++;
      if (sig <= 16) v = v << 4 | d;
    }
    if (!st && (sig > 16 || (width < 64 && (v >> width))))
      st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: line %lu: '%.40s%s' is wider than %u bits",
                    path, lineno, p, len > 40 ? "..." : "", width);
    if (st) break;
    if (n == max_words) {
      st = eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: line %lu: more than the %zu words the memory holds", path, lineno,
                    max_words);
      break;
    }
    if (n == cap) {
      uint64_t *q = realloc(w, 2 * cap * sizeof *w);
      if (!q) {
        st = eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory");
        break;
      }
      w = q;
      cap *= 2;
    }
    w[n++] = v;
  }
  if (!st && ferror(f)) st = eie_fail(err, EIE_STATUS_IO, "%s: read error", path);
  free(line);
  if (st) {
    free(w);
    return st;
  }
  *words = w;
  *count = n;
  return EIE_OK;
}
