/* Reading and writing NumPy .npy files.
 *
 * Layout of a .npy file: the magic "\x93NUMPY", one byte each of major and
 * minor version, the header length (2 bytes little-endian for version 1.0,
 * 4 bytes for 2.0 and 3.0), the header itself (a Python dict literal padded
 * with spaces and a newline) and then the raw array data.
 *
 * The header is parsed by a small hand-written recursive-descent parser that
 * understands exactly the subset of Python literal syntax that appears in
 * .npy headers: a dict with the keys 'descr', 'fortran_order' and 'shape'. */
#define _POSIX_C_SOURCE 200809L /* getpid() */

#include "eie/eie_npy.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAGIC_LEN 6
#define NPY_ALIGN 64
/* NumPy leaves room for the first axis to grow to this many digits. */
#define NPY_GROWTH_DIGITS 21
/* Largest header accepted from a version 2.0/3.0 file. */
#define NPY_MAX_HEADER ((uint64_t)1 << 20)
/* Largest element count (and largest single dimension) accepted. */
#define NPY_MAX_COUNT ((uint64_t)1 << 31)

static const char *path_or_null(const char *path) {
  return path ? path : "(null)";
}

static int dtype_valid(eie_npy_dtype_t t) {
  switch (t) {
    case EIE_NPY_F32:
    case EIE_NPY_F64:
    case EIE_NPY_I16:
    case EIE_NPY_U16:
    case EIE_NPY_I32:
    case EIE_NPY_U8:
    case EIE_NPY_I64:
      return 1;
  }
  return 0;
}

size_t eie_npy_dtype_size(eie_npy_dtype_t t) {
  switch (t) {
    case EIE_NPY_F32:
      return 4;
    case EIE_NPY_F64:
      return 8;
    case EIE_NPY_I16:
      return 2;
    case EIE_NPY_U16:
      return 2;
    case EIE_NPY_I32:
      return 4;
    case EIE_NPY_U8:
      return 1;
    case EIE_NPY_I64:
      return 8;
  }
  return 0;
}

const char *eie_npy_dtype_descr(eie_npy_dtype_t t) {
  switch (t) {
    case EIE_NPY_F32:
      return "<f4";
    case EIE_NPY_F64:
      return "<f8";
    case EIE_NPY_I16:
      return "<i2";
    case EIE_NPY_U16:
      return "<u2";
    case EIE_NPY_I32:
      return "<i4";
    case EIE_NPY_U8:
      return "|u1";
    case EIE_NPY_I64:
      return "<i8";
  }
  return NULL;
}

/* ---- Byte order --------------------------------------------------------- */

static int host_is_little_endian(void) {
  const uint16_t one = 1;
  unsigned char first;
  memcpy(&first, &one, 1);
  return first == 1;
}

/* Reverse the bytes of each of `count` elements of `size` bytes, in place. */
static void swap_elements(unsigned char *p, uint64_t count, size_t size) {
  if (size < 2) return;
  for (uint64_t i = 0; i < count; i++, p += size) {
    for (size_t a = 0, b = size - 1; a < b; a++, b--) {
      unsigned char t = p[a];
      p[a] = p[b];
      p[b] = t;
    }
  }
}

/* ---- Header parser ------------------------------------------------------ */

typedef struct {
  const char *s; /* header text (not NUL-terminated) */
  size_t n;
  size_t pos;
  const char *path;
  eie_err_t *err;
} hdr_parser_t;

typedef struct {
  const char *descr; /* points into the header text */
  size_t descr_len;
  int descr_is_string;
  int fortran_order;
  unsigned ndim; /* number of dimensions seen, may exceed EIE_NPY_MAX_DIMS */
  uint64_t shape[EIE_NPY_MAX_DIMS];
  int dim_too_large;   /* some dimension exceeded NPY_MAX_COUNT */
  const char *big_dim; /* text of the first too-large dimension */
  size_t big_dim_len;
} hdr_info_t;

static int is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int is_printable(char c) {
  return c >= 0x20 && c <= 0x7e;
}

static int all_printable(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!is_printable(s[i])) return 0;
  return 1;
}

static void skip_ws(hdr_parser_t *p) {
  while (p->pos < p->n && is_ws(p->s[p->pos])) p->pos++;
}

