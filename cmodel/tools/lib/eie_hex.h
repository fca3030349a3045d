/* Reading $readmemh images (the format the pack writes): '//' comments and
 * blank lines are skipped, one hexadecimal word a line. */
#ifndef EIE_HEX_H
#define EIE_HEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Read at most max_words words of `width` bits (1..64) into a malloc'd array.
 * Lines may be of any length (leading zeros do not count). Refuses, naming
 * the file and the line: a missing or non-regular file, a character that is
 * not a hex digit (a NUL byte, x/z, '_' before the first digit), a word wider
 * than `width`, more than max_words words, and '@address' lines (the pack
 * never writes them). */
eie_status_t eie_hex_read(const char *path, unsigned width, size_t max_words, uint64_t **words,
                          size_t *count, eie_err_t *err);
/* The same from an open stream; `path` names it in messages. */
eie_status_t eie_hex_fread(FILE *f, const char *path, unsigned width, size_t max_words,
                           uint64_t **words, size_t *count, eie_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
