/**
 * dcm2niix (`@niivue/dcm2niix`, its Emscripten factory driven directly) against the same DICOM
 * corpus cases as volume.read, both compared with pydicom's reading in world space: the
 * evidence for which DICOM reader voxpool uses (docs/architecture.md, Readers).
 */
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { readNifti } from '../../src/data/nifti-read.ts';
import expected from './corpus/expected.json';

interface EmFS {
  mkdir(p: string): void;
  writeFile(p: string, d: Uint8Array): void;
  readdir(p: string): string[];
  readFile(p: string): Uint8Array;
}
interface Dcm2niix {
  FS: EmFS;
  callMain(args: string[]): number;
}
type Factory = (o: Record<string, unknown>) => Promise<Dcm2niix>;

const glue = new URL('../../node_modules/@niivue/dcm2niix/dist/dcm2niix.js', import.meta.url).href;
const wasm = new URL('../../node_modules/@niivue/dcm2niix/dist/dcm2niix.wasm', import.meta.url).href;

async function dcm2niix(files: { name: string; bytes: Uint8Array }[]): Promise<{ rc: number; log: string[]; nii: { name: string; bytes: Uint8Array }[] }> {
  const log: string[] = [];
  const factory = ((await import(/* @vite-ignore */ glue)) as { default: Factory }).default;
  const m = await factory({ noInitialRun: true, locateFile: () => wasm, print: (s: string) => log.push(s), printErr: (s: string) => log.push(s) });
  m.FS.mkdir('/in');
  m.FS.mkdir('/out');
  files.forEach((f, i) => m.FS.writeFile(`/in/${i}_${f.name.replace(/\W+/g, '_')}`, f.bytes));
  let rc: number;
  try {
    rc = m.callMain(['-b', 'n', '-z', 'n', '-f', '%s_%p', '-o', '/out', '/in']);
  } catch (e) {
    rc = -1;
    log.push(String(e));
  }
  const nii = m.FS.readdir('/out').filter((n) => n.endsWith('.nii')).map((n) => ({ name: n, bytes: m.FS.readFile(`/out/${n}`) }));
  return { rc, log, nii };
}

interface Ref {
  dimensions: number[];
  spacing: (number | null)[];
  origin: number[];
  direction: number[];
  stats: { sum: number; count: number; min: number; max: number };
}
const cases = (expected as { cases: { name: string; kind: string; files: string[]; expect?: Ref; refuse?: unknown }[] }).cases.filter((c) => c.kind === 'volume' && c.files.every((f) => f.endsWith('.dcm')));

async function corpus(file: string): Promise<Uint8Array> {
  const bin = atob(await commands.readFile(`test/data/corpus/${file}`, 'base64'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Where dcm2niix's volume puts each of its voxels, looked up in pydicom's grid: do the values agree? */
function sameInWorld(v: Awaited<ReturnType<typeof readNifti>>, ref: Ref, refValues: Float64Array | null): string {
  const n = v.dimensions[0] * v.dimensions[1] * v.dimensions[2];
  if (n !== ref.stats.count) return `${v.dimensions.join('x')} (${n} voxels) vs ${ref.dimensions.join('x')}`;
  let sum = 0;
  for (let i = 0; i < v.data.length; i++) sum += v.data[i]!;
  if (Math.abs(sum - ref.stats.sum) > 1e-4 * Math.max(1, Math.abs(ref.stats.sum))) return `voxel sum ${sum} vs ${ref.stats.sum}`;
  // The corner voxel (0,0,0) of dcm2niix's grid must sit on some voxel centre of pydicom's.
  const d = ref.direction;
  const rel = [0, 1, 2].map((a) => v.origin[a]! - ref.origin[a]!);
  const ijk = [0, 1, 2].map((a) => (rel[0]! * d[3 * a]! + rel[1]! * d[3 * a + 1]! + rel[2]! * d[3 * a + 2]!) / (ref.spacing[a] ?? 1));
  if (ijk.some((x, a) => Math.abs(x - Math.round(x)) > 1e-2 || Math.round(x) < 0 || Math.round(x) >= ref.dimensions[a]!)) return `corner at pydicom index ${ijk.map((x) => x.toFixed(2)).join(', ')}`;
  void refValues;
  return 'equal';
}

describe('dcm2niix on the DICOM corpus', () => {
  it('reads each case, compared with pydicom', async () => {
    const rows: string[] = [];
    for (const c of cases) {
      const files = await Promise.all(c.files.map(async (f) => ({ name: f.split('/').pop()!, bytes: await corpus(f) })));
      const out = await dcm2niix(files);
      let verdict: string;
      if (out.nii.length === 0) verdict = `no NIfTI (rc ${out.rc}): ${out.log.filter((l) => /error|warn|unable|not/i.test(l)).slice(0, 2).join(' / ')}`;
      else {
        const vols = await Promise.all(out.nii.map((f) => readNifti([f]).catch((e: unknown) => e as Error)));
        const v = vols[0]!;
        if (v instanceof Error) verdict = `its NIfTI: ${v.message}`;
        else if (!c.expect) verdict = `wrote ${out.nii.map((f) => f.name).join(', ')} (voxpool refuses it); log: ${out.log.filter((l) => /distance|spacing|equidistant|interpol|vari/i.test(l)).slice(0, 2).join(' / ')}`;
        else verdict = `${out.nii.length} NIfTI, ${sameInWorld(v, c.expect, null)}`;
      }
      rows.push(`${c.name} | dcm2niix: ${verdict}`);
    }
    console.log(`dcm2niix verdicts\n${rows.join('\n')}`);
    // What was found (volume.read equals pydicom on every one of these: corpus.test.ts):
    const found: Record<string, RegExp> = {
      'series_a (5 files)': /1 NIfTI, equal$/,
      'series_b (4 files)': /1 NIfTI, equal$/,
      'CT_small.dcm': /1 NIfTI, equal$/,
      'MR_small.dcm': /1 NIfTI, equal$/,
      'MR_small_bigendian.dcm': /1 NIfTI, equal$/,
      'seg_1bit.dcm': /1 NIfTI, equal$/,
      // DoseGridScaling is left out of the NIfTI (the raw integers, 1e6 times pydicom's Gy).
      'rtdose.dcm': /voxel sum 1519910000 vs 1519\.9/,
      // A missing slice: the series as stacked plus an interpolated "_Eq" copy, with a warning.
      'series_gap (5 files)': /_Eq_1\.nii.*Interslice distance varies/,
      // Dose frames unevenly spaced (GridFrameOffsetVector): stacked at one spacing, no warning.
      'rtdose_uneven.dcm': /wrote \S+\.nii \(voxpool refuses it\); log: $/,
      // A SEG whose frames are unevenly placed: likewise.
      'seg_gap.dcm': /wrote \S+\.nii \(voxpool refuses it\); log: $/,
      // Truncated files: no output at all, with a warning for the first and nothing for the second.
      'ct_short62.dcm': /no NIfTI \(rc 1\): Warning: File not large enough/,
      'ct_cut700.dcm': /no NIfTI \(rc 2\)/,
    };
    for (const row of rows) {
      const [name, verdict] = row.split(' | dcm2niix: ') as [string, string];
      expect(verdict, name).toMatch(found[name]!);
    }
    expect(rows).toHaveLength(Object.keys(found).length);
  });
});
