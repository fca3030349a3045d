/* eie run: load a vector pack into the C model, the Verilated RTL (through
 * the engine of eie_rtl_engine.h), or both in lock-step; run it, check the
 * outputs and the events against the pack, print statistics. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "eie/eie_model.h"
#include "eie_cli_common.h"
#include "eie_cmds.h"
#include "eie_fsafe.h"
#include "eie_pack.h"
#include "eie_rtl_engine.h"

static const char *run_help =
    "usage: eie run DIR [--engine cmodel|rtl|both|auto] [--json] [--max-cycles N] [--trace FILE]\n"
    "               [--name NAME]\n"
    "\n"
    "Load vector pack DIR through the host interface into the cycle-accurate C model, the\n"
    "Verilated RTL, or both in lock-step (every cycle's events compared), run it, compare the\n"
    "outputs with expected.npy and the events with the pack's event files, print statistics.\n"
    "Exit: 0 match, 1 mismatch, 2 timeout, 3 bad input.\n"
    "\n"
    "  --engine E       cmodel (default), rtl, both, or auto (both when this binary has an RTL\n"
    "                   build for the pack's configuration, else cmodel)\n"
    "  --json           one JSON object on stdout, the same keys for every engine (null when a\n"
    "                   value does not apply; docs/formats.md)\n"
    "  --max-cycles N   give up (exit 2) when the run needs more than N cycles (default 2^40)\n"
    "  --trace FILE     rtl/both: an FST waveform of the RTL and FILE.gtkw, a GTKWave view that\n"
    "                   starts at cycle 0 with a marker at the first divergence; cmodel: a VCD of\n"
    "                   the model under the RTL's signal names, on the FST's time axis (the same\n"
    "                   cycle at the same time: open both in GTKWave with the same cursor)\n"
    "  --name NAME      test name in mismatch reports (default: the pack's directory name); the\n"
    "                   rerun hint then names the regression test (make waves TEST=NAME)\n";

/* eie run's options. */
typedef struct {
  const char *dir;    /* the pack */
  const char *engine; /* cmodel, rtl, both or auto */
  int json;
  uint64_t max_cycles;
  const char *trace;      /* the temporary file of --trace FILE (NULL: none) */
  const char *trace_name; /* FILE */
  const char *name;       /* --name, or the pack's directory name */
  int named;              /* --name was given */
} run_opts_t;

/* What one run gives, whatever the engine: eie run's report and JSON. */
typedef struct {
  const char *engine, *pack;
  int match;
  uint64_t cycles;
  int has_cycles_model;
  uint64_t cycles_model;
  double sim_seconds;
  uint32_t mismatches; /* outputs that differ from expected.npy */
  int has_events;      /* the run's events were compared */
  uint64_t events_compared, event_mismatches;
  uint64_t load_clocks;
  int has_rtl;
  uint64_t coverage[EIE_RTL_RUN_COVERAGE];
  const eie_stats_t *stats; /* the C model's (NULL: the RTL alone) */
  uint64_t bound;
  uint32_t num_pe;
  int diverged;
  int64_t div_pe;
  uint64_t div_cycle;
  uint64_t run_start_time; /* waveform time of cycle 0 (FST and model VCD) */
} run_summary_t;

static const char *rtl_cov_name(unsigned i) {
  static const char *const names[EIE_RTL_RUN_COVERAGE] = {
      "queue_full", "stall", "bypass", "padding", "empty_column", "lnzd_idle", "multi_pass"};
  return names[i];
}

