/**
 * The operations offered for the user's own data. Titles, parameters, labels, units and the
 * values a form starts with come from each op's declaration (workers/specs.ts); this module adds
 * only what is the page's own: which kind of data an op takes and gives, the form's field names,
 * and how a result becomes a Volume or Mesh. A parameter field accepts a sweep (see sweep.ts):
 * one operation over several values runs as parallel tasks.
 */
import type { Volume } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';
import type { ParamSpec } from '../core/op-spec.ts';
import { builtinSpecs, type BuiltinSpecs } from '../../workers/specs.ts';

export type DataKind = 'volume' | 'mesh';

/** One field of an op's form. */
export interface FormField {
  /** The field's name on the page (the sweep's and the result's label use it). */
  name: string;
  /** The op's parameter it sets. */
  param: string;
  label: string;
  /** The text the field starts with. */
  default: string;
  spec: ParamSpec;
}

export interface CatalogOp {
  op: string;
  title: string;
  accepts: DataKind;
  gives: DataKind;
  params: FormField[];
  /** The task's input; default `{ volume | mesh: data, ...params }`, a per-axis parameter given one value for all three axes. */
  toInput?(data: Volume | Mesh, params: Record<string, number>): unknown;
  /** The result as a Volume or Mesh; default the output itself. */
  fromOutput?(output: unknown, data: Volume | Mesh): Volume | Mesh;
}

/** What the page adds to an op's declaration. */
interface PageEntry {
  op: keyof BuiltinSpecs;
  accepts: DataKind;
  gives: DataKind;
  /** Form field names that differ from the parameter's, as `{ field: param }`. */
  rename?: Record<string, string>;
  toInput?: CatalogOp['toInput'];
  fromOutput?: CatalogOp['fromOutput'];
}

/** A label with what a person needs to type a good value: "Neighbourhood (odd, voxels)", "Connectivity (6, 18 or 26)". */
export function labelOf(p: ParamSpec): string {
  const notes: string[] = [];
  if (p.type === 'choice') notes.push(p.options.length > 1 ? `${p.options.slice(0, -1).join(', ')} or ${String(p.options.at(-1))}` : String(p.options[0]));
  else {
    if (p.odd) notes.push('odd');
    if (p.unit) notes.push(p.unit);
  }
  return notes.length ? `${p.label} (${notes.join(', ')})` : p.label;
}

function fieldsOf(entry: PageEntry): FormField[] {
  const byParam = new Map(Object.entries(entry.rename ?? {}).map(([field, param]) => [param, field]));
  const params = Object.entries(builtinSpecs[entry.op].params as Record<string, ParamSpec>);
  return params
    .filter(([, spec]) => spec.form !== undefined)
    .map(([param, spec]) => ({ name: byParam.get(param) ?? param, param, label: labelOf(spec), default: spec.form!, spec }));
}

export function inputFor(op: CatalogOp, data: Volume | Mesh, params: Record<string, number>): unknown {
  if (op.toInput) return op.toInput(data, params);
  const input: Record<string, unknown> = { [op.accepts]: data };
  for (const f of op.params) {
    const v = params[f.name];
    if (v === undefined) continue;
    input[f.param] = f.spec.type === 'number' && f.spec.shape === 'three' ? [v, v, v] : v;
  }
  return input;
}

export function outputOf(op: CatalogOp, output: unknown, data: Volume | Mesh): Volume | Mesh {
  return op.fromOutput ? op.fromOutput(output, data) : (output as Volume | Mesh);
}

const volumeFilter = (op: PageEntry['op'], more: Partial<PageEntry> = {}): PageEntry => ({ op, accepts: 'volume', gives: 'volume', ...more });
const meshFilter = (op: PageEntry['op'], more: Partial<PageEntry> = {}): PageEntry => ({ op, accepts: 'mesh', gives: 'mesh', ...more });

const ENTRIES: readonly PageEntry[] = [
  volumeFilter('volume.gaussianVtk'),
  volumeFilter('volume.gaussian'),
  volumeFilter('volume.median', { rename: { size: 'kernelSize' } }),
  volumeFilter('volume.dilate'),
  volumeFilter('volume.erode'),
  volumeFilter('volume.open'),
  volumeFilter('volume.close'),
  volumeFilter('volume.threshold'),
  volumeFilter('volume.binarize'),
  volumeFilter('volume.components', { fromOutput: (output) => (output as { labels: Volume }).labels }),
  volumeFilter('volume.downsample', { rename: { factor: 'factors' } }),
  volumeFilter('volume.resample'),
  volumeFilter('volume.isosurface', { gives: 'mesh' }),
  meshFilter('mesh.smooth'),
  meshFilter('mesh.decimate', { fromOutput: (output) => (output as { mesh: Mesh }).mesh }),
  meshFilter('mesh.jitter', {
    toInput: (data, params) => ({ ...params, points: (data as Mesh).points.slice() }),
    fromOutput: (output, data) => ({ ...(data as Mesh), points: (output as { points: Float32Array }).points }),
  }),
];

export const CATALOG: readonly CatalogOp[] = ENTRIES.map((e) => ({
  op: e.op,
  title: builtinSpecs[e.op].title,
  accepts: e.accepts,
  gives: e.gives,
  params: fieldsOf(e),
  ...(e.toInput ? { toInput: e.toInput } : {}),
  ...(e.fromOutput ? { fromOutput: e.fromOutput } : {}),
}));

export function opsFor(kind: DataKind, available?: ReadonlySet<string>): CatalogOp[] {
  return CATALOG.filter((o) => o.accepts === kind && (!available || available.has(o.op)));
}
