/* Registered state of every unit of the array, shared by the unit files.
 * Not installed: the public API is eie_model.h. */
#ifndef EIE_INTERNAL_H
#define EIE_INTERNAL_H

#include <stdint.h>

#include "eie/eie_layer.h"
#include "eie/eie_model.h"

enum { EIE_ST_IDLE = 0, EIE_ST_SETUP = 1, EIE_ST_RUN = 2, EIE_ST_WB = 3, EIE_ST_DONE = 4 };

/* What the CCU broadcasts and the queues hold. */
typedef struct {
  uint32_t j;
  int16_t a;
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
  uint64_t cycle;          /* current cycle, for event stamps */
  eie_event_cb cb;
  void *cb_user;
} eie_pass_t;

typedef struct {
  /* memories */
  uint8_t *spmat;
  uint16_t *ptr;
  int16_t *act;
  int32_t *acc; /* rf_depth accumulators */
  /* eie_pe_act_queue: read pointer and pops into the shared ring */
  uint32_t q_rd;
  uint64_t q_popped;
  /* eie_pe_ptr_read: P */
  int p_valid;
  uint32_t p_j, p_start, p_end; /* absolute entry addresses */
  int16_t p_a;
  /* eie_pe_spmat_read: S and the line buffer */
  int s_valid, s_first;
  uint32_t s_j, s_addr, s_end;
  int16_t s_a;
  int line_valid;
  uint32_t line_addr;
  /* eie_pe_arith: A1, A2, A3 and the row state */
  int a1_valid, a1_first;
  uint8_t a1_entry;
  int16_t a1_a;
  uint32_t last;
  int a2_valid;
  uint32_t a2_row;
  int16_t a2_w, a2_a;
  int a3_valid, a3_bypass;
  uint32_t a3_row;
  int32_t a3_prod, a3_acc_in;
  /* eie_pe_writeback */
  int wb_valid;
  uint32_t wb_row;
  int32_t wb_acc;
  int16_t wb_bias;
} eie_pe_t;

/* The activation queues. Every PE's queue receives the same pushes (the
 * broadcast), so the model stores their contents once, in a ring of
 * FIFO_DEPTH entries shared by the array, and each PE's queue is its own read
 * pointer into it: occupancy = pushes - that PE's pops. A push is allowed only
 * when no queue is full, so no PE's unread entry is ever overwritten. Each
 * queue behaves exactly as a FIFO of FIFO_DEPTH entries of its own. */
typedef struct {
  eie_bcast_t *ring;
  uint32_t depth, wr;
  uint64_t pushed;
} eie_bcast_ring_t;

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
  eie_bcast_ring_t queues;
  eie_lnzd_t lnzd;
  /* eie_ccu */
  int state;
  int status_done, status_error;
  char error[EIE_ERR_LEN];
  uint32_t num_layers;
  uint32_t desc_words[EIE_MAX_LAYERS][EIE_DESC_WORDS];
  eie_desc_t desc;  /* of the running layer */
  eie_geom_t geom;
  uint32_t wb_step;
  int stall, all_empty; /* of every PE, at the start of the next RUN cycle */
  uint64_t last_cycles;
  eie_pass_t pass;
  eie_stats_t stats;
  eie_event_cb cb;
  void *cb_user;
};

/* Unit steps (one cycle each; see docs/microarchitecture.md §5). */
void eie_ccu_start(eie_array_t *a);
void eie_ccu_tick(eie_array_t *a);
void eie_lnzd_reset(eie_lnzd_t *l);
int eie_lnzd_exhausted(const eie_lnzd_t *l, const eie_pass_t *ps);
int eie_lnzd_step(eie_array_t *a); /* returns 1 when it broadcast */
int eie_pe_empty(const eie_bcast_ring_t *q, const eie_pe_t *pe);
void eie_pe_reset_pass(eie_pe_t *pe, const eie_config_t *cfg);
void eie_pe_step(eie_array_t *a, eie_pe_t *pe, uint32_t k);
void eie_pe_writeback_step(eie_array_t *a, eie_pe_t *pe, uint32_t k, uint32_t w);

/* eie_pe_act_queue */
static inline uint32_t eie_pe_act_queue_count(const eie_bcast_ring_t *q, const eie_pe_t *pe) {
  return (uint32_t)(q->pushed - pe->q_popped);
}
static inline int eie_pe_act_queue_full(const eie_bcast_ring_t *q, const eie_pe_t *pe) {
  return eie_pe_act_queue_count(q, pe) >= q->depth;
}
void eie_pe_act_queue_reset(eie_bcast_ring_t *q, eie_pe_t *pe, uint32_t num_pe);
void eie_pe_act_queue_push_all(eie_bcast_ring_t *q, eie_bcast_t b);
eie_bcast_t eie_pe_act_queue_pop(const eie_bcast_ring_t *q, eie_pe_t *pe);

/* eie_pe_act_rw */
int16_t eie_pe_act_read(eie_array_t *a, eie_pe_t *pe, uint32_t addr);
void eie_pe_act_write(eie_array_t *a, eie_pe_t *pe, uint32_t addr, int16_t v);

/* Pipeline pieces of eie_pe_step, in the files named after their units. */
int eie_pe_spmat_read_step(eie_array_t *a, eie_pe_t *pe); /* returns 1 when S is free for P */
void eie_pe_ptr_read_step(eie_array_t *a, eie_pe_t *pe, int s_free);
void eie_pe_arith_step(eie_array_t *a, eie_pe_t *pe, uint32_t k);

static inline void eie_emit(const eie_pass_t *ps, eie_event_kind_t kind, uint32_t pe, uint32_t index,
                            int32_t value, int bypass) {
  if (!ps->cb) return;
  eie_event_t ev = {kind, ps->cycle, ps->layer, ps->pass, pe, index, value, bypass};
  ps->cb(ps->cb_user, &ev);
}

#endif
