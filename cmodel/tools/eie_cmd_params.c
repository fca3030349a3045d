/* eie params: the architectural parameters of a configuration and its
 * parameter hash; --sv, the SystemVerilog package generated from the
 * defaults (rtl/eie_params_pkg.sv); --rtl-builds, the RTL configurations
 * built into this binary. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "eie/eie_params.h"
#include "eie/eie_regs.h"
#include "eie_cli_common.h"
#include "eie_cmds.h"
#include "eie_rtl_engine.h"

/* One source line per line of output. */
/* clang-format off */
static const char *params_help =
    "usage: eie params [--pes N] [--fifo-depth D] [--param NAME=VALUE] [--config FILE] [--hash]\n"
    "                  | --sv | --rtl-builds\n"
    "\n"
    "Print the architectural parameters of a configuration (default: the defaults), their\n"
    "ranges, and its parameter hash in hex and decimal (the RTL's ParamHash, a pack's\n"
    "param_hash).\n"
    "\n"
    "  --pes N, --fifo-depth D, --param NAME=VALUE, --config FILE   the configuration, as eie gen\n"
    "  --hash          only the hash: hex and decimal, one line (e.g. for a testbench's ParamHash)\n"
    "  --sv            the SystemVerilog package generated from the defaults (rtl/eie_params_pkg.sv)\n"
    "  --rtl-builds    the RTL configurations built into this binary, one a line\n";
/* clang-format on */

/* NAME_IN_CAPS -> NameInCaps (lowRISC parameter style). */
static void camel(const char *name, char *out, size_t n) {
  size_t o = 0;
  int up = 1;
  for (const char *c = name; *c && o + 1 < n; c++) {
    if (*c == '_') {
      up = 1;
      continue;
    }
    out[o++] = up ? *c : (char)((*c >= 'A' && *c <= 'Z') ? *c + 32 : *c);
    up = 0;
  }
  out[o] = 0;
}