/* One JSON shape for every engine (docs/formats.md, "eie run --json"). */
static void print_run_json(const run_summary_t *r) {
  json_t *o;
  if (r->stats) {
    o = eie_stats_json(r->stats, r->bound);
  } else { /* the statistics' keys, every value null */
    eie_stats_t z;
    memset(&z, 0, sizeof z);
    eie_pe_stats_t pe = {0, 0, 0};
    z.num_pe = 1;
    z.pe = &pe;
    o = eie_stats_json(&z, 0);
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(o, tmp, k, v) json_object_set_new(o, k, json_null());
  }
  json_object_set_new(o, "cycles", json_integer((json_int_t)r->cycles));
  json_object_set_new(
      o, "cycles_model",
      r->has_cycles_model ? json_integer((json_int_t)r->cycles_model) : json_null());
  json_object_set_new(o, "sim_seconds", json_real(r->sim_seconds));
  json_object_set_new(o, "match", json_boolean(r->match));
  json_object_set_new(o, "mismatches", json_integer(r->mismatches));
  json_object_set_new(o, "events_compared",
                      r->has_events ? json_integer((json_int_t)r->events_compared) : json_null());
  json_object_set_new(o, "event_mismatches",
                      r->has_events ? json_integer((json_int_t)r->event_mismatches) : json_null());
  json_object_set_new(o, "load_clocks", json_integer((json_int_t)r->load_clocks));
  json_object_set_new(o, "run_start_time", json_integer((json_int_t)r->run_start_time));
  const char *seed = getenv("EIE_RTL_SEED"); /* random initial values of the RTL */
  json_object_set_new(o, "rtl_seed", r->has_rtl && seed ? json_integer(atoi(seed)) : json_null());
  json_t *cov = json_null();
  if (r->has_rtl) {
    cov = json_object();
    for (unsigned i = 0; i < EIE_RTL_RUN_COVERAGE; i++)
      json_object_set_new(cov, rtl_cov_name(i), json_integer((json_int_t)r->coverage[i]));
  }
  json_object_set_new(o, "coverage", cov);
  json_t *d = json_null();
  if (r->diverged) {
    d = json_object();
    json_object_set_new(d, "pe", r->div_pe >= 0 ? json_integer(r->div_pe) : json_null());
    json_object_set_new(d, "cycle", json_integer((json_int_t)r->div_cycle));
    json_object_set_new(d, "time",
                        json_integer((json_int_t)(r->run_start_time + 10 * r->div_cycle)));
  }
  json_object_set_new(o, "first_divergence", d);
  json_object_set_new(o, "engine", json_string(r->engine));
  json_object_set_new(o, "pack", json_string(r->pack));
  char *txt = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
  puts(txt);
  free(txt);
  json_decref(o);
}

/* FILE.gtkw beside an RTL trace: the observation port (and the diverging PE's
 * pipeline), from cycle 0, with a marker at the rising edge that starts the
 * diverging cycle. The "[*] run_start_time=" line is read by scripts/waves.sh. */
static int write_trace_view(const char *trace, const run_summary_t *r,
                            const eie_fsafe_inputs_t *in) {
  char path[4200];
  snprintf(path, sizeof path, "%s.gtkw", trace);
  eie_fsafe_out_t o;
  eie_err_t e;
  if (eie_fsafe_out_open(&o, path, in, &e))
    return eie_cli_die(EIE_EXIT_BAD, "run: --trace view %s", e.msg);
  FILE *f = o.f;
  const uint32_t n = r->num_pe;
  const uint64_t marker = r->run_start_time + 10 * r->div_cycle;
  fprintf(f, "[*] EIE run of %s: %s\n", r->pack,
          r->diverged ? "first divergence marked" : "no divergence");
  fprintf(f, "[*] run_start_time=%llu", (unsigned long long)r->run_start_time);
  if (r->diverged)
    fprintf(f, " divergence_pe=%lld divergence_cycle=%llu divergence_time=%llu",
            (long long)r->div_pe, (unsigned long long)r->div_cycle, (unsigned long long)marker);
  fprintf(f, "\n[dumpfile] \"%s\"\n[timestart] %llu\n", trace,
          (unsigned long long)r->run_start_time);
  if (r->diverged) fprintf(f, "[markertime] %llu\n", (unsigned long long)marker);
  fprintf(f, "[size] 1600 900\n[signals_width] 360\n");
  const char *one[] = {"clk_i", "obs_bcast_valid_o"};
  struct {
    const char *name;
    unsigned w;
  } vec[] = {{"obs_state_o", 3},      {"obs_layer_o", 4},        {"obs_pass_o", 16},
             {"obs_cycles_o", 64},    {"obs_bcast_j_o", 16},     {"obs_bcast_a_o", 16},
             {"obs_acc_valid_o", n},  {"obs_acc_row_o", 16 * n}, {"obs_acc_sum_o", 32 * n},
             {"obs_acc_bypass_o", n}, {"obs_wb_valid_o", n},     {"obs_wb_row_o", 16 * n},
             {"obs_wb_y_o", 16 * n}};
  for (unsigned i = 0; i < 2; i++) fprintf(f, "@28\ntop.eie_top.%s\n", one[i]);
  for (unsigned i = 0; i < sizeof vec / sizeof vec[0]; i++) {
    if (vec[i].w == 1)
      fprintf(f, "@28\ntop.eie_top.%s\n", vec[i].name);
    else
      fprintf(f, "@22\ntop.eie_top.%s[%u:0]\n", vec[i].name, vec[i].w - 1);
  }
  if (eie_fsafe_out_commit(&o, &e)) return eie_cli_die(EIE_EXIT_BAD, "run: --trace view %s", e.msg);
  return 0;
}

