/**
 * vtkImageGaussianSmooth, identical to the TypeScript reference (test/kernels/reference/gaussian.ts):
 * passes along k, then j, then i; the caller gives the clipped, renormalised weights per
 * position along each axis (computed once in TypeScript, so both use the very same doubles);
 * each output voxel sums weight x input from the low index up, in f64, starting from 0, and each
 * pass stores into T like a typed-array store.
 *
 * Lanes run across lines, never along the kernel: 16 parallel lines (16 adjacent x for the k and
 * j passes; 16 adjacent outputs of a row for the i pass clear of the edges, 16 rows near them)
 * are widened once into a strip of doubles, position by position, and every tap is one splatted
 * weight times 8 f64x2 of that strip, stored straight into T (truncate, narrow) from the
 * registers. Each lane does exactly the scalar sum (mul then add, never fused, in tap order),
 * every position (the clipped edges too) runs the same vector code, and each input voxel is
 * widened to f64 once per pass instead of once per tap. The strips live in L1; the j and i
 * passes of one slice run back to back while the slice is in cache, in place in the output (a
 * strip is read whole before it is written), so no pass copies the volume.
 * Eight sums at once: with the direct store, rf 5 went from 89 to 74 ms and rf 20 from 238 to
 * 212 ms in Chromium 156 (one worker, no transfer, on the Xeon host), and Node 20 no slower (rf 5
 * 88 to 80 ms, rf 20 239 to 239).
 */
import { fromF64, loadF64x2 } from './pixels';

/** Lines per strip, and the bytes one position of a strip takes. */
const LINES = 16;
const ROW: usize = LINES * 8;

/**
 * Outputs a0..a1-1 along an axis of length n, from a strip holding positions p0.. of `lanes`
 * lines (`strip`, 128 bytes a position), stored as voxels of T at `base` + a * `step` bytes.
 * `weights` holds n * (2r + 1) doubles: row a has the weight of offset t at index t + r, for t in
 * [max(-r, -a), min(r, n - 1 - a)]. A partial strip (the last run of a row) is summed into
 * doubles at `out` (128 bytes an output), then stored lane by lane through fromF64.
 */
function convolve<T>(strip: usize, p0: i32, n: i32, a0: i32, a1: i32, weights: usize, radius: i32, out: usize, lanes: i32, base: usize, step: usize): void {
  if (lanes == LINES) {
    convolveInto<T>(strip, p0, n, a0, a1, weights, radius, base + <usize>a0 * step, step);
    return;
  }
  convolveInto<f64>(strip, p0, n, a0, a1, weights, radius, out, ROW);
  scatterRun<T>(out, a0, a1, lanes, base, step);
}

/** Outputs a0..a1-1 of a strip, 16 lines each, as voxels of T: output a at `first` + (a - a0) * `step`. */
function convolveInto<T>(strip: usize, p0: i32, n: i32, a0: i32, a1: i32, weights: usize, radius: i32, first: usize, step: usize): void {
  const width = 2 * radius + 1;
  for (let a = a0; a < a1; a++) {
    const from = max(-radius, -a), to = min(radius, n - 1 - a);
    const w = weights + <usize>(a * width + from + radius) * 8;
    sum16<T>(strip + <usize>(a + from - p0) * ROW, ROW, w, to - from + 1, first + <usize>(a - a0) * step);
  }
}

/**
 * 16 outputs at once, eight f64x2 sums: each of `taps` weights at `w` (consecutive doubles)
 * splatted times the 16 doubles at `p`, then at `p` + `stride`, and so on (a strip's next
 * position, or the i pass's row one voxel on); stored into T at `at`.
 */
// @ts-ignore: decorator
@inline function sum16<T>(p: usize, stride: usize, w: usize, taps: i32, at: usize): void {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  let s4 = f64x2.splat(0), s5 = f64x2.splat(0), s6 = f64x2.splat(0), s7 = f64x2.splat(0);
  const end = w + <usize>taps * 8;
  while (w < end) {
    const wt = v128.load64_splat(w);
    s0 = f64x2.add(s0, f64x2.mul(wt, v128.load(p)));
    s1 = f64x2.add(s1, f64x2.mul(wt, v128.load(p, 16)));
    s2 = f64x2.add(s2, f64x2.mul(wt, v128.load(p, 32)));
    s3 = f64x2.add(s3, f64x2.mul(wt, v128.load(p, 48)));
    s4 = f64x2.add(s4, f64x2.mul(wt, v128.load(p, 64)));
    s5 = f64x2.add(s5, f64x2.mul(wt, v128.load(p, 80)));
    s6 = f64x2.add(s6, f64x2.mul(wt, v128.load(p, 96)));
    s7 = f64x2.add(s7, f64x2.mul(wt, v128.load(p, 112)));
    w += 8;
    p += stride;
  }
  store8<T>(s0, s1, s2, s3, at);
  store8<T>(s4, s5, s6, s7, at + 8 * sizeof<T>());
}

