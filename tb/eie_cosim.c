/* Lock-step co-simulation (see eie_cosim.h). */
#define _POSIX_C_SOURCE 200809L
#include "eie_cosim.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eie/eie_driver.h"
#include "eie/eie_model.h"
#include "eie_rtl.h"

/* One ordered event stream of one side: BCAST, or one PE's ACC and WB. */
typedef struct {
  eie_event_t *ev;
  size_t n, cap, head;
  uint64_t dropped; /* events compared and discarded before ev[0] */
} stream_t;

typedef struct {
  uint32_t num_pe;
  stream_t *s; /* [0] = BCAST, [1 + k] = PE k */
} side_t;

static void push(stream_t *s, const eie_event_t *e) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 64;
    eie_event_t *p = realloc(s->ev, s->cap * sizeof *p);
    if (!p) abort();
    s->ev = p;
  }
  s->ev[s->n++] = *e;
}

static void collect(void *user, const eie_event_t *e) {
  side_t *side = user;
  push(&side->s[e->kind == EIE_EV_BCAST ? 0 : 1 + e->pe], e);
}

typedef struct {
  const char *name;
  FILE *out;
  uint64_t compared, mismatches;
  int reported;
  int64_t div_pe; /* -1: not a PE's stream */
  uint64_t div_cycle;
} cmp_t;

static void report_pair(cmp_t *c, size_t stream, uint64_t index, const eie_event_t *m,
                        const eie_event_t *r, const char *why) {
  c->mismatches++;
  if (c->reported) return;
  c->reported = 1;
  FILE *f = c->out;
  const eie_event_t *any = m ? m : r;
  c->div_pe = stream ? (int64_t)stream - 1 : -1;
  c->div_cycle = m && r && m->cycle < r->cycle ? m->cycle : any->cycle;
  if (m && r && r->cycle < m->cycle) c->div_cycle = r->cycle;
  if (stream == 0)
    fprintf(f, "MISMATCH test=%s stream=bcast event=%llu cycle=%llu\n", c->name,
            (unsigned long long)index, (unsigned long long)any->cycle);
  else
    fprintf(f, "MISMATCH test=%s pe=%zu event=%llu cycle=%llu\n", c->name, stream - 1,
            (unsigned long long)index, (unsigned long long)any->cycle);
  if (why) {
    fprintf(f, "  %s\n", why);
  }
  const char *names[] = {"kind", "cycle", "layer", "pass", stream ? "row" : "j", "value", "bypass"};
  long long mv[7] = {0}, rv[7] = {0};
  if (m) {
    long long t[7] = {m->kind,  (long long)m->cycle, m->layer, m->pass, m->index, m->value,
                      m->bypass};
    memcpy(mv, t, sizeof t);
  }
  if (r) {
    long long t[7] = {r->kind,  (long long)r->cycle, r->layer, r->pass, r->index, r->value,
                      r->bypass};
    memcpy(rv, t, sizeof t);
  }
  fprintf(f, "  %-7s %-22s %s\n", "field", "cmodel", "rtl");
  int marked = 0;
  for (int i = 0; i < 7; i++) {
    char a[32], b[32];
    if (i == 0) {
      snprintf(a, sizeof a, "%s", m ? eie_event_kind_name(m->kind) : "(none)");
      snprintf(b, sizeof b, "%s", r ? eie_event_kind_name(r->kind) : "(none)");
    } else if (i == 4 || i == 5) {
      /* Decimal as in event files and traces, then hex as GTKWave shows the port. */
      const unsigned w = stream && i == 5 && any->kind == EIE_EV_ACC ? 8 : 4;
      if (m)
        snprintf(a, sizeof a, "%lld (0x%0*llx)", mv[i], w,
                 (unsigned long long)(uint32_t)mv[i] & (w == 8 ? 0xffffffffull : 0xffffull));
      else
        snprintf(a, sizeof a, "-");
      if (r)
        snprintf(b, sizeof b, "%lld (0x%0*llx)", rv[i], w,
                 (unsigned long long)(uint32_t)rv[i] & (w == 8 ? 0xffffffffull : 0xffffull));
      else
        snprintf(b, sizeof b, "-");
    } else {
      snprintf(a, sizeof a, m ? "%lld" : "-", mv[i]);
      snprintf(b, sizeof b, r ? "%lld" : "-", rv[i]);
    }
    int diff = m && r && mv[i] != rv[i];
    if (diff && !marked)
      fprintf(f, "  %-7s %-22s %-22s   <-- first difference\n", names[i], a, b);
    else
      fprintf(f, "  %-7s %-22s %s\n", names[i], a, b);
    marked |= diff;
  }
}

