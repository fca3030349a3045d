/* File safety for every eie command (see eie_fsafe.h). */
#define _GNU_SOURCE /* renameat2 */
#include "eie_fsafe.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

int eie_fsafe_name_ok(const char *name) {
  if (!name || !*name || name[0] == '/' || strlen(name) > 1000) return -1;
  for (const char *c = name; *c;) {
    const char *e = strchr(c, '/');
    size_t n = e ? (size_t)(e - c) : strlen(c);
    if (n == 0 || (n == 2 && c[0] == '.' && c[1] == '.')) return -1;
    c += n;
    if (*c == '/') c++;
    if (e && !*c) return -1; /* trailing slash: a directory name */
  }
  return 0;
}

/* p is base or lies below it (both canonical absolute paths). */
static int inside(const char *base, const char *p) {
  size_t n = strlen(base);
  if (n == 1 && base[0] == '/') return p[0] == '/';
  return !strncmp(p, base, n) && (p[n] == '/' || p[n] == 0);
}

static const char *kind(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  return "a special file";
}

/* The checks on an opened descriptor, the same on either path: a regular
 * file (a FIFO or device swapped in after the check before the open is
 * refused here), inside base (root's canonical name) by the name the kernel
 * gives it (base NULL: no root, or inside by how it was opened), at most
 * max_bytes; then blocking reads again (not needed on Linux). Closes fd on a refusal. */
static eie_status_t opened(int fd, const char *shown, const char *root, const char *base,
                           uint64_t max_bytes, uint64_t *size, eie_err_t *err) {
  struct stat st;
  eie_status_t bad = EIE_OK;
  if (fstat(fd, &st))
    bad = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: cannot open: %s", shown, strerror(errno));
  else if (!S_ISREG(st.st_mode))
    bad = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: is %s, not a regular file", shown,
                   kind(st.st_mode));
  if (!bad && base) {
    char link[64], now[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, now, sizeof now - 1);
    if (n >= 0) { /* without /proc the name resolved just above stands */
      now[n] = 0;
      if (!inside(base, now))
        bad = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: resolves outside %s", shown, root);
    }
  }
  if (!bad && (uint64_t)st.st_size > max_bytes)
    bad = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: %llu bytes, more than the %llu bytes allowed",
                   shown, (unsigned long long)st.st_size, (unsigned long long)max_bytes);
#ifndef __linux__ /* Linux ignores O_NONBLOCK on a regular file (open(2)): a call a file spared */
  /* Opened O_RDONLY | O_NONBLOCK: no other status flag to keep. */
  if (!bad && fcntl(fd, F_SETFL, 0) < 0)
    bad = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: cannot open: %s", shown, strerror(errno));
#endif
  if (bad) {
    close(fd);
    return bad;
  }
  if (size) *size = (uint64_t)st.st_size;
  return EIE_OK;
}

#define OPEN_FLAGS (O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

/* Any name, any root: every component resolved by name (realpath), checked,
 * then opened. */
static eie_status_t open_by_path(const char *root, const char *shown, uint64_t max_bytes, int *out,
                                 uint64_t *size, eie_err_t *err) {
  char base[PATH_MAX], real[PATH_MAX];
  if (root && !realpath(root, base))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: cannot open: %s", shown, strerror(errno));
  /* Resolve and check before opening: a device or FIFO is never opened. */
  if (!realpath(shown, real)) {
    int e = errno;
    struct stat ls;
    if (root && lstat(shown, &ls) == 0 && S_ISLNK(ls.st_mode))
      return eie_fail(err, EIE_STATUS_BAD_INPUT,
                      "%s: a symbolic link that does not resolve to a file inside %s", shown, root);
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: cannot open: %s", shown, strerror(e));
  }
  if (root && !inside(base, real))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: resolves outside %s", shown, root);
  struct stat st;
  if (stat(real, &st))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: cannot open: %s", shown, strerror(errno));
  if (!S_ISREG(st.st_mode))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: is %s, not a regular file", shown,
                    kind(st.st_mode));
  /* Open without blocking (a FIFO swapped in meanwhile), then check the descriptor itself. */
  int fd = open(real, OPEN_FLAGS);
  if (fd < 0)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: cannot open: %s", shown, strerror(errno));
  eie_status_t st2 = opened(fd, shown, root, root ? base : NULL, max_bytes, size, err);
  if (!st2) *out = fd;
  return st2;
}

