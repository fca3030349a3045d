/* The reference model's units: one struct of registers per RTL module (the
 * module's `_q` signals, named without the suffix, plus the memories it
 * owns) and one step per clock cycle (docs/microarchitecture.md §5).
 *
 * A cycle of the array (eie_top.c) first computes every wire between units
 * from the registers at the start of the cycle (the *_out functions), then
 * lets every unit compute its next state from its own registers and those
 * wires and commit it (the *_step functions). No step reads another unit's
 * registers, so the order of the steps does not matter, as at a clock edge.
 *
 * Not installed: the public API is eie_model.h. */
#ifndef EIE_HW_H
#define EIE_HW_H

#include <stdint.h>

#include "eie/eie_layer.h"
#include "eie/eie_model.h"

/* CCU states: EIE_CCU_<NAME> (eie_regs.h; the RTL's eie_params_pkg::ccu_state_e). */

/* The LNZD tree's depth for the largest array: ceil(log4 NUM_PE_MAX). */
#define EIE_LNZD_MAX_DEPTH 4

/* ---- CCU (rtl/eie_ccu.sv) ------------------------------------------------ */

/* What the CCU presents to every PE during a pass (the ccu2pe_* wires):
 * values of the running descriptor and pass. */
typedef struct {
  uint32_t row0;          /* b * R_F: the pass's first local row */
  uint32_t pass_rows;     /* R_b */
  uint32_t out_len;       /* M */
  uint32_t ptr_pass_base; /* PTR_BASE + b*(K+1) */
  uint32_t entry_base;    /* SPMAT_BASE * ENTRIES_PER_LINE */
  uint32_t out_base, bias_base;
  unsigned shift;
  int bias_en, relu;
  int16_t codebook[EIE_CB_SIZE]; /* [0] = 0 */
} eie_ccu2pe_t;

/* What the CCU presents to the LNZD. */
typedef struct {
  uint32_t slots; /* S = ceil(K/N) */
  uint32_t in_len, in_base;
} eie_ccu2lnzd_t;

typedef struct {
  /* registers */
  int state;
  uint32_t layer, pass, wb_step;
  uint64_t cycles;
  uint32_t num_layers;
  int error, done;
  uint32_t desc[EIE_MAX_LAYERS][EIE_DESC_WORDS]; /* the descriptor register file */
  /* the running layer's descriptor and geometry, latched at SETUP */
  eie_desc_t d;
  eie_geom_t geom;
  eie_ccu2pe_t pe;
  eie_ccu2lnzd_t lnzd;
  /* model only: why START was refused; whether the descriptors passed
   * START's check (or the bulk load's that stands for it, eie_ccu_checked)
   * with nothing it reads written since, and a count of those checks (what
   * the fast engine keeps of the pointers is valid while it holds); the
   * observer of the run and the datapath that runs it (chosen at START) */
  char error_text[EIE_ERR_LEN];
  int validated;
  uint64_t program; /* +1 at every check of the descriptors: the memories may differ */
  eie_event_cb cb;
  void *cb_user;
  const struct eie_datapath *dp;
} eie_ccu_t;

/* ---- LNZD (rtl/eie_lnzd.sv, its nodes rtl/eie_lnzd_node.sv) ------------- */

/* A node of the quadtree (eie_lnzd_node): the item it holds for the level
 * above. */
typedef struct {
  int valid;
  uint32_t idx; /* the PE's index in the node's subtree */
  int16_t a;
} eie_lnzd_node_t;

/* A level of the quadtree (g_level[d]): ceil(NUM_PE / 4^d) nodes, and the
 * slot of the item one of them holds (at most one: one item is selected per
 * cycle). The nodes past the level's last are never valid. */
typedef struct {
  uint32_t slot;
  eie_lnzd_node_t node[EIE_NUM_PE_MAX / EIE_LNZD_RADIX];
} eie_lnzd_level_t;

typedef struct {
  uint32_t depth; /* D_T */
  uint32_t next_slot, leaf_slot;
  int leaf_valid;
  uint8_t consumed[EIE_NUM_PE_MAX]; /* per PE: its non-zero of the held slot was selected */
  /* level 1: the leaf nodes .. level depth: the root (0: none, the PEs) */
  eie_lnzd_level_t level[EIE_LNZD_MAX_DEPTH + 1];
} eie_lnzd_t;