/* Report a syntax error at the current position, describing what was found. */
static eie_status_t syntax_error(hdr_parser_t *p, const char *expected) {
  if (p->pos >= p->n)
    return eie_fail(p->err, EIE_STATUS_BAD_INPUT,
                    "%s: malformed header: expected %s, found end of header", p->path, expected);
  char c = p->s[p->pos];
  if (is_printable(c))
    return eie_fail(p->err, EIE_STATUS_BAD_INPUT,
                    "%s: malformed header: expected %s, found '%c' at offset %zu", p->path,
                    expected, c, p->pos);
  return eie_fail(p->err, EIE_STATUS_BAD_INPUT,
                  "%s: malformed header: expected %s, found byte 0x%02x at offset %zu", p->path,
                  expected, (unsigned)(unsigned char)c, p->pos);
}

static int peek(const hdr_parser_t *p, char c) {
  return p->pos < p->n && p->s[p->pos] == c;
}

/* A quoted string without escapes: 'abc' or "abc", optionally u-prefixed. */
static eie_status_t parse_string(hdr_parser_t *p, const char **start, size_t *len,
                                 const char *what) {
  if (p->pos + 1 < p->n && (p->s[p->pos] == 'u' || p->s[p->pos] == 'U') &&
      (p->s[p->pos + 1] == '\'' || p->s[p->pos + 1] == '"'))
    p->pos++;
  if (!peek(p, '\'') && !peek(p, '"')) return syntax_error(p, what);
  char quote = p->s[p->pos++];
  size_t begin = p->pos;
  while (p->pos < p->n && p->s[p->pos] != quote) {
    char c = p->s[p->pos];
    if (c == '\\')
      return eie_fail(p->err, EIE_STATUS_BAD_INPUT,
                      "%s: malformed header: escape sequences in strings are not supported "
                      "(offset %zu)",
                      p->path, p->pos);
    if (!is_printable(c)) return syntax_error(p, "a closing quote");
    p->pos++;
  }
  if (p->pos >= p->n) return syntax_error(p, "a closing quote");
  *start = p->s + begin;
  *len = p->pos - begin;
  p->pos++; /* closing quote */
  return EIE_OK;
}

static int match_word(hdr_parser_t *p, const char *word) {
  size_t len = strlen(word);
  if (p->n - p->pos < len || memcmp(p->s + p->pos, word, len) != 0) return 0;
  if (p->pos + len < p->n && is_ident_char(p->s[p->pos + len])) return 0;
  p->pos += len;
  return 1;
}

static eie_status_t parse_bool(hdr_parser_t *p, int *value) {
  if (match_word(p, "True")) {
    *value = 1;
    return EIE_OK;
  }
  if (match_word(p, "False")) {
    *value = 0;
    return EIE_OK;
  }
  return syntax_error(p, "True or False for 'fortran_order'");
}

/* A non-negative decimal integer, optionally with a Python 2 'L' suffix. */
static eie_status_t parse_dim(hdr_parser_t *p, hdr_info_t *h, uint64_t *value) {
  if (peek(p, '-'))
    return eie_fail(p->err, EIE_STATUS_BAD_INPUT, "%s: negative dimension in shape (offset %zu)",
                    p->path, p->pos);
  if (p->pos >= p->n || p->s[p->pos] < '0' || p->s[p->pos] > '9')
    return syntax_error(p, "an integer dimension");
  size_t begin = p->pos;
  uint64_t v = 0;
  int big = 0;
  while (p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
    if (!big) {
      v = v * 10 + (uint64_t)(p->s[p->pos] - '0');
      if (v > NPY_MAX_COUNT) big = 1;
    }
    p->pos++;
  }
  if (big && !h->dim_too_large) {
    h->dim_too_large = 1;
    h->big_dim = p->s + begin;
    h->big_dim_len = p->pos - begin;
  }
  if (peek(p, 'L') || peek(p, 'l')) p->pos++;
  if (p->pos < p->n && is_ident_char(p->s[p->pos]))
    return syntax_error(p, "',' or ')' after a dimension");
  *value = big ? 0 : v;
  return EIE_OK;
}