void eie_fsafe_dir_open(eie_fsafe_dir_t *d, const char *root) {
  d->root = root;
#ifdef O_PATH /* no read permission needed, as for names resolved through it */
  d->fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
#else
  d->fd = open(root, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC);
#endif
}

void eie_fsafe_dir_close(eie_fsafe_dir_t *d) {
  if (d->fd >= 0) close(d->fd);
  d->fd = -1;
}

/* The file as a descriptor (eie_fsafe_open's rules). d: root opened once
 * (else NULL); root: its name (NULL: name is a path the user gave).
 * A name that is a regular file directly in the directory d holds (not a
 * link: O_NOFOLLOW; no '/') is opened relative to it: inside by
 * construction, so neither the names (realpath) nor the descriptor
 * (/proc/self/fd) need resolving. It is looked at first without following
 * anything (a device or FIFO is never opened) and checked again once open
 * (opened). Everything else (links, subdirectories, anything that is not a
 * regular file, any failure) takes the path through the names, with its
 * checks and messages. */
static eie_status_t open_fd(const eie_fsafe_dir_t *d, const char *root, const char *name,
                            uint64_t max_bytes, int *out, uint64_t *size, eie_err_t *err) {
  *out = -1;
  char shown[PATH_MAX];
  if (!name) return eie_fail(err, EIE_STATUS_BAD_INPUT, "no file name given");
  if (root && eie_fsafe_name_ok(name))
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: '%.200s' is not a relative name inside it (no '..', not absolute)", root,
                    name);
  if (strlen(name) + (root ? strlen(root) + 1 : 0) >= 4000)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%.200s...: file name too long", root ? root : name);
  if (root)
    snprintf(shown, sizeof shown, "%s/%s", root, name);
  else
    snprintf(shown, sizeof shown, "%s", name);
  struct stat ls;
  if (d && d->fd >= 0 && !strchr(name, '/') &&
      fstatat(d->fd, name, &ls, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(ls.st_mode)) {
    const int fd = openat(d->fd, name, OPEN_FLAGS | O_NOFOLLOW);
    if (fd >= 0) {
      eie_status_t st = opened(fd, shown, root, NULL, max_bytes, size, err);
      if (!st) *out = fd;
      return st;
    }
  }
  return open_by_path(root, shown, max_bytes, out, size, err);
}

/* One use of root (open_fd's path through it when it is a directory). */
static eie_status_t open_fd_once(const char *root, const char *name, uint64_t max_bytes, int *out,
                                 uint64_t *size, eie_err_t *err) {
  eie_fsafe_dir_t d = {root, -1};
  if (root) eie_fsafe_dir_open(&d, root);
  eie_status_t st = open_fd(root ? &d : NULL, root, name, max_bytes, out, size, err);
  eie_fsafe_dir_close(&d);
  return st;
}

static eie_status_t to_stream(int fd, const char *root, const char *name, FILE **out,
                              eie_err_t *err) {
  *out = fdopen(fd, "rb");
  if (*out) return EIE_OK;
  const int e = errno;
  close(fd);
  if (root)
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "%s/%s: cannot open: %s", root, name, strerror(e));
  return eie_fail(err, EIE_STATUS_NO_MEMORY, "%s: cannot open: %s", name, strerror(e));
}

eie_status_t eie_fsafe_open(const char *root, const char *name, uint64_t max_bytes, FILE **out,
                            uint64_t *size, eie_err_t *err) {
  *out = NULL;
  int fd;
  eie_status_t st = open_fd_once(root, name, max_bytes, &fd, size, err);
  return st ? st : to_stream(fd, root, name, out, err);
}

