/**
 * The operations offered for the user's own data, with their parameters. A parameter field
 * accepts a sweep (see sweep.ts): one operation over several values runs as parallel tasks.
 */
import type { Volume } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';

export type DataKind = 'volume' | 'mesh';

export interface ParamSpec {
  name: string;
  label: string;
  default: string;
  /** Integer values only. */
  integer?: boolean;
  min?: number;
}

export interface CatalogOp {
  op: string;
  title: string;
  accepts: DataKind;
  gives: DataKind;
  params: ParamSpec[];
  /** The task's input; default `{ volume | mesh: data, ...params }`. */
  toInput?(data: Volume | Mesh, params: Record<string, number>): unknown;
  /** The result as a Volume or Mesh; default the output itself. */
  fromOutput?(output: unknown, data: Volume | Mesh): Volume | Mesh;
}

export function inputFor(op: CatalogOp, data: Volume | Mesh, params: Record<string, number>): unknown {
  return op.toInput ? op.toInput(data, params) : { [op.accepts]: data, ...params };
}

export function outputOf(op: CatalogOp, output: unknown, data: Volume | Mesh): Volume | Mesh {
  return op.fromOutput ? op.fromOutput(output, data) : (output as Volume | Mesh);
}

export const CATALOG: readonly CatalogOp[] = [
  {
    op: 'volume.gaussianVtk',
    title: 'Gaussian smoothing (VTK, radius factor)',
    accepts: 'volume',
    gives: 'volume',
    params: [
      { name: 'radiusFactor', label: 'Radius factor', default: '0:20:5', min: 0 },
      { name: 'std', label: 'Standard deviation (voxels)', default: '2', min: 0 },
    ],
  },
  {
    op: 'volume.gaussian',
    title: 'Gaussian smoothing (sigma in mm)',
    accepts: 'volume',
    gives: 'volume',
    params: [{ name: 'sigma', label: 'Sigma (mm)', default: '1, 2, 4', min: 0 }],
  },
  {
    op: 'volume.median',
    title: 'Median filter',
    accepts: 'volume',
    gives: 'volume',
    params: [{ name: 'radius', label: 'Radius (voxels)', default: '1', integer: true, min: 1 }],
  },
  {
    op: 'volume.threshold',
    title: 'Threshold (keep values in range)',
    accepts: 'volume',
    gives: 'volume',
    params: [
      { name: 'lower', label: 'Lower', default: '100' },
      { name: 'upper', label: 'Upper', default: '10000' },
    ],
  },
  {
    op: 'volume.binarize',
    title: 'Binarize (1 inside range, 0 outside)',
    accepts: 'volume',
    gives: 'volume',
    params: [
      { name: 'lower', label: 'Lower', default: '100' },
      { name: 'upper', label: 'Upper', default: '10000' },
    ],
  },
  {
    op: 'volume.components',
    title: 'Connected components of non-zero voxels (labels)',
    accepts: 'volume',
    gives: 'volume',
    params: [{ name: 'connectivity', label: 'Connectivity (6, 18 or 26)', default: '26', integer: true, min: 6 }],
    fromOutput: (output) => (output as { labels: Volume }).labels,
  },
  {
    op: 'volume.isosurface',
    title: 'Isosurface (to a mesh)',
    accepts: 'volume',
    gives: 'mesh',
    params: [{ name: 'isovalue', label: 'Isovalue', default: '100' }],
  },
  {
    op: 'mesh.smooth',
    title: 'Smooth mesh',
    accepts: 'mesh',
    gives: 'mesh',
    params: [{ name: 'iterations', label: 'Iterations', default: '10, 20', integer: true, min: 1 }],
  },
  {
    op: 'mesh.decimate',
    title: 'Decimate mesh',
    accepts: 'mesh',
    gives: 'mesh',
    params: [{ name: 'reduction', label: 'Reduction (0 to 1)', default: '0.5', min: 0 }],
  },
  {
    op: 'mesh.jitter',
    title: 'Jitter vertices (the seed demo)',
    accepts: 'mesh',
    gives: 'mesh',
    toInput: (data, params) => ({ ...params, points: (data as Mesh).points.slice() }),
    fromOutput: (output, data) => ({ ...(data as Mesh), points: (output as { points: Float32Array }).points }),
    params: [
      { name: 'amplitude', label: 'Amplitude', default: '1, 5', min: 0 },
      { name: 'seed', label: 'Seed', default: '1', integer: true },
    ],
  },
];

export function opsFor(kind: DataKind, available?: ReadonlySet<string>): CatalogOp[] {
  return CATALOG.filter((o) => o.accepts === kind && (!available || available.has(o.op)));
}
