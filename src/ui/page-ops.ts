/**
 * The operations the page calls, with the input and output types it relies on. The pool the
 * page is given is viewed through this registry, so every call below is type checked here even
 * while the imaging operations are still being added to the built-in registry.
 */
import type { Pool } from '../pool/pool.ts';
import type { OpDef, OpRegistry } from '../core/op.ts';
import type { Volume } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';
import type { HeadPhantomOptions } from '../data/phantom.ts';

type Op<I, O> = OpDef<I, O>;

export interface FileBytes {
  name: string;
  bytes: Uint8Array;
}

export type VolumeFormat = 'nii' | 'nii.gz' | 'nrrd' | 'mha';
export type MeshFormat = 'stl' | 'obj' | 'vtk';

export type PageOps = {
  'mesh.jitter': Op<{ points: Float32Array; amplitude: number; seed: number }, { points: Float32Array }>;
  'volume.gaussianVtk': Op<{ volume: Volume; std?: number; radiusFactor: number }, Volume>;
  'volume.phantom': Op<HeadPhantomOptions | null, Volume>;
  'volume.read': Op<{ files: FileBytes[] }, Volume>;
  'volume.write': Op<{ volume: Volume; format: VolumeFormat }, FileBytes>;
  'mesh.read': Op<{ file: FileBytes }, Mesh>;
  'mesh.write': Op<{ mesh: Mesh; format: MeshFormat }, FileBytes>;
} & { readonly [op: string]: OpDef<never, unknown> };

/** What a task of the page's catalogue gives back. */
export type Dataset = { kind: 'volume'; value: Volume } | { kind: 'mesh'; value: Mesh };

/** The page's view of any pool: the operations above are checked, the rest of the catalogue by name. */
export function pagePool<R extends OpRegistry>(pool: Pool<R>): Pool<PageOps> {
  return pool as unknown as Pool<PageOps>;
}