/* The host interface of eie_regs.def, as tables. */
static const struct {
  const char *name, *text;
  unsigned long value;
  const char *desc;
} sv_consts[] = {
#define EIE_RCONST(name, value, desc) {#name, #value, (value), desc},
#include "eie/eie_regs.def"
};
static const struct {
  const char *name, *access;
  unsigned offset, width;
  const char *desc;
} sv_regs[] = {
#define EIE_REG(name, offset, access, width, desc) {#name, #access, (offset), (width), desc},
#include "eie/eie_regs.def"
};
static const struct {
  const char *reg, *name;
  unsigned lsb, width;
  const char *desc;
} sv_bits[] = {
#define EIE_BIT(reg, name, lsb, width, desc) {#reg, #name, (lsb), (width), desc},
#include "eie/eie_regs.def"
};
typedef struct {
  const char *name;
  unsigned word, lsb, width, count;
  const char *desc;
} sv_desc_t;
static const sv_desc_t sv_descs[] = {
#define EIE_DESC(name, word, lsb, width, count, desc) \
  {#name, (word), (lsb), (width), (count), desc},
#include "eie/eie_regs.def"
};
typedef struct {
  const char *name;
  unsigned value;
  const char *desc;
} sv_enum_t;
static const sv_enum_t sv_buses[] = {
#define EIE_BUS(name, value, desc) {#name, (value), desc},
#include "eie/eie_regs.def"
};
static const sv_enum_t sv_states[] = {
#define EIE_STATE(name, value, desc) {#name, (value), desc},
#include "eie/eie_regs.def"
};
static const struct {
  const char *name;
  unsigned value, offset, size, step;
  const char *desc;
} sv_mems[] = {
#define EIE_MEM(name, value, offset, size, step, desc) \
  {#name, (value), (offset), (size), (step), desc},
#include "eie/eie_regs.def"
};
#define SV_COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* Bits to hold every value below n (at least 1). */
static unsigned sv_bits_for(unsigned n) {
  unsigned w = 1;
  while ((1u << w) < n) w++;
  return w;
}

static unsigned sv_const(const char *name) {
  for (size_t i = 0; i < SV_COUNT(sv_consts); i++)
    if (!strcmp(sv_consts[i].name, name)) return (unsigned)sv_consts[i].value;
  return 0;
}

/* typedef enum PREFIX<Name> = value; <Name>W: its width. */
static void sv_enum(const char *comment, const char *type, const char *prefix, const char *wname,
                    const sv_enum_t *e, size_t n) {
  unsigned max = 0;
  for (size_t i = 0; i < n; i++) max = e[i].value > max ? e[i].value : max;
  const unsigned w = sv_bits_for(max + 1);
  printf("  // %s\n  localparam int %s = %u;\n  typedef enum logic [%s-1:0] {\n", comment, wname, w,
         wname);
  for (size_t i = 0; i < n; i++) {
    char c[64];
    camel(e[i].name, c, sizeof c);
    printf("    %s%s = %u'd%u%s  // %s\n", prefix, c, w, e[i].value, i + 1 < n ? "," : "",
           e[i].desc);
  }
  printf("  } %s;\n", type);
}

/* The descriptor as a packed struct, most significant field first; bits no
 * field names are reserved_<lsb>. */
static void sv_desc_struct(void) {
  const unsigned total = 32u * sv_const("DESC_WORDS");
  const sv_desc_t *order[SV_COUNT(sv_descs)];
  size_t n = SV_COUNT(sv_descs);
  for (size_t i = 0; i < n; i++) order[i] = &sv_descs[i];
  for (size_t i = 1; i < n; i++) /* by bit position, descending */
    for (size_t j = i; j > 0 && 32u * order[j]->word + order[j]->lsb >
                                    32u * order[j - 1]->word + order[j - 1]->lsb;
         j--) {
      const sv_desc_t *t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
  printf("  // The layer descriptor (DescW bits, word w in [32w+31:32w]).\n");
  printf("  typedef struct packed {\n");
  unsigned top = total; /* the next bit to declare, downward */
  for (size_t i = 0; i < n; i++) {
    const sv_desc_t *f = order[i];
    const unsigned lsb = 32u * f->word + f->lsb, bits = f->width * f->count;
    if (lsb + bits < top)
      printf("    logic [%u:0] reserved_%u;\n", top - lsb - bits - 1, lsb + bits);
    char lower[64];
    size_t k = 0;
    for (; f->name[k] && k + 1 < sizeof lower; k++)
      lower[k] = (char)((f->name[k] >= 'A' && f->name[k] <= 'Z') ? f->name[k] + 32 : f->name[k]);
    lower[k] = 0;
    if (f->count > 1)
      printf("    logic [%u:0][%u:0] %s;  // %s\n", f->count - 1, f->width - 1, lower, f->desc);
    else if (f->width > 1)
      printf("    logic [%u:0] %s;  // %s\n", f->width - 1, lower, f->desc);
    else
      printf("    logic %s;  // %s\n", lower, f->desc);
    top = lsb;
  }
  if (top > 0) printf("    logic [%u:0] reserved_0;\n", top - 1);
  printf("  } desc_t;\n");
}

/* The host interface part of the package (eie_regs.def). */
static void params_sv_regs(void) {
  const unsigned aw = sv_const("REG_AW");
  printf(
      "\n  // ---- Host interface: generated from cmodel/include/eie/eie_regs.def ----\n"
      "  // (Modules read these by their package name, eie_params_pkg::X: yosys 0.23 takes no\n"
      "  // import. iverilog 11 aborts on this package's struct and enum types declared in a "
      "module,\n"
      "  // so modules declare logic of the widths below and use desc_t's fields through\n"
      "  // Desc<Field>Lsb/W; the types are the same layout for tools that take them.)\n");
  for (size_t i = 0; i < SV_COUNT(sv_consts); i++) {
    char c[64];
    camel(sv_consts[i].name, c, sizeof c);
    printf("  // %s\n", sv_consts[i].desc);
    if (!strncmp(sv_consts[i].text, "0x", 2))
      printf("  localparam int %s = 32'h%lx;\n", c, sv_consts[i].value);
    else
      printf("  localparam int %s = %lu;\n", c, sv_consts[i].value);
  }
  printf(
      "  // Registers: Reg<Name> the byte offset, Reg<Name>W the bits it holds,\n"
      "  // Reg<Name>Wr whether a write may change it (access RW or WO).\n");
  for (size_t i = 0; i < SV_COUNT(sv_regs); i++) {
    char c[64];
    camel(sv_regs[i].name, c, sizeof c);
    printf("  localparam logic [RegAw-1:0] Reg%s = %u'h%03x;  // %s: %s\n", c, aw,
           sv_regs[i].offset, sv_regs[i].access, sv_regs[i].desc);
    printf("  localparam int Reg%sW = %u;\n", c, sv_regs[i].width);
    printf("  localparam bit Reg%sWr = 1'b%d;\n", c, strcmp(sv_regs[i].access, "RO") != 0);
  }
  printf("  // Register fields: <Reg><Name>Lsb, <Reg><Name>W.\n");
  for (size_t i = 0; i < SV_COUNT(sv_bits); i++) {
    char r[64], c[64];
    camel(sv_bits[i].reg, r, sizeof r);
    camel(sv_bits[i].name, c, sizeof c);
    printf("  localparam int %s%sLsb = %u;  // %s\n  localparam int %s%sW = %u;\n", r, c,
           sv_bits[i].lsb, sv_bits[i].desc, r, c, sv_bits[i].width);
  }
  printf(
      "  // Descriptor fields: Desc<Name>Lsb the bit in the descriptor (32*word + lsb),\n"
      "  // Desc<Name>W the width of one element, Desc<Name>N the elements.\n"
      "  localparam int DescW = %u;\n",
      32u * sv_const("DESC_WORDS"));
  for (size_t i = 0; i < SV_COUNT(sv_descs); i++) {
    char c[64];
    camel(sv_descs[i].name, c, sizeof c);
    printf("  localparam int Desc%sLsb = %u;  // %s\n  localparam int Desc%sW = %u;\n", c,
           32u * sv_descs[i].word + sv_descs[i].lsb, sv_descs[i].desc, c, sv_descs[i].width);
    if (sv_descs[i].count > 1) printf("  localparam int Desc%sN = %u;\n", c, sv_descs[i].count);
  }
  sv_desc_struct();
  sv_enum("Bus response status (host_rsp_err_o).", "bus_err_e", "Bus", "BusErrW", sv_buses,
          SV_COUNT(sv_buses));
  sv_enum_t mems[SV_COUNT(sv_mems)];
  for (size_t i = 0; i < SV_COUNT(sv_mems); i++)
    mems[i] = (sv_enum_t){sv_mems[i].name, sv_mems[i].value, sv_mems[i].desc};
  sv_enum("PE window memories (host_mem_i).", "pe_mem_e", "PeMem", "PeMemW", mems, SV_COUNT(mems));
  printf(
      "  // Their place in a PE window: Pe<Name>Off, Pe<Name>Size (bytes), Pe<Name>Step (bytes an "
      "index).\n");
  for (size_t i = 0; i < SV_COUNT(sv_mems); i++) {
    char c[64];
    camel(sv_mems[i].name, c, sizeof c);
    printf(
        "  localparam int Pe%sOff = 32'h%x;\n  localparam int Pe%sSize = 32'h%x;\n"
        "  localparam int Pe%sStep = %u;\n",
        c, sv_mems[i].offset, c, sv_mems[i].size, c, sv_mems[i].step);
  }
  sv_enum("CCU states (obs_state_o).", "ccu_state_e", "St", "CcuStateW", sv_states,
          SV_COUNT(sv_states));
}

/* The SystemVerilog package generated from eie_params.def and eie_regs.def
 * (rtl/eie_params_pkg.sv). */
static int params_sv(void) {
  eie_config_t cfg = eie_config_default();
  printf(
      "// Generated by `eie params --sv` from cmodel/include/eie/eie_params.def and eie_regs.def:\n"
      "// do not edit. Regenerate: build/bin/eie params --sv > rtl/eie_params_pkg.sv\n"
      "// Lint waiver: a description of the whole interface; no one design reads every name.\n"
      "/* verilator lint_off UNUSEDPARAM */\n"
      "package eie_params_pkg;\n");
  for (unsigned i = 0; i < eie_param_count; i++) {
    const eie_param_info_t *p = &eie_param_table[i];
    char n[64];
    camel(p->name, n, sizeof n);
    printf("  // %s%s\n", p->desc, p->runtime ? "" : " (fixed)");
    printf("  parameter int %s = %u;\n", n, p->def);
    if (p->runtime)
      printf("  parameter int %sMin = %u;\n  parameter int %sMax = %u;\n", n, p->min, n, p->max);
  }
  printf(
      "  // FNV-1a hash of the defaults above (docs/microarchitecture.md section 1)\n"
      "  parameter logic [31:0] ParamHashDefault = 32'h%08x;\n",
      eie_param_hash(&cfg));
  params_sv_regs();
  printf("endpackage\n/* verilator lint_on UNUSEDPARAM */\n");
  return 0;
}

/* --rtl-builds: one line per RTL configuration (none without the RTL). */
static int params_rtl_builds(void) {
  const eie_rtl_engine_t *rtl = eie_rtl_engine();
  for (unsigned i = 0; rtl && i < rtl->build_count(); i++) {
    eie_config_t vc = rtl->build_config(i);
    printf("%s NUM_PE=%u FIFO_DEPTH=%u param_hash 0x%08x (%u)\n", rtl->build_name(i), vc.num_pe,
           vc.fifo_depth, eie_param_hash(&vc), eie_param_hash(&vc));
  }
  return 0;
}

/* The table of parameters of cfg (custom: not the defaults) and its hash. */
static void params_table(const eie_config_t *cfg, int custom) {
  eie_config_t def = eie_config_default();
  printf("%-18s %8s %8s %8s %8s  %s\n", "name", "value", "default", "min", "max", "meaning");
  for (unsigned i = 0; i < eie_param_count; i++) {
    const eie_param_info_t *p = &eie_param_table[i];
    const unsigned val = eie_config_value(cfg, i);
    printf("%-18s %8u %8u %8u %8u  %s%s\n", p->name, val, p->def, p->min, p->max, p->desc,
           p->runtime ? "" : " (fixed)");
  }
  const uint32_t h = eie_param_hash(cfg);
  printf("parameter hash 0x%08x (decimal %u)%s\n", h, h, custom ? "" : ", the defaults");
  if (custom)
    printf("default parameter hash 0x%08x (decimal %u)\n", eie_param_hash(&def),
           eie_param_hash(&def));
}

int eie_cmd_params(int argc, char **argv) {
  static const struct option opts[] = {EIE_CLI_CONFIG_OPTIONS,
                                       {"config", required_argument, 0, 'C'},
                                       {"sv", no_argument, 0, 's'},
                                       {"rtl-builds", no_argument, 0, 'r'},
                                       {"hash", no_argument, 0, 'H'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  eie_config_t cfg = eie_config_default();
  int sv = 0, builds = 0, custom = 0, only_hash = 0, c;
  eie_err_t e;
  if (eie_cli_apply_config(argc, argv, &cfg, NULL)) return EIE_EXIT_BAD;
  opterr = 0; /* unknown options and missing values reported below, as the other commands do */
  while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
    switch (c) {
      case 'C':
        custom = 1;
        break;
      case 'p':
      case 'f':
      case 'P':
        if (eie_cli_config_option(c, optarg, &cfg)) return EIE_EXIT_BAD;
        custom = 1;
        break;
      case 's':
        sv = 1;
        break;
      case 'r':
        builds = 1;
        break;
      case 'H':
        only_hash = 1;
        break;
      case 'h':
        fputs(params_help, stdout);
        return 0;
      case ':':
        fprintf(stderr, "eie: params: option '%s' needs a value\n", argv[optind - 1]);
        fputs(params_help, stderr);
        return EIE_EXIT_BAD;
      default:
        fprintf(stderr, "eie: params: unknown option '%s'\n", argv[optind - 1]);
        fputs(params_help, stderr);
        return EIE_EXIT_BAD;
    }
  }
  if (optind < argc)
    return eie_cli_die(EIE_EXIT_BAD, "params: unexpected argument '%s'", argv[optind]);
  if (sv && (custom || builds || only_hash))
    return eie_cli_die(EIE_EXIT_BAD, "params: %s",
                       "--sv prints the defaults' package: no other option");
  if (builds && only_hash)
    return eie_cli_die(EIE_EXIT_BAD, "params: %s", "--rtl-builds and --hash do not go together");
  if (builds && custom)
    return eie_cli_die(EIE_EXIT_BAD, "params: %s", "--rtl-builds takes no configuration options");
  if (sv) return params_sv();
  if (builds) return params_rtl_builds();
  if (eie_config_validate(&cfg, &e)) return eie_cli_die(EIE_EXIT_BAD, "%s", e.msg);
  if (only_hash) { /* hex and decimal, e.g. for a testbench's ParamHash */
    printf("0x%08x %u\n", eie_param_hash(&cfg), eie_param_hash(&cfg));
    return 0;
  }
  params_table(&cfg, custom);
  return 0;
}
