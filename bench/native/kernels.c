/*
 * A straightforward native C version of voxpool's kernels, for bench/suites/native.mjs: the same
 * semantics as the wasm kernels and their TypeScript references (test/kernels/reference/), on a
 * raw little-endian int16 volume.
 *
 *   kernels IN.raw NX NY NZ THREADS OUT.raw gaussian STD RADIUS_FACTOR
 *   kernels IN.raw NX NY NZ THREADS OUT.raw gaussian-strip STD RADIUS_FACTOR
 *   kernels IN.raw NX NY NZ THREADS OUT.raw median
 *   kernels IN.raw NX NY NZ THREADS OUT.raw median-net
 *   kernels IN.raw NX NY NZ THREADS OUT.raw dilate RADIUS
 *   kernels IN.raw NX NY NZ THREADS OUT.raw dilate-ball RADIUS
 *
 * Prints {"ms": wall, "cpuMs": CPU time of all threads} for the filter alone (file reading and
 * writing not counted).
 * Built by the benchmark with Debian's gcc: -O3 -march=native -fopenmp -ffp-contract=off.
 * Contraction stays off: vtkImageGaussianSmooth (and voxpool) multiply, round, then add; a fused
 * multiply-add rounds once and can move a sum across an integer, which the truncating store
 * turns into a different voxel.
 *
 * - Gaussian (vtkImageGaussianSmooth, Dimensionality 3): passes along k, then j, then i; radius
 *   (int)(std * radiusFactor); weights exp(-x^2 / 2 std^2) normalised over the kernel as clipped
 *   by the image edge; each voxel sums from the low index up in double, starting from 0, and
 *   each pass stores into int16 with C's truncating cast. The passes here convert each input to
 *   double once per tap, straightforwardly. gaussian-strip: the same output by voxpool's own
 *   algorithm (wasm/kernels/assembly/gaussian.ts: strips of adjacent lines widened to double once
 *   per pass, every tap a broadcast weight times whole vectors of the strip, the j and i passes
 *   slice by slice in place; see gaussian_strip) in AVX2 intrinsics, for a like-for-like
 *   comparison of the wasm kernel.
 * - Median (vtkImageMedian3D, 3x3x3): the neighbourhood clipped to the image; an odd count gives
 *   its middle value, an even one lo + (hi - lo) / 2 of the two middle ones in int arithmetic.
 *   Interior rows use a branch-free forgetful selection the compiler vectorises along x.
 *   median-net: the same output by voxpool's own network (presorted columns shared between
 *   neighbours, see median_net), for a like-for-like comparison of the wasm kernel.
 * - Dilation: the max over the box of half width RADIUS clipped to the image; dilate-ball: over
 *   the ball of that radius (wasm/kernels/structuring.ts), straightforward: every element voxel.
 */
#include <immintrin.h>
#include <math.h>
#include <omp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int16_t T;

static double now_ms(void) { return omp_get_wtime() * 1000.0; }

/* CPU time of the whole process (all threads): on a shared machine, a steadier figure than the wall clock. */
static double cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}

/* Clipped, renormalised weights for every position a along an axis of n: row a holds the weight
   of offset t at index t + r. */
static double *weight_table(double std, int r, int n) {
  int width = 2 * r + 1;
  double *w = calloc((size_t)n * width, sizeof(double));
  for (int a = 0; a < n; a++) {
    int from = -r > -a ? -r : -a, to = r < n - 1 - a ? r : n - 1 - a;
    double *row = w + (size_t)a * width + r;
    if (std == 0) {
      row[from] = 1;
      continue;
    }
    double sum = 0;
    for (int x = from; x <= to; x++) sum += row[x] = exp(-(double)(x * x) / (std * std * 2));
    for (int x = from; x <= to; x++) row[x] /= sum;
  }
  return w;
}

/* One pass along axis k (2) or j (1): every voxel of a row shares its kernel, so the sum runs
   over whole rows of doubles, vectorised along i; each voxel's terms still add in tap order. */
