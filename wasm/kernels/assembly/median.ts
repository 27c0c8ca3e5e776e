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
 *
 * The 3 x 3 x 3 kernel has its own path (median333) that shares work between neighbours.
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
 * 8 * kx*ky*kz bytes for the sort, then 32 * kx*ky*kz for the lanes (two vectors), then 4 * kx*ky*kz for offsets;
 * for 3 x 3 x 3, then (16-byte aligned) 36 rows of median333Pitch values of T and 96 bytes.
 */
export function median3d<T>(src: usize, dst: usize, nx: i32, ny: i32, nz: i32, kx: i32, ky: i32, kz: i32, scratch: usize, k0: i32, k1: i32): void {
  const count = kx * ky * kz;
  const sort = scratch;
  const held = (scratch + <usize>count * 8 + 15) & ~<usize>15;
  const offsets = held + <usize>count * 32;
  if (kx == 3 && ky == 3 && kz == 3 && nx >= lanesOf<T>() && ny >= 2 && nz >= 2) {
    median333<T>(src, dst, nx, ny, nz, (offsets + <usize>count * 4 + 15) & ~<usize>15, k0, k1);
    return;
  }
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

/** Values of T in each of median333's row buffers: buffer index b holds x = b - 1, for x = -1..nx, in whole vectors plus one (calls.ts sizes them alike). */
// @ts-ignore: decorator
@inline function median333Pitch<T>(nx: i32): i32 {
  const L = lanesOf<T>();
  return ((nx + 1) / L + 2) * L;
}

// @ts-ignore: decorator
@inline function lowest<T>(): T {
  if (isFloat<T>()) return <T>-Infinity;
  if (isSigned<T>()) return <T>(<i64>-1 << (<i64>sizeof<T>() * 8 - 1));
  return <T>0;
}

// @ts-ignore: decorator
@inline function highest<T>(): T {
  if (isFloat<T>()) return <T>Infinity;
  if (isSigned<T>()) return <T>~(<i64>-1 << (<i64>sizeof<T>() * 8 - 1));
  return <T>-1;
}

/** Lane-wise min, max and middle of three vectors. */
// @ts-ignore: decorator
@inline function lo3<T>(a: v128, b: v128, c: v128): v128 {
  return v128.min<T>(v128.min<T>(a, b), c);
}

// @ts-ignore: decorator
@inline function hi3<T>(a: v128, b: v128, c: v128): v128 {
  return v128.max<T>(v128.max<T>(a, b), c);
}

// @ts-ignore: decorator
@inline function mid3<T>(a: v128, b: v128, c: v128): v128 {
  return v128.max<T>(v128.min<T>(a, b), v128.min<T>(v128.max<T>(a, b), c));
}

/** evenMiddle lane by lane (lo <= hi): the same C arithmetic in T, without leaving the lane width. */
// @ts-ignore: decorator
@inline function evenMiddleV<T>(lo: v128, hi: v128): v128 {
  if (isFloat<T>()) return v128.add<T>(lo, v128.div<T>(v128.sub<T>(hi, lo), v128.splat<T>(<T>2)));
  if (sizeof<T>() < 4) {
    // The floor of the mean in int: (lo & hi) + ((lo ^ hi) >> 1), which cannot overflow.
    const half = v128.shr<T>(v128.xor(lo, hi), 1); // arithmetic for signed T, logical for unsigned
    return v128.add<T>(v128.and(lo, hi), half);
  }
  const d = i32x4.sub(hi, lo);
  // int32: the wrapped difference divided toward zero; uint32: halved.
  const q = isSigned<T>() ? i32x4.shr_s(i32x4.add(d, i32x4.shr_u(d, 31)), 1) : i32x4.shr_u(d, 1);
  return i32x4.add(lo, q);
}

/** Vector c of a source row whose x = -1 is at `p` (0: a row outside the image), its cells outside the image replaced by `pad`'s. */
// @ts-ignore: decorator
@inline function rowVector(p: usize, pad: v128, c: i32, last: i32, head: v128, tail: v128): v128 {
  if (p == 0) return pad;
  const v = v128.load(p + <usize>(c * 16));
  if (c == 0) return v128.bitselect(v, pad, head);
  if (c == last) return v128.bitselect(v, pad, tail);
  return v;
}

/** The median of the 27 at output x from the sorted 9s at `s` (buffer index x holds x - 1). */
// @ts-ignore: decorator
@inline function select27<T>(s: usize, line: usize, x: i32): v128 {
  const size = <usize>sizeof<T>();
  const a = s + <usize>x * size;
  const b = a + size;
  const c = b + size;
  // Lows of ranks 5-8, highs of 0-3, middles of 2-6 of the rank triples, merged as soon as
  // they are made (few values live at once: x64 has 16 vector registers).
  // Batcher's odd-even merge of the lows and the highs (4 + 4), ranks 1-6 only: even ranks...
  const l0 = lo3<T>(v128.load(a + 5 * line), v128.load(b + 5 * line), v128.load(c + 5 * line));
  const h0 = hi3<T>(v128.load(a), v128.load(b), v128.load(c));
  const l2 = lo3<T>(v128.load(a + 7 * line), v128.load(b + 7 * line), v128.load(c + 7 * line));
  const h2 = hi3<T>(v128.load(a + 2 * line), v128.load(b + 2 * line), v128.load(c + 2 * line));
  const ep = v128.max<T>(l0, h0), eq = v128.min<T>(l2, h2);
  const e1 = v128.min<T>(ep, eq), e2 = v128.max<T>(ep, eq), e3 = v128.max<T>(l2, h2);
  // ...odd ranks...
  const l1 = lo3<T>(v128.load(a + 6 * line), v128.load(b + 6 * line), v128.load(c + 6 * line));
  const h1 = hi3<T>(v128.load(a + line), v128.load(b + line), v128.load(c + line));
  const l3 = lo3<T>(v128.load(a + 8 * line), v128.load(b + 8 * line), v128.load(c + 8 * line));
  const h3 = hi3<T>(v128.load(a + 3 * line), v128.load(b + 3 * line), v128.load(c + 3 * line));
  const o0 = v128.min<T>(l1, h1), op = v128.max<T>(l1, h1), oq = v128.min<T>(l3, h3);
  const o1 = v128.min<T>(op, oq), o2 = v128.max<T>(op, oq);
  // ...and the last exchanges.
  const y1 = v128.min<T>(o0, e1), y2 = v128.max<T>(o0, e1);
  const y3 = v128.min<T>(o1, e2), y4 = v128.max<T>(o1, e2);
  const y5 = v128.min<T>(o2, e3), y6 = v128.max<T>(o2, e3);
  // The 7th of merged and middles: min over t of max(middle[t - 1], merged[6 - t]).
  let r = v128.min<T>(y6, v128.max<T>(mid3<T>(v128.load(a + 2 * line), v128.load(b + 2 * line), v128.load(c + 2 * line)), y5));
  r = v128.min<T>(r, v128.max<T>(mid3<T>(v128.load(a + 3 * line), v128.load(b + 3 * line), v128.load(c + 3 * line)), y4));
  r = v128.min<T>(r, v128.max<T>(mid3<T>(v128.load(a + 4 * line), v128.load(b + 4 * line), v128.load(c + 4 * line)), y3));
  r = v128.min<T>(r, v128.max<T>(mid3<T>(v128.load(a + 5 * line), v128.load(b + 5 * line), v128.load(c + 5 * line)), y2));
  return v128.min<T>(r, v128.max<T>(mid3<T>(v128.load(a + 6 * line), v128.load(b + 6 * line), v128.load(c + 6 * line)), y1));
}

/**
 * 3 x 3 x 3 median with the work shared between neighbours, exact (a min/max network that selects
 * the 14th of 27; checked on all 2^27 inputs of zeros and ones, which by the 0-1 principle makes
 * it exact for every input, ties included):
 * 1. each column of 3 along k is sorted once per output slice (a ring of 3 rows `Z`) and serves
 *    the 9 outputs around it;
 * 2. per x, the 3 sorted columns of rows j-1..j+1 are merged into the sorted 9 of that 3 x 3
 *    cross-section (rows `S`), which serve the outputs at x-1, x and x+1;
 * 3. per output, with A, B, C the sorted 9s at x-1, x, x+1: sorting each rank triple (A[r], B[r],
 *    C[r]) gives a 9 x 3 array sorted both ways, in which 7 values must lie below the median and
 *    7 above; of the 13 left (the lows of ranks 5-8, the middles of 2-6, the highs of 0-3, each
 *    run sorted) the median is the 7th (select27).
 * About 100 min/max per vector of outputs, against some 400 for forgetful selection.
 *
 * The image border, where VTK takes the middle of an even count (18, 12 or 8 values), runs
 * through the same network: the cells outside the image are filled with the type's lowest and
 * highest values in a 3D checkerboard (run 0) and in the opposite one (run 1). A clipped box with
 * a side of 2 has as many cells of each colour, so the cells outside split into p and p + 1 of
 * the two colours and the runs give the two middle values (their min and max), whatever the
 * voxel's parity. This holds when every axis has at least 2 voxels (median3d checks).
 * `rows`: two runs of 9 Z rows then 9 S rows, then 96 bytes of lane patterns and masks.
 */
function median333<T>(src: usize, dst: usize, nx: i32, ny: i32, nz: i32, rows: usize, k0: i32, k1: i32): void {
  const L = lanesOf<T>();
  const size = <usize>sizeof<T>();
  const line = <usize>median333Pitch<T>(nx) * size;
  const runBytes = <usize>18 * line;
  const last = (nx + 1) / L; // the vector holding buffer index nx + 1 (x = nx)
  const consts = rows + 2 * runBytes;
  for (let l = 0; l < L; l++) {
    store<T>(consts + <usize>l * size, l & 1 ? highest<T>() : lowest<T>());
    store<T>(consts + 16 + <usize>l * size, l & 1 ? lowest<T>() : highest<T>());
  }
  const tailLanes = (nx + 1) % L;
  for (let b = 0; b < 16; b++) {
    const l = b / <i32>size;
    store<u8>(consts + 32 + <usize>b, l == 0 ? 0 : 0xff); // vector 0: x = -1 is outside
    store<u8>(consts + 48 + <usize>b, l < tailLanes ? 0xff : 0); // vector `last`: x >= nx is outside
    store<u8>(consts + 64 + <usize>b, l == 0 ? 0xff : 0); // output x = 0 of the first vector
    store<u8>(consts + 80 + <usize>b, l == L - 1 ? 0xff : 0); // output x = nx - 1 of the last
  }
  const head = v128.load(consts + 32), tail = v128.load(consts + 48);
  const firstLane = v128.load(consts + 64), lastLane = v128.load(consts + 80);
  for (let k = k0; k < k1; k++) {
    for (let j = 0; j < ny; j++) {
      // Columns along k of rows j-1 (and j, once per slice) and j+1 into ring slot (jj + 1) % 3, both runs.
      for (let jj = j == 0 ? -1 : j + 1; jj <= j + 1; jj++) {
        for (let run = 0; run < 2; run++) {
          const z = rows + <usize>run * runBytes + <usize>((jj + 1) % 3) * 3 * line;
          const inRow = jj >= 0 && jj < ny;
          // Each source row from x = -1 (0 when outside the image) and the pattern of its cells outside.
          const p0 = inRow && k > 0 ? src + (<usize>((k - 1) * ny + jj) * <usize>nx) * size - size : 0;
          const p1 = inRow ? src + (<usize>(k * ny + jj) * <usize>nx) * size - size : 0;
          const p2 = inRow && k < nz - 1 ? src + (<usize>((k + 1) * ny + jj) * <usize>nx) * size - size : 0;
          // Cell (x, y, z) gets the lowest value when x + y + z + run is even; lane l holds x = 16c/size + l - 1.
          const pat0 = v128.load(consts + <usize>(((jj + k + run) & 1) * 16));
          const pat1 = v128.load(consts + <usize>(((jj + k + 1 + run) & 1) * 16));
          const pat2 = pat0;
          // The last vector may read past the row's end (into the next row, or dst after the
          // last): those lanes are outside, replaced by the pattern (or beyond x = nx, unread).
          for (let c = 0; c <= last; c++) {
            let a = rowVector(p0, pat0, c, last, head, tail);
            let b = rowVector(p1, pat1, c, last, head, tail);
            let d = rowVector(p2, pat2, c, last, head, tail);
            let t = v128.min<T>(a, b);
            b = v128.max<T>(a, b);
            a = t;
            t = v128.min<T>(b, d);
            d = v128.max<T>(b, d);
            b = t;
            t = v128.min<T>(a, b);
            b = v128.max<T>(a, b);
            a = t;
            v128.store(z + <usize>(c * 16), a);
            v128.store(z + line + <usize>(c * 16), b);
            v128.store(z + 2 * line + <usize>(c * 16), d);
          }
        }
      }
      // Run 1 differs from run 0 only at outputs on the image border: all of a border row, the
      // first and last output of any other (which read vectors 0, 1 and those from (nx - L) / L on).
      const border = j == 0 || j == ny - 1 || k == 0 || k == nz - 1;
      const skipFrom = border ? last + 1 : 2;
      const skipTo = border ? last + 1 : max(2, (nx - L) / L);
      for (let run = 0; run < 2; run++) {
        const base = rows + <usize>run * runBytes;
        const za = base + <usize>(j % 3) * 3 * line; // row j - 1
        const zb = base + <usize>((j + 1) % 3) * 3 * line;
        const zc = base + <usize>((j + 2) % 3) * 3 * line;
        const sRows = base + 9 * line;
        for (let c = 0; c <= last; c++) {
          if (run == 1 && c == skipFrom) c = skipTo;
          const o = <usize>(c * 16);
          let s0 = v128.load(za + o), s1 = v128.load(za + line + o), s2 = v128.load(za + 2 * line + o);
          let s3 = v128.load(zb + o), s4 = v128.load(zb + line + o), s5 = v128.load(zb + 2 * line + o);
          let s6 = v128.load(zc + o), s7 = v128.load(zc + line + o), s8 = v128.load(zc + 2 * line + o);
          // Sort the lows, the middles and the highs of the three columns (a 3 x 3 sorted both
          // ways), then 7 more exchanges sort all 9 (found by exhaustive search over 0-1 inputs).
          let t = v128.min<T>(s0, s3); s3 = v128.max<T>(s0, s3); s0 = t;
          t = v128.min<T>(s3, s6); s6 = v128.max<T>(s3, s6); s3 = t;
          t = v128.min<T>(s0, s3); s3 = v128.max<T>(s0, s3); s0 = t;
          t = v128.min<T>(s1, s4); s4 = v128.max<T>(s1, s4); s1 = t;
          t = v128.min<T>(s4, s7); s7 = v128.max<T>(s4, s7); s4 = t;
          t = v128.min<T>(s1, s4); s4 = v128.max<T>(s1, s4); s1 = t;
          t = v128.min<T>(s2, s5); s5 = v128.max<T>(s2, s5); s2 = t;
          t = v128.min<T>(s5, s8); s8 = v128.max<T>(s5, s8); s5 = t;
          t = v128.min<T>(s2, s5); s5 = v128.max<T>(s2, s5); s2 = t;
          t = v128.min<T>(s1, s3); s3 = v128.max<T>(s1, s3); s1 = t;
          t = v128.min<T>(s2, s4); s4 = v128.max<T>(s2, s4); s2 = t;
          t = v128.min<T>(s2, s6); s6 = v128.max<T>(s2, s6); s2 = t;
          t = v128.min<T>(s2, s3); s3 = v128.max<T>(s2, s3); s2 = t;
          t = v128.min<T>(s4, s6); s6 = v128.max<T>(s4, s6); s4 = t;
          t = v128.min<T>(s5, s7); s7 = v128.max<T>(s5, s7); s5 = t;
          t = v128.min<T>(s5, s6); s6 = v128.max<T>(s5, s6); s5 = t;
          v128.store(sRows + o, s0);
          v128.store(sRows + line + o, s1);
          v128.store(sRows + 2 * line + o, s2);
          v128.store(sRows + 3 * line + o, s3);
          v128.store(sRows + 4 * line + o, s4);
          v128.store(sRows + 5 * line + o, s5);
          v128.store(sRows + 6 * line + o, s6);
          v128.store(sRows + 7 * line + o, s7);
          v128.store(sRows + 8 * line + o, s8);
        }
      }
      const s0 = rows + 9 * line, s1 = s0 + runBytes;
      const out = dst + (<usize>(k * ny + j) * <usize>nx) * size;
      // Outputs in vectors; the last one is moved back to end at nx - 1 (it recomputes a few
      // outputs, to the same values) rather than leaving a scalar tail.
      let x = 0;
      while (true) {
        if (x + L > nx) {
          if (x >= nx) break;
          x = nx - L;
        }
        let r = select27<T>(s0, line, x);
        if (border || x == 0 || x == nx - L) {
          const r1 = select27<T>(s1, line, x);
          const even = evenMiddleV<T>(v128.min<T>(r, r1), v128.max<T>(r, r1));
          if (border) r = even;
          else {
            if (x == 0) r = v128.bitselect(even, r, firstLane);
            if (x == nx - L) r = v128.bitselect(even, r, lastLane);
          }
        }
        v128.store(out + <usize>x * size, r);
        x += L;
      }
    }
  }
}
