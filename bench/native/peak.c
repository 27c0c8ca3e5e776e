/*
 * This core's measured peak of double-precision multiplies and adds, for bench/suites/native.mjs:
 * what a Gaussian pass's inner loop (a multiply, then an add, never fused: see kernels.c) could
 * reach at best, so the C and the wasm kernels' figures can be read as a fraction of it.
 *
 *   peak THREADS
 *
 * Prints {"mulAdd": pairs per second per thread, "fma": fused multiply-adds per second per
 * thread, "vector": doubles a vector holds} with THREADS threads running at once (each its own
 * chains), the median of 5 runs. The inputs are read from volatile memory so nothing folds.
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

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  double mulAdd = 0, fma = 0;
#pragma omp parallel num_threads(threads) reduction(+ : mulAdd, fma)
  {
    mulAdd += rate_mul_add();
#pragma omp barrier
    fma += rate_fma();
  }
  printf("{\"mulAdd\": %.4g, \"fma\": %.4g, \"vector\": %d}\n", mulAdd / threads, fma / threads, LANES);
  return 0;
}
