/**
 * Writing a study's results: into a folder the user chose (File System Access:
 * `getDirectoryHandle(name, { create: true })` down the path, then a writable per file), or as
 * one zip (fflate's `zipSync`; NIfTI .gz is stored, not deflated again).
 */
import { zipSync, type Zippable } from 'fflate';

export interface OutputFile {
  /** `/`-separated, relative to the output folder. */
  path: string;
  bytes: Uint8Array;
}

export class OutputWriteError extends Error {
  override name = 'OutputWriteError';
}

/** Writes every file under `root`, making folders as needed. */
export async function writeToFolder(root: FileSystemDirectoryHandle, files: readonly OutputFile[]): Promise<void> {
  for (const f of files) {
    const parts = f.path.split('/');
    const name = parts.pop()!;
    try {
      let dir = root;
      for (const part of parts) dir = await dir.getDirectoryHandle(part, { create: true });
      const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
      await writable.write(f.bytes as Uint8Array<ArrayBuffer>);
      await writable.close();
    } catch (e) {
      throw new OutputWriteError(`could not write ${f.path} into ${root.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** One zip of all the files; already-compressed ones (.gz, .zip) are stored as they are. */
export function zipFiles(files: readonly OutputFile[]): Uint8Array {
  const tree: Zippable = {};
  for (const f of files) tree[f.path] = [f.bytes, { level: /\.(gz|zip)$/i.test(f.path) ? 0 : 6 }];
  return zipSync(tree);
}
