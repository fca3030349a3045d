/* VCD writer for the C model (see eie_vcd.h). */
#include "eie/eie_vcd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per-PE signals, in this order, each with its RTL name under g_pe[k].u_pe. */
enum {
  S_COUNT,
  S_PVALID,
  S_SVALID,
  S_SJ,
  S_SADDR,
  S_SEND,
  S_A1,
  S_A2,
  S_A3,
  S_ACCV,
  S_ACCROW,
  S_ACCSUM,
  S_BYP,
  S_WBV,
  S_WBROW,
  S_WBY,
  S_PE_N
};
static const struct {
  const char *name;
  unsigned width;
} kPeSig[S_PE_N] = {{"u_act_queue.count_o", 0},     {"u_ptr_read.p_valid_q", 1},
                    {"u_spmat_read.s_valid_q", 1},  {"u_spmat_read.s_j_q", 16},
                    {"u_spmat_read.s_addr_q", 0},   {"u_spmat_read.s_end_q", 0},
                    {"u_spmat_read.a1_valid_q", 1}, {"u_arith.a2_valid_q", 1},
                    {"u_arith.a3_valid_q", 1},      {"obs_acc_valid_o", 1},
                    {"obs_acc_row_o", 16},          {"obs_acc_sum_o", 32},
                    {"obs_acc_bypass_o", 1},        {"obs_wb_valid_o", 1},
                    {"obs_wb_row_o", 16},           {"obs_wb_y_o", 16}};
enum { G_STATE, G_LAYER, G_PASS, G_CYCLES, G_STALL, G_SLOT, G_BV, G_BJ, G_BA, G_N };
static const struct {
  const char *scope, *name;
  unsigned width;
} kSig[G_N] = {
    {"u_ccu", "state_q", 3},        {"u_ccu", "layer_q", 4},     {"u_ccu", "pass_q", 16},
    {"u_ccu", "cycles_q", 64},      {NULL, "obs_stall_o", 1},    {"u_lnzd", "next_slot_q", 16},
    {NULL, "obs_bcast_valid_o", 1}, {NULL, "obs_bcast_j_o", 16}, {NULL, "obs_bcast_a_o", 16}};

struct eie_vcd {
  FILE *f;
  uint32_t n, rf;
  uint64_t t0; /* time of cycle 0 */
  unsigned qbits, ebits;
  uint64_t *last; /* last value written, per signal (global first, then PE-major) */
  uint8_t *known;
  /* events of the current cycle */
  int bc_valid;
  uint32_t bc_j;
  int32_t bc_a;
  uint8_t *acc_v, *acc_b, *wb_v;
  uint32_t *acc_row, *wb_row;
  int32_t *acc_sum, *wb_y;
  eie_ccu_view_t ccu;
  eie_pe_view_t *pv;
};

static unsigned bits_for(uint64_t n) { /* $clog2(n) */
  unsigned b = 0;
  while ((1ull << b) < n) b++;
  return b;
}

static void ident(unsigned i, char out[8]) { /* printable VCD identifier */
  int k = 0;
  do {
    out[k++] = (char)('!' + i % 94);
    i /= 94;
  } while (i && k < 6);
  out[k] = 0;
}

static void var(FILE *f, unsigned id, unsigned w, const char *name) {
  char s[8];
  ident(id, s);
  if (w == 1)
    fprintf(f, "$var wire 1 %s %s $end\n", s, name);
  else
    fprintf(f, "$var wire %u %s %s [%u:0] $end\n", w, s, name, w - 1);
}

static unsigned pe_width(const eie_vcd_t *v, unsigned s) {
  return s == S_COUNT ? v->qbits : (s == S_SADDR || s == S_SEND) ? v->ebits : kPeSig[s].width;
}

