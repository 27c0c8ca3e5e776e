/**
 * The reader corpus (test/data/corpus): every file read in a worker and compared with what the
 * reference readers (nibabel, pydicom, a numpy STL/OBJ parser) recorded in expected.json, or
 * refused with the error class and the words the case names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createPool, FileDamagedError, FileUnsupportedError, InputError, type BuiltinOps, type Pool } from '../../src/index.ts';
import type { Volume } from '../../src/data/volume.ts';
import type { Mesh } from '../../src/data/mesh.ts';
import { groupDicomFiles } from '../../src/data/dicom-series.ts';
import expected from './corpus/expected.json';

interface Stats {
  count: number;
  nan: number;
  posinf: number;
  neginf: number;
  min: number | null;
  max: number | null;
  sum: number;
  weighted: number;
  first: (number | null)[];
}
interface VolumeExpect {
  dimensions: number[];
  spacing: (number | null)[];
  origin: number[];
  direction: number[];
  pixelType?: string;
  frames?: number;
  scaling?: { slope: number; inter: number };
  niftiCodes?: { qform: number; sform: number };
  stats: Stats;
}
interface MeshExpect {
  points: number;
  polys: number;
  lines: number;
  bounds: number[];
  area: number;
  solids?: number[];
}
interface Case {
  name: string;
  kind: 'volume' | 'mesh' | 'dicom-groups';
  files: string[];
  frame?: number;
  reference: string;
  note: string;
  expect?: VolumeExpect | MeshExpect | { groups: number[] };
  refuse?: { error: string; words: string };
}

// Read through Vitest's file command, not fetched: a dev server sends .gz files with
// Content-Encoding: gzip, and the browser would inflate the cut and the bomb ones itself.
async function bytesOf(file: string): Promise<Uint8Array> {
  const bin = atob(await commands.readFile(`test/data/corpus/${file}`, 'base64'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function named(c: Case): Promise<{ name: string; bytes: Uint8Array }[]> {
  // Files in a folder of their own (a DICOM series) keep it in their name: series share names.
  return Promise.all(c.files.map(async (f) => ({ name: f.split('/').slice(1).join('/'), bytes: await bytesOf(f) })));
}

function stats(data: ArrayLike<number>): Stats {
  let [nan, posinf, neginf, sum, weighted] = [0, 0, 0, 0, 0];
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isNaN(v)) nan++;
    else if (v === Infinity) posinf++;
    else if (v === -Infinity) neginf++;
    else {
      sum += v;
      weighted += v * ((i % 997) + 1);
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const first = Array.from({ length: Math.min(4, data.length) }, (_, i) => (Number.isFinite(data[i]!) ? data[i]! : null));
  return { count: data.length, nan, posinf, neginf, min: min === Infinity ? null : min, max: max === -Infinity ? null : max, sum, weighted, first };
}

function close(actual: number, want: number, what: string, tol = 1e-5): void {
  expect(Math.abs(actual - want), `${what}: ${actual} vs ${want}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want)));
}

const PIXEL_TYPE: Record<string, string> = {
  Int8Array: 'int8', Uint8Array: 'uint8', Int16Array: 'int16', Uint16Array: 'uint16', Int32Array: 'int32', Uint32Array: 'uint32', Float32Array: 'float32', Float64Array: 'float64',
};

function compareVolume(v: Volume, e: VolumeExpect): void {
  expect(v.dimensions).toEqual(e.dimensions);
  e.spacing.forEach((s, i) => s !== null && close(v.spacing[i]!, s, `spacing[${i}]`));
  e.origin.forEach((o, i) => close(v.origin[i]!, o, `origin[${i}]`));
  e.direction.forEach((d, i) => close(v.direction[i]!, d, `direction[${i}]`));
  if (e.pixelType) expect(PIXEL_TYPE[v.data.constructor.name]).toBe(e.pixelType);
  if (e.niftiCodes) expect(v.niftiCodes).toEqual(e.niftiCodes);
  const s = stats(v.data);
  expect([s.count, s.nan, s.posinf, s.neginf]).toEqual([e.stats.count, e.stats.nan, e.stats.posinf, e.stats.neginf]);
  if (e.stats.min !== null) close(s.min!, e.stats.min, 'min');
  if (e.stats.max !== null) close(s.max!, e.stats.max, 'max');
  close(s.sum, e.stats.sum, 'sum', 1e-6);
  close(s.weighted, e.stats.weighted, 'weighted sum', 1e-6);
  e.stats.first.forEach((x, i) => (x === null ? expect(Number.isFinite(s.first[i] ?? NaN)).toBe(false) : close(s.first[i]!, x, `voxel ${i}`)));
}

function meshFacts(m: Mesh): { polys: number; lines: number; bounds: number[]; area: number } {
  const p = m.points;
  const bounds = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      bounds[c] = Math.min(bounds[c]!, p[i + c]!);
      bounds[3 + c] = Math.max(bounds[3 + c]!, p[i + c]!);
    }
  }
  let [polys, area] = [0, 0];
  for (let i = 0; i < m.polys.length; i += m.polys[i]! + 1, polys++) {
    const n = m.polys[i]!;
    const a = m.polys[i + 1]! * 3;
    for (let k = 1; k < n - 1; k++) {
      const b = m.polys[i + 1 + k]! * 3;
      const c = m.polys[i + 2 + k]! * 3;
      const u = [p[b]! - p[a]!, p[b + 1]! - p[a + 1]!, p[b + 2]! - p[a + 2]!];
      const w = [p[c]! - p[a]!, p[c + 1]! - p[a + 1]!, p[c + 2]! - p[a + 2]!];
      area += 0.5 * Math.hypot(u[1]! * w[2]! - u[2]! * w[1]!, u[2]! * w[0]! - u[0]! * w[2]!, u[0]! * w[1]! - u[1]! * w[0]!);
    }
  }
  let lines = 0;
  for (let i = 0; m.lines && i < m.lines.length; i += m.lines[i]! + 1) lines++;
  return { polys, lines, bounds, area };
}

const ERRORS: Record<string, new (...a: never[]) => InputError> = { FileDamagedError, FileUnsupportedError, InputError };

let pool: Pool<BuiltinOps>;
beforeAll(() => {
  pool = createPool({ size: 1 });
});
afterAll(async () => {
  await pool.terminate();
});

/** What each case gave, for the table in the report: printed once at the end. */
const verdicts: string[] = [];
afterAll(() => console.log(`corpus verdicts\n${verdicts.join('\n')}`));