static void pass_kj(const T *src, T *dst, int nx, int ny, int nz, int axis, int r, const double *w) {
  size_t plane = (size_t)nx * ny, stride = axis == 2 ? plane : (size_t)nx;
  int n = axis == 2 ? nz : ny, width = 2 * r + 1;
#pragma omp parallel for collapse(2) schedule(static)
  for (int k = 0; k < nz; k++) {
    for (int j = 0; j < ny; j++) {
      double acc[nx];
      int a = axis == 2 ? k : j;
      int from = -r > -a ? -r : -a, to = r < n - 1 - a ? r : n - 1 - a;
      const T *base = src + k * plane + (size_t)j * nx;
      for (int i = 0; i < nx; i++) acc[i] = 0;
      const double *wa = w + (size_t)a * width + r;
      int t = from;
      /* Four taps per sweep keep the sums in registers; each voxel's terms still add in order. */
      for (; t + 3 <= to; t += 4) {
        const T *i0 = base + (ptrdiff_t)t * (ptrdiff_t)stride, *i1 = i0 + stride, *i2 = i1 + stride, *i3 = i2 + stride;
        double w0 = wa[t], w1 = wa[t + 1], w2 = wa[t + 2], w3 = wa[t + 3];
        for (int i = 0; i < nx; i++) acc[i] = (((acc[i] + w0 * i0[i]) + w1 * i1[i]) + w2 * i2[i]) + w3 * i3[i];
      }
      for (; t <= to; t++) {
        const T *in = base + (ptrdiff_t)t * (ptrdiff_t)stride;
        for (int i = 0; i < nx; i++) acc[i] += wa[t] * in[i];
      }
      T *out = dst + k * plane + (size_t)j * nx;
      for (int i = 0; i < nx; i++) out[i] = (T)acc[i];
    }
  }
}

/* The pass along i: the interior shares one kernel (vectorised along i), the r voxels at each
   end take their clipped ones. */
static void pass_i(const T *src, T *dst, int nx, int ny, int nz, int r, const double *w) {
  int width = 2 * r + 1;
#pragma omp parallel for collapse(2) schedule(static)
  for (int k = 0; k < nz; k++) {
    for (int j = 0; j < ny; j++) {
      const T *in = src + ((size_t)k * ny + j) * nx;
      T *out = dst + ((size_t)k * ny + j) * nx;
      double acc[nx];
      int lo = r < nx ? r : nx, hi = nx - r > lo ? nx - r : lo;
      for (int i = lo; i < hi; i++) acc[i] = 0;
      const double *wa = w + (size_t)lo * width + r;
      int t = -r;
      for (; t + 3 <= r; t += 4) {
        double w0 = wa[t], w1 = wa[t + 1], w2 = wa[t + 2], w3 = wa[t + 3];
        for (int i = lo; i < hi; i++) acc[i] = (((acc[i] + w0 * in[i + t]) + w1 * in[i + t + 1]) + w2 * in[i + t + 2]) + w3 * in[i + t + 3];
      }
      for (; t <= r; t++)
        for (int i = lo; i < hi; i++) acc[i] += wa[t] * in[i + t];
      for (int i = 0; i < nx; i++) {
        if (i >= lo && i < hi) continue;
        int from = -r > -i ? -r : -i, to = r < nx - 1 - i ? r : nx - 1 - i;
        double sum = 0;
        for (int t = from; t <= to; t++) sum += w[(size_t)i * width + r + t] * in[i + t];
        acc[i] = sum;
      }
      for (int i = 0; i < nx; i++) out[i] = (T)acc[i];
    }
  }
}

/* data -> out; data is overwritten by the middle pass. */
static void gaussian(T *data, T *out, int nx, int ny, int nz, double std, double rf) {
  int r = (int)(std * rf);
  /* The one-tap kernel is exactly 1 and 0 + 1 * v truncates back to v: a copy, as voxpool's
     kernel does it too (wasm/kernels/calls.ts). */
  if (r == 0) {
    memcpy(out, data, (size_t)nx * ny * nz * sizeof(T));
    return;
  }
  double *wz = weight_table(std, r, nz), *wy = weight_table(std, r, ny), *wx = weight_table(std, r, nx);
  pass_kj(data, out, nx, ny, nz, 2, r, wz);
  pass_kj(out, data, nx, ny, nz, 1, r, wy);
  pass_i(data, out, nx, ny, nz, r, wx);
  free(wz), free(wy), free(wx);
}

/* gaussian-strip: the same algorithm as wasm/kernels/assembly/gaussian.ts, in AVX2 intrinsics,
   for a like-for-like comparison. Lanes run across lines, never along the kernel: STRIP adjacent
   lines are widened into a strip of doubles once per pass, and every tap is one broadcast weight
   times STRIP / 4 __m256d of it, two taps a turn; each lane does the scalar sum of pass_kj and
   pass_i (from the low tap, from 0, a multiply then an add), so the output is the same. The j and
   i passes of one slice run back to back, in place, while the slice is in cache (a strip is
   gathered whole before its outputs are stored over it, so each output is stored as soon as it
   is summed, with no second buffer).
   32 lines, not the wasm's 16: its 16 are 8 f64x2 sums, which 32 lanes give in __m256d; 8
   independent sums cover the add's latency on both adders, 4 do not. Measured on this core (CPU
   time, 1 thread): 32 lanes 16-17% faster than -DSTRIP=16 on rf 5 and on rf 20; the same
   convolution written as plain loops over an array of sums for gcc to vectorise ran 1.2-1.3x
   slower at 32 lanes and 2.6-2.9x at 16 (gcc keeps those sums in memory). */
