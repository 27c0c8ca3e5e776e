/**
 * Compile-time checks of what the reading ops take (checked by `tsc --noEmit` in `npm test`):
 * Files, a FileList, { name, bytes } with a Uint8Array or a Blob; not a bare Blob.
 */
import type { createPool } from './support.ts';
import type { FileInput, Mesh, NamedBytes, Volume } from '../../src/index.ts';

declare const pool: ReturnType<typeof createPool>;
declare const file: File;
declare const list: FileList;
declare const blob: Blob;

export async function checks(): Promise<void> {
  const a: Volume = await pool.run('volume.read', { files: [file] });
  const b: Volume = await pool.run('volume.read', { files: list });
  const c: Volume = await pool.run('volume.read', {
    files: [
      { name: 'a.nii', bytes: blob },
      { name: 'b.nii', bytes: new Uint8Array(4) },
    ],
  });
  const d: Mesh = await pool.run('mesh.read', { file });
  const e: Mesh = await pool.run('mesh.read', { file: { name: 'm.stl', bytes: blob } });
  const written: NamedBytes = await pool.run('volume.write', { volume: a, format: 'nii' });
  const again: FileInput = written;
  void [b, c, d, e, again];

  // @ts-expect-error: a bare Blob has no name to say its format
  void pool.run('volume.read', { files: [blob] });
  // @ts-expect-error: mesh.read takes one file, not a list
  void pool.run('mesh.read', { file: list });
}
