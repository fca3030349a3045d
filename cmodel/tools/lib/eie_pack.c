/* Vector pack writer and reader (docs/formats.md). */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE /* DT_REG */
#include "eie_pack.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eie/eie_driver.h"
#include "eie/eie_npy.h"
#include "eie_fsafe.h"
#include "eie_hex.h"

json_t *eie_stats_json(const eie_stats_t *s, uint64_t bound) {
  json_t *o = json_object();
  json_object_set_new(o, "cycles", json_integer((json_int_t)s->cycles));
  json_object_set_new(o, "run_cycles", json_integer((json_int_t)s->run_cycles));
  json_object_set_new(o, "stall_cycles", json_integer((json_int_t)s->stall_cycles));
  json_object_set_new(o, "work_bound_cycles", json_integer((json_int_t)bound));
  json_object_set_new(o, "broadcasts", json_integer((json_int_t)s->broadcasts));
  json_object_set_new(o, "macs", json_integer((json_int_t)s->macs));
  json_object_set_new(o, "entries", json_integer((json_int_t)s->entries));
  json_object_set_new(o, "padding", json_integer((json_int_t)s->padding));
  json_object_set_new(o, "spmat_reads", json_integer((json_int_t)s->spmat_reads));
  json_object_set_new(o, "ptr_reads", json_integer((json_int_t)s->ptr_reads));
  json_object_set_new(o, "act_reads", json_integer((json_int_t)s->act_reads));
  json_object_set_new(o, "act_writes", json_integer((json_int_t)s->act_writes));
  json_object_set_new(o, "bypasses", json_integer((json_int_t)s->bypasses));
  json_object_set_new(o, "load_efficiency", json_real(eie_stats_load_efficiency(s)));
  json_object_set_new(o, "energy_pj", json_real(eie_stats_energy_pj(s)));
  json_object_set_new(o, "acc_saturations", json_integer((json_int_t)s->sat.acc_saturations));
  json_object_set_new(o, "out_saturations", json_integer((json_int_t)s->sat.out_saturations));
  json_t *ls = json_array();
  for (uint32_t l = 0; l < s->num_layers && l < EIE_MAX_LAYERS; l++) {
    json_t *e = json_object();
    json_object_set_new(e, "acc_saturations",
                        json_integer((json_int_t)s->layer_sat[l].acc_saturations));
    json_object_set_new(e, "out_saturations",
                        json_integer((json_int_t)s->layer_sat[l].out_saturations));
    json_array_append_new(ls, e);
  }
  json_object_set_new(o, "layer_saturations", ls);
  json_t *busy = json_array(), *idle = json_array(), *stalled = json_array();
  for (uint32_t k = 0; k < s->num_pe; k++) {
    json_array_append_new(busy, json_integer((json_int_t)s->pe[k].busy));
    json_array_append_new(idle, json_integer((json_int_t)s->pe[k].idle));
    json_array_append_new(stalled, json_integer((json_int_t)s->pe[k].stalled));
  }
  json_t *pe = json_object();
  json_object_set_new(pe, "busy", busy);
  json_object_set_new(pe, "idle", idle);
  json_object_set_new(pe, "stalled", stalled);
  json_object_set_new(o, "per_pe", pe);
  return o;
}

/* A real, or null where it is not finite (an SQNR without error). */
static json_t *json_finite(double v) {
  return isfinite(v) ? json_real(v) : json_null();
}

static json_t *qerror_json(const eie_qerror_t *q) {
  json_t *o = json_object();
  json_object_set_new(o, "max_abs", json_finite(q->max_abs));
  json_object_set_new(o, "rel_l2", json_finite(q->rel_l2));
  json_object_set_new(o, "sqnr_db", json_finite(q->sqnr_db));
  return o;
}

json_t *eie_numerics_json(const eie_numerics_report_t *r) {
  json_t *o = json_object(), *ls = json_array();
  json_object_set_new(o, "calibration_inputs", json_integer(r->calib_inputs));
  json_object_set_new(o, "headroom_bits", json_integer(r->headroom));
  for (unsigned l = 0; l < r->layers; l++) {
    const eie_layer_numerics_t *n = &r->layer[l];
    json_t *e = json_object();
    json_object_set_new(e, "forced", json_boolean(n->forced));
    json_object_set_new(e, "dropped_weight_bits", json_integer(n->dropped_w_bits));
    json_object_set_new(e, "dropped_input_bits", json_integer(n->dropped_in_bits));
    json_object_set_new(e, "acc_peak", json_integer((json_int_t)n->acc_peak));
    json_object_set_new(e, "acc_limit", json_integer((json_int_t)n->acc_limit));
    json_object_set_new(e, "input_clipped", json_integer((json_int_t)n->in_clipped));
    json_object_set_new(e, "acc_saturations", json_integer((json_int_t)n->sat.acc_saturations));
    json_object_set_new(e, "out_saturations", json_integer((json_int_t)n->sat.out_saturations));
    json_object_set_new(e, "vs_float", qerror_json(&n->vs_float));
    json_object_set_new(e, "vs_shared", qerror_json(&n->vs_shared));
    json_array_append_new(ls, e);
  }
  json_object_set_new(o, "layers", ls);
  json_t *net = json_object();
  json_object_set_new(net, "vs_float", qerror_json(&r->vs_float));
  json_object_set_new(net, "vs_shared", qerror_json(&r->vs_shared));
  json_object_set_new(o, "network", net);
  return o;
}

eie_status_t eie_config_from_json(json_t *c, const char *where, eie_config_t *cfg, eie_err_t *err) {
  const char *key;
  json_t *val;
  json_object_foreach(c, key, val) {
    if (!json_is_integer(val))
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: config.%s is not an integer", where, key);
    unsigned i;
    for (i = 0; i < eie_param_count; i++)
      if (!strcmp(eie_param_table[i].name, key)) break;
    if (i == eie_param_count)
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: unknown parameter config.%s", where, key);
    if (!eie_param_table[i].runtime) {
      if (json_integer_value(val) != eie_param_table[i].def)
        return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: config.%s = %lld but this model has %u",
                        where, key, (long long)json_integer_value(val), eie_param_table[i].def);
      continue;
    }
    eie_err_t e2;
    if (eie_config_set(cfg, key, (long)json_integer_value(val), &e2))
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: %s", where, e2.msg);
  }
  return EIE_OK;
}

/* ---- Writing ----------------------------------------------------------------- */

typedef struct {
  const char *dir; /* the temporary directory being filled */
  json_t *files;   /* name -> {sha256, width, depth} */
  eie_err_t *err;
  int hex; /* write the $readmemh images and host traces (every .hex file) */
} writer_t;

/* A file's bytes, built in memory, then written with one write and hashed
 * from the same bytes (nothing is read back). */
typedef struct {
  char *p;
  size_t n, cap;
  int oom;
} obuf_t;

static char *ob_room(obuf_t *b, size_t more) {
  if (b->oom) return NULL;
  if (b->n + more > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + more) cap *= 2;
    char *q = realloc(b->p, cap);
    if (!q) {
      b->oom = 1;
      return NULL;
    }
    b->p = q;
    b->cap = cap;
  }
  return b->p + b->n;
}
static void ob_put(obuf_t *b, const char *s, size_t n) {
  char *q = ob_room(b, n);
  if (!q) return;
  memcpy(q, s, n);
  b->n += n;
}
static void ob_printf(obuf_t *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *q = n >= 0 ? ob_room(b, (size_t)n + 1) : NULL;
  if (!q) return;
  va_start(ap, fmt);
  vsnprintf(q, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->n += (size_t)n;
}
/* v in lower-case hex, at least `digits` digits (zero-padded), as %0*llx. */
static void ob_hex(obuf_t *b, uint64_t v, int digits) {
  static const char hx[] = "0123456789abcdef";
  char t[16];
  int n = 0;
  do t[15 - n++] = hx[v & 15];
  while ((v >>= 4) != 0);
  char *q = ob_room(b, 16);
  if (!q) return;
  for (int i = n; i < digits; i++) *q++ = '0';
  memcpy(q, t + 16 - n, (size_t)n);
  b->n += (size_t)(digits > n ? digits : n);
}
static void ob_char(obuf_t *b, char c) {
  ob_put(b, &c, 1);
}

/* Write file `name` of the pack from `data`, then record its entry (sha256
 * of those bytes, width, depth). */
static eie_status_t put_bytes(writer_t *w, const char *name, const void *data, size_t len,
                              unsigned width, uint64_t depth) {
  char path[4096], hex[65];
  snprintf(path, sizeof path, "%s/%s", w->dir, name);
  const int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0)
    return eie_fail(w->err, EIE_STATUS_IO, "%s: cannot create: %s", path, strerror(errno));
  size_t done = 0;
  int e = 0;
  while (done < len) {
    const ssize_t n = write(fd, (const char *)data + done, len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      e = n < 0 ? errno : EIO;
      break;
    }
    done += (size_t)n;
  }
  if (close(fd) && !e) e = errno;
  if (e) return eie_fail(w->err, EIE_STATUS_IO, "%s: write failed: %s", path, strerror(e));
  eie_fsafe_sha256_buf(data, len, hex);
  json_t *f = json_object();
  json_object_set_new(f, "sha256", json_string(hex));
  json_object_set_new(f, "width", json_integer(width));
  json_object_set_new(f, "depth", json_integer((json_int_t)depth));
  json_object_set_new(w->files, name, f);
  return EIE_OK;
}

/* put_bytes from a buffer, which is freed. */
static eie_status_t put_buf(writer_t *w, const char *name, obuf_t *b, unsigned width,
                            uint64_t depth) {
  eie_status_t st = b->oom ? eie_fail(w->err, EIE_STATUS_NO_MEMORY, "out of memory for %s", name)
                           : put_bytes(w, name, b->p ? b->p : "", b->n, width, depth);
  free(b->p);
  memset(b, 0, sizeof *b);
  return st;
}

static eie_status_t put_npy(writer_t *w, const char *name, eie_npy_dtype_t t, unsigned ndim,
                            const uint64_t *shape, const void *data, unsigned width) {
  void *bytes;
  size_t len;
  eie_status_t st = eie_npy_encode(t, ndim, shape, data, &bytes, &len, w->err);
  if (st) return st;
  st = put_bytes(w, name, bytes, len, width, shape[0]);
  free(bytes);
  return st;
}

