/**
 * Reading and writing volume files with itk-wasm's image-io pipelines (and @itk-wasm/dicom for
 * a DICOM series), run in this worker's own thread (`webWorker: false`: no nested workers).
 * Pipelines load from the site itself (staged by wasm/itk/assets.ts), never from a CDN.
 */
import type { Image } from 'itk-wasm';
import { defineOp, InputError } from '../../src/worker/index.ts';
import { itkPackage, pipelineLoadFailed, unshared } from '../../wasm/itk/worker.ts';
import { itkImageToVolume, volumeToItkImage } from '../../src/data/itk-image.ts';
import { checkVolume, refuseNaN } from '../../src/data/validate.ts';
import type { Volume } from '../../src/data/volume.ts';
import { checkHeader } from './volume-header.ts';
import { namedBytesList, type FilesInput } from './file-input.ts';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export type VolumeFormat = 'nii' | 'nii.gz' | 'nrrd' | 'mha';

const READABLE = /\.(nii|nii\.gz|nrrd|nhdr|mha|dcm|mgh|mgz|mgh\.gz|vtk)$/i;
const READABLE_LIST = '.nii, .nii.gz, .nrrd, .nhdr, .mha, .dcm (or a DICOM series), .mgh, .mgz, .vtk';

const imageIo = itkPackage('image-io', () => import('@itk-wasm/image-io'));
const dicom = itkPackage('dicom', () => import('@itk-wasm/dicom'));

function problem(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A DICOM series: several files, sorted into one volume by GDCM. The name is the first file's. */
async function readDicomSeries(files: NamedBytes[]): Promise<Image> {
  const label = `${files[0]!.name} (DICOM series of ${files.length} files)`;
  const names = new Set<string>();
  for (const f of files) {
    if (!(f?.bytes instanceof Uint8Array) || f.bytes.length === 0) throw new InputError(f?.name ?? label, 'the file is empty');
    if (names.has(f.name)) throw new InputError(f.name, 'is given twice in the series');
    names.add(f.name);
  }
  try {
    // The package's readImageDicomFileSeries always starts its own worker pool; the worker
    // function it would run there takes `webWorker: false` and runs here instead.
    const inputs = files.map((f) => ({ path: f.name, data: f.bytes }));
    const { readImageDicomFileSeriesWorkerFunction } = await dicom();
    const { outputImage } = await readImageDicomFileSeriesWorkerFunction(inputs, false, { webWorker: false });
    return outputImage;
  } catch (e) {
    if (pipelineLoadFailed(e)) throw e; // the site's missing asset, not a bad file
    throw new InputError(label, `could not be read as a DICOM series (corrupt, truncated or not DICOM?): ${problem(e)}`);
  }
}

export const readVolume = defineOp(async (input: { files: FilesInput }): Promise<Volume> => {
  const files = await namedBytesList(input.files, 'input.files');
  if (!Array.isArray(files) || files.length === 0) throw new InputError('input.files', 'no file given');
  const file = files[0]!;
  let image: Image;
  if (files.length > 1) {
    image = await readDicomSeries(files);
  } else {
    if (!READABLE.test(file.name ?? '')) throw new InputError(file.name ?? 'input.files[0]', `unsupported file type: expected ${READABLE_LIST}`);
    if (!(file.bytes instanceof Uint8Array) || file.bytes.length === 0) throw new InputError(file.name, 'the file is empty');
    // Absurd sizes are refused from the header, before ITK tries to allocate them.
    await checkHeader(file.name, file.bytes);
    try {
      const { readImage } = await imageIo();
      ({ image } = await readImage({ path: file.name, data: file.bytes }, { webWorker: false }));
    } catch (e) {
      if (pipelineLoadFailed(e)) throw e; // the site's missing asset, not a bad file
      throw new InputError(file.name, `could not be read (corrupt or truncated?): ${problem(e)}`);
    }
  }
  const volume = itkImageToVolume(image, file.name);
  volume.data = unshared(volume.data);
  checkVolume(volume, file.name);
  refuseNaN(volume, file.name);
  return volume;
});

export const writeVolume = defineOp(async (input: { volume: Volume; format: VolumeFormat }): Promise<NamedBytes> => {
  checkVolume(input.volume);
  refuseNaN(input.volume, `input.volume (${input.volume.name})`);
  const format = input.format;
  if (!['nii', 'nii.gz', 'nrrd', 'mha'].includes(format)) throw new InputError('input.format', `unknown format "${String(format)}" (nii, nii.gz, nrrd or mha)`);
  const stem = (input.volume.name || 'volume').replace(/\.(nii\.gz|nii|nrrd|nhdr|mha|mhd|dcm|mgh|mgz|vtk)$/i, '').replace(/[^\w.-]+/g, '_');
  const name = `${stem}.${format}`;
  const { writeImage } = await imageIo();
  const { serializedImage } = await writeImage(volumeToItkImage(input.volume), name, { webWorker: false });
  return { name, bytes: unshared(serializedImage.data) };
});
