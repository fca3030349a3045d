/* Deep-compression steps: magnitude pruning, 1-D k-means weight sharing and
 * fixed-point conversion. Everything here is deterministic: the same input
 * gives bit-identical output on every run. */
#include "eie/eie_compress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eie/eie_params.h"

#define EIE_NCENT (EIE_CB_SIZE - 1) /* real centroids; codebook index 0 means "pruned" */
#define EIE_KM_ITERS 100            /* maximum Lloyd iterations */

/* ------------------------------------------------------------------------ */
/* Sorting and selection on doubles (no NaN: callers reject them first).     */

/* A double's bits as an unsigned key in the order of the values (-0 below
 * +0; the values sorted here are non-zero). */
static uint64_t dkey(double v) {
  uint64_t b;
  memcpy(&b, &v, sizeof b);
  return b >> 63 ? ~b : b | 1ull << 63;
}

/* At most 16 values (the distinct ones of a layer with few). */
static void insertion_sort(double *a, size_t n) {
  for (size_t i = 1; i < n; i++) {
    double x = a[i];
    size_t j = i;
    while (j > 0 && a[j - 1] > x) {
      a[j] = a[j - 1];
      j--;
    }
    a[j] = x;
  }
}

/* The key that would be at position pos (0-based, ascending) of the n keys
 * of a if they were sorted; reorders a. A radix select, most significant
 * byte first: the keys whose byte is that of the answer are kept, the others
 * dropped, until the eight bytes are chosen. */
static uint64_t select_nth(uint64_t *a, size_t n, size_t pos) {
  uint64_t answer = 0;
  for (int d = 7; d >= 0; d--) {
    size_t count[256] = {0};
    for (size_t i = 0; i < n; i++) count[(a[i] >> 8 * d) & 0xff]++;
    unsigned b = 0;
    while (pos >= count[b]) pos -= count[b++]; /* b < 256: pos < n */
    answer |= (uint64_t)b << 8 * d;
    if (count[b] == n) continue; /* every key has this byte: all stay */
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
      if (((a[i] >> 8 * d) & 0xff) == b) a[m++] = a[i];
    n = m;
  }
  return answer;
}

/* ------------------------------------------------------------------------ */

static eie_status_t check_finite(const double *w, size_t n, const char *who, eie_err_t *err) {
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(w[i])) {
      return eie_fail(err, EIE_STATUS_BAD_INPUT, "%s: weight at flat index %zu is %s", who, i,
                      isnan(w[i]) ? "NaN" : "infinite");
    }
  }
  return EIE_OK;
}

/* ceil(density * n) with a small relative tolerance so that products that
 * are an integer up to rounding (0.09 * 100 = 9.000000000000002) do not
 * round up to the next count. */
static size_t keep_count(double density, size_t n) {
  double x = density * (double)n;
  double k = ceil(x - x * 1e-12);
  if (k <= 0.0) return 0;
  if (k >= (double)n) return n;
  return (size_t)k;
}