/* A $readmemh image: header comment, then one word per line. */
static eie_status_t put_hex(writer_t *w, const char *name, const char *memory, unsigned width,
                            uint64_t depth, uint32_t hash, const char *format,
                            uint64_t (*word)(const void *ctx, uint64_t n), const void *ctx) {
  obuf_t b = {0};
  ob_printf(&b,
            "// memory: %s\n// width: %u\n// depth: %llu\n// format: %s\n// param_hash: 0x%08x\n"
            "// generator: %s\n",
            memory, width, (unsigned long long)depth, format, hash, EIE_GENERATOR);
  const int digits = (int)(width + 3) / 4;
  ob_room(&b, (size_t)depth * (size_t)(digits + 1));
  for (uint64_t n = 0; n < depth; n++) {
    ob_hex(&b, word(ctx, n), digits);
    ob_char(&b, '\n');
  }
  return put_buf(w, name, &b, width, depth);
}

static uint64_t spmat_word(const void *ctx, uint64_t n) {
  const uint8_t *b = (const uint8_t *)ctx + n * 8;
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | b[i];
  return v;
}
static uint64_t ptr_even_word(const void *ctx, uint64_t n) {
  return ((const uint16_t *)ctx)[2 * n];
}
static uint64_t ptr_odd_word(const void *ctx, uint64_t n) {
  return ((const uint16_t *)ctx)[2 * n + 1];
}
static uint64_t act_word(const void *ctx, uint64_t n) {
  return (uint16_t)((const int16_t *)ctx)[n];
}

/* Words of the output-side trace files. */
typedef struct {
  const eie_program_t *p;
  const eie_desc_t *last;
  const int16_t *expected;
  uint64_t counts[2];
} out_ctx_t;
static uint64_t read_addr_word(const void *ctx, uint64_t i) {
  const out_ctx_t *c = ctx;
  const uint32_t N = c->p->cfg.num_pe;
  return eie_pe_addr((uint32_t)(i % N),
                     EIE_PE_ACT_OFF + 4 * (c->last->out_base + (uint32_t)(i / N)));
}
static uint64_t expected_word(const void *ctx, uint64_t i) {
  return (uint16_t)((const out_ctx_t *)ctx)->expected[i];
}
static uint64_t count_word(const void *ctx, uint64_t i) {
  return ((const out_ctx_t *)ctx)->counts[i];
}
static uint64_t hash_word(const void *ctx, uint64_t i) {
  (void)i;
  return *(const uint32_t *)ctx;
}

/* The host command trace: the bus writes the driver makes to load the pack,
 * recorded while they go to a model array that answers the driver's reads. */
typedef struct {
  eie_array_t *a;
  obuf_t *b;
  uint64_t n;
} recorder_t;
static eie_bus_status_t rec_write(void *ctx, uint32_t addr, uint32_t data) {
  recorder_t *r = ctx;
  ob_hex(r->b, addr, 8);
  ob_hex(r->b, data, 8);
  ob_char(r->b, '\n');
  r->n++;
  return eie_array_bus_write(r->a, addr, data);
}
static eie_bus_status_t rec_read(void *ctx, uint32_t addr, uint32_t *data) {
  return eie_array_bus_read(((recorder_t *)ctx)->a, addr, data);
}

static eie_status_t put_host_trace(writer_t *w, const eie_pack_t *pk) {
  const eie_program_t *p = &pk->prog;
  const uint32_t hash = eie_param_hash(&p->cfg);
  obuf_t b = {0};
  recorder_t r = {NULL, &b, 0};
  ob_printf(&b,
            "// host command trace: bus writes that load the pack, in order\n"
            "// format: one 64-bit word a line, address in [63:32], data in [31:0]\n"
            "// then: write CTRL (0x%03x) = 1 (START), wait for STATUS.DONE, read host_read.hex\n"
            "// param_hash: 0x%08x\n// generator: %s\n",
            (unsigned)EIE_REG_CTRL, hash, EIE_GENERATOR);
  eie_status_t st = eie_array_create(&p->cfg, &r.a, w->err);
  if (!st) {
    eie_bus_t bus = {&r, rec_write, rec_read, NULL};
    st = eie_driver_load(&bus, p, w->err);
    eie_array_destroy(r.a);
  }
  if (st) {
    free(b.p);
    return st;
  }
  if ((st = put_buf(w, "host_load.hex", &b, 64, r.n))) return st;
  /* Where to read the outputs, what they must be, and how many of each. */
  const eie_desc_t *dl = &p->desc[p->num_layers - 1];
  const out_ctx_t oc = {p, dl, pk->expected, {r.n, dl->out_len}};
  if ((st = put_hex(w, "host_read.hex", "host.read_addresses", 32, dl->out_len, hash,
                    "output i: bus address to read after DONE (value in bits [15:0])",
                    read_addr_word, &oc)))
    return st;
  if ((st = put_hex(w, "expected.hex", "expected", 16, dl->out_len, hash,
                    "expected output i, int16 two's complement", expected_word, &oc)))
    return st;
  if ((st = put_hex(
           w, "host_counts.hex", "host.counts", 32, 2, hash,
           "word 0: lines of host_load.hex; word 1: outputs (lines of host_read.hex, expected.hex)",
           count_word, &oc)))
    return st;
  /* The parameter hash as a one-word image, for testbenches to compare with PARAM_HASH. */
  return put_hex(w, "param_hash.hex", "param_hash", 32, 1, hash,
                 "the value PARAM_HASH (0x004) must read on hardware built for this pack",
                 hash_word, &hash);
}

/* A vector as layer<L>_<what>.npy and its $readmemh twin layer<L>_<what>.hex
 * (when w->hex). */
static eie_status_t put_vector(writer_t *w, uint32_t l, const char *what, const int16_t *v,
                               uint32_t n, uint32_t hash) {
  char name[64], mem[64];
  uint64_t shape[1] = {n};
  snprintf(name, sizeof name, "layer%u_%s.npy", l, what);
  eie_status_t st = put_npy(w, name, EIE_NPY_I16, 1, shape, v, 16);
  if (st || !w->hex) return st;
  snprintf(name, sizeof name, "layer%u_%s.hex", l, what);
  snprintf(mem, sizeof mem, "layer%u.%s", l, what);
  return put_hex(w, name, mem, 16, n, hash, "element i, int16 two's complement", act_word, v);
}

/* PE k's $readmemh images: sparse matrix, the two pointer banks, activations. */
static eie_status_t put_pe_images(writer_t *w, uint32_t k, const eie_pe_image_t *im,
                                  const eie_config_t *cfg, uint32_t hash) {
  char name[64], mem[64];
  snprintf(name, sizeof name, "pe%u_spmat.hex", k);
  snprintf(mem, sizeof mem, "pe%u.spmat", k);
  eie_status_t st = put_hex(
      w, name, mem, 64, eie_div_ceil(im->spmat_used, EIE_ENTRIES_PER_LINE), hash,
      "line n = entries 8n..8n+7, entry 0 in bits [7:0], byte = v<<4 | z", spmat_word, im->spmat);
  if (!st) {
    snprintf(name, sizeof name, "pe%u_ptr_even.hex", k);
    snprintf(mem, sizeof mem, "pe%u.ptr_even", k);
    st = put_hex(w, name, mem, 16, (im->ptr_used + 1) / 2, hash, "word n = pointer address 2n",
                 ptr_even_word, im->ptr);
  }
  if (!st) {
    snprintf(name, sizeof name, "pe%u_ptr_odd.hex", k);
    snprintf(mem, sizeof mem, "pe%u.ptr_odd", k);
    st = put_hex(w, name, mem, 16, im->ptr_used / 2, hash, "word n = pointer address 2n+1",
                 ptr_odd_word, im->ptr);
  }
  if (!st) {
    snprintf(name, sizeof name, "pe%u_act.hex", k);
    snprintf(mem, sizeof mem, "pe%u.act", k);
    st = put_hex(w, name, mem, 16, eie_act_words(cfg), hash,
                 "word x = activation address x (RF0, RF1, SRAM), two's complement", act_word,
                 im->act);
  }
  return st;
}

/* Event stream s: 0 = broadcasts, 1 + k = PE k; its file in a pack. */
static uint32_t event_stream(const eie_event_t *e) {
  return e->kind == EIE_EV_BCAST ? 0 : 1 + e->pe;
}
static void event_file(uint32_t s, char *name, size_t n) {
  if (s == 0)
    snprintf(name, n, "bcast_events.txt");
  else
    snprintf(name, n, "pe%u_events.txt", s - 1);
}

/* Two decimal digits of each number below 100. */
static const char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324"
    "25262728293031323334353637383940414243444546474849"
    "50515253545556575859606162636465666768697071727374"
    "75767778798081828384858687888990919293949596979899";

/* v's decimal digits, the last just before end, two a step (the divisions
 * are a chain: half as long), by 32-bit divisions once v fits in 32 bits. */
static void put_digits(char *end, uint64_t v) {
  for (; v > UINT32_MAX; v /= 100) {
    end -= 2;
    memcpy(end, digit_pairs + 2 * (v % 100), 2);
  }
  uint32_t w = (uint32_t)v;
  for (; w >= 100; w /= 100) {
    end -= 2;
    memcpy(end, digit_pairs + 2 * (w % 100), 2);
  }
  if (w >= 10)
    memcpy(end - 2, digit_pairs + 2 * w, 2);
  else
    end[-1] = (char)('0' + w);
}

/* v in decimal at q, as %llu; the number of characters written. Its length
 * by comparisons, not by a chain of divisions. */
static inline size_t put_udec(char *q, uint64_t v) {
  if (v < 10) { /* most layer, pass and bypass fields */
    *q = (char)('0' + v);
    return 1;
  }
  const uint32_t w = (uint32_t)(v > UINT32_MAX ? UINT32_MAX : v);
  size_t n = 1 + (w >= 10) + (w >= 100) + (w >= 1000) + (w >= 10000) + (w >= 100000) +
             (w >= 1000000) + (w >= 10000000) + (w >= 100000000) + (w >= 1000000000);
  for (uint64_t p = 10000000000; n < 20 && v >= p; p *= 10) n++;
  put_digits(q + n, v);
  return n;
}
/* v in decimal at q, as %lld. */
static size_t put_sdec(char *q, int64_t v) {
  if (v >= 0) return put_udec(q, (uint64_t)v);
  *q = '-';
  return 1 + put_udec(q + 1, 0 - (uint64_t)v);
}

/* The start of an event's text, its kind's name, cycle, layer and pass, kept
 * while the events formatted share them: a run emits the events of one
 * cycle together, and most of them of one kind. */
typedef struct {
  eie_event_kind_t kind;
  uint64_t cycle;
  uint32_t layer, pass;
  size_t len;    /* 0: none kept */
  char text[64]; /* at most 5 + 1 + 20 + 1 + 10 + 1 + 10 = 48 bytes */
} event_memo_t;