/* A tuple of integers: (), (5,), (3, 4), (3, 4,). */
static eie_status_t parse_shape(hdr_parser_t *p, hdr_info_t *h) {
  if (peek(p, '['))
    return eie_fail(p->err, EIE_STATUS_BAD_INPUT,
                    "%s: malformed header: 'shape' must be a tuple, not a list", p->path);
  if (!peek(p, '(')) return syntax_error(p, "'(' starting the shape tuple");
  p->pos++;
  skip_ws(p);
  h->ndim = 0;
  if (peek(p, ')')) {
    p->pos++;
    return EIE_OK;
  }
  for (;;) {
    uint64_t v = 0;
    eie_status_t st = parse_dim(p, h, &v);
    if (st != EIE_OK) return st;
    if (h->ndim < EIE_NPY_MAX_DIMS) h->shape[h->ndim] = v;
    if (h->ndim < UINT32_MAX) h->ndim++;
    skip_ws(p);
    if (peek(p, ',')) {
      p->pos++;
      skip_ws(p);
      if (peek(p, ')')) {
        p->pos++;
        return EIE_OK;
      }
      continue;
    }
    if (peek(p, ')')) {
      if (h->ndim == 1)
        return eie_fail(p->err, EIE_STATUS_BAD_INPUT,
                        "%s: malformed header: one-element shape tuple needs a trailing "
                        "comma, e.g. (5,)",
                        p->path);
      p->pos++;
      return EIE_OK;
    }
    return syntax_error(p, "',' or ')' in the shape tuple");
  }
}

static eie_status_t parse_header(hdr_parser_t *p, hdr_info_t *h) {
  enum { KEY_DESCR = 1, KEY_FORTRAN = 2, KEY_SHAPE = 4 };
  unsigned seen = 0;
  eie_status_t st;

  memset(h, 0, sizeof *h);
  skip_ws(p);
  if (!peek(p, '{')) return syntax_error(p, "'{' starting the header dictionary");
  p->pos++;
  for (;;) {
    skip_ws(p);
    if (peek(p, '}')) break;
    const char *key;
    size_t key_len;
    size_t key_pos = p->pos;
    st = parse_string(p, &key, &key_len, "a quoted key or '}'");
    if (st != EIE_OK) return st;
    unsigned which;
    if (key_len == 5 && memcmp(key, "descr", 5) == 0)
      which = KEY_DESCR;
    else if (key_len == 13 && memcmp(key, "fortran_order", 13) == 0)
      which = KEY_FORTRAN;
    else if (key_len == 5 && memcmp(key, "shape", 5) == 0)
      which = KEY_SHAPE;
    else
      return eie_fail(p->err, EIE_STATUS_BAD_INPUT,
                      "%s: malformed header: unexpected key '%.*s' at offset %zu", p->path,
                      key_len > 40 ? 40 : (int)key_len, key, key_pos);
    if (seen & which)
      return eie_fail(p->err, EIE_STATUS_BAD_INPUT, "%s: malformed header: duplicate key '%.*s'",
                      p->path, (int)key_len, key);
    seen |= which;
    skip_ws(p);
    if (!peek(p, ':')) return syntax_error(p, "':' after a key");
    p->pos++;
    skip_ws(p);
    if (which == KEY_DESCR) {
      if (peek(p, '[') || peek(p, '{') || peek(p, '('))
        return eie_fail(p->err, EIE_STATUS_BAD_INPUT,
                        "%s: unsupported dtype (structured arrays are not supported)", p->path);
      st = parse_string(p, &h->descr, &h->descr_len, "a quoted dtype string for 'descr'");
      h->descr_is_string = 1;
    } else if (which == KEY_FORTRAN) {
      st = parse_bool(p, &h->fortran_order);
    } else {
      st = parse_shape(p, h);
    }
    if (st != EIE_OK) return st;
    skip_ws(p);
    if (peek(p, ',')) {
      p->pos++;
      continue;
    }
    if (peek(p, '}')) break;
    return syntax_error(p, "',' or '}' after a value");
  }
  p->pos++; /* '}' */
  skip_ws(p);
  if (p->pos < p->n) return syntax_error(p, "only padding after the header dictionary");
  if (!(seen & KEY_DESCR))
    return eie_fail(p->err, EIE_STATUS_BAD_INPUT, "%s: malformed header: missing key 'descr'",
                    p->path);
  if (!(seen & KEY_FORTRAN))
    return eie_fail(p->err, EIE_STATUS_BAD_INPUT,
                    "%s: malformed header: missing key 'fortran_order'", p->path);
  if (!(seen & KEY_SHAPE))
    return eie_fail(p->err, EIE_STATUS_BAD_INPUT, "%s: malformed header: missing key 'shape'",
                    p->path);
  return EIE_OK;
}

