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

/** Fills the `pad` cells before and the cells after the nx values of a row of `pitch` values with `fill`. */
// @ts-ignore: decorator
@inline function padEnds<T>(row: usize, nx: i32, pad: i32, pitch: i32, fill: T): void {
  for (let i = 0; i < pad; i++) store<T>(row + <usize>i * sizeof<T>(), fill);
  for (let i = pad + nx; i < pitch; i++) store<T>(row + <usize>i * sizeof<T>(), fill);
}

/**
 * A box (every row of the element as wide, dy over [-ry, ry], dz over [-rz, rz]) is separable,
 * and max and min are exact: the max over the clipped box is the max along k of the max along j
 * of the max along i, each input row reduced along i once instead of once per element row.
 * Slice kk of `src`: each row copied into `row` (pitch values, `pad` identity values on both
 * sides, so the window never needs clipping in x) and reduced along i (into `slab`, rows of
 * `pitch`), then along j (rows outside the image skipped), written into slice kk of `out` (rows
 * of `pitch` from 0). `slab` holds pitch * ny values, `row` pitch. Reading `src` only, it may be
 * the volume boxK then overwrites, once every slice within reach is reduced.
 */
export function boxIJ<T>(src: usize, out: usize, nx: i32, ny: i32, pad: i32, pitch: i32, rx: i32, ry: i32, dilate: bool, identity: f64, slab: usize, row: usize, kk: i32): void {
  const L = lanesOf<T>();
  const size = sizeof<T>();
  const line = <usize>pitch * size;
  const slice = out + <usize>kk * <usize>ny * line;
  const chunks = (nx + L - 1) / L;
  padEnds<T>(row, nx, pad, pitch, <T>identity);
  for (let j = 0; j < ny; j++) {
    memory.copy(row + <usize>pad * size, src + (<usize>(kk * ny + j) * <usize>nx) * size, <usize>nx * size);
    const from = row + <usize>(pad - rx) * size;
    const to = slab + <usize>j * line;
    for (let c = 0; c < chunks; c++) {
      const at = from + <usize>(c * L) * size;
      let m = v128.load(at);
      if (dilate) for (let o = 1; o <= 2 * rx; o++) m = v128.max<T>(m, v128.load(at + <usize>o * size));
      else for (let o = 1; o <= 2 * rx; o++) m = v128.min<T>(m, v128.load(at + <usize>o * size));
      v128.store(to + <usize>(c * 16), m);
    }
  }
  for (let j = 0; j < ny; j++) {
    const j0 = max(0, j - ry), j1 = min(ny - 1, j + ry);
    const to = slice + <usize>j * line;
    for (let c = 0; c < chunks; c++) {
      const at = slab + <usize>(c * 16);
      let m = v128.load(at + <usize>j0 * line);
      if (dilate) for (let jj = j0 + 1; jj <= j1; jj++) m = v128.max<T>(m, v128.load(at + <usize>jj * line));
      else for (let jj = j0 + 1; jj <= j1; jj++) m = v128.min<T>(m, v128.load(at + <usize>jj * line));
      v128.store(to + <usize>(c * 16), m);
    }
  }
}

/** Output slice k of a box: the max (or min) along k of boxIJ's slices, clipped to the image, into dst. `acc` holds a row of pitch values. */
export function boxK<T>(padded: usize, dst: usize, nx: i32, ny: i32, nz: i32, pitch: i32, rz: i32, dilate: bool, acc: usize, k: i32): void {
  const L = lanesOf<T>();
  const size = sizeof<T>();
  const line = <usize>pitch * size;
  const plane = <usize>ny * line;
  const k0 = max(0, k - rz), k1 = min(nz - 1, k + rz);
  const whole = nx / L; // chunks wholly inside the row go straight to dst; the tail through acc
  const chunks = (nx + L - 1) / L;
  for (let j = 0; j < ny; j++) {
    const row = padded + <usize>j * line;
    const out = dst + (<usize>(k * ny + j) * <usize>nx) * size;
    for (let c = 0; c < chunks; c++) {
      const at = row + <usize>(c * 16);
      let m = v128.load(at + <usize>k0 * plane);
      if (dilate) for (let kk = k0 + 1; kk <= k1; kk++) m = v128.max<T>(m, v128.load(at + <usize>kk * plane));
      else for (let kk = k0 + 1; kk <= k1; kk++) m = v128.min<T>(m, v128.load(at + <usize>kk * plane));
      if (c < whole) v128.store(out + <usize>(c * 16), m);
      else v128.store(acc, m);
    }
    if (whole < chunks) memory.copy(out + <usize>(whole * 16), acc, <usize>(nx - whole * L) * size);
  }
}

/**
 * Any element (a ball above all) reuses its rows' 1-D extrema between neighbours: per row of
 * slice kk of `src`, the max (or min) over [x - w, x + w] for every half width w = 0..rx is
 * computed once, the next width from the last with one more operation (the window of w + 1 at x
 * is the union of w's at x - 1 and x + 1), into ring slot `slot` of `planes` (rx + 1 planes of ny
 * rows of `pitch`, x at index pad + x; width 0 is the row itself, with `pad` identity values on
 * both sides). An output then costs one operation per element row instead of one per element
 * voxel: 13 instead of 33 for a ball of radius 2. The ring holds copies: an output slice may be
 * written over `src` once the slices it needs are in.
 */
