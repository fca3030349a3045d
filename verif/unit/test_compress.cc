// Unit tests for eie_compress: pruning, k-means weight sharing, fixed point.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <limits>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "eie/eie_compress.h"

namespace {

size_t CountNonZero(const std::vector<double> &w) {
  return static_cast<size_t>(std::count_if(w.begin(), w.end(), [](double x) { return x != 0.0; }));
}

// Reference pruning: sort indices by (|w| desc, index asc), keep the first k.
std::vector<double> ReferencePrune(const std::vector<double> &w, size_t k) {
  std::vector<size_t> order(w.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    double ma = std::fabs(w[a]), mb = std::fabs(w[b]);
    if (ma != mb) return ma > mb;
    return a < b;
  });
  std::vector<double> out(w.size(), 0.0);
  for (size_t i = 0; i < k && i < order.size(); i++) out[order[i]] = w[order[i]];
  return out;
}

// Naive nearest centroid, ties to the lower index; returns the codebook index.
unsigned NaiveCode(const double *c, unsigned used, double x) {
  unsigned best = 0;
  double bestd = std::fabs(x - c[0]);
  for (unsigned i = 1; i < used; i++) {
    double d = std::fabs(x - c[i]);
    if (d < bestd) {
      bestd = d;
      best = i;
    }
  }
  return best + 1;
}

struct ShareResult {
  eie_status_t status;
  double centroids[15];
  unsigned used;
  std::vector<uint8_t> idx;
  std::string msg;
};

ShareResult Share(const std::vector<double> &w) {
  ShareResult r;
  r.idx.assign(w.size(), 0xEE);
  r.used = 999;
  for (double &c : r.centroids) c = -12345.0;
  eie_err_t err;
  err.msg[0] = '\0';
  r.status = eie_kmeans_share(w.data(), w.size(), r.centroids, &r.used, r.idx.data(), &err);
  r.msg = err.msg;
  return r;
}

// Checks shared by every k-means result with many distinct values.
void ExpectValidSharing(const std::vector<double> &w, const ShareResult &r) {
  ASSERT_EQ(r.status, EIE_OK) << r.msg;
  ASSERT_EQ(r.used, 15u);
  for (unsigned c = 0; c < 15; c++) {
    EXPECT_TRUE(std::isfinite(r.centroids[c])) << "centroid " << c;
    if (c > 0) {
      EXPECT_LT(r.centroids[c - 1], r.centroids[c]) << "centroid " << c;
    }
  }
  for (size_t i = 0; i < w.size(); i++) {
    if (w[i] == 0.0) {
      ASSERT_EQ(r.idx[i], 0) << "at " << i;
    } else {
      ASSERT_GE(r.idx[i], 1) << "at " << i;
      ASSERT_LE(r.idx[i], 15) << "at " << i;
      ASSERT_EQ(r.idx[i], NaiveCode(r.centroids, r.used, w[i])) << "at " << i << " w=" << w[i];
    }
  }
}