/* The line after a mismatch report: where the waves are, or how to get them. */
static void rerun_hint(char *buf, size_t n, const char *dir, const char *trace, int named,
                       const char *name) {
  if (trace)
    snprintf(buf, n, "waves: %s, open the view at the divergence with  gtkwave %s %s.gtkw", trace,
             trace, trace);
  else if (named)
    snprintf(buf, n, "rerun with waves: make waves TEST=%s", name);
  else
    snprintf(buf, n, "rerun with waves: make waves PACK=%s", dir);
}

/* The RTL alone: its events (in sink) against the pack's expected ones, the
 * first divergence reported. Returns the run's status st, or what replaces it. */
static eie_status_t check_rtl_events(const eie_rtl_engine_t *rtl, const char *dir,
                                     const eie_pack_t *pk, const char *name, const char *rerun,
                                     const eie_cli_event_sink_t *sink, eie_rtl_run_t *r,
                                     eie_status_t st, eie_err_t *e) {
  const uint32_t num_pe = pk->prog.cfg.num_pe;
  eie_event_t *want = NULL;
  size_t nwant = 0;
  if (sink->oom) {
    st = eie_fail(e, EIE_STATUS_NO_MEMORY, "out of memory for the event streams");
  } else if (eie_pack_read_events(pk, dir, &want, &nwant, e)) {
    st = EIE_STATUS_BAD_INPUT;
  } else {
    rtl->compare_events(name, num_pe, want, nwant, sink->ev, sink->n, r);
    if (r->mismatches) {
      fprintf(stderr, "  %s\n", rerun);
      st = EIE_STATUS_MISMATCH;
    }
  }
  free(want);
  return st;
}

/* The text report of an RTL run. */
static void print_rtl_report(const run_summary_t *sum, const eie_rtl_run_t *r, int lockstep,
                             int match) {
  printf("eie run: %s on %s: %s\n", sum->pack, sum->engine, match ? "match" : "MISMATCH");
  printf("  cycles %llu", (unsigned long long)r->cycles_rtl);
  if (lockstep) printf(" (C model %llu)", (unsigned long long)r->cycles_model);
  if (sum->has_events)
    printf(", %llu events compared, %llu differ", (unsigned long long)r->events_compared,
           (unsigned long long)r->mismatches);
  printf("\n  simulation %.3f s (%.0f cycles/s), loading %llu bus clocks\n", r->seconds,
         r->seconds > 0 ? (double)r->cycles_rtl / r->seconds : 0.0,
         (unsigned long long)r->load_ticks);
}

/* pk on the RTL: alone (its events checked against the pack's when it has
 * them) or in lock-step with the C model. With a trace, *view gets what the
 * trace view needs, even when the run timed out or diverged. */
