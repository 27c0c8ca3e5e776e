/**
 * vtkImageMedian3D (VTK 9.1) semantics: the neighbourhood of kx x ky x kz voxels (low corner at
 * offset -k/2) clipped to the image; an odd count gives its middle value, an even count (only
 * at the image edge for odd kernels) gives lo + (hi - lo) / 2 of the two middle values in T's
 * own C arithmetic (ints of 8/16 bits promoted to int, so the floor of the mean; int32 wraps).
 *
 * Interior voxels run in v128 lanes (16 / sizeof<T> voxels at once) through forgetful
 * selection: hold (n + 3) / 2 values, drop the smallest and largest (they cannot be the
 * median of what remains), add the next value, repeat; the last value standing is the median.
 * Each drop is one min/max sweep, so every lane does the same work with no branches.
 * Voxels whose neighbourhood is clipped take a scalar sort.
 */
import { lanesOf } from './pixels';

// @ts-ignore: decorator
@inline function evenMiddle<T>(lo: T, hi: T): T {
  if (isFloat<T>()) return lo + (hi - lo) / <T>2;
  if (sizeof<T>() < 4) return <T>(<i32>lo + (<i32>hi - <i32>lo) / 2);
  return lo + (hi - lo) / <T>2;
}

/** Median of the clipped neighbourhood of one voxel; `sort` holds room for kx*ky*kz values. */
function medianAt<T>(src: usize, nx: i32, ny: i32, nz: i32, i: i32, j: i32, k: i32, kx: i32, ky: i32, kz: i32, sort: usize): T {
  const i0 = max(i - kx / 2, 0), i1 = min(i - kx / 2 + kx - 1, nx - 1);
  const j0 = max(j - ky / 2, 0), j1 = min(j - ky / 2 + ky - 1, ny - 1);
  const k0 = max(k - kz / 2, 0), k1 = min(k - kz / 2 + kz - 1, nz - 1);
  let n = 0;
  for (let kk = k0; kk <= k1; kk++) {
    for (let jj = j0; jj <= j1; jj++) {
      const row = src + (<usize>(kk * ny + jj) * <usize>nx) * sizeof<T>();
      for (let ii = i0; ii <= i1; ii++) {
        // Insertion into the sorted prefix.
        const v = load<T>(row + <usize>ii * sizeof<T>());
        let p = n;
        while (p > 0) {
          const w = load<T>(sort + <usize>(p - 1) * sizeof<T>());
          if (w <= v) break;
          store<T>(sort + <usize>p * sizeof<T>(), w);
          p--;
        }
        store<T>(sort + <usize>p * sizeof<T>(), v);
        n++;
      }
    }
  }
  if (n & 1) return load<T>(sort + <usize>(n >> 1) * sizeof<T>());
  return evenMiddle<T>(load<T>(sort + <usize>((n >> 1) - 1) * sizeof<T>()), load<T>(sort + <usize>(n >> 1) * sizeof<T>()));
}

/**
 * Median filter of slices k0..k1-1 of a volume, src -> dst (both nx*ny*nz values of T). `scratch` holds
 * 8 * kx*ky*kz bytes for the sort, then 32 * kx*ky*kz for the lanes (two vectors), then 4 * kx*ky*kz for offsets.
 */
