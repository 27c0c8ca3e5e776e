/**
 * voxpool's own WebAssembly kernels (AssemblyScript, SIMD), one export per kernel and voxel
 * type. No allocator: the worker lays out its buffers in linear memory from heapBase() up and
 * grows the memory itself (../worker.ts).
 *
 * Every kernel works on a range of slices [k0, k1): the worker calls it slice by slice, which
 * lets it report progress and stop on cancel, and lets V8 swap in its optimised code after the
 * first calls (a running wasm call never leaves its baseline code: no on-stack replacement).
 */
import { median3d } from './median';
import { gaussianJI, gaussianK } from './gaussian';
import { boxIJ, boxK, elementRows, morph, padRows, runExtrema } from './morphology';

export function heapBase(): usize {
  return __heap_base;
}

export function median_i8(s: usize, d: usize, nx: i32, ny: i32, nz: i32, kx: i32, ky: i32, kz: i32, t: usize, k0: i32, k1: i32): void { median3d<i8>(s, d, nx, ny, nz, kx, ky, kz, t, k0, k1); }
export function median_u8(s: usize, d: usize, nx: i32, ny: i32, nz: i32, kx: i32, ky: i32, kz: i32, t: usize, k0: i32, k1: i32): void { median3d<u8>(s, d, nx, ny, nz, kx, ky, kz, t, k0, k1); }
export function median_i16(s: usize, d: usize, nx: i32, ny: i32, nz: i32, kx: i32, ky: i32, kz: i32, t: usize, k0: i32, k1: i32): void { median3d<i16>(s, d, nx, ny, nz, kx, ky, kz, t, k0, k1); }
export function median_u16(s: usize, d: usize, nx: i32, ny: i32, nz: i32, kx: i32, ky: i32, kz: i32, t: usize, k0: i32, k1: i32): void { median3d<u16>(s, d, nx, ny, nz, kx, ky, kz, t, k0, k1); }
export function median_i32(s: usize, d: usize, nx: i32, ny: i32, nz: i32, kx: i32, ky: i32, kz: i32, t: usize, k0: i32, k1: i32): void { median3d<i32>(s, d, nx, ny, nz, kx, ky, kz, t, k0, k1); }
export function median_u32(s: usize, d: usize, nx: i32, ny: i32, nz: i32, kx: i32, ky: i32, kz: i32, t: usize, k0: i32, k1: i32): void { median3d<u32>(s, d, nx, ny, nz, kx, ky, kz, t, k0, k1); }
export function median_f32(s: usize, d: usize, nx: i32, ny: i32, nz: i32, kx: i32, ky: i32, kz: i32, t: usize, k0: i32, k1: i32): void { median3d<f32>(s, d, nx, ny, nz, kx, ky, kz, t, k0, k1); }
export function median_f64(s: usize, d: usize, nx: i32, ny: i32, nz: i32, kx: i32, ky: i32, kz: i32, t: usize, k0: i32, k1: i32): void { median3d<f64>(s, d, nx, ny, nz, kx, ky, kz, t, k0, k1); }