static int run_rtl(const eie_rtl_engine_t *rtl, const run_opts_t *ro, const eie_pack_t *pk,
                   int lockstep, run_summary_t *view) {
  const char *dir = ro->dir, *name = ro->name;
  const eie_desc_t *dl = &pk->prog.desc[pk->prog.num_layers - 1];
  int16_t *y = malloc(sizeof *y * dl->out_len);
  if (!y) return eie_cli_die(EIE_EXIT_BAD, "%s", "out of memory");
  eie_cli_event_sink_t sink = {NULL, 1, NULL, 0, 0, 0, NULL};
  const int check_events = !lockstep && pk->has_events;
  char rerun[9000];
  rerun_hint(rerun, sizeof rerun, dir, ro->trace_name, ro->named, name);
  const eie_rtl_run_opts_t o = {
      name,  ro->trace, ro->max_cycles, lockstep, check_events ? eie_cli_sink_event : NULL,
      &sink, rerun};
  eie_rtl_run_t r;
  eie_err_t e;
  eie_status_t st = rtl->run(&pk->prog, pk->expected, &o, &r, y, &e);
  run_summary_t sum;
  memset(&sum, 0, sizeof sum);
  sum.engine = lockstep ? "both" : "rtl";
  sum.pack = dir;
  sum.num_pe = pk->prog.cfg.num_pe;
  sum.run_start_time = r.run_start_time;
  sum.load_clocks = r.load_ticks;
  if (check_events && (st == EIE_OK || st == EIE_STATUS_MISMATCH))
    st = check_rtl_events(rtl, dir, pk, name, rerun, &sink, &r, st, &e);
  free(sink.ev);
  sum.diverged = r.diverged;
  sum.div_pe = r.div_pe;
  sum.div_cycle = r.div_cycle;
  if (ro->trace) *view = sum;
  if (st && st != EIE_STATUS_MISMATCH) {
    free(r.stats.pe);
    free(y);
    return eie_cli_die(eie_cli_exit_for(st), "%s", e.msg);
  }
  sum.match = st == EIE_OK;
  sum.cycles = r.cycles_rtl;
  sum.has_cycles_model = lockstep;
  sum.cycles_model = r.cycles_model;
  sum.sim_seconds = r.seconds;
  sum.has_events = lockstep || check_events;
  sum.events_compared = r.events_compared;
  sum.event_mismatches = r.mismatches;
  sum.has_rtl = 1;
  memcpy(sum.coverage, r.coverage, sizeof sum.coverage);
  sum.stats = r.has_stats ? &r.stats : NULL;
  sum.bound = pk->prog.num_layers == 1 ? eie_program_work_bound(&pk->prog, 0, pk->input) : 0;
  uint32_t first = 0, diffs = 0;
  if (!r.outputs_match)
    for (uint32_t i = 0; i < dl->out_len; i++)
      if (y[i] != pk->expected[i] && diffs++ == 0) first = i;
  sum.mismatches = diffs;
  if (ro->json)
    print_run_json(&sum);
  else
    print_rtl_report(&sum, &r, lockstep, sum.match);
  if (diffs)
    fprintf(stderr, "MISMATCH pack=%s output=%u expected=%d rtl=%d (%u outputs differ)\n  %s\n",
            dir, first, pk->expected[first], y[first], diffs,
            r.diverged ? "the first divergence is reported above" : rerun);
  free(r.stats.pe);
  free(y);
  return st == EIE_OK ? 0 : EIE_EXIT_MISMATCH;
}

/* The text report of a C model run. */
static void print_cmodel_report(const char *dir, const char *engine, const eie_cli_run_t *res,
                                const eie_stats_t *s, uint32_t diffs) {
  printf("eie run: %s on %s: %s\n", dir, engine, diffs ? "MISMATCH" : "match");
  printf("  cycles %llu, run cycles %llu, stall cycles %llu, broadcasts %llu, macs %llu\n",
         (unsigned long long)res->cycles, (unsigned long long)s->run_cycles,
         (unsigned long long)s->stall_cycles, (unsigned long long)s->broadcasts,
         (unsigned long long)s->macs);
  printf(
      "  load efficiency %.3f, padding %llu, line reads %llu, pointer reads %llu, energy %.1f nJ\n",
      eie_stats_load_efficiency(s), (unsigned long long)s->padding,
      (unsigned long long)s->spmat_reads, (unsigned long long)s->ptr_reads,
      eie_stats_energy_pj(s) / 1000.0);
  printf("  saturations: %llu accumulator, %llu output\n",
         (unsigned long long)s->sat.acc_saturations, (unsigned long long)s->sat.out_saturations);
  printf("  simulation %.3f s\n", res->sim_seconds);
}

