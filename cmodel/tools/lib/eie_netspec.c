/* Network specification reader (see eie_netspec.h). */
#define _POSIX_C_SOURCE 200809L
#include "eie_netspec.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eie/eie_npy.h"
#include "eie_fsafe.h"

void eie_netspec_free(eie_netspec_t *ns) {
  for (unsigned l = 0; l < EIE_MAX_LAYERS; l++) {
    free(ns->w[l]);
    free(ns->bias[l]);
  }
  free(ns->x);
  free(ns->xq);
  for (unsigned i = 0; i < ns->num_files; i++) free(ns->files[i]);
  memset(ns, 0, sizeof *ns);
}

/* Load a float (or int16 when allowed) array of `ndim` dims from dir/name:
 * a regular file inside the spec's folder. */
static eie_status_t load(const char *spec, const char *dir, const char *name, const char *what,
                         unsigned ndim, eie_netspec_t *ns, eie_npy_t *a, eie_err_t *err) {
  memset(a, 0, sizeof *a);
  if (eie_fsafe_name_ok(name))
    return eie_fail(
        err, EIE_STATUS_BAD_INPUT,
        "%s: %s '%.200s' must be a file name relative to the spec's folder (no '..', not absolute)",
        spec, what, name);
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (ns->num_files < EIE_NETSPEC_MAX_FILES && !(ns->files[ns->num_files++] = strdup(path)))
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory");
  eie_status_t st = eie_fsafe_read_npy(dir, name, EIE_FSAFE_NO_LIMIT, a, err);
  if (st) return st;
  if (a->ndim != ndim || a->count == 0) {
    eie_npy_free(a);
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: %s must be %u-D and not empty (named by %s)",
                    path, what, ndim, spec);
  }
  if (a->dtype != EIE_NPY_F32 && a->dtype != EIE_NPY_F64 && a->dtype != EIE_NPY_I16) {
    const char *d = eie_npy_dtype_descr(a->dtype);
    eie_npy_free(a);
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: %s must be float32, float64 or int16, not %s",
                    path, what, d);
  }
  return EIE_OK;
}

/* The values as doubles; int16 ones are fixed point with `frac` fraction bits. */
static eie_status_t to_doubles(const char *what, const char *spec, eie_npy_t *a, int frac,
                               double **out, eie_err_t *err) {
  *out = eie_npy_to_double(a);
  if (!*out) return eie_fail(err, EIE_STATUS_NO_MEMORY, "out of memory");
  if (a->dtype == EIE_NPY_I16)
    for (uint64_t i = 0; i < a->count; i++) (*out)[i] = ldexp((*out)[i], -frac);
  for (uint64_t i = 0; i < a->count; i++)
    if (!isfinite((*out)[i]))
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: %s element %llu is not finite", spec, what,
                      (unsigned long long)i);
  return EIE_OK;
}