#ifndef __AVX2__
#error "gaussian-strip is written in AVX2 intrinsics (the flag set -march=native gives on this machine's x86-64)"
#endif
#ifndef STRIP
#define STRIP 32 /* a multiple of 16 */
#endif
#define SV (STRIP / 4)

/* Positions p0..p1-1 of `lanes` (<= STRIP) adjacent voxels at base + p * step, widened into
   strip; missing lanes are 0. */
static void strip_gather(const T *base, size_t step, int p0, int p1, int lanes, double *strip) {
  for (int p = p0; p < p1; p++) {
    const T *at = base + (size_t)p * step;
    double *o = strip + (size_t)(p - p0) * STRIP;
    if (lanes == STRIP) {
      for (int l = 0; l < STRIP; l += 8) {
        __m256i v = _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)(at + l)));
        _mm256_store_pd(o + l, _mm256_cvtepi32_pd(_mm256_castsi256_si128(v)));
        _mm256_store_pd(o + l + 4, _mm256_cvtepi32_pd(_mm256_extracti128_si256(v, 1)));
      }
    } else {
      for (int l = 0; l < STRIP; l++) o[l] = l < lanes ? at[l] : 0;
    }
  }
}

/* The 4 * nv (nv even) sums s stored as voxels at `at`, lane l at at + l * lane_step (lanes of
   them), truncated like (T)acc: the saturating pack agrees, a Gaussian's sum lying within its
   inputs' range. */
static inline __attribute__((always_inline)) void strip_store(const __m256d *s, int nv, T *at, int lanes, size_t lane_step) {
  if (lanes == 4 * nv && lane_step == 1) {
    for (int v = 0; v < nv; v += 2) {
      __m128i q = _mm_packs_epi32(_mm256_cvttpd_epi32(s[v]), _mm256_cvttpd_epi32(s[v + 1]));
      _mm_storeu_si128((__m128i *)(at + 4 * v), q);
    }
  } else {
    double x[4 * nv];
    for (int v = 0; v < nv; v++) _mm256_storeu_pd(x + 4 * v, s[v]);
    for (int l = 0; l < lanes; l++) at[(size_t)l * lane_step] = (T)x[l];
  }
}

/* Outputs a0..a1-1 along an axis of n from a strip holding positions p0.., each stored at
   base + a * step (lane l lane_step further on) as soon as it is summed. */
static void strip_convolve(const double *strip, int p0, int n, int a0, int a1, const double *w, int r, T *base, size_t step, int lanes, size_t lane_step) {
  int width = 2 * r + 1;
  for (int a = a0; a < a1; a++) {
    int from = -r > -a ? -r : -a, to = r < n - 1 - a ? r : n - 1 - a;
    const double *wa = w + (size_t)a * width + r;
    const double *p = strip + (size_t)(a + from - p0) * STRIP;
    __m256d s[SV];
    for (int v = 0; v < SV; v++) s[v] = _mm256_setzero_pd();
    int t = from;
    for (; t < to; t += 2, p += 2 * STRIP) {
      __m256d wt = _mm256_broadcast_sd(wa + t), wu = _mm256_broadcast_sd(wa + t + 1);
      for (int v = 0; v < SV; v++)
        s[v] = _mm256_add_pd(_mm256_add_pd(s[v], _mm256_mul_pd(wt, _mm256_load_pd(p + 4 * v))), _mm256_mul_pd(wu, _mm256_load_pd(p + STRIP + 4 * v)));
    }
    if (t == to) {
      __m256d wt = _mm256_broadcast_sd(wa + t);
      for (int v = 0; v < SV; v++) s[v] = _mm256_add_pd(s[v], _mm256_mul_pd(wt, _mm256_load_pd(p + 4 * v)));
    }
    strip_store(s, SV, base + (size_t)a * step, lanes, lane_step);
  }
}