export function median3d<T>(src: usize, dst: usize, nx: i32, ny: i32, nz: i32, kx: i32, ky: i32, kz: i32, scratch: usize, k0: i32, k1: i32): void {
  const count = kx * ky * kz;
  const sort = scratch;
  const held = (scratch + <usize>count * 8 + 15) & ~<usize>15;
  const offsets = held + <usize>count * 32;
  // Byte offsets of the neighbourhood from its centre voxel, in VTK's order (x fastest).
  let q = 0;
  for (let dz = -(kz / 2); dz < kz - kz / 2; dz++) {
    for (let dy = -(ky / 2); dy < ky - ky / 2; dy++) {
      for (let dx = -(kx / 2); dx < kx - kx / 2; dx++) {
        store<i32>(offsets + <usize>q * 4, ((dz * ny + dy) * nx + dx) * <i32>sizeof<T>());
        q++;
      }
    }
  }
  const L = lanesOf<T>();
  const first = (count + 3) >> 1; // values held before the first drop
  const x0 = kx / 2, x1 = nx - 1 - (kx - 1 - kx / 2); // interior range in x, inclusive
  for (let k = k0; k < k1; k++) {
    const zInside = k >= kz / 2 && k <= nz - 1 - (kz - 1 - kz / 2);
    for (let j = 0; j < ny; j++) {
      const inside = zInside && j >= ky / 2 && j <= ny - 1 - (ky - 1 - ky / 2);
      const rowIndex = <usize>(k * ny + j) * <usize>nx;
      let i = 0;
      if (inside && count > 1) {
        for (; i < x0; i++) store<T>(dst + (rowIndex + <usize>i) * sizeof<T>(), medianAt<T>(src, nx, ny, nz, i, j, k, kx, ky, kz, sort));
        // Two vectors at a time: each sweep is a chain of dependent min/max, two independent
        // chains interleaved keep the vector unit busy while one waits. Slot t of the pair is
        // at held + 32 t (first vector) and + 16 (second).
        for (; i + 2 * L - 1 <= x1; i += 2 * L) {
          const c0 = src + (rowIndex + <usize>i) * sizeof<T>();
          const c1 = c0 + 16;
          for (let t = 0; t < first; t++) {
            const o = <isize>load<i32>(offsets + <usize>t * 4);
            v128.store(held + <usize>t * 32, v128.load(c0 + o));
            v128.store(held + <usize>t * 32 + 16, v128.load(c1 + o));
          }
          let m = first;
          let next = first;
          while (true) {
            const a0 = v128.load(held), a1 = v128.load(held + 32);
            const b0 = v128.load(held + 16), b1 = v128.load(held + 48);
            let loA = v128.min<T>(a0, a1), hiA = v128.max<T>(a0, a1);
            let loB = v128.min<T>(b0, b1), hiB = v128.max<T>(b0, b1);
            for (let t = 2; t < m; t++) {
              const at = held + <usize>t * 32;
              const va = v128.load(at), vb = v128.load(at + 16);
              const upA = v128.max<T>(loA, va), upB = v128.max<T>(loB, vb);
              loA = v128.min<T>(loA, va);
              loB = v128.min<T>(loB, vb);
              v128.store(at - 64, v128.min<T>(hiA, upA));
              v128.store(at - 48, v128.min<T>(hiB, upB));
              hiA = v128.max<T>(hiA, upA);
              hiB = v128.max<T>(hiB, upB);
            }
            m -= 2;
            if (next == count) break;
            const o = <isize>load<i32>(offsets + <usize>next * 4);
            v128.store(held + <usize>m * 32, v128.load(c0 + o));
            v128.store(held + <usize>m * 32 + 16, v128.load(c1 + o));
            m++;
            next++;
          }
          v128.store(dst + (rowIndex + <usize>i) * sizeof<T>(), v128.load(held));
          v128.store(dst + (rowIndex + <usize>i) * sizeof<T>() + 16, v128.load(held + 16));
        }
        for (; i + L - 1 <= x1; i += L) {
          const centre = src + (rowIndex + <usize>i) * sizeof<T>();
          for (let t = 0; t < first; t++) v128.store(held + <usize>t * 16, v128.load(centre + <isize>load<i32>(offsets + <usize>t * 4)));
          let m = first;
          let next = first;
          while (true) {
            // One sweep drops the smallest and the largest: lo and hi run along, and whatever
            // loses to neither is packed down into slots 0..m-3.
            const a0 = v128.load(held), a1 = v128.load(held + 16);
            let lo = v128.min<T>(a0, a1);
            let hi = v128.max<T>(a0, a1);
            for (let t = 2; t < m; t++) {
              const v = v128.load(held + <usize>t * 16);
              const up = v128.max<T>(lo, v);
              lo = v128.min<T>(lo, v);
              v128.store(held + <usize>(t - 2) * 16, v128.min<T>(hi, up));
              hi = v128.max<T>(hi, up);
            }
            m -= 2;
            if (next == count) break;
            v128.store(held + <usize>m * 16, v128.load(centre + <isize>load<i32>(offsets + <usize>next * 4)));
            m++;
            next++;
          }
          v128.store(dst + (rowIndex + <usize>i) * sizeof<T>(), v128.load(held));
        }
      }
      for (; i < nx; i++) store<T>(dst + (rowIndex + <usize>i) * sizeof<T>(), medianAt<T>(src, nx, ny, nz, i, j, k, kx, ky, kz, sort));
    }
  }
}
