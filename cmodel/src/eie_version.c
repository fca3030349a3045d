/* Library version and the sizes of the public structures (eie_version.h). */
#include "eie/eie_version.h"

#include <string.h>

#include "eie/eie_compress.h"
#include "eie/eie_driver.h"
#include "eie/eie_layer.h"
#include "eie/eie_model.h"
#include "eie/eie_npy.h"
#include "eie/eie_params.h"
#include "eie/eie_quantize.h"
#include "eie/eie_random.h"
#include "eie/eie_status.h"
#include "eie/eie_tiling.h"

#define EIE_STR2(x) #x
#define EIE_STR(x) EIE_STR2(x)

const char *eie_version(void) {
  return EIE_STR(EIE_VERSION_MAJOR) "." EIE_STR(EIE_VERSION_MINOR) "." EIE_STR(EIE_VERSION_PATCH);
}

unsigned eie_version_number(void) {
  return EIE_VERSION_NUMBER;
}

size_t eie_abi_sizeof(const char *type_name) {
  static const struct {
    const char *name;
    size_t size;
  } types[] = {
#define T(t) {#t, sizeof(t)}
      T(eie_err_t),
      T(eie_config_t),
      T(eie_param_info_t),
      T(eie_layer_t),
      T(eie_desc_t),
      T(eie_geom_t),
      T(eie_pe_image_t),
      T(eie_program_t),
      T(eie_event_t),
      T(eie_pe_stats_t),
      T(eie_sat_stats_t),
      T(eie_stats_t),
      T(eie_pe_view_t),
      T(eie_ccu_view_t),
      T(eie_bus_t),
      T(eie_float_net_t),
      T(eie_numerics_opts_t),
      T(eie_qerror_t),
      T(eie_layer_numerics_t),
      T(eie_numerics_report_t),
      T(eie_random_spec_t),
      T(eie_rng_t),
      T(eie_npy_t),
      T(eie_tiling_t),
      T(eie_tiling_stats_t),
#undef T
  };
  if (!type_name) return 0;
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (strcmp(types[i].name, type_name) == 0) return types[i].size;
  return 0;
}
