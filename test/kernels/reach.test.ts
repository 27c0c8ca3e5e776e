/**
 * reachOf (each op's declared reach, workers/specs.ts) gives the halo a slab needs: filtering a slab grown by the reach and keeping its middle
 * equals filtering the whole volume; one voxel less of halo does not (the reach is tight).
 * Checked with the TypeScript references, which the wasm kernels equal voxel for voxel.
 */
import { describe, expect, it } from 'vitest';
import type { PixelArray, Vec3 } from '../../src/data/volume.ts';
import { reachOf, type ReachInputs, type ReachOp } from '../../workers/specs.ts';
import { gaussianVtkReference } from './reference/gaussian.ts';
import { medianReference } from './reference/median.ts';
import { morphologyReference } from './reference/morphology.ts';

const dims: Vec3 = [9, 8, 30];
const data = Int16Array.from({ length: dims[0] * dims[1] * dims[2] }, (_, n) => ((n * 2654435761) >>> 0) % 2000);

function filter<O extends ReachOp>(op: O, input: ReachInputs[O], d: PixelArray, size: Vec3): PixelArray {
  const p = input as Record<string, unknown>;
  const r = (x: unknown): Vec3 => (typeof x === 'number' ? [x, x, x] : (x as Vec3));
  switch (op) {
    case 'volume.gaussianVtk':
      return gaussianVtkReference(d, size, (p.std as number | undefined) ?? 2, p.radiusFactor as number);
    case 'volume.median':
      return medianReference(d, size, (p.kernelSize as Vec3 | undefined) ?? [3, 3, 3]);
    default:
      return morphologyReference(op.slice('volume.'.length) as 'dilate', d, size, r(p.radius), 'box');
  }
}

/** Slices z0..z1-1 of the filter of the slab grown by `halo` slices each way (clipped to the volume). */
function slabResult<O extends ReachOp>(op: O, input: ReachInputs[O], z0: number, z1: number, halo: number): PixelArray {
  const plane = dims[0] * dims[1];
  const lo = Math.max(0, z0 - halo);
  const hi = Math.min(dims[2], z1 + halo);
  const out = filter(op, input, data.slice(lo * plane, hi * plane), [dims[0], dims[1], hi - lo]);
  return out.slice((z0 - lo) * plane, (z1 - lo) * plane);
}

const cases: { [O in ReachOp]: { op: O; input: ReachInputs[O]; reach: Vec3 } }[ReachOp][] = [
  { op: 'volume.gaussianVtk', input: { std: 1.5, radiusFactor: 2.5 }, reach: [3, 3, 3] },
  { op: 'volume.gaussianVtk', input: { radiusFactor: 2 }, reach: [4, 4, 4] },
  { op: 'volume.median', input: {}, reach: [1, 1, 1] },
  { op: 'volume.median', input: { kernelSize: [3, 1, 5] }, reach: [1, 0, 2] },
  { op: 'volume.dilate', input: { radius: 2 }, reach: [2, 2, 2] },
  { op: 'volume.erode', input: { radius: [1, 0, 3] }, reach: [1, 0, 3] },
  { op: 'volume.open', input: { radius: [0, 1, 2] }, reach: [0, 2, 4] },
  { op: 'volume.close', input: { radius: 1 }, reach: [2, 2, 2] },
];

describe('reachOf', () => {
  for (const c of cases) {
    it(`${c.op} ${JSON.stringify(c.input)} reaches ${c.reach.join(', ')}, and that halo suffices`, () => {
      const reach = reachOf(c.op, c.input as never);
      expect(reach).toEqual(c.reach);
      const whole = filter(c.op, c.input as never, data, dims);
      const plane = dims[0] * dims[1];
      const [z0, z1] = [10, 18];
      expect([...slabResult(c.op, c.input as never, z0, z1, reach[2])]).toEqual([...whole.slice(z0 * plane, z1 * plane)]);
      if (reach[2] > 0) expect([...slabResult(c.op, c.input as never, z0, z1, reach[2] - 1)]).not.toEqual([...whole.slice(z0 * plane, z1 * plane)]);
    });
  }
});
