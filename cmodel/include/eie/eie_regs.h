/* The host interface (generated from eie_regs.def; docs/microarchitecture.md §4):
 * register offsets and access, register fields, layer-descriptor fields,
 * bus statuses, PE memory windows and CCU states. */
#ifndef EIE_REGS_H
#define EIE_REGS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One constant of the interface: an enumeration constant in C (usable in case
 * labels), a uint32_t constant in C++ (so that it mixes with uint32_t values
 * in conditional expressions as the register words do). */
#ifdef __cplusplus
#define EIE_REGS_CONST(name, value) static constexpr uint32_t name = (value);
#else
#define EIE_REGS_CONST(name, value) enum { name = (value) };
#endif

/* EIE_<NAME>: a number of the interface (EIE_ID_VALUE, EIE_DESC_STRIDE, ...). */
#define EIE_RCONST(name, value, desc) EIE_REGS_CONST(EIE_##name, value)
#include "eie/eie_regs.def"

/* Register access: reads of a WO register answer 0, writes of an RO one EIE_BUS_RO. */
typedef enum { EIE_ACCESS_RO, EIE_ACCESS_RW, EIE_ACCESS_WO } eie_access_t;

/* EIE_REG_<NAME>: byte offset; EIE_REG_<NAME>_ACCESS, EIE_REG_<NAME>_WIDTH: access, bits held. */
#define EIE_REG(name, offset, access, width, desc)             \
  EIE_REGS_CONST(EIE_REG_##name, offset)                       \
  EIE_REGS_CONST(EIE_REG_##name##_ACCESS, EIE_ACCESS_##access) \
  EIE_REGS_CONST(EIE_REG_##name##_WIDTH, width)
#include "eie/eie_regs.def"
/* DESC[0][0]: the descriptor window */
EIE_REGS_CONST(EIE_REG_DESC, EIE_DESC_BASE)

/* The access of the register at byte address addr, -1 for none (the descriptor
 * window is not a register). */
static inline int eie_reg_access(uint32_t addr) {
  switch (addr) {
#define EIE_REG(name, offset, access, width, desc) \
  case offset:                                     \
    return EIE_ACCESS_##access;
#include "eie/eie_regs.def"
    default:
      return -1;
  }
}

/* EIE_<REG>_<NAME>: a register field's mask (EIE_CTRL_START, EIE_STATUS_DONE, ...);
 * EIE_<REG>_<NAME>_LSB, _WIDTH: its position. */
#define EIE_BIT(reg, name, lsb, width, desc)                          \
  EIE_REGS_CONST(EIE_##reg##_##name, ((1u << (width)) - 1u) << (lsb)) \
  EIE_REGS_CONST(EIE_##reg##_##name##_LSB, lsb)                       \
  EIE_REGS_CONST(EIE_##reg##_##name##_WIDTH, width)
#include "eie/eie_regs.def"

/* A layer-descriptor field: EIE_DESC_<NAME>_WORD, _LSB, _WIDTH (of one element), _COUNT. */
#define EIE_DESC(name, word, lsb, width, count, desc) \
  EIE_REGS_CONST(EIE_DESC_##name##_WORD, word)        \
  EIE_REGS_CONST(EIE_DESC_##name##_LSB, lsb)          \
  EIE_REGS_CONST(EIE_DESC_##name##_WIDTH, width)      \
  EIE_REGS_CONST(EIE_DESC_##name##_COUNT, count)
#include "eie/eie_regs.def"
/* Bits [lsb + width - 1 : lsb] of a descriptor word, and the word with them set to v. */
static inline uint32_t eie_desc_field_get(uint32_t word, unsigned lsb, unsigned width) {
  return (uint32_t)((word >> lsb) & ((1ull << width) - 1u));
}
static inline uint32_t eie_desc_field_mask(unsigned lsb, unsigned width) {
  return (uint32_t)(((1ull << width) - 1u) << lsb);
}

/* Bus response status. */
typedef enum {
#define EIE_BUS(name, value, desc) EIE_BUS_##name = (value),
#include "eie/eie_regs.def"
} eie_bus_status_t;

/* PE memory windows: EIE_PE_MEM_<NAME> (the select), EIE_PE_<NAME>_OFF, _SIZE (bytes),
 * _STEP (bytes per index). */
#define EIE_MEM(name, value, offset, size, step, desc) \
  EIE_REGS_CONST(EIE_PE_MEM_##name, value)             \
  EIE_REGS_CONST(EIE_PE_##name##_OFF, offset)          \
  EIE_REGS_CONST(EIE_PE_##name##_SIZE, size)           \
  EIE_REGS_CONST(EIE_PE_##name##_STEP, step)
#include "eie/eie_regs.def"

/* CCU states (eie_ccu_view_t.state; STATUS.BUSY in SETUP, RUN and WB). */
#define EIE_STATE(name, value, desc) EIE_REGS_CONST(EIE_CCU_##name, value)
#include "eie/eie_regs.def"

#undef EIE_REGS_CONST

/* The byte address of offset `off` in PE `pe`'s window. */
static inline uint32_t eie_pe_addr(uint32_t pe, uint32_t off) {
  return (uint32_t)EIE_PE_WINDOW_BASE + pe * (uint32_t)EIE_PE_WINDOW_STRIDE + off;
}

#ifdef __cplusplus
}
#endif
#endif