eie_status_t eie_fsafe_open_in(const eie_fsafe_dir_t *d, const char *name, uint64_t max_bytes,
                               FILE **out, uint64_t *size, eie_err_t *err) {
  *out = NULL;
  int fd;
  eie_status_t st = open_fd(d, d->root, name, max_bytes, &fd, size, err);
  return st ? st : to_stream(fd, d->root, name, out, err);
}

/* Map the pages of a large buffer about to be filled in one system call
 * rather than a page fault each as read() reaches them (an optimisation
 * only: where the kernel cannot, the faults happen as before). */
static void prefault(void *buf, size_t n) {
#ifdef MADV_POPULATE_WRITE
  const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), a = (uintptr_t)buf;
  const uintptr_t from = (a + page - 1) & ~(page - 1), to = (a + n) & ~(page - 1);
  if (n >= 16 * page && to > from) madvise((void *)from, to - from, MADV_POPULATE_WRITE);
#else
  (void)buf;
  (void)n;
#endif
}

/* The whole file open on fd (size bytes by fstat), asking one byte more: a
 * file that grew is noticed. A read that gives fewer bytes than asked ends
 * at the file's end then, so when those make the size there is nothing more
 * to ask (growth after it is growth after the read). Closes fd. */
static eie_status_t read_fd(int fd, uint64_t size, const char *root, const char *name, char **data,
                            size_t *len, eie_err_t *err) {
  char shown[PATH_MAX];
  snprintf(shown, sizeof shown, "%s%s%s", root ? root : "", root ? "/" : "", name);
  if (size >= SIZE_MAX) {
    close(fd);
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: too large for this host", shown);
  }
  char *buf = malloc((size_t)size + 1);
  if (!buf) {
    close(fd);
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "%s: out of memory for %llu bytes", shown,
                    (unsigned long long)size);
  }
  prefault(buf, (size_t)size + 1);
  eie_status_t st = EIE_OK;
  size_t got = 0;
  while (got <= size) {
    const size_t ask = (size_t)size + 1 - got;
    const ssize_t n = read(fd, buf + got, ask);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: read error: %s", shown, strerror(errno));
      break;
    }
    if (n == 0) break;
    got += (size_t)n;
    if ((size_t)n < ask && got == size) break;
  }
  close(fd);
  if (!st && got != size)
    st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: changed size while it was read", shown);
  if (st) {
    free(buf);
    return st;
  }
  buf[size] = 0;
  *data = buf;
  *len = (size_t)size;
  return EIE_OK;
}

eie_status_t eie_fsafe_read_all(const char *root, const char *name, uint64_t max_bytes, char **data,
                                size_t *len, eie_err_t *err) {
  *data = NULL;
  *len = 0;
  int fd;
  uint64_t size;
  eie_status_t st = open_fd_once(root, name, max_bytes, &fd, &size, err);
  return st ? st : read_fd(fd, size, root, name, data, len, err);
}

eie_status_t eie_fsafe_read_all_in(const eie_fsafe_dir_t *d, const char *name, uint64_t max_bytes,
                                   char **data, size_t *len, eie_err_t *err) {
  *data = NULL;
  *len = 0;
  int fd;
  uint64_t size;
  eie_status_t st = open_fd(d, d->root, name, max_bytes, &fd, &size, err);
  return st ? st : read_fd(fd, size, d->root, name, data, len, err);
}

/* SHA-256 (GNU Nettle: its digest uses the processor's SHA instructions where
 * there are some; a process linked with it starts about 2 ms sooner than one
 * linked with OpenSSL's libcrypto, which most short eie commands noticed). */
static void sha256_hex(struct sha256_ctx *ctx, char hex[65]) {
  static const char digits[] = "0123456789abcdef";
  uint8_t md[SHA256_DIGEST_SIZE];
  sha256_digest(ctx, sizeof md, md);
  for (unsigned i = 0; i < SHA256_DIGEST_SIZE; i++) {
    hex[2 * i] = digits[md[i] >> 4];
    hex[2 * i + 1] = digits[md[i] & 15];
  }
  hex[64] = 0;
}

