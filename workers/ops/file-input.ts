/**
 * What the file-reading ops (volume.read, mesh.read) take besides `{ name, bytes }`: a browser
 * `File` (from an `<input type="file">` or a drop), a `FileList`, or `{ name, bytes: Blob }`.
 * Files and Blobs reach the worker as they are (posting one shares its data, the page copies
 * nothing) and are read here, off the page's thread. A bare Blob is refused: it has no name,
 * and the name is what says its format.
 */
import { InputError } from '../../src/worker/index.ts';
import type { NamedBytes } from './io-volume.ts';

export interface NamedBlob {
  name: string;
  bytes: Blob;
}

/** One file, as a reading op takes it. */
export type FileInput = NamedBytes | NamedBlob | File;

/** Several files (a DICOM series), as `volume.read` takes them. */
export type FilesInput = readonly FileInput[] | FileList;

export async function namedBytes(file: FileInput | Blob | null | undefined, label: string): Promise<NamedBytes> {
  if (typeof File !== 'undefined' && file instanceof File) return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
  if (typeof Blob !== 'undefined' && file instanceof Blob) {
    throw new InputError(label, 'is a Blob without a file name, and the name says its format: pass a File, or { name, bytes: blob }');
  }
  // Blobs and Files are ruled out above: what is left is { name, bytes } or no file at all.
  const named = file as NamedBytes | NamedBlob | null | undefined;
  if (typeof Blob !== 'undefined' && named?.bytes instanceof Blob) return { name: named.name, bytes: new Uint8Array(await named.bytes.arrayBuffer()) };
  // { name, bytes: Uint8Array } (or something else, which the op's own checks refuse by name).
  return named as NamedBytes;
}

/** The files as a list of NamedBytes; null when `files` is no list at all (the op says so). */
export async function namedBytesList(files: FilesInput | null | undefined, label: string): Promise<NamedBytes[] | null> {
  const list = Array.isArray(files) ? (files as readonly FileInput[]) : typeof FileList !== 'undefined' && files instanceof FileList ? Array.from(files) : null;
  if (!list) return null;
  return Promise.all(list.map((f, i) => namedBytes(f, `${label}[${i}]`)));
}