static eie_status_t read_spec(const char *path, const char *dir, json_t *j, eie_netspec_t *ns,
                              eie_err_t *err) {
  const char *schema = json_string_value(json_object_get(j, "schema"));
  if (!schema || strcmp(schema, EIE_NETSPEC_SCHEMA))
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: \"schema\" must be \"%s\"", path,
                    EIE_NETSPEC_SCHEMA);
  json_t *v = json_object_get(j, "schema_version");
  if (!json_is_integer(v) || json_integer_value(v) != EIE_NETSPEC_VERSION)
    return eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: unsupported schema_version (this tool reads %d)", path,
                    EIE_NETSPEC_VERSION);
  const char *key;
  json_t *val;
  json_object_foreach(j, key, val) {
    if (strcmp(key, "schema") && strcmp(key, "schema_version") && strcmp(key, "input") &&
        strcmp(key, "input_frac") && strcmp(key, "layers"))
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: unknown field \"%s\"", path, key);
  }
  const char *in = json_string_value(json_object_get(j, "input"));
  if (!in) return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: \"input\" must name a .npy file", path);
  json_t *layers = json_object_get(j, "layers");
  size_t n = json_array_size(layers);
  if (!json_is_array(layers) || n < 1 || n > EIE_MAX_LAYERS)
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: \"layers\" must list 1..%d layers", path,
                    EIE_MAX_LAYERS);
  ns->layers = (unsigned)n;
  ns->input_frac = -1;

  eie_npy_t a;
  eie_status_t st = load(path, dir, in, "the input", 1, ns, &a, err);
  if (st) return st;
  ns->widths[0] = (uint32_t)a.shape[0];
  if (a.shape[0] > 65535)
    st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: input has %llu values, more than 65535", path,
                  (unsigned long long)a.shape[0]);
  if (!st && a.dtype == EIE_NPY_I16) {
    json_t *f = json_object_get(j, "input_frac");
    ns->input_frac = f ? (int)json_integer_value(f) : 8;
    if (f && (!json_is_integer(f) || json_integer_value(f) < 0 || json_integer_value(f) > 15))
      st = eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: \"input_frac\" must be an integer in 0..15",
                    path);
    ns->xq = a.data;
    a.data = NULL;
  } else if (!st) {
    st = to_doubles("input", path, &a, 0, &ns->x, err);
  }
  eie_npy_free(&a);
  if (st) return st;

  for (unsigned l = 0; l < n && !st; l++) {
    json_t *o = json_array_get(layers, l);
    if (!json_is_object(o))
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: layers[%u] must be an object", path, l);
    json_object_foreach(o, key, val) {
      if (strcmp(key, "weights") && strcmp(key, "weight_frac") && strcmp(key, "bias") &&
          strcmp(key, "density") && strcmp(key, "relu"))
        return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: layers[%u]: unknown field \"%s\"", path, l,
                        key);
    }
    const char *wn = json_string_value(json_object_get(o, "weights"));
    if (!wn)
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: layers[%u].weights must name a .npy file",
                      path, l);
    json_t *d = json_object_get(o, "density");
    ns->density[l] = -1;
    if (d && (!json_is_number(d) || json_number_value(d) < 0 || json_number_value(d) > 1))
      return eie_fail(err, EIE_STATUS_BAD_INPUT,
                      "%s: layers[%u].density must be a number in [0, 1]", path, l);
    if (d) ns->density[l] = json_number_value(d);
    json_t *r = json_object_get(o, "relu");
    if (r && !json_is_boolean(r))
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: layers[%u].relu must be true or false", path,
                      l);
    ns->relu[l] = r ? json_is_true(r) : 1;
    json_t *wf = json_object_get(o, "weight_frac");
    if (wf && (!json_is_integer(wf) || json_integer_value(wf) < 0 || json_integer_value(wf) > 15))
      return eie_fail(err, EIE_STATUS_BAD_INPUT,
                      "%s: layers[%u].weight_frac must be an integer in 0..15", path, l);
    const int wfrac = wf ? (int)json_integer_value(wf) : EIE_INT16_WEIGHT_FRAC;
    char what[64];
    snprintf(what, sizeof what, "layers[%u] weights", l);
    if ((st = load(path, dir, wn, what, 2, ns, &a, err))) return st;
    if (a.shape[1] != ns->widths[l] || a.shape[0] > 65535) {
      st = eie_fail(err, EIE_STATUS_BAD_INPUT,
                    "%s: layers[%u].weights has shape (%llu, %llu) but its input has %u values",
                    path, l, (unsigned long long)a.shape[0], (unsigned long long)a.shape[1],
                    ns->widths[l]);
      eie_npy_free(&a);
      return st;
    }
    ns->widths[l + 1] = (uint32_t)a.shape[0];
    st = to_doubles(what, path, &a, wfrac, &ns->w[l], err);
    eie_npy_free(&a);
    if (st) return st;
    const char *bn = json_string_value(json_object_get(o, "bias"));
    if (json_object_get(o, "bias") && !bn)
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: layers[%u].bias must name a .npy file", path,
                      l);
    if (bn) {
      snprintf(what, sizeof what, "layers[%u] bias", l);
      if ((st = load(path, dir, bn, what, 1, ns, &a, err))) return st;
      if (a.shape[0] != ns->widths[l + 1]) {
        st = eie_fail(err, EIE_STATUS_BAD_INPUT,
                      "%s: layers[%u].bias has %llu values, the layer %u outputs", path, l,
                      (unsigned long long)a.shape[0], ns->widths[l + 1]);
        eie_npy_free(&a);
        return st;
      }
      st = to_doubles(what, path, &a, 0, &ns->bias[l], err);
      eie_npy_free(&a);
    }
  }
  return st;
}

eie_status_t eie_netspec_read(const char *path, eie_netspec_t *ns, eie_err_t *err) {
  memset(ns, 0, sizeof *ns);
  json_t *j;
  eie_status_t st = eie_fsafe_read_json(NULL, path, &j, err);
  if (st) return st;
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash)
    *slash = 0;
  else
    snprintf(dir, sizeof dir, ".");
  st = json_is_object(j) ? read_spec(path, dir, j, ns, err)
                         : eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: not a JSON object", path);
  json_decref(j);
  if (st) eie_netspec_free(ns);
  return st;
}