/* Map a descr string onto a dtype. Byte order '<' is accepted for every type,
 * and so are '=' (native: the data are then taken as little-endian, which is
 * what every supported host is) and '|', which NumPy itself also accepts for
 * multi-byte types. '>' is refused, even for the one-byte type. */
static eie_status_t descr_to_dtype(const char *path, const char *d, size_t len,
                                   eie_npy_dtype_t *out, eie_err_t *err) {
  static const struct {
    const char *code;
    eie_npy_dtype_t dtype;
  } table[] = {
      {"f4", EIE_NPY_F32}, {"f8", EIE_NPY_F64}, {"i2", EIE_NPY_I16}, {"u2", EIE_NPY_U16},
      {"i4", EIE_NPY_I32}, {"u1", EIE_NPY_U8},  {"i8", EIE_NPY_I64},
  };
  if (len > 40 || !all_printable(d, len))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: unsupported dtype (unreadable descr)", path);
  if (len == 3) {
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
      if (memcmp(d + 1, table[i].code, 2) != 0) continue;
      if (d[0] == '<' || d[0] == '=' || d[0] == '|') {
        *out = table[i].dtype;
        return EIE_OK;
      }
      break;
    }
  }
  if (len > 0 && d[0] == '>')
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: unsupported dtype '%.*s' (big-endian)", path,
                    (int)len, d);
  return eie_fail(err, EIE_STATUS_BAD_INPUT,
                  "%s: unsupported dtype '%.*s' (supported: <f4 <f8 <i2 <u2 <i4 <i8 |u1)", path,
                  (int)len, d);
}

/* ---- Reader ------------------------------------------------------------- */

static uint32_t load_le(const unsigned char *b, size_t n) {
  uint32_t v = 0;
  for (size_t i = n; i-- > 0;) v = (v << 8) | b[i];
  return v;
}

/* Parse the header of an open file positioned at the start; on success the
 * file is positioned at the start of the data and *data_offset is set. */
static eie_status_t read_header(FILE *f, const char *path, eie_npy_t *a, int *fortran,
                                uint64_t *data_offset, eie_err_t *err) {
  unsigned char pre[12];
  size_t got = fread(pre, 1, NPY_MAGIC_LEN, f);
  if (ferror(f)) return eie_fail(err, EIE_STATUS_IO, "%s: read error: %s", path, strerror(errno));
  if (got < NPY_MAGIC_LEN && got > 0 && memcmp(pre, NPY_MAGIC, got) == 0)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: truncated header: file ends after %zu bytes",
                    path, got);
  if (got < NPY_MAGIC_LEN || memcmp(pre, NPY_MAGIC, NPY_MAGIC_LEN) != 0)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: not a .npy file (bad magic)", path);

  got = fread(pre + NPY_MAGIC_LEN, 1, 2, f);
  if (got < 2)
    return eie_fail(err, ferror(f) ? EIE_STATUS_IO : EIE_STATUS_BAD_INPUT,
                    "%s: truncated header: file ends inside the version", path);
  unsigned major = pre[6], minor = pre[7];
  size_t len_bytes;
  if (major == 1 && minor == 0)
    len_bytes = 2;
  else if ((major == 2 || major == 3) && minor == 0)
    len_bytes = 4;
  else
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: unsupported .npy format version %u.%u (supported: 1.0, 2.0, 3.0)", path,
                    major, minor);

  got = fread(pre + 8, 1, len_bytes, f);
  if (got < len_bytes)
    return eie_fail(err, ferror(f) ? EIE_STATUS_IO : EIE_STATUS_BAD_INPUT,
                    "%s: truncated header: file ends inside the header length", path);
  uint64_t hlen = load_le(pre + 8, len_bytes);
  if (hlen > NPY_MAX_HEADER)
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: header length %" PRIu64 " exceeds the limit of %" PRIu64 " bytes", path,
                    hlen, NPY_MAX_HEADER);

  char *text = malloc(hlen ? (size_t)hlen : 1);
  if (!text)
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "%s: out of memory reading the header", path);
  got = fread(text, 1, (size_t)hlen, f);
  if (got < hlen) {
    int io = ferror(f);
    int e = errno;
    free(text);
    if (io) return eie_fail(err, EIE_STATUS_IO, "%s: read error: %s", path, strerror(e));
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: truncated header: expected %" PRIu64 " header bytes, found %zu", path,
                    hlen, got);
  }

  hdr_parser_t p = {text, (size_t)hlen, 0, path, err};
  hdr_info_t h;
  eie_status_t st = parse_header(&p, &h);
  if (st == EIE_OK) st = descr_to_dtype(path, h.descr, h.descr_len, &a->dtype, err);
  free(text); /* h.descr and h.big_dim point into text: not used below */
  h.descr = NULL;
  if (st != EIE_OK) return st;

  if (h.ndim > EIE_NPY_MAX_DIMS)
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: %u-dimensional array, at most %d dimensions are supported", path, h.ndim,
                    EIE_NPY_MAX_DIMS);
  if (h.dim_too_large)
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: absurd shape: a dimension exceeds 2^31 elements", path);
  uint64_t count = 1;
  for (unsigned i = 0; i < h.ndim; i++) {
    count *= h.shape[i]; /* both factors <= 2^31: no overflow */
    if (count > NPY_MAX_COUNT)
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: absurd shape: more than 2^31 elements", path);
  }
  a->ndim = h.ndim;
  memcpy(a->shape, h.shape, sizeof a->shape);
  a->count = count;
  *fortran = h.fortran_order;
  *data_offset = 8 + len_bytes + hlen;
  return EIE_OK;
}

