/**
 * The page with real DICOM: a drop of two series and one with a missing slice lists the two as
 * datasets of their own and says, in words, where the third one's gap is.
 */
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import '../../src/ui/app.ts'; // defines <voxpool-app>
import { sortFiles } from '../../src/ui/files.ts';
import { appMounter, shadow, until } from './support.ts';

const mount = appMounter();

async function corpusFile(path: string): Promise<File> {
  const bin = atob(await commands.readFile(`test/data/corpus/generated/${path}`, 'base64'));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  // A folder picker gives bare names: the three series share theirs, as scanners' exports do.
  return new File([bytes], `${path.split('/')[0]}-${path.split('/')[1]}`);
}

async function drop(): Promise<File[]> {
  const names = [
    ...[0, 1, 2, 3, 4].map((k) => `series_a/IM00${k}.dcm`),
    ...[0, 1, 2, 3].map((k) => `series_b/IM00${k}.dcm`),
    ...[0, 1, 2, 3, 4].map((k) => `series_gap/IM00${k}.dcm`),
  ];
  const files = await Promise.all(names.map(corpusFile));
  // Shuffled, as a drop of a whole folder may give them.
  return files
    .map((f, i) => ({ f, key: (i * 7) % files.length }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.f);
}

describe('dropped DICOM files', () => {
  it('are sorted into series by their headers, and a series with a gap is known before reading', async () => {
    const files = await drop();
    const bytes = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    const { requests } = sortFiles(bytes);
    expect(requests).toHaveLength(3);
    const sizes = requests.map((r) => (r.kind === 'volume' ? r.files.length : 0)).sort();
    expect(sizes).toEqual([4, 5, 5]);
    const gap = requests.find((r) => r.kind === 'volume' && r.problem);
    expect(gap?.kind === 'volume' && gap.problem).toMatch(
      /slice 4 of 5 \(series_gap-IM003\.dcm\) is 5 mm after slice 3, where the others are 2\.5 mm apart: a slice is missing there/,
    );
    expect(requests.filter((r) => r.kind === 'volume' && !r.problem)).toHaveLength(2);
  });

  it('the page lists each series as a dataset and says which one has a gap', async () => {
    const a = await mount();
    await a.openFiles(await drop());
    const entries = await until(
      () => {
        const list = [...shadow(a).querySelectorAll('.entry label')].map((l) => l.textContent ?? '');
        return list.length === 2 ? list : null;
      },
      30_000,
      'two series read',
    );
    expect(entries.map((e) => e.replace(/\s+/g, ' ').trim()).sort()).toEqual(['volume series_a-IM000.dcm (5 files)', 'volume series_b-IM000.dcm (4 files)']);
    const alert = shadow(a).querySelector('.errors')!.textContent!.replace(/\s+/g, ' ');
    expect(alert).toContain('series_gap-IM000.dcm (5 files): slice 4 of 5 (series_gap-IM003.dcm) is 5 mm after slice 3');
  });
});