export function runExtrema<T>(src: usize, planes: usize, nx: i32, ny: i32, pitch: i32, rx: i32, dilate: bool, identity: f64, slot: i32, kk: i32): void {
  const L = lanesOf<T>();
  const size = sizeof<T>();
  const line = <usize>pitch * size;
  const slab = planes + <usize>(slot * (rx + 1)) * <usize>ny * line;
  for (let j = 0; j < ny; j++) {
    const row = slab + <usize>j * line;
    padEnds<T>(row, nx, rx, pitch, <T>identity);
    memory.copy(row + <usize>rx * size, src + (<usize>(kk * ny + j) * <usize>nx) * size, <usize>nx * size);
    for (let w = 1; w <= rx; w++) {
      const out = slab + <usize>(w * ny + j) * line;
      const from = slab + <usize>((w - 1) * ny + j) * line;
      // The outputs need width w over indices [rx - (rx - w), rx + nx + rx - w); a last vector
      // past it stays inside the row (pitch = nx + 2 rx + lanes), its extra lanes unread.
      for (let b = w; b < nx + 2 * rx - w; b += L) {
        const at = from + <usize>b * size;
        const l = v128.load(at - size), r = v128.load(at + size);
        let m: v128;
        if (dilate) m = w == 1 ? v128.max<T>(v128.max<T>(l, v128.load(at)), r) : v128.max<T>(l, r);
        else m = w == 1 ? v128.min<T>(v128.min<T>(l, v128.load(at)), r) : v128.min<T>(l, r);
        v128.store(out + <usize>b * size, m);
      }
    }
  }
}

/**
 * Output slice k of a general element from runExtrema's planes (ring of `ring` slices, slice kk in
 * slot kk % ring): per output row, the rows of the element inside the image are gathered as
 * pointers into `pointers` (count i32), then each vector of outputs is one max (or min) per
 * pointer. `acc` holds one vector.
 */
export function elementRows<T>(
  planes: usize,
  dst: usize,
  nx: i32,
  ny: i32,
  nz: i32,
  pad: i32,
  pitch: i32,
  rx: i32,
  rows: usize,
  count: i32,
  dilate: bool,
  identity: f64,
  pointers: usize,
  acc: usize,
  ring: i32,
  k: i32,
): void {
  const L = lanesOf<T>();
  const size = sizeof<T>();
  const line = <usize>pitch * size;
  const fill = v128.splat<T>(<T>identity);
  const whole = nx / L; // vectors wholly inside the row go straight to dst; the tail through acc
  const chunks = (nx + L - 1) / L;
  for (let j = 0; j < ny; j++) {
    let n = 0;
    for (let r = 0; r < count; r++) {
      const dy = load<i32>(rows + <usize>(r * 12)), dz = load<i32>(rows + <usize>(r * 12 + 4)), w = load<i32>(rows + <usize>(r * 12 + 8));
      const jj = j + dy, kk = k + dz;
      if (jj < 0 || jj >= ny || kk < 0 || kk >= nz) continue;
      const p = planes + <usize>(((kk % ring) * (rx + 1) + w) * ny + jj) * line;
      store<u32>(pointers + <usize>(n * 4), <u32>(p + <usize>pad * size));
      n++;
    }
    const out = dst + (<usize>(k * ny + j) * <usize>nx) * size;
    // Four vectors per pass over the pointers: one pointer load serves four, and the four
    // running extrema are independent chains.
    let c = 0;
    for (; c + 4 <= whole; c += 4) {
      const o = <usize>(c * 16);
      let m0 = fill, m1 = fill, m2 = fill, m3 = fill;
      for (let q = 0; q < n; q++) {
        const at = <usize>load<u32>(pointers + <usize>(q * 4)) + o;
        if (dilate) {
          m0 = v128.max<T>(m0, v128.load(at));
          m1 = v128.max<T>(m1, v128.load(at + 16));
          m2 = v128.max<T>(m2, v128.load(at + 32));
          m3 = v128.max<T>(m3, v128.load(at + 48));
        } else {
          m0 = v128.min<T>(m0, v128.load(at));
          m1 = v128.min<T>(m1, v128.load(at + 16));
          m2 = v128.min<T>(m2, v128.load(at + 32));
          m3 = v128.min<T>(m3, v128.load(at + 48));
        }
      }
      v128.store(out + o, m0);
      v128.store(out + o + 16, m1);
      v128.store(out + o + 32, m2);
      v128.store(out + o + 48, m3);
    }
    for (; c < chunks; c++) {
      const o = <usize>(c * 16);
      let m = fill;
      if (dilate) for (let q = 0; q < n; q++) m = v128.max<T>(m, v128.load(<usize>load<u32>(pointers + <usize>(q * 4)) + o));
      else for (let q = 0; q < n; q++) m = v128.min<T>(m, v128.load(<usize>load<u32>(pointers + <usize>(q * 4)) + o));
      if (c < whole) v128.store(out + o, m);
      else v128.store(acc, m);
    }
    if (whole < chunks) memory.copy(out + <usize>(whole * 16), acc, <usize>(nx - whole * L) * size);
  }
}