// Straightforward k-means with the rules of the header, written without any
// of the library's shortcuts (per-weight argmin every iteration). Only for
// inputs with more than 15 distinct non-zero values.
void NaiveKMeans(const std::vector<double> &w, double out_c[15], std::vector<uint8_t> *out_idx) {
  std::vector<double> v;
  for (double x : w) {
    if (x != 0.0) v.push_back(x);
  }
  double lo = *std::min_element(v.begin(), v.end());
  double hi = *std::max_element(v.begin(), v.end());
  double c[15];
  for (int i = 0; i < 15; i++) {
    c[i] = lo + (hi - lo) * (static_cast<double>(i) / 14.0);
    if (c[i] > hi) c[i] = hi;
  }
  c[14] = hi;
  auto assign = [&](std::vector<int> *lab) {
    for (size_t k = 0; k < v.size(); k++) (*lab)[k] = static_cast<int>(NaiveCode(c, 15, v[k])) - 1;
  };
  std::vector<int> lab(v.size());
  assign(&lab);
  for (int it = 0; it < 100; it++) {
    std::vector<size_t> members(15, 0);
    for (int l : lab) members[l]++;
    std::vector<size_t> seed_pos;
    std::vector<double> seed_val;
    std::vector<int> seed_cl;
    for (int e = 0; e < 15; e++) {
      if (members[e] != 0) continue;
      long best = -1;
      double bestd = 0.0;
      for (size_t k = 0; k < v.size(); k++) {
        double d = std::fabs(v[k] - c[lab[k]]);
        if (d > bestd && std::find(seed_val.begin(), seed_val.end(), v[k]) == seed_val.end()) {
          best = static_cast<long>(k);
          bestd = d;
        }
      }
      if (best < 0) continue;
      seed_pos.push_back(static_cast<size_t>(best));
      seed_val.push_back(v[best]);
      seed_cl.push_back(e);
    }
    double sum[15] = {0};
    size_t cnt[15] = {0};
    for (size_t k = 0; k < v.size(); k++) {
      if (std::find(seed_pos.begin(), seed_pos.end(), k) != seed_pos.end()) continue;
      sum[lab[k]] += v[k];
      cnt[lab[k]]++;
    }
    for (size_t i = 0; i < seed_cl.size(); i++) {
      sum[seed_cl[i]] = seed_val[i];
      cnt[seed_cl[i]] = 1;
    }
    double nc[15];
    for (int i = 0; i < 15; i++) nc[i] = cnt[i] ? sum[i] / static_cast<double>(cnt[i]) : c[i];
    std::vector<int> order(15);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return nc[a] < nc[b]; });
    int newpos[15];
    for (int i = 0; i < 15; i++) {
      c[i] = nc[order[i]];
      newpos[order[i]] = i;
    }
    std::vector<int> next(v.size());
    assign(&next);
    bool changed = false;
    for (size_t k = 0; k < v.size(); k++) changed |= next[k] != newpos[lab[k]];
    lab = next;
    std::vector<size_t> now(15, 0);
    for (int l : lab) now[l]++;
    bool all_used = std::find(now.begin(), now.end(), size_t{0}) == now.end();
    if (!changed && all_used) break;
  }
  std::copy(c, c + 15, out_c);
  out_idx->assign(w.size(), 0);
  size_t k = 0;
  for (size_t i = 0; i < w.size(); i++) {
    if (w[i] != 0.0) (*out_idx)[i] = static_cast<uint8_t>(lab[k++] + 1);
  }
}

void ExpectSameAsNaive(const std::vector<double> &w) {
  ShareResult r = Share(w);
  ASSERT_EQ(r.status, EIE_OK) << r.msg;
  ASSERT_EQ(r.used, 15u);
  double c[15];
  std::vector<uint8_t> idx;
  NaiveKMeans(w, c, &idx);
  for (int i = 0; i < 15; i++) EXPECT_EQ(r.centroids[i], c[i]) << "centroid " << i;
  EXPECT_EQ(r.idx, idx);
}

}  // namespace

// ---------------------------------------------------------------- pruning

TEST(EieCompress, PruneKeepsLargestMagnitudes) {
  std::vector<double> w = {0.1, -0.5, 0.3, -0.2, 0.4};
  eie_err_t err;
  ASSERT_EQ(eie_prune(w.data(), w.size(), 0.4, &err), EIE_OK);
  EXPECT_EQ(w, (std::vector<double>{0.0, -0.5, 0.0, 0.0, 0.4}));
}