/* pk on the C model (engine: its name in the report), with a VCD for a trace. */
static int run_cmodel(const run_opts_t *ro, const eie_pack_t *pk, const char *engine) {
  const char *dir = ro->dir;
  const eie_desc_t *dl = &pk->prog.desc[pk->prog.num_layers - 1];
  int16_t *y = malloc(sizeof *y * dl->out_len);
  eie_array_t *a = NULL;
  eie_cli_run_t res = {0};
  uint64_t num_events = 0;
  eie_err_t e;
  /* The run's event streams must be the pack's expected ones: each event is
   * compared with its file's next line as the run emits it. */
  eie_pack_event_check_t *check = NULL;
  eie_status_t st = y ? EIE_OK : eie_fail(&e, EIE_STATUS_NO_MEMORY, "out of memory");
  if (!st && pk->has_events) st = eie_pack_events_begin(pk, dir, &check, &e);
  if (!st)
    st = eie_cli_simulate(&pk->prog, y, &a, ro->trace, ro->trace_name, NULL, NULL, check,
                          ro->max_cycles, &res, &e);
  if (check) {
    eie_err_t e2;
    const eie_status_t st2 = eie_pack_events_end(check, &num_events, &e2);
    if (!st && st2) {
      st = st2;
      e = e2;
    }
  }
  if (st) {
    eie_array_destroy(a); /* the run's array when only the event check failed */
    free(y);
    return eie_cli_die(eie_cli_exit_for(st), "%s", e.msg);
  }
  uint32_t diffs = 0, first = 0;
  for (uint32_t i = 0; i < dl->out_len; i++)
    if (y[i] != pk->expected[i] && diffs++ == 0) first = i;
  const eie_stats_t *s = eie_array_stats(a);
  if (ro->json) {
    run_summary_t sum;
    memset(&sum, 0, sizeof sum);
    sum.engine = engine;
    sum.pack = dir;
    sum.match = diffs == 0;
    sum.cycles = sum.cycles_model = res.cycles;
    sum.has_cycles_model = 1;
    sum.sim_seconds = res.sim_seconds;
    sum.mismatches = diffs;
    sum.has_events = pk->has_events;
    sum.events_compared = num_events;
    sum.load_clocks = res.load_accesses;
    sum.stats = s;
    sum.bound = pk->prog.num_layers == 1 ? eie_program_work_bound(&pk->prog, 0, pk->input) : 0;
    sum.num_pe = pk->prog.cfg.num_pe;
    sum.run_start_time = res.run_start_time;
    print_run_json(&sum);
  } else {
    print_cmodel_report(dir, engine, &res, s, diffs);
  }
  if (diffs)
    fprintf(stderr,
            "MISMATCH pack=%s output=%u expected=%d got=%d (%u outputs differ)\n"
            "  the model's run cycle by cycle: eie trace %s\n",
            dir, first, pk->expected[first], y[first], diffs, dir);
  eie_array_destroy(a);
  free(y);
  return diffs ? EIE_EXIT_MISMATCH : 0;
}

/* An RTL build with pk's configuration is in this binary. */
static int rtl_has_build(const eie_rtl_engine_t *rtl, const eie_config_t *cfg) {
  int found = 0;
  for (unsigned i = 0; rtl && i < rtl->build_count(); i++) {
    eie_config_t vc = rtl->build_config(i);
    if (!memcmp(&vc, cfg, sizeof vc)) found = 1;
  }
  return found;
}

/* eie run, once the options are read; *view as run_rtl. */
static int run_pack(const run_opts_t *ro, run_summary_t *view) {
  eie_pack_t pk;
  eie_err_t e;
  eie_status_t st = eie_pack_read(ro->dir, &pk, &e);
  if (st) return eie_cli_die(eie_cli_exit_for(st), "%s", e.msg);
  const eie_rtl_engine_t *rtl = eie_rtl_engine();
  const char *engine = ro->engine;
  if (!strcmp(engine, "auto")) engine = rtl_has_build(rtl, &pk.prog.cfg) ? "both" : "cmodel";
  const int rc = strcmp(engine, "cmodel") ? run_rtl(rtl, ro, &pk, strcmp(engine, "rtl") != 0, view)
                                          : run_cmodel(ro, &pk, engine);
  eie_pack_free(&pk);
  return rc;
}

