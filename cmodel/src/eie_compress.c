/* Deep-compression steps: magnitude pruning, 1-D k-means weight sharing and
 * fixed-point conversion. Everything here is deterministic: the same input
 * gives bit-identical output on every run. */
#include "eie/eie_compress.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EIE_NCENT 15      /* real centroids; codebook index 0 means "pruned" */
#define EIE_KM_ITERS 100  /* maximum Lloyd iterations */
#define SMALL_SORT 16     /* below this, insertion sort */

/* ------------------------------------------------------------------------ */
/* Sorting and selection on doubles (no NaN: callers reject them first).     */

static void dswap(double *a, double *b) {
  double t = *a;
  *a = *b;
  *b = t;
}

static double median3(double a, double b, double c) {
  if (a < b) {
    if (b < c) return b;
    return a < c ? c : a;
  }
  if (a < c) return a;
  return b < c ? c : b;
}

static int ilog2_size(size_t n) {
  int r = 0;
  while (n > 1) {
    n >>= 1;
    r++;
  }
  return r;
}

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

static void sift_down(double *a, size_t root, size_t n) {
  for (;;) {
    size_t child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && a[child + 1] > a[child]) child++;
    if (!(a[child] > a[root])) return;
    dswap(&a[child], &a[root]);
    root = child;
  }
}

static void heap_sort(double *a, size_t n) {
  if (n < 2) return;
  for (size_t i = n / 2; i-- > 0;) sift_down(a, i, n);
  for (size_t end = n - 1; end > 0; end--) {
    dswap(&a[0], &a[end]);
    sift_down(a, 0, end);
  }
}

/* Three-way partition of a[0..n) around value p (which occurs in a):
 * a[0..lt) < p, a[lt..gt) == p, a[gt..n) > p. */
static void partition3(double *a, size_t n, double p, size_t *lt_out, size_t *gt_out) {
  size_t lt = 0, i = 0, gt = n;
  while (i < gt) {
    if (a[i] < p) {
      dswap(&a[lt], &a[i]);
      lt++;
      i++;
    } else if (a[i] > p) {
      gt--;
      dswap(&a[i], &a[gt]);
    } else {
      i++;
    }
  }
  *lt_out = lt;
  *gt_out = gt;
}

/* Introsort: quicksort with a depth limit, heapsort fallback. */
static void intro_sort(double *a, size_t n, int depth) {
  while (n > SMALL_SORT) {
    if (depth-- <= 0) {
      heap_sort(a, n);
      return;
    }
    double p = median3(a[0], a[n / 2], a[n - 1]);
    size_t lt, gt;
    partition3(a, n, p, &lt, &gt);
    if (lt < n - gt) {
      intro_sort(a, lt, depth);
      a += gt;
      n -= gt;
    } else {
      intro_sort(a + gt, n - gt, depth);
      n = lt;
    }
  }
  insertion_sort(a, n);
}

static void sort_doubles(double *a, size_t n) {
  intro_sort(a, n, 2 * ilog2_size(n) + 2);
}

/* Value that would be at position pos (0-based, ascending) if a were sorted.
 * Reorders a. Falls back to a full sort of the remaining range if the
 * quickselect recursion gets too deep. */
static double select_nth(double *a, size_t n, size_t pos) {
  int depth = 2 * ilog2_size(n) + 2;
  while (n > SMALL_SORT) {
    if (depth-- <= 0) {
      sort_doubles(a, n);
      return a[pos];
    }
    double p = median3(a[0], a[n / 2], a[n - 1]);
    size_t lt, gt;
    partition3(a, n, p, &lt, &gt);
    if (pos < lt) {
      n = lt;
    } else if (pos < gt) {
      return p;
    } else {
      a += gt;
      n -= gt;
      pos -= gt;
    }
  }
  insertion_sort(a, n);
  return a[pos];
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

  if (n > SIZE_MAX / sizeof(double)) {
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "eie_prune: %zu weights is too many", n);
  }
  double *mag = malloc(n * sizeof *mag);
  if (!mag) {
    return eie_fail(err, EIE_STATUS_NO_MEMORY, "eie_prune: cannot allocate %zu magnitudes", n);
  }
  for (size_t i = 0; i < n; i++) mag[i] = fabs(w[i]);
  /* Threshold t = k-th largest magnitude. Everything above t is kept; of the
   * weights exactly at t, the ones with the lowest flat indices fill the
   * remaining slots. This equals sorting by (|w| desc, index asc). */
  double t = select_nth(mag, n, n - k);
  free(mag);

  size_t above = 0;
  for (size_t i = 0; i < n; i++) {
    if (fabs(w[i]) > t) above++;
  }
  size_t at_t = k - above; /* >= 1 by definition of t */
  for (size_t i = 0; i < n; i++) {
    double m = fabs(w[i]);
    if (m > t) continue;
    if (m == t && at_t > 0) {
      at_t--;
      continue;
    }
    w[i] = 0.0;
  }
  return EIE_OK;
}