TEST(EieCompress, PruneKeepsExactCount) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  std::vector<double> w(10000);
  for (double &x : w) {
    do x = dist(rng);
    while (x == 0.0);
  }
  std::vector<double> orig = w;
  eie_err_t err;
  ASSERT_EQ(eie_prune(w.data(), w.size(), 0.09, &err), EIE_OK) << err.msg;
  EXPECT_EQ(CountNonZero(w), 900u);
  EXPECT_EQ(w, ReferencePrune(orig, 900));

  // 0.09 * 100 = 9.000000000000002 in doubles: still 9.
  std::vector<double> small(orig.begin(), orig.begin() + 100);
  ASSERT_EQ(eie_prune(small.data(), small.size(), 0.09, &err), EIE_OK);
  EXPECT_EQ(CountNonZero(small), 9u);
}

TEST(EieCompress, PruneRoundsCountUp) {
  std::vector<double> w = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  eie_err_t err;
  ASSERT_EQ(eie_prune(w.data(), w.size(), 0.25, &err), EIE_OK);  // ceil(2.5) = 3
  EXPECT_EQ(w, (std::vector<double>{0, 0, 0, 0, 0, 0, 0, 8, 9, 10}));
  std::vector<double> one = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  ASSERT_EQ(eie_prune(one.data(), one.size(), 0.01, &err), EIE_OK);  // ceil(0.1) = 1
  EXPECT_EQ(one, (std::vector<double>{0, 0, 0, 0, 0, 0, 0, 0, 0, 10}));
}

TEST(EieCompress, PruneBreaksTiesByLowerIndex) {
  std::vector<double> w = {0.5, 1.0, -1.0, 1.0, -1.0, 0.25};
  eie_err_t err;
  ASSERT_EQ(eie_prune(w.data(), w.size(), 2.0 / 6.0, &err), EIE_OK);
  EXPECT_EQ(w, (std::vector<double>{0, 1.0, -1.0, 0, 0, 0}));

  std::vector<double> v = {0.5, 1.0, -1.0, 1.0, -1.0, 0.25};
  ASSERT_EQ(eie_prune(v.data(), v.size(), 0.5, &err), EIE_OK);
  EXPECT_EQ(v, (std::vector<double>{0, 1.0, -1.0, 1.0, 0, 0}));
}

TEST(EieCompress, PruneMatchesSortReferenceWithManyTies) {
  // Values on a coarse grid: lots of equal magnitudes and zeros.
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> q(-40, 40);
  std::vector<double> w(60000);
  for (double &x : w) x = q(rng) / 8.0;
  for (double density : {0.0, 0.013, 0.1, 0.5, 0.9, 0.97, 1.0}) {
    std::vector<double> got = w;
    eie_err_t err;
    ASSERT_EQ(eie_prune(got.data(), got.size(), density, &err), EIE_OK) << err.msg;
    size_t k = static_cast<size_t>(std::ceil(density * static_cast<double>(w.size()) - 1e-6));
    EXPECT_EQ(got, ReferencePrune(w, k)) << "density " << density;
  }
}

TEST(EieCompress, PruneDensityZeroClearsEverything) {
  std::vector<double> w = {0.1, -2.0, 3.0, 0.0, -0.0};
  eie_err_t err;
  ASSERT_EQ(eie_prune(w.data(), w.size(), 0.0, &err), EIE_OK);
  EXPECT_EQ(CountNonZero(w), 0u);
}

TEST(EieCompress, PruneDensityOneKeepsEverything) {
  std::vector<double> w = {0.1, -2.0, 0.0, 3.0, 0.0, -1e-30};
  std::vector<double> orig = w;
  eie_err_t err;
  ASSERT_EQ(eie_prune(w.data(), w.size(), 1.0, &err), EIE_OK);
  EXPECT_EQ(w, orig);
}

TEST(EieCompress, PruneExistingZerosStayZero) {
  std::vector<double> w = {0.0, 0.3, 0.0, 0.0, -0.1, 0.0, 0.0, 0.0};
  eie_err_t err;
  ASSERT_EQ(eie_prune(w.data(), w.size(), 0.75, &err), EIE_OK);  // wants 6, only 2 exist
  EXPECT_EQ(w, (std::vector<double>{0.0, 0.3, 0.0, 0.0, -0.1, 0.0, 0.0, 0.0}));
}