/* eie_pack_format_event; memo (or NULL) keeps the start of the text from
 * one call to the next. */
static size_t event_format(const eie_event_t *e, char *out, event_memo_t *memo) {
  size_t n = 0;
  if (memo && memo->len && memo->kind == e->kind && memo->cycle == e->cycle &&
      memo->layer == e->layer && memo->pass == e->pass) {
    memcpy(out, memo->text, sizeof memo->text); /* a copy of fixed size is the fastest */
    n = memo->len;
  } else {
    const char *kind = eie_event_kind_name(e->kind);
    for (; kind[n]; n++) out[n] = kind[n];
    const uint64_t u[3] = {e->cycle, e->layer, e->pass};
    for (int f = 0; f < 3; f++) {
      out[n++] = ' ';
      n += put_udec(out + n, u[f]);
    }
    if (memo) {
      *memo = (event_memo_t){e->kind, e->cycle, e->layer, e->pass, n, {0}};
      memcpy(memo->text, out, n);
    }
  }
  out[n++] = ' ';
  n += put_udec(out + n, e->index);
  out[n++] = ' ';
  n += put_sdec(out + n, e->value);
  out[n++] = ' ';
  n += put_sdec(out + n, e->bypass);
  return n;
}

size_t eie_pack_format_event(const eie_event_t *e, char *out) {
  return event_format(e, out, NULL);
}

/* The expected event streams as text: bcast_events.txt and pe<k>_events.txt. */
static eie_status_t put_events(writer_t *w, const eie_pack_t *pk, uint32_t hash) {
  const uint32_t N = pk->prog.cfg.num_pe, streams = N + 1;
  obuf_t *b = calloc(streams, sizeof *b);
  uint64_t *count = calloc(streams, sizeof *count);
  event_memo_t memo = {0};
  char name[64];
  eie_status_t st = b && count ? EIE_OK : eie_fail(w->err, EIE_STATUS_NO_MEMORY, "out of memory");
  for (uint32_t s = 0; s < streams && !st; s++)
    ob_printf(&b[s],
              "// events: %s, in order\n// fields: %s\n// param_hash: 0x%08x\n// generator: %s\n",
              s ? "accumulator writes (ACC) and write-backs (WB) of one PE" : "broadcasts (BCAST)",
              EIE_EVENT_FIELDS, hash, EIE_GENERATOR);
  for (size_t i = 0; i < pk->num_events && !st; i++) {
    const eie_event_t *e = &pk->events[i];
    const uint32_t s = event_stream(e);
    char *q = ob_room(&b[s], EIE_PACK_EVENT_TEXT_MAX);
    if (!q) continue; /* out of memory: put_buf reports it */
    const size_t n = event_format(e, q, &memo);
    q[n] = '\n';
    b[s].n += n + 1;
    count[s]++;
  }
  for (uint32_t s = 0; b && s < streams; s++) {
    event_file(s, name, sizeof name);
    if (!st)
      st = put_buf(w, name, &b[s], 0, count[s]);
    else
      free(b[s].p);
  }
  free(b);
  free(count);
  return st;
}

static json_t *config_json(const eie_config_t *cfg) {
  json_t *c = json_object();
  for (unsigned i = 0; i < eie_param_count; i++)
    json_object_set_new(c, eie_param_table[i].name, json_integer(eie_config_value(cfg, i)));
  return c;
}

static eie_status_t write_contents(writer_t *w, const eie_pack_t *pk, const eie_stats_t *stats,
                                   uint64_t bound) {
  const eie_program_t *p = &pk->prog;
  const eie_config_t *cfg = &p->cfg;
  const uint32_t hash = eie_param_hash(cfg);
  const eie_desc_t *d0 = &p->desc[0], *dl = &p->desc[p->num_layers - 1];
  eie_status_t st = EIE_OK;
  uint64_t shape[2];
  char name[256];

  shape[0] = d0->in_len;
  if ((st = put_npy(w, "input.npy", EIE_NPY_I16, 1, shape, pk->input, 16))) return st;
  shape[0] = dl->out_len;
  if ((st = put_npy(w, "expected.npy", EIE_NPY_I16, 1, shape, pk->expected, 16))) return st;
  int16_t cb[EIE_MAX_LAYERS * 16];
  for (uint32_t l = 0; l < p->num_layers; l++) memcpy(cb + 16 * l, p->desc[l].codebook, 32);
  shape[0] = p->num_layers;
  shape[1] = 16;
  if ((st = put_npy(w, "codebook.npy", EIE_NPY_I16, 2, shape, cb, 16))) return st;

  json_t *layers = json_array();
  for (uint32_t l = 0; l < p->num_layers; l++) {
    const eie_desc_t *d = &p->desc[l];
    json_t *o = json_object();
    json_object_set_new(o, "in_len", json_integer(d->in_len));
    json_object_set_new(o, "out_len", json_integer(d->out_len));
    json_object_set_new(o, "ptr_base", json_integer(d->ptr_base));
    json_object_set_new(o, "spmat_base", json_integer(d->spmat_base));
    json_object_set_new(o, "in_base", json_integer(d->in_base));
    json_object_set_new(o, "out_base", json_integer(d->out_base));
    json_object_set_new(o, "bias_base", json_integer(d->bias_base));
    json_object_set_new(o, "relu", json_boolean(d->flags & EIE_FLAG_RELU));
    json_object_set_new(o, "shift", json_integer(eie_desc_shift(d)));
    json_object_set_new(o, "in_frac", json_integer(pk->fmt[l].in_frac));
    json_object_set_new(o, "w_frac", json_integer(pk->fmt[l].w_frac));
    json_object_set_new(o, "out_frac", json_integer(pk->fmt[l].out_frac));
    if (d->flags & EIE_FLAG_BIAS_EN) {
      int16_t *b = malloc(sizeof *b * d->out_len);
      if (!b) {
        json_decref(layers);
        return eie_fail(w->err, EIE_STATUS_NO_MEMORY, "out of memory");
      }
      eie_program_gather(p, d->bias_base, d->out_len, b);
      snprintf(name, sizeof name, "bias%u.npy", l);
      shape[0] = d->out_len;
      st = put_npy(w, name, EIE_NPY_I16, 1, shape, b, 16);
      free(b);
      if (st) {
        json_decref(layers);
        return st;
      }
      json_object_set_new(o, "bias_file", json_string(name));
    }
    const int16_t *in = l ? pk->layer_out[l - 1] : pk->input, *out = pk->layer_out[l];
    if (!out)
      st = eie_fail(w->err, EIE_STATUS_BAD_INPUT, "pack writer: layer %u has no expected outputs",
                    l);
    if (!st) st = put_vector(w, l, "input", in, d->in_len, hash);
    if (!st) st = put_vector(w, l, "expected", out, d->out_len, hash);
    json_array_append_new(layers, o);
    if (st) {
      json_decref(layers);
      return st;
    }
  }
  if (pk->events && (st = put_events(w, pk, hash))) {
    json_decref(layers);
    return st;
  }

  for (uint32_t k = 0; k < cfg->num_pe && !st; k++) {
    const eie_pe_image_t *im = &p->pe[k];
    uint8_t *v = malloc(im->spmat_used + 1), *z = malloc(im->spmat_used + 1);
    if (!v || !z) st = eie_fail(w->err, EIE_STATUS_NO_MEMORY, "out of memory");
    for (uint32_t e = 0; !st && e < im->spmat_used; e++) {
      v[e] = im->spmat[e] >> 4;
      z[e] = im->spmat[e] & 0xfu;
    }
    shape[0] = im->spmat_used;
    if (!st)
      snprintf(name, sizeof name, "pe%u_v.npy", k),
          st = put_npy(w, name, EIE_NPY_U8, 1, shape, v, 4);
    if (!st)
      snprintf(name, sizeof name, "pe%u_z.npy", k),
          st = put_npy(w, name, EIE_NPY_U8, 1, shape, z, 4);
    free(v);
    free(z);
    shape[0] = im->ptr_used;
    if (!st)
      snprintf(name, sizeof name, "pe%u_ptr.npy", k),
          st = put_npy(w, name, EIE_NPY_U16, 1, shape, im->ptr, 16);
    if (!st && w->hex) st = put_pe_images(w, k, im, cfg, hash);
  }
  if (st) {
    json_decref(layers);
    return st;
  }

  if (w->hex && (st = put_host_trace(w, pk))) {
    json_decref(layers);
    return st;
  }
  json_t *s = eie_stats_json(stats, bound);
  if (pk->numerics) json_object_set_new(s, "numerics", eie_numerics_json(pk->numerics));
  char path[4096];
  char *stats_text = json_dumps(s, JSON_INDENT(2) | JSON_SORT_KEYS);
  json_decref(s);
  st = stats_text ? put_bytes(w, "stats.json", stats_text, strlen(stats_text), 0, 1)
                  : eie_fail(w->err, EIE_STATUS_NO_MEMORY, "out of memory for stats.json");
  free(stats_text);
  if (st) {
    json_decref(layers);
    return st;
  }

  json_t *m = json_object();
  char hs[16];
  snprintf(hs, sizeof hs, "0x%08x", hash);
  json_object_set_new(m, "schema", json_string(EIE_PACK_SCHEMA));
  json_object_set_new(m, "schema_version", json_integer(EIE_PACK_SCHEMA_VERSION));
  json_object_set_new(m, "generator", json_string(EIE_GENERATOR));
  json_object_set_new(m, "param_hash", json_string(hs));
  json_object_set_new(m, "config", config_json(cfg));
  json_t *ar = json_object();
  json_object_set_new(ar, "activation_width", json_integer(EIE_ACT_W));
  json_object_set_new(ar, "codebook_width", json_integer(EIE_ACT_W));
  json_object_set_new(ar, "product_width", json_integer(EIE_ACC_W));
  json_object_set_new(ar, "accumulator_width", json_integer(EIE_ACC_W));
  json_object_set_new(ar, "accumulate", json_string("saturating"));
  json_object_set_new(ar, "rounding", json_string("half-up"));
  json_object_set_new(ar, "output",
                      json_string("sat16((acc + 2^(shift-1)) >> shift + bias), then relu"));
  json_object_set_new(m, "arith", ar);
  json_object_set_new(m, "num_layers", json_integer(p->num_layers));
  json_object_set_new(m, "layers", layers);
  json_object_set_new(m, "input", json_string("input.npy"));
  json_object_set_new(m, "expected", json_string("expected.npy"));
  json_object_set_new(m, "codebook", json_string("codebook.npy"));
  json_object_set_new(m, "stats", json_string("stats.json"));
  json_object_set_new(m, "files", json_incref(w->files));
  snprintf(path, sizeof path, "%s/manifest.json", w->dir);
  int bad = json_dump_file(m, path, JSON_INDENT(2));
  json_decref(m);
  if (bad) return eie_fail(w->err, EIE_STATUS_IO, "%s: write failed", path);
  return EIE_OK;
}

