/* Status codes and error messages shared by every part of libeie. */
#ifndef EIE_STATUS_H
#define EIE_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  EIE_OK = 0,
  EIE_STATUS_MISMATCH = 1,  /* outputs differ from the expected ones */
  EIE_STATUS_TIMEOUT = 2,   /* a run did not finish in its cycle budget */
  EIE_STATUS_BAD_INPUT = 3, /* malformed file, shape, value or configuration */
  EIE_STATUS_NO_MEMORY = 4,
  EIE_STATUS_IO = 5 /* a file could not be read or written */
} eie_status_t;

/* Error text buffer: every function that can fail on input takes one of these
 * (may be NULL) and writes a one-line message without a trailing newline. */
#define EIE_ERR_LEN 512
typedef struct {
  char msg[EIE_ERR_LEN];
} eie_err_t;

/* printf-style; returns `code` so callers can `return eie_fail(err, ...)`. */
eie_status_t eie_fail(eie_err_t *err, eie_status_t code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#ifdef __cplusplus
}
#endif
#endif