TEST(EieCompress, PruneEmptyInputIsFine) {
  eie_err_t err;
  EXPECT_EQ(eie_prune(nullptr, 0, 0.5, &err), EIE_OK);
}

TEST(EieCompress, PruneRejectsBadDensity) {
  std::vector<double> w = {0.1, 0.2, 0.3};
  const std::vector<double> orig = w;
  eie_err_t err;
  ASSERT_EQ(eie_prune(w.data(), w.size(), 1.5, &err), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(err.msg).find("density 1.5 is outside [0, 1]"), std::string::npos)
      << err.msg;
  ASSERT_EQ(eie_prune(w.data(), w.size(), -0.01, &err), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(err.msg).find("outside [0, 1]"), std::string::npos) << err.msg;
  ASSERT_EQ(eie_prune(w.data(), w.size(), std::nan(""), &err), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(err.msg).find("density"), std::string::npos) << err.msg;
  EXPECT_EQ(w, orig);
  // A NULL error buffer is allowed.
  EXPECT_EQ(eie_prune(w.data(), w.size(), 2.0, nullptr), EIE_STATUS_BAD_INPUT);
}

TEST(EieCompress, PruneRejectsNonFiniteWeights) {
  std::vector<double> w = {0.1, 0.2, 0.3, std::nan(""), 0.5};
  eie_err_t err;
  ASSERT_EQ(eie_prune(w.data(), w.size(), 0.5, &err), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(err.msg).find("index 3"), std::string::npos) << err.msg;
  std::vector<double> v = {0.1, -std::numeric_limits<double>::infinity(), 0.3};
  ASSERT_EQ(eie_prune(v.data(), v.size(), 0.5, &err), EIE_STATUS_BAD_INPUT);
  EXPECT_NE(std::string(err.msg).find("index 1"), std::string::npos) << err.msg;
}

// ---------------------------------------------------------------- k-means

TEST(EieCompress, KMeansKeepsFewDistinctValuesExactly) {
  std::vector<double> w = {-0.5, 0.25, -0.5, 0.0, 0.75, 0.25, -0.0};
  ShareResult r = Share(w);
  ASSERT_EQ(r.status, EIE_OK) << r.msg;
  ASSERT_EQ(r.used, 3u);
  EXPECT_EQ(r.centroids[0], -0.5);
  EXPECT_EQ(r.centroids[1], 0.25);
  EXPECT_EQ(r.centroids[2], 0.75);
  for (unsigned c = 3; c < 15; c++) EXPECT_EQ(r.centroids[c], 0.0) << "unused slot " << c;
  EXPECT_EQ(r.idx, (std::vector<uint8_t>{1, 2, 1, 0, 3, 2, 0}));
}

TEST(EieCompress, KMeansKeepsExactlyFifteenDistinctValues) {
  std::vector<double> distinct;
  for (int i = 0; i < 15; i++) distinct.push_back((i - 7) * 0.1 + (i >= 7 ? 0.013 : -0.007));
  std::vector<double> w;
  for (int rep = 0; rep < 5; rep++) {
    for (double d : distinct) w.push_back(d);
    w.push_back(0.0);
  }
  std::mt19937_64 rng(3);
  std::shuffle(w.begin(), w.end(), rng);
  ShareResult r = Share(w);
  ASSERT_EQ(r.status, EIE_OK) << r.msg;
  ASSERT_EQ(r.used, 15u);
  std::vector<double> sorted = distinct;
  std::sort(sorted.begin(), sorted.end());
  for (unsigned c = 0; c < 15; c++) EXPECT_EQ(r.centroids[c], sorted[c]);
  for (size_t i = 0; i < w.size(); i++) {
    if (w[i] == 0.0) {
      EXPECT_EQ(r.idx[i], 0);
    } else {
      ASSERT_GE(r.idx[i], 1);
      EXPECT_EQ(r.centroids[r.idx[i] - 1], w[i]) << "at " << i;
    }
  }
}