/* The pack directory named by `dir`, without trailing slashes; '.', '..' and
 * '/' are refused (they cannot be replaced by a rename). */
static eie_status_t out_name(const char *dir, char out[4096], eie_err_t *err) {
  size_t n = strlen(dir);
  if (!n) return eie_fail(err, EIE_STATUS_BAD_INPUT, "the pack directory name is empty");
  if (n > 3000) return eie_fail(err, EIE_STATUS_BAD_INPUT, "pack directory name is too long");
  while (n > 1 && dir[n - 1] == '/') n--;
  snprintf(out, 4096, "%.*s", (int)n, dir);
  const char *base = strrchr(out, '/');
  base = base ? base + 1 : out;
  if (!strcmp(out, "/") || !strcmp(base, ".") || !strcmp(base, ".."))
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: name the pack directory itself, not '.', '..' or '/'", dir);
  return EIE_OK;
}

/* 1 when an existing directory may be replaced: it is empty, or an eie pack
 * (a manifest with the pack schema) holding nothing but the files its
 * manifest lists. Else 0 and why. */
static int replaceable(const char *dir, char *why, size_t n) {
  DIR *d = opendir(dir);
  if (!d) {
    snprintf(why, n, "cannot be read: %s", strerror(errno));
    return 0;
  }
  json_t *m = NULL, *files = NULL;
  eie_err_t e;
  struct stat st;
  char path[4096];
  snprintf(path, sizeof path, "%s/manifest.json", dir);
  if (lstat(path, &st) == 0 && eie_fsafe_read_json(dir, "manifest.json", &m, &e) == EIE_OK) {
    const char *schema = json_string_value(json_object_get(m, "schema"));
    if (schema && !strcmp(schema, EIE_PACK_SCHEMA)) files = json_object_get(m, "files");
    if (!json_is_object(files)) files = NULL;
  }
  int ok = 1;
  struct dirent *ent;
  while (ok && (ent = readdir(d))) {
    const char *name = ent->d_name;
    if (!strcmp(name, ".") || !strcmp(name, "..")) continue;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!files) {
      snprintf(why, n, "is not empty and not an eie pack (no manifest.json with schema \"%s\")",
               EIE_PACK_SCHEMA);
      ok = 0;
    } else if (strcmp(name, "manifest.json") && !json_object_get(files, name)) {
      snprintf(why, n, "holds %.200s, which its manifest does not list", name);
      ok = 0;
    } else if (lstat(path, &st) || !S_ISREG(st.st_mode)) {
      snprintf(why, n, "holds %.200s, which is not a regular file", name);
      ok = 0;
    }
  }
  closedir(d);
  json_decref(m);
  return ok;
}

eie_status_t eie_pack_check_output(const char *dir, const eie_pack_write_opts_t *o,
                                   eie_err_t *err) {
  char d[4096], why[512];
  eie_status_t st = out_name(dir, d, err);
  if (st) return st;
  struct stat sb;
  if (lstat(d, &sb) == 0) {
    if (S_ISLNK(sb.st_mode))
      return eie_fail(err, EIE_STATUS_BAD_INPUT,
                      "%s: is a symbolic link; give the directory itself", dir);
    if (!S_ISDIR(sb.st_mode))
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: exists and is not a directory", dir);
    if (!(o && o->force) && !replaceable(d, why, sizeof why))
      return eie_fail(err, EIE_STATUS_BAD_INPUT,
                      "%s: %s; refusing to replace it (--force replaces it)", dir, why);
  }
  return eie_fsafe_check_output(o ? o->inputs : NULL, d, 1, err);
}

eie_status_t eie_pack_write_opts(const char *dir, const eie_pack_t *pack, const eie_stats_t *stats,
                                 uint64_t bound, const eie_pack_write_opts_t *o, eie_err_t *err) {
  char d[4096], tmp[4096];
  eie_status_t st = eie_pack_check_output(dir, o, err);
  if (st) return st;
  out_name(dir, d, err);
  /* Built beside its final name, under a name no one else uses. */
  snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", d);
  if (!mkdtemp(tmp))
    return eie_fail(err, EIE_STATUS_IO, "%s: cannot create: %s", d, strerror(errno));
  struct stat sb;
  const int exists = lstat(d, &sb) == 0;
  mode_t mask = umask(0);
  umask(mask);
  if (chmod(tmp,
            exists ? (sb.st_mode & 07777) : (0777 & ~mask))) { /* best effort: mkdtemp gave 0700 */
  }
  writer_t w = {tmp, json_object(), err, !pack->no_hex};
  st = write_contents(&w, pack, stats, bound);
  json_decref(w.files);
  if (st) {
    eie_fsafe_remove_tree(tmp, NULL);
    return st;
  }
  return eie_fsafe_replace_dir(tmp, d, exists, err);
}

eie_status_t eie_pack_write(const char *dir, const eie_pack_t *pack, const eie_stats_t *stats,
                            uint64_t bound, eie_err_t *err) {
  return eie_pack_write_opts(dir, pack, stats, bound, NULL, err);
}

/* ---- Reading ------------------------------------------------------------------- */

void eie_pack_free(eie_pack_t *pk) {
  for (uint32_t s = 0; pk->event_text && s <= pk->prog.cfg.num_pe; s++)
    free(pk->event_text[s].data);
  free(pk->event_text);
  pk->event_text = NULL;
  eie_program_free(&pk->prog);
  free(pk->input);
  free(pk->expected);
  pk->input = pk->expected = NULL;
  for (unsigned l = 0; l < EIE_MAX_LAYERS; l++) {
    free(pk->layer_out[l]);
    pk->layer_out[l] = NULL;
  }
}

typedef struct {
  const char *dir;
  const eie_fsafe_dir_t *fs; /* dir, opened once for every file read from it */
  json_t *files;
  json_t *checked; /* names of the listed files already checked */
  eie_err_t *err;
  int verify;                 /* eie check: every listed file read, hashed and parsed */
  int hex;                    /* the pack lists .hex files: then all of its images */
  json_t *listing;            /* the pack directory's regular files (name -> true), read once */
  struct events_ahead *ahead; /* the event streams being read meanwhile, or NULL */
} reader_t;

/* A listed file's size may not exceed 1 MiB (headers, comments) plus 256
 * bytes for each word, element or event its manifest entry declares. */
#define PACK_FILE_SLACK (1ull << 20)
#define PACK_BYTES_PER_DEPTH 256ull
#define PACK_MAX_DEPTH (1ll << 32)

/* A listed file's manifest entry: a name inside the pack, a sha256 (*want)
 * and a depth, which bounds its size (*max). */
static eie_status_t listed_entry(reader_t *r, const char *name, const char **want, uint64_t *max) {
  if (eie_fsafe_name_ok(name))
    return eie_fail(
        r->err, EIE_STATUS_BAD_INPUT,
        "%s/manifest.json: '%.200s' is not a file name inside the pack (no '..', not absolute)",
        r->dir, name);
  json_t *entry = json_object_get(r->files, name);
  *want = json_string_value(json_object_get(entry, "sha256"));
  if (!*want)
    return eie_fail(r->err, EIE_STATUS_BAD_INPUT, "%s/manifest.json: no sha256 for %s", r->dir,
                    name);
  json_t *dp = json_object_get(entry, "depth");
  if (!json_is_integer(dp) || json_integer_value(dp) < 0 || json_integer_value(dp) > PACK_MAX_DEPTH)
    return eie_fail(r->err, EIE_STATUS_BAD_INPUT,
                    "%s/manifest.json: files.%s needs an integer depth in 0..2^32", r->dir, name);
  *max = PACK_FILE_SLACK + PACK_BYTES_PER_DEPTH * (uint64_t)json_integer_value(dp);
  return EIE_OK;
}

/* The read file's bytes are untampered: their sha256 is the entry's (else
 * the bytes are freed). Then the file counts as checked. */
static eie_status_t hash_checked(reader_t *r, const char *name, char **data, int hash_ok,
                                 const char *path) {
  if (!hash_ok) {
    free(*data);
    *data = NULL;
    return eie_fail(r->err, EIE_STATUS_BAD_INPUT, "%s: sha256 does not match the manifest", path);
  }
  json_object_set_new(r->checked, name, json_true());
  return EIE_OK;
}

static int sha256_is(const char *data, size_t len, const char *want) {
  char hex[65];
  eie_fsafe_sha256_buf(data, len, hex);
  return strcmp(hex, want) == 0;
}

/* Read a listed file whole (eie_fsafe_read_all: inside the pack, a regular
 * file, bounded by its entry's depth) and check the sha256 of the bytes read,
 * which are the bytes then parsed: nothing is read twice, nothing changes
 * between the check and the use. path gets its name for messages. */
static eie_status_t load_listed(reader_t *r, const char *name, char **data, size_t *len,
                                char path[4096]) {
  *data = NULL;
  snprintf(path, 4096, "%s/%s", r->dir, name);
  const char *want;
  uint64_t max;
  eie_status_t st = listed_entry(r, name, &want, &max);
  if (!st) st = eie_fsafe_read_all_in(r->fs, name, max, data, len, r->err);
  return st ? st : hash_checked(r, name, data, sha256_is(*data, *len, want), path);
}

/* A listed file that is only checked (present, regular, inside, its sha256). */
static eie_status_t check_listed(reader_t *r, const char *name) {
  char path[4096], *data;
  size_t len;
  eie_status_t st = load_listed(r, name, &data, &len, path);
  free(data);
  return st;
}

/* A listed file eie run does not read: its entry is well formed and it is a
 * regular file inside the pack (from one listing of the directory; anything
 * else, a link or a name in a subdirectory, is opened as eie_fsafe_open does,
 * and closed unread). */
static eie_status_t check_present(reader_t *r, const char *name) {
  const char *want;
  uint64_t max;
  eie_status_t st = listed_entry(r, name, &want, &max);
  if (st) return st;
  if (!r->listing) {
    r->listing = json_object();
    DIR *d = opendir(r->dir);
    struct dirent *ent;
    while (d && (ent = readdir(d)))
      if (ent->d_type == DT_REG) json_object_set_new(r->listing, ent->d_name, json_true());
    if (d) closedir(d);
  }
  if (json_object_get(r->listing, name)) return EIE_OK;
  FILE *f;
  st = eie_fsafe_open_in(r->fs, name, max, &f, NULL, r->err);
  if (!st) fclose(f);
  return st;
}