/* ------------------------------------------------------------------------ */
/* Weight sharing.                                                           */

/* Index of the nearest centroid to x, ties to the lower index, where c[] is
 * sorted ascending and p = number of centroids <= x. This is exactly the
 * naive "for c in 0..14: if |x - c[c]| < best" argmin: the floating-point
 * distances are non-increasing up to the last centroid <= x and
 * non-decreasing after it, so the minimum sits at that crossing and the
 * first index attaining it is found by walking left over equal distances. */
static unsigned nearest_sorted(const double *c, unsigned p, double x) {
  if (p == 0) return 0;
  unsigned q = p - 1;
  double dq = x - c[q];
  if (p < EIE_NCENT && c[p] - x < dq) return p;
  while (q > 0 && x - c[q - 1] == dq) q--;
  return q;
}

/* Assign each distinct value u[0..m) (ascending) to its nearest centroid;
 * a sweep since both are sorted. nonempty[c] tells whether cluster c got
 * at least one value. */
static void assign_distinct(const double *u, size_t m, const double *c, uint8_t *lab,
                            unsigned char nonempty[EIE_NCENT]) {
  memset(nonempty, 0, EIE_NCENT);
  unsigned p = 0;
  for (size_t j = 0; j < m; j++) {
    double x = u[j];
    while (p < EIE_NCENT && c[p] <= x) p++;
    unsigned l = nearest_sorted(c, p, x);
    lab[j] = (uint8_t)l;
    nonempty[l] = 1;
  }
}

typedef struct {
  size_t nnz;            /* non-zero weights */
  double *v;             /* their values, ascending flat index */
  uint32_t *rank;        /* rank[k]: position of v[k] in u */
  double *u;             /* distinct non-zero values, ascending */
  size_t m;              /* number of distinct values */
  uint8_t *lab, *nlab;   /* current / next cluster of each distinct value */
} km_state_t;

static void km_free(km_state_t *s) {
  free(s->v);
  free(s->rank);
  free(s->u);
  free(s->lab);
  free(s->nlab);
}

/* Pick the seed for one empty cluster: the non-zero weight farthest from the
 * centroid it is currently assigned to, ties to the lowest flat index, whose
 * value is not already a seed in this iteration (two seeds with the same
 * value would give two identical centroids). Returns nnz if none has a
 * positive distance. */
static size_t km_pick_seed(const km_state_t *s, const double *c, const double *seed_val,
                           unsigned nseeds) {
  size_t best = s->nnz;
  double bestd = 0.0;
  for (size_t k = 0; k < s->nnz; k++) {
    double x = s->v[k];
    double d = fabs(x - c[s->lab[s->rank[k]]]);
    if (!(d > bestd)) continue;
    int taken = 0;
    for (unsigned i = 0; i < nseeds; i++) {
      if (seed_val[i] == x) {
        taken = 1;
        break;
      }
    }
    if (taken) continue;
    best = k;
    bestd = d;
  }
  return best;
}

/* Lloyd iterations. On entry c[] holds the sorted initial centroids; on exit
 * c[] holds the final sorted centroids and s->lab the matching assignment. */
static void km_lloyd(km_state_t *s, double c[EIE_NCENT]) {
  unsigned char nonempty[EIE_NCENT];
  assign_distinct(s->u, s->m, c, s->lab, nonempty);

  for (int it = 0; it < EIE_KM_ITERS; it++) {
    /* Re-seed empty clusters, in ascending cluster order. */
    size_t seed_pos[EIE_NCENT];
    double seed_val[EIE_NCENT];
    unsigned seed_cl[EIE_NCENT];
    unsigned nseeds = 0;
    for (unsigned e = 0; e < EIE_NCENT; e++) {
      if (nonempty[e]) continue;
      size_t k = km_pick_seed(s, c, seed_val, nseeds);
      if (k == s->nnz) continue; /* nothing to take: keep the old centroid */
      seed_pos[nseeds] = k;
      seed_val[nseeds] = s->v[k];
      seed_cl[nseeds] = e;
      nseeds++;
    }
    /* Seed positions ascending, so the flat pass can skip them in order. */
    for (unsigned i = 1; i < nseeds; i++) {
      size_t p = seed_pos[i];
      unsigned j = i;
      while (j > 0 && seed_pos[j - 1] > p) {
        seed_pos[j] = seed_pos[j - 1];
        j--;
      }
      seed_pos[j] = p;
    }

    /* Means, summed in ascending flat index; a seed weight belongs only to
     * its re-seeded cluster in this update. */
    double sum[EIE_NCENT] = {0};
    size_t cnt[EIE_NCENT] = {0};
    unsigned sp = 0;
    for (size_t k = 0; k < s->nnz; k++) {
      if (sp < nseeds && seed_pos[sp] == k) {
        sp++;
        continue;
      }
      unsigned l = s->lab[s->rank[k]];
      sum[l] += s->v[k];
      cnt[l]++;
    }
    for (unsigned i = 0; i < nseeds; i++) {
      sum[seed_cl[i]] = seed_val[i];
      cnt[seed_cl[i]] = 1;
    }
    double nc[EIE_NCENT];
    for (unsigned i = 0; i < EIE_NCENT; i++) nc[i] = cnt[i] ? sum[i] / (double)cnt[i] : c[i];

    /* Keep centroids sorted ascending (stable), so that "ties to the lower
     * index" in the assignment means "ties to the smaller centroid". newpos
     * maps an old cluster number to its place in the sorted order. */
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

    assign_distinct(s->u, s->m, c, s->nlab, nonempty);
    int changed = 0;
    for (size_t j = 0; j < s->m; j++) {
      if (s->nlab[j] != newpos[s->lab[j]]) {
        changed = 1;
        break;
      }
    }
    uint8_t *t = s->lab;
    s->lab = s->nlab;
    s->nlab = t;
    if (!changed) {
      int all = 1;
      for (unsigned i = 0; i < EIE_NCENT; i++) all &= nonempty[i];
      if (all) break;
    }
  }
}