/* The pass along k, src -> dst: per row j, runs of STRIP adjacent x through all slices. */
static void strip_pass_k(const T *src, T *dst, int nx, int ny, int nz, int r, const double *w) {
  size_t plane = (size_t)nx * ny;
#pragma omp parallel
  {
    double *strip = aligned_alloc(32, sizeof(double) * STRIP * nz);
#pragma omp for schedule(static)
    for (int j = 0; j < ny; j++)
      for (int x = 0; x < nx; x += STRIP) {
        int lanes = nx - x < STRIP ? nx - x : STRIP;
        size_t offset = (size_t)j * nx + x;
        strip_gather(src + offset, plane, 0, nz, lanes, strip);
        strip_convolve(strip, 0, nz, 0, nz, w, r, dst + offset, plane, lanes, 1);
      }
    free(strip);
  }
}

/* Positions p0..p1-1 of `lanes` (<= STRIP) rows at base, lane_step voxels apart, widened into
   strip (lane l row l); missing lanes are 0. */
static void strip_gather_across(const T *base, size_t lane_step, int p0, int p1, int lanes, double *strip) {
  for (int l = 0; l < STRIP; l++)
    for (int p = p0; p < p1; p++) strip[(size_t)(p - p0) * STRIP + l] = l < lanes ? base[(size_t)l * lane_step + p] : 0;
}

/* The pass along i of the ny rows of one slice, in place, as wasm/kernels/assembly/gaussian.ts
   passI: outputs clear of the edges (r <= a < nx - r, the shared kernel) with lanes along the
   row, STRIP adjacent outputs a block, each tap a broadcast weight times SV unaligned loads of
   the row widened into x0, two taps a turn (the last block overlaps the one before it); the r
   outputs at each edge with lanes across STRIP rows, from strips of positions [0, 2r) and
   [nx - 2r, nx) gathered before those rows are written, as the j pass does. Rows too short for
   one interior block take the edge way throughout. */
static void strip_pass_i(T *slice, int nx, int ny, int r, const double *w, double *x0, double *edge) {
  if (nx - 2 * r < STRIP) {
    for (int j0 = 0; j0 < ny; j0 += STRIP) {
      int lanes = ny - j0 < STRIP ? ny - j0 : STRIP;
      strip_gather_across(slice + (size_t)j0 * nx, nx, 0, nx, lanes, edge);
      strip_convolve(edge, 0, nx, 0, nx, w, r, slice + (size_t)j0 * nx, 1, lanes, nx);
    }
    return;
  }
  const double *wa = w + (size_t)r * (2 * r + 1) + r;
  double *right = edge + (size_t)2 * r * STRIP;
  int last = nx - r - STRIP;
  for (int j0 = 0; j0 < ny; j0 += STRIP) {
    int lanes = ny - j0 < STRIP ? ny - j0 : STRIP;
    T *base = slice + (size_t)j0 * nx;
    strip_gather_across(base, nx, 0, 2 * r, lanes, edge);
    strip_gather_across(base, nx, nx - 2 * r, nx, lanes, right);
    for (int j = 0; j < lanes; j++) {
      T *at = base + (size_t)j * nx;
      for (int x = 0; x < nx; x++) x0[x] = at[x];
      for (int a0 = r;; a0 += STRIP) {
        int a = a0 < last ? a0 : last;
        const double *p = x0 + a - r;
        __m256d s[SV];
        for (int v = 0; v < SV; v++) s[v] = _mm256_setzero_pd();
        int t = -r;
        for (; t < r; t += 2, p += 2) {
          __m256d wv = _mm256_broadcast_sd(wa + t), wu = _mm256_broadcast_sd(wa + t + 1);
          for (int v = 0; v < SV; v++)
            s[v] = _mm256_add_pd(_mm256_add_pd(s[v], _mm256_mul_pd(wv, _mm256_loadu_pd(p + 4 * v))), _mm256_mul_pd(wu, _mm256_loadu_pd(p + 1 + 4 * v)));
        }
        __m256d wv = _mm256_broadcast_sd(wa + t);
        for (int v = 0; v < SV; v++) s[v] = _mm256_add_pd(s[v], _mm256_mul_pd(wv, _mm256_loadu_pd(p + 4 * v)));
        strip_store(s, SV, at + a, STRIP, 1);
        if (a == last) break;
      }
    }
    if (r == 0) continue;
    strip_convolve(edge, 0, nx, 0, r, w, r, base, 1, lanes, nx);
    strip_convolve(right, nx - 2 * r, nx, nx - r, nx, w, r, base, 1, lanes, nx);
  }
}