int eie_cmd_run(int argc, char **argv) {
  static const struct option opts[] = {{"engine", required_argument, 0, 'e'},
                                       {"json", no_argument, 0, 'j'},
                                       {"max-cycles", required_argument, 0, 'm'},
                                       {"trace", required_argument, 0, 't'},
                                       {"name", required_argument, 0, 'n'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  run_opts_t ro;
  memset(&ro, 0, sizeof ro);
  ro.engine = "cmodel";
  long maxc = 1L << 40;
  int c;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
      case 'e':
        ro.engine = optarg;
        break;
      case 'j':
        ro.json = 1;
        break;
      case 'm':
        if (eie_cli_parse_long("--max-cycles", optarg, 1, 1L << 50, &maxc)) return EIE_EXIT_BAD;
        break;
      case 't':
        ro.trace_name = optarg;
        break;
      case 'n':
        ro.name = optarg;
        break;
      case 'h':
        fputs(run_help, stdout);
        return 0;
      default:
        fputs("eie run: see 'eie run --help'\n", stderr);
        return EIE_EXIT_BAD;
    }
  }
  const char *engine = ro.engine, *trace = ro.trace_name;
  const int with_rtl = eie_rtl_engine() != NULL;
  const int known = !strcmp(engine, "cmodel") || !strcmp(engine, "auto") ||
                    (with_rtl && (!strcmp(engine, "rtl") || !strcmp(engine, "both")));
  if (!known) {
    fprintf(stderr, "eie: run: engine '%s' is not available (available: %s)\n", engine,
            with_rtl ? "cmodel, rtl, both, auto"
                     : "cmodel, auto; this binary was built without the RTL");
    return EIE_EXIT_BAD;
  }
  if (optind + 1 != argc)
    return eie_cli_die(EIE_EXIT_BAD, "run: %s", "give exactly one pack directory");
  const char *dir = ro.dir = argv[optind];
  ro.max_cycles = (uint64_t)maxc;
  ro.named = ro.name != NULL;
  if (!ro.name) {
    const char *slash = strrchr(dir, '/');
    ro.name = slash && slash[1] ? slash + 1 : dir;
  }
  /* The trace goes to a temporary file beside FILE, never into the pack. */
  eie_fsafe_out_t tr;
  eie_fsafe_inputs_t in = {{0}, {0}, 0};
  eie_fsafe_add_input(&in, dir, 1);
  eie_err_t e;
  if (trace && (eie_fsafe_out_open(&tr, trace, &in, &e) || eie_fsafe_out_release(&tr, &e)))
    return eie_cli_die(EIE_EXIT_BAD, "run: --trace %s", e.msg);
  ro.trace = trace ? tr.tmp : NULL;
  run_summary_t view; /* what the RTL's trace view shows (view.pack: set by an RTL run) */
  memset(&view, 0, sizeof view);
  int rc = run_pack(&ro, &view);
  if (!trace) return rc;
  /* Kept for a mismatch or a timeout too: that is when it is wanted. */
  struct stat sb;
  if (rc != 0 && rc != EIE_EXIT_MISMATCH && rc != EIE_EXIT_TIMEOUT) {
    eie_fsafe_out_abort(&tr);
  } else if (stat(tr.tmp, &sb) || sb.st_size == 0) {
    eie_fsafe_out_abort(&tr);
    rc = eie_cli_die(EIE_EXIT_BAD, "run: --trace %s: nothing was written", trace);
  } else if (eie_fsafe_out_commit(&tr, &e)) {
    rc = eie_cli_die(EIE_EXIT_BAD, "run: --trace %s", e.msg);
  } else if (view.pack) {
    const int vrc = write_trace_view(trace, &view, &in);
    if (vrc) rc = vrc;
  }
  return rc;
}

static const char *check_help =
    "usage: eie check DIR\n"
    "\n"
    "Check vector pack DIR whole, without running it: every file its manifest lists read and\n"
    "its sha256 checked, every $readmemh image parsed and compared with the npy arrays, every\n"
    "event file parsed, and everything eie run checks (docs/formats.md). eie run itself reads\n"
    "and checks only the files a run uses. Exit: 0 the pack is sound, 3 it is not (one line\n"
    "naming the file and the problem).\n";

int eie_cmd_check(int argc, char **argv) {
  static const struct option opts[] = {{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
  int c;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if (c == 'h') {
      fputs(check_help, stdout);
      return 0;
    }
    fputs("eie check: see 'eie check --help'\n", stderr);
    return EIE_EXIT_BAD;
  }
  if (optind + 1 != argc)
    return eie_cli_die(EIE_EXIT_BAD, "check: %s", "give exactly one pack directory");
  eie_pack_t pk;
  eie_err_t e;
  const eie_status_t st = eie_pack_read_opts(argv[optind], &pk, 1, &e);
  if (st) return eie_cli_die(eie_cli_exit_for(st), "%s", e.msg);
  printf("eie check: %s: sound (%u PEs, %u layers, %s, %s)\n", argv[optind], pk.prog.cfg.num_pe,
         pk.prog.num_layers, pk.has_events ? "with event files" : "without event files",
         pk.has_hex ? "with $readmemh images" : "without .hex files");
  eie_pack_free(&pk);
  return 0;
}
