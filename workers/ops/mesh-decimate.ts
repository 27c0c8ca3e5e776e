/**
 * Mesh decimation with meshoptimizer's simplifier (zeux/meshoptimizer: a C++ library built to
 * WebAssembly, the one three.js and gltfpack use): quadric-error edge collapses, each collapse
 * onto an existing vertex, so kept points keep their positions and their point data. Its wasm is
 * embedded in the module (no file to stage, nothing fetched) and instantiated once per worker,
 * when the module is first imported: lazily, so workers that never decimate don't pay for it.
 */
import type { SimplifierFlags } from 'meshoptimizer/simplifier';
import { defineOp, InputError } from '../../src/worker/index.ts';
import type { DataArray, Mesh } from '../../src/data/mesh.ts';
import { checkMesh } from '../../src/data/validate.ts';
import { checkParams } from '../../src/core/op-spec.ts';
import { builtinSpecs } from '../specs.ts';
import { PIXEL_ARRAYS, pixelTypeOf } from '../../src/data/volume.ts';

export interface MeshDecimateInput {
  mesh: Mesh;
  /** Fraction of the triangles to keep, in (0, 1]. Give this or `triangles`. */
  ratio?: number;
  /** Number of triangles to aim for. */
  triangles?: number;
  /**
   * Largest deviation allowed, as a fraction of the mesh's size (default 1: no limit, the
   * target count rules). The simplifier stops early rather than exceed it.
   */
  maxError?: number;
  /** Keep the vertices on open borders where they are (default false). */
  lockBorder?: boolean;
}

export interface MeshDecimateOutput {
  mesh: Mesh;
  /** Deviation reached, as a fraction of the mesh's size (meshoptimizer's relative error). */
  error: number;
  /** The same in mm. */
  errorMm: number;
}

/** Triangles as a flat index list; polygons of more than 3 corners are fanned (convex ones stay exact). */
function triangleIndices(polys: Uint32Array): Uint32Array {
  let count = 0;
  for (let i = 0; i < polys.length; i += polys[i]! + 1) count += Math.max(0, polys[i]! - 2);
  const out = new Uint32Array(3 * count);
  let o = 0;
  for (let i = 0; i < polys.length; i += polys[i]! + 1) {
    for (let t = 1; t + 1 < polys[i]!; t++) {
      out[o++] = polys[i + 1]!;
      out[o++] = polys[i + 1 + t]!;
      out[o++] = polys[i + 2 + t]!;
    }
  }
  return out;
}

type Simplifier = (typeof import('meshoptimizer/simplifier'))['MeshoptSimplifier'];

export const meshDecimate = defineOp(async (input: MeshDecimateInput, ctx): Promise<MeshDecimateOutput> => {
  const { mesh } = input;
  checkMesh(mesh);
  const indices = triangleIndices(mesh.polys);
  const triangles = indices.length / 3;
  if (triangles === 0) throw new InputError(`input.mesh (${mesh.name})`, 'has no triangles to decimate');
  const { maxError } = checkParams(builtinSpecs['mesh.decimate'], input);
  const target = Math.min(triangles, input.triangles ?? Math.max(1, Math.round(triangles * input.ratio!)));

  const { MeshoptSimplifier } = await import('meshoptimizer/simplifier');
  await MeshoptSimplifier.ready;
  ctx.throwIfCancelled();
  ctx.progress(0, `${triangles} triangles -> ${target}`);
  // Files such as STL repeat each corner per triangle: weld equal positions first, or no edge
  // could collapse. The duplicates must then go from the point list too: the simplifier groups
  // points by position, and an unused twin would make a vertex look like a seam it cannot move.
  const weld = MeshoptSimplifier.generatePositionRemap(mesh.points, 3);
  for (let i = 0; i < indices.length; i++) indices[i] = weld[indices[i]!]!;
  const welded = compact(MeshoptSimplifier, indices, mesh.points, null);
  const flags: SimplifierFlags[] = input.lockBorder ? ['LockBorder'] : [];
  const [kept, error] = MeshoptSimplifier.simplify(indices, welded.points, 3, 3 * target, maxError, flags);
  const { points, from } = compact(MeshoptSimplifier, kept, welded.points, welded.from);
  const polys = new Uint32Array((kept.length / 3) * 4);
  for (let t = 0; t < kept.length / 3; t++) polys.set([3, kept[3 * t]!, kept[3 * t + 1]!, kept[3 * t + 2]!], 4 * t);
  const out: Mesh = { name: `${mesh.name} (decimated)`, points, polys };
  if (mesh.pointData) {
    out.pointData = {};
    for (const [name, array] of Object.entries(mesh.pointData)) out.pointData[name] = pickTuples(array, from);
  }
  if (mesh.lines?.length || mesh.cellData) ctx.log('lines and cell data are dropped: the decimated triangles are new cells', 'err');
  const errorMm = error * MeshoptSimplifier.getScale(welded.points, 3);
  ctx.log(`${triangles} -> ${kept.length / 3} triangles, ${mesh.points.length / 3} -> ${points.length / 3} points, error ${errorMm.toPrecision(3)} mm`);
  ctx.progress(1);
  return { mesh: out, error, errorMm };
});

/**
 * Renumbers the points `indices` use (in place, in order of first use) and gathers them.
 * `from` says which input point each point came from; composed along the way.
 */
function compact(simplifier: Simplifier, indices: Uint32Array, points: Float32Array, from: Uint32Array | null): { points: Float32Array; from: Uint32Array } {
  const [remap, unique] = indices.length ? simplifier.compactMesh(indices) : [new Uint32Array(0), 0];
  const out = new Float32Array(3 * unique);
  const origin = new Uint32Array(unique);
  for (let old = 0; old < remap.length; old++) {
    const to = remap[old]!;
    if (to === 0xffffffff) continue;
    out.set(points.subarray(3 * old, 3 * old + 3), 3 * to);
    origin[to] = from ? from[old]! : old;
  }
  return { points: out, from: origin };
}

function pickTuples({ values, components }: DataArray, rows: Uint32Array): DataArray {
  const picked = new PIXEL_ARRAYS[pixelTypeOf(values)](rows.length * components);
  for (let r = 0; r < rows.length; r++) picked.set(values.subarray(rows[r]! * components, (rows[r]! + 1) * components), r * components);
  return { values: picked, components };
}
