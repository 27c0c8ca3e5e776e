/**
 * Reading and writing volume files with itk-wasm's image-io pipelines, run in this worker's own
 * thread (`webWorker: false`: no nested workers). Pipelines load from the site itself (staged by
 * wasm/itk-assets.ts), never from a CDN.
 */
import { readImage, setPipelinesBaseUrl, writeImage } from '@itk-wasm/image-io';
import { defineOp, InputError } from '../../src/worker/index.ts';
import { stagedPipelines, unshared } from './itk-support.ts';
import { itkImageToVolume, volumeToItkImage } from '../../src/data/itk-image.ts';
import { voxelCount, type Volume } from '../../src/data/volume.ts';
import { checkVolume } from './gaussian-vtk.ts';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export type VolumeFormat = 'nii' | 'nii.gz' | 'nrrd' | 'mha';

const READABLE = /\.(nii|nii\.gz|nrrd|nhdr|mha|mhd)$/i;

let configured = false;
/** Points image-io at the staged pipelines, once per worker. */
function configure(): void {
  if (configured) return;
  setPipelinesBaseUrl(stagedPipelines('image-io'));
  configured = true;
}

export const readVolume = defineOp(async (input: { files: NamedBytes[] }): Promise<Volume> => {
  configure();
  const files = input.files;
  if (!Array.isArray(files) || files.length === 0) throw new InputError('input.files', 'no file given');
  if (files.length > 1) throw new InputError(files[0]!.name, `${files.length} files given: DICOM series are not supported yet, give one NIfTI, NRRD or MetaImage file`);
  const file = files[0]!;
  if (!READABLE.test(file.name)) throw new InputError(file.name, 'unsupported file type: expected .nii, .nii.gz, .nrrd or .mha');
  if (!(file.bytes instanceof Uint8Array) || file.bytes.length === 0) throw new InputError(file.name, 'the file is empty');
  let image;
  try {
    ({ image } = await readImage({ path: file.name, data: file.bytes }, { webWorker: false }));
  } catch (e) {
    throw new InputError(file.name, `could not be read (corrupt or truncated?): ${e instanceof Error ? e.message : String(e)}`);
  }
  const volume = itkImageToVolume(image, file.name);
  volume.data = unshared(volume.data);
  if (voxelCount(volume) === 0) throw new InputError(file.name, 'has no voxels (a zero dimension)');
  if (volume.data.length !== voxelCount(volume) * volume.components) throw new InputError(file.name, 'holds fewer voxels than its header says (truncated?)');
  return volume;
});

export const writeVolume = defineOp(async (input: { volume: Volume; format: VolumeFormat }): Promise<NamedBytes> => {
  configure();
  checkVolume(input.volume);
  const format = input.format;
  if (!['nii', 'nii.gz', 'nrrd', 'mha'].includes(format)) throw new InputError('input.format', `unknown format "${String(format)}" (nii, nii.gz, nrrd or mha)`);
  const stem = (input.volume.name || 'volume').replace(/\.(nii\.gz|nii|nrrd|nhdr|mha|mhd)$/i, '').replace(/[^\w.-]+/g, '_');
  const name = `${stem}.${format}`;
  const { serializedImage } = await writeImage(volumeToItkImage(input.volume), name, { webWorker: false });
  return { name, bytes: unshared(serializedImage.data) };
});
