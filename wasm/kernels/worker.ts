/**
 * Worker side of voxpool's own wasm kernels: one instance per worker, made from the Module the
 * pool compiled once (resource `kernels`), else fetched and compiled here; reused by every task.
 * The module has no allocator: each call lays its buffers out from the heap base up, growing the
 * memory when a volume needs more (wasm memory only grows; the worker reports it as in use).
 */
import { loadOnce, registerMemorySource, resource } from '../../src/worker/index.ts';
import { assetRoot } from '../worker-assets.ts';
import { compileKernels, KERNELS } from './page.ts';
import type { PixelArray, PixelType } from '../../src/data/volume.ts';
import { pixelTypeOf } from '../../src/data/volume.ts';
import { isShared } from '../../src/core/transfer.ts';

export type KernelSuffix = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'f32' | 'f64';

type Median = (
  src: number,
  dst: number,
  nx: number,
  ny: number,
  nz: number,
  kx: number,
  ky: number,
  kz: number,
  scratch: number,
  k0: number,
  k1: number,
) => void;
type GaussianK = (
  src: number,
  dst: number,
  nx: number,
  ny: number,
  nz: number,
  radius: number,
  weights: number,
  strip: number,
  out: number,
  j0: number,
  j1: number,
  k0: number,
  k1: number,
) => void;
type GaussianJI = (data: number, nx: number, ny: number, radius: number, wy: number, wx: number, strip: number, out: number, k: number) => void;
type PadRows = (src: number, padded: number, nx: number, ny: number, nz: number, pad: number, pitch: number, identity: number, k0: number, k1: number) => void;
type Morph = (
  padded: number,
  dst: number,
  nx: number,
  ny: number,
  nz: number,
  pad: number,
  pitch: number,
  rows: number,
  count: number,
  dilate: number,
  identity: number,
  acc: number,
  k0: number,
  k1: number,
) => void;

type BoxIJ = (
  src: number,
  out: number,
  nx: number,
  ny: number,
  pad: number,
  pitch: number,
  rx: number,
  ry: number,
  dilate: number,
  identity: number,
  slab: number,
  row: number,
  kk: number,
) => void;
type BoxK = (padded: number, dst: number, nx: number, ny: number, nz: number, pitch: number, rz: number, dilate: number, acc: number, k: number) => void;
type RunExtrema = (
  src: number,
  planes: number,
  nx: number,
  ny: number,
  pitch: number,
  rx: number,
  dilate: number,
  identity: number,
  slot: number,
  kk: number,
) => void;
type ElementRows = (
  planes: number,
  dst: number,
  nx: number,
  ny: number,
  nz: number,
  pad: number,
  pitch: number,
  rx: number,
  rows: number,
  count: number,
  dilate: number,
  identity: number,
  pointers: number,
  acc: number,
  ring: number,
  k: number,
) => void;

export type KernelExports = {
  memory: WebAssembly.Memory;
  heapBase(): number;
} & { [K in `median_${KernelSuffix}`]: Median } & { [K in `gaussk_${KernelSuffix}`]: GaussianK } & { [K in `gaussji_${KernelSuffix}`]: GaussianJI } & {
  [K in `pad_${KernelSuffix}`]: PadRows;
} & {
  [K in `morph_${KernelSuffix}`]: Morph;
} & { [K in `boxij_${KernelSuffix}`]: BoxIJ } & { [K in `boxk_${KernelSuffix}`]: BoxK } & { [K in `runext_${KernelSuffix}`]: RunExtrema } & {
  [K in `elem_${KernelSuffix}`]: ElementRows;
};

const SUFFIX: Record<PixelType, KernelSuffix> = {
  int8: 'i8',
  uint8: 'u8',
  int16: 'i16',
  uint16: 'u16',
  int32: 'i32',
  uint32: 'u32',
  float32: 'f32',
  float64: 'f64',
};

export function suffixOf(data: PixelArray): KernelSuffix {
  return SUFFIX[pixelTypeOf(data)];
}

const PAGE = 65536;

/** One wasm instance and the bump layout of its linear memory for the current call. */
export class KernelInstance {
  constructor(readonly exports: KernelExports) {}

  get memory(): WebAssembly.Memory {
    return this.exports.memory;
  }

  /**
   * Byte offsets of consecutive 16-byte-aligned regions of the given sizes, after the heap base,
   * with memory grown to hold them. Valid until the next call (the regions are reused).
   */
  layout(sizes: readonly number[]): number[] {
    let at = align(this.exports.heapBase());
    const offsets = sizes.map((size) => {
      const o = at;
      at = align(at + size);
      return o;
    });
    const need = at - this.memory.buffer.byteLength;
    if (need > 0) {
      try {
        this.memory.grow(Math.ceil(need / PAGE));
      } catch (e) {
        throw new RangeError(`the kernels' wasm memory cannot grow to ${at} bytes (${String(e)})`, { cause: e });
      }
    }
    return offsets;
  }

  /** Copies a typed array into linear memory at `offset`. */
  write(offset: number, data: ArrayBufferView): void {
    new Uint8Array(this.memory.buffer, offset, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  /**
   * `length` values of `into`'s type at `offset`, written over the start of `into` when the
   * worker may, else into a fresh array. Reusing the input spares the fresh
   * pages a new array costs: the kernel has already read it, and on the VMs these benchmarks run
   * on, first touching 17 MB of new memory takes about 50 ms, a fifth of a 3x3x3 median.
   */
  read<A extends PixelArray>(into: A, offset: number, length: number): A {
    const Ctor = into.constructor as new (buffer: ArrayBuffer, offset: number, length: number) => A;
    const view = new Ctor(this.memory.buffer, offset, length);
    // The worker was handed `into` (moved or cloned) and the kernel copied it into wasm memory
    // first, so its output may go over it; unless other threads share it.
    if (isShared(into.buffer) || into.length < length) return view.slice() as A;
    const out = into.subarray(0, length) as A;
    out.set(view as never);
    return out;
  }
}

function align(n: number): number {
  return (n + 15) & ~15;
}

/** This worker's kernels instance, made on first use. */
export const kernels: () => Promise<KernelInstance> = loadOnce(instantiate);

async function instantiate(): Promise<KernelInstance> {
  const module = resource<WebAssembly.Module>(KERNELS.resource) ?? (await compileKernels(assetRoot()));
  const wasm = await WebAssembly.instantiate(module, {
    env: {
      abort(_message: number, _file: number, line: number, column: number): never {
        throw new Error(`kernels: abort at ${line}:${column}`);
      },
    },
  });
  const k = new KernelInstance(wasm.exports as unknown as KernelExports);
  registerMemorySource(() => k.memory.buffer.byteLength);
  return k;
}
