/**
 * The input of the itk-wasm parity check (test/node/itk-parity.test.ts, test/parity/node-itk.test.ts):
 * a small head phantom as an NRRD file written here by hand (the format is a text header and raw
 * voxels), with a spacing and an origin that are not the defaults, and the workflow both sides run.
 */
import { makeHeadPhantom } from '../../src/data/phantom.ts';

export const ITK_INPUT = 'head.nrrd';

export function phantomNrrd(): Uint8Array {
  const v = makeHeadPhantom({ dimensions: [80, 72, 48], spacing: [1, 1, 1.3] });
  if (!(v.data instanceof Int16Array)) throw new Error('the phantom is int16');
  const header = [
    'NRRD0004',
    'type: short',
    'dimension: 3',
    'space: left-posterior-superior',
    `sizes: ${v.dimensions.join(' ')}`,
    'space directions: (1,0,0) (0,1,0) (0,0,1.3)',
    'kinds: domain domain domain',
    'endian: little',
    'encoding: raw',
    'space origin: (-40,-36,-31.2)',
    '',
    '',
  ].join('\n');
  const head = new TextEncoder().encode(header);
  const out = new Uint8Array(head.length + v.data.byteLength);
  out.set(head);
  out.set(new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength), head.length);
  return out;
}

/** What each side writes, by output file name. */
export const ITK_OUTPUTS = ['down.nrrd', 'bin.nrrd', 'resampled.mha', 'resampled.nrrd', 'surface.stl', 'surface.vtk'] as const;

export const DOWNSAMPLE = { factors: [2, 2, 2] as [number, number, number] };
export const BIN = { factors: [2, 2, 1] as [number, number, number], method: 'bin' as const };
export const RESAMPLE = { spacing: [1.5, 1.5, 1.5] as [number, number, number] };
export const ISOVALUE = 400;

/** Corpus files the second part reads: one DICOM file (GDCM through image-io) and a series (@itk-wasm/dicom). */
export const DICOM_FILE = 'public/CT_small.dcm';
export const DICOM_SERIES = ['IM000.dcm', 'IM001.dcm', 'IM002.dcm', 'IM003.dcm', 'IM004.dcm'].map((n) => `generated/series_a/${n}`);

/** elastix, kept short: one resolution, few iterations (its sampler's seed is fixed, so runs repeat). */
export const REGISTER = { transform: 'translation' as const, resolutions: 1, iterations: 20 };

export const ITK_READ_OUTPUTS = ['ct.nii', 'series.nii', 'registered.nii', 'transforms.json', 'reread.stl'] as const;
