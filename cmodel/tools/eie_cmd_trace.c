/* eie trace: a run of the C model cycle by cycle (Markdown, CSV or JSON), or
 * its event stream. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eie/eie_driver.h"
#include "eie/eie_example.h"
#include "eie/eie_model.h"
#include "eie_cli_common.h"
#include "eie_cmds.h"
#include "eie_pack.h"

static const char *trace_help =
    "usage: eie trace (DIR | --example paper [--pes N] [--fifo-depth D]) [--format md|csv|json]\n"
    "                 [--events]\n"
    "\n"
    "Print a run of the C model cycle by cycle: CCU state, LNZD root, broadcast, and per PE\n"
    "the queue occupancy, the column and entry being streamed, the accumulator write and the\n"
    "write-back (rows are output rows, all numbers decimal).\n"
    "\n"
    "  --format F       md (default: a Markdown table), csv (one line a cycle, a header line),\n"
    "                   json (one object: pack, num_pe, cycles: [{cycle, ccu, lnzd, broadcast,\n"
    "                   pe: [{queue, stream, acc, wb}]}], null where nothing happens)\n"
    "  --events         the event stream instead (one event a line)\n"
    "  --example paper  the paper's worked example instead of a pack, on --pes N (default 4)\n"
    "                   PEs with --fifo-depth D (default 8); a pack has its own configuration\n";

/* One cycle's events, per PE. */
typedef struct {
  int acc_v[256], acc_b[256], wb_v[256];
  uint32_t acc_row[256], wb_row[256];
  int32_t acc_val[256], wb_y[256];
  int bc_v;
  uint32_t bc_j;
  int32_t bc_a;
  int events_only;
} trace_ctx_t;

static void trace_cb(void *user, const eie_event_t *ev) {
  trace_ctx_t *t = user;
  if (t->events_only) {
    if (ev->kind == EIE_EV_BCAST)
      printf("%llu BCAST layer=%u pass=%u j=%u a=%d\n", (unsigned long long)ev->cycle, ev->layer,
             ev->pass, ev->index, ev->value);
    else
      printf("%llu %s layer=%u pass=%u pe=%u row=%u value=%d%s\n", (unsigned long long)ev->cycle,
             eie_event_kind_name(ev->kind), ev->layer, ev->pass, ev->pe, ev->index, ev->value,
             ev->kind == EIE_EV_ACC ? (ev->bypass ? " bypass=1" : " bypass=0") : "");
    return;
  }
  if (ev->kind == EIE_EV_BCAST) {
    t->bc_v = 1;
    t->bc_j = ev->index;
    t->bc_a = ev->value;
  }
  if (ev->pe >= 256) return;
  if (ev->kind == EIE_EV_ACC) {
    t->acc_v[ev->pe] = 1;
    t->acc_row[ev->pe] = ev->index;
    t->acc_val[ev->pe] = ev->value;
    t->acc_b[ev->pe] = ev->bypass;
  }
  if (ev->kind == EIE_EV_WB) {
    t->wb_v[ev->pe] = 1;
    t->wb_row[ev->pe] = ev->index;
    t->wb_y[ev->pe] = ev->value;
  }
}

enum { TRACE_MD, TRACE_CSV, TRACE_JSON };

static void trace_header(int fmt, uint32_t N, const char *pack) {
  if (fmt == TRACE_MD) {
    printf("| cycle | CCU | LNZD root | broadcast |");
    for (uint32_t k = 0; k < N; k++) printf(" PE%u q | PE%u stream | PE%u write |", k, k, k);
    printf("\n|---|---|---|---|");
    for (uint32_t k = 0; k < N; k++) printf("---|---|---|");
    printf("\n");
  } else if (fmt == TRACE_CSV) {
    printf("cycle,ccu,lnzd_j,lnzd_a,stall,bcast_j,bcast_a");
    for (uint32_t k = 0; k < N; k++)
      printf(
          ",pe%u_queue,pe%u_col,pe%u_entry,pe%u_acc_row,pe%u_acc_value,pe%u_acc_bypass,"
          "pe%u_wb_row,pe%u_wb_y",
          k, k, k, k, k, k, k, k);
    printf("\n");
  } else {
    json_t *p = json_string(pack);
    char *txt = json_dumps(p, JSON_ENCODE_ANY);
    printf("{\"pack\":%s,\"num_pe\":%u,\"cycles\":[", txt ? txt : "null", N);
    free(txt);
    json_decref(p);
  }
}