/**
 * 16 adjacent voxels at `at` widened into 16 doubles at `o`. 16-bit integers, the usual scan, go
 * two vectors at a time (extend each half to i32x4, convert its low pair and its high pair):
 * 18 instructions where eight pairs take 24 (a load, an extend and a conversion each); the k pass at
 * rf 5 went from 23.2 to 22.4 ms and its j and i passes from 44.6 to 43.3 (Chromium 150, one
 * thread, three alternated runs; rf 20 1% faster).
 */
// @ts-ignore: decorator
@inline function widen16<T>(at: usize, o: usize): void {
  if (sizeof<T>() == 2 && !isFloat<T>()) {
    for (let h: usize = 0; h < 32; h += 16) {
      const v = v128.load(at + h);
      const lo = isSigned<T>() ? i32x4.extend_low_i16x8_s(v) : i32x4.extend_low_i16x8_u(v);
      const hi = isSigned<T>() ? i32x4.extend_high_i16x8_s(v) : i32x4.extend_high_i16x8_u(v);
      const q = o + h * 4;
      v128.store(q, f64x2.convert_low_i32x4_s(lo));
      v128.store(q, f64x2.convert_low_i32x4_s(i64x2.shuffle(lo, lo, 1, 0)), 16);
      v128.store(q, f64x2.convert_low_i32x4_s(hi), 32);
      v128.store(q, f64x2.convert_low_i32x4_s(i64x2.shuffle(hi, hi, 1, 0)), 48);
    }
    return;
  }
  const size = sizeof<T>();
  for (let l = 0; l < LINES; l += 2) v128.store(o + <usize>l * 8, loadF64x2<T>(at + <usize>l * size));
}

/** Positions p0..p1-1 of `lanes` (<= 16) adjacent voxels at `base` + p * `step` bytes, widened into a strip; missing lanes are 0. */
function gatherRun<T>(base: usize, step: usize, p0: i32, p1: i32, lanes: i32, strip: usize): void {
  const size = sizeof<T>();
  for (let p = p0; p < p1; p++) {
    const at = base + <usize>p * step;
    const o = strip + <usize>(p - p0) * ROW;
    if (lanes == LINES) {
      widen16<T>(at, o);
    } else {
      for (let l = 0; l < LINES; l++) store<f64>(o + <usize>l * 8, l < lanes ? <f64>load<T>(at + <usize>l * size) : 0);
    }
  }
}

/** Outputs a0..a1-1 of a partial strip (`lanes` < 16) from doubles at `out` into voxels of T at `base` + a * `step` bytes. */
function scatterRun<T>(out: usize, a0: i32, a1: i32, lanes: i32, base: usize, step: usize): void {
  const size = sizeof<T>();
  for (let a = a0; a < a1; a++) {
    const at = base + <usize>a * step;
    const o = out + <usize>(a - a0) * ROW;
    for (let l = 0; l < lanes; l++) store<T>(at + <usize>l * size, fromF64<T>(load<f64>(o + <usize>l * 8)));
  }
}

/** Two i32x4 whose low halves hold two values each, as one i32x4 of the four. */
// @ts-ignore: decorator
@inline function lows(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}

/** Two f64x2 truncated into the low and high halves of one i32x4 (saturating: see store8). */
// @ts-ignore: decorator
@inline function truncated4<T>(a: v128, b: v128): v128 {
  if (isSigned<T>() || sizeof<T>() < 4) return lows(i32x4.trunc_sat_f64x2_s_zero(a), i32x4.trunc_sat_f64x2_s_zero(b));
  return lows(i32x4.trunc_sat_f64x2_u_zero(a), i32x4.trunc_sat_f64x2_u_zero(b));
}

