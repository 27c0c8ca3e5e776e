/**
 * A study in the page: a BIDS folder of three subjects (and a fourth whose file is damaged) run
 * through the surface pipeline on the app's pool, in parallel; a grid of subjects × steps in
 * words; the damaged subject fails alone; the derivatives read back.
 */
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { unzipSync } from 'fflate';
import '../../src/ui/app.ts';
import { readNifti } from '../../src/data/nifti-read.ts';
import { readStl } from '../../src/data/stl.ts';
import { cellCount } from '../../src/data/mesh.ts';
import { zipFiles } from '../../src/study/sink.ts';
import { studyOutputs, STUDY_DB, STUDY_ID } from '../../src/ui/study.ts';
import { openWorkflowStore } from '../../src/graph/store.ts';
import type { PickedFolder } from '../../src/study/folder.ts';
import { appMounter, shadow, until } from '../ui/support.ts';
import { bidsFixture, FIXTURE_GRID } from './bids-fixture.ts';

const mount = appMounter();

async function folder(damaged: boolean): Promise<PickedFolder> {
  const files = new Map<string, File>();
  for (const f of await bidsFixture()) files.set(f.path, new File([f.bytes as Uint8Array<ArrayBuffer>], f.path.split('/').pop()!));
  if (damaged) {
    // A gzip stream cut short: the reader must refuse it by name.
    const good = (await bidsFixture())[3]!.bytes;
    files.set('sub-04/anat/sub-04_T1w.nii.gz', new File([good.slice(0, 300) as Uint8Array<ArrayBuffer>], 'sub-04_T1w.nii.gz'));
  }
  return { name: 'ds-test', files };
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

describe('a study in the page', () => {
  it('runs every subject in parallel, shows a grid in words, a damaged subject fails alone, derivatives read back', { timeout: 240_000 }, async () => {
    const a = await mount();
    const layout = await a.study.openFolder(await folder(true));
    expect(layout.bids).toBe(true);
    expect(layout.inputs.map((i) => i.key)).toEqual(['sub-01_T1w', 'sub-02_ses-1_T1w', 'sub-03_T1w', 'sub-04_T1w']);
    expect(layout.ignored.length).toBe(3);
    await a.updateComplete;
    expect(shadow(a).querySelector('.study-found p')!.textContent!.replace(/\s+/g, ' ')).toMatch(
      /A BIDS dataset “ds-test”: 4 inputs \(4 subjects\), 3 files ignored/,
    );

    const summary = await a.study.run();
    // 4 inputs × (read + 4 steps + 4 files); sub-04's read fails and its 8 later tasks are skipped.
    // (The grid says why in words: checked below.)
    expect(summary).toMatchObject({ total: 36, done: 27, failed: 1, skipped: 8, state: 'failed' });
    const wf = a.study.workflow!;
    // In parallel: some step of one subject ran while another subject's did.
    const ran = wf.tasks().filter((t) => t.startedAt !== null && t.endedAt !== null);
    const overlap = ran.some((x) =>
      ran.some((y) => x.label.split(' · ')[0] !== y.label.split(' · ')[0] && x.startedAt! < y.endedAt! && y.startedAt! < x.endedAt!),
    );
    expect(overlap).toBe(true);

    await a.updateComplete;
    const table = shadow(a).querySelector('table.study-grid')!;
    expect([...table.querySelectorAll('thead th')].map((th) => [th.getAttribute('scope'), th.textContent])).toEqual([
      ['col', 'Input'],
      ['col', 'read'],
      ['col', 'smooth'],
      ['col', 'threshold'],
      ['col', 'components'],
      ['col', 'isosurface'],
    ]);
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) => [
      tr.querySelector('th[scope="row"]')!.textContent,
      ...[...tr.querySelectorAll('td')].map((td) => td.textContent),
    ]);
    for (const row of rows.slice(0, 3)) expect(row.slice(1)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(rows[1]![0]).toBe('sub-02 · ses-1 · T1w');
    const broken = rows[3]!;
    expect(broken[0]).toBe('sub-04 · T1w');
    expect(broken[1]).toMatch(/^failed: .*sub-04_T1w\.nii\.gz/);
    expect(broken.slice(2)).toEqual(Array(4).fill('skipped: read failed'));

    // The derivatives, as the zip holds them; each NIfTI read back by our reader and by nibabel.
    const outputs = await studyOutputs(wf, a.study.state.manifest!);
    const entries = unzipSync(zipFiles(outputs));
    const names = Object.keys(entries).sort();
    const expected = ['derivatives/voxpool/dataset_description.json'];
    for (const [dir, stem] of [
      ['sub-01/anat', 'sub-01'],
      ['sub-02/ses-1/anat', 'sub-02_ses-1'],
      ['sub-03/anat', 'sub-03'],
    ]) {
      for (const d of ['smooth', 'mask', 'components']) expected.push(`derivatives/voxpool/${dir}/${stem}_desc-${d}_T1w.nii.gz`);
      expected.push(`derivatives/voxpool/${dir}/${stem}_desc-surface_T1w.stl`);
    }
    expect(names).toEqual(expected.sort());
    const description = JSON.parse(new TextDecoder().decode(entries['derivatives/voxpool/dataset_description.json'])) as {
      DatasetType: string;
      GeneratedBy: { Name: string }[];
    };
    expect(description.DatasetType).toBe('derivative');
    expect(description.GeneratedBy[0]!.Name).toBe('voxpool');
    for (const name of names.filter((n) => n.endsWith('.nii.gz'))) {
      const v = await readNifti([{ name, bytes: entries[name]! }]);
      expect(v.dimensions, name).toEqual(FIXTURE_GRID.dimensions);
      expect(v.spacing, name).toEqual(FIXTURE_GRID.spacing);
      if (name.includes('desc-mask')) expect(new Set(v.data).size, name).toBe(2);
    }
    const mask = names.find((n) => n.includes('sub-01_desc-mask'))!;
    const ref = await commands.nibabelRead([{ name: 'mask.nii.gz', base64: base64(entries[mask]!) }]);
    expect(ref.shape).toEqual(FIXTURE_GRID.dimensions);
    const ours = await readNifti([{ name: mask, bytes: entries[mask]! }]);
    expect(ref.values).toEqual(Array.from(ours.data));
    for (const name of names.filter((n) => n.endsWith('.stl'))) expect(cellCount(readStl(name, entries[name]!).polys), name).toBeGreaterThan(100);

    // The next visit shows the finished run, its grid and its results, and runs nothing.
    const b = await mount();
    await until(() => b.study.workflow, 10_000, 'finished study loaded');
    await b.updateComplete;
    expect(b.study.state.stored).toBeNull();
    expect(shadow(b).querySelectorAll('table.study-grid td[data-state="done"]').length).toBe(15);
    expect(shadow(b).querySelector('button.study-zip')).not.toBeNull();
    expect((await studyOutputs(b.study.workflow!, b.study.state.manifest!)).map((f) => f.path).sort()).toEqual(expected.sort());
    expect(b.pool!.tasks()).toHaveLength(0);
  });

  it('a new page resumes a study left in the middle without running a finished step again', { timeout: 240_000 }, async () => {
    const a = await mount();
    await a.study.openFolder(await folder(false));
    const run = a.study.run();
    await until(() => (a.study.workflow?.summary().done ?? 0) >= 6, 120_000, 'six tasks done');
    const before = a.study.workflow!;
    a.remove(); // as a reload would: the page's pool goes at once
    await run;
    await before.flush().catch(() => undefined);
    const store = await openWorkflowStore(STUDY_DB);
    const kept = await store.load(STUDY_ID);
    store.close();
    const doneBefore = kept!.tasks.filter((t) => t.place === 'done').map((t) => t.label);
    expect(doneBefore.length).toBeGreaterThanOrEqual(1);
    expect(doneBefore.length).toBeLessThan(27);

    const b = await mount();
    const stored = await until(() => b.study.state.stored, 10_000, 'stored study offered');
    expect(stored.inputs.length).toBe(3);
    await b.updateComplete;
    expect(shadow(b).querySelector('.resume')!.textContent).toMatch(/did not finish/);
    const summary = await b.study.resume();
    expect(summary).toMatchObject({ total: 27, done: 27, failed: 0, state: 'done' });
    const ranAgain = b.pool!.tasks().map((t) => t.label);
    for (const label of doneBefore) expect(ranAgain).not.toContain(label);
    expect((await studyOutputs(b.study.workflow!, b.study.state.manifest!)).length).toBe(13);
  });
});
