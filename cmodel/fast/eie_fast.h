/* The fast engine: the datapath of runs without an observer (docs/cmodel.md).
 * Not installed. */
#ifndef EIE_FAST_H
#define EIE_FAST_H

#include "eie/eie_params.h"

struct eie_array;
struct eie_datapath;
struct eie_fast;

struct eie_fast *eie_fast_create(const eie_config_t *cfg);
void eie_fast_destroy(struct eie_fast *f);
/* The pass runs on the reference datapath, the units stepped: memory ran
 * out for what the fast engine gathers. */
int eie_fast_on_reference(const struct eie_fast *f);
extern const struct eie_datapath eie_fast_datapath;

#endif