TEST(EieCompress, KMeansSingleDistinctValue) {
  std::vector<double> w = {0.0, -0.3, -0.3, 0.0};
  ShareResult r = Share(w);
  ASSERT_EQ(r.status, EIE_OK);
  ASSERT_EQ(r.used, 1u);
  EXPECT_EQ(r.centroids[0], -0.3);
  EXPECT_EQ(r.idx, (std::vector<uint8_t>{0, 1, 1, 0}));
}

TEST(EieCompress, KMeansManyDistinctValuesGiveFifteenSortedNearestCentroids) {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> dist(0.0, 0.05);
  std::vector<double> w(20000);
  for (size_t i = 0; i < w.size(); i++) w[i] = (i % 7 == 0) ? 0.0 : dist(rng);
  ShareResult r = Share(w);
  ExpectValidSharing(w, r);
  double lo = *std::min_element(w.begin(), w.end());
  double hi = *std::max_element(w.begin(), w.end());
  EXPECT_GE(r.centroids[0], lo);
  EXPECT_LE(r.centroids[14], hi);
  // Every code is used by some weight.
  std::set<int> codes(r.idx.begin(), r.idx.end());
  EXPECT_EQ(codes.size(), 16u);
}

TEST(EieCompress, KMeansHandlesDuplicatesOnAGrid) {
  // Few hundred distinct values, many duplicates: exercise ties and equal
  // distances to neighbouring centroids.
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int> q(-300, 300);
  std::vector<double> w(50000);
  for (double &x : w) x = q(rng) / 256.0;
  ShareResult r = Share(w);
  ExpectValidSharing(w, r);
}

TEST(EieCompress, KMeansIsDeterministic) {
  std::mt19937_64 rng(21);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  std::vector<double> w(30000);
  for (double &x : w) x = dist(rng) * dist(rng);
  ShareResult a = Share(w);
  ShareResult b = Share(w);
  ASSERT_EQ(a.status, EIE_OK);
  ASSERT_EQ(b.status, EIE_OK);
  EXPECT_EQ(a.used, b.used);
  EXPECT_EQ(std::memcmp(a.centroids, b.centroids, sizeof a.centroids), 0);
  EXPECT_EQ(a.idx, b.idx);
}

TEST(EieCompress, KMeansReseedsEmptyClusters) {
  // Two tight groups at the extremes: the linear start leaves the 13 middle
  // centroids without members.
  std::vector<double> w;
  for (int rep = 0; rep < 50; rep++) {
    for (int j = 0; j < 20; j++) {
      w.push_back(-1.0 - 0.001 * j);
      w.push_back(1.0 + 0.001 * j);
    }
    w.push_back(0.0);
  }
  ShareResult r = Share(w);
  ExpectValidSharing(w, r);
  std::set<int> codes(r.idx.begin(), r.idx.end());
  EXPECT_EQ(codes.size(), 16u) << "re-seeding should put every centroid to use";
}

TEST(EieCompress, KMeansSixteenDistinctValuesUseEveryCluster) {
  // 16 distinct values in two groups of 8: the optimum is 14 singletons and
  // one pair; re-seeding has to reach that from a start with 13 empty clusters.
  std::vector<double> w;
  for (int j = 1; j <= 8; j++) w.push_back(0.01 * j);
  for (int j = 1; j <= 8; j++) w.push_back(10.0 + 0.01 * j);
  ShareResult r = Share(w);
  ExpectValidSharing(w, r);
  std::vector<int> members(16, 0);
  for (uint8_t c : r.idx) members[c]++;
  EXPECT_EQ(members[0], 0);
  int pairs = 0;
  for (int c = 1; c <= 15; c++) {
    EXPECT_GE(members[c], 1) << "code " << c;
    if (members[c] == 2) pairs++;
  }
  EXPECT_EQ(pairs, 1);
}

