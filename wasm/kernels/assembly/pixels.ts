/**
 * Per-pixel-type helpers shared by the kernels. Every kernel is generic over the voxel type T;
 * `if (isFloat<T>())`-style branches are resolved at compile time, so each instantiation is
 * straight code for its type.
 */

/** Values of T in one v128. */
// @ts-ignore: decorator
@inline export function lanesOf<T>(): i32 {
  return 16 / sizeof<T>();
}

/** Two consecutive voxels of type T at `p`, widened exactly to f64x2. */
// @ts-ignore: decorator
@inline export function loadF64x2<T>(p: usize): v128 {
  if (isFloat<T>()) {
    if (sizeof<T>() == 8) return v128.load(p);
    return f64x2.promote_low_f32x4(v128.load64_zero(p));
  }
  if (sizeof<T>() == 4) {
    return isSigned<T>() ? f64x2.convert_low_i32x4_s(v128.load64_zero(p)) : f64x2.convert_low_i32x4_u(v128.load64_zero(p));
  }
  if (sizeof<T>() == 2) {
    const v = v128.load32_zero(p);
    return f64x2.convert_low_i32x4_s(isSigned<T>() ? i32x4.extend_low_i16x8_s(v) : i32x4.extend_low_i16x8_u(v));
  }
  const v = v128.load16_splat(p);
  const w = isSigned<T>() ? i16x8.extend_low_i8x16_s(v) : i16x8.extend_low_i8x16_u(v);
  return f64x2.convert_low_i32x4_s(i32x4.extend_low_i16x8_s(w));
}

/**
 * A double stored into T the way a JavaScript typed array stores it (and the way the
 * TypeScript references do): floats round to nearest, integers truncate toward zero and wrap
 * modulo 2^bits. Going through i64 gives exactly that for every value a kernel can produce.
 */
// @ts-ignore: decorator
@inline export function fromF64<T>(x: f64): T {
  if (isFloat<T>()) return <T>x;
  return <T>(<i64>x);
}