eie_status_t eie_prune(double *w, size_t n, double density, eie_err_t *err) {
  if (isnan(density) || density < 0.0 || density > 1.0) {
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "eie_prune: density %g is outside [0, 1]", density);
  }
  if (n == 0) return EIE_OK;
  if (!w) return eie_fail(err, EIE_STATUS_BAD_INPUT, "eie_prune: weight pointer is NULL");
  eie_status_t st = check_finite(w, n, "eie_prune", err);
  if (st != EIE_OK) return st;

  size_t k = keep_count(density, n);
  if (k >= n) return EIE_OK; /* keep everything; zeros stay zero */
  if (k == 0) {
    for (size_t i = 0; i < n; i++) w[i] = 0.0;
    return EIE_OK;
  }

  uint64_t *mag = malloc(n * sizeof *mag);
  if (!mag) {
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "eie_prune: cannot allocate %zu magnitudes", n);
  }
  /* A magnitude's bits are in its order already (sign bit 0). */
  for (size_t i = 0; i < n; i++) {
    const double m = fabs(w[i]);
    memcpy(&mag[i], &m, sizeof m);
  }
  /* Threshold t = k-th largest magnitude. Everything above t is kept; of the
   * weights exactly at t, the ones with the lowest flat indices fill the
   * remaining slots. This equals sorting by (|w| desc, index asc). */
  const uint64_t tbits = select_nth(mag, n, n - k);
  free(mag);
  double t;
  memcpy(&t, &tbits, sizeof t);

  size_t above = 0;
  for (size_t i = 0; i < n; i++) above += fabs(w[i]) > t;
  size_t at_t = k - above; /* >= 1 by definition of t */
  for (size_t i = 0; i < n; i++) {
    const double m = fabs(w[i]);
    if (m == t && at_t > 0) { /* rare: a tie at the threshold */
      at_t--;
      continue;
    }
    w[i] = m > t ? w[i] : 0.0;
  }
  return EIE_OK;
}

/* ------------------------------------------------------------------------ */
/* Weight sharing.                                                           */
/*
 * Lloyd iterations on up to ~20M weights must be cheap, so the work per
 * iteration avoids a nearest-centroid search per weight:
 * - the non-zero weights are sorted once by value (pairs of value and
 *   position);
 * - with sorted centroids, the nearest-centroid label is non-decreasing in
 *   the value (checked by km_monotone), so an assignment is 14 boundaries in
 *   the sorted order, found by binary search with the exact naive rule;
 * - when the boundaries move, only the weights between the old and the new
 *   boundary get a new label;
 * - the means are then summed over the labels in ascending flat index.
 * When the monotonicity check fails (centroids within rounding distance of
 * each other), every weight is labelled directly instead. Both paths give
 * exactly the naive assignment.
 */

/* Centroids live in a 16-slot array whose last slot is +inf, so that the
 * branch-free search below never needs a bounds check. */
#define EIE_CSLOTS EIE_CB_SIZE

static unsigned nearest_walk_left(const double *c, unsigned q, double x, double dq) {
  while (q > 0 && x - c[q - 1] == dq) q--;
  return q;
}

/* Index of the nearest centroid to x, ties to the lower index, for centroids
 * c[0..15) sorted ascending (c[15] = +inf). This is exactly the naive
 * "for i in 0..14: if |x - c[i]| < best" argmin: the floating-point distances
 * |x - c[i]| are non-increasing up to the last centroid <= x and
 * non-decreasing after it, so the minimum is at that crossing, and the first
 * index attaining it is found by walking left over equal distances (which
 * only happens when centroids are within rounding distance of each other). */
static unsigned nearest_centroid(const double *c, double x) {
  /* p = number of centroids <= x, written as arithmetic so that the
   * compiler emits no data-dependent branches. */
  unsigned p = (unsigned)(c[7] <= x) << 3;
  p += (unsigned)(c[p + 3] <= x) << 2;
  p += (unsigned)(c[p + 1] <= x) << 1;
  p += (unsigned)(c[p] <= x);
  unsigned q = p - (p != 0);      /* last centroid <= x, or 0 if none */
  double dq = x - c[q];           /* negative when p == 0: then q = 0 wins */
  unsigned right = c[p] - x < dq; /* then p == q + 1 */
  unsigned tie_left = (q != 0) & (x - c[q - (q != 0)] == dq);
  if (tie_left & !right) return nearest_walk_left(c, q, x, dq); /* rare */
  return q + right;
}

/* (value, position) pairs, sorted by value and, among equal values, by
 * position: an LSD radix sort (stable) of pairs made in ascending position. */
typedef struct {
  double v;
  size_t k;
} km_pair_t;

/* Sort a[0..n) (in ascending k) by value, stably, through tmp (n pairs); the
 * result is in a. A byte a pass, least significant first; a pass whose byte
 * is the same for every key is skipped (the exponent bytes of weights of one
 * layer mostly are). */