static void trace_row_md(uint64_t cyc, const eie_ccu_view_t *cv, const eie_pe_view_t *pv,
                         const trace_ctx_t *t, uint32_t N) {
  char root[48] = "", bc[48] = "";
  if (cv->root_valid)
    snprintf(root, sizeof root, "(%u, %d)%s", cv->root_j, cv->root_a, cv->stall ? " stall" : "");
  if (t->bc_v) snprintf(bc, sizeof bc, "(%u, %d)", t->bc_j, t->bc_a);
  printf("| %llu | %s | %s | %s |", (unsigned long long)cyc, eie_ccu_state_name(cv->state), root,
         bc);
  for (uint32_t k = 0; k < N; k++) {
    char st[48] = "", acc[48] = "", wb[32] = "";
    if (pv[k].stream_valid) {
      if (pv[k].stream_addr < pv[k].stream_end)
        snprintf(st, sizeof st, "col %u e%u", pv[k].stream_col, pv[k].stream_addr);
      else
        snprintf(st, sizeof st, "col %u (empty)", pv[k].stream_col);
    }
    if (t->acc_v[k])
      snprintf(acc, sizeof acc, "b%u=%d%s", t->acc_row[k], t->acc_val[k],
               t->acc_b[k] ? " byp" : "");
    if (t->wb_v[k]) snprintf(wb, sizeof wb, "y%u=%d", t->wb_row[k], t->wb_y[k]);
    printf(" %u | %s | %s%s |", pv[k].queue_count, st, acc, wb);
  }
  printf("\n");
}

static void trace_row_csv(uint64_t cyc, const eie_ccu_view_t *cv, const eie_pe_view_t *pv,
                          const trace_ctx_t *t, uint32_t N) {
  printf("%llu,%s,", (unsigned long long)cyc, eie_ccu_state_name(cv->state));
  if (cv->root_valid)
    printf("%u,%d,", cv->root_j, cv->root_a);
  else
    printf(",,");
  printf("%d,", cv->stall ? 1 : 0);
  if (t->bc_v)
    printf("%u,%d", t->bc_j, t->bc_a);
  else
    printf(",");
  for (uint32_t k = 0; k < N; k++) {
    printf(",%u,", pv[k].queue_count);
    if (pv[k].stream_valid) {
      printf("%u,", pv[k].stream_col);
      if (pv[k].stream_addr < pv[k].stream_end) printf("%u", pv[k].stream_addr);
    } else {
      printf(",");
    }
    if (t->acc_v[k])
      printf(",%u,%d,%d", t->acc_row[k], t->acc_val[k], t->acc_b[k] ? 1 : 0);
    else
      printf(",,,");
    if (t->wb_v[k])
      printf(",%u,%d", t->wb_row[k], t->wb_y[k]);
    else
      printf(",,");
  }
  printf("\n");
}

static void trace_row_json(uint64_t cyc, const eie_ccu_view_t *cv, const eie_pe_view_t *pv,
                           const trace_ctx_t *t, uint32_t N) {
  printf("%s{\"cycle\":%llu,\"ccu\":\"%s\",\"lnzd\":", cyc ? "," : "", (unsigned long long)cyc,
         eie_ccu_state_name(cv->state));
  if (cv->root_valid)
    printf("{\"j\":%u,\"a\":%d,\"stall\":%s}", cv->root_j, cv->root_a,
           cv->stall ? "true" : "false");
  else
    printf("null");
  printf(",\"broadcast\":");
  if (t->bc_v)
    printf("{\"j\":%u,\"a\":%d}", t->bc_j, t->bc_a);
  else
    printf("null");
  printf(",\"pe\":[");
  for (uint32_t k = 0; k < N; k++) {
    printf("%s{\"queue\":%u,\"stream\":", k ? "," : "", pv[k].queue_count);
    if (pv[k].stream_valid) {
      printf("{\"col\":%u,\"entry\":", pv[k].stream_col);
      if (pv[k].stream_addr < pv[k].stream_end)
        printf("%u}", pv[k].stream_addr);
      else
        printf("null}");
    } else {
      printf("null");
    }
    printf(",\"acc\":");
    if (t->acc_v[k])
      printf("{\"row\":%u,\"value\":%d,\"bypass\":%s}", t->acc_row[k], t->acc_val[k],
             t->acc_b[k] ? "true" : "false");
    else
      printf("null");
    printf(",\"wb\":");
    if (t->wb_v[k])
      printf("{\"row\":%u,\"y\":%d}}", t->wb_row[k], t->wb_y[k]);
    else
      printf("null}");
  }
  printf("]}");
}

/* The program to trace: the paper's example on cfg, or the pack
 * argv[optind]; *what names it in the JSON. */
static int trace_program(const char *example, const eie_config_t *cfg, int argc, char **argv,
                         eie_pack_t *pk, const char **what) {
  eie_err_t e;
  eie_status_t st;
  memset(pk, 0, sizeof *pk);
  *what = "paper";
  if (example) {
    if (strcmp(example, "paper"))
      return eie_cli_die(EIE_EXIT_BAD, "trace: unknown example '%s' (known: paper)", example);
    eie_layer_t l;
    int16_t x[8];
    eie_example_paper(&l, x);
    if ((st = eie_program_build(cfg, &l, 1, &pk->prog, &e)))
      return eie_cli_die(eie_cli_exit_for(st), "%s", e.msg);
    eie_program_set_input(&pk->prog, x);
    return 0;
  }
  if (optind + 1 != argc)
    return eie_cli_die(EIE_EXIT_BAD, "trace: %s", "give a pack directory or --example paper");
  *what = argv[optind];
  if ((st = eie_pack_read(argv[optind], pk, &e)))
    return eie_cli_die(eie_cli_exit_for(st), "%s", e.msg);
  return 0;
}