/* A stream over the bytes of a file read whole. */
static FILE *mem_stream(char *data, size_t len) {
  return fmemopen(len ? data : (char *)"", len ? len : 1, "rb");
}

/* A listed $readmemh image must hold exactly `n` words equal to word(ctx, i)
 * (in a pack that lists .hex files, it must be listed). Only eie check reads
 * the images: eie run reads the same memories from the npy arrays
 * (docs/formats.md, "What eie run and eie check read"). */
static eie_status_t check_hex(reader_t *r, const char *name, unsigned width, size_t max_words,
                              size_t n, uint64_t (*word)(const void *ctx, uint64_t i),
                              const void *ctx) {
  if (!r->verify || !r->hex) return EIE_OK;
  char path[4096], *data;
  size_t len;
  eie_status_t st = load_listed(r, name, &data, &len, path);
  if (st) return st;
  uint64_t *w = NULL;
  size_t got = 0;
  FILE *f = mem_stream(data, len);
  if (!f)
    st = eie_fail(r->err, EIE_STATUS_NO_MEMORY, "%s: out of memory", path);
  else if (!len)
    fclose(f), f = NULL, w = malloc(1);
  if (f) {
    st = eie_hex_fread(f, path, width, max_words, &w, &got, r->err);
    fclose(f);
  }
  free(data);
  if (st) return st;
  if (got != n)
    st = eie_fail(r->err, EIE_STATUS_BAD_INPUT, "%s: %zu words, the npy arrays give %zu", path, got,
                  n);
  for (size_t i = 0; !st && i < n; i++)
    if (w[i] != word(ctx, i))
      st = eie_fail(r->err, EIE_STATUS_BAD_INPUT,
                    "%s: word %zu is 0x%llx, the npy arrays give 0x%llx", path, i,
                    (unsigned long long)w[i], (unsigned long long)word(ctx, i));
  free(w);
  return st;
}

/* Read a listed .npy after checking its hash (any shape): parsed from the
 * bytes that were hashed. */
static eie_status_t read_listed_npy(reader_t *r, const char *name, eie_npy_t *a, char path[4096]) {
  memset(a, 0, sizeof *a);
  char *data;
  size_t len;
  eie_status_t st = load_listed(r, name, &data, &len, path);
  if (st) return st;
  FILE *f = mem_stream(data, len);
  if (!f)
    st = eie_fail(r->err, EIE_STATUS_NO_MEMORY, "%s: out of memory", path);
  else if (!len)
    st = eie_fail(r->err, EIE_STATUS_BAD_INPUT, "%s: not a .npy file (bad magic)", path);
  else
    st = eie_npy_fread(f, path, a, r->err);
  if (f) fclose(f);
  free(data);
  return st;
}

/* A listed 1-D npy of dtype t, its hash checked, its elements left where they
 * were read: *data points into *owner (the caller frees *owner). *n gets its
 * length. */
static eie_status_t view_npy(reader_t *r, const char *name, eie_npy_dtype_t t, char **owner,
                             const void **data, uint64_t *n) {
  char path[4096];
  size_t len;
  eie_npy_t a;
  eie_status_t st = load_listed(r, name, owner, &len, path);
  if (!st) st = eie_npy_parse(*owner, len, path, &a, r->err);
  if (!st && (a.dtype != t || a.ndim != 1))
    st =
        eie_fail(r->err, EIE_STATUS_BAD_INPUT, "%s: expected a 1-D %s array, found %s with %u dims",
                 path, eie_npy_dtype_descr(t), eie_npy_dtype_descr(a.dtype), a.ndim);
  if (st) {
    free(*owner);
    *owner = NULL;
    return st;
  }
  *data = a.data;
  *n = a.shape[0];
  return EIE_OK;
}

/* Read a listed .npy after checking its hash; shape must be 1-D of `len`
 * (or any length when len_out is given). */
static eie_status_t get_npy(reader_t *r, const char *name, eie_npy_dtype_t t, uint64_t len,
                            uint64_t *len_out, eie_npy_t *a) {
  char path[4096];
  eie_status_t st = read_listed_npy(r, name, a, path);
  if (st) return st;
  if (a->dtype != t || a->ndim != 1 || (!len_out && a->shape[0] != len)) {
    char got[64];
    snprintf(got, sizeof got, "%s with %u dims", eie_npy_dtype_descr(a->dtype), a->ndim);
    eie_npy_free(a);
    if (len_out)
      return eie_fail(r->err, EIE_STATUS_BAD_INPUT, "%s: expected a 1-D %s array, found %s", path,
                      eie_npy_dtype_descr(t), got);
    return eie_fail(r->err, EIE_STATUS_BAD_INPUT, "%s: expected a 1-D %s array of %llu, found %s",
                    path, eie_npy_dtype_descr(t), (unsigned long long)len, got);
  }
  if (len_out) *len_out = a->shape[0];
  return EIE_OK;
}

static int get_uint(json_t *o, const char *key, uint32_t max, uint32_t *v) {
  json_t *x = json_object_get(o, key);
  if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) > (json_int_t)max)
    return -1;
  *v = (uint32_t)json_integer_value(x);
  return 0;
}

/* Prefix a descriptor error with the manifest and the layer. */
static eie_status_t prefix_err(eie_err_t *err, eie_status_t st, const char *mpath, uint32_t l) {
  char msg[EIE_ERR_LEN];
  snprintf(msg, sizeof msg, "%s", err->msg);
  return eie_fail(err, st, "%s: layers[%u]: %.400s", mpath, l, msg);
}

/* Entry bytes v << 4 | z from the v and z arrays of n entries (a loop
 * without a branch, vectorized), and the OR of every v and z: above 15 when
 * some value is beyond 4 bits. Out of line: inlined into read_contents, the
 * loop is left scalar (GCC 12 takes it for a cold one). */
__attribute__((noinline)) static uint8_t combine_entries(uint8_t *restrict out,
                                                         const uint8_t *restrict v,
                                                         const uint8_t *restrict z, uint64_t n) {
  uint8_t wide = 0;
  for (uint64_t e = 0; e < n; e++) {
    wide |= (uint8_t)(v[e] | z[e]);
    out[e] = (uint8_t)(v[e] << 4 | z[e]);
  }
  return wide;
}

/* The event streams, most of a pack's bytes, are read and hashed on a second
 * thread while the reader reads the program (events_ahead_start, as soon as
 * the configuration gives their number). After the program and the vectors
 * the reader takes them (events_take), reading those not taken yet itself,
 * from the last one down, while the thread goes on from the first one up.
 * The outcome is the one of reading them there, one after the other
 * (load_listed): nothing of theirs is reported while the program fails, and
 * of the streams the first that fails, to be read or its hash, is the one
 * named. The thread touches no JSON (the manifest entries are looked up
 * before it starts) and reports into the stream's own eie_err_t. Without a
 * thread, events_take reads them all. */
typedef struct {
  eie_status_t st; /* its read's status and message (EIE_OK: read) */
  eie_err_t err;
  int hash_ok; /* read, and its sha256 is its entry's */
} stream_read_t;
typedef struct events_ahead {
  const eie_fsafe_dir_t *fs;
  eie_pack_t *pk;
  uint32_t streams;
  const char **want;     /* per stream: the sha256 of its entry */
  uint64_t *max;         /* and its size bound */
  stream_read_t *result; /* and how its reading went */
  uint32_t entries;      /* streams whose entries are well formed (the first ones) */
  uint32_t lo, hi;       /* streams lo..hi-1 are not taken yet (under mu) */
  int stop;              /* the reader failed: take no more (under mu) */
  int threaded;
  pthread_t thread;
  pthread_mutex_t mu;
} events_ahead_t;

/* Take the lowest (from_top 0) or the highest stream not taken; -1: none. */
static int64_t take_stream(events_ahead_t *ea, int from_top) {
  int64_t s = -1;
  if (ea->threaded) pthread_mutex_lock(&ea->mu);
  if (!ea->stop && ea->lo < ea->hi) s = from_top ? --ea->hi : ea->lo++;
  if (ea->threaded) pthread_mutex_unlock(&ea->mu);
  return s;
}

static void read_streams(events_ahead_t *ea, int from_top) {
  for (int64_t s; (s = take_stream(ea, from_top)) >= 0;) {
    char name[64];
    event_file((uint32_t)s, name, sizeof name);
    eie_pack_text_t *t = &ea->pk->event_text[s];
    stream_read_t *res = &ea->result[s];
    res->st = eie_fsafe_read_all_in(ea->fs, name, ea->max[s], &t->data, &t->len, &res->err);
    res->hash_ok = !res->st && sha256_is(t->data, t->len, ea->want[s]);
  }
}

static void *read_ahead(void *arg) {
  read_streams(arg, 0);
  return NULL;
}

static void events_ahead_free(reader_t *r) {
  events_ahead_t *ea = r->ahead;
  if (ea->threaded) pthread_mutex_destroy(&ea->mu);
  free(ea->want);
  free(ea->max);
  free(ea->result);
  free(ea);
  r->ahead = NULL;
}

static eie_status_t events_ahead_start(reader_t *r, eie_pack_t *pk) {
  pk->has_events = json_object_get(r->files, "bcast_events.txt") != NULL;
  if (!pk->has_events) return EIE_OK;
  const uint32_t streams = pk->prog.cfg.num_pe + 1;
  events_ahead_t *ea = r->ahead = calloc(1, sizeof *ea);
  pk->event_text = calloc(streams, sizeof *pk->event_text);
  if (ea) {
    ea->want = calloc(streams, sizeof *ea->want);
    ea->max = calloc(streams, sizeof *ea->max);
    ea->result = calloc(streams, sizeof *ea->result);
  }
  if (!ea || !pk->event_text || !ea->want || !ea->max || !ea->result) {
    if (ea) events_ahead_free(r);
    return eie_fail(r->err, EIE_STATUS_NO_MEMORY, "out of memory");
  }
  ea->fs = r->fs;
  ea->pk = pk;
  ea->streams = streams;
  eie_err_t ignored; /* a bad entry's message: events_take gives it again, in its turn */
  reader_t quiet = *r;
  quiet.err = &ignored;
  for (; ea->entries < streams; ea->entries++) {
    char name[64];
    event_file(ea->entries, name, sizeof name);
    if (listed_entry(&quiet, name, &ea->want[ea->entries], &ea->max[ea->entries])) break;
  }
  ea->hi = ea->entries;
  ea->threaded = !pthread_mutex_init(&ea->mu, NULL);
  if (ea->threaded && pthread_create(&ea->thread, NULL, read_ahead, ea)) {
    pthread_mutex_destroy(&ea->mu);
    ea->threaded = 0;
  }
  return EIE_OK;
}