/* Position of x in the sorted distinct array u[0..m) (x is present). */
static size_t find_sorted(const double *u, size_t m, double x) {
  size_t lo = 0, hi = m;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (u[mid] < x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
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

  km_state_t s;
  memset(&s, 0, sizeof s);
  for (size_t i = 0; i < n; i++) {
    if (w[i] != 0.0) s.nnz++;
  }
  if (s.nnz == 0) {
    if (n > 0) memset(idx, 0, n);
    return EIE_OK;
  }
  if (s.nnz > UINT32_MAX || s.nnz > SIZE_MAX / sizeof(double)) {
    return eie_fail(err, EIE_STATUS_BAD_INPUT, "eie_kmeans_share: %zu non-zero weights is too many",
                    s.nnz);
  }

  s.v = malloc(s.nnz * sizeof *s.v);
  s.u = malloc(s.nnz * sizeof *s.u);
  s.rank = malloc(s.nnz * sizeof *s.rank);
  if (!s.v || !s.u || !s.rank) {
    km_free(&s);
    return eie_fail(err, EIE_STATUS_NO_MEMORY,
                    "eie_kmeans_share: cannot allocate work space for %zu weights", s.nnz);
  }
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (w[i] != 0.0) s.v[k++] = w[i];
  }
  memcpy(s.u, s.v, s.nnz * sizeof *s.u);
  sort_doubles(s.u, s.nnz);
  s.m = 1;
  for (size_t j = 1; j < s.nnz; j++) {
    if (s.u[j] != s.u[s.m - 1]) s.u[s.m++] = s.u[j];
  }
  for (k = 0; k < s.nnz; k++) s.rank[k] = (uint32_t)find_sorted(s.u, s.m, s.v[k]);

  if (s.m <= EIE_NCENT) {
    /* Few distinct values: they are the codebook, exactly. */
    for (size_t j = 0; j < s.m; j++) centroids[j] = s.u[j];
    k = 0;
    for (size_t i = 0; i < n; i++) idx[i] = w[i] != 0.0 ? (uint8_t)(s.rank[k++] + 1) : 0;
    *used = (unsigned)s.m;
    km_free(&s);
    return EIE_OK;
  }

  s.lab = malloc(s.m);
  s.nlab = malloc(s.m);
  if (!s.lab || !s.nlab) {
    km_free(&s);
    return eie_fail(err, EIE_STATUS_NO_MEMORY,
                    "eie_kmeans_share: cannot allocate work space for %zu weights", s.nnz);
  }

  /* Linear initialisation between the smallest and largest non-zero weight. */
  double lo = s.u[0], hi = s.u[s.m - 1];
  double c[EIE_NCENT];
  double span = hi - lo;
  for (unsigned i = 0; i < EIE_NCENT; i++) {
    double f = (double)i / (double)(EIE_NCENT - 1);
    c[i] = isfinite(span) ? lo + span * f : lo * (1.0 - f) + hi * f;
    if (c[i] > hi) c[i] = hi; /* keep the start sorted despite rounding */
  }
  c[EIE_NCENT - 1] = hi;

  km_lloyd(&s, c);

  for (unsigned i = 0; i < EIE_NCENT; i++) centroids[i] = c[i];
  k = 0;
  for (size_t i = 0; i < n; i++) idx[i] = w[i] != 0.0 ? (uint8_t)(s.lab[s.rank[k++]] + 1) : 0;
  *used = EIE_NCENT;
  km_free(&s);
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