export function gaussk_i8(s: usize, d: usize, nx: i32, ny: i32, nz: i32, r: i32, w: usize, b: usize, o: usize, j0: i32, j1: i32, k0: i32, k1: i32): void { gaussianK<i8>(s, d, nx, ny, nz, r, w, b, o, j0, j1, k0, k1); }
export function gaussk_u8(s: usize, d: usize, nx: i32, ny: i32, nz: i32, r: i32, w: usize, b: usize, o: usize, j0: i32, j1: i32, k0: i32, k1: i32): void { gaussianK<u8>(s, d, nx, ny, nz, r, w, b, o, j0, j1, k0, k1); }
export function gaussk_i16(s: usize, d: usize, nx: i32, ny: i32, nz: i32, r: i32, w: usize, b: usize, o: usize, j0: i32, j1: i32, k0: i32, k1: i32): void { gaussianK<i16>(s, d, nx, ny, nz, r, w, b, o, j0, j1, k0, k1); }
export function gaussk_u16(s: usize, d: usize, nx: i32, ny: i32, nz: i32, r: i32, w: usize, b: usize, o: usize, j0: i32, j1: i32, k0: i32, k1: i32): void { gaussianK<u16>(s, d, nx, ny, nz, r, w, b, o, j0, j1, k0, k1); }
export function gaussk_i32(s: usize, d: usize, nx: i32, ny: i32, nz: i32, r: i32, w: usize, b: usize, o: usize, j0: i32, j1: i32, k0: i32, k1: i32): void { gaussianK<i32>(s, d, nx, ny, nz, r, w, b, o, j0, j1, k0, k1); }
export function gaussk_u32(s: usize, d: usize, nx: i32, ny: i32, nz: i32, r: i32, w: usize, b: usize, o: usize, j0: i32, j1: i32, k0: i32, k1: i32): void { gaussianK<u32>(s, d, nx, ny, nz, r, w, b, o, j0, j1, k0, k1); }
export function gaussk_f32(s: usize, d: usize, nx: i32, ny: i32, nz: i32, r: i32, w: usize, b: usize, o: usize, j0: i32, j1: i32, k0: i32, k1: i32): void { gaussianK<f32>(s, d, nx, ny, nz, r, w, b, o, j0, j1, k0, k1); }
export function gaussk_f64(s: usize, d: usize, nx: i32, ny: i32, nz: i32, r: i32, w: usize, b: usize, o: usize, j0: i32, j1: i32, k0: i32, k1: i32): void { gaussianK<f64>(s, d, nx, ny, nz, r, w, b, o, j0, j1, k0, k1); }
export function gaussji_i8(d: usize, nx: i32, ny: i32, r: i32, wy: usize, wx: usize, b: usize, o: usize, k: i32): void { gaussianJI<i8>(d, nx, ny, r, wy, wx, b, o, k); }
export function gaussji_u8(d: usize, nx: i32, ny: i32, r: i32, wy: usize, wx: usize, b: usize, o: usize, k: i32): void { gaussianJI<u8>(d, nx, ny, r, wy, wx, b, o, k); }
export function gaussji_i16(d: usize, nx: i32, ny: i32, r: i32, wy: usize, wx: usize, b: usize, o: usize, k: i32): void { gaussianJI<i16>(d, nx, ny, r, wy, wx, b, o, k); }
export function gaussji_u16(d: usize, nx: i32, ny: i32, r: i32, wy: usize, wx: usize, b: usize, o: usize, k: i32): void { gaussianJI<u16>(d, nx, ny, r, wy, wx, b, o, k); }
export function gaussji_i32(d: usize, nx: i32, ny: i32, r: i32, wy: usize, wx: usize, b: usize, o: usize, k: i32): void { gaussianJI<i32>(d, nx, ny, r, wy, wx, b, o, k); }
export function gaussji_u32(d: usize, nx: i32, ny: i32, r: i32, wy: usize, wx: usize, b: usize, o: usize, k: i32): void { gaussianJI<u32>(d, nx, ny, r, wy, wx, b, o, k); }
export function gaussji_f32(d: usize, nx: i32, ny: i32, r: i32, wy: usize, wx: usize, b: usize, o: usize, k: i32): void { gaussianJI<f32>(d, nx, ny, r, wy, wx, b, o, k); }
export function gaussji_f64(d: usize, nx: i32, ny: i32, r: i32, wy: usize, wx: usize, b: usize, o: usize, k: i32): void { gaussianJI<f64>(d, nx, ny, r, wy, wx, b, o, k); }