void eie_fsafe_sha256_buf(const void *data, size_t len, char hex[65]) {
  struct sha256_ctx ctx;
  sha256_init(&ctx);
  sha256_update(&ctx, len, data);
  sha256_hex(&ctx, hex);
}

eie_status_t eie_fsafe_read_npy(const char *root, const char *name, uint64_t max_bytes,
                                eie_npy_t *a, eie_err_t *err) {
  memset(a, 0, sizeof *a);
  FILE *f;
  eie_status_t st = eie_fsafe_open(root, name, max_bytes, &f, NULL, err);
  if (st) return st;
  char shown[PATH_MAX];
  if (root)
    snprintf(shown, sizeof shown, "%s/%s", root, name);
  else
    snprintf(shown, sizeof shown, "%s", name);
  st = eie_npy_fread(f, shown, a, err);
  fclose(f);
  return st;
}

/* Parse the JSON document read into data (freed), duplicate object keys
 * refused; errors name root/name (root NULL: name). */
static eie_status_t parse_json(char *data, size_t len, const char *root, const char *name,
                               json_t **out, eie_err_t *err) {
  json_error_t je;
  *out = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
  free(data);
  if (*out) return EIE_OK;
  if (root)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s/%s: line %d: %s", root, name, je.line, je.text);
  return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: line %d: %s", name, je.line, je.text);
}

eie_status_t eie_fsafe_read_json(const char *root, const char *name, json_t **out, eie_err_t *err) {
  *out = NULL;
  char *data;
  size_t len;
  eie_status_t st = eie_fsafe_read_all(root, name, EIE_FSAFE_JSON_MAX, &data, &len, err);
  return st ? st : parse_json(data, len, root, name, out, err);
}

eie_status_t eie_fsafe_read_json_in(const eie_fsafe_dir_t *d, const char *name, json_t **out,
                                    eie_err_t *err) {
  *out = NULL;
  char *data;
  size_t len;
  eie_status_t st = eie_fsafe_read_all_in(d, name, EIE_FSAFE_JSON_MAX, &data, &len, err);
  return st ? st : parse_json(data, len, d->root, name, out, err);
}

/* ---- Outputs and inputs ------------------------------------------------------- */

void eie_fsafe_add_input(eie_fsafe_inputs_t *in, const char *path, int is_dir) {
  if (!in || !path || in->n == EIE_FSAFE_MAX_INPUTS) return;
  in->path[in->n] = path;
  in->is_dir[in->n] = is_dir;
  in->n++;
}

/* Canonical absolute form of a path that may not exist yet (its folder must). */
static int canon(const char *path, char out[PATH_MAX]) {
  if (realpath(path, out)) return 0;
  char dir[PATH_MAX];
  if (strlen(path) >= sizeof dir) return -1;
  snprintf(dir, sizeof dir, "%s", path);
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') dir[--n] = 0;
  char *slash = strrchr(dir, '/');
  const char *base = slash ? slash + 1 : dir;
  char parent[PATH_MAX];
  if (!slash)
    snprintf(parent, sizeof parent, ".");
  else if (slash == dir)
    snprintf(parent, sizeof parent, "/");
  else
    snprintf(parent, sizeof parent, "%.*s", (int)(slash - dir), dir);
  char rp[PATH_MAX];
  if (!realpath(parent, rp) || strlen(rp) + strlen(base) + 2 > PATH_MAX) return -1;
  snprintf(out, PATH_MAX, "%s%s%s", rp, strcmp(rp, "/") ? "/" : "", base);
  return 0;
}

eie_status_t eie_fsafe_check_output(const eie_fsafe_inputs_t *in, const char *out, int out_is_dir,
                                    eie_err_t *err) {
  char o[PATH_MAX];
  if (!in || canon(out, o)) return EIE_OK; /* creating it will fail with its own message */
  struct stat so;
  const int out_exists = stat(o, &so) == 0;
  for (unsigned i = 0; i < in->n; i++) {
    char p[PATH_MAX];
    struct stat sp;
    if (!realpath(in->path[i], p)) continue;
    if (!strcmp(o, p) ||
        (out_exists && !stat(p, &sp) && sp.st_dev == so.st_dev && sp.st_ino == so.st_ino))
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: is %s, which this command reads", out,
                      in->path[i]);
    if (in->is_dir[i] && inside(p, o))
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: is inside %s, which this command reads", out,
                      in->path[i]);
    if (out_is_dir && inside(o, p))
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: holds %s, which this command reads", out,
                      in->path[i]);
  }
  return EIE_OK;
}

