/**
 * Reading and writing volume files. NIfTI and Analyze are read by our own reader
 * (src/data/nifti-read.ts, as nibabel reads them); the rest by itk-wasm's image-io pipelines (and
 * @itk-wasm/dicom for a DICOM series, after its headers are checked), run in this worker's own
 * thread (`webWorker: false`: no nested workers). Pipelines load from the site itself (staged
 * by wasm/itk/assets.ts), never from a CDN. See docs/architecture.md, Readers.
 */
import type { Image } from 'itk-wasm';
import { defineOp, FileUnsupportedError, InputError } from '../../src/worker/index.ts';
import { itkPackage, pipelineLoadFailed, unshared } from '../../wasm/itk/worker.ts';
import { itkImageToVolume, volumeToItkImage } from '../../src/data/itk-image.ts';
import { checkVolume, refuseNaN } from '../../src/data/validate.ts';
import type { Volume } from '../../src/data/volume.ts';
import { checkHeader } from './volume-header.ts';
import { namedBytesList, type FilesInput } from './file-input.ts';
import { looksLikeNifti, readNifti } from '../../src/data/nifti-read.ts';
import { inflateCapped, isGzip } from '../../src/data/inflate.ts';
import { itkFailure } from './itk-failure.ts';
import { checkDicomFiles } from './dicom-checks.ts';
import { joinMetaImage, joinNrrd } from '../../src/data/detached.ts';
import { withNiftiCodes } from '../../src/data/nifti-codes.ts';
import { NiftiWriteError, writeNifti, type NiftiStorage } from '../../src/data/nifti-write.ts';
import { applyDoseScaling, restoreOneBit } from './dicom-values.ts';
import { checkParams } from '../../src/core/op-spec.ts';
import { builtinSpecs, type VolumeFormat } from '../specs.ts';
import type { DicomHeader } from '../../src/data/dicom-series.ts';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export type { VolumeFormat };

const READABLE = /\.(nii|nii\.gz|hdr|hdr\.gz|nrrd|mha|dcm|mgh|mgz|mgh\.gz|vtk)$/i;
const READABLE_LIST =
  '.nii, .nii.gz, .hdr + .img (NIfTI or Analyze), .nrrd, .nhdr + its data, .mha, .mhd + its data, .dcm (or a DICOM series), .mgh, .mgz, .vtk';
/** Names our own NIfTI reader takes; any other name goes to it too when its bytes start like NIfTI. */
const NIFTI_NAME = /\.(nii|nii\.gz|hdr|hdr\.gz)$/i;

const imageIo = itkPackage('image-io', () => import('@itk-wasm/image-io'));
const dicom = itkPackage('dicom', () => import('@itk-wasm/dicom'));

/** A DICOM series: several files, sorted into one volume by GDCM. The name is the first file's. */
async function readDicomSeries(files: NamedBytes[]): Promise<Image> {
  const label = `${files[0]!.name} (DICOM series of ${files.length} files)`;
  const names = new Set<string>();
  for (const f of files) {
    if (!(f?.bytes instanceof Uint8Array) || f.bytes.length === 0) throw new InputError(f?.name ?? label, 'the file is empty');
    if (names.has(f.name)) throw new InputError(f.name, 'is given twice in the series');
    names.add(f.name);
  }
  checkDicomFiles(label, files);
  try {
    // The package's readImageDicomFileSeries always starts its own worker pool; the worker
    // function it would run there takes `webWorker: false` and runs here instead.
    // Paths in the pipeline's own file system: flat (a name may carry its folder) and unique.
    const inputs = files.map((f, i) => ({ path: `${i}-${f.name.replace(/[^\w.-]+/g, '_')}`, data: f.bytes }));
    const { readImageDicomFileSeriesWorkerFunction } = await dicom();
    const { outputImage } = await readImageDicomFileSeriesWorkerFunction(inputs, false, { webWorker: false });
    return outputImage;
  } catch (e) {
    if (pipelineLoadFailed(e)) throw e; // the site's missing asset, not a bad file
    throw itkFailure(label, e, 'GDCM could not read it as a DICOM series');
  }
}

function isRotation(d: ArrayLike<number>): boolean {
  for (let a = 0; a < 3; a++) {
    for (let b = a; b < 3; b++) {
      const dot = d[3 * a]! * d[3 * b]! + d[3 * a + 1]! * d[3 * b + 1]! + d[3 * a + 2]! * d[3 * b + 2]!;
      if (!(Math.abs(dot - (a === b ? 1 : 0)) <= 1e-3)) return false;
    }
  }
  return true;
}

/** Whether the bytes are NIfTI/Analyze, looking through gzip (the first few hundred bytes only). */
async function isNifti(file: NamedBytes): Promise<boolean> {
  if (NIFTI_NAME.test(file.name)) return true;
  if (!isGzip(file.bytes)) return looksLikeNifti(file.bytes);
  return looksLikeNifti((await inflateCapped(file.bytes, 4)).bytes);
}

export interface ReadVolumeInput {
  files: FilesInput;
  /** Which 3-D frame of a 4-D NIfTI file (default 0). */
  frame?: number;
}

export interface WriteVolumeInput {
  volume: Volume;
  format: VolumeFormat;
  storage?: NiftiStorage;
}

