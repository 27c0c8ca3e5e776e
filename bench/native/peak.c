/*
 * This core's measured peak of double-precision multiplies and adds, for bench/suites/native.mjs:
 * what a Gaussian pass's inner loop (a multiply, then an add, never fused: see kernels.c) could
 * reach at best, so the C and the wasm kernels' figures can be read as a fraction of it.
 *
 *   peak THREADS
 *
 * Prints {"mulAdd": pairs per second per thread, "fma": fused multiply-adds per second per
 * thread, "vector": doubles a vector holds, "avx512": whether this CPU has AVX-512 (the flags
 * -march=native gives), "mulAdd512": the pairs per second per thread in 512-bit vectors, 0
 * without AVX-512} with THREADS threads running at once (each its own chains). The inputs are
 * read from volatile memory so nothing folds.
 */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#define CHAINS 12
#define ROUNDS 20000000L

static volatile double seed = 1.0000001, step = 0.9999999;

#ifdef __AVX2__
typedef __m256d V;
#define SPLAT _mm256_set1_pd
#define MUL _mm256_mul_pd
#define ADD _mm256_add_pd
#define FMA _mm256_fmadd_pd
#define LANES 4
static double sum(V v) {
  double x[4];
  _mm256_storeu_pd(x, v);
  return x[0] + x[1] + x[2] + x[3];
}
#else
#error "peak.c measures AVX2 (the flag set -march=native gives here)"
#endif

/*
 * Pairs of one multiply and one add per second on this thread. Each chain multiplies its own
 * input (the compiler cannot share one product between chains), which an empty asm statement
 * marks as changed every round; the multiplies do not wait on the adds. 7 chains: 7 sums, 7
 * inputs and the weight fill 15 of the 16 vector registers.
 */
static double rate_mul_add(void) {
  V w = SPLAT(step);
  V a0 = SPLAT(0), a1 = SPLAT(1e-9), a2 = SPLAT(2e-9), a3 = SPLAT(3e-9), a4 = SPLAT(4e-9), a5 = SPLAT(5e-9), a6 = SPLAT(6e-9);
  V x0 = SPLAT(seed), x1 = SPLAT(seed + 1), x2 = SPLAT(seed + 2), x3 = SPLAT(seed + 3), x4 = SPLAT(seed + 4), x5 = SPLAT(seed + 5), x6 = SPLAT(seed + 6);
  double t = omp_get_wtime();
  for (long r = 0; r < ROUNDS; r++) {
    a0 = ADD(a0, MUL(x0, w));
    a1 = ADD(a1, MUL(x1, w));
    a2 = ADD(a2, MUL(x2, w));
    a3 = ADD(a3, MUL(x3, w));
    a4 = ADD(a4, MUL(x4, w));
    a5 = ADD(a5, MUL(x5, w));
    a6 = ADD(a6, MUL(x6, w));
    __asm__ volatile("" : "+x"(x0), "+x"(x1), "+x"(x2), "+x"(x3), "+x"(x4), "+x"(x5), "+x"(x6));
  }
  t = omp_get_wtime() - t;
  double s = sum(a0) + sum(a1) + sum(a2) + sum(a3) + sum(a4) + sum(a5) + sum(a6);
  if (s == 42) printf("%f", s); /* keeps the chains alive */
  return (double)ROUNDS * 7 * LANES / t;
}

/* Fused multiply-adds per second on this thread: CHAINS sums cover the FMA's latency on both units. */
static double rate_fma(void) {
  V acc[CHAINS];
  V w = SPLAT(step), x = SPLAT(seed);
  for (int c = 0; c < CHAINS; c++) acc[c] = SPLAT(c * 1e-9);
  double t = omp_get_wtime();
  for (long r = 0; r < ROUNDS; r++) {
    for (int c = 0; c < CHAINS; c++) acc[c] = FMA(x, w, acc[c]);
    __asm__ volatile("" : "+x"(x));
  }
  t = omp_get_wtime() - t;
  double s = 0;
  for (int c = 0; c < CHAINS; c++) s += sum(acc[c]);
  if (s == 42) printf("%f", s);
  return (double)ROUNDS * CHAINS * LANES / t;
}

#ifdef __AVX512F__
/* rate_mul_add in 512-bit vectors (8 doubles): what the C would reach with AVX-512's width. */
static double rate_mul_add_512(void) {
  __m512d w = _mm512_set1_pd(step);
  __m512d a0 = _mm512_set1_pd(0), a1 = _mm512_set1_pd(1e-9), a2 = _mm512_set1_pd(2e-9), a3 = _mm512_set1_pd(3e-9), a4 = _mm512_set1_pd(4e-9),
          a5 = _mm512_set1_pd(5e-9), a6 = _mm512_set1_pd(6e-9);
  __m512d x0 = _mm512_set1_pd(seed), x1 = _mm512_set1_pd(seed + 1), x2 = _mm512_set1_pd(seed + 2), x3 = _mm512_set1_pd(seed + 3),
          x4 = _mm512_set1_pd(seed + 4), x5 = _mm512_set1_pd(seed + 5), x6 = _mm512_set1_pd(seed + 6);
  double t = omp_get_wtime();
  for (long r = 0; r < ROUNDS; r++) {
    a0 = _mm512_add_pd(a0, _mm512_mul_pd(x0, w));
    a1 = _mm512_add_pd(a1, _mm512_mul_pd(x1, w));
    a2 = _mm512_add_pd(a2, _mm512_mul_pd(x2, w));
    a3 = _mm512_add_pd(a3, _mm512_mul_pd(x3, w));
    a4 = _mm512_add_pd(a4, _mm512_mul_pd(x4, w));
    a5 = _mm512_add_pd(a5, _mm512_mul_pd(x5, w));
    a6 = _mm512_add_pd(a6, _mm512_mul_pd(x6, w));
    __asm__ volatile("" : "+v"(x0), "+v"(x1), "+v"(x2), "+v"(x3), "+v"(x4), "+v"(x5), "+v"(x6));
  }
  t = omp_get_wtime() - t;
  double s = _mm512_reduce_add_pd(a0) + _mm512_reduce_add_pd(a1) + _mm512_reduce_add_pd(a2) + _mm512_reduce_add_pd(a3) +
             _mm512_reduce_add_pd(a4) + _mm512_reduce_add_pd(a5) + _mm512_reduce_add_pd(a6);
  if (s == 42) printf("%f", s);
  return (double)ROUNDS * 7 * 8 / t;
}
#define AVX512 1
#else
static double rate_mul_add_512(void) { return 0; }
#define AVX512 0
#endif

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  double mulAdd = 0, fma = 0, wide = 0;
#pragma omp parallel num_threads(threads) reduction(+ : mulAdd, fma, wide)
  {
    mulAdd += rate_mul_add();
#pragma omp barrier
    fma += rate_fma();
#pragma omp barrier
    wide += rate_mul_add_512();
  }
  printf("{\"mulAdd\": %.4g, \"fma\": %.4g, \"vector\": %d, \"avx512\": %s, \"mulAdd512\": %.4g}\n", mulAdd / threads, fma / threads, LANES,
         AVX512 ? "true" : "false", wide / threads);
  return 0;
}