/* The reader failed before it took the streams: the thread stops after the
 * stream it is reading (what it read is the pack's to free). */
static void events_ahead_drop(reader_t *r) {
  events_ahead_t *ea = r->ahead;
  if (!ea) return;
  if (ea->threaded) {
    pthread_mutex_lock(&ea->mu);
    ea->stop = 1;
    pthread_mutex_unlock(&ea->mu);
    pthread_join(ea->thread, NULL);
  }
  events_ahead_free(r);
}

/* The streams, as load_listed one after the other would have read them. */
static eie_status_t events_take(reader_t *r) {
  events_ahead_t *ea = r->ahead;
  read_streams(ea, 1);
  if (ea->threaded) pthread_join(ea->thread, NULL);
  eie_status_t st = EIE_OK;
  for (uint32_t s = 0; s < ea->streams && !st; s++) {
    char name[64], path[4096];
    event_file(s, name, sizeof name);
    snprintf(path, sizeof path, "%s/%s", r->dir, name);
    const stream_read_t *res = &ea->result[s];
    if (s == ea->entries) {
      const char *want;
      uint64_t max;
      st = listed_entry(r, name, &want, &max);
    } else if (res->st) {
      if (r->err) *r->err = res->err;
      st = res->st;
    } else {
      st = hash_checked(r, name, &ea->pk->event_text[s].data, res->hash_ok, path);
    }
  }
  events_ahead_free(r);
  return st;
}

static eie_status_t read_contents(reader_t *r, json_t *m, eie_pack_t *pk) {
  char mpath[4096];
  snprintf(mpath, sizeof mpath, "%s/manifest.json", r->dir);
  eie_err_t *err = r->err;
  const char *schema = json_string_value(json_object_get(m, "schema"));
  if (!schema || strcmp(schema, EIE_PACK_SCHEMA))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: \"schema\" is not \"%s\"", mpath,
                    EIE_PACK_SCHEMA);
  json_t *ver = json_object_get(m, "schema_version");
  if (!json_is_integer(ver) || json_integer_value(ver) != EIE_PACK_SCHEMA_VERSION)
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: unsupported schema_version (this tool reads %d)", mpath,
                    EIE_PACK_SCHEMA_VERSION);
  r->files = json_object_get(m, "files");
  if (!json_is_object(r->files))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: missing \"files\" object", mpath);
  /* A pack lists all its $readmemh images and host traces, or (eie gen
   * --no-hex) no .hex file at all. */
  const char *fname;
  json_t *fentry;
  json_object_foreach(r->files, fname, fentry) {
    const size_t n = strlen(fname);
    if (n > 4 && !strcmp(fname + n - 4, ".hex")) r->hex = 1;
  }
  pk->has_hex = r->hex;

  eie_config_t cfg = eie_config_default();
  json_t *c = json_object_get(m, "config");
  if (!json_is_object(c))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: missing \"config\" object", mpath);
  if (eie_config_from_json(c, mpath, &cfg, err)) return EIE_STATUS_BAD_INPUT;
  eie_status_t st = eie_config_validate(&cfg, err);
  if (st) return st;
  char hs[16];
  snprintf(hs, sizeof hs, "0x%08x", eie_param_hash(&cfg));
  const char *ph = json_string_value(json_object_get(m, "param_hash"));
  if (!ph || strcmp(ph, hs))
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: param_hash %s does not match the configuration's %s", mpath,
                    ph ? ph : "(missing)", hs);

  pk->prog.cfg = cfg;
  if ((st = events_ahead_start(r, pk))) return st;

  json_t *layers = json_object_get(m, "layers");
  size_t nl = json_array_size(layers);
  if (!json_is_array(layers) || nl < 1 || nl > EIE_MAX_LAYERS)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: \"layers\" must list 1..%u layers", mpath,
                    EIE_MAX_LAYERS);
  json_t *nlj = json_object_get(m, "num_layers");
  if (!json_is_integer(nlj) || json_integer_value(nlj) != (json_int_t)nl)
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: \"num_layers\" must be the number of layers listed (%zu)", mpath, nl);

  eie_program_t *p = &pk->prog;
  p->cfg = cfg;
  p->num_layers = (uint32_t)nl;
  if (eie_program_alloc(p, err)) return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory");

  eie_npy_t cbk;
  {
    char path[4096];
    if ((st = read_listed_npy(r, "codebook.npy", &cbk, path))) return st;
    if (cbk.dtype != EIE_NPY_I16 || cbk.ndim != 2 || cbk.shape[0] != nl || cbk.shape[1] != 16) {
      eie_npy_free(&cbk);
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: expected an int16 array of shape (%zu, 16)",
                      path, nl);
    }
    for (size_t l = 0; l < nl; l++)
      if (((int16_t *)cbk.data)[16 * l] != 0) {
        st = eie_fail(err, EIE_STATUS_BAD_INPUT,
                      "%s: layer %zu: entry 0 is %d, but entry 0 of a codebook is 0", path, l,
                      ((int16_t *)cbk.data)[16 * l]);
        eie_npy_free(&cbk);
        return st;
      }
  }
  for (uint32_t l = 0; l < nl; l++) {
    json_t *o = json_array_get(layers, l);
    eie_desc_t *d = &p->desc[l];
    uint32_t shift;
    if (!json_is_object(o) || get_uint(o, "in_len", 65535, &d->in_len) ||
        get_uint(o, "out_len", 65535, &d->out_len) ||
        get_uint(o, "ptr_base", 0xffffffffu, &d->ptr_base) ||
        get_uint(o, "spmat_base", 0xffffffffu, &d->spmat_base) ||
        get_uint(o, "in_base", 0xffffffffu, &d->in_base) ||
        get_uint(o, "out_base", 0xffffffffu, &d->out_base) ||
        get_uint(o, "bias_base", 0xffffffffu, &d->bias_base) ||
        get_uint(o, "shift", EIE_MAX_SHIFT, &shift) ||
        !json_is_boolean(json_object_get(o, "relu"))) {
      eie_npy_free(&cbk);
      return eie_fail(
          err, EIE_STATUS_BAD_INPUT,
          "%s: layers[%u] needs integer in_len, out_len, ptr_base, spmat_base, in_base, "
          "out_base, bias_base, shift (0..31) and boolean relu",
          mpath, l);
    }
    uint32_t f[3];
    if (get_uint(o, "in_frac", 31, &f[0]) || get_uint(o, "w_frac", 31, &f[1]) ||
        get_uint(o, "out_frac", 31, &f[2])) {
      eie_npy_free(&cbk);
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: layers[%u] needs in_frac, w_frac, out_frac",
                      mpath, l);
    }
    pk->fmt[l].in_frac = (int)f[0];
    pk->fmt[l].w_frac = (int)f[1];
    pk->fmt[l].out_frac = (int)f[2];
    d->flags = (json_is_true(json_object_get(o, "relu")) ? EIE_FLAG_RELU : 0) |
               shift << EIE_FLAG_SHIFT_LSB;
    memcpy(d->codebook, (int16_t *)cbk.data + 16 * l, 32);
    if (l > 0 && d->in_len != p->desc[l - 1].out_len) {
      eie_npy_free(&cbk);
      return eie_fail(err, EIE_STATUS_BAD_INPUT,
                      "%s: layers[%u].in_len %u differs from layers[%u].out_len %u", mpath, l,
                      d->in_len, l - 1, p->desc[l - 1].out_len);
    }
  }
  eie_npy_free(&cbk);

  /* Per-PE arrays, used where they were read. */
  for (uint32_t k = 0; k < cfg.num_pe; k++) {
    char name[64], *vb = NULL, *zb = NULL, *pb = NULL;
    const void *vd, *zd, *pd;
    uint64_t ne, nz, np;
    snprintf(name, sizeof name, "pe%u_v.npy", k);
    st = view_npy(r, name, EIE_NPY_U8, &vb, &vd, &ne);
    snprintf(name, sizeof name, "pe%u_z.npy", k);
    if (!st) st = view_npy(r, name, EIE_NPY_U8, &zb, &zd, &nz);
    if (!st && nz != ne)
      st = eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s/%s: expected a 1-D %s array of %llu, found %s with 1 dims", r->dir, name,
                    eie_npy_dtype_descr(EIE_NPY_U8), (unsigned long long)ne,
                    eie_npy_dtype_descr(EIE_NPY_U8));
    snprintf(name, sizeof name, "pe%u_ptr.npy", k);
    if (!st) st = view_npy(r, name, EIE_NPY_U16, &pb, &pd, &np);
    eie_pe_image_t *im = &p->pe[k];
    if (!st && (ne > (uint64_t)cfg.spmat_lines * 8 || np > cfg.ptr_depth))
      st = eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s/pe%u_*.npy: %llu entries / %llu pointers exceed the "
                    "configured SPMAT_LINES %u / PTR_DEPTH %u",
                    r->dir, k, (unsigned long long)ne, (unsigned long long)np, cfg.spmat_lines,
                    cfg.ptr_depth);
    const uint8_t *v = vd, *z = zd;
    /* Every entry combined, then the first beyond 4 bits looked for only if there is one (the
     * image is dropped then). */
    const uint8_t wide = st ? 0 : combine_entries(im->spmat, v, z, ne);
    for (uint64_t e = 0; !st && wide > 15 && e < ne; e++) {
      const uint8_t vv = v[e], zz = z[e];
      if ((vv | zz) > 15)
        st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s/pe%u_%s.npy: entry %llu is %u, beyond 4 bits",
                      r->dir, k, vv > 15 ? "v" : "z", (unsigned long long)e, vv > 15 ? vv : zz);
    }
    if (!st) {
      memcpy(im->ptr, pd, np * 2);
      im->spmat_used = (uint32_t)ne;
      im->ptr_used = (uint32_t)np;
    }
    free(vb);
    free(zb);
    free(pb);
    if (st) return st;
  }

  /* Activations: biases, then the input; descriptors checked against the images. */
  for (uint32_t l = 0; l < nl; l++) {
    json_t *o = json_array_get(layers, l);
    eie_desc_t *d = &p->desc[l];
    json_t *bfj = json_object_get(o, "bias_file");
    const char *bf = json_string_value(bfj);
    if (bfj && !bf)
      return eie_fail(err, EIE_STATUS_BAD_INPUT,
                      "%s: layers[%u].bias_file must be a file name (a string)", mpath, l);
    if (bf && eie_fsafe_name_ok(bf))
      return eie_fail(err, EIE_STATUS_BAD_INPUT,
                      "%s: layers[%u].bias_file '%.200s' is not a file name inside the pack (no "
                      "'..', not absolute)",
                      mpath, l, bf);
    if (bf) {
      d->flags |= EIE_FLAG_BIAS_EN;
      if ((st = eie_desc_validate(&cfg, d, NULL, err))) return prefix_err(err, st, mpath, l);
      eie_npy_t b;
      if ((st = get_npy(r, bf, EIE_NPY_I16, d->out_len, NULL, &b))) return st;
      for (uint32_t i = 0; i < d->out_len; i++)
        p->pe[i % cfg.num_pe].act[d->bias_base + i / cfg.num_pe] = ((int16_t *)b.data)[i];
      eie_npy_free(&b);
    }
    if ((st = eie_desc_validate(&cfg, d, p->pe, err))) return prefix_err(err, st, mpath, l);
  }
  eie_npy_t in, ex;
  if ((st = get_npy(r, "input.npy", EIE_NPY_I16, p->desc[0].in_len, NULL, &in))) return st;
  pk->input = in.data;
  eie_program_set_input(p, pk->input);
  /* The $readmemh images an RTL flow loads must be the same memories. */
  for (uint32_t k = 0; k < cfg.num_pe && !st; k++) {
    const eie_pe_image_t *im = &p->pe[k];
    char name[64];
    snprintf(name, sizeof name, "pe%u_spmat.hex", k);
    st = check_hex(r, name, 64, cfg.spmat_lines, eie_div_ceil(im->spmat_used, 8), spmat_word,
                   im->spmat);
    snprintf(name, sizeof name, "pe%u_ptr_even.hex", k);
    if (!st)
      st =
          check_hex(r, name, 16, cfg.ptr_depth / 2, (im->ptr_used + 1) / 2, ptr_even_word, im->ptr);
    snprintf(name, sizeof name, "pe%u_ptr_odd.hex", k);
    if (!st)
      st = check_hex(r, name, 16, cfg.ptr_depth / 2, im->ptr_used / 2, ptr_odd_word, im->ptr);
    snprintf(name, sizeof name, "pe%u_act.hex", k);
    if (!st)
      st = check_hex(r, name, 16, eie_act_words(&cfg), eie_act_words(&cfg), act_word, im->act);
  }
  const uint32_t hash = eie_param_hash(&cfg);
  if (!st && json_object_get(r->files, "param_hash.hex"))
    st = check_hex(r, "param_hash.hex", 32, 1, 1, hash_word, &hash);
  if (st) return st;
  if ((st = get_npy(r, "expected.npy", EIE_NPY_I16, p->desc[nl - 1].out_len, NULL, &ex))) return st;
  pk->expected = ex.data;
  /* Per layer: input and expected outputs, as npy and hex, chained. */
  for (uint32_t l = 0; l < nl && !st; l++) {
    const eie_desc_t *d = &p->desc[l];
    const int16_t *in_want = l ? pk->layer_out[l - 1] : pk->input;
    eie_npy_t a, b;
    char name[64];
    snprintf(name, sizeof name, "layer%u_input.npy", l);
    if ((st = get_npy(r, name, EIE_NPY_I16, d->in_len, NULL, &a))) return st;
    if (memcmp(a.data, in_want, sizeof(int16_t) * d->in_len))
      st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s/%s differs from %s", r->dir, name,
                    l ? "the previous layer's expected outputs" : "input.npy");
    if (!st) {
      snprintf(name, sizeof name, "layer%u_input.hex", l);
      st = check_hex(r, name, 16, d->in_len, d->in_len, act_word, a.data);
    }
    eie_npy_free(&a);
    if (st) return st;
    snprintf(name, sizeof name, "layer%u_expected.npy", l);
    if ((st = get_npy(r, name, EIE_NPY_I16, d->out_len, NULL, &b))) return st;
    pk->layer_out[l] = b.data;
    snprintf(name, sizeof name, "layer%u_expected.hex", l);
    st = check_hex(r, name, 16, d->out_len, d->out_len, act_word, b.data);
  }
  if (!st && memcmp(pk->layer_out[nl - 1], pk->expected, sizeof(int16_t) * p->desc[nl - 1].out_len))
    st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s/layer%u_expected.npy differs from expected.npy",
                  r->dir, (unsigned)(nl - 1));
  /* Event streams: present and untampered, kept as read for the comparison
   * (eie check: every line parsed too). */
  if (!st && pk->has_events) st = events_take(r);
  if (!st && pk->has_events && r->verify) {
    eie_event_t *ev;
    size_t n;
    st = eie_pack_read_events(pk, r->dir, &ev, &n, err);
    if (!st) free(ev);
  }
  /* Every other listed file: present, a regular file inside the pack
   * (eie check: and untampered). */
  const char *key;
  json_t *val;
  json_object_foreach(r->files, key, val) {
    if (st) break;
    if (!json_object_get(r->checked, key))
      st = r->verify ? check_listed(r, key) : check_present(r, key);
  }
  return st;
}

