/** Reading and writing mesh files (STL, OBJ, VTK PolyData) with itk-wasm's mesh-io, in this worker's thread. */
import { defineOp, InputError } from '../../src/worker/index.ts';
import { itkMeshToMesh, meshToItkMesh } from '../../src/data/itk-mesh.ts';
import type { Mesh } from '../../src/data/mesh.ts';
import { checkMesh } from '../../src/data/validate.ts';
import { itkPackage, pipelineLoadFailed, unshared } from '../../wasm/itk/worker.ts';
import type { NamedBytes } from './io-volume.ts';
import { namedBytes, type FileInput } from './file-input.ts';

export type MeshFormat = 'stl' | 'obj' | 'vtk';

const meshIo = itkPackage('mesh-io', () => import('@itk-wasm/mesh-io'));

export const readMeshFile = defineOp(async (input: { file: FileInput }): Promise<Mesh> => {
  const file = await namedBytes(input.file, 'input.file');
  if (!file || !/\.(stl|obj|vtk)$/i.test(file.name ?? '')) throw new InputError(file?.name ?? 'input.file', 'unsupported file type: expected .stl, .obj or .vtk');
  if (!(file.bytes instanceof Uint8Array) || file.bytes.length === 0) throw new InputError(file.name, 'the file is empty');
  let mesh;
  try {
    const { readMesh } = await meshIo();
    ({ mesh } = await readMesh({ path: file.name, data: file.bytes }, { webWorker: false }));
  } catch (e) {
    if (pipelineLoadFailed(e)) throw e; // the site's missing asset, not a bad file
    throw new InputError(file.name, `could not be read (corrupt or truncated?): ${e instanceof Error ? e.message : String(e)}`);
  }
  return itkMeshToMesh(mesh, file.name);
});

export const writeMeshFile = defineOp(async (input: { mesh: Mesh; format: MeshFormat }): Promise<NamedBytes> => {
  const { mesh, format } = input;
  if (!['stl', 'obj', 'vtk'].includes(format)) throw new InputError('input.format', `unknown format "${String(format)}" (stl, obj or vtk)`);
  checkMesh(mesh);
  const stem = (mesh.name || 'mesh').replace(/\.(stl|obj|vtk)$/i, '').replace(/[^\w.-]+/g, '_');
  const name = `${stem}.${format}`;
  const { writeMesh } = await meshIo();
  const { serializedMesh } = await writeMesh(meshToItkMesh(mesh), name, { webWorker: false, binaryFileType: format !== 'obj' });
  return { name, bytes: unshared(serializedMesh.data) };
});