TEST(EieCompress, KMeansMatchesNaiveReference) {
  std::mt19937_64 rng(31);
  std::normal_distribution<double> normal(0.0, 0.05);
  std::uniform_int_distribution<int> grid(-200, 200);
  std::vector<double> a(3000), b(3000), c;
  for (size_t i = 0; i < a.size(); i++) a[i] = (i % 5 == 0) ? 0.0 : normal(rng);
  for (double &x : b) x = grid(rng) / 64.0;
  for (int rep = 0; rep < 20; rep++) {
    for (int j = 0; j < 10; j++) {
      c.push_back(-3.0 - 0.01 * j);
      c.push_back(0.5 + 0.002 * j);
    }
  }
  ExpectSameAsNaive(a);
  ExpectSameAsNaive(b);
  ExpectSameAsNaive(c);  // re-seeding
}

TEST(EieCompress, KMeansCentroidsWithinRoundingOfEachOther) {
  // 16 values one ulp apart: the linear start already has equal centroids.
  std::vector<double> w;
  double x = 1.0;
  for (int j = 0; j < 16; j++) {
    w.push_back(x);
    w.push_back(0.0);
    if (j % 3 == 0) w.push_back(x);
    x = std::nextafter(x, 2.0);
  }
  ExpectSameAsNaive(w);
  ShareResult r = Share(w);
  ASSERT_EQ(r.status, EIE_OK);
  for (unsigned c = 0; c < 15; c++) {
    EXPECT_TRUE(std::isfinite(r.centroids[c]));
    if (c > 0) {
      EXPECT_LE(r.centroids[c - 1], r.centroids[c]);
    }
  }
  for (size_t i = 0; i < w.size(); i++) {
    if (w[i] != 0.0) {
      EXPECT_EQ(r.idx[i], NaiveCode(r.centroids, 15, w[i])) << "at " << i;
    }
  }
}

TEST(EieCompress, KMeansAllZeroInput) {
  std::vector<double> w(100, 0.0);
  w[3] = -0.0;
  ShareResult r = Share(w);
  ASSERT_EQ(r.status, EIE_OK);
  EXPECT_EQ(r.used, 0u);
  for (double c : r.centroids) EXPECT_EQ(c, 0.0);
  EXPECT_EQ(r.idx, std::vector<uint8_t>(100, 0));

  ShareResult e = Share(std::vector<double>{});
  ASSERT_EQ(e.status, EIE_OK);
  EXPECT_EQ(e.used, 0u);
}

TEST(EieCompress, KMeansRejectsNonFiniteWeights) {
  std::vector<double> w = {0.1, 0.2, 0.3, 0.4, 0.5, std::nan(""), 0.7};
  ShareResult r = Share(w);
  EXPECT_EQ(r.status, EIE_STATUS_BAD_INPUT);
  EXPECT_NE(r.msg.find("index 5"), std::string::npos) << r.msg;
  w[5] = std::numeric_limits<double>::infinity();
  r = Share(w);
  EXPECT_EQ(r.status, EIE_STATUS_BAD_INPUT);
  EXPECT_NE(r.msg.find("index 5"), std::string::npos) << r.msg;
}

TEST(EieCompress, KMeansLargeLayerRuns) {
  // Size of a pruned 4096x4096 layer (9%): a speed sanity check, not timed.
  std::mt19937_64 rng(99);
  std::normal_distribution<double> dist(0.0, 0.02);
  std::vector<double> w(1500000);
  for (double &x : w) {
    do x = dist(rng);
    while (x == 0.0);
  }
  auto t0 = std::chrono::steady_clock::now();
  ShareResult r = Share(w);
  auto t1 = std::chrono::steady_clock::now();
  ASSERT_EQ(r.status, EIE_OK) << r.msg;
  EXPECT_EQ(r.used, 15u);
  for (size_t i = 0; i < w.size(); i += 997) {
    ASSERT_EQ(r.idx[i], NaiveCode(r.centroids, r.used, w[i])) << "at " << i;
  }
  std::cout << "[ info     ] k-means on " << w.size() << " weights took "
            << std::chrono::duration<double>(t1 - t0).count() << " s\n";
}

