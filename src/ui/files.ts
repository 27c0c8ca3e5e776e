/**
 * Sorting dropped or picked files into what to read: each volume file alone, each DICOM series
 * on its own (sorted by its headers: SeriesInstanceUID, orientation, size), each mesh alone.
 * Names decide the rest; the readers check the contents.
 */
import type { FileBytes } from './page-ops.ts';
import { assetBase } from '../index.ts';
import { groupDicomFiles, spacingProblem } from '../data/dicom-series.ts';

/** `problem`: what is already known to be wrong with a DICOM series (a gap), in words. */
export type ReadRequest = { kind: 'volume'; name: string; files: FileBytes[]; problem?: string } | { kind: 'mesh'; name: string; file: FileBytes };

const VOLUME = /\.(nii|nii\.gz|nrrd|nhdr|mha|mhd|raw|mgh|mgz|mnc|hdr|img)$/i;
const MESH = /\.(stl|obj|vtk|vtp|off|byu|gii|pial|white|inflated|sphere|orig|smoothwm)$/i;
const DICOM = /\.(dcm|dicom|ima)$/i;

export class UnsupportedFileError extends Error {
  constructor(readonly fileName: string) {
    super(`${fileName}: not a volume (NIfTI, NRRD, MHA, DICOM) or mesh (STL, OBJ, VTK) file name`);
    this.name = 'UnsupportedFileError';
  }
}

export interface Sorted {
  requests: ReadRequest[];
  rejected: UnsupportedFileError[];
}

/** `.mhd`/`.nhdr` headers travel with their data files; DICOM slices (or extensionless files) form one series. */
export function sortFiles(files: readonly FileBytes[]): Sorted {
  const requests: ReadRequest[] = [];
  const rejected: UnsupportedFileError[] = [];
  const series: FileBytes[] = [];
  const headers = files.filter((f) => /\.(mhd|nhdr|hdr)$/i.test(f.name));
  const dataOfHeaders = new Set<FileBytes>();
  for (const h of headers) {
    const stem = h.name.replace(/\.(mhd|nhdr|hdr)$/i, '');
    const data = files.filter((f) => f !== h && f.name.startsWith(stem) && /\.(raw|zraw|img|gz)$/i.test(f.name));
    data.forEach((d) => dataOfHeaders.add(d));
    requests.push({ kind: 'volume', name: h.name, files: [h, ...data] });
  }
  for (const f of files) {
    if (headers.includes(f) || dataOfHeaders.has(f)) continue;
    if (DICOM.test(f.name) || !/\.[a-z0-9]+$/i.test(f.name)) series.push(f);
    else if (MESH.test(f.name)) requests.push({ kind: 'mesh', name: f.name, file: f });
    else if (VOLUME.test(f.name)) requests.push({ kind: 'volume', name: f.name, files: [f] });
    else rejected.push(new UnsupportedFileError(f.name));
  }
  if (series.length > 0) {
    // Each series is a volume of its own; files whose headers don't parse go to GDCM together.
    const { series: found, other } = groupDicomFiles(series);
    for (const s of found) {
      const problem = spacingProblem(s);
      requests.push({
        kind: 'volume',
        name: found.length > 1 || s.files.length > 1 ? s.label : s.files[0]!.name,
        files: s.files,
        ...(problem ? { problem } : {}),
      });
    }
    if (other.length > 0) {
      other.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
      requests.push({
        kind: 'volume',
        name: other.length === 1 ? other[0]!.name : `DICOM series (${other.length} files)`,
        files: other,
      });
    }
  }
  return { requests, rejected };
}

export async function readFiles(list: Iterable<File>): Promise<FileBytes[]> {
  return Promise.all([...list].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

/** The page's sample: a small real head MR from nibabel's test data (public/samples/, MIT). */
export const SAMPLE = { path: 'samples/anatomical.nii', name: 'anatomical.nii' } as const;

/** The sample could not be had from the site (not deployed with it, or offline before caching). */
export class SampleUnavailableError extends Error {
  override name = 'SampleUnavailableError';
}

/** Fetches the sample from the site's root (beside the staged assets), as a File to open. */
export async function fetchSample(base: string = assetBase): Promise<File> {
  const url = new URL(SAMPLE.path, base).href;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new SampleUnavailableError(`the sample ${SAMPLE.name} could not be fetched from ${url} (offline, and not cached yet?)`, { cause: e });
  }
  if (!response.ok)
    throw new SampleUnavailableError(`the sample ${SAMPLE.name} is not on this site (${url} answered ${response.status} ${response.statusText})`);
  return new File([await response.blob()], SAMPLE.name);
}
