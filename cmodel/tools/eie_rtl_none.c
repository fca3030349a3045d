/* The eie command built without the RTL (EIE_WITH_RTL off): no RTL engine,
 * so --engine rtl|both is refused and --engine auto runs the C model. */
#include "eie_rtl_engine.h"

const eie_rtl_engine_t *eie_rtl_engine(void) {
  return NULL;
}
