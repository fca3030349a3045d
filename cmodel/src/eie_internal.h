/* Registered state of every unit of the array, shared by the unit files.
 * Not installed: the public API is eie_model.h. */
#ifndef EIE_INTERNAL_H
#define EIE_INTERNAL_H

#include <stdint.h>

#include "eie/eie_layer.h"
#include "eie/eie_model.h"

enum { EIE_ST_IDLE = 0, EIE_ST_SETUP = 1, EIE_ST_RUN = 2, EIE_ST_WB = 3, EIE_ST_DONE = 4 };

/* What the CCU broadcasts and the queues hold, with the cycle of the push
 * (a pop sees the entry from the next cycle on). */
typedef struct {
  uint32_t j;
  int16_t a;
  uint64_t cycle;
} eie_bcast_t;

/* Constants of the pass being run, latched in SETUP. */
typedef struct {
  uint32_t layer, pass;
  uint32_t num_pe, rf_depth;
  uint32_t in_len, out_len;
  uint32_t slots;          /* S */
  uint32_t pass_rows;      /* R_b */
  uint32_t ptr_pass_base;  /* PTR_BASE + b*(K+1) */
  uint32_t entry_base;     /* SPMAT_BASE * 8 */
  uint32_t in_base, out_base, bias_base;
  uint32_t row0;           /* b * R_F: first local row of the pass */
  unsigned shift;
  int relu, bias_en;
  int16_t codebook[16];
  int16_t weight[256];     /* of an entry byte: codebook[byte >> 4] */
  uint64_t cycle;          /* current cycle, for event stamps */
  eie_event_cb cb;
  void *cb_user;
} eie_pass_t;

/* One run of entries through the arithmetic pipeline: the stream unit sent
 * them in cycles end-n+1 .. end (see eie_pe_arith.c). */
typedef struct {
  uint64_t end; /* EIE_NO_CYCLE: none */
  uint32_t n;
  uint32_t row;     /* of the last entry */
  uint32_t real_row; /* row, or UINT32_MAX when the last entry is padding */
  int32_t sum;      /* of the last entry */
  const uint8_t *tail; /* the last entry; tail[-i] (i < n) is the entry of cycle end-i */
  uint8_t bypass;   /* the first entry took the bypass */
} eie_pe_arith_run_t;
#define EIE_NO_CYCLE (UINT64_MAX >> 1)

/* eie_pe_ptr_read: P */
typedef struct {
  int valid;
  uint32_t j, start, end; /* absolute entry addresses */
  int16_t a;
} eie_pe_ptr_regs_t;

/* eie_pe_spmat_read: S and the line buffer */
typedef struct {
  int valid, first;
  uint32_t j, addr, end;
  uint64_t now; /* S's registers are S's at the start of `now` (<= the PE's: a
                   pop does not need the column streamed up to it) */
  uint64_t last; /* the column's last cycle (the one with addr + 1 >= end) */
  int16_t a;
  uint32_t line; /* UINT32_MAX: the line buffer is invalid */
} eie_pe_stream_regs_t;

typedef struct {
  /* memories */
  uint8_t *spmat;
  uint16_t *ptr;
  int16_t *act;
  int32_t *acc; /* rf_depth accumulators */
  /* With an observer, the PE's registers below are its state at the start of
   * cycle `now`; without one, `now` is the cycle after its last column (see
   * docs/microarchitecture.md "How the model advances"). */
  uint64_t now;
  uint64_t freed; /* without an observer: the cycle S took the last column (P free from it on);
                     s.last: that column's last cycle */
  eie_pe_ptr_regs_t p;
  eie_pe_stream_regs_t s;
  /* eie_pe_arith: the row state and the last runs (A1, A2, A3 = the entries
   * streamed in the three previous cycles), the newest at arith_at */
  uint32_t last;
  uint32_t arith_at;
  eie_pe_arith_run_t arith[4];
  uint64_t entries, padding, bypasses; /* this pass's, summed into the array's statistics at drain */
  /* eie_pe_writeback */
  int wb_valid;
  uint32_t wb_row;
  int32_t wb_acc;
  int16_t wb_bias;
} eie_pe_t;

/* The activation queues. Every PE's queue receives the same pushes (the
 * broadcast), so the model stores their contents once, in a ring of at least
 * FIFO_DEPTH entries shared by the array, and each PE's queue is its own pop
 * count: occupancy = pushes - that PE's pops. A push is allowed only
 * when no queue is full, so no PE's unread entry is ever overwritten. Each
 * queue behaves exactly as a FIFO of FIFO_DEPTH entries of its own. */