export const readVolume = defineOp(async (input: ReadVolumeInput): Promise<Volume> => {
  checkParams(builtinSpecs['volume.read'], input);
  const files = await namedBytesList(input.files, 'input.files');
  if (!Array.isArray(files) || files.length === 0) throw new InputError('input.files', 'no file given');
  const file = files[0]!;
  for (const f of files) {
    if (!(f?.bytes instanceof Uint8Array) || f.bytes.length === 0) throw new InputError(f?.name ?? 'input.files', 'the file is empty');
  }
  // NIfTI and Analyze are read here, not by ITK: its reader zeroes NaN and reads past short data.
  if ((files.length === 1 || /\.hdr(\.gz)?$/i.test(file.name)) && (await isNifti(file))) {
    if (files.length > 2)
      throw new InputError(
        file.name,
        `a .hdr goes with one .img; ${files.length - 1} data files were given with it (${files
          .slice(1)
          .map((f) => f.name)
          .join(', ')})`,
      );
    const volume = await readNifti(files, input.frame === undefined ? {} : { frame: input.frame });
    checkVolume(volume, file.name);
    return volume;
  }
  let image: Image;
  let dicomHeaders: DicomHeader[] = [];
  // A header with its data in another file is joined into ITK's one-file form first.
  const joined = /\.mhd$/i.test(file.name) ? joinMetaImage(file, files.slice(1)) : /\.nhdr$/i.test(file.name) ? joinNrrd(file, files.slice(1)) : null;
  if (files.length > 1 && !joined) {
    image = await readDicomSeries(files);
  } else {
    const one = joined ?? file;
    if (/\.img(\.gz)?$/i.test(one.name)) {
      throw new FileUnsupportedError(
        file.name,
        'is the voxel half of an Analyze or NIfTI pair: give it together with its .hdr, which says what the voxels are',
      );
    }
    if (/\.mnc$/i.test(one.name)) {
      // ITK's wasm MINC reader refuses MINC 1 (NetCDF), and MINC 2 could not be checked against
      // nibabel here (it needs h5py): not read rather than read unchecked.
      throw new FileUnsupportedError(file.name, 'is a MINC file, which is not read here: convert it to NIfTI first (mnc2nii, or nibabel)');
    }
    if (!READABLE.test(one.name ?? '')) throw new InputError(file.name ?? 'input.files[0]', `unsupported file type: expected ${READABLE_LIST}`);
    // Absurd sizes are refused from the header, before ITK tries to allocate them.
    await checkHeader(file.name, one.bytes);
    dicomHeaders = checkDicomFiles(file.name, [one]);
    try {
      const { readImage } = await imageIo();
      ({ image } = await readImage({ path: one.name, data: one.bytes }, { webWorker: false }));
    } catch (e) {
      if (pipelineLoadFailed(e)) throw e; // the site's missing asset, not a bad file
      throw itkFailure(file.name, e, 'ITK could not read it');
    }
  }
  let volume = itkImageToVolume(image, file.name);
  volume.data = unshared(volume.data);
  if (dicomHeaders.length === 1) volume = restoreOneBit(applyDoseScaling(volume, dicomHeaders[0]!), dicomHeaders[0]!);
  if (!isRotation(volume.direction)) {
    throw new FileUnsupportedError(
      file.name,
      'its orientation matrix is not a rotation (its axes are not unit length or not at right angles): a sheared grid is not read here',
    );
  }
  checkVolume(volume, file.name);
  return volume;
});

/**
 * `storage` (NIfTI only): `values` (the default) writes the voxels as held, so a scaled read
 * goes out as float64; `as-read` writes them back as the scaled integers the file stored, with
 * its slope and intercept, or refuses when a value is not exactly one of them.
 */
export const writeVolume = defineOp(async (input: WriteVolumeInput): Promise<NamedBytes> => {
  const { format, storage } = checkParams(builtinSpecs['volume.write'], input);
  checkVolume(input.volume);
  const nifti = format === 'nii' || format === 'nii.gz';
  const stem = (input.volume.name || 'volume').replace(/\.(nii\.gz|nii|hdr|hdr\.gz|img|nrrd|nhdr|mha|mhd|dcm|mgh|mgz|vtk)$/i, '').replace(/[^\w.-]+/g, '_');
  const name = `${stem}.${format}`;
  // Scalar NIfTI by our own writer: exact geometry, codes and scaling, NaN kept as data.
  if (nifti && input.volume.components === 1) {
    try {
      return { name, bytes: await writeNifti(input.volume, { gzip: format === 'nii.gz', storage }) };
    } catch (e) {
      if (e instanceof NiftiWriteError) throw new InputError(e.field === 'storage' ? 'input.storage' : 'input.volume', e.message);
      throw e;
    }
  }
  refuseNaN(input.volume, `input.volume (${input.volume.name})`);
  const { writeImage } = await imageIo();
  const { serializedImage } = await writeImage(volumeToItkImage(input.volume), name, { webWorker: false });
  const bytes = unshared(serializedImage.data);
  const codes = input.volume.niftiCodes;
  if (nifti && codes) return { name, bytes: await withNiftiCodes(bytes, codes) };
  return { name, bytes };
});
