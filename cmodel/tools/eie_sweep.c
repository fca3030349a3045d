/* eie sweep: run one layer on the cycle-accurate model for every pair of a
 * list of PE counts and a list of FIFO depths and write one CSV row per pair.
 * The layer is encoded once per PE count (in row tiles when it does not fit,
 * eie_tiling.h); the encoding does not depend on the FIFO depth, so each depth
 * only re-runs it. Every run's outputs are checked against the functional
 * reference. Plots: scripts/plot_sweep.sh CSV DIR. */
#define _POSIX_C_SOURCE 200809L
#include "eie_sweep.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "eie/eie_random.h"
#include "eie/eie_ref.h"
#include "eie/eie_tiling.h"
#include "eie_args.h"
#include "eie_fsafe.h"
#include "eie_pack.h"

#define EXIT_MISMATCH 1
#define EXIT_BAD 3
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

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int bad(const char *fmt, const char *arg) {
  fprintf(stderr, "eie: sweep: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n");
  return EXIT_BAD;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* "1,2,4": values in lo..hi, sorted, duplicates removed. Returns the count, 0 on error. */
static unsigned parse_list(const char *opt, const char *s, uint32_t lo, uint32_t hi, uint32_t *out) {
  unsigned n = 0;
  const char *p = s;
  while (1) {
    char num[16];
    const size_t len = strcspn(p, ",");
    long long v;
    snprintf(num, sizeof num, "%.*s", (int)(len < 15 ? len : 15), p);
    if (len > 15 || eie_args_int(num, lo, hi, &v) || n == MAX_POINTS) {
      fprintf(stderr, "eie: sweep: %s '%s' is not a comma-separated list of integers in %u..%u (decimal, no leading zeros)\n",
              opt, s, lo, hi);
      return 0;
    }
    out[n++] = (uint32_t)v;
    if (!p[len]) break;
    p += len + 1;
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
    return eie_fail(e, EIE_STATUS_BAD_INPUT, "the pack has %u layers; sweep takes a single-layer pack",
                    pk->prog.num_layers);
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

int eie_cmd_sweep(int argc, char **argv) {
  static const struct option opts[] = {
      {"random", required_argument, 0, 'R'},     {"density", required_argument, 0, 'd'},
      {"act-density", required_argument, 0, 'A'}, {"seed", required_argument, 0, 's'},
      {"pes", required_argument, 0, 'p'},        {"fifo-depth", required_argument, 0, 'f'},
      {"memories", required_argument, 0, 'M'},   {"param", required_argument, 0, 'P'},
      {"name", required_argument, 0, 'n'},       {"output", required_argument, 0, 'o'},
      {"quiet", no_argument, 0, 'q'},            {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  static const uint32_t grid[] = {1, 2, 4, 8, 16, 32, 64, 128, 256};
  uint32_t pes[MAX_POINTS], fifos[MAX_POINTS];
  unsigned npes = 9, nfifo = 9;
  memcpy(pes, grid, sizeof grid);
  memcpy(fifos, grid, sizeof grid);
  const char *rnd = NULL, *name = NULL, *out = NULL;
  eie_random_spec_t spec = {0, 0, 0.1, 0.35, 0, 1, 1};
  int fit = 1, quiet = 0, random_opts = 0, c;
  eie_config_t base = eie_config_default();
  eie_err_t e;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
    random_opts += c == 'd' || c == 'A' || c == 's';
    switch (c) {
      case 'R': rnd = optarg; break;
      case 'd': if (eie_cli_parse_double("sweep: --density", optarg, 0, 1, &spec.density)) return EXIT_BAD; break;
      case 'A': if (eie_cli_parse_double("sweep: --act-density", optarg, 0, 1, &spec.act_density)) return EXIT_BAD; break;
      case 's': {
        long long sv;
        if (eie_args_int(optarg, 0, 1ll << 62, &sv))
          return bad("--seed '%s' is not a non-negative integer up to 2^62 (decimal)", optarg);
        spec.seed = (uint64_t)sv;
        break;
      }
      case 'p': if (!(npes = parse_list("--pes", optarg, EIE_NUM_PE_MIN, EIE_NUM_PE_MAX, pes))) return EXIT_BAD; break;
      case 'f':
        if (!(nfifo = parse_list("--fifo-depth", optarg, EIE_FIFO_DEPTH_MIN, EIE_FIFO_DEPTH_MAX, fifos)))
          return EXIT_BAD;
        break;
      case 'M':
        if (!strcmp(optarg, "fit")) fit = 1;
        else if (!strcmp(optarg, "fixed")) fit = 0;
        else return bad("--memories '%s' is not fit or fixed", optarg);
        break;
      case 'P': {
        const char *eq = strchr(optarg, '=');
        char pname[64];
        long long pv = 0;
        if (!eq || eie_args_int(eq + 1, 0, 1ll << 30, &pv) || eq - optarg >= (long)sizeof pname)
          return bad("--param '%s' is not NAME=VALUE (VALUE a decimal integer)", optarg);
        snprintf(pname, sizeof pname, "%.*s", (int)(eq - optarg), optarg);
        if (!strcasecmp(pname, "NUM_PE") || !strcasecmp(pname, "FIFO_DEPTH"))
          return bad("--param %s: give PE counts and FIFO depths with --pes and --fifo-depth", pname);
        if (eie_config_set(&base, pname, (long)pv, &e)) return bad("--param %s", e.msg);
        break;
      }
      case 'n': name = optarg; break;
      case 'o': out = optarg; break;
      case 'q': quiet = 1; break;
      case 'h': fputs(sweep_help, stdout); return 0;
      case ':': return bad("option '%s' needs a value (see 'eie sweep --help')", argv[optind - 1]);
      default: return bad("unknown option '%s' (see 'eie sweep --help')", argv[optind - 1]);
    }
  }
  const char *dir = optind < argc ? argv[optind] : NULL;
  if (optind + 1 < argc) return bad("unexpected argument '%s'", argv[optind + 1]);
  if (!dir == !rnd) return bad("%s", "give a pack directory or --random MxK");
  if (dir && random_opts) return bad("%s", "--density, --act-density and --seed go with --random, not a pack");
  if (name && strpbrk(name, ",\"\n\r")) return bad("--name '%s' must not contain commas, quotes or newlines", name);

  /* The CSV goes to a temporary file beside FILE, renamed onto it only when
   * the sweep succeeds; never onto the pack being read. */
  eie_fsafe_out_t csv;
  memset(&csv, 0, sizeof csv);
  if (out) {
    eie_fsafe_inputs_t in = {{0}, {0}, 0};
    eie_fsafe_add_input(&in, dir, 1);
    if (eie_fsafe_out_open(&csv, out, &in, &e)) return bad("-o %s", e.msg);
  }
  eie_layer_t layer;
  int16_t *x = NULL;
  char label[64];
  if (rnd) {
    unsigned long m, k;
    if (eie_args_mxk(rnd, 65535, &m, &k)) return bad("--random '%s' is not MxK with 1..65535 (decimal)", rnd);
    spec.out_len = (uint32_t)m;
    spec.in_len = (uint32_t)k;
    if (eie_random_layer(&spec, &layer, &x, &e)) {
      eie_fsafe_out_abort(&csv);
      return bad("%s", e.msg);
    }
    snprintf(label, sizeof label, "%lux%lu", m, k);
  } else {
    eie_pack_t pk;
    eie_status_t st = eie_pack_read(dir, &pk, &e);
    if (st) {
      eie_fsafe_out_abort(&csv);
      return bad("%s", e.msg);
    }
    st = layer_from_pack(&pk, &layer, &e);
    if (st) {
      eie_pack_free(&pk);
      eie_layer_free(&layer);
      eie_fsafe_out_abort(&csv);
      fprintf(stderr, "eie: sweep: %s: %s\n", dir, e.msg);
      return EXIT_BAD;
    }
    x = pk.input;
    pk.input = NULL;
    eie_pack_free(&pk);
    /* The directory's last component, without trailing slashes. */
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;
    size_t b = n;
    while (b > 0 && dir[b - 1] != '/') b--;
    snprintf(label, sizeof label, "%.*s", (int)(n - b), dir + b);
    for (char *q = label; *q; q++)
      if (*q == ',' || *q == '"' || *q == '\n' || *q == '\r') *q = '_';
  }
  if (!name) name = label;

  const uint32_t M = layer.out_len;
  int16_t *ref = malloc(sizeof *ref * M), *y = malloc(sizeof *y * M);
  uint64_t *base_cycles = calloc(nfifo, sizeof *base_cycles);
  FILE *f = out ? csv.f : stdout;
  int rc = 0;
  if (!ref || !y || !base_cycles) rc = bad("%s", "out of memory");
  if (!rc) eie_ref_layer(&layer, x, ref);
  const double t0 = now_s();
  const unsigned total = npes * nfifo;
  unsigned done = 0;
  for (unsigned pi = 0; pi < npes && !rc; pi++) {
    eie_config_t cfg = base;
    cfg.num_pe = pes[pi];
    if (fit) eie_config_fit_memories(&cfg, &layer);
    eie_tiling_t t;
    eie_status_t st = eie_tiling_build(&cfg, &layer, x, &t, &e);
    if (st) {
      fprintf(stderr, "eie: sweep: %u PEs: %s%s\n", pes[pi], e.msg,
              fit ? "" : " (--memories fit raises the memories to what the layer needs)");
      rc = st == EIE_STATUS_MISMATCH ? EXIT_MISMATCH : EXIT_BAD;
      break;
    }
    for (unsigned fi = 0; fi < nfifo && !rc; fi++) {
      eie_tiling_stats_t s;
      double t1 = now_s();
      if ((st = eie_tiling_run(&t, fifos[fi], UINT64_MAX, y, &s, &e))) {
        fprintf(stderr, "eie: sweep: %u PEs, FIFO %u: %s\n", pes[pi], fifos[fi], e.msg);
        rc = st == EIE_STATUS_TIMEOUT ? 2 : EXIT_BAD;
        break;
      }
      for (uint32_t i = 0; i < M; i++)
        if (y[i] != ref[i]) {
          fprintf(stderr, "eie: sweep: %u PEs, FIFO %u: MISMATCH output %u = %d, reference %d\n", pes[pi],
                  fifos[fi], i, y[i], ref[i]);
          rc = EXIT_MISMATCH;
          break;
        }
      if (rc) break;
      if (pi == 0) base_cycles[fi] = s.cycles;
      if (!done) fputs(csv_header, f);
      const double eff = eie_tiling_load_efficiency(&s);
      const uint64_t balanced = (s.work_total + cfg.num_pe - 1) / cfg.num_pe;
      fprintf(f, "%s,%u,%u,%u,%u,%llu,%.3f,%llu,%llu,%llu,%llu,%.4f,%.4f,%.4f,%llu,%llu,%llu,%llu,%.1f,%u,%u,%u,%llu,%llu\n",
              name, cfg.num_pe, fifos[fi], t.tiles, t.tile_rows, (unsigned long long)s.cycles,
              (double)s.cycles / 800.0, (unsigned long long)s.run_cycles,
              (unsigned long long)s.stall_cycles, (unsigned long long)s.work_bound,
              (unsigned long long)balanced, eff, s.entries ? (double)s.padding / (double)s.entries : 0.0,
              s.cycles ? (double)base_cycles[fi] / (double)s.cycles : 0.0, (unsigned long long)s.macs,
              (unsigned long long)s.entries, (unsigned long long)s.padding,
              (unsigned long long)s.broadcasts, s.energy_pj / 1000.0, cfg.spmat_lines, cfg.ptr_depth,
              cfg.act_sram_depth, (unsigned long long)s.sat.acc_saturations,
              (unsigned long long)s.sat.out_saturations);
      fflush(f);
      done++;
      if (!quiet)
        fprintf(stderr, "eie sweep: [%u/%u] %s, %u PEs, FIFO %u: %llu cycles, load efficiency %.3f, %u tile%s (%.2f s)\n",
                done, total, name, cfg.num_pe, fifos[fi], (unsigned long long)s.cycles, eff, t.tiles,
                t.tiles == 1 ? "" : "s", now_s() - t1);
    }
    eie_tiling_free(&t);
  }
  if (out && !rc && eie_fsafe_out_commit(&csv, &e)) rc = bad("%s", e.msg);
  if (out && rc) eie_fsafe_out_abort(&csv); /* the old FILE stays as it was */
  if (!rc && !quiet)
    fprintf(stderr, "eie sweep: %u points in %.1f s%s%s\n", total, now_s() - t0, out ? ", " : "", out ? out : "");
  free(ref);
  free(y);
  free(base_cycles);
  free(x);
  eie_layer_free(&layer);
  return rc;
}