/* A Fortran-ordered array (first index fastest) rearranged in C order (last
 * index fastest). */
static eie_status_t to_c_order(eie_npy_t *a, size_t esize, const char *path, eie_err_t *err) {
  unsigned char *c = malloc(a->count ? (size_t)(a->count * esize) : 1);
  if (!c)
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "%s: out of memory reordering the array", path);
  uint64_t stride[EIE_NPY_MAX_DIMS]; /* C-order stride of each dimension */
  for (unsigned d = a->ndim; d-- > 0;)
    stride[d] = d + 1 < a->ndim ? stride[d + 1] * a->shape[d + 1] : 1;
  const unsigned char *f = a->data;
  for (uint64_t q = 0; q < a->count; q++) { /* q: the Fortran-order index */
    uint64_t rest = q, at = 0;
    for (unsigned d = 0; d < a->ndim; d++) {
      at += rest % a->shape[d] * stride[d];
      rest /= a->shape[d];
    }
    memcpy(c + at * esize, f + q * esize, esize);
  }
  free(a->data);
  a->data = c;
  return EIE_OK;
}

eie_status_t eie_npy_read(const char *path, eie_npy_t *out, eie_err_t *err) {
  const char *name = path_or_null(path);
  if (out) memset(out, 0, sizeof *out);
  if (!path || !out)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: invalid arguments to eie_npy_read", name);

  FILE *f = fopen(path, "rb");
  if (!f) return eie_fail(err, EIE_STATUS_IO, "%s: cannot open: %s", path, strerror(errno));
  eie_status_t st = eie_npy_fread(f, path, out, err);
  fclose(f); /* read-only: nothing to lose on a close error */
  return st;
}

eie_status_t eie_npy_fread(FILE *f, const char *path, eie_npy_t *out, eie_err_t *err) {
  if (out) memset(out, 0, sizeof *out);
  if (!f || !path || !out)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: invalid arguments to eie_npy_fread",
                    path_or_null(path));

  eie_npy_t a;
  memset(&a, 0, sizeof a);
  uint64_t offset = 0;
  int fortran = 0;
  eie_status_t st = read_header(f, path, &a, &fortran, &offset, err);
  if (st != EIE_OK) return st;

  size_t esize = eie_npy_dtype_size(a.dtype);
  uint64_t nbytes = a.count * esize; /* <= 2^34 */
  if (nbytes > SIZE_MAX) {
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: array of %" PRIu64 " bytes is too large for this host", path, nbytes);
  }

  /* When the file is seekable, check its size before allocating anything. */
  int known_size = 0;
  uint64_t avail = 0;
  if (fseek(f, 0, SEEK_END) == 0) {
    long end = ftell(f);
    if (end >= 0 && (uint64_t)end >= offset && fseek(f, (long)offset, SEEK_SET) == 0) {
      known_size = 1;
      avail = (uint64_t)end - offset;
    }
  }
  if (!known_size) {
    /* Not seekable (a pipe, say): we are still right after the header. */
    clearerr(f);
  } else if (avail < nbytes) {
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: truncated data: expected %" PRIu64 " bytes, found %" PRIu64, path, nbytes,
                    avail);
  } else if (avail > nbytes) {
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: %" PRIu64 " unexpected bytes after the data (expected %" PRIu64
                    " data bytes, found %" PRIu64 ")",
                    path, avail - nbytes, nbytes, avail);
  }

  a.data = malloc(nbytes ? (size_t)nbytes : 1);
  if (!a.data) {
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "%s: out of memory allocating %" PRIu64 " bytes",
                    path, nbytes);
  }
  size_t got = fread(a.data, 1, (size_t)nbytes, f);
  if (got < nbytes) {
    int io = ferror(f);
    int e = errno;
    free(a.data);
    if (io) return eie_fail(err, EIE_STATUS_IO, "%s: read error: %s", path, strerror(e));
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: truncated data: expected %" PRIu64 " bytes, found %zu", path, nbytes, got);
  }
  if (!known_size && fgetc(f) != EOF) {
    free(a.data);
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: unexpected bytes after the data", path);
  }

  if (!host_is_little_endian()) swap_elements(a.data, a.count, esize);
  if (fortran && a.ndim > 1 && (st = to_c_order(&a, esize, path, err))) {
    free(a.data);
    return st;
  }
  *out = a;
  return EIE_OK;
}