/* One decimal field of an event line: digits (a '-' only when lo < 0), no
 * leading zeros, within lo..hi. */
static int event_field(const char *s, size_t n, long long lo, long long hi, long long *v) {
  const int neg = n > 0 && s[0] == '-';
  if (neg && lo >= 0) return -1;
  if (n - neg == 0 || n - neg > 19 || (n - neg > 1 && s[neg] == '0') ||
      (neg && n == 2 && s[1] == '0'))
    return -1;
  unsigned long long u = 0;
  for (size_t i = neg; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    u = u * 10 + (unsigned)(s[i] - '0');
  }
  if (u > (unsigned long long)INT64_MAX) return -1;
  const long long x = neg ? -(long long)u : (long long)u;
  if (x < lo || x > hi) return -1;
  *v = x;
  return 0;
}

/* The range of each field of an event line by kind (BCAST, ACC, WB), field 0
 * (the kind) unused: cycle 64-bit, layer < 16, pass and index 16-bit, value
 * 16-bit (32-bit for ACC), bypass 0 or 1 (0 but for ACC). */
static const long long event_lo[3][7] = {[EIE_EV_BCAST] = {0, 0, 0, 0, 0, INT16_MIN, 0},
                                         [EIE_EV_ACC] = {0, 0, 0, 0, 0, INT32_MIN, 0},
                                         [EIE_EV_WB] = {0, 0, 0, 0, 0, INT16_MIN, 0}};
static const long long event_hi[3][7] = {
    [EIE_EV_BCAST] = {0, INT64_MAX, EIE_MAX_LAYERS - 1, 65535, 65535, INT16_MAX, 0},
    [EIE_EV_ACC] = {0, INT64_MAX, EIE_MAX_LAYERS - 1, 65535, 65535, INT32_MAX, 1},
    [EIE_EV_WB] = {0, INT64_MAX, EIE_MAX_LAYERS - 1, 65535, 65535, INT16_MAX, 0}};

int eie_pack_parse_event(const char *line, size_t len, eie_event_t *e, const char **why) {
  static const char *names[7] = {"",
                                 "'cycle' is not a decimal integer in range",
                                 "'layer' is not a decimal integer in range",
                                 "'pass' is not a decimal integer in range",
                                 "'index' is not a decimal integer in range",
                                 "'value' is not a decimal integer in range",
                                 "'bypass' is not 0 or 1 (0 but for ACC)"};
  const char *f[8];
  size_t fl[8], nf = 0;
  while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
  if (memchr(line, 0, len)) {
    *why = "a NUL byte";
    return -1;
  }
  for (size_t i = 0; i <= len;) {
    size_t j = i;
    while (j < len && line[j] != ' ') j++;
    if (nf == 8) break;
    f[nf] = line + i;
    fl[nf++] = j - i;
    i = j + 1;
  }
  if (nf != 7) {
    *why = nf > 7 ? "more than 7 fields (one space between fields)"
                  : "fewer than 7 fields (one space between fields)";
    return -1;
  }
  memset(e, 0, sizeof *e);
  if (fl[0] == 5 && !memcmp(f[0], "BCAST", 5))
    e->kind = EIE_EV_BCAST;
  else if (fl[0] == 3 && !memcmp(f[0], "ACC", 3))
    e->kind = EIE_EV_ACC;
  else if (fl[0] == 2 && !memcmp(f[0], "WB", 2))
    e->kind = EIE_EV_WB;
  else {
    *why = "'kind' is not BCAST, ACC or WB";
    return -1;
  }
  const long long *lo = event_lo[e->kind], *hi = event_hi[e->kind];
  long long v[7];
  for (unsigned k = 1; k < 7; k++)
    if (event_field(f[k], fl[k], lo[k], hi[k], &v[k])) {
      *why = names[k];
      return -1;
    }
  e->cycle = (uint64_t)v[1];
  e->layer = (uint32_t)v[2];
  e->pass = (uint32_t)v[3];
  e->index = (uint32_t)v[4];
  e->value = (int32_t)v[5];
  e->bypass = (int)v[6];
  return 0;
}

/* An event file's lines, from its bytes in memory. */
typedef struct {
  const char *p, *end;
  unsigned long line; /* lines consumed */
  uint64_t index;     /* events consumed */
} event_cursor_t;

/* Next event line (comments skipped); 1 when read, 0 at the end, -1
 * malformed (*why says which field). Lines of any length. */
static int next_event(event_cursor_t *c, eie_event_t *e, const char **why) {
  while (c->p < c->end) {
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    const char *line = c->p;
    const size_t n = nl ? (size_t)(nl - line) + 1 : (size_t)(c->end - line);
    c->p = line + n;
    c->line++;
    if (n >= 2 && line[0] == '/' && line[1] == '/') continue;
    return eie_pack_parse_event(line, n, e, why) ? -1 : 1;
  }
  return 0;
}

/* Whether eie_pack_parse_event can give e: a kind of the three, every field
 * in its range. */
static int event_in_range(const eie_event_t *e) {
  if (e->kind != EIE_EV_BCAST && e->kind != EIE_EV_ACC && e->kind != EIE_EV_WB) return 0;
  const long long *lo = event_lo[e->kind], *hi = event_hi[e->kind];
  const long long v[7] = {0, 0, e->layer, e->pass, e->index, e->value, e->bypass};
  for (unsigned k = 2; k < 7; k++)
    if (v[k] < lo[k] || v[k] > hi[k]) return 0;
  return e->cycle <= (uint64_t)hi[1];
}

