/**
 * A study from a folder that is not BIDS (two DICOM series and a NIfTI file: one input each),
 * read through a real File System Access directory handle (the origin's private file system,
 * which gives the same FileSystemDirectoryHandle a picker does) and written back into one.
 */
import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import '../../src/ui/app.ts';
import { readNifti } from '../../src/data/nifti-read.ts';
import { FolderReadError, folderFromDrop, folderFromHandle } from '../../src/study/folder.ts';
import { appMounter, shadow, until } from '../ui/support.ts';
import { bidsFixture } from './bids-fixture.ts';

const mount = appMounter();

async function corpus(path: string): Promise<Uint8Array> {
  const bin = atob(await commands.readFile(`test/data/corpus/generated/${path}`, 'base64'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function put(dir: FileSystemDirectoryHandle, path: string, bytes: Uint8Array): Promise<void> {
  const parts = path.split('/');
  const name = parts.pop()!;
  for (const p of parts) dir = await dir.getDirectoryHandle(p, { create: true });
  const w = await (await dir.getFileHandle(name, { create: true })).createWritable();
  await w.write(bytes as Uint8Array<ArrayBuffer>);
  await w.close();
}

describe('a study from a folder of files', () => {
  it('makes one input per DICOM series and per file, runs the median on each, and writes into a chosen folder', { timeout: 240_000 }, async () => {
    const opfs = await navigator.storage.getDirectory();
    await opfs.removeEntry('study-test', { recursive: true }).catch(() => undefined);
    const root = await opfs.getDirectoryHandle('study-test', { create: true });
    const input = await root.getDirectoryHandle('scans', { create: true });
    for (const series of ['series_a', 'series_b']) {
      for (const k of series === 'series_a' ? [0, 1, 2, 3, 4] : [0, 1, 2, 3])
        await put(input, `${series}/IM00${k}.dcm`, await corpus(`${series}/IM00${k}.dcm`));
    }
    await put(input, 'head.nii.gz', (await bidsFixture())[3]!.bytes);
    await put(input, 'series_a/notes.txt', new TextEncoder().encode('not an image'));

    const a = await mount();
    const layout = await a.study.openFolder(await folderFromHandle(input));
    expect(layout.bids).toBe(false);
    expect(layout.inputs.map((i) => [i.key, i.paths.length])).toEqual([
      ['head', 1],
      ['series_a', 5],
      ['series_b', 4],
    ]);
    expect(layout.ignored).toEqual([{ path: 'series_a/notes.txt', why: 'not a volume file the pipelines read' }]);

    await a.updateComplete;
    const select = shadow(a).querySelector<HTMLSelectElement>('select.study-pipeline')!;
    select.value = 'denoise';
    select.dispatchEvent(new Event('change'));
    const summary = await a.study.run();
    expect(summary).toMatchObject({ total: 9, done: 9, failed: 0, state: 'done' });

    const out = await root.getDirectoryHandle('out', { create: true });
    await a.study.saveToFolder(out);
    expect(a.study.state.saved).toBe('3 files written into out/');
    const written = (await folderFromHandle(out)).files;
    expect([...written.keys()].sort()).toEqual([
      'voxpool/head/head_desc-median.nii.gz',
      'voxpool/series_a/series_a_desc-median.nii.gz',
      'voxpool/series_b/series_b_desc-median.nii.gz',
    ]);
    for (const [path, file] of written) {
      const v = await readNifti([{ name: path, bytes: new Uint8Array(await file.arrayBuffer()) }]);
      expect(v.dimensions[2], path).toBe(path.includes('series_a') ? 5 : path.includes('series_b') ? 4 : 26);
    }
    await opfs.removeEntry('study-test', { recursive: true });
  });

  it('a drop of a file, not a folder, is refused in words; the page keeps running', async () => {
    expect(folderFromDrop(new DataTransfer())).toBeNull();
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(8)], 'head.nii'));
    await expect(folderFromDrop(dt)!).rejects.toThrow(FolderReadError);
    await expect(folderFromDrop(dt)!).rejects.toThrow(/is a file, not a folder: drop a folder/);

    const a = await mount();
    const zone = shadow(a).querySelector('.study')!;
    const drop = new DataTransfer();
    drop.items.add(new File([new Uint8Array(8)], 'head.nii'));
    const event = new DragEvent('drop', { dataTransfer: drop, bubbles: true, cancelable: true, composed: true });
    zone.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    await until(() => a.study.state.error, 5000, 'the refusal');
    expect(a.study.state.error).toMatch(/reading the dropped folder: .*is a file, not a folder/);
    // The page's own drop (which would open the file as a dataset) did not see it.
    expect(a.entries).toHaveLength(0);
  });
});