/* Compare what both sides have produced so far, in order. */
static void compare(cmp_t *c, side_t *m, side_t *r, int final) {
  for (uint32_t s = 0; s <= m->num_pe; s++) {
    stream_t *a = &m->s[s], *b = &r->s[s];
    while (a->head < a->n && b->head < b->n) {
      const eie_event_t *x = &a->ev[a->head], *y = &b->ev[b->head];
      c->compared++;
      if (x->kind != y->kind || x->cycle != y->cycle || x->layer != y->layer ||
          x->pass != y->pass || x->index != y->index || x->value != y->value ||
          x->bypass != y->bypass)
        report_pair(c, s, a->dropped + a->head, x, y, NULL);
      a->head++;
      b->head++;
    }
    /* Events one side has and the other never produced by now. */
    if (final) {
      for (; a->head < a->n; a->head++)
        report_pair(c, s, a->dropped + a->head, &a->ev[a->head], NULL, "the RTL has no such event");
      for (; b->head < b->n; b->head++)
        report_pair(c, s, b->dropped + b->head, NULL, &b->ev[b->head],
                    "the C model has no such event");
    }
    /* Keep memory bounded: drop compared events. */
    if (a->head == a->n) a->dropped += a->n, a->head = a->n = 0;
    if (b->head == b->n) b->dropped += b->n, b->head = b->n = 0;
  }
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void side_free(side_t *s) {
  if (!s->s) return;
  for (uint32_t i = 0; i <= s->num_pe; i++) free(s->s[i].ev);
  free(s->s);
}

uint64_t eie_cosim_run_start_time(uint64_t load_writes) {
  /* Reset: two clocks (time 20); then a clock (10 units, rising edge at +5) per bus
   * access; the rising edge of the START write (access load_writes + 2) starts cycle 0. */
  return 20 + 10 * (load_writes + 1) + 5;
}

void eie_cosim_result_free(eie_cosim_result_t *res) {
  free(res->stats.pe);
  res->stats.pe = NULL;
}

/* After a report: how many more differences, and the rerun command. */
static void report_tail(const cmp_t *c, const char *rerun) {
  if (!c->reported) return;
  if (c->mismatches > 1)
    fprintf(c->out, "  %llu more difference%s\n", (unsigned long long)(c->mismatches - 1),
            c->mismatches > 2 ? "s" : "");
  if (rerun) fprintf(c->out, "  %s\n", rerun);
}

static int side_alloc(side_t *s) {
  s->s = calloc(s->num_pe + 1, sizeof *s->s);
  return s->s != NULL;
}

void eie_cosim_compare_events(const char *name, uint32_t num_pe, const eie_event_t *expected,
                              size_t n_expected, const eie_event_t *got, size_t n_got, FILE *report,
                              eie_cosim_result_t *res) {
  side_t ms = {num_pe, NULL}, rs = {num_pe, NULL};
  cmp_t c = {name, report ? report : stderr, 0, 0, 0, -1, 0};
  if (!side_alloc(&ms) || !side_alloc(&rs)) abort();
  for (size_t i = 0; i < n_expected; i++)
    if (expected[i].kind == EIE_EV_BCAST || expected[i].pe < num_pe) collect(&ms, &expected[i]);
  for (size_t i = 0; i < n_got; i++)
    if (got[i].kind == EIE_EV_BCAST || got[i].pe < num_pe) collect(&rs, &got[i]);
  compare(&c, &ms, &rs, 1);
  res->events_compared += c.compared;
  res->mismatches += c.mismatches;
  if (c.reported && !res->diverged) {
    res->diverged = 1;
    res->div_pe = c.div_pe;
    res->div_cycle = c.div_cycle;
  }
  report_tail(&c, NULL);
  side_free(&ms);
  side_free(&rs);
}

/* CTRL = CLEAR, then CTRL = START: one bus access (one clock) each. */
static int start(eie_bus_t *b) {
  return b->write(b->ctx, EIE_REG_CTRL, EIE_CTRL_CLEAR) ||
         b->write(b->ctx, EIE_REG_CTRL, EIE_CTRL_START);
}

eie_status_t eie_cosim_run(const eie_program_t *prog, const int16_t *expected,
                           const eie_cosim_opts_t *o, eie_cosim_result_t *res, int16_t *y_rtl,
                           eie_err_t *err) {
  memset(res, 0, sizeof *res);
  res->div_pe = -1;
  const eie_config_t *cfg = &prog->cfg;
  const uint32_t out_len = prog->desc[prog->num_layers - 1].out_len;
  eie_rtl_t *rtl = NULL;
  eie_array_t *model = NULL;
  side_t ms = {cfg->num_pe, NULL}, rs = {cfg->num_pe, NULL};
  int16_t *y_model = NULL;
  const int both = o->engine == EIE_ENGINE_BOTH;
  cmp_t c = {o->name, o->report ? o->report : stderr, 0, 0, 0, -1, 0};
  eie_bus_t mbus = {0};
  eie_status_t st = eie_rtl_create(cfg, o->trace_path, &rtl, err);
  if (st) return st;
  eie_bus_t rbus = eie_rtl_bus(rtl);
  if ((st = eie_driver_load(&rbus, prog, err))) goto out;
  res->load_ticks = eie_rtl_ticks(rtl);
  if (both) {
    if ((st = eie_array_create(cfg, &model, err))) goto out;
    mbus = eie_model_bus(model);
    if ((st = eie_driver_load(&mbus, prog, err))) goto out;
    if (!side_alloc(&ms) || !side_alloc(&rs)) {
      st = eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory");
      goto out;
    }
    eie_array_set_event_cb(model, collect, &ms);
    eie_rtl_set_event_cb(rtl, collect, &rs);
  } else if (o->rtl_events) {
    eie_rtl_set_event_cb(rtl, o->rtl_events, o->rtl_user);
  }
  if ((both && start(&mbus)) || start(&rbus)) {
    st = eie_fail(err, EIE_STATUS_BAD_INPUT, "bus refused START");
    goto out;
  }
  res->run_start_time = eie_rtl_time(rtl) - 5; /* the rising edge of the START write */
  if (both && !eie_array_busy(model)) {
    st = eie_fail(err, EIE_STATUS_BAD_INPUT, "START refused: %s", eie_array_error(model));
    goto out;
  }
  if (!both && !eie_rtl_busy(rtl)) {
    st = eie_fail(err, EIE_STATUS_BAD_INPUT, "START refused (STATUS.ERROR)");
    goto out;
  }
  double t0 = now_s();
  uint64_t n = 0;
  int done_reported = 0;
  /* One clock per cycle while either side is busy: cycle n is the n-th clock. */
  while ((both && eie_array_busy(model)) || eie_rtl_busy(rtl)) {
    if (n++ >= o->max_cycles) {
      st = eie_fail(err, EIE_STATUS_TIMEOUT, "%s: no DONE within %llu cycles", o->name,
                    (unsigned long long)o->max_cycles);
      break;
    }
    const int mb = both && eie_array_busy(model), rb = eie_rtl_busy(rtl);
    if (both && mb != rb && !done_reported) {
      done_reported = 1;
      c.mismatches++;
      if (!c.reported) {
        c.reported = 1;
        c.div_pe = -1;
        c.div_cycle = n - 1;
        fprintf(c.out,
                "MISMATCH test=%s stream=ccu cycle=%llu\n  field   %-22s %s\n"
                "  busy    %-22d %-22d   <-- first difference\n",
                o->name, (unsigned long long)(n - 1), "cmodel", "rtl", mb, rb);
      }
    }
    if (mb) eie_array_tick(model);
    if (rb) eie_rtl_tick(rtl);
    if (both) compare(&c, &ms, &rs, 0);
  }
  res->seconds = now_s() - t0;
  uint32_t lo = 0, hi = 0;
  rbus.read(rtl, EIE_REG_CYCLES_LO, &lo);
  rbus.read(rtl, EIE_REG_CYCLES_HI, &hi);
  res->cycles_rtl = (uint64_t)hi << 32 | lo;
  if (both) {
    if (!st) compare(&c, &ms, &rs, 1); /* after a timeout, unmatched events are not differences */
    mbus.read(model, EIE_REG_CYCLES_LO, &lo);
    mbus.read(model, EIE_REG_CYCLES_HI, &hi);
    res->cycles_model = (uint64_t)hi << 32 | lo;
    if (!st && res->cycles_model != res->cycles_rtl) {
      c.mismatches++;
      if (!c.reported) {
        c.reported = 1;
        c.div_pe = -1;
        c.div_cycle = res->cycles_model < res->cycles_rtl ? res->cycles_model : res->cycles_rtl;
        fprintf(c.out,
                "MISMATCH test=%s field=cycles\n  field   %-22s %s\n  cycles  %-22llu %-22llu   "
                "<-- first difference\n",
                o->name, "cmodel", "rtl", (unsigned long long)res->cycles_model,
                (unsigned long long)res->cycles_rtl);
      }
    }
    res->events_compared = c.compared;
    res->mismatches = c.mismatches;
    const eie_stats_t *ms_stats = eie_array_stats(model);
    res->stats = *ms_stats;
    res->stats.pe = malloc(sizeof *res->stats.pe * (ms_stats->num_pe ? ms_stats->num_pe : 1));
    if (res->stats.pe) {
      memcpy(res->stats.pe, ms_stats->pe, sizeof *res->stats.pe * ms_stats->num_pe);
      res->has_stats = 1;
    }
    mbus.write(model, EIE_REG_CTRL, EIE_CTRL_CLEAR);
    y_model = malloc(sizeof *y_model * out_len);
    if (!st && y_model) st = eie_driver_read_output(&mbus, prog, y_model, err);
    if (c.reported) {
      res->diverged = 1;
      res->div_pe = c.div_pe;
      res->div_cycle = c.div_cycle;
    }
    report_tail(&c, o->rerun);
  }
  rbus.write(rtl, EIE_REG_CTRL, EIE_CTRL_CLEAR);
  if (st) goto out;
  uint64_t acyc;
  if (eie_rtl_failed(rtl, &acyc)) {
    fprintf(o->report ? o->report : stderr,
            "ASSERTION test=%s cycle=%llu (the %%Error line above names it)\n", o->name,
            (unsigned long long)acyc);
    if (o->rerun) fprintf(o->report ? o->report : stderr, "  %s\n", o->rerun);
    if (!res->diverged) {
      res->diverged = 1;
      res->div_pe = -1;
      res->div_cycle = acyc;
    }
    res->mismatches++;
    st = EIE_STATUS_MISMATCH;
    goto out;
  }
  if ((st = eie_driver_read_output(&rbus, prog, y_rtl, err))) goto out;
  res->outputs_match = 1;
  for (uint32_t i = 0; i < out_len; i++) {
    if ((expected && y_rtl[i] != expected[i]) || (y_model && y_model[i] != y_rtl[i]))
      res->outputs_match = 0;
  }
  if (res->mismatches || !res->outputs_match) st = EIE_STATUS_MISMATCH;
out:
  if (rtl) {
    eie_rtl_cov_t cov;
    eie_rtl_coverage(rtl, &cov);
    memcpy(res->coverage, &cov, sizeof res->coverage);
  }
  free(y_model);
  side_free(&ms);
  side_free(&rs);
  eie_array_destroy(model);
  eie_rtl_destroy(rtl);
  return st;
}