/**
 * Eight doubles (s0..s3, lanes in order) stored as 8 voxels of T at `at`, in vector code. The
 * same values as fromF64: floats round to nearest (demote); integers truncate toward zero,
 * saturating where fromF64 wraps, which agrees because a Gaussian's output lies within its
 * inputs' range times the weights' sum (1 within a few ulp), so its truncation is always a
 * value of T.
 */
// @ts-ignore: decorator
@inline function store8<T>(s0: v128, s1: v128, s2: v128, s3: v128, at: usize): void {
  if (isFloat<T>()) {
    if (sizeof<T>() == 8) {
      v128.store(at, s0);
      v128.store(at, s1, 16);
      v128.store(at, s2, 32);
      v128.store(at, s3, 48);
    } else {
      v128.store(at, i8x16.shuffle(f32x4.demote_f64x2_zero(s0), f32x4.demote_f64x2_zero(s1), 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23));
      v128.store(at, i8x16.shuffle(f32x4.demote_f64x2_zero(s2), f32x4.demote_f64x2_zero(s3), 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23), 16);
    }
  } else if (sizeof<T>() == 4) {
    v128.store(at, truncated4<T>(s0, s1));
    v128.store(at, truncated4<T>(s2, s3), 16);
  } else {
    const q0 = truncated4<T>(s0, s1), q1 = truncated4<T>(s2, s3);
    if (sizeof<T>() == 2) {
      v128.store(at, isSigned<T>() ? i16x8.narrow_i32x4_s(q0, q1) : i16x8.narrow_i32x4_u(q0, q1));
    } else {
      const h = i16x8.narrow_i32x4_s(q0, q1);
      v128.store64_lane(at, isSigned<T>() ? i8x16.narrow_i16x8_s(h, h) : i8x16.narrow_i16x8_u(h, h), 0);
    }
  }
}

/**
 * The pass along k for rows j0..j1-1 of output slices k0..k1-1: src -> dst. `strip` and `out`
 * hold 128 * nz bytes each.
 */
export function gaussianK<T>(src: usize, dst: usize, nx: i32, ny: i32, nz: i32, radius: i32, weights: usize, strip: usize, out: usize, j0: i32, j1: i32, k0: i32, k1: i32): void {
  const size = sizeof<T>();
  const plane = <usize>nx * <usize>ny * size;
  const p0 = max(0, k0 - radius), p1 = min(nz, k1 + radius);
  for (let j = j0; j < j1; j++) {
    for (let x = 0; x < nx; x += LINES) {
      const lanes = min(LINES, nx - x);
      const offset = (<usize>j * <usize>nx + <usize>x) * size;
      gatherRun<T>(src + offset, plane, p0, p1, lanes, strip);
      convolve<T>(strip, p0, nz, k0, k1, weights, radius, out, lanes, dst + offset, plane);
    }
  }
}

/**
 * Positions p0..p1-1 of `lanes` (<= 16) rows at `base`, `laneStep` bytes apart, widened into a
 * strip (lane l holds row l, position p its voxel p); missing lanes are 0. The i pass's edges
 * put their lanes across rows, as the j pass does, so each row is read along itself.
 */
function gatherAcross<T>(base: usize, laneStep: usize, p0: i32, p1: i32, lanes: i32, strip: usize): void {
  const size = sizeof<T>();
  for (let l = 0; l < LINES; l++) {
    const at = base + <usize>l * laneStep;
    const o = strip + <usize>l * 8 - <usize>p0 * ROW;
    if (l < lanes) for (let p = p0; p < p1; p++) store<f64>(o + <usize>p * ROW, <f64>load<T>(at + <usize>p * size));
    else for (let p = p0; p < p1; p++) store<f64>(o + <usize>p * ROW, 0);
  }
}

/** Outputs a0..a1-1 from doubles at `out` (128 bytes an output, lane l row l) into the rows at `base`, `laneStep` bytes apart. */
function scatterAcross<T>(out: usize, a0: i32, a1: i32, lanes: i32, base: usize, laneStep: usize): void {
  const size = sizeof<T>();
  for (let l = 0; l < lanes; l++) {
    const at = base + <usize>l * laneStep;
    const o = out + <usize>l * 8 - <usize>a0 * ROW;
    for (let a = a0; a < a1; a++) store<T>(at + <usize>a * size, fromF64<T>(load<f64>(o + <usize>a * ROW)));
  }
}

