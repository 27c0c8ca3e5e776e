/**
 * One pass of vtkImageGaussianSmooth along one axis, identical to the TypeScript reference
 * (test/kernels/reference/gaussian.ts): the caller gives the clipped, renormalised weights per position
 * along the axis (computed once in TypeScript, so both use the very same doubles), each output
 * voxel sums weight x input from the low index up, in f64, starting from 0, and is stored into T
 * like a typed-array store. Two voxels at a time in f64x2 lanes: mul then add, never fused, so
 * each lane rounds exactly like the scalar code.
 */
import { fromF64, loadF64x2 } from './pixels';

/**
 * Slices k0..k1-1 of the output. `weights` holds n * (2r + 1) doubles: row a (position a along the axis) has the weight of
 * offset t at index t + r, for t in [max(-r, -a), min(r, n - 1 - a)].
 */
export function gaussianPass<T>(src: usize, dst: usize, nx: i32, ny: i32, nz: i32, axis: i32, radius: i32, weights: usize, k0: i32, k1: i32): void {
  const size = sizeof<T>();
  const width = 2 * radius + 1;
  const n = axis == 0 ? nx : axis == 1 ? ny : nz;
  const stride: isize = axis == 0 ? 1 : axis == 1 ? <isize>nx : <isize>nx * <isize>ny;
  for (let k = k0; k < k1; k++) {
    for (let j = 0; j < ny; j++) {
      const row = <usize>(k * ny + j) * <usize>nx;
      let i = 0;
      if (axis == 0) {
        // Edge voxels see a clipped kernel: one at a time. The interior shares the full one.
        const i1 = nx - radius; // first voxel past the interior
        for (; i < nx; ) {
          if (i >= radius && i + 7 < i1) {
            const w = weights + <usize>(i * width) * 8;
            let at = src + (row + <usize>(i - radius)) * size;
            let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
            for (let t = 0; t < width; t++) {
              const wt = v128.load64_splat(w + <usize>t * 8);
              s0 = f64x2.add(s0, f64x2.mul(wt, loadF64x2<T>(at)));
              s1 = f64x2.add(s1, f64x2.mul(wt, loadF64x2<T>(at + 2 * size)));
              s2 = f64x2.add(s2, f64x2.mul(wt, loadF64x2<T>(at + 4 * size)));
              s3 = f64x2.add(s3, f64x2.mul(wt, loadF64x2<T>(at + 6 * size)));
              at += size;
            }
            store8<T>(dst + (row + <usize>i) * size, s0, s1, s2, s3);
            i += 8;
          } else if (i >= radius && i + 1 < i1) {
            const w = weights + <usize>(i * width) * 8;
            const at = src + (row + <usize>(i - radius)) * size;
            let sum = f64x2.splat(0);
            for (let t = 0; t < width; t++) {
              sum = f64x2.add(sum, f64x2.mul(v128.load64_splat(w + <usize>t * 8), loadF64x2<T>(at + <usize>t * size)));
            }
            store<T>(dst + (row + <usize>i) * size, fromF64<T>(f64x2.extract_lane(sum, 0)));
            store<T>(dst + (row + <usize>i + 1) * size, fromF64<T>(f64x2.extract_lane(sum, 1)));
            i += 2;
          } else {
            store<T>(dst + (row + <usize>i) * size, fromF64<T>(pointSum<T>(src + (row + <usize>i) * size, i, n, radius, 1, weights)));
            i++;
          }
        }
      } else {
        // Every voxel of this row is at the same position along the axis: one kernel for all.
        const a = axis == 1 ? j : k;
        const from = max(-radius, -a), to = min(radius, n - 1 - a);
        const w = weights + <usize>(a * width + from + radius) * 8;
        const taps = to - from + 1;
        const first = <isize>from * stride * size;
        // Eight voxels at a time in four independent sums: the adds of one sum wait on each
        // other, four of them keep the vector unit busy. Each lane's order of operations is
        // unchanged.
        const tap = stride * size;
        for (; i + 7 < nx; i += 8) {
          let at = <isize>(src + (row + <usize>i) * size) + first;
          let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
          for (let t = 0; t < taps; t++) {
            const wt = v128.load64_splat(w + <usize>t * 8);
            s0 = f64x2.add(s0, f64x2.mul(wt, loadF64x2<T>(<usize>at)));
            s1 = f64x2.add(s1, f64x2.mul(wt, loadF64x2<T>(<usize>at + 2 * size)));
            s2 = f64x2.add(s2, f64x2.mul(wt, loadF64x2<T>(<usize>at + 4 * size)));
            s3 = f64x2.add(s3, f64x2.mul(wt, loadF64x2<T>(<usize>at + 6 * size)));
            at += tap;
          }
          store8<T>(dst + (row + <usize>i) * size, s0, s1, s2, s3);
        }
        for (; i + 1 < nx; i += 2) {
          const at = <isize>(src + (row + <usize>i) * size) + first;
          let sum = f64x2.splat(0);
          for (let t = 0; t < taps; t++) {
            sum = f64x2.add(sum, f64x2.mul(v128.load64_splat(w + <usize>t * 8), loadF64x2<T>(<usize>(at + <isize>t * stride * size))));
          }
          store<T>(dst + (row + <usize>i) * size, fromF64<T>(f64x2.extract_lane(sum, 0)));
          store<T>(dst + (row + <usize>i + 1) * size, fromF64<T>(f64x2.extract_lane(sum, 1)));
        }
        if (i < nx) store<T>(dst + (row + <usize>i) * size, fromF64<T>(pointSum<T>(src + (row + <usize>i) * size, a, n, radius, stride, weights)));
      }
    }
  }
}

/** The weighted sum for one voxel at position `a` along an axis of length n. */
/** The eight sums of four f64x2 accumulators, in voxel order, as voxels of T from `out` on. */
@inline function store8<T>(out: usize, s0: v128, s1: v128, s2: v128, s3: v128): void {
  const size = sizeof<T>();
  store<T>(out, fromF64<T>(f64x2.extract_lane(s0, 0)));
  store<T>(out + size, fromF64<T>(f64x2.extract_lane(s0, 1)));
  store<T>(out + 2 * size, fromF64<T>(f64x2.extract_lane(s1, 0)));
  store<T>(out + 3 * size, fromF64<T>(f64x2.extract_lane(s1, 1)));
  store<T>(out + 4 * size, fromF64<T>(f64x2.extract_lane(s2, 0)));
  store<T>(out + 5 * size, fromF64<T>(f64x2.extract_lane(s2, 1)));
  store<T>(out + 6 * size, fromF64<T>(f64x2.extract_lane(s3, 0)));
  store<T>(out + 7 * size, fromF64<T>(f64x2.extract_lane(s3, 1)));
}

function pointSum<T>(p: usize, a: i32, n: i32, radius: i32, stride: isize, weights: usize): f64 {
  const from = max(-radius, -a), to = min(radius, n - 1 - a);
  const w = weights + <usize>(a * (2 * radius + 1) + from + radius) * 8;
  let sum: f64 = 0;
  for (let t = 0; t <= to - from; t++) {
    sum += load<f64>(w + <usize>t * 8) * <f64>load<T>(<usize>(<isize>p + <isize>(from + t) * stride * sizeof<T>()));
  }
  return sum;
}