eie_status_t eie_npy_parse(void *buf, size_t len, const char *path, eie_npy_t *out,
                           eie_err_t *err) {
  if (out) memset(out, 0, sizeof *out);
  if ((!buf && len) || !path || !out)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: invalid arguments to eie_npy_parse",
                    path_or_null(path));
  if (len < NPY_MAGIC_LEN)
    return len && memcmp(buf, NPY_MAGIC, len) == 0
               ? eie_fail(err, EIE_STATUS_BAD_INPUT,
                          "%s: truncated header: file ends after %zu bytes", path, len)
               : eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: not a .npy file (bad magic)", path);
  /* The header through the stream reader; the data stay where they are. */
  FILE *f = fmemopen(buf, len, "rb");
  if (!f) return eie_fail(err, EIE_STATUS_NO_MEMORY, "%s: out of memory", path);
  eie_npy_t a;
  memset(&a, 0, sizeof a);
  uint64_t offset = 0;
  int fortran = 0;
  eie_status_t st = read_header(f, path, &a, &fortran, &offset, err);
  fclose(f);
  if (st) return st;
  if (fortran && a.ndim > 1)
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: a Fortran-ordered array (read it with eie_npy_read)", path);
  const size_t esize = eie_npy_dtype_size(a.dtype);
  const uint64_t nbytes = a.count * esize, avail = len - offset;
  if (avail < nbytes)
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: truncated data: expected %" PRIu64 " bytes, found %" PRIu64, path, nbytes,
                    avail);
  if (avail > nbytes)
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: %" PRIu64 " unexpected bytes after the data (expected %" PRIu64
                    " data bytes, found %" PRIu64 ")",
                    path, avail - nbytes, nbytes, avail);
  a.data = (unsigned char *)buf + offset;
  if (!host_is_little_endian()) swap_elements(a.data, a.count, esize);
  *out = a;
  return EIE_OK;
}

/* ---- Writer ------------------------------------------------------------- */

/* Format the padded header (without the magic/version/length prefix) into
 * buf; returns its length, or 0 if buf is too small. */
static size_t format_header(char *buf, size_t cap, eie_npy_dtype_t dtype, unsigned ndim,
                            const uint64_t *shape, size_t *prefix_len) {
  char dict[256];
  int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (",
                   eie_npy_dtype_descr(dtype));
  size_t len = (size_t)n;
  int first_digits = 0;
  for (unsigned i = 0; i < ndim; i++) {
    n = snprintf(dict + len, sizeof dict - len, "%s%" PRIu64, i ? ", " : "", shape[i]);
    if (i == 0) first_digits = n;
    len += (size_t)n;
  }
  n = snprintf(dict + len, sizeof dict - len, "%s), }", ndim == 1 ? "," : "");
  len += (size_t)n;
  /* Spare room for the first axis to grow, as NumPy leaves. */
  size_t spare = ndim > 0 ? (size_t)(NPY_GROWTH_DIGITS - first_digits) : 0;

  size_t body = len + spare + 1; /* + final newline */
  size_t pre = NPY_MAGIC_LEN + 2 + 2;
  size_t pad = NPY_ALIGN - (pre + body) % NPY_ALIGN;
  if (body + pad > 65535) {
    pre = NPY_MAGIC_LEN + 2 + 4;
    pad = NPY_ALIGN - (pre + body) % NPY_ALIGN;
  }
  size_t total = len + spare + pad + 1;
  if (total > cap) return 0;
  memcpy(buf, dict, len);
  memset(buf + len, ' ', spare + pad);
  buf[total - 1] = '\n';
  *prefix_len = pre;
  return total;
}