static void pair_radix_sort(km_pair_t *a, km_pair_t *tmp, size_t n) {
  km_pair_t *const out = a;
  size_t count[8][256];
  if (n < 2) return;
  memset(count, 0, sizeof count);
  for (size_t i = 0; i < n; i++) {
    const uint64_t key = dkey(a[i].v);
    for (unsigned d = 0; d < 8; d++) count[d][(key >> 8 * d) & 0xff]++;
  }
  for (unsigned d = 0; d < 8; d++) {
    size_t *c = count[d];
    if (c[(dkey(a[0].v) >> 8 * d) & 0xff] == n) continue; /* one byte value: no change */
    size_t at = 0;
    for (unsigned b = 0; b < 256; b++) {
      const size_t m = c[b];
      c[b] = at;
      at += m;
    }
    for (size_t i = 0; i < n; i++) tmp[c[(dkey(a[i].v) >> 8 * d) & 0xff]++] = a[i];
    km_pair_t *t = a;
    a = tmp;
    tmp = t;
  }
  if (a != out) memcpy(out, a, sizeof *a * n);
}

typedef struct {
  size_t nnz;             /* non-zero weights */
  double *v;              /* their values, ascending flat index */
  uint8_t *lab;           /* lab[k]: cluster (0..14) of v[k] */
  km_pair_t *sorted;      /* (v[k], k) sorted by value */
  double vmin, vmax;      /* smallest and largest non-zero weight */
  size_t pos[EIE_CSLOTS]; /* if pos_valid: cluster t is sorted[pos[t]..pos[t+1]) */
  int pos_valid;
  double sum[EIE_NCENT]; /* per-cluster sums (ascending flat index) */
  size_t cnt[EIE_NCENT]; /* and member counts */
} km_state_t;

/* Whether the nearest-centroid label is non-decreasing in the value over the
 * data range. It can only fail to be when two centroids c_i < c_j give
 * equal rounded distances fl(y - c_i) == fl(y - c_j) for some data value y
 * >= c_j, which needs c_j - c_i <= ulp(|y| + |c_i|) <= 2^-52 * s; a gap
 * larger than 2^-50 * s (and than any subnormal spacing) rules it out. */
static int km_monotone(const km_state_t *s, const double *c) {
  double vabs = fmax(fabs(s->vmin), fabs(s->vmax));
  double s_abs = 2.0 * fmax(vabs, fmax(fabs(c[0]), fabs(c[EIE_NCENT - 1])));
  double tol = fmax(ldexp(s_abs, -50), ldexp(1.0, -1000));
  for (unsigned i = 0; i + 1 < EIE_NCENT; i++) {
    if (!(c[i + 1] - c[i] > tol)) return 0;
  }
  return 1;
}

/* First position in sorted[lo..nnz) whose label is >= t (labels there are
 * non-decreasing). */