export function pad_i8(s: usize, p: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, id: f64, k0: i32, k1: i32): void { padRows<i8>(s, p, nx, ny, nz, pad, pitch, id, k0, k1); }
export function pad_u8(s: usize, p: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, id: f64, k0: i32, k1: i32): void { padRows<u8>(s, p, nx, ny, nz, pad, pitch, id, k0, k1); }
export function pad_i16(s: usize, p: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, id: f64, k0: i32, k1: i32): void { padRows<i16>(s, p, nx, ny, nz, pad, pitch, id, k0, k1); }
export function pad_u16(s: usize, p: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, id: f64, k0: i32, k1: i32): void { padRows<u16>(s, p, nx, ny, nz, pad, pitch, id, k0, k1); }
export function pad_i32(s: usize, p: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, id: f64, k0: i32, k1: i32): void { padRows<i32>(s, p, nx, ny, nz, pad, pitch, id, k0, k1); }
export function pad_u32(s: usize, p: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, id: f64, k0: i32, k1: i32): void { padRows<u32>(s, p, nx, ny, nz, pad, pitch, id, k0, k1); }
export function pad_f32(s: usize, p: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, id: f64, k0: i32, k1: i32): void { padRows<f32>(s, p, nx, ny, nz, pad, pitch, id, k0, k1); }
export function pad_f64(s: usize, p: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, id: f64, k0: i32, k1: i32): void { padRows<f64>(s, p, nx, ny, nz, pad, pitch, id, k0, k1); }

export function morph_i8(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rows: usize, count: i32, dilate: bool, id: f64, acc: usize, k0: i32, k1: i32): void { morph<i8>(p, d, nx, ny, nz, pad, pitch, rows, count, dilate, id, acc, k0, k1); }
export function morph_u8(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rows: usize, count: i32, dilate: bool, id: f64, acc: usize, k0: i32, k1: i32): void { morph<u8>(p, d, nx, ny, nz, pad, pitch, rows, count, dilate, id, acc, k0, k1); }
export function morph_i16(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rows: usize, count: i32, dilate: bool, id: f64, acc: usize, k0: i32, k1: i32): void { morph<i16>(p, d, nx, ny, nz, pad, pitch, rows, count, dilate, id, acc, k0, k1); }
export function morph_u16(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rows: usize, count: i32, dilate: bool, id: f64, acc: usize, k0: i32, k1: i32): void { morph<u16>(p, d, nx, ny, nz, pad, pitch, rows, count, dilate, id, acc, k0, k1); }
export function morph_i32(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rows: usize, count: i32, dilate: bool, id: f64, acc: usize, k0: i32, k1: i32): void { morph<i32>(p, d, nx, ny, nz, pad, pitch, rows, count, dilate, id, acc, k0, k1); }
export function morph_u32(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rows: usize, count: i32, dilate: bool, id: f64, acc: usize, k0: i32, k1: i32): void { morph<u32>(p, d, nx, ny, nz, pad, pitch, rows, count, dilate, id, acc, k0, k1); }
export function morph_f32(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rows: usize, count: i32, dilate: bool, id: f64, acc: usize, k0: i32, k1: i32): void { morph<f32>(p, d, nx, ny, nz, pad, pitch, rows, count, dilate, id, acc, k0, k1); }
export function morph_f64(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rows: usize, count: i32, dilate: bool, id: f64, acc: usize, k0: i32, k1: i32): void { morph<f64>(p, d, nx, ny, nz, pad, pitch, rows, count, dilate, id, acc, k0, k1); }