static int write_all(FILE *f, const void *p, size_t n) {
  return n == 0 || fwrite(p, 1, n, f) == n;
}

/* Write the data little-endian, swapping through a bounce buffer if needed. */
static int write_data(FILE *f, const void *data, uint64_t count, size_t esize) {
  if (host_is_little_endian() || esize == 1) return write_all(f, data, (size_t)(count * esize));
  unsigned char chunk[4096];
  const unsigned char *src = data;
  uint64_t per = sizeof chunk / esize;
  while (count > 0) {
    uint64_t k = count < per ? count : per;
    memcpy(chunk, src, (size_t)(k * esize));
    swap_elements(chunk, k, esize);
    if (!write_all(f, chunk, (size_t)(k * esize))) return 0;
    src += k * esize;
    count -= k;
  }
  return 1;
}

eie_status_t eie_npy_encode(eie_npy_dtype_t dtype, unsigned ndim, const uint64_t *shape,
                            const void *data, void **out, size_t *out_len, eie_err_t *err) {
  *out = NULL;
  *out_len = 0;
  if (!dtype_valid(dtype))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "npy: invalid dtype %d", (int)dtype);
  if (ndim > EIE_NPY_MAX_DIMS)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "npy: %u dimensions, at most %d are supported", ndim,
                    EIE_NPY_MAX_DIMS);
  if (ndim > 0 && !shape) return eie_fail(err, EIE_STATUS_BAD_INPUT, "npy: shape is NULL");
  uint64_t count = 1;
  for (unsigned i = 0; i < ndim; i++) {
    if (shape[i] > NPY_MAX_COUNT)
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "npy: dimension %u (%" PRIu64 ") exceeds 2^31", i,
                      shape[i]);
    count *= shape[i];
    if (count > NPY_MAX_COUNT)
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "npy: more than 2^31 elements");
  }
  const size_t esize = eie_npy_dtype_size(dtype);
  if (count > 0 && !data) return eie_fail(err, EIE_STATUS_BAD_INPUT, "npy: data is NULL");
  char header[512];
  size_t prefix_len = 0;
  const size_t hlen = format_header(header, sizeof header, dtype, ndim, shape, &prefix_len);
  if (hlen == 0) return eie_fail(err, EIE_STATUS_BAD_INPUT, "npy: cannot format the header");
  const size_t nbytes = (size_t)(count * esize), total = prefix_len + hlen + nbytes;
  unsigned char *b = malloc(total ? total : 1);
  if (!b) return eie_fail(err, EIE_STATUS_NO_MEMORY, "npy: out of memory for %zu bytes", total);
  memcpy(b, NPY_MAGIC, NPY_MAGIC_LEN);
  b[6] = prefix_len == 10 ? 1 : 2;
  b[7] = 0;
  for (size_t i = 0; i < prefix_len - 8; i++) b[8 + i] = (unsigned char)(hlen >> (8 * i));
  memcpy(b + prefix_len, header, hlen);
  if (nbytes) memcpy(b + prefix_len + hlen, data, nbytes);
  if (!host_is_little_endian() && esize > 1) swap_elements(b + prefix_len + hlen, count, esize);
  *out = b;
  *out_len = total;
  return EIE_OK;
}