/* The passes along j and then i, slice by slice, in place in data. */
static void strip_pass_ji(T *data, int nx, int ny, int nz, int r, const double *wy, const double *wx) {
#pragma omp parallel
  {
    double *strip = aligned_alloc(32, sizeof(double) * STRIP * ny);
    size_t xn = (size_t)(nx + 3) / 4 * 4; /* aligned_alloc takes whole multiples of 32 bytes */
    double *x0 = aligned_alloc(32, sizeof(double) * xn);
    double *edge = aligned_alloc(32, sizeof(double) * STRIP * (nx > 4 * r ? nx : 4 * r));
#pragma omp for schedule(static)
    for (int k = 0; k < nz; k++) {
      T *slice = data + (size_t)k * nx * ny;
      for (int x = 0; x < nx; x += STRIP) {
        int lanes = nx - x < STRIP ? nx - x : STRIP;
        strip_gather(slice + x, nx, 0, ny, lanes, strip);
        strip_convolve(strip, 0, ny, 0, ny, wy, r, slice + x, nx, lanes, 1);
      }
      strip_pass_i(slice, nx, ny, r, wx, x0, edge);
    }
    free(strip), free(x0), free(edge);
  }
}

/* data -> out, as gaussian() (data is left as it was). */
static void gaussian_strip(const T *data, T *out, int nx, int ny, int nz, double std, double rf) {
  int r = (int)(std * rf);
  if (r == 0) {
    memcpy(out, data, (size_t)nx * ny * nz * sizeof(T));
    return;
  }
  double *wz = weight_table(std, r, nz), *wy = weight_table(std, r, ny), *wx = weight_table(std, r, nx);
  strip_pass_k(data, out, nx, ny, nz, r, wz);
  strip_pass_ji(out, nx, ny, nz, r, wy, wx);
  free(wz), free(wy), free(wx);
}

static T median_at(const T *src, int nx, int ny, int nz, int i, int j, int k) {
  T v[27];
  int n = 0;
  for (int kk = k - 1; kk <= k + 1; kk++)
    for (int jj = j - 1; jj <= j + 1; jj++)
      for (int ii = i - 1; ii <= i + 1; ii++)
        if (ii >= 0 && ii < nx && jj >= 0 && jj < ny && kk >= 0 && kk < nz) {
          /* Insertion into the sorted prefix, as VTK does. */
          T x = src[((size_t)kk * ny + jj) * nx + ii];
          int p = n++;
          for (; p > 0 && v[p - 1] > x; p--) v[p] = v[p - 1];
          v[p] = x;
        }
  if (n & 1) return v[n / 2];
  int lo = v[n / 2 - 1], hi = v[n / 2];
  return (T)(lo + (hi - lo) / 2);
}

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

static void median(const T *src, T *dst, int nx, int ny, int nz) {
#pragma omp parallel for collapse(2) schedule(static)
  for (int k = 0; k < nz; k++) {
    for (int j = 0; j < ny; j++) {
      T *out = dst + ((size_t)k * ny + j) * nx;
      int inside = k > 0 && k < nz - 1 && j > 0 && j < ny - 1 && nx > 2;
      if (!inside) {
        for (int i = 0; i < nx; i++) out[i] = median_at(src, nx, ny, nz, i, j, k);
        continue;
      }
      const T *rows[27];
      int q = 0;
      for (int dz = -1; dz <= 1; dz++)
        for (int dy = -1; dy <= 1; dy++)
          for (int dx = -1; dx <= 1; dx++) rows[q++] = src + ((size_t)(k + dz) * ny + (j + dy)) * nx + dx;
      /* Forgetful selection: hold 15 values, drop the smallest and largest, add the next, until
         all 27 are in; the one left is the median. Branch-free, so it vectorises along i. */
      T held[15][nx];
      for (int t = 0; t < 15; t++) memcpy(held[t] + 1, rows[t] + 1, sizeof(T) * (nx - 2));
      int m = 15, next = 15;
      T lo[nx], hi[nx];
      for (;;) {
        for (int i = 1; i < nx - 1; i++) lo[i] = MIN(held[0][i], held[1][i]), hi[i] = MAX(held[0][i], held[1][i]);
        for (int t = 2; t < m; t++) {
          for (int i = 1; i < nx - 1; i++) {
            T v = held[t][i], up = MAX(lo[i], v);
            lo[i] = MIN(lo[i], v);
            held[t - 2][i] = MIN(hi[i], up);
            hi[i] = MAX(hi[i], up);
          }
        }
        m -= 2;
        if (next == 27) break;
        memcpy(held[m] + 1, rows[next] + 1, sizeof(T) * (nx - 2));
        m++, next++;
      }
      memcpy(out + 1, held[0] + 1, sizeof(T) * (nx - 2));
      out[0] = median_at(src, nx, ny, nz, 0, j, k);
      out[nx - 1] = median_at(src, nx, ny, nz, nx - 1, j, k);
    }
  }
}

