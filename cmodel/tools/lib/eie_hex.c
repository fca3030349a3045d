/* $readmemh image reader (see eie_hex.h). */
#include "eie_hex.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

eie_status_t eie_hex_read(const char *path, unsigned width, size_t max_words, uint64_t **words,
                          size_t *count, eie_err_t *err) {
  *words = NULL;
  *count = 0;
  FILE *f = fopen(path, "r");
  if (!f) return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: cannot open: %s", path, strerror(errno));
  size_t cap = 1024, n = 0;
  uint64_t *w = malloc(cap * sizeof *w);
  char line[512];
  unsigned lineno = 0;
  eie_status_t st = w ? EIE_OK : eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory");
  while (!st && fgets(line, sizeof line, f)) {
    lineno++;
    char *p = line;
    while (isspace((unsigned char)*p)) p++;
    char *c = strstr(p, "//");
    if (c) *c = 0;
    size_t len = strlen(p);
    while (len && isspace((unsigned char)p[len - 1])) p[--len] = 0;
    if (!len) continue;
    if (p[0] == '@') {
      st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: line %u: '@' addresses are not supported", path, lineno);
      break;
    }
    uint64_t v = 0;
    unsigned digits = 0; /* significant digits */
    for (size_t i = 0; i < len; i++) {
      if (p[i] == '_') continue;
      if (!isxdigit((unsigned char)p[i])) {
        st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: line %u: '%c' is not a hexadecimal digit", path,
                      lineno, p[i]);
        break;
      }
      unsigned d = (unsigned)(isdigit((unsigned char)p[i]) ? p[i] - '0'
                                                           : tolower((unsigned char)p[i]) - 'a' + 10);
      if (digits || d) digits++;
      if (digits <= 16) v = v << 4 | d;
    }
    if (!st && (digits > 16 || (width < 64 && (v >> width)))) {
      st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: line %u: '%s' is wider than %u bits", path, lineno,
                    p, width);
    }
    if (st) break;
    if (n == max_words) {
      st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: line %u: more than the %zu words the memory holds",
                    path, lineno, max_words);
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
  fclose(f);
  if (st) {
    free(w);
    return st;
  }
  *words = w;
  *count = n;
  return EIE_OK;
}
