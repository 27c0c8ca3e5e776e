/**
 * The operations the page calls, typed from the built-in ops' own declarations. The pool the
 * page is given (any registry) is viewed through this one: the calls below are checked against
 * the built-in ops' input and output types, the rest of the catalogue by name.
 */
import type { Pool } from '../pool/pool.ts';
import type { OpDef } from '../core/op.ts';
import type { Volume } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';
import type { BuiltinOps } from '../../workers/builtin.ts';

export interface FileBytes {
  name: string;
  bytes: Uint8Array;
}

export type { MeshFormat, VolumeFormat } from '../../workers/specs.ts';

export type PageOps = Pick<
  BuiltinOps,
  'mesh.jitter' | 'volume.gaussianVtk' | 'volume.phantom' | 'volume.read' | 'volume.write' | 'mesh.read' | 'mesh.write'
> & {
  readonly [op: string]: OpDef<never, unknown>;
};

/** What a task of the page's catalogue gives back. */
export type Dataset = { kind: 'volume'; value: Volume } | { kind: 'mesh'; value: Mesh };

/** The page's view of any pool: the operations above are checked, the rest of the catalogue by name. */
export function pagePool(pool: Pool<BuiltinOps>): Pool<PageOps> {
  return pool;
}
