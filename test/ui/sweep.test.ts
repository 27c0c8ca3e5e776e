import { describe, expect, it } from 'vitest';
import { SweepError, describe as name, expandSweep, parseValues } from '../../src/ui/sweep.ts';
import { sortFiles } from '../../src/ui/files.ts';

describe('sweeps', () => {
  it('reads one value, a list or a range', () => {
    expect(parseValues('sigma', '2')).toEqual([2]);
    expect(parseValues('sigma', '1, 2 4;8')).toEqual([1, 2, 4, 8]);
    expect(parseValues('r', '0:20:5')).toEqual([0, 5, 10, 15, 20]);
    expect(parseValues('r', '0.1:0.3:0.1')).toEqual([0.1, 0.2, 0.3]);
  });

  it('names the field and the problem', () => {
    expect(() => parseValues('Sigma (mm)', '1, x')).toThrow(new SweepError('Sigma (mm)', '"x" is not a number'));
    expect(() => parseValues('r', '5:1')).toThrow('r: stop 1 is below start 5');
    expect(() => parseValues('r', '')).toThrow('r: needs a value');
    expect(() => parseValues('r', '0:1000:1')).toThrow(/more than 64/);
  });

  it('runs every combination', () => {
    const combos = expandSweep({ a: [1, 2], b: [10, 20, 30] });
    expect(combos).toHaveLength(6);
    expect(combos.map(name)).toContain('a=2, b=30');
  });
});

describe('dropped files', () => {
  const f = (name: string) => ({ name, bytes: new Uint8Array(1) });
  it('reads volumes and meshes alone, DICOM slices together, headers with their data', () => {
    const { requests, rejected } = sortFiles([
      f('brain.nii.gz'),
      f('IM2.dcm'),
      f('IM10.dcm'),
      f('IM1.dcm'),
      f('skull.stl'),
      f('head.mhd'),
      f('head.raw'),
      f('readme.pdf'),
    ]);
    expect(requests.map((r) => [r.kind, r.name])).toEqual([
      ['volume', 'head.mhd'],
      ['volume', 'brain.nii.gz'],
      ['mesh', 'skull.stl'],
      ['volume', 'DICOM series (3 files)'],
    ]);
    const series = requests[3]!;
    expect(series.kind === 'volume' && series.files.map((x) => x.name)).toEqual(['IM1.dcm', 'IM2.dcm', 'IM10.dcm']);
    const header = requests[0]!;
    expect(header.kind === 'volume' && header.files.map((x) => x.name)).toEqual(['head.mhd', 'head.raw']);
    expect(rejected.map((e) => e.message)).toEqual([expect.stringContaining('readme.pdf')]);
  });
});