eie_status_t eie_vcd_open(const char *path, const eie_array_t *a, eie_vcd_t **out, eie_err_t *err) {
  *out = NULL;
  const eie_config_t *cfg = eie_array_config(a);
  eie_vcd_t *v = calloc(1, sizeof *v);
  if (!v) return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory");
  v->n = cfg->num_pe;
  v->rf = cfg->rf_depth;
  v->qbits = bits_for((uint64_t)cfg->fifo_depth + 1);
  v->ebits = bits_for(cfg->spmat_lines) + 3;
  size_t nsig = G_N + (size_t)S_PE_N * v->n;
  v->last = calloc(nsig, sizeof *v->last);
  v->known = calloc(nsig, 1);
  v->acc_v = calloc(v->n, 1);
  v->acc_b = calloc(v->n, 1);
  v->wb_v = calloc(v->n, 1);
  v->acc_row = calloc(v->n, sizeof *v->acc_row);
  v->wb_row = calloc(v->n, sizeof *v->wb_row);
  v->acc_sum = calloc(v->n, sizeof *v->acc_sum);
  v->wb_y = calloc(v->n, sizeof *v->wb_y);
  v->pv = calloc(v->n, sizeof *v->pv);
  v->f = v->pv ? fopen(path, "w") : NULL;
  if (!v->f || !v->last || !v->known || !v->acc_v || !v->acc_b || !v->wb_v || !v->acc_row ||
      !v->wb_row || !v->acc_sum || !v->wb_y) {
    int e = errno;
    eie_vcd_close(v, NULL);
    return eie_fail(err, EIE_STATUS_IO, "%s: cannot create: %s", path, strerror(e));
  }
  FILE *f = v->f;
  fprintf(f, "$comment EIE C model, signals named as in the RTL $end\n$timescale 1ps $end\n");
  fprintf(f, "$scope module top $end\n$scope module eie_top $end\n");
  for (unsigned i = 0; i < G_N; i++)
    if (!kSig[i].scope) var(f, i, kSig[i].width, kSig[i].name);
  const char *scopes[] = {"u_ccu", "u_lnzd"};
  for (unsigned s = 0; s < 2; s++) {
    fprintf(f, "$scope module %s $end\n", scopes[s]);
    for (unsigned i = 0; i < G_N; i++)
      if (kSig[i].scope && !strcmp(kSig[i].scope, scopes[s]))
        var(f, i, kSig[i].width, kSig[i].name);
    fprintf(f, "$upscope $end\n");
  }
  for (uint32_t k = 0; k < v->n; k++) {
    fprintf(f, "$scope module g_pe[%u] $end\n$scope module u_pe $end\n", k);
    char cur[32] = ""; /* the unit scope open inside u_pe, if any */
    for (unsigned s = 0; s < S_PE_N; s++) {
      const char *dot = strchr(kPeSig[s].name, '.');
      char scope[32] = "";
      if (dot) snprintf(scope, sizeof scope, "%.*s", (int)(dot - kPeSig[s].name), kPeSig[s].name);
      if (strcmp(scope, cur)) {
        if (cur[0]) fprintf(f, "$upscope $end\n");
        if (scope[0]) fprintf(f, "$scope module %s $end\n", scope);
        snprintf(cur, sizeof cur, "%s", scope);
      }
      var(f, G_N + S_PE_N * k + s, pe_width(v, s), dot ? dot + 1 : kPeSig[s].name);
    }
    if (cur[0]) fprintf(f, "$upscope $end\n");
    fprintf(f, "$upscope $end\n$upscope $end\n");
  }
  fprintf(f, "$upscope $end\n$upscope $end\n$enddefinitions $end\n");
  *out = v;
  return EIE_OK;
}