/* The LNZD's wires in one cycle. */
typedef struct {
  int bcast_valid; /* lnzd2pe_push */
  uint32_t bcast_j;
  int16_t bcast_a;
  int act_re; /* lnzd2pe_act_re: every PE reads activation act_addr */
  uint32_t act_addr;
  /* internal: the root's summary (a PE is granted; no other non-zero is
   * left), the granted PE and its activation */
  int selected, finished;
  uint32_t grant;
  int16_t grant_a;
} eie_lnzd_out_t;

/* ---- PE units (rtl/eie_pe_*.sv) ------------------------------------------ */

/* A broadcast: column j and its activation a. */
typedef struct {
  uint32_t j;
  int16_t a;
} eie_bcast_t;

/* eie_pe_act_queue (eie_fifo): FIFO_DEPTH entries. */
typedef struct {
  eie_bcast_t *mem;
  uint32_t rd, wr, count;
} eie_pe_act_queue_t;

/* eie_pe_ptr_read: the P register and the two pointer banks; the banks'
 * read data stays in their output registers (even_rdata, odd_rdata). */
typedef struct {
  uint16_t *ptr; /* PTR_DEPTH words: the even bank holds ptr[2i], the odd ptr[2i+1] */
  int p_valid, parity;
  uint32_t p_j;
  int16_t p_a;
  uint16_t even_rdata, odd_rdata;
} eie_pe_ptr_read_t;

/* eie_pe_spmat_read: the S register, the line buffer and stage A1 (the entry
 * selected from the SRAM's output register, line_rdata). */
typedef struct {
  uint8_t *spmat; /* SPMAT_LINES * ENTRIES_PER_LINE entry bytes */
  int s_valid, s_first;
  uint32_t s_j, s_addr, s_end; /* absolute entry addresses */
  int16_t s_a;
  int line_valid;
  uint32_t line_addr;
  uint8_t line_rdata[EIE_ENTRIES_PER_LINE]; /* the SRAM's output register: the line read last */
  int a1_valid, a1_first;
  uint32_t a1_sel; /* entry within the line */
  int16_t a1_a;
} eie_pe_spmat_read_t;

/* eie_pe_arith: stages A2 and A3, the row state and the accumulators. */
typedef struct {
  int32_t *acc; /* RF_DEPTH accumulators */
  uint32_t last;
  int a2_valid, a3_valid, a3_bypass;
  uint32_t a2_row, a3_row;
  int16_t a2_w, a2_a;
  int32_t a3_prod, a3_acc_in;
} eie_pe_arith_t;

/* eie_pe_act_rw: the activation address space and the SRAM's read data. */
typedef struct {
  int16_t *act; /* ACT_WORDS */
  int16_t rdata;
} eie_pe_act_rw_t;

/* eie_pe_writeback */
typedef struct {
  int wb_valid;
  uint32_t wb_row;
  int32_t wb_acc;
} eie_pe_writeback_t;

typedef struct {
  eie_pe_act_queue_t act_queue;
  eie_pe_ptr_read_t ptr_read;
  eie_pe_spmat_read_t spmat_read;
  eie_pe_arith_t arith;
  eie_pe_act_rw_t act_rw;
  eie_pe_writeback_t writeback;
} eie_pe_t;

/* The wires inside one PE in one RUN cycle. */
typedef struct {
  /* eie_pe_act_queue */
  int q_empty, q_full;
  eie_bcast_t q_head;
  /* eie_pe_ptr_read */
  int p_free, pop, p_valid;
  uint32_t p_j, p_start, p_end;
  int16_t p_a;
  /* eie_pe_spmat_read */
  int s_free;
  int a1_valid, a1_first;
  uint8_t a1_entry;
  int16_t a1_a;
} eie_pe_wires_t;

/* ---- The array (rtl/eie_top.sv) ------------------------------------------ */

/* How the CCU's RUN and WB cycles are carried out: by the units, cycle by
 * cycle (the reference, eie_top.c), or by the fast engine (cmodel/fast),
 * chosen at START: the reference whenever an observer is registered, unless
 * it asked for the fast engine's events. */
typedef struct eie_datapath {
  void (*setup)(eie_array_t *a); /* a SETUP cycle */
  int (*run)(eie_array_t *a);    /* a RUN cycle: 1 when it is the drain-detect cycle */
  void (*wb)(eie_array_t *a);    /* a WB cycle (step ccu.wb_step) */
} eie_datapath_t;