export function boxij_i8(s: usize, p: usize, nx: i32, ny: i32, pad: i32, pitch: i32, rx: i32, ry: i32, dilate: bool, id: f64, slab: usize, row: usize, kk: i32): void { boxIJ<i8>(s, p, nx, ny, pad, pitch, rx, ry, dilate, id, slab, row, kk); }
export function boxij_u8(s: usize, p: usize, nx: i32, ny: i32, pad: i32, pitch: i32, rx: i32, ry: i32, dilate: bool, id: f64, slab: usize, row: usize, kk: i32): void { boxIJ<u8>(s, p, nx, ny, pad, pitch, rx, ry, dilate, id, slab, row, kk); }
export function boxij_i16(s: usize, p: usize, nx: i32, ny: i32, pad: i32, pitch: i32, rx: i32, ry: i32, dilate: bool, id: f64, slab: usize, row: usize, kk: i32): void { boxIJ<i16>(s, p, nx, ny, pad, pitch, rx, ry, dilate, id, slab, row, kk); }
export function boxij_u16(s: usize, p: usize, nx: i32, ny: i32, pad: i32, pitch: i32, rx: i32, ry: i32, dilate: bool, id: f64, slab: usize, row: usize, kk: i32): void { boxIJ<u16>(s, p, nx, ny, pad, pitch, rx, ry, dilate, id, slab, row, kk); }
export function boxij_i32(s: usize, p: usize, nx: i32, ny: i32, pad: i32, pitch: i32, rx: i32, ry: i32, dilate: bool, id: f64, slab: usize, row: usize, kk: i32): void { boxIJ<i32>(s, p, nx, ny, pad, pitch, rx, ry, dilate, id, slab, row, kk); }
export function boxij_u32(s: usize, p: usize, nx: i32, ny: i32, pad: i32, pitch: i32, rx: i32, ry: i32, dilate: bool, id: f64, slab: usize, row: usize, kk: i32): void { boxIJ<u32>(s, p, nx, ny, pad, pitch, rx, ry, dilate, id, slab, row, kk); }
export function boxij_f32(s: usize, p: usize, nx: i32, ny: i32, pad: i32, pitch: i32, rx: i32, ry: i32, dilate: bool, id: f64, slab: usize, row: usize, kk: i32): void { boxIJ<f32>(s, p, nx, ny, pad, pitch, rx, ry, dilate, id, slab, row, kk); }
export function boxij_f64(s: usize, p: usize, nx: i32, ny: i32, pad: i32, pitch: i32, rx: i32, ry: i32, dilate: bool, id: f64, slab: usize, row: usize, kk: i32): void { boxIJ<f64>(s, p, nx, ny, pad, pitch, rx, ry, dilate, id, slab, row, kk); }
export function boxk_i8(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pitch: i32, rz: i32, dilate: bool, acc: usize, k: i32): void { boxK<i8>(p, d, nx, ny, nz, pitch, rz, dilate, acc, k); }
export function boxk_u8(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pitch: i32, rz: i32, dilate: bool, acc: usize, k: i32): void { boxK<u8>(p, d, nx, ny, nz, pitch, rz, dilate, acc, k); }
export function boxk_i16(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pitch: i32, rz: i32, dilate: bool, acc: usize, k: i32): void { boxK<i16>(p, d, nx, ny, nz, pitch, rz, dilate, acc, k); }
export function boxk_u16(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pitch: i32, rz: i32, dilate: bool, acc: usize, k: i32): void { boxK<u16>(p, d, nx, ny, nz, pitch, rz, dilate, acc, k); }
export function boxk_i32(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pitch: i32, rz: i32, dilate: bool, acc: usize, k: i32): void { boxK<i32>(p, d, nx, ny, nz, pitch, rz, dilate, acc, k); }
export function boxk_u32(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pitch: i32, rz: i32, dilate: bool, acc: usize, k: i32): void { boxK<u32>(p, d, nx, ny, nz, pitch, rz, dilate, acc, k); }
export function boxk_f32(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pitch: i32, rz: i32, dilate: bool, acc: usize, k: i32): void { boxK<f32>(p, d, nx, ny, nz, pitch, rz, dilate, acc, k); }
export function boxk_f64(p: usize, d: usize, nx: i32, ny: i32, nz: i32, pitch: i32, rz: i32, dilate: bool, acc: usize, k: i32): void { boxK<f64>(p, d, nx, ny, nz, pitch, rz, dilate, acc, k); }