static void dilate(const T *src, T *dst, int nx, int ny, int nz, int r) {
#pragma omp parallel for collapse(2) schedule(static)
  for (int k = 0; k < nz; k++) {
    for (int j = 0; j < ny; j++) {
      T acc[nx];
      for (int i = 0; i < nx; i++) acc[i] = INT16_MIN;
      for (int kk = MAX(k - r, 0); kk <= MIN(k + r, nz - 1); kk++) {
        for (int jj = MAX(j - r, 0); jj <= MIN(j + r, ny - 1); jj++) {
          const T *in = src + ((size_t)kk * ny + jj) * nx;
          for (int dx = -r; dx <= r; dx++) {
            int lo = MAX(0, -dx), hi = MIN(nx, nx - dx);
            for (int i = lo; i < hi; i++) acc[i] = MAX(acc[i], in[i + dx]);
          }
        }
      }
      memcpy(dst + ((size_t)k * ny + j) * nx, acc, sizeof(T) * nx);
    }
  }
}

/* The same 3x3x3 median as wasm/kernels/assembly/median.ts (median333), for a like-for-like
   comparison: per slice, columns of 3 along k sorted once into a ring of 3 rows, the sorted 9 of
   each 3x3 cross-section once per x, then per output the 27-input selection network; the image
   border through two runs with the cells outside filled in opposite checkerboards of the type's
   extremes, the two middles of an even count being the min and max of the runs. Plain loops
   along i, which gcc vectorises. */
#define CE(a, b)                                                                                                                  \
  do {                                                                                                                             \
    T lo_ = MIN(a, b), hi_ = MAX(a, b);                                                                                            \
    a = lo_, b = hi_;                                                                                                              \
  } while (0)

static inline T lo3(T a, T b, T c) { return MIN(MIN(a, b), c); }
static inline T hi3(T a, T b, T c) { return MAX(MAX(a, b), c); }
static inline T mid3(T a, T b, T c) { return MAX(MIN(a, b), MIN(MAX(a, b), c)); }

/* Row jj of slice kk from x = -1 to nx into out (nx + 2), cells outside the image patterned. */
static void padded_row(const T *src, int nx, int ny, int nz, int jj, int kk, int run, T *out) {
  int inside = jj >= 0 && jj < ny && kk >= 0 && kk < nz;
  for (int b = 0; b < nx + 2; b++) out[b] = ((b - 1 + jj + kk + run) & 1) ? INT16_MAX : INT16_MIN;
  if (inside) memcpy(out + 1, src + ((size_t)kk * ny + jj) * nx, sizeof(T) * nx);
}

/* Sorted 9s of S at b0..b1-1 from the ring rows za, zb, zc (3 ranks each, w apart). */
static void sort9_span(const T *restrict za, const T *restrict zb, const T *restrict zc, T *restrict S, size_t w, size_t b0, size_t b1) {
  /* The 9 ranks are rows w apart that never overlap: no dependence between iterations. */
#pragma GCC ivdep
  for (size_t b = b0; b < b1; b++) {
    T s0 = za[b], s1 = za[w + b], s2 = za[2 * w + b], s3 = zb[b], s4 = zb[w + b], s5 = zb[2 * w + b], s6 = zc[b], s7 = zc[w + b], s8 = zc[2 * w + b];
    CE(s0, s3); CE(s3, s6); CE(s0, s3); CE(s1, s4); CE(s4, s7); CE(s1, s4); CE(s2, s5); CE(s5, s8); CE(s2, s5);
    CE(s1, s3); CE(s2, s4); CE(s2, s6); CE(s2, s3); CE(s4, s6); CE(s5, s7); CE(s5, s6);
    S[b] = s0, S[w + b] = s1, S[2 * w + b] = s2, S[3 * w + b] = s3, S[4 * w + b] = s4, S[5 * w + b] = s5, S[6 * w + b] = s6, S[7 * w + b] = s7, S[8 * w + b] = s8;
  }
}

