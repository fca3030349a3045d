/* Vector packs: the directory `eie gen` writes and `eie run` reads
 * (docs/formats.md). */
#ifndef EIE_PACK_H
#define EIE_PACK_H

#include <jansson.h>
#include <stdint.h>

#include "eie/eie_layer.h"
#include "eie/eie_model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EIE_PACK_SCHEMA "eie-pack"
#define EIE_PACK_SCHEMA_VERSION 1
#define EIE_GENERATOR "eie 0.1.0"

/* Per-layer arithmetic facts the descriptors do not carry. */
typedef struct {
  int in_frac, w_frac, out_frac;
} eie_pack_layer_fmt_t;

typedef struct {
  eie_program_t prog;                  /* images (input and biases placed) and descriptors */
  eie_pack_layer_fmt_t fmt[EIE_MAX_LAYERS];
  int16_t *input;                      /* layer 0 in_len values */
  int16_t *expected;                   /* last layer out_len values */
} eie_pack_t;

/* Write pack `dir` atomically (built beside it, renamed into place). `stats`
 * and `bound` go to stats.json. */
eie_status_t eie_pack_write(const char *dir, const eie_pack_t *pack, const eie_stats_t *stats,
                            uint64_t bound, eie_err_t *err);
/* Read and check a pack: schema, hashes of every file, shapes, descriptors. */
eie_status_t eie_pack_read(const char *dir, eie_pack_t *pack, eie_err_t *err);
void eie_pack_free(eie_pack_t *pack);

/* Statistics as a JSON object (new reference). */
json_t *eie_stats_json(const eie_stats_t *s, uint64_t bound);
/* SHA-256 of a file as 64 hex digits; 0 on success. */
int eie_sha256_file(const char *path, char hex[65]);

#ifdef __cplusplus
}
#endif
#endif
