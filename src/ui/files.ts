/**
 * Sorting dropped or picked files into what to read: each volume file alone, DICOM slices
 * together as one series, each mesh alone. Names decide; the readers check the contents.
 */
import type { FileBytes } from './page-ops.ts';

export type ReadRequest = { kind: 'volume'; name: string; files: FileBytes[] } | { kind: 'mesh'; name: string; file: FileBytes };

const VOLUME = /\.(nii|nii\.gz|nrrd|nhdr|mha|mhd|raw|mgh|mgz|mnc|hdr|img)$/i;
const MESH = /\.(stl|obj|vtk|vtp|off|byu)$/i;
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
    series.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    requests.push({
      kind: 'volume',
      name: series.length === 1 ? series[0]!.name : `DICOM series (${series.length} files)`,
      files: series,
    });
  }
  return { requests, rejected };
}

export async function readFiles(list: Iterable<File>): Promise<FileBytes[]> {
  return Promise.all([...list].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}
