/* File safety for every eie command (docs/formats.md, "Safety rules"):
 *  - inputs are regular files, opened without blocking, size-bounded before
 *    anything reads them; files named by a pack or a spec stay inside its
 *    directory (checked on the opened descriptor);
 *  - outputs are written to a temporary name beside them and renamed into
 *    place only when every write and the close succeeded, never onto one of
 *    the command's inputs, never onto a non-regular file;
 *  - directories are removed with every failure reported.
 * Messages are one line naming the file and the problem; they never show the
 * contents or hashes of files outside a pack. */
#ifndef EIE_FSAFE_H
#define EIE_FSAFE_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "eie/eie_npy.h"
#include "eie/eie_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Upper bound of a JSON document eie reads (manifest, network spec, --config). */
#define EIE_FSAFE_JSON_MAX (64ull << 20)
/* No bound beyond the file system's (user-given data files). */
#define EIE_FSAFE_NO_LIMIT UINT64_MAX

/* A name a manifest or spec may give: relative, not empty, no ".." component,
 * no empty component, at most 1000 bytes. 0 when acceptable. */
int eie_fsafe_name_ok(const char *name);

/* Open `name` for reading. root != NULL: `name` is a name given by a file in
 * directory `root` (a pack, a spec's folder): it must pass eie_fsafe_name_ok
 * and resolve inside `root` (symbolic links only when they resolve inside).
 * root == NULL: `name` is a path the user gave. Either way the file must be a
 * regular file (never opened when it is a FIFO, device, socket or directory)
 * of at most max_bytes bytes. *size gets its size (may be NULL). Errors are
 * EIE_STATUS_BAD_INPUT, "<root>/<name>: <problem>". */
eie_status_t eie_fsafe_open(const char *root, const char *name, uint64_t max_bytes, FILE **out,
                            uint64_t *size, eie_err_t *err);

/* eie_fsafe_open, then the whole file with one read into *data (malloc'd,
 * NUL-terminated beyond *len; the caller frees it). A file whose size changes
 * while it is read is refused. */
eie_status_t eie_fsafe_read_all(const char *root, const char *name, uint64_t max_bytes, char **data,
                                size_t *len, eie_err_t *err);

/* A directory whose files are opened by name, looked up once: a pack read
 * file by file. eie_fsafe_dir_open never fails: a root it cannot open is
 * reported by each file opened through it, as eie_fsafe_open reports it. */
typedef struct {
  const char *root; /* the name given (kept, not copied), for messages */
  int fd;           /* the directory, or -1 */
} eie_fsafe_dir_t;
void eie_fsafe_dir_open(eie_fsafe_dir_t *d, const char *root);
void eie_fsafe_dir_close(eie_fsafe_dir_t *d);

/* eie_fsafe_open, eie_fsafe_read_all and eie_fsafe_read_json of d->root,
 * with the same rules and messages, its names resolved from d. */
eie_status_t eie_fsafe_open_in(const eie_fsafe_dir_t *d, const char *name, uint64_t max_bytes,
                               FILE **out, uint64_t *size, eie_err_t *err);
eie_status_t eie_fsafe_read_all_in(const eie_fsafe_dir_t *d, const char *name, uint64_t max_bytes,
                                   char **data, size_t *len, eie_err_t *err);
eie_status_t eie_fsafe_read_json_in(const eie_fsafe_dir_t *d, const char *name, json_t **out,
                                    eie_err_t *err);

/* SHA-256 of a buffer as 64 hex digits. */
void eie_fsafe_sha256_buf(const void *data, size_t len, char hex[65]);

/* eie_fsafe_open, then eie_npy_fread. */
eie_status_t eie_fsafe_read_npy(const char *root, const char *name, uint64_t max_bytes,
                                eie_npy_t *a, eie_err_t *err);

/* eie_fsafe_open (at most EIE_FSAFE_JSON_MAX bytes), then parse JSON with
 * duplicate object keys refused; *out is a new reference. */
eie_status_t eie_fsafe_read_json(const char *root, const char *name, json_t **out, eie_err_t *err);

/* ---- What a command reads, so that its outputs never land on it ---------- */

#define EIE_FSAFE_MAX_INPUTS 64
typedef struct {
  const char *path[EIE_FSAFE_MAX_INPUTS];
  int is_dir[EIE_FSAFE_MAX_INPUTS]; /* a pack directory: nothing may be written inside it */
  unsigned n;
} eie_fsafe_inputs_t;

/* Add an input (the pointer is kept; extra inputs beyond the limit are ignored). */
void eie_fsafe_add_input(eie_fsafe_inputs_t *in, const char *path, int is_dir);

/* Refuse an output path that is an input, lies inside an input directory, or
 * (out_is_dir) holds an input. */
eie_status_t eie_fsafe_check_output(const eie_fsafe_inputs_t *in, const char *out, int out_is_dir,
                                    eie_err_t *err);

/* ---- Files written atomically -------------------------------------------- */

typedef struct {
  char path[4096]; /* the name given */
  char real[4096]; /* where it goes (a symbolic link's target) */
  char tmp[4096];  /* the temporary file beside it */
  FILE *f;         /* open on tmp until released or committed */
} eie_fsafe_out_t;

/* Start writing `path`: refused when it is a directory, an existing file that
 * is not a regular file (a device, a FIFO), or one of `in` (may be NULL). The
 * data go to o->f (a temporary file beside `path`, with the mode of the file
 * it replaces); nothing changes at `path` until eie_fsafe_out_commit. */
eie_status_t eie_fsafe_out_open(eie_fsafe_out_t *o, const char *path, const eie_fsafe_inputs_t *in,
                                eie_err_t *err);
/* Close o->f (checked) so that another writer can fill o->tmp by name. */
eie_status_t eie_fsafe_out_release(eie_fsafe_out_t *o, eie_err_t *err);
/* Flush and close (checked), then rename over `path`. On failure the
 * temporary file is removed and `path` is left as it was. */
eie_status_t eie_fsafe_out_commit(eie_fsafe_out_t *o, eie_err_t *err);
/* Give up: remove the temporary file; `path` is left as it was. */
void eie_fsafe_out_abort(eie_fsafe_out_t *o);

/* ---- Directories ------------------------------------------------------------ */

/* Remove a directory tree (symbolic links removed, not followed), as much of
 * it as possible; the first failure goes to err ("<path>: <reason>"). */
eie_status_t eie_fsafe_remove_tree(const char *path, eie_err_t *err);

/* Put the finished directory `tmp` (made beside `dir`) in place of `dir`:
 * exchanged atomically where the file system can, else renamed in two steps
 * (restored on failure). The old tree is then removed; a failure to remove
 * it is reported (the new directory stays in place). `exists`: `dir` exists. */
eie_status_t eie_fsafe_replace_dir(const char *tmp, const char *dir, int exists, eie_err_t *err);

/* Check and close stdout (data a full disk or a closed pipe lost). */
eie_status_t eie_fsafe_close_stdout(eie_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