struct eie_fast;

struct eie_array {
  eie_config_t cfg;
  uint32_t hash;
  eie_ccu_t ccu;
  eie_lnzd_t lnzd;
  eie_pe_t *pe;
  void *mem; /* every PE's memories and queues (eie_array_create) */
  struct eie_fast *fast;
  eie_stats_t stats;
  eie_event_cb cb; /* registered for the runs started from now on */
  void *cb_user;
  int cb_fast; /* its events from the fast engine (eie_array_set_event_cb_fast) */
};

extern const eie_datapath_t eie_reference_datapath;

/* eie_ccu.c: the registers (host bus below the PE windows) and the clock */
eie_bus_status_t eie_ccu_reg_write(eie_array_t *a, uint32_t addr, uint32_t data);
eie_bus_status_t eie_ccu_reg_read(const eie_array_t *a, uint32_t addr, uint32_t *data);
void eie_ccu_tick(eie_array_t *a);
int eie_ccu_busy(const eie_ccu_t *c);
/* START's descriptor check, passed by other means (eie_driver_load_array):
 * what a successful check does, validated set and a new program count. */
void eie_ccu_checked(eie_array_t *a);

/* eie_lnzd.c */
void eie_lnzd_clear(eie_lnzd_t *l);
int eie_lnzd_exhausted(const eie_lnzd_t *l, const eie_ccu2lnzd_t *c);
void eie_lnzd_out(const eie_array_t *a, eie_lnzd_out_t *o);
void eie_lnzd_step(eie_array_t *a, const eie_lnzd_out_t *o);

/* eie_pe.c: one PE */
void eie_pe_clear(eie_pe_t *pe, const eie_config_t *cfg);
int eie_pe_empty(const eie_pe_t *pe);
void eie_pe_run_step(eie_array_t *a, uint32_t k, const eie_lnzd_out_t *lnzd);
void eie_pe_wb_step(eie_array_t *a, uint32_t k);

/* The PE's units: outputs from the registers, then the step. */
void eie_pe_act_queue_clear(eie_pe_act_queue_t *q);
/* full_o (pe2ccu_full): FIFO_DEPTH entries held. */
static inline int eie_pe_act_queue_full(const eie_pe_act_queue_t *q, uint32_t depth) {
  return q->count >= depth;
}
void eie_pe_act_queue_out(const eie_pe_act_queue_t *q, uint32_t depth, eie_pe_wires_t *w);
void eie_pe_act_queue_step(eie_pe_act_queue_t *q, uint32_t depth, const eie_lnzd_out_t *lnzd,
                           const eie_pe_wires_t *w);
void eie_pe_ptr_read_clear(eie_pe_ptr_read_t *p);
void eie_pe_ptr_read_out(const eie_pe_ptr_read_t *p, const eie_ccu2pe_t *c, eie_pe_wires_t *w);
void eie_pe_ptr_read_step(eie_array_t *a, eie_pe_ptr_read_t *p, const eie_ccu2pe_t *c,
                          const eie_pe_wires_t *w);
void eie_pe_spmat_read_clear(eie_pe_spmat_read_t *s);
void eie_pe_spmat_read_out(const eie_pe_spmat_read_t *s, eie_pe_wires_t *w);
void eie_pe_spmat_read_step(eie_array_t *a, eie_pe_spmat_read_t *s, const eie_pe_wires_t *w);
void eie_pe_arith_clear(eie_pe_arith_t *r, const eie_config_t *cfg);
int eie_pe_arith_busy(const eie_pe_arith_t *r, const eie_pe_spmat_read_t *s);
void eie_pe_arith_step(eie_array_t *a, eie_pe_arith_t *r, uint32_t k, const eie_ccu2pe_t *c,
                       const eie_pe_wires_t *w);
void eie_pe_act_rw_read(eie_pe_act_rw_t *m, uint32_t addr);
void eie_pe_act_rw_write(eie_pe_act_rw_t *m, uint32_t addr, int16_t v);
void eie_pe_writeback_clear(eie_pe_writeback_t *wb);
void eie_pe_writeback_step(eie_array_t *a, eie_pe_t *pe, uint32_t k);

/* An event of the current cycle, to the run's observer (if any). */
void eie_emit(const eie_array_t *a, eie_event_kind_t kind, uint32_t pe, uint32_t index,
              int32_t value, int bypass);

#endif