eie_status_t eie_fsafe_out_open(eie_fsafe_out_t *o, const char *path, const eie_fsafe_inputs_t *in,
                                eie_err_t *err) {
  memset(o, 0, sizeof *o);
  size_t n = path ? strlen(path) : 0;
  if (!n) return eie_fail(err, EIE_STATUS_BAD_INPUT, "an output file name is empty");
  if (n > 3000) return eie_fail(err, EIE_STATUS_BAD_INPUT, "%.200s...: file name too long", path);
  snprintf(o->path, sizeof o->path, "%s", path);
  snprintf(o->real, sizeof o->real, "%s", path);
  if (path[n - 1] == '/')
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: is a directory name, not a file", path);
  struct stat st;
  int exists = lstat(path, &st) == 0;
  if (exists && S_ISLNK(st.st_mode)) {
    /* Write where the link points (as cp does); a dangling link is refused. */
    if (!realpath(path, o->real))
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: a symbolic link to nothing: %s", path,
                      strerror(errno));
    exists = stat(o->real, &st) == 0;
  }
  if (exists && S_ISDIR(st.st_mode))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: is a directory, not a file", path);
  if (exists && !S_ISREG(st.st_mode))
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: exists and is %s; eie writes only regular files (it replaces them whole)",
                    path, kind(st.st_mode));
  eie_status_t s = eie_fsafe_check_output(in, o->real, 0, err);
  if (s) return s;
  const char *slash = strrchr(o->real, '/');
  if (slash)
    snprintf(o->tmp, sizeof o->tmp, "%.*s/.%s.tmp.XXXXXX", (int)(slash - o->real), o->real,
             slash + 1);
  else
    snprintf(o->tmp, sizeof o->tmp, ".%s.tmp.XXXXXX", o->real);
  int fd = mkstemp(o->tmp);
  if (fd < 0) {
    int e = errno;
    o->tmp[0] = 0;
    return eie_fail(err, EIE_STATUS_IO, "%s: cannot create: %s", path, strerror(e));
  }
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd,
             exists ? (st.st_mode & 07777) : (0666 & ~mask))) { /* best effort: mkstemp gave 0600 */
  }
  if (!(o->f = fdopen(fd, "w"))) {
    int e = errno;
    close(fd);
    unlink(o->tmp);
    o->tmp[0] = 0;
    return eie_fail(err, EIE_STATUS_IO, "%s: cannot create: %s", path, strerror(e));
  }
  return EIE_OK;
}

eie_status_t eie_fsafe_out_release(eie_fsafe_out_t *o, eie_err_t *err) {
  if (!o->f) return EIE_OK;
  int bad = fflush(o->f) != 0 || ferror(o->f);
  int e = errno;
  if (fclose(o->f)) {
    bad = 1;
    e = errno;
  }
  o->f = NULL;
  if (!bad) return EIE_OK;
  eie_fsafe_out_abort(o);
  return eie_fail(err, EIE_STATUS_IO, "%s: write failed: %s", o->path, strerror(e));
}

eie_status_t eie_fsafe_out_commit(eie_fsafe_out_t *o, eie_err_t *err) {
  eie_status_t st = eie_fsafe_out_release(o, err);
  if (st) return st;
  if (!o->tmp[0]) return eie_fail(err, EIE_STATUS_IO, "%s: nothing was written", o->path);
  if (rename(o->tmp, o->real)) {
    int e = errno;
    eie_fsafe_out_abort(o);
    return eie_fail(err, EIE_STATUS_IO, "%s: cannot replace: %s", o->path, strerror(e));
  }
  o->tmp[0] = 0;
  return EIE_OK;
}

