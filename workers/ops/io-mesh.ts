/**
 * Reading mesh files: STL, OBJ, GIfTI and FreeSurfer surfaces with parsers of our own (see each
 * module for why), VTK PolyData with itk-wasm's mesh-io; writing with mesh-io. In this worker's thread.
 */
import { defineOp, FileUnsupportedError, InputError } from '../../src/worker/index.ts';
import { itkMeshToMesh, meshToItkMesh } from '../../src/data/itk-mesh.ts';
import type { Mesh } from '../../src/data/mesh.ts';
import { checkMesh } from '../../src/data/validate.ts';
import { itkPackage, pipelineLoadFailed, unshared } from '../../wasm/itk/worker.ts';
import type { NamedBytes } from './io-volume.ts';
import { namedBytes, type FileInput } from './file-input.ts';
import { readStl } from '../../src/data/stl.ts';
import { readObj } from '../../src/data/obj.ts';
import { readGifti } from '../../src/data/gifti.ts';
import { isFreeSurferSurface, readFreeSurferSurface } from '../../src/data/freesurfer-surface.ts';
import { itkFailure } from './itk-failure.ts';
import { checkParams } from '../../src/core/op-spec.ts';
import { builtinSpecs, type MeshFormat } from '../specs.ts';

export type { MeshFormat };

export interface WriteMeshInput {
  mesh: Mesh;
  format: MeshFormat;
}

const meshIo = itkPackage('mesh-io', () => import('@itk-wasm/mesh-io'));

export const readMeshFile = defineOp(async (input: { file: FileInput }): Promise<Mesh> => {
  const file = await namedBytes(input.file, 'input.file');
  if (!file || !(file.bytes instanceof Uint8Array)) throw new InputError(file?.name ?? 'input.file', 'no file bytes given');
  // FreeSurfer surfaces go by their magic bytes: their names (lh.pial, rh.white) have no fixed extension.
  const freeSurfer = isFreeSurferSurface(file.bytes);
  if (!freeSurfer && !/\.(stl|obj|vtk|gii)$/i.test(file.name ?? '')) {
    throw new FileUnsupportedError(
      file.name ?? 'input.file',
      'unsupported file type: expected .stl, .obj, .vtk, .gii (GIfTI) or a FreeSurfer surface (lh.pial, rh.white, ...)',
    );
  }
  if (file.bytes.length === 0) throw new InputError(file.name, 'the file is empty');
  if (freeSurfer) return checked(readFreeSurferSurface(file.name, file.bytes));
  if (/\.gii$/i.test(file.name)) return checked(await readGifti(file.name, file.bytes));
  // STL and OBJ are parsed here: ITK's readers decide binary STL by the word "solid", trust its
  // triangle count, keep one solid, drop OBJ lines and refuse negative indices.
  if (/\.stl$/i.test(file.name)) return checked(readStl(file.name, file.bytes));
  if (/\.obj$/i.test(file.name)) return checked(readObj(file.name, file.bytes));
  let mesh;
  try {
    const { readMesh } = await meshIo();
    ({ mesh } = await readMesh({ path: file.name, data: file.bytes }, { webWorker: false }));
  } catch (e) {
    if (pipelineLoadFailed(e)) throw e; // the site's missing asset, not a bad file
    throw itkFailure(file.name, e, 'ITK could not read it');
  }
  return itkMeshToMesh(mesh, file.name);
});

function checked(mesh: Mesh): Mesh {
  checkMesh(mesh, mesh.name);
  return mesh;
}

export const writeMeshFile = defineOp(async (input: WriteMeshInput): Promise<NamedBytes> => {
  const { mesh } = input;
  const { format } = checkParams(builtinSpecs['mesh.write'], input);
  checkMesh(mesh);
  const stem = (mesh.name || 'mesh').replace(/\.(stl|obj|vtk)$/i, '').replace(/[^\w.-]+/g, '_');
  const name = `${stem}.${format}`;
  const { writeMesh } = await meshIo();
  const { serializedMesh } = await writeMesh(meshToItkMesh(mesh), name, { webWorker: false, binaryFileType: format !== 'obj' });
  return { name, bytes: unshared(serializedMesh.data) };
});
