/** Saving a result: written to a standard format in a worker, then handed to the browser. */
import type { Pool } from '../pool/pool.ts';
import type { Volume } from '../data/volume.ts';
import type { Mesh } from '../data/mesh.ts';
import type { FileBytes, MeshFormat, PageOps, VolumeFormat } from './page-ops.ts';

export const VOLUME_FORMATS: readonly VolumeFormat[] = ['nii.gz', 'nii', 'nrrd', 'mha'];
export const MESH_FORMATS: readonly MeshFormat[] = ['stl', 'obj', 'vtk'];

export function writeVolume(pool: Pool<PageOps>, volume: Volume, format: VolumeFormat): Promise<FileBytes> {
  return pool.run('volume.write', { volume, format }, { input: 'copy', label: `write ${format}` });
}

export function writeMesh(pool: Pool<PageOps>, mesh: Mesh, format: MeshFormat): Promise<FileBytes> {
  return pool.run('mesh.write', { mesh, format }, { input: 'copy', label: `write ${format}` });
}

/** Hands bytes to the browser as a download (a link inside `root`, so it works in a shadow tree). */
export function saveBytes(root: Node & ParentNode, file: FileBytes): void {
  const url = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>]));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.hidden = true;
  root.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