typedef struct {
  eie_bcast_t *ring;   /* entry x at x & mask */
  uint32_t depth;      /* FIFO_DEPTH */
  uint32_t mask;       /* the ring's size - 1: a power of two >= FIFO_DEPTH */
  uint32_t pushed;
  uint32_t *popped;    /* per PE: pops so far (its read pointer is popped & mask) */
  uint64_t *pop_cycle; /* [x & mask][pe]: the cycle in which the PE popped entry x */
  uint32_t popped_stride; /* = NUM_PE */
} eie_bcast_ring_t;

/* Without an observer (docs/microarchitecture.md "How the model advances"):
 * every PE's cycles for an entry are worked out when it is pushed; the
 * arithmetic of up to EIE_BATCH pushed entries waits here, to be done PE by
 * PE (eie_pe_flush). */
#define EIE_BATCH 128
typedef struct {
  uint32_t n; /* entries waiting */
  uint32_t j[EIE_BATCH];
  int16_t a[EIE_BATCH];
  uint64_t *take; /* [pe][i]: the cycle in which the PE's S takes entry i's column */
} eie_pe_batch_t;

typedef struct {
  int valid;
  uint32_t j;
  int16_t a;
} eie_lnzd_stage_t;

/* eie_lnzd */
typedef struct {
  uint32_t depth; /* D_T */
  uint32_t next_slot;
  int leaf_valid;
  uint32_t leaf_slot;
  uint64_t leaf_mask[4]; /* up to 256 PEs */
  int16_t *leaf_val;     /* num_pe */
  eie_lnzd_stage_t pipe[8];
} eie_lnzd_t;

struct eie_array {
  eie_config_t cfg;
  uint32_t hash;
  eie_pe_t *pe;
  void *mem; /* the PEs' memories (eie_array_create) */
  eie_bcast_ring_t queues;
  eie_pe_batch_t batch;
  uint64_t drain_at; /* without an observer, once known: the drain-detect cycle (0: not yet) */
  uint64_t full_until; /* without an observer: some queue holds entry pushes - FIFO_DEPTH through this cycle */
  eie_lnzd_t lnzd;
  /* eie_ccu */
  int state;
  int status_done, status_error;
  char error[EIE_ERR_LEN];
  uint32_t num_layers;
  uint32_t desc_words[EIE_MAX_LAYERS][EIE_DESC_WORDS];
  int validated; /* the descriptors passed START's check and nothing it reads was written since */
  eie_desc_t desc;  /* of the running layer */
  eie_geom_t geom;
  uint32_t wb_step;
  uint64_t stall_until; /* the broadcast stalls through this cycle */
  uint64_t last_cycles;
  eie_pass_t pass;
  eie_stats_t stats;
  eie_event_cb cb;
  void *cb_user;
};

/* Unit steps (see docs/microarchitecture.md §5 and "How the model advances"). */
void eie_ccu_start(eie_array_t *a);
void eie_ccu_tick(eie_array_t *a);
void eie_lnzd_reset(eie_lnzd_t *l);
int eie_lnzd_exhausted(const eie_lnzd_t *l, const eie_pass_t *ps);
int eie_lnzd_step(eie_array_t *a); /* returns 1 when it broadcast */
/* A PE: reset for a pass whose first RUN cycle is `now`; advance its state to
 * the start of cycle t (<= the array's cycle + 1); empty at the start of t
 * (its state must have been advanced to t). */
void eie_pe_reset_pass(eie_pe_t *pe, const eie_config_t *cfg, uint64_t now);
void eie_pe_advance(eie_array_t *a, eie_pe_t *pe, uint32_t k, uint64_t t);
void eie_pe_push(eie_array_t *a);
void eie_pe_flush(eie_array_t *a);
uint64_t eie_pe_empty_from(const eie_array_t *a, const eie_pe_t *pe, uint32_t k, uint64_t t);
int eie_pe_empty(const eie_array_t *a, const eie_pe_t *pe, uint32_t k, uint64_t t);
void eie_pe_writeback_step(eie_array_t *a, eie_pe_t *pe, uint32_t k, uint32_t w);

/* The stall rule: a queue full through cycle p stalls the broadcast in
 * cycles t .. p (none when p < t). */
static inline uint64_t eie_queue_full_cycles(uint64_t p, uint64_t t) { return p >= t ? p - t + 1 : 0; }

