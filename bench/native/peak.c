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
 * Pairs of one multiply and one add per second on this thread, in vectors of type VT (N doubles)
 * with its own splat, multiply, add and horizontal sum. Each chain multiplies its own input (the
 * compiler cannot share one product between chains), which an empty asm statement marks as
 * changed every round; the multiplies do not wait on the adds. 7 chains: 7 sums, 7 inputs and
 * the weight fill 15 of the 16 vector registers AVX2 has.
 */
#define MUL_ADD_RATE(NAME, VT, N, SET1, MULV, ADDV, SUMV)                                                                  \
  static double NAME(void) {                                                                                           \
    VT w = SET1(step);                                                                                                 \
    VT a0 = SET1(0), a1 = SET1(1e-9), a2 = SET1(2e-9), a3 = SET1(3e-9), a4 = SET1(4e-9), a5 = SET1(5e-9), a6 = SET1(6e-9); \
    VT x0 = SET1(seed), x1 = SET1(seed + 1), x2 = SET1(seed + 2), x3 = SET1(seed + 3), x4 = SET1(seed + 4),               \
       x5 = SET1(seed + 5), x6 = SET1(seed + 6);                                                                          \
    double t = omp_get_wtime();                                                                                        \
    for (long r = 0; r < ROUNDS; r++) {                                                                                \
      a0 = ADDV(a0, MULV(x0, w));                                                                                      \
      a1 = ADDV(a1, MULV(x1, w));                                                                                      \
      a2 = ADDV(a2, MULV(x2, w));                                                                                      \
      a3 = ADDV(a3, MULV(x3, w));                                                                                      \
      a4 = ADDV(a4, MULV(x4, w));                                                                                      \
      a5 = ADDV(a5, MULV(x5, w));                                                                                      \
      a6 = ADDV(a6, MULV(x6, w));                                                                                      \
      __asm__ volatile("" : "+v"(x0), "+v"(x1), "+v"(x2), "+v"(x3), "+v"(x4), "+v"(x5), "+v"(x6));                     \
    }                                                                                                                  \
    t = omp_get_wtime() - t;                                                                                           \
    double s = SUMV(a0) + SUMV(a1) + SUMV(a2) + SUMV(a3) + SUMV(a4) + SUMV(a5) + SUMV(a6);                             \
    if (s == 42) printf("%f", s); /* keeps the chains alive */                                                        \
    return (double)ROUNDS * 7 * N / t;                                                                                 \
  }

MUL_ADD_RATE(rate_mul_add, V, LANES, SPLAT, MUL, ADD, sum)

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
/* The same pairs in 512-bit vectors (8 doubles): what the C would reach with AVX-512's width. */
MUL_ADD_RATE(rate_mul_add_512, __m512d, 8, _mm512_set1_pd, _mm512_mul_pd, _mm512_add_pd, _mm512_reduce_add_pd)
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