/* The line at the cursor when it holds exactly the text of `have`: consumed
 * (1). Else 0, the cursor unchanged. A line compares equal to an event in
 * range exactly when it is that event's text (event_format), then only '\r's
 * up to its '\n' or the end of the file: fields are decimal without leading
 * zeros, '+' or "-0", one space between, so an event has one text, and the
 * parser drops just those line ends. An event out of range matches no line
 * (not even its own text, which the parser refuses), so it is left to
 * next_event, as is every line that is not an event's text (comments,
 * malformed lines, differences): their reports are next_event's. */
static int next_event_is(event_cursor_t *c, const eie_event_t *have, event_memo_t *memo) {
  if (!event_in_range(have)) return 0;
  char t[EIE_PACK_EVENT_TEXT_MAX];
  const size_t n = event_format(have, t, memo);
  if ((size_t)(c->end - c->p) < n || memcmp(c->p, t, n)) return 0;
  const char *q = c->p + n;
  while (q < c->end && *q == '\r') q++;
  if (q < c->end && *q++ != '\n') return 0;
  c->p = q;
  c->line++;
#if defined(__GNUC__)
  /* Streams are read in turn, each a line at a time: its next bytes are
   * fetched now, so that the next event of this stream finds them cached. */
  if (c->end - q > 64) __builtin_prefetch(q + 64);
#endif
  return 1;
}

static void event_text(const eie_event_t *e, char *out, size_t n) {
  if (!e) {
    snprintf(out, n, "(none)");
    return;
  }
  char t[EIE_PACK_EVENT_TEXT_MAX];
  const size_t len = event_format(e, t, NULL);
  snprintf(out, n, "%.*s", (int)len, t);
}

/* One failed comparison of stream s: the file, the event, both sides. */
static eie_status_t event_mismatch(const char *dir, uint32_t s, uint64_t index, unsigned long line,
                                   const eie_event_t *want, const eie_event_t *have,
                                   eie_err_t *err) {
  char name[64], a[96], b[96];
  event_file(s, name, sizeof name);
  event_text(want, a, sizeof a);
  event_text(have, b, sizeof b);
  return eie_fail(err, EIE_STATUS_MISMATCH,
                  "%s/%s: event %llu (line %lu): expected '%s', the run gives '%s'", dir, name,
                  (unsigned long long)index, line, a, b);
}

static eie_status_t event_malformed(const char *dir, uint32_t s, unsigned long line,
                                    const char *why, eie_err_t *err) {
  char name[64];
  event_file(s, name, sizeof name);
  return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s/%s: line %lu: %s; the fields are '%s'", dir, name,
                  line, why, EIE_EVENT_FIELDS);
}

struct eie_pack_event_check {
  const char *dir;
  uint32_t streams;
  event_cursor_t *cur;
  eie_pack_text_t *owned; /* files read by eie_pack_check_events (else NULL) */
  int parse_every_line;   /* no next_event_is: every line parsed and compared */
  uint64_t parsed;        /* event lines parsed (the others: next_event_is) */
  event_memo_t memo;      /* next_event_is's */
  uint64_t compared;
  eie_status_t st; /* the first problem, in err */
  eie_err_t err;
};

static eie_status_t check_new(const char *dir, uint32_t streams, const eie_pack_text_t *text,
                              eie_pack_event_check_t **out, eie_err_t *err) {
  eie_pack_event_check_t *c = calloc(1, sizeof *c);
  if (c) c->cur = calloc(streams, sizeof *c->cur);
  if (!c || !c->cur) {
    free(c);
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for the event comparison");
  }
  c->dir = dir;
  c->streams = streams;
  for (uint32_t s = 0; s < streams; s++) {
    c->cur[s].p = text[s].data;
    c->cur[s].end = text[s].data + text[s].len;
  }
  *out = c;
  return EIE_OK;
}

eie_status_t eie_pack_events_begin(const eie_pack_t *pk, const char *dir,
                                   eie_pack_event_check_t **c, eie_err_t *err) {
  *c = NULL;
  if (!pk->event_text)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: the pack has no event files", dir);
  return check_new(dir, pk->prog.cfg.num_pe + 1, pk->event_text, c, err);
}

void eie_pack_events_feed(void *user, const eie_event_t *have) {
  eie_pack_event_check_t *c = user;
  if (c->st) return;
  const uint32_t s = event_stream(have);
  if (s >= c->streams) {
    c->st = eie_fail(&c->err, EIE_STATUS_MISMATCH, "%s: an event of PE %u, beyond the pack's %u",
                     c->dir, have->pe, c->streams - 1);
    return;
  }
  event_cursor_t *cur = &c->cur[s];
  if (!c->parse_every_line && next_event_is(cur, have, &c->memo)) {
    cur->index++;
    c->compared++;
    return;
  }
  eie_event_t want;
  const char *why = "";
  const int got = next_event(cur, &want, &why);
  c->parsed += got != 0;
  if (got < 0)
    c->st = event_malformed(c->dir, s, cur->line, why, &c->err);
  else if (!got || want.kind != have->kind || want.cycle != have->cycle ||
           want.layer != have->layer || want.pass != have->pass || want.index != have->index ||
           want.value != have->value || (want.bypass != 0) != (have->bypass != 0))
    c->st = event_mismatch(c->dir, s, cur->index, cur->line, got ? &want : NULL, have, &c->err);
  cur->index++;
  c->compared++;
}

void eie_pack_events_parse_every_line(eie_pack_event_check_t *c) {
  c->parse_every_line = 1;
}

uint64_t eie_pack_events_parsed(const eie_pack_event_check_t *c) {
  return c->parsed;
}

eie_status_t eie_pack_events_end(eie_pack_event_check_t *c, uint64_t *compared, eie_err_t *err) {
  /* Every file must be at its end. */
  for (uint32_t s = 0; s < c->streams && !c->st; s++) {
    eie_event_t want;
    const char *why = "";
    const int got = next_event(&c->cur[s], &want, &why);
    if (got < 0)
      c->st = event_malformed(c->dir, s, c->cur[s].line, why, &c->err);
    else if (got)
      c->st = event_mismatch(c->dir, s, c->cur[s].index, c->cur[s].line, &want, NULL, &c->err);
  }
  const eie_status_t st = c->st;
  if (st) *err = c->err;
  if (compared) *compared = c->compared;
  for (uint32_t s = 0; c->owned && s < c->streams; s++) free(c->owned[s].data);
  free(c->owned);
  free(c->cur);
  free(c);
  return st;
}

eie_status_t eie_pack_check_events(const char *dir, uint32_t num_pe, const eie_event_t *ev,
                                   size_t n, eie_err_t *err) {
  const uint32_t streams = num_pe + 1;
  eie_pack_text_t *text = calloc(streams, sizeof *text);
  eie_status_t st = text ? EIE_OK : eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory");
  for (uint32_t s = 0; s < streams && !st; s++) {
    char name[64];
    event_file(s, name, sizeof name);
    st = eie_fsafe_read_all(dir, name, EIE_FSAFE_NO_LIMIT, &text[s].data, &text[s].len, err);
  }
  eie_pack_event_check_t *c = NULL;
  if (!st) st = check_new(dir, streams, text, &c, err);
  if (st) {
    for (uint32_t s = 0; text && s < streams; s++) free(text[s].data);
    free(text);
    return st;
  }
  c->owned = text;
  for (size_t i = 0; i < n && !c->st; i++) eie_pack_events_feed(c, &ev[i]);
  return eie_pack_events_end(c, NULL, err);
}

eie_status_t eie_pack_read_events(const eie_pack_t *pk, const char *dir, eie_event_t **out,
                                  size_t *num, eie_err_t *err) {
  *out = NULL;
  *num = 0;
  const uint32_t num_pe = pk->prog.cfg.num_pe;
  if (!pk->event_text)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: the pack has no event files", dir);
  eie_event_t *ev = NULL;
  size_t n = 0, cap = 0;
  eie_status_t st = EIE_OK;
  for (uint32_t s = 0; s <= num_pe && !st; s++) {
    event_cursor_t cur = {pk->event_text[s].data, pk->event_text[s].data + pk->event_text[s].len, 0,
                          0};
    for (;;) {
      eie_event_t e;
      const char *why = "";
      const int got = next_event(&cur, &e, &why);
      if (got < 0) {
        st = event_malformed(dir, s, cur.line, why, err);
        break;
      }
      if (!got) break;
      if ((s == 0) != (e.kind == EIE_EV_BCAST)) {
        char name[64];
        event_file(s, name, sizeof name);
        st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s/%s: line %lu: a %s event in this file", dir,
                      name, cur.line, eie_event_kind_name(e.kind));
        break;
      }
      e.pe = s ? s - 1 : 0;
      if (n == cap) {
        cap = cap ? 2 * cap : 1024;
        eie_event_t *p = realloc(ev, cap * sizeof *p);
        if (!p) {
          st = eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory for the event streams");
          break;
        }
        ev = p;
      }
      ev[n++] = e;
    }
  }
  if (st) {
    free(ev);
    return st;
  }
  *out = ev;
  *num = n;
  return EIE_OK;
}

eie_status_t eie_pack_read(const char *dir, eie_pack_t *pk, eie_err_t *err) {
  return eie_pack_read_opts(dir, pk, 0, err);
}

eie_status_t eie_pack_read_opts(const char *dir, eie_pack_t *pk, int verify, eie_err_t *err) {
  memset(pk, 0, sizeof *pk);
  char path[4096];
  if (strlen(dir) > 3000)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "pack directory name is too long");
  snprintf(path, sizeof path, "%s/manifest.json", dir);
  json_t *m;
  eie_fsafe_dir_t fs;
  eie_fsafe_dir_open(&fs, dir);
  eie_status_t st = eie_fsafe_read_json_in(&fs, "manifest.json", &m, err);
  if (st) {
    eie_fsafe_dir_close(&fs);
    return st;
  }
  reader_t r = {dir, &fs, NULL, json_object(), err, verify, 0, NULL, NULL};
  st = json_is_object(m) ? read_contents(&r, m, pk)
                         : eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: not a JSON object", path);
  events_ahead_drop(&r);
  eie_fsafe_dir_close(&fs);
  json_decref(r.checked);
  json_decref(r.listing);
  json_decref(m);
  if (st) eie_pack_free(pk);
  return st;
}