// ---------------------------------------------------------------- fixed point

TEST(EieCompress, FracBitsForKnownValues) {
  EXPECT_EQ(eie_frac_bits_for(0.9999), 15);
  EXPECT_EQ(eie_frac_bits_for(1.0), 14);
  EXPECT_EQ(eie_frac_bits_for(255.9), 7);
  EXPECT_EQ(eie_frac_bits_for(32767.0), 0);
  EXPECT_EQ(eie_frac_bits_for(0.0), 15);
  EXPECT_EQ(eie_frac_bits_for(40000.0), 0);
  // round(0.99999 * 32768) = 32768 does not fit.
  EXPECT_EQ(eie_frac_bits_for(0.99999), 14);
  EXPECT_EQ(eie_frac_bits_for(32767.0 / 32768.0), 15);
}

TEST(EieCompress, FracBitsAgreeWithToFixed) {
  for (double m : {1e-6, 0.001, 0.3, 0.5, 0.75, 1.5, 3.0, 100.0, 1000.5, 16383.9}) {
    int f = eie_frac_bits_for(m);
    EXPECT_LE(std::round(std::ldexp(m, f)), 32767.0) << m;
    if (f < 15) {
      EXPECT_GT(std::round(std::ldexp(m, f + 1)), 32767.0) << m;
    }
    EXPECT_EQ(eie_to_fixed(m, f), static_cast<int16_t>(std::round(std::ldexp(m, f)))) << m;
  }
}

TEST(EieCompress, ToFixedRoundsHalfAwayFromZero) {
  const double lsb = std::ldexp(1.0, -15);
  EXPECT_EQ(eie_to_fixed(0.5 * lsb, 15), 1);
  EXPECT_EQ(eie_to_fixed(-0.5 * lsb, 15), -1);
  EXPECT_EQ(eie_to_fixed(1.5 * lsb, 15), 2);
  EXPECT_EQ(eie_to_fixed(-1.5 * lsb, 15), -2);
  EXPECT_EQ(eie_to_fixed(2.5 * lsb, 15), 3);
  EXPECT_EQ(eie_to_fixed(-2.5 * lsb, 15), -3);
  EXPECT_EQ(eie_to_fixed(0.49 * lsb, 15), 0);
  EXPECT_EQ(eie_to_fixed(-0.49 * lsb, 15), 0);
  EXPECT_EQ(eie_to_fixed(0.25, 8), 64);
  EXPECT_EQ(eie_to_fixed(-3.5, 0), -4);
  EXPECT_EQ(eie_to_fixed(2.5, 0), 3);
}

TEST(EieCompress, ToFixedSaturates) {
  EXPECT_EQ(eie_to_fixed(1.0, 15), 32767);
  EXPECT_EQ(eie_to_fixed(-1.0, 15), -32768);
  EXPECT_EQ(eie_to_fixed(-1.01, 15), -32768);
  EXPECT_EQ(eie_to_fixed(32767.4, 0), 32767);
  EXPECT_EQ(eie_to_fixed(32767.5, 0), 32767);
  EXPECT_EQ(eie_to_fixed(-32768.4, 0), -32768);
  EXPECT_EQ(eie_to_fixed(-32768.5, 0), -32768);
  EXPECT_EQ(eie_to_fixed(40000.0, 0), 32767);
  EXPECT_EQ(eie_to_fixed(1e300, 15), 32767);
  EXPECT_EQ(eie_to_fixed(std::numeric_limits<double>::infinity(), 3), 32767);
  EXPECT_EQ(eie_to_fixed(-std::numeric_limits<double>::infinity(), 3), -32768);
  EXPECT_EQ(eie_to_fixed(std::nan(""), 7), 0);
}
