/* Vector packs: the directory `eie gen` writes and `eie run` reads
 * (docs/formats.md). */
#ifndef EIE_PACK_H
#define EIE_PACK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "eie/eie_layer.h"
#include "eie/eie_model.h"
#include "eie/eie_quantize.h"
#include "eie_fsafe.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EIE_PACK_SCHEMA "eie-pack"
#define EIE_PACK_SCHEMA_VERSION 2
#define EIE_GENERATOR "eie 0.1.0"

/* A file's bytes as read (data[len] is 0). */
typedef struct {
  char *data;
  size_t len;
} eie_pack_text_t;

/* Per-layer arithmetic facts the descriptors do not carry. */
typedef struct {
  int in_frac, w_frac, out_frac;
} eie_pack_layer_fmt_t;

typedef struct {
  eie_program_t prog; /* images (input and biases placed) and descriptors */
  eie_pack_layer_fmt_t fmt[EIE_MAX_LAYERS];
  int16_t *input;                     /* layer 0 in_len values */
  int16_t *expected;                  /* last layer out_len values */
  int16_t *layer_out[EIE_MAX_LAYERS]; /* each layer's expected outputs (the last = expected) */
  /* Writing only: the model's events in emission order, written as the
   * expected per-stream event files (NULL: none). */
  const eie_event_t *events;
  size_t num_events;
  /* Writing only: the compression's numerics report for stats.json (NULL: none). */
  const eie_numerics_report_t *numerics;
  /* Writing only: leave out the $readmemh images and host traces (every .hex
   * file), which no run reads (eie gen --no-hex). */
  int no_hex;
  int has_events; /* reading: the pack carries the event files */
  int has_hex;    /* reading: the pack lists its .hex files (else none) */
  /* Reading: the event files as read and hashed (stream 0 = bcast_events.txt,
   * 1 + k = pe<k>_events.txt; NULL without them): compared from these bytes. */
  eie_pack_text_t *event_text;
} eie_pack_t;

/* Fields of an event-file line (docs/formats.md). */
#define EIE_EVENT_FIELDS "kind cycle layer pass index value bypass"

/* Room for an event's text: "BCAST", a 64-bit cycle, three 32-bit fields,
 * two ints and six spaces (83 bytes), and the slack the formatter writes
 * beyond them. */
#define EIE_PACK_EVENT_TEXT_MAX 128

/* The text of an event, the one form the event files and the messages use:
 * its kind's name, then cycle, layer, pass, index, value and bypass in
 * decimal, one space between (as "%s %llu %u %u %u %d %d"), no newline. For
 * an event within the ranges eie_pack_parse_event accepts, this is its line
 * in an event file, the only text that parses to it (but for '\r's before
 * the newline). Written to out (EIE_PACK_EVENT_TEXT_MAX bytes, some beyond
 * the text overwritten), not terminated; the length is returned. */
size_t eie_pack_format_event(const eie_event_t *e, char *out);

/* Parse one event line (len bytes, a trailing newline allowed): seven fields
 * separated by one space, decimal without leading zeros, each in its range.
 * 0 on success; -1 with *why naming the problem. */
int eie_pack_parse_event(const char *line, size_t len, eie_event_t *e, const char **why);

/* Every expected event of a pack read with its event files (bcast_events.txt,
 * then pe<k>_events.txt in order), parsed from the bytes eie_pack_read hashed,
 * into *ev (the caller frees it); EIE_STATUS_BAD_INPUT for a malformed line.
 * dir names the pack in messages. */
eie_status_t eie_pack_read_events(const eie_pack_t *pk, const char *dir, eie_event_t **ev,
                                  size_t *n, eie_err_t *err);

/* The comparison of a run's events, as they come (emission order), with the
 * expected event files: each event parses the next line of its stream, no
 * event is kept. The first problem is kept and reported by _end: a
 * difference (EIE_STATUS_MISMATCH naming the file, the event, the line and
 * both values) or a malformed line (EIE_STATUS_BAD_INPUT). */
