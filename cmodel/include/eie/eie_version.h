/* Version of libeie and of its C API, and the sizes of its public structures
 * for bindings that mirror them (the Python package checks its mirrors
 * against these when it loads the library). CMakeLists.txt reads the version
 * from here; the shared library's SONAME carries the major number. */
#ifndef EIE_VERSION_H
#define EIE_VERSION_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EIE_VERSION_MAJOR 0
#define EIE_VERSION_MINOR 1
#define EIE_VERSION_PATCH 0
/* (major << 16) | (minor << 8) | patch, for #if tests. */
#define EIE_VERSION_NUMBER \
  ((EIE_VERSION_MAJOR << 16) | (EIE_VERSION_MINOR << 8) | EIE_VERSION_PATCH)

/* "MAJOR.MINOR.PATCH" of the library actually loaded. */
const char *eie_version(void);
/* EIE_VERSION_NUMBER of the library actually loaded. */
unsigned eie_version_number(void);

/* sizeof a public type by its C name ("eie_program_t", "eie_stats_t", ...);
 * 0 for a name that is not a public structure. */
size_t eie_abi_sizeof(const char *type_name);

#ifdef __cplusplus
}
#endif
#endif