void eie_fsafe_out_abort(eie_fsafe_out_t *o) {
  if (o->f) fclose(o->f);
  o->f = NULL;
  if (o->tmp[0]) unlink(o->tmp);
  o->tmp[0] = 0;
}

/* ---- Directories ------------------------------------------------------------ */

static char rm_failed[PATH_MAX];
static int rm_errno;

static void rm_note(const char *path, int e) {
  if (rm_errno) return;
  rm_errno = e ? e : EIO;
  snprintf(rm_failed, sizeof rm_failed, "%s", path);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)ftw;
  if (flag == FTW_NS) {
    rm_note(path, errno);
    return 0;
  }
  if (flag == FTW_DNR) rm_note(path, EACCES);
  int rc = (flag == FTW_DP || flag == FTW_DNR) ? rmdir(path) : unlink(path);
  if (rc) rm_note(path, errno);
  return 0;
}

eie_status_t eie_fsafe_remove_tree(const char *path, eie_err_t *err) {
  rm_errno = 0;
  rm_failed[0] = 0;
  if (nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) && !rm_errno) rm_note(path, errno);
  if (!rm_errno) return EIE_OK;
  return eie_fail(err, EIE_STATUS_IO, "%s: %s", rm_failed, strerror(rm_errno));
}

eie_status_t eie_fsafe_replace_dir(const char *tmp, const char *dir, int exists, eie_err_t *err) {
  int e;
  if (!exists) {
    if (!rename(tmp, dir)) return EIE_OK;
    e = errno;
    eie_fsafe_remove_tree(tmp, NULL);
    return eie_fail(err, EIE_STATUS_IO, "%s: cannot create: %s", dir, strerror(e));
  }
  char old[PATH_MAX];
  snprintf(old, sizeof old, "%s", tmp);
#ifdef RENAME_EXCHANGE
  if (!renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE))
    goto remove_old; /* old now in tmp */
  e = errno;
  if (e != EINVAL && e != ENOSYS && e != ENOTSUP) {
    eie_fsafe_remove_tree(tmp, NULL);
    return eie_fail(err, EIE_STATUS_IO, "%s: cannot replace: %s", dir, strerror(e));
  }
#endif
  /* Two steps: the old directory aside (onto an empty one of ours), the new one in. */
  if (strlen(dir) + 16 > sizeof old) return eie_fail(err, EIE_STATUS_IO, "%s: name too long", dir);
  snprintf(old, sizeof old, "%s.old.XXXXXX", dir);
  if (!mkdtemp(old) || rename(dir, old)) {
    e = errno;
    if (old[strlen(old) - 1] != 'X') rmdir(old);
    eie_fsafe_remove_tree(tmp, NULL);
    return eie_fail(err, EIE_STATUS_IO, "%s: cannot replace: %s", dir, strerror(e));
  }
  if (rename(tmp, dir)) {
    e = errno;
    if (rename(old, dir))
      return eie_fail(err, EIE_STATUS_IO, "%s: cannot replace: %s; the old directory is now %s",
                      dir, strerror(e), old);
    eie_fsafe_remove_tree(tmp, NULL);
    return eie_fail(err, EIE_STATUS_IO, "%s: cannot replace: %s", dir, strerror(e));
  }
#ifdef RENAME_EXCHANGE
remove_old :
#endif
{
  eie_err_t e2;
  if (eie_fsafe_remove_tree(old, &e2))
    return eie_fail(err, EIE_STATUS_IO,
                    "%s: the new pack is in place, but the old one was not fully removed (%.300s); "
                    "what is left of it is in %s",
                    dir, e2.msg, old);
}
  return EIE_OK;
}

eie_status_t eie_fsafe_close_stdout(eie_err_t *err) {
  int bad = fflush(stdout) != 0 || ferror(stdout);
  int e = errno;
  if (fclose(stdout)) {
    if (!(errno == EBADF && !bad)) { /* a closed stdout that nothing was written to is fine */
      if (!bad) e = errno;
      bad = 1;
    }
  }
  if (!bad) return EIE_OK;
  return eie_fail(err, EIE_STATUS_IO, "stdout: write failed: %s", strerror(e));
}