describe('reader corpus: as the reference readers read it, or refused in words', () => {
  for (const c of (expected as { cases: Case[] }).cases) {
    it(`${c.name}${c.note ? ` (${c.note})` : ''}`, async () => {
      const files = await named(c);
      const started = performance.now();
      if (c.kind === 'dicom-groups') {
        const groups = groupDicomFiles(files);
        expect(groups.series.map((g) => g.files.length).sort()).toEqual([...(c.expect as { groups: number[] }).groups].sort());
        const mixed = await pool.run('volume.read', { files }).catch((x: unknown) => x);
        expect(mixed).toBeInstanceOf(FileUnsupportedError);
        expect((mixed as Error).message).toMatch(/2 series/);
        verdicts.push(`${c.name} | ${c.reference} | ${groups.series.length} series; read together refused: ${(mixed as Error).message} | equal`);
        return;
      }
      const run = c.kind === 'mesh' ? pool.run('mesh.read', { file: files[0]! }) : pool.run('volume.read', c.frame === undefined ? { files } : { files, frame: c.frame });
      const result: unknown = await (run as Promise<unknown>).catch((x: unknown) => x);
      const ms = Math.round(performance.now() - started);
      if (c.refuse) {
        const Ctor = ERRORS[c.refuse.error]!;
        expect(result, `${c.name} should be refused`).toBeInstanceOf(Ctor);
        const e = result as InputError;
        expect(e.input).toContain(files[0]!.name);
        expect(e.message).toContain(c.refuse.words);
        expect(e.problem, 'never a bare number').not.toMatch(/^\s*-?\d+\s*$/);
        verdicts.push(`${c.name} | ${c.reference} | refused (${e.name}): ${e.message} [${ms} ms] | ${c.reference.startsWith('refuses') || !c.reference.startsWith('reads') ? 'equal' : 'stricter'}`);
        return;
      }
      if (result instanceof Error) throw result;
      if (c.kind === 'mesh') {
        const m = result as Mesh;
        const e = c.expect as MeshExpect;
        const f = meshFacts(m);
        expect(m.points.length / 3).toBe(e.points);
        expect([f.polys, f.lines]).toEqual([e.polys, e.lines]);
        e.bounds.forEach((b, i) => close(f.bounds[i]!, b, `bounds[${i}]`));
        close(f.area, e.area, 'area', 1e-4);
        if (e.solids) expect([...(m.cellData?.solid?.values ?? [])]).toEqual(e.solids);
        verdicts.push(`${c.name} | ${c.reference}: ${e.points} points, ${e.polys} polys, ${e.lines} lines | the same | equal`);
        return;
      }
      const v = result as Volume;
      const e = c.expect as VolumeExpect;
      compareVolume(v, e);
      if (e.frames && e.frames > 1) expect(v.name).toContain(`(frame ${(c.frame ?? 0) + 1} of ${e.frames})`);
      verdicts.push(`${c.name} | ${c.reference}: ${e.dimensions.join('x')} ${e.pixelType ?? ''} | ${v.dimensions.join('x')} ${PIXEL_TYPE[v.data.constructor.name]} [${ms} ms] | equal`);
    });
  }

  // How fast is a figure for a benchmark, not a test on a shared machine (it took 1.1 s once under
  // load): what is checked is that the refusal says why, from the size cap, not an allocation failure.
  it('refuses the gzip bomb by its size cap, saying so', async () => {
    const c = (expected as { cases: Case[] }).cases.find((x) => x.name === 'bomb.nii.gz')!;
    const started = performance.now();
    const e = await pool.run('volume.read', { files: await named(c) }).catch((x: unknown) => x);
    const ms = performance.now() - started;
    expect(e).toBeInstanceOf(FileDamagedError);
    expect((e as Error).message).toMatch(/decompression bomb/);
    console.log(`bomb.nii.gz refused in ${ms.toFixed(0)} ms`);
  });
});
