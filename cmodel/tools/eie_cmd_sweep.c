/* eie sweep: run one layer on the cycle-accurate model for every pair of a
 * list of PE counts and a list of FIFO depths and write one CSV row per pair.
 * The layer is encoded once per PE count (in row tiles when it does not fit,
 * eie_tiling.h); the encoding does not depend on the FIFO depth, so each depth
 * only re-runs it. Every run's outputs are checked against the functional
 * reference. Plots: scripts/plot_sweep.sh CSV DIR. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eie/eie_random.h"
#include "eie/eie_ref.h"
#include "eie/eie_tiling.h"
#include "eie_args.h"
#include "eie_cli_common.h"
#include "eie_cmds.h"
#include "eie_fsafe.h"
#include "eie_pack.h"

#define MAX_POINTS 256

static const char *sweep_help =
    "usage: eie sweep (DIR | --random MxK [--density X] [--act-density Y] [--seed S])\n"
    "                 [--pes LIST] [--fifo-depth LIST] [--memories fit|fixed]\n"
    "                 [--param NAME=VALUE] [--name NAME] [-o FILE.csv] [-q]\n"
    "\n"
    "Run one fully connected layer on the cycle-accurate model for every PE count and FIFO\n"
    "depth of the lists and write one CSV row per pair (to FILE, or stdout). The layer is a\n"
    "single-layer vector pack DIR (re-encoded for each PE count) or a random quantized layer.\n"
    "Every run's outputs are checked against the functional reference (exit 1 if they differ).\n"
    "A layer that does not fit the memories runs in row tiles (multiples of N rows, one run\n"
    "each, cycles summed; the 'tiles' column). Progress: one line per point on stderr.\n"
    "Plots (PNG, gnuplot): scripts/plot_sweep.sh FILE.csv OUTDIR.\n"
    "\n"
    "  --random MxK        a random layer: M outputs, K inputs, weights non-zero with\n"
    "                      probability --density (default 0.1), non-negative inputs non-zero\n"
    "                      with probability --act-density (default 0.35), --seed (default 1)\n"
    "  --pes LIST          PE counts, comma-separated, 1..256 (default 1,2,4,8,16,32,64,128,256)\n"
    "  --fifo-depth LIST   FIFO depths, 1..256 (default 1,2,4,8,16,32,64,128,256)\n"
    "  --memories fit      (default) raise PTR_DEPTH and ACT_SRAM_DEPTH per PE count to what\n"
    "                      the layer needs (the design space, not the memory size, is swept)\n"
    "  --memories fixed    keep the memories of --param (default: the paper's PE); a layer\n"
    "                      that cannot fit even in tiles is an error\n"
    "  --param NAME=VALUE  SPMAT_LINES, PTR_DEPTH, RF_DEPTH, ACT_SRAM_DEPTH\n"
    "  --name NAME         the 'layer' column (default: MxK, or the pack's directory name)\n"
    "  -o, --output FILE   the CSV file (default: stdout)\n"
    "  -q, --quiet         no progress lines\n"
    "\n"
    "Columns: layer, pes, fifo_depth, tiles, tile_rows, cycles, latency_us (at 800 MHz),\n"
    "run_cycles, stall_cycles, work_bound (max over PEs of the work, summed over tiles),\n"
    "balanced_cycles (total work / N: a perfectly balanced array), load_efficiency,\n"
    "padding_fraction (padding / entries streamed), speedup (cycles of the first PE count of\n"
    "the list at the same FIFO depth / cycles), macs, entries, padding, broadcasts, energy_nj,\n"
    "spmat_lines, ptr_depth, act_sram_depth, acc_saturations, out_saturations (accumulator and\n"
    "16-bit output saturations of the run: 0 unless the layer's formats overflow).\n";

static const char *csv_header =
    "layer,pes,fifo_depth,tiles,tile_rows,cycles,latency_us,run_cycles,stall_cycles,work_bound,"
    "balanced_cycles,load_efficiency,padding_fraction,speedup,macs,entries,padding,broadcasts,"
    "energy_nj,spmat_lines,ptr_depth,act_sram_depth,acc_saturations,out_saturations\n";

/* "eie: sweep: " and fmt with arg for its one %s; EIE_EXIT_BAD. */
static int bad(const char *fmt, const char *arg) {
  char line[256];
  snprintf(line, sizeof line, "sweep: %s", fmt);
  return eie_cli_die(EIE_EXIT_BAD, line, arg);
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* "1,2,4": values in lo..hi, sorted, duplicates removed. Returns the count, 0 on error. */
static unsigned parse_list(const char *opt, const char *s, uint32_t lo, uint32_t hi,
                           uint32_t *out) {
  unsigned n;
  if (eie_args_u32_list(s, lo, hi, MAX_POINTS, out, &n) || n == 0) {
    fprintf(stderr,
            "eie: sweep: %s '%s' is not a comma-separated list of integers in %u..%u "
            "(decimal, no leading zeros)\n",
            opt, s, lo, hi);
    return 0;
  }
  qsort(out, n, sizeof *out, cmp_u32);
  unsigned m = 0;
  for (unsigned i = 0; i < n; i++)
    if (!m || out[m - 1] != out[i]) out[m++] = out[i];
  return m;
}

/* Layer 0 of a single-layer pack, back as an eie_layer_t (idx and bias malloc'd). */
static eie_status_t layer_from_pack(const eie_pack_t *pk, eie_layer_t *l, eie_err_t *e) {
  memset(l, 0, sizeof *l);
  if (pk->prog.num_layers != 1)
    return eie_fail(e, EIE_STATUS_BAD_INPUT,
                    "the pack has %u layers; sweep takes a single-layer pack", pk->prog.num_layers);
  const eie_desc_t *d = &pk->prog.desc[0];
  eie_status_t st = eie_program_decode(&pk->prog, 0, &l->idx, e);
  if (st) return st;
  l->in_len = d->in_len;
  l->out_len = d->out_len;
  memcpy(l->codebook, d->codebook, sizeof l->codebook);
  l->in_frac = pk->fmt[0].in_frac;
  l->w_frac = pk->fmt[0].w_frac;
  l->out_frac = pk->fmt[0].out_frac;
  l->shift = eie_desc_shift(d);
  l->relu = (d->flags & EIE_FLAG_RELU) != 0;
  if (d->flags & EIE_FLAG_BIAS_EN) {
    l->bias = malloc(sizeof *l->bias * d->out_len);
    if (!l->bias) return eie_fail(e, EIE_STATUS_NO_MEMORY, "out of memory");
    eie_program_gather(&pk->prog, d->bias_base, d->out_len, l->bias);
  }
  return EIE_OK;
}

/* One sweep: the layer and its input, the points, where the rows go. */
typedef struct {
  eie_layer_t layer;
  int16_t *x;
  eie_config_t base; /* the parameters of --param */
  int fit, quiet;    /* --memories fit, -q */
  uint32_t pes[MAX_POINTS], fifos[MAX_POINTS];
  unsigned npes, nfifo;
  const char *name; /* the 'layer' column */
  FILE *csv;
} sweep_t;

/* The layer to sweep and its input: --random MxK (spec) or the single-layer
 * pack dir; its default name into label[64]. On an error after --random's
 * check, the CSV file csv is given up. */
static int sweep_layer(const char *rnd, const char *dir, eie_random_spec_t *spec, sweep_t *sw,
                       char *label, eie_fsafe_out_t *csv) {
  eie_err_t e;
  if (rnd) {
    unsigned long m, k;
    if (eie_args_mxk(rnd, 65535, &m, &k))
      return bad("--random '%s' is not MxK with 1..65535 (decimal)", rnd);
    spec->out_len = (uint32_t)m;
    spec->in_len = (uint32_t)k;
    if (eie_random_layer(spec, &sw->layer, &sw->x, &e)) {
      eie_fsafe_out_abort(csv);
      return bad("%s", e.msg);
    }
    snprintf(label, 64, "%lux%lu", m, k);
    return 0;
  }
  eie_pack_t pk;
  eie_status_t st = eie_pack_read(dir, &pk, &e);
  if (st) {
    eie_fsafe_out_abort(csv);
    return bad("%s", e.msg);
  }
  st = layer_from_pack(&pk, &sw->layer, &e);
  if (st) {
    eie_pack_free(&pk);
    eie_layer_free(&sw->layer);
    eie_fsafe_out_abort(csv);
    fprintf(stderr, "eie: sweep: %s: %s\n", dir, e.msg);
    return EIE_EXIT_BAD;
  }
  sw->x = pk.input;
  pk.input = NULL;
  eie_pack_free(&pk);
  /* The directory's last component, without trailing slashes. */
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') n--;
  size_t b = n;
  while (b > 0 && dir[b - 1] != '/') b--;
  snprintf(label, 64, "%.*s", (int)(n - b), dir + b);
  for (char *q = label; *q; q++)
    if (*q == ',' || *q == '"' || *q == '\n' || *q == '\r') *q = '_';
  return 0;
}

/* One CSV row: cfg (tiling t) at FIFO depth fifo, statistics s; base: the
 * cycles of the first PE count at that depth. */
static void sweep_row(const sweep_t *sw, const eie_config_t *cfg, uint32_t fifo,
                      const eie_tiling_t *t, const eie_tiling_stats_t *s, uint64_t base) {
  const uint64_t balanced = (s->work_total + cfg->num_pe - 1) / cfg->num_pe;
  fprintf(sw->csv,
          "%s,%u,%u,%u,%u,%llu,%.3f,%llu,%llu,%llu,%llu,%.4f,%.4f,%.4f,"
          "%llu,%llu,%llu,%llu,%.1f,%u,%u,%u,%llu,%llu\n",
          sw->name, cfg->num_pe, fifo, t->tiles, t->tile_rows, (unsigned long long)s->cycles,
          (double)s->cycles / 800.0, (unsigned long long)s->run_cycles,
          (unsigned long long)s->stall_cycles, (unsigned long long)s->work_bound,
          (unsigned long long)balanced, eie_tiling_load_efficiency(s),
          s->entries ? (double)s->padding / (double)s->entries : 0.0,
          s->cycles ? (double)base / (double)s->cycles : 0.0, (unsigned long long)s->macs,
          (unsigned long long)s->entries, (unsigned long long)s->padding,
          (unsigned long long)s->broadcasts, s->energy_pj / 1000.0, cfg->spmat_lines,
          cfg->ptr_depth, cfg->act_sram_depth, (unsigned long long)s->sat.acc_saturations,
          (unsigned long long)s->sat.out_saturations);
  fflush(sw->csv);
}

/* Every point of the sweep, each run checked against the reference ref (M
 * values, into y); a row and a progress line each. Stops at the first error. */
static int sweep_points(const sweep_t *sw, const int16_t *ref, int16_t *y, uint64_t *base_cycles) {
  const uint32_t M = sw->layer.out_len;
  const unsigned total = sw->npes * sw->nfifo;
  unsigned done = 0;
  eie_err_t e;
  int rc = 0;
  for (unsigned pi = 0; pi < sw->npes && !rc; pi++) {
    eie_config_t cfg = sw->base;
    cfg.num_pe = sw->pes[pi];
    if (sw->fit) eie_config_fit_memories(&cfg, &sw->layer);
    eie_tiling_t t;
    eie_status_t st = eie_tiling_build(&cfg, &sw->layer, sw->x, &t, &e);
    if (st) {
      fprintf(stderr, "eie: sweep: %u PEs: %s%s\n", sw->pes[pi], e.msg,
              sw->fit ? "" : " (--memories fit raises the memories to what the layer needs)");
      return st == EIE_STATUS_MISMATCH ? EIE_EXIT_MISMATCH : EIE_EXIT_BAD;
    }
    for (unsigned fi = 0; fi < sw->nfifo && !rc; fi++) {
      const uint32_t fifo = sw->fifos[fi];
      eie_tiling_stats_t s;
      double t1 = eie_cli_now();
      if ((st = eie_tiling_run(&t, fifo, UINT64_MAX, y, &s, &e))) {
        fprintf(stderr, "eie: sweep: %u PEs, FIFO %u: %s\n", sw->pes[pi], fifo, e.msg);
        rc = st == EIE_STATUS_TIMEOUT ? EIE_EXIT_TIMEOUT : EIE_EXIT_BAD;
        break;
      }
      for (uint32_t i = 0; i < M; i++)
        if (y[i] != ref[i]) {
          fprintf(stderr, "eie: sweep: %u PEs, FIFO %u: MISMATCH output %u = %d, reference %d\n",
                  sw->pes[pi], fifo, i, y[i], ref[i]);
          rc = EIE_EXIT_MISMATCH;
          break;
        }
      if (rc) break;
      if (pi == 0) base_cycles[fi] = s.cycles;
      if (!done) fputs(csv_header, sw->csv);
      sweep_row(sw, &cfg, fifo, &t, &s, base_cycles[fi]);
      done++;
      if (!sw->quiet)
        fprintf(stderr,
                "eie sweep: [%u/%u] %s, %u PEs, FIFO %u: %llu cycles, load efficiency %.3f, "
                "%u tile%s (%.2f s)\n",
                done, total, sw->name, cfg.num_pe, fifo, (unsigned long long)s.cycles,
                eie_tiling_load_efficiency(&s), t.tiles, t.tiles == 1 ? "" : "s",
                eie_cli_now() - t1);
    }
    eie_tiling_free(&t);
  }
  return rc;
}

int eie_cmd_sweep(int argc, char **argv) {
  static const struct option opts[] = {{"random", required_argument, 0, 'R'},
                                       {"density", required_argument, 0, 'd'},
                                       {"act-density", required_argument, 0, 'A'},
                                       {"seed", required_argument, 0, 's'},
                                       {"pes", required_argument, 0, 'p'},
                                       {"fifo-depth", required_argument, 0, 'f'},
                                       {"memories", required_argument, 0, 'M'},
                                       {"param", required_argument, 0, 'P'},
                                       {"name", required_argument, 0, 'n'},
                                       {"output", required_argument, 0, 'o'},
                                       {"quiet", no_argument, 0, 'q'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  static const uint32_t grid[] = {1, 2, 4, 8, 16, 32, 64, 128, 256};
  sweep_t sw;
  memset(&sw, 0, sizeof sw);
  sw.npes = sw.nfifo = 9;
  memcpy(sw.pes, grid, sizeof grid);
  memcpy(sw.fifos, grid, sizeof grid);
  sw.base = eie_config_default();
  sw.fit = 1;
  const char *rnd = NULL, *out = NULL;
  eie_random_spec_t spec = {0, 0, 0.1, 0.35, 0, 1, 1};
  int random_opts = 0, c;
  eie_err_t e;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
    random_opts += c == 'd' || c == 'A' || c == 's';
    switch (c) {
      case 'R':
        rnd = optarg;
        break;
      case 'd':
        if (eie_cli_parse_double("sweep: --density", optarg, 0, 1, &spec.density))
          return EIE_EXIT_BAD;
        break;
      case 'A':
        if (eie_cli_parse_double("sweep: --act-density", optarg, 0, 1, &spec.act_density))
          return EIE_EXIT_BAD;
        break;
      case 's': {
        long long sv;
        if (eie_args_int(optarg, 0, 1ll << 62, &sv))
          return bad("--seed '%s' is not a non-negative integer up to 2^62 (decimal)", optarg);
        spec.seed = (uint64_t)sv;
        break;
      }
      case 'p':
        if (!(sw.npes = parse_list("--pes", optarg, EIE_NUM_PE_MIN, EIE_NUM_PE_MAX, sw.pes)))
          return EIE_EXIT_BAD;
        break;
      case 'f':
        if (!(sw.nfifo = parse_list("--fifo-depth", optarg, EIE_FIFO_DEPTH_MIN, EIE_FIFO_DEPTH_MAX,
                                    sw.fifos)))
          return EIE_EXIT_BAD;
        break;
      case 'M':
        if (!strcmp(optarg, "fit"))
          sw.fit = 1;
        else if (!strcmp(optarg, "fixed"))
          sw.fit = 0;
        else
          return bad("--memories '%s' is not fit or fixed", optarg);
        break;
      case 'P': {
        const char *eq = strchr(optarg, '=');
        char pname[64];
        long long pv = 0;
        if (!eq || eie_args_int(eq + 1, 0, 1ll << 30, &pv) || eq - optarg >= (long)sizeof pname)
          return bad("--param '%s' is not NAME=VALUE (VALUE a decimal integer)", optarg);
        snprintf(pname, sizeof pname, "%.*s", (int)(eq - optarg), optarg);
        if (!strcasecmp(pname, "NUM_PE") || !strcasecmp(pname, "FIFO_DEPTH"))
          return bad("--param %s: give PE counts and FIFO depths with --pes and --fifo-depth",
                     pname);
        if (eie_config_set(&sw.base, pname, (long)pv, &e)) return bad("--param %s", e.msg);
        break;
      }
      case 'n':
        sw.name = optarg;
        break;
      case 'o':
        out = optarg;
        break;
      case 'q':
        sw.quiet = 1;
        break;
      case 'h':
        fputs(sweep_help, stdout);
        return 0;
      case ':':
        return bad("option '%s' needs a value (see 'eie sweep --help')", argv[optind - 1]);
      default:
        return bad("unknown option '%s' (see 'eie sweep --help')", argv[optind - 1]);
    }
  }
  const char *dir = optind < argc ? argv[optind] : NULL;
  if (optind + 1 < argc) return bad("unexpected argument '%s'", argv[optind + 1]);
  if (!dir == !rnd) return bad("%s", "give a pack directory or --random MxK");
  if (dir && random_opts)
    return bad("%s", "--density, --act-density and --seed go with --random, not a pack");
  if (sw.name && strpbrk(sw.name, ",\"\n\r"))
    return bad("--name '%s' must not contain commas, quotes or newlines", sw.name);

  /* The CSV goes to a temporary file beside FILE, renamed onto it only when
   * the sweep succeeds; never onto the pack being read. */
  eie_fsafe_out_t csv;
  memset(&csv, 0, sizeof csv);
  if (out) {
    eie_fsafe_inputs_t in = {{0}, {0}, 0};
    eie_fsafe_add_input(&in, dir, 1);
    if (eie_fsafe_out_open(&csv, out, &in, &e)) return bad("-o %s", e.msg);
  }
  char label[64];
  int rc = sweep_layer(rnd, dir, &spec, &sw, label, &csv);
  if (rc) return rc;
  if (!sw.name) sw.name = label;
  sw.csv = out ? csv.f : stdout;

  const uint32_t M = sw.layer.out_len;
  int16_t *ref = malloc(sizeof *ref * M), *y = malloc(sizeof *y * M);
  uint64_t *base_cycles = calloc(sw.nfifo, sizeof *base_cycles);
  if (!ref || !y || !base_cycles) rc = bad("%s", "out of memory");
  if (!rc) eie_ref_layer(&sw.layer, sw.x, ref);
  const double t0 = eie_cli_now();
  if (!rc) rc = sweep_points(&sw, ref, y, base_cycles);
  if (out && !rc && eie_fsafe_out_commit(&csv, &e)) rc = bad("%s", e.msg);
  if (out && rc) eie_fsafe_out_abort(&csv); /* the old FILE stays as it was */
  if (!rc && !sw.quiet)
    fprintf(stderr, "eie sweep: %u points in %.1f s%s%s\n", sw.npes * sw.nfifo, eie_cli_now() - t0,
            out ? ", " : "", out ? out : "");
  free(ref);
  free(y);
  free(base_cycles);
  free(sw.x);
  eie_layer_free(&sw.layer);
  return rc;
}