/**
 * The pass along i of the ny rows of one slice, in place; `wx` is the x table as the other
 * passes take it. Outputs clear of the edges (r <= a < nx - r: the one shared kernel, row r of
 * `wx`) put their lanes along the row: 16 adjacent outputs at a time, each tap one splatted
 * weight times 8 unaligned f64x2 of the row widened once into `row`, stored straight into T (the
 * last block of a row overlaps the one before it, which recomputes the same values from `row`).
 * The outputs near an edge, whose clipped kernels differ per position, put their lanes across 16
 * rows instead, like the j pass: positions [0, 2r) and [nx - 2r, nx) of the rows are gathered
 * into two strips (before any of those rows is written), and each output splats its own kernel,
 * so every lane sums only its own taps. (Lanes along the row near an edge took each lane's
 * weight from a transposed table: a second load per tap, half the sums live, and lanes past
 * their clipped range adding 0 x 0; rf 20's i pass was 1.2x its j pass.) Rows too short for one
 * interior block take the edge way for all their outputs. `strip` holds 128 * max(nx, 4r)
 * bytes, `out` 8 * ceil16(nx) + 128 * max(r, ...) bytes (see gaussianPlan).
 */
function passI<T>(slice: usize, nx: i32, ny: i32, radius: i32, wx: usize, strip: usize, out: usize): void {
  const size = sizeof<T>();
  const line = <usize>nx * size;
  const width = 2 * radius + 1;
  if (nx - 2 * radius < LINES) {
    for (let j0 = 0; j0 < ny; j0 += LINES) {
      const lanes = min(LINES, ny - j0);
      const base = slice + <usize>j0 * line;
      gatherAcross<T>(base, line, 0, nx, lanes, strip);
      convolveInto<f64>(strip, 0, nx, 0, nx, wx, radius, out, ROW);
      scatterAcross<T>(out, 0, nx, lanes, base, line);
    }
    return;
  }
  const kern = wx + <usize>(radius * width) * 8;
  const right = strip + <usize>(2 * radius) * ROW;
  const sums = out + <usize>((nx + LINES - 1) & ~(LINES - 1)) * 8;
  const last = nx - radius - LINES;
  for (let j0 = 0; j0 < ny; j0 += LINES) {
    const lanes = min(LINES, ny - j0);
    const base = slice + <usize>j0 * line;
    gatherAcross<T>(base, line, 0, 2 * radius, lanes, strip);
    gatherAcross<T>(base, line, nx - 2 * radius, nx, lanes, right);
    for (let j = 0; j < lanes; j++) {
      const at = base + <usize>j * line;
      let x = 0;
      for (; x + LINES <= nx; x += LINES) widen16<T>(at + <usize>x * size, out + <usize>x * 8);
      for (; x + 2 <= nx; x += 2) v128.store(out + <usize>x * 8, loadF64x2<T>(at + <usize>x * size));
      if (x < nx) store<f64>(out + <usize>x * 8, <f64>load<T>(at + <usize>x * size));
      for (let a0 = radius; ; a0 += LINES) {
        const a = min(a0, last);
        sum16<T>(out + <usize>(a - radius) * 8, 8, kern, width, at + <usize>a * size);
        if (a == last) break;
      }
    }
    if (radius == 0) continue;
    convolveInto<f64>(strip, 0, nx, 0, radius, wx, radius, sums, ROW);
    scatterAcross<T>(sums, 0, radius, lanes, base, line);
    convolveInto<f64>(right, nx - 2 * radius, nx, nx - radius, nx, wx, radius, sums, ROW);
    scatterAcross<T>(sums, nx - radius, nx, lanes, base, line);
  }
}

/**
 * The passes along j and then i of slice k, in place in `data`. `strip` and `out` hold at least
 * 128 * max(nx, ny) bytes each, and what passI takes.
 */
export function gaussianJI<T>(data: usize, nx: i32, ny: i32, radius: i32, wy: usize, wx: usize, strip: usize, out: usize, k: i32): void {
  const size = sizeof<T>();
  const slice = data + <usize>k * <usize>nx * <usize>ny * size;
  const line = <usize>nx * size;
  // Along j: runs of 16 adjacent x, one position per row.
  for (let x = 0; x < nx; x += LINES) {
    const lanes = min(LINES, nx - x);
    gatherRun<T>(slice + <usize>x * size, line, 0, ny, lanes, strip);
    convolve<T>(strip, 0, ny, 0, ny, wy, radius, out, lanes, slice + <usize>x * size, line);
  }
  passI<T>(slice, nx, ny, radius, wx, strip, out);
}