eie_status_t eie_npy_write(const char *path, eie_npy_dtype_t dtype, unsigned ndim,
                           const uint64_t *shape, const void *data, eie_err_t *err) {
  const char *name = path_or_null(path);
  if (!path || !*path) return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: no path given", name);
  if (!dtype_valid(dtype))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: invalid dtype %d", path, (int)dtype);
  if (ndim > EIE_NPY_MAX_DIMS)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: %u dimensions, at most %d are supported", path,
                    ndim, EIE_NPY_MAX_DIMS);
  if (ndim > 0 && !shape) return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: shape is NULL", path);
  uint64_t count = 1;
  for (unsigned i = 0; i < ndim; i++) {
    if (shape[i] > NPY_MAX_COUNT)
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: dimension %u (%" PRIu64 ") exceeds 2^31",
                      path, i, shape[i]);
    count *= shape[i];
    if (count > NPY_MAX_COUNT)
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: more than 2^31 elements", path);
  }
  size_t esize = eie_npy_dtype_size(dtype);
  if (count * esize > SIZE_MAX)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: array too large for this host", path);
  if (count > 0 && !data) return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: data is NULL", path);

  char header[512];
  size_t prefix_len = 0;
  size_t hlen = format_header(header, sizeof header, dtype, ndim, shape, &prefix_len);
  if (hlen == 0) return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: cannot format the header", path);
  unsigned char prefix[12];
  memcpy(prefix, NPY_MAGIC, NPY_MAGIC_LEN);
  prefix[6] = prefix_len == 10 ? 1 : 2;
  prefix[7] = 0;
  for (size_t i = 0; i < prefix_len - 8; i++) prefix[8 + i] = (unsigned char)(hlen >> (8 * i));

  size_t tmp_cap = strlen(path) + 32;
  char *tmp = malloc(tmp_cap);
  if (!tmp) return eie_fail(err, EIE_STATUS_NO_MEMORY, "%s: out of memory", path);
  snprintf(tmp, tmp_cap, "%s.tmp.%ld", path, (long)getpid());

  FILE *f = fopen(tmp, "wb");
  if (!f) {
    int e = errno;
    eie_status_t st = eie_fail(err, EIE_STATUS_IO, "%s: cannot create temporary file %s: %s", path,
                               tmp, strerror(e));
    free(tmp);
    return st;
  }
  int ok = write_all(f, prefix, prefix_len) && write_all(f, header, hlen) &&
           write_data(f, data, count, esize);
  int e = errno;
  if (ok && fflush(f) != 0) {
    ok = 0;
    e = errno;
  }
  if (fclose(f) != 0 && ok) {
    ok = 0;
    e = errno;
  }
  if (!ok) {
    remove(tmp);
    free(tmp);
    return eie_fail(err, EIE_STATUS_IO, "%s: write failed: %s", path, strerror(e));
  }
  if (rename(tmp, path) != 0) {
    e = errno;
    remove(tmp);
    free(tmp);
    return eie_fail(err, EIE_STATUS_IO, "%s: cannot rename the temporary file into place: %s", path,
                    strerror(e));
  }
  free(tmp);
  return EIE_OK;
}

/* ---- Conversion and cleanup --------------------------------------------- */

double *eie_npy_to_double(const eie_npy_t *a) {
  if (!a || !dtype_valid(a->dtype) || (a->count > 0 && !a->data)) return NULL;
  if (a->count > SIZE_MAX / sizeof(double)) return NULL;
  double *out = malloc(a->count ? (size_t)a->count * sizeof(double) : 1);
  if (!out) return NULL;
  const unsigned char *src = a->data;
  size_t esize = eie_npy_dtype_size(a->dtype);
  /* memcpy each element: the data carry no alignment promise. */
  for (uint64_t i = 0; i < a->count; i++, src += esize) {
    switch (a->dtype) {
      case EIE_NPY_F32: {
        float v;
        memcpy(&v, src, sizeof v);
        out[i] = v;
        break;
      }
      case EIE_NPY_F64: {
        double v;
        memcpy(&v, src, sizeof v);
        out[i] = v;
        break;
      }
      case EIE_NPY_I16: {
        int16_t v;
        memcpy(&v, src, sizeof v);
        out[i] = v;
        break;
      }
      case EIE_NPY_U16: {
        uint16_t v;
        memcpy(&v, src, sizeof v);
        out[i] = v;
        break;
      }
      case EIE_NPY_I32: {
        int32_t v;
        memcpy(&v, src, sizeof v);
        out[i] = v;
        break;
      }
      case EIE_NPY_U8:
        out[i] = *src;
        break;
      case EIE_NPY_I64: {
        int64_t v;
        memcpy(&v, src, sizeof v);
        out[i] = (double)v; /* exact up to 2^53 */
        break;
      }
    }
  }
  return out;
}

void eie_npy_free(eie_npy_t *a) {
  if (!a) return;
  free(a->data);
  memset(a, 0, sizeof *a);
}