/* Run pk's program, a row (fmt) or the events (events) of each cycle on stdout. */
static int trace_run(const eie_pack_t *pk, const char *what, int fmt, int events) {
  const uint32_t N = pk->prog.cfg.num_pe;
  eie_err_t e;
  eie_status_t st;
  eie_array_t *a;
  if ((st = eie_array_create(&pk->prog.cfg, &a, &e)))
    return eie_cli_die(eie_cli_exit_for(st), "%s", e.msg);
  trace_ctx_t *t = calloc(1, sizeof *t);
  eie_pe_view_t *pv = calloc(N, sizeof *pv);
  int rc = 0;
  if (!t || !pv) {
    rc = eie_cli_die(EIE_EXIT_BAD, "%s", "out of memory");
    goto out;
  }
  t->events_only = events;
  eie_array_set_event_cb(a, trace_cb, t);
  eie_bus_t bus = eie_model_bus(a);
  if ((st = eie_driver_load(&bus, &pk->prog, &e)) ||
      eie_array_bus_write(a, EIE_REG_CTRL, EIE_CTRL_START) || !eie_array_busy(a)) {
    rc = eie_cli_die(EIE_EXIT_BAD, "trace: %s", st ? e.msg : eie_array_error(a));
    goto out;
  }
  static void (*const rows[])(uint64_t, const eie_ccu_view_t *, const eie_pe_view_t *,
                              const trace_ctx_t *,
                              uint32_t) = {trace_row_md, trace_row_csv, trace_row_json};
  eie_ccu_view_t cv;
  if (!events) trace_header(fmt, N, what);
  for (uint64_t cyc = 0; eie_array_busy(a); cyc++) {
    eie_array_view(a, &cv, pv);
    memset(t, 0, sizeof *t);
    t->events_only = events;
    eie_array_tick(a);
    if (!events) rows[fmt](cyc, &cv, pv, t, N);
  }
  if (!events && fmt == TRACE_JSON) printf("]}\n");
out:
  free(pv);
  free(t);
  eie_array_destroy(a);
  return rc;
}

int eie_cmd_trace(int argc, char **argv) {
  static const struct option opts[] = {{"example", required_argument, 0, 'x'},
                                       {"pes", required_argument, 0, 'p'},
                                       {"fifo-depth", required_argument, 0, 'f'},
                                       {"events", no_argument, 0, 'E'},
                                       {"format", required_argument, 0, 'F'},
                                       {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *example = NULL, *format = NULL;
  eie_config_t cfg = eie_config_default(); /* of --example: 4 PEs by default */
  cfg.num_pe = 4;
  int c, events = 0, sized = 0, fmt = TRACE_MD;
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
      case 'x':
        example = optarg;
        break;
      case 'p':
      case 'f':
        if (eie_cli_config_option(c, optarg, &cfg)) return EIE_EXIT_BAD;
        sized = 1;
        break;
      case 'E':
        events = 1;
        break;
      case 'F':
        format = optarg;
        break;
      case 'h':
        fputs(trace_help, stdout);
        return 0;
      default:
        fputs("eie trace: see 'eie trace --help'\n", stderr);
        return EIE_EXIT_BAD;
    }
  }
  if (format) {
    if (!strcmp(format, "md"))
      fmt = TRACE_MD;
    else if (!strcmp(format, "csv"))
      fmt = TRACE_CSV;
    else if (!strcmp(format, "json"))
      fmt = TRACE_JSON;
    else
      return eie_cli_die(EIE_EXIT_BAD, "trace: --format '%s' is not md, csv or json", format);
    if (events)
      return eie_cli_die(
          EIE_EXIT_BAD, "trace: %s",
          "--format and --events do not go together (--events prints one event a line)");
  }
  if (example && optind < argc)
    return eie_cli_die(EIE_EXIT_BAD, "trace: %s",
                       "give a pack directory or --example paper, not both");
  if (!example && sized)
    return eie_cli_die(
        EIE_EXIT_BAD, "trace: %s",
        "--pes and --fifo-depth go with --example (a pack has its own configuration)");
  eie_pack_t pk;
  const char *what;
  int rc = trace_program(example, &cfg, argc, argv, &pk, &what);
  if (rc) return rc;
  rc = trace_run(&pk, what, fmt, events);
  eie_pack_free(&pk);
  return rc;
}