void eie_vcd_event(eie_vcd_t *v, const eie_event_t *ev) {
  const uint32_t k = ev->pe, row0 = ev->pass * v->rf;
  if (ev->kind == EIE_EV_BCAST) {
    v->bc_valid = 1;
    v->bc_j = ev->index;
    v->bc_a = ev->value;
  } else if (ev->kind == EIE_EV_ACC && k < v->n) {
    v->acc_v[k] = 1;
    v->acc_row[k] = ev->index / v->n - row0;
    v->acc_sum[k] = ev->value;
    v->acc_b[k] = (uint8_t)ev->bypass;
  } else if (ev->kind == EIE_EV_WB && k < v->n) {
    v->wb_v[k] = 1;
    v->wb_row[k] = ev->index / v->n - row0;
    v->wb_y[k] = ev->value;
  }
}

static void put(eie_vcd_t *v, unsigned id, unsigned w, uint64_t val, int *stamped, uint64_t t) {
  if (w < 64) val &= (1ull << w) - 1;
  if (v->known[id] && v->last[id] == val) return;
  if (!*stamped) {
    fprintf(v->f, "#%llu\n", (unsigned long long)t);
    *stamped = 1;
  }
  v->known[id] = 1;
  v->last[id] = val;
  char s[8];
  ident(id, s);
  if (w == 1) {
    fprintf(v->f, "%d%s\n", (int)val, s);
    return;
  }
  char b[65];
  int n = 0;
  for (int i = (int)w - 1; i >= 0; i--) b[n++] = (char)('0' + ((val >> i) & 1));
  b[n] = 0;
  char *p = b;
  while (p[0] == '0' && p[1]) p++; /* VCD allows leading zeros to be dropped */
  fprintf(v->f, "b%s %s\n", p, s);
}

void eie_vcd_set_origin(eie_vcd_t *v, uint64_t t0) {
  v->t0 = t0;
}

void eie_vcd_capture(eie_vcd_t *v, const eie_array_t *a) {
  eie_array_view(a, &v->ccu, v->pv);
}

void eie_vcd_cycle(eie_vcd_t *v, uint64_t cycle) {
  const eie_ccu_view_t c = v->ccu;
  const eie_pe_view_t *pv = v->pv;
  const uint64_t t = v->t0 + 10 * cycle;
  int st = 0;
  const uint64_t g[G_N] = {
      (uint64_t)c.state,     c.layer, c.pass,           cycle, (uint64_t)c.stall, c.next_slot,
      (uint64_t)v->bc_valid, v->bc_j, (uint16_t)v->bc_a};
  for (unsigned i = 0; i < G_N; i++) put(v, i, kSig[i].width, g[i], &st, t);
  for (uint32_t k = 0; k < v->n; k++) {
    const eie_pe_view_t *p = &pv[k];
    const uint64_t s[S_PE_N] = {p->queue_count,
                                (uint64_t)p->ptr_valid,
                                (uint64_t)p->stream_valid,
                                p->stream_col,
                                p->stream_addr,
                                p->stream_end,
                                (uint64_t)p->a1_valid,
                                (uint64_t)p->a2_valid,
                                (uint64_t)p->a3_valid,
                                v->acc_v[k],
                                v->acc_row[k],
                                (uint32_t)v->acc_sum[k],
                                v->acc_b[k],
                                v->wb_v[k],
                                v->wb_row[k],
                                (uint16_t)v->wb_y[k]};
    for (unsigned i = 0; i < S_PE_N; i++)
      put(v, G_N + S_PE_N * k + i, pe_width(v, i), s[i], &st, t);
  }
  v->bc_valid = 0;
  memset(v->acc_v, 0, v->n);
  memset(v->wb_v, 0, v->n);
}

eie_status_t eie_vcd_close(eie_vcd_t *v, eie_err_t *err) {
  if (!v) return EIE_OK;
  eie_status_t st = EIE_OK;
  if (v->f && (ferror(v->f) | fclose(v->f))) st = eie_fail(err, EIE_STATUS_IO, "VCD write failed");
  free(v->last);
  free(v->known);
  free(v->acc_v);
  free(v->acc_b);
  free(v->wb_v);
  free(v->acc_row);
  free(v->wb_row);
  free(v->acc_sum);
  free(v->wb_y);
  free(v->pv);
  free(v);
  return st;
}