/* The selection network at outputs x0..x1-1 from the sorted 9s at x, x + 1, x + 2 of S. */
static void select_span(const T *restrict S, T *restrict out, size_t w, int x0, int x1) {
  for (int x = x0; x < x1; x++) {
    const T *a = S + x, *b = a + 1, *c = b + 1;
#define R(r) (r) * w
    T l0 = lo3(a[R(5)], b[R(5)], c[R(5)]), h0 = hi3(a[0], b[0], c[0]), l2 = lo3(a[R(7)], b[R(7)], c[R(7)]), h2 = hi3(a[R(2)], b[R(2)], c[R(2)]);
    T ep = MAX(l0, h0), eq = MIN(l2, h2), e1 = MIN(ep, eq), e2 = MAX(ep, eq), e3 = MAX(l2, h2);
    T l1 = lo3(a[R(6)], b[R(6)], c[R(6)]), h1 = hi3(a[R(1)], b[R(1)], c[R(1)]), l3 = lo3(a[R(8)], b[R(8)], c[R(8)]), h3 = hi3(a[R(3)], b[R(3)], c[R(3)]);
    T o0 = MIN(l1, h1), op = MAX(l1, h1), oq = MIN(l3, h3), o1 = MIN(op, oq), o2 = MAX(op, oq);
    T y1 = MIN(o0, e1), y2 = MAX(o0, e1), y3 = MIN(o1, e2), y4 = MAX(o1, e2), y5 = MIN(o2, e3), y6 = MAX(o2, e3);
    T r = MIN(y6, MAX(mid3(a[R(2)], b[R(2)], c[R(2)]), y5));
    r = MIN(r, MAX(mid3(a[R(3)], b[R(3)], c[R(3)]), y4));
    r = MIN(r, MAX(mid3(a[R(4)], b[R(4)], c[R(4)]), y3));
    r = MIN(r, MAX(mid3(a[R(5)], b[R(5)], c[R(5)]), y2));
    out[x] = MIN(r, MAX(mid3(a[R(6)], b[R(6)], c[R(6)]), y1));
#undef R
  }
}

static void median_net_slice(const T *src, T *dst, int nx, int ny, int nz, int k, T *buf) {
  size_t w = nx + 2;
  /* per run: Z ring 3 slots x 3 ranks, S 9 ranks; then 3 padded source rows and run 1's outputs */
  T *row = buf + 2 * 18 * w, *other = row + 3 * w;
  for (int j = 0; j < ny; j++) {
    for (int jj = j == 0 ? -1 : j + 1; jj <= j + 1; jj++)
      for (int run = 0; run < 2; run++) {
        T *restrict z = buf + run * 18 * w + ((jj + 1) % 3) * 3 * w;
        for (int d = 0; d < 3; d++) padded_row(src, nx, ny, nz, jj, k - 1 + d, run, row + d * w);
        const T *restrict r0 = row, *restrict r1 = row + w, *restrict r2 = row + 2 * w;
#pragma GCC ivdep
        for (size_t b = 0; b < w; b++) {
          T a = r0[b], c = r1[b], e = r2[b];
          CE(a, c);
          CE(c, e);
          CE(a, c);
          z[b] = a, z[w + b] = c, z[2 * w + b] = e;
        }
      }
    int border = j == 0 || j == ny - 1 || k == 0 || k == nz - 1;
    T *out = dst + ((size_t)k * ny + j) * nx;
    for (int run = 0; run < 2; run++) {
      T *base = buf + run * 18 * w, *za = base + (j % 3) * 3 * w, *zb = base + ((j + 1) % 3) * 3 * w, *zc = base + ((j + 2) % 3) * 3 * w;
      T *S = base + 9 * w;
      if (run == 0 || border || w <= 6) {
        sort9_span(za, zb, zc, S, w, 0, w);
        select_span(S, run == 0 ? out : other, w, 0, nx);
      } else {
        /* Run 1 matters for an inner row only at x = 0 and nx - 1. */
        sort9_span(za, zb, zc, S, w, 0, 3);
        sort9_span(za, zb, zc, S, w, w - 3, w);
        select_span(S, other, w, 0, 1);
        select_span(S, other, w, nx - 1, nx);
      }
    }
    for (int x = 0; x < nx; x++) {
      if (!border && x == 1) x = nx - 1;
      int lo = MIN(out[x], other[x]), hi = MAX(out[x], other[x]);
      out[x] = (T)(lo + (hi - lo) / 2);
    }
  }
}

static void median_net(const T *src, T *dst, int nx, int ny, int nz) {
  if (nx < 2 || ny < 2 || nz < 2) {
    median(src, dst, nx, ny, nz);
    return;
  }
#pragma omp parallel
  {
    T *buf = malloc(sizeof(T) * (2 * 18 + 4) * (nx + 2));
#pragma omp for schedule(static)
    for (int k = 0; k < nz; k++) median_net_slice(src, dst, nx, ny, nz, k, buf);
    free(buf);
  }
}