static size_t km_boundary(const km_state_t *s, const double *c, unsigned t, size_t lo) {
  size_t hi = s->nnz;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (nearest_centroid(c, s->sorted[mid].v) >= t) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

/* Assign every weight to its nearest centroid (c sorted ascending), then
 * recompute the cluster sums and counts. remap maps the previous cluster
 * numbers to the current ones (NULL on the first call). Returns whether any
 * weight changed cluster (always 1 on the first call). */
static int km_assign(km_state_t *s, const double *c, const uint8_t *remap) {
  const size_t nnz = s->nnz;
  const km_pair_t *sorted = s->sorted;
  uint8_t *lab = s->lab;
  uint8_t rm[EIE_NCENT];
  int identity = 1;
  unsigned changed = remap == NULL;
  for (unsigned i = 0; i < EIE_NCENT; i++) {
    rm[i] = remap ? remap[i] : (uint8_t)i;
    identity &= rm[i] == i;
  }

  if (km_monotone(s, c)) {
    size_t npos[EIE_CSLOTS];
    npos[0] = 0;
    npos[EIE_NCENT] = nnz;
    for (unsigned t = 1; t < EIE_NCENT; t++) npos[t] = km_boundary(s, c, t, npos[t - 1]);
    if (remap && identity && s->pos_valid) {
      /* Only the weights between an old and a new boundary move. */
      for (unsigned t = 1; t < EIE_NCENT; t++) {
        size_t a = s->pos[t] < npos[t] ? s->pos[t] : npos[t];
        size_t b = s->pos[t] < npos[t] ? npos[t] : s->pos[t];
        if (a != b) changed = 1;
        for (size_t j = a; j < b; j++) lab[sorted[j].k] = (uint8_t)nearest_centroid(c, sorted[j].v);
      }
    } else {
      for (unsigned t = 0; t < EIE_NCENT; t++) {
        for (size_t j = npos[t]; j < npos[t + 1]; j++) {
          size_t k = sorted[j].k;
          changed |= rm[lab[k]] != t;
          lab[k] = (uint8_t)t;
        }
      }
    }
    memcpy(s->pos, npos, sizeof npos);
    s->pos_valid = 1;
  } else {
    double cc[EIE_CSLOTS];
    memcpy(cc, c, sizeof cc);
    for (size_t k = 0; k < nnz; k++) {
      unsigned l = nearest_centroid(cc, s->v[k]);
      changed |= rm[lab[k]] != l;
      lab[k] = (uint8_t)l;
    }
    s->pos_valid = 0;
  }

  /* The sums in ascending flat index (the order fixes their rounding); the counts from the
   * boundaries when there are some. */
  double sum[EIE_NCENT] = {0};
  size_t cnt[EIE_NCENT] = {0};
  const double *v = s->v;
  for (size_t k = 0; k < nnz; k++) sum[lab[k]] += v[k];
  if (s->pos_valid)
    for (unsigned t = 0; t < EIE_NCENT; t++) cnt[t] = s->pos[t + 1] - s->pos[t];
  else
    for (size_t k = 0; k < nnz; k++) cnt[lab[k]]++;
  memcpy(s->sum, sum, sizeof sum);
  memcpy(s->cnt, cnt, sizeof cnt);
  return (int)changed;
}

/* Seed for one empty cluster: the non-zero weight farthest from the centroid
 * it is assigned to, ties to the lowest flat index, whose value is not
 * already a seed in this iteration (two seeds with one value would give two
 * identical centroids). Returns nnz if no weight has a positive distance. */
static size_t km_pick_seed(const km_state_t *s, const double *c, const double *seed_val,
                           unsigned nseeds) {
  size_t best = s->nnz;
  double bestd = 0.0;
  for (size_t k = 0; k < s->nnz; k++) {
    double x = s->v[k];
    double d = fabs(x - c[s->lab[k]]);
    if (!(d > bestd)) continue;
    int taken = 0;
    for (unsigned i = 0; i < nseeds; i++) taken |= seed_val[i] == x;
    if (taken) continue;
    best = k;
    bestd = d;
  }
  return best;
}

/* Re-seed the empty clusters (ascending cluster order) and recompute the sums
 * so that each seed weight counts only for its re-seeded cluster. */
static void km_reseed(km_state_t *s, const double *c) {
  size_t seed_pos[EIE_NCENT];
  double seed_val[EIE_NCENT];
  unsigned seed_cl[EIE_NCENT];
  unsigned nseeds = 0;
  for (unsigned e = 0; e < EIE_NCENT; e++) {
    if (s->cnt[e] != 0) continue;
    size_t k = km_pick_seed(s, c, seed_val, nseeds);
    if (k == s->nnz) continue; /* nothing to take: the centroid stays put */
    seed_pos[nseeds] = k;
    seed_val[nseeds] = s->v[k];
    seed_cl[nseeds] = e;
    nseeds++;
  }
  if (nseeds == 0) return;
  for (unsigned i = 1; i < nseeds; i++) { /* positions ascending */
    size_t p = seed_pos[i];
    unsigned j = i;
    while (j > 0 && seed_pos[j - 1] > p) {
      seed_pos[j] = seed_pos[j - 1];
      j--;
    }
    seed_pos[j] = p;
  }
  for (unsigned i = 0; i < EIE_NCENT; i++) {
    s->sum[i] = 0.0;
    s->cnt[i] = 0;
  }
  unsigned sp = 0;
  for (size_t k = 0; k < s->nnz; k++) {
    if (sp < nseeds && seed_pos[sp] == k) {
      sp++;
      continue;
    }
    unsigned l = s->lab[k];
    s->sum[l] += s->v[k];
    s->cnt[l]++;
  }
  for (unsigned i = 0; i < nseeds; i++) {
    s->sum[seed_cl[i]] = seed_val[i];
    s->cnt[seed_cl[i]] = 1;
  }
}

/* Lloyd iterations. On entry c[0..15) holds the sorted initial centroids; on
 * exit the final sorted centroids, with s->lab the matching assignment.
 * Centroids are kept sorted ascending throughout, so "ties to the lower
 * index" always means "ties to the smaller centroid". */
static void km_lloyd(km_state_t *s, double c[EIE_CSLOTS]) {
  km_assign(s, c, NULL);
  for (int it = 0; it < EIE_KM_ITERS; it++) {
    km_reseed(s, c);

    double nc[EIE_NCENT];
    for (unsigned i = 0; i < EIE_NCENT; i++) {
      nc[i] = s->cnt[i] ? s->sum[i] / (double)s->cnt[i] : c[i];
    }
    /* Stable sort of the new centroids; newpos maps an old cluster number
     * to its place in the sorted order. */
    unsigned order[EIE_NCENT];
    for (unsigned i = 0; i < EIE_NCENT; i++) order[i] = i;
    for (unsigned i = 1; i < EIE_NCENT; i++) {
      unsigned o = order[i];
      unsigned j = i;
      while (j > 0 && nc[order[j - 1]] > nc[o]) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = o;
    }
    uint8_t newpos[EIE_NCENT];
    for (unsigned i = 0; i < EIE_NCENT; i++) {
      c[i] = nc[order[i]];
      newpos[order[i]] = (uint8_t)i;
    }

    int changed = km_assign(s, c, newpos);
    int all_used = 1;
    for (unsigned i = 0; i < EIE_NCENT; i++) all_used &= s->cnt[i] != 0;
    if (!changed && all_used) break;
  }
}

eie_status_t eie_kmeans_share(const double *w, size_t n, double centroids[15], unsigned *used,
                              uint8_t *idx, eie_err_t *err) {
  if (!centroids || !used) {
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "eie_kmeans_share: centroids or used is NULL");
  }
  for (unsigned i = 0; i < EIE_NCENT; i++) centroids[i] = 0.0;
  *used = 0;
  if (n > 0 && (!w || !idx)) {
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "eie_kmeans_share: weight or index pointer is NULL");
  }
  eie_status_t st = check_finite(w, n, "eie_kmeans_share", err);
  if (st != EIE_OK) return st;

  /* Collect up to 16 distinct non-zero values, count the non-zero weights (without a branch
   * a weight: whether one is zero is as good as random). */
  size_t nnz = 0;
  double dv[EIE_NCENT + 1];
  unsigned ndv = 0;
  for (size_t i = 0; i < n && ndv <= EIE_NCENT; i++) {
    const double x = w[i];
    unsigned j = 0;
    while (j < ndv && dv[j] != x) j++;
    if (x != 0.0 && j == ndv) dv[ndv++] = x;
  }
  for (size_t i = 0; i < n; i++) nnz += w[i] != 0.0;
  if (n > 0) memset(idx, 0, n);
  if (nnz == 0) return EIE_OK;

  if (ndv <= EIE_NCENT) {
    /* Few distinct values: they are the codebook, exactly. */
    insertion_sort(dv, ndv);
    for (unsigned j = 0; j < ndv; j++) centroids[j] = dv[j];
    for (size_t i = 0; i < n; i++) {
      if (w[i] == 0.0) continue;
      unsigned j = 0;
      while (dv[j] != w[i]) j++;
      idx[i] = (uint8_t)(j + 1);
    }
    *used = ndv;
    return EIE_OK;
  }

  km_state_t s;
  memset(&s, 0, sizeof s);
  s.nnz = nnz;
  km_pair_t *tmp = NULL;                    /* the sort's other half */
  if (nnz < SIZE_MAX / sizeof(km_pair_t)) { /* one more of each: written past, never used */
    s.v = malloc((nnz + 1) * sizeof *s.v);
    s.sorted = malloc((nnz + 1) * sizeof *s.sorted);
    tmp = malloc(nnz * sizeof *tmp);
    s.lab = calloc(nnz + 1, 1);
  }
  if (!s.v || !s.sorted || !tmp || !s.lab) {
    free(s.v);
    free(s.sorted);
    free(tmp);
    free(s.lab);
    return eie_fail(err, EIE_STATUS_NO_MEMORY,
                    "eie_kmeans_share: cannot allocate work space for %zu weights", nnz);
  }
  size_t k = 0;
  s.vmin = INFINITY;
  s.vmax = -INFINITY;
  for (size_t i = 0; i < n; i++) { /* the non-zero ones kept, a zero overwritten next */
    const double x = w[i];
    const int nz = x != 0.0;
    s.v[k] = x;
    s.sorted[k].v = x;
    s.sorted[k].k = k;
    k += nz;
    const double lo = nz ? x : INFINITY, hi = nz ? x : -INFINITY;
    s.vmin = lo < s.vmin ? lo : s.vmin;
    s.vmax = hi > s.vmax ? hi : s.vmax;
  }
  pair_radix_sort(s.sorted, tmp, nnz);
  free(tmp);

  /* Linear initialisation between the smallest and largest non-zero weight. */
  double c[EIE_CSLOTS];
  double lo = s.vmin, hi = s.vmax, span = hi - lo;
  for (unsigned i = 0; i < EIE_NCENT; i++) {
    double f = (double)i / (double)(EIE_NCENT - 1);
    c[i] = isfinite(span) ? lo + span * f : lo * (1.0 - f) + hi * f;
    if (c[i] > hi) c[i] = hi; /* keep the start sorted despite rounding */
  }
  c[EIE_NCENT - 1] = hi;
  c[EIE_CSLOTS - 1] = INFINITY;

  km_lloyd(&s, c);

  for (unsigned i = 0; i < EIE_NCENT; i++) centroids[i] = c[i];
  k = 0;
  for (size_t i = 0; i < n; i++) { /* lab[nnz], read after the last, is 0 */
    const int nz = w[i] != 0.0;
    idx[i] = (uint8_t)(nz ? s.lab[k] + 1 : 0);
    k += nz;
  }
  *used = EIE_NCENT;
  free(s.v);
  free(s.sorted);
  free(s.lab);
  return EIE_OK;
}

/* ------------------------------------------------------------------------ */
/* Fixed point.                                                              */

int eie_frac_bits_for(double maxabs) {
  if (isnan(maxabs)) return 0;
  double a = fabs(maxabs);
  for (int f = 15; f > 0; f--) {
    if (round(ldexp(a, f)) <= 32767.0) return f;
  }
  return 0;
}

int16_t eie_to_fixed(double x, int frac) {
  if (isnan(x)) return 0;
  double y = round(ldexp(x, frac)); /* round() is half away from zero */
  if (y > 32767.0) return INT16_MAX;
  if (y < -32768.0) return INT16_MIN;
  return (int16_t)y;
}