typedef struct eie_pack_event_check eie_pack_event_check_t;
/* Over a pack read with its event files (pk->event_text; pk must outlive the
 * check); dir names the pack in messages. */
eie_status_t eie_pack_events_begin(const eie_pack_t *pk, const char *dir,
                                   eie_pack_event_check_t **c, eie_err_t *err);
/* One event of the run (an eie_event_cb: user is the check). A line that is
 * the event's text is taken as equal without being parsed; any other line is
 * parsed and compared, which gives the same answer (and reports). */
void eie_pack_events_feed(void *c, const eie_event_t *ev);
/* Parse and compare every line, even the event's own text: the reference the
 * shortcut above must agree with. */
void eie_pack_events_parse_every_line(eie_pack_event_check_t *c);
/* Event lines parsed so far (the others were the fed event's text). */
uint64_t eie_pack_events_parsed(const eie_pack_event_check_t *c);
/* After the run: every stream must be at its end. *compared gets the events
 * fed. Frees c. */
eie_status_t eie_pack_events_end(eie_pack_event_check_t *c, uint64_t *compared, eie_err_t *err);

/* Compare a run's events (emission order) with the event files in directory
 * `dir` (read without a manifest): EIE_OK when every stream is equal, else as
 * eie_pack_events_end. */
eie_status_t eie_pack_check_events(const char *dir, uint32_t num_pe, const eie_event_t *ev,
                                   size_t n, eie_err_t *err);

/* Apply a JSON object of parameters ({"NUM_PE": 16, ...}: the manifest's
 * "config" or a --config file) to cfg; `where` names the source in errors.
 * Fixed parameters must have this model's value. */
eie_status_t eie_config_from_json(json_t *obj, const char *where, eie_config_t *cfg,
                                  eie_err_t *err);

/* Where a pack may be written. */
typedef struct {
  int force;                        /* also replace a directory that is not an eie pack */
  const eie_fsafe_inputs_t *inputs; /* the command's inputs: never inside the pack's directory */
} eie_pack_write_opts_t;

/* Check, before any work, that pack `dir` may be written: it does not exist,
 * or is an empty directory, or an eie pack holding only its listed files (any
 * directory with o->force); it holds none of o->inputs. '.', '..', '/' and
 * symbolic links are refused. */
eie_status_t eie_pack_check_output(const char *dir, const eie_pack_write_opts_t *o, eie_err_t *err);

/* Write pack `dir` atomically (built beside it, put in place when complete,
 * the old pack then removed; a failure to remove it is reported). `stats`
 * and `bound` go to stats.json. o may be NULL (no force, no inputs). */
eie_status_t eie_pack_write_opts(const char *dir, const eie_pack_t *pack, const eie_stats_t *stats,
                                 uint64_t bound, const eie_pack_write_opts_t *o, eie_err_t *err);
eie_status_t eie_pack_write(const char *dir, const eie_pack_t *pack, const eie_stats_t *stats,
                            uint64_t bound, eie_err_t *err);
/* Read and check a pack (docs/formats.md, "What eie run and eie check read"):
 * schema, configuration, descriptors, shapes; every file it reads (manifest,
 * npy arrays, event files) read once and its sha256 checked on the bytes it
 * parses; every other listed file present, a regular file inside the pack. */
eie_status_t eie_pack_read(const char *dir, eie_pack_t *pack, eie_err_t *err);
/* verify != 0 (eie check): also every other listed file read and its sha256
 * checked, every $readmemh image parsed and compared with the npy arrays,
 * every event file parsed. */
eie_status_t eie_pack_read_opts(const char *dir, eie_pack_t *pack, int verify, eie_err_t *err);
void eie_pack_free(eie_pack_t *pack);

/* Statistics as a JSON object (new reference). */
json_t *eie_stats_json(const eie_stats_t *s, uint64_t bound);
/* The compression's numerics report (stats.json "numerics"). */
json_t *eie_numerics_json(const eie_numerics_report_t *r);

#ifdef __cplusplus
}
#endif
#endif