/* The ball of radius r as rows along x, (dy, dz, half width w), in the very arithmetic of
   wasm/kernels/structuring.ts (a sum of d^2 / r^2 in double compared with 1), so both hold the
   same voxels. Returns the number of rows. */
static int ball_rows(int r, int *rows) {
  int n = 0;
  for (int dz = -r; dz <= r; dz++)
    for (int dy = -r; dy <= r; dy++) {
      double rest = (r == 0 ? 0 : (double)(dy * dy) / (r * r)) + (r == 0 ? 0 : (double)(dz * dz) / (r * r));
      if (rest > 1) continue;
      int w = 0;
      while (w < r && rest + (double)((w + 1) * (w + 1)) / (r * r) <= 1) w++;
      rows[3 * n] = dy, rows[3 * n + 1] = dz, rows[3 * n + 2] = w;
      n++;
    }
  return n;
}

/* Dilation by the ball: per output row, the max over each element row's span, clipped to the image. */
static void dilate_ball(const T *src, T *dst, int nx, int ny, int nz, int r) {
  int *rows = malloc(sizeof(int) * 3 * (2 * r + 1) * (2 * r + 1));
  int count = ball_rows(r, rows);
#pragma omp parallel for collapse(2) schedule(static)
  for (int k = 0; k < nz; k++) {
    for (int j = 0; j < ny; j++) {
      T acc[nx];
      for (int i = 0; i < nx; i++) acc[i] = INT16_MIN;
      for (int q = 0; q < count; q++) {
        int jj = j + rows[3 * q], kk = k + rows[3 * q + 1], w = rows[3 * q + 2];
        if (jj < 0 || jj >= ny || kk < 0 || kk >= nz) continue;
        const T *in = src + ((size_t)kk * ny + jj) * nx;
        for (int dx = -w; dx <= w; dx++) {
          int lo = MAX(0, -dx), hi = MIN(nx, nx - dx);
          for (int i = lo; i < hi; i++) acc[i] = MAX(acc[i], in[i + dx]);
        }
      }
      memcpy(dst + ((size_t)k * ny + j) * nx, acc, sizeof(T) * nx);
    }
  }
  free(rows);
}

int main(int argc, char **argv) {
  if (argc < 8) {
    fprintf(stderr, "usage: %s IN.raw NX NY NZ THREADS OUT.raw gaussian STD RF | gaussian-strip STD RF | median | median-net | dilate R | dilate-ball R\n", argv[0]);
    return 2;
  }
  int nx = atoi(argv[2]), ny = atoi(argv[3]), nz = atoi(argv[4]);
  omp_set_num_threads(atoi(argv[5]));
  size_t n = (size_t)nx * ny * nz;
  T *data = malloc(n * sizeof(T)), *out = malloc(n * sizeof(T));
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(data, sizeof(T), n, f) != n) {
    fprintf(stderr, "%s: cannot read %zu int16 voxels\n", argv[1], n);
    return 1;
  }
  fclose(f);
  /* Touch every page first: the filters' times should not include the kernel mapping memory. */
  memset(out, 0, n * sizeof(T));
  const char *op = argv[7];
  double t0 = now_ms(), c0 = cpu_ms();
  if (!strcmp(op, "gaussian") && argc >= 10) {
    gaussian(data, out, nx, ny, nz, atof(argv[8]), atof(argv[9]));
  } else if (!strcmp(op, "gaussian-strip") && argc >= 10) {
    gaussian_strip(data, out, nx, ny, nz, atof(argv[8]), atof(argv[9]));
  } else if (!strcmp(op, "median")) {
    median(data, out, nx, ny, nz);
  } else if (!strcmp(op, "median-net")) {
    median_net(data, out, nx, ny, nz);
  } else if (!strcmp(op, "dilate") && argc >= 9) {
    dilate(data, out, nx, ny, nz, atoi(argv[8]));
  } else if (!strcmp(op, "dilate-ball") && argc >= 9) {
    dilate_ball(data, out, nx, ny, nz, atoi(argv[8]));
  } else {
    fprintf(stderr, "unknown filter %s\n", op);
    return 2;
  }
  double ms = now_ms() - t0, cpu = cpu_ms() - c0;
  f = fopen(argv[6], "wb");
  if (!f || fwrite(out, sizeof(T), n, f) != n) {
    fprintf(stderr, "%s: cannot write\n", argv[6]);
    return 1;
  }
  fclose(f);
  printf("{\"ms\": %.3f, \"cpuMs\": %.3f}\n", ms, cpu);
  return 0;
}
