/* Error message formatting shared by the library. */
#include "eie/eie_status.h"

#include <stdarg.h>
#include <stdio.h>

eie_status_t eie_fail(eie_err_t *err, eie_status_t code, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return code;
}