/* eie_pe_act_queue */
static inline uint32_t eie_pe_act_queue_count(const eie_bcast_ring_t *q, uint32_t k) {
  return q->pushed - q->popped[k];
}
static inline int eie_pe_act_queue_full(const eie_bcast_ring_t *q, uint32_t k) {
  return eie_pe_act_queue_count(q, k) >= q->depth;
}
/* The queue holds an entry a pop can take in cycle c (pushed before c). */
static inline int eie_pe_act_queue_ready(const eie_bcast_ring_t *q, uint32_t k, uint64_t c) {
  return eie_pe_act_queue_count(q, k) && q->ring[q->popped[k] & q->mask].cycle < c;
}
/* PE k pops entry x in cycle c: recorded (the array's stall rule reads
 * it); the caller counts it in popped[k]. */
static inline void eie_pe_act_queue_pop_at(eie_bcast_ring_t *q, uint32_t x, uint32_t k, uint64_t c) {
  q->pop_cycle[(size_t)(x & q->mask) * q->popped_stride + k] = c;
}
void eie_pe_act_queue_reset(eie_bcast_ring_t *q, uint32_t num_pe);
void eie_pe_act_queue_push_all(eie_bcast_ring_t *q, eie_bcast_t b);
eie_bcast_t eie_pe_act_queue_pop(eie_bcast_ring_t *q, uint32_t k, uint64_t c);

/* eie_pe_act_rw */
int16_t eie_pe_act_read(eie_array_t *a, eie_pe_t *pe, uint32_t addr);
void eie_pe_act_write(eie_array_t *a, eie_pe_t *pe, uint32_t addr, int16_t v);

/* eie_pe_ptr_read: a column's entries are start .. end-1 (absolute entry
 * addresses, from the layer's first entry `base`): p[q] and p[q+1] (q = the
 * pass's pointer base + j), read from the even and odd banks together. */
static inline void eie_pe_ptr_read_column(const uint16_t *ptr, uint32_t q, uint32_t base, uint32_t *start,
                                          uint32_t *end) {
  *start = base + ptr[q];
  *end = base + ptr[q + 1]; /* q and q+1 sit in opposite banks */
}

/* eie_pe_spmat_read: the line reads of entries addr .. addr+n-1 (n >= 1), a
 * line read whenever it differs from the line buffer's (*line). */
static inline uint32_t eie_pe_spmat_read_lines(uint32_t *line, uint32_t addr, uint32_t n) {
  const uint32_t first = addr / EIE_ENTRIES_PER_LINE, last = (addr + n - 1) / EIE_ENTRIES_PER_LINE;
  const uint32_t reads = last - first + (uint32_t)(*line != first);
  *line = last;
  return reads;
}

/* Pipeline pieces of eie_pe_advance, in the files named after their units;
 * the PE loop keeps P and S in locals and passes them. */
void eie_pe_ptr_read_step(eie_array_t *a, eie_pe_t *pe, eie_pe_ptr_regs_t *p, uint32_t k, uint64_t c);
void eie_pe_spmat_read_stream(eie_array_t *a, eie_pe_t *pe, eie_pe_stream_regs_t *s, uint64_t c1);
uint64_t eie_pe_spmat_read_last(const eie_pe_stream_regs_t *s);
uint32_t eie_pe_spmat_read_take(eie_pe_stream_regs_t *s, const eie_pe_ptr_regs_t *p, uint64_t c);
void eie_pe_arith_stream(eie_array_t *a, eie_pe_t *pe, uint64_t c0, uint32_t n, const uint8_t *entries,
                         int16_t act, int first);
void eie_pe_arith_batch(eie_array_t *a, eie_pe_t *pe, uint32_t k);
void eie_pe_arith_retire(const eie_array_t *a, const eie_pe_t *pe, uint32_t k, uint64_t c);
int eie_pe_arith_valid(const eie_pe_t *pe, unsigned stage, uint64_t t);

static inline void eie_emit_at(const eie_pass_t *ps, uint64_t cycle, eie_event_kind_t kind, uint32_t pe,
                               uint32_t index, int32_t value, int bypass) {
  if (!ps->cb) return;
  eie_event_t ev = {kind, cycle, ps->layer, ps->pass, pe, index, value, bypass};
  ps->cb(ps->cb_user, &ev);
}
static inline void eie_emit(const eie_pass_t *ps, eie_event_kind_t kind, uint32_t pe, uint32_t index,
                            int32_t value, int bypass) {
  eie_emit_at(ps, ps->cycle, kind, pe, index, value, bypass);
}

#endif