export function runext_i8(s: usize, m: usize, nx: i32, ny: i32, pitch: i32, rx: i32, dilate: bool, id: f64, slot: i32, kk: i32): void { runExtrema<i8>(s, m, nx, ny, pitch, rx, dilate, id, slot, kk); }
export function runext_u8(s: usize, m: usize, nx: i32, ny: i32, pitch: i32, rx: i32, dilate: bool, id: f64, slot: i32, kk: i32): void { runExtrema<u8>(s, m, nx, ny, pitch, rx, dilate, id, slot, kk); }
export function runext_i16(s: usize, m: usize, nx: i32, ny: i32, pitch: i32, rx: i32, dilate: bool, id: f64, slot: i32, kk: i32): void { runExtrema<i16>(s, m, nx, ny, pitch, rx, dilate, id, slot, kk); }
export function runext_u16(s: usize, m: usize, nx: i32, ny: i32, pitch: i32, rx: i32, dilate: bool, id: f64, slot: i32, kk: i32): void { runExtrema<u16>(s, m, nx, ny, pitch, rx, dilate, id, slot, kk); }
export function runext_i32(s: usize, m: usize, nx: i32, ny: i32, pitch: i32, rx: i32, dilate: bool, id: f64, slot: i32, kk: i32): void { runExtrema<i32>(s, m, nx, ny, pitch, rx, dilate, id, slot, kk); }
export function runext_u32(s: usize, m: usize, nx: i32, ny: i32, pitch: i32, rx: i32, dilate: bool, id: f64, slot: i32, kk: i32): void { runExtrema<u32>(s, m, nx, ny, pitch, rx, dilate, id, slot, kk); }
export function runext_f32(s: usize, m: usize, nx: i32, ny: i32, pitch: i32, rx: i32, dilate: bool, id: f64, slot: i32, kk: i32): void { runExtrema<f32>(s, m, nx, ny, pitch, rx, dilate, id, slot, kk); }
export function runext_f64(s: usize, m: usize, nx: i32, ny: i32, pitch: i32, rx: i32, dilate: bool, id: f64, slot: i32, kk: i32): void { runExtrema<f64>(s, m, nx, ny, pitch, rx, dilate, id, slot, kk); }

export function elem_i8(m: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rx: i32, rows: usize, count: i32, dilate: bool, id: f64, ptr: usize, acc: usize, ring: i32, k: i32): void { elementRows<i8>(m, d, nx, ny, nz, pad, pitch, rx, rows, count, dilate, id, ptr, acc, ring, k); }
export function elem_u8(m: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rx: i32, rows: usize, count: i32, dilate: bool, id: f64, ptr: usize, acc: usize, ring: i32, k: i32): void { elementRows<u8>(m, d, nx, ny, nz, pad, pitch, rx, rows, count, dilate, id, ptr, acc, ring, k); }
export function elem_i16(m: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rx: i32, rows: usize, count: i32, dilate: bool, id: f64, ptr: usize, acc: usize, ring: i32, k: i32): void { elementRows<i16>(m, d, nx, ny, nz, pad, pitch, rx, rows, count, dilate, id, ptr, acc, ring, k); }
export function elem_u16(m: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rx: i32, rows: usize, count: i32, dilate: bool, id: f64, ptr: usize, acc: usize, ring: i32, k: i32): void { elementRows<u16>(m, d, nx, ny, nz, pad, pitch, rx, rows, count, dilate, id, ptr, acc, ring, k); }
export function elem_i32(m: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rx: i32, rows: usize, count: i32, dilate: bool, id: f64, ptr: usize, acc: usize, ring: i32, k: i32): void { elementRows<i32>(m, d, nx, ny, nz, pad, pitch, rx, rows, count, dilate, id, ptr, acc, ring, k); }
export function elem_u32(m: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rx: i32, rows: usize, count: i32, dilate: bool, id: f64, ptr: usize, acc: usize, ring: i32, k: i32): void { elementRows<u32>(m, d, nx, ny, nz, pad, pitch, rx, rows, count, dilate, id, ptr, acc, ring, k); }
export function elem_f32(m: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rx: i32, rows: usize, count: i32, dilate: bool, id: f64, ptr: usize, acc: usize, ring: i32, k: i32): void { elementRows<f32>(m, d, nx, ny, nz, pad, pitch, rx, rows, count, dilate, id, ptr, acc, ring, k); }
export function elem_f64(m: usize, d: usize, nx: i32, ny: i32, nz: i32, pad: i32, pitch: i32, rx: i32, rows: usize, count: i32, dilate: bool, id: f64, ptr: usize, acc: usize, ring: i32, k: i32): void { elementRows<f64>(m, d, nx, ny, nz, pad, pitch, rx, rows, count, dilate, id, ptr, acc, ring, k); }
