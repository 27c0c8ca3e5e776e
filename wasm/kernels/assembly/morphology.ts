/**
 * Grayscale dilation (max) or erosion (min) over a structuring element clipped to the image.
 * The element comes as rows along x: (dy, dz, w) covers dx in [-w, w]. The caller first copies
 * the volume into `padded`, each x row with `pad` identity values on both sides (the type's
 * lowest value for max, highest for min), so a row's window never needs clipping in x; rows
 * outside the image in y or z are skipped. v128 lanes along x, 16 / sizeof<T> voxels at once.
 */
import { lanesOf } from './pixels';

/** Copies slices k0..k1-1 of src into rows of `pitch` values, `pad` identity values before and after. */
export function padRows<T>(src: usize, padded: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, identity: f64, k0: i32, k1: i32): void {
  const fill = <T>identity;
  for (let r = k0 * ny; r < k1 * ny; r++) {
    const out = padded + <usize>r * <usize>pitch * sizeof<T>();
    for (let i = 0; i < pad; i++) store<T>(out + <usize>i * sizeof<T>(), fill);
    memory.copy(out + <usize>pad * sizeof<T>(), src + <usize>r * <usize>nx * sizeof<T>(), <usize>nx * sizeof<T>());
    for (let i = pad + nx; i < pitch; i++) store<T>(out + <usize>i * sizeof<T>(), fill);
  }
}

/**
 * Slices k0..k1-1 of dst = max (dilate = 1) or min (0) of `padded` over the element. `rows` holds `count`
 * triples of i32 (dy, dz, w); `acc` holds a row of pitch values of scratch.
 */
export function morph<T>(padded: usize, dst: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rows: usize, count: i32, dilate: bool, identity: f64, acc: usize, k0: i32, k1: i32): void {
  const L = lanesOf<T>();
  const size = sizeof<T>();
  const fill = <T>identity;
  const chunks = (nx + L - 1) / L;
  for (let k = k0; k < k1; k++) {
    for (let j = 0; j < ny; j++) {
      for (let c = 0; c < chunks; c++) v128.store(acc + <usize>(c * 16), v128.splat<T>(fill));
      for (let r = 0; r < count; r++) {
        const dy = load<i32>(rows + <usize>(r * 12)), dz = load<i32>(rows + <usize>(r * 12 + 4)), w = load<i32>(rows + <usize>(r * 12 + 8));
        const jj = j + dy, kk = k + dz;
        if (jj < 0 || jj >= ny || kk < 0 || kk >= nz) continue;
        const line = padded + (<usize>(kk * ny + jj) * <usize>pitch + <usize>(pad - w)) * size;
        for (let c = 0; c < chunks; c++) {
          const at = line + <usize>(c * L) * size;
          let m = v128.load(at);
          if (dilate) {
            for (let o = 1; o <= 2 * w; o++) m = v128.max<T>(m, v128.load(at + <usize>o * size));
            v128.store(acc + <usize>(c * 16), v128.max<T>(v128.load(acc + <usize>(c * 16)), m));
          } else {
            for (let o = 1; o <= 2 * w; o++) m = v128.min<T>(m, v128.load(at + <usize>o * size));
            v128.store(acc + <usize>(c * 16), v128.min<T>(v128.load(acc + <usize>(c * 16)), m));
          }
        }
      }
      memory.copy(dst + <usize>(k * ny + j) * <usize>nx * size, acc, <usize>nx * size);
    }
  }
}
