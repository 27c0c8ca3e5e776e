/**
 * DICOM files sorted into series before any pixel is read, from their headers alone
 * (dicom-parser): by SeriesInstanceUID, then by orientation and image size, so unrelated files
 * picked together are never stacked into one volume. Within a series the slices are placed by
 * ImagePositionPatient along the slice normal, and a series whose slices are not evenly spaced
 * (a missing slice, a gap) is refused naming the gap rather than stacked at one spacing. Used on
 * the page (to list each series) and in the worker (to check what it is asked to read).
 */
import * as dicomParserModule from 'dicom-parser';
import type { DataSet } from 'dicom-parser';

import { fmt } from './nifti-header.ts';

// dicom-parser ships one UMD bundle: a bundler hands its exports over by name, Node's ESM loader
// only as `default` (a named import would fail to link there, and `import('voxpool/ops')` with it).
const dicomParser: typeof dicomParserModule = (dicomParserModule as { default?: typeof dicomParserModule }).default ?? dicomParserModule;

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export interface DicomHeader {
  file: NamedBytes;
  seriesUid: string;
  description: string;
  modality: string;
  rows: number;
  columns: number;
  frames: number;
  bitsAllocated: number;
  orientation: number[] | null;
  position: number[] | null;
  instance: number;
  transferSyntax: string;
  /** Whether the pixel data is stored uncompressed (so its length can be checked). */
  native: boolean;
  /** Bytes the pixel data needs when stored uncompressed. */
  pixelBytes: number;
  /** Offset and length of the pixel data value, or null when there is none. */
  pixelData: { offset: number; length: number } | null;
  doseGridScaling: number | null;
  frameOffsets: number[] | null;
  /** Per-frame ImagePositionPatient of an enhanced multi-frame file (SEG, enhanced MR/CT), or null. */
  framePositions: number[][] | null;
  /** Why the header could not be fully read (truncation), or null. */
  damage: string | null;
}

export interface DicomSeries {
  /** For people: "SeriesDescription (N files)" or the first file's name. */
  label: string;
  files: NamedBytes[];
  headers: DicomHeader[];
}

export interface DicomGroups {
  series: DicomSeries[];
  /** Files without a DICOM Part 10 header (left to GDCM, which reads some such files). */
  other: NamedBytes[];
}

const COMPRESSED_FREE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.1.99']);

function numbers(ds: DataSet, tag: string): number[] | null {
  const s = ds.string(tag);
  if (!s) return null;
  const v = s.split('\\').map(Number);
  return v.every(Number.isFinite) ? v : null;
}

/** The header of one file, or null when it is not DICOM Part 10 at all. */
export function readDicomHeader(file: NamedBytes): DicomHeader | null {
  let ds: DataSet;
  let damage: string | null = null;
  try {
    ds = dicomParser.parseDicom(file.bytes);
  } catch (e) {
    const partial = (e as { dataSet?: DataSet }).dataSet;
    if (!partial) return null;
    ds = partial;
    damage = cutPixelData(file.bytes) ?? `ends at byte ${fmt(file.bytes.length)}, in the middle of its DICOM data set (truncated)`;
  }
  const rows = ds.uint16('x00280010') ?? 0;
  const columns = ds.uint16('x00280011') ?? 0;
  const frames = Number.parseInt(ds.string('x00280008') ?? '1', 10) || 1;
  const samples = ds.uint16('x00280002') ?? 1;
  const bits = ds.uint16('x00280100') ?? 16;
  const transferSyntax = ds.string('x00020010') ?? '';
  const pixel = ds.elements['x7fe00010'];
  const pixelBytes = bits === 1 ? Math.ceil((rows * columns * frames * samples) / 8) : rows * columns * frames * samples * (bits / 8);
  const pixelData = pixel ? { offset: pixel.dataOffset, length: pixel.length } : null;
  const native = COMPRESSED_FREE.has(transferSyntax) && !(pixel?.encapsulatedPixelData ?? false);
  if (!damage && pixel && native && pixel.dataOffset + pixel.length > file.bytes.length) {
    damage = `pixel data ends at byte ${fmt(file.bytes.length)} of the ${fmt(pixel.dataOffset + pixel.length)} its header needs (truncated)`;
  }
  if (!damage && pixel && native && transferSyntax !== '1.2.840.10008.1.2.1.99' && pixel.length < pixelBytes && rows > 0) {
    damage = `holds ${fmt(pixel.length)} bytes of pixel data, but ${rows} x ${columns}${frames > 1 ? ` x ${frames} frames` : ''} at ${bits} bits needs ${fmt(pixelBytes)} (truncated)`;
  }
  if (!damage && !pixel && rows > 0) damage = `ends at byte ${fmt(file.bytes.length)} before its pixel data (truncated)`;
  const scaling = ds.string('x3004000e');
  return {
    file,
    seriesUid: ds.string('x0020000e') ?? '',
    description: ds.string('x0008103e') ?? '',
    modality: ds.string('x00080060') ?? '',
    rows,
    columns,
    frames,
    bitsAllocated: bits,
    orientation: numbers(ds, 'x00200037') ?? sharedOrientation(ds),
    position: numbers(ds, 'x00200032'),
    instance: Number.parseInt(ds.string('x00200013') ?? '', 10),
    transferSyntax,
    native,
    pixelBytes,
    pixelData,
    doseGridScaling: scaling !== undefined && Number.isFinite(Number(scaling)) ? Number(scaling) : null,
    frameOffsets: numbers(ds, 'x3004000c'),
    framePositions: framePositions(ds),
    damage,
  };
}

/**
 * When the parse broke off: whether it was inside the pixel data, whose element header is then
 * the last (7FE0,0010) tag in the file, explicit (OB/OW, 4-byte length after 2 reserved bytes)
 * or implicit (4-byte length). Returns the words for it, or null.
 */
function cutPixelData(bytes: Uint8Array): string | null {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = bytes.length - 8; p >= 132; p--) {
    if (bytes[p] !== 0xe0 || bytes[p + 1] !== 0x7f || bytes[p + 2] !== 0x10 || bytes[p + 3] !== 0x00) continue;
    const vr = String.fromCharCode(bytes[p + 4]!, bytes[p + 5]!);
    const explicit = vr === 'OB' || vr === 'OW';
    if (explicit && p + 12 > bytes.length) return null;
    const length = explicit ? v.getUint32(p + 8, true) : v.getUint32(p + 4, true);
    const start = p + (explicit ? 12 : 8);
    if (length === 0xffffffff || start + length <= bytes.length) return null;
    return `pixel data ends at byte ${fmt(bytes.length)} of the ${fmt(start + length)} its header needs (truncated)`;
  }
  return null;
}

/** PerFrameFunctionalGroupsSequence > PlanePositionSequence > ImagePositionPatient, per frame. */
function framePositions(ds: DataSet): number[][] | null {
  const frames = ds.elements['x52009230']?.items;
  if (!frames?.length) return null;
  const out: number[][] = [];
  for (const f of frames) {
    const plane = f.dataSet?.elements['x00209113']?.items?.[0]?.dataSet;
    const p = plane ? numbers(plane, 'x00200032') : null;
    if (!p || p.length !== 3) return null;
    out.push(p);
  }
  return out;
}

/** The orientation of an enhanced multi-frame file (shared functional groups), or null. */
function sharedOrientation(ds: DataSet): number[] | null {
  const shared = ds.elements['x52009229']?.items?.[0]?.dataSet;
  const plane = shared?.elements['x00209116']?.items?.[0]?.dataSet;
  return plane ? numbers(plane, 'x00200037') : null;
}

/** Orientation to 4 decimals: scanners write the same plane with rounding differences. */
function orientationKey(o: number[] | null): string {
  return o ? o.map((x) => x.toFixed(4)).join(',') : 'none';
}

export function groupDicomFiles(files: readonly NamedBytes[]): DicomGroups {
  const groups = new Map<string, DicomHeader[]>();
  const other: NamedBytes[] = [];
  for (const f of files) {
    const h = readDicomHeader(f);
    if (!h) {
      other.push(f);
      continue;
    }
    const key = `${h.seriesUid}|${orientationKey(h.orientation)}|${h.rows}x${h.columns}`;
    const list = groups.get(key) ?? [];
    list.push(h);
    groups.set(key, list);
  }
  const keys = [...groups.keys()];
  const series = keys.map((key) => {
    const headers = groups.get(key)!;
    sortSlices(headers);
    const sameUid = keys.filter((k) => k.split('|')[0] === key.split('|')[0]).length > 1;
    const h0 = headers[0]!;
    const base = h0.description || h0.file.name;
    const split = sameUid ? `, ${h0.rows} x ${h0.columns}${h0.orientation ? ` ${planeName(h0.orientation)}` : ''}` : '';
    return {
      label: headers.length > 1 ? `${base} (${headers.length} files${split})` : `${base}${split ? ` (${split.slice(2)})` : ''}`,
      files: headers.map((h) => h.file),
      headers,
    };
  });
  return { series, other };
}

function normalOf(o: number[]): number[] {
  return [o[1]! * o[5]! - o[2]! * o[4]!, o[2]! * o[3]! - o[0]! * o[5]!, o[0]! * o[4]! - o[1]! * o[3]!];
}

function planeName(o: number[]): string {
  const n = normalOf(o).map(Math.abs);
  const big = n.indexOf(Math.max(...n));
  return ['sagittal', 'coronal', 'axial'][big]!;
}

function along(h: DicomHeader, normal: number[]): number {
  const p = h.position!;
  return p[0]! * normal[0]! + p[1]! * normal[1]! + p[2]! * normal[2]!;
}

/** Slices in order along the normal (by instance number when positions are missing). */
function sortSlices(headers: DicomHeader[]): void {
  const o = headers[0]!.orientation;
  if (o && headers.every((h) => h.position)) {
    const n = normalOf(o);
    headers.sort((a, b) => along(a, n) - along(b, n));
  } else {
    headers.sort((a, b) => (a.instance || 0) - (b.instance || 0) || a.file.name.localeCompare(b.file.name, undefined, { numeric: true }));
  }
}

/** Relative difference in slice steps taken as the same spacing (float text in headers). */
const SPACING_TOLERANCE = 0.01;

/**
 * Why the slices of one series cannot be stacked at one spacing, in words, or null when they
 * can: repeated positions, a missing slice, uneven spacing.
 */
export function spacingProblem(series: DicomSeries): string | null {
  const hs = series.headers;
  const offsets = hs.length === 1 ? hs[0]!.frameOffsets : null;
  if (offsets && offsets.length > 2) return frameOffsetProblem(offsets);
  const frames = hs.length === 1 ? hs[0]!.framePositions : null;
  const o1 = hs[0]!.orientation;
  if (frames && frames.length > 2 && o1) {
    const n = normalOf(o1);
    // Frames of several segments (a SEG) repeat positions: the distinct ones must be evenly spaced.
    const z = [...new Set(frames.map((p) => Number((p[0]! * n[0]! + p[1]! * n[1]! + p[2]! * n[2]!).toFixed(4))))].sort((a, b) => a - b);
    return z.length > 2 ? frameOffsetProblem(z, 'frame positions (PerFrameFunctionalGroupsSequence)') : null;
  }
  if (hs.length < 2) return null;
  const o = hs[0]!.orientation;
  if (!o || !hs.every((h) => h.position)) return null;
  const n = normalOf(o);
  const z = hs.map((h) => along(h, n));
  const steps = z.slice(1).map((x, i) => x - z[i]!);
  const mm = (x: number) => `${Number(x.toFixed(3))} mm`;
  const dup = steps.findIndex((s) => Math.abs(s) < 1e-4);
  if (dup >= 0)
    return `slices ${dup + 1} and ${dup + 2} of ${hs.length} (${hs[dup]!.file.name}, ${hs[dup + 1]!.file.name}) are at the same position: two acquisitions in one series, or a file given twice`;
  const typical = usualStep(steps);
  const bad = steps.findIndex((s) => Math.abs(s - typical) > SPACING_TOLERANCE * typical);
  if (bad < 0) return null;
  const missing = Math.round(steps[bad]! / typical) - 1;
  const why =
    missing >= 1 && Math.abs(steps[bad]! - (missing + 1) * typical) <= SPACING_TOLERANCE * typical
      ? `${missing === 1 ? 'a slice is' : `${missing} slices are`} missing there`
      : 'the spacing is not uniform';
  return `slice ${bad + 2} of ${hs.length} (${hs[bad + 1]!.file.name}) is ${mm(steps[bad]!)} after slice ${bad + 1}, where the others are ${mm(typical)} apart: ${why}. Stacking it at one spacing would put slices in the wrong place, so it is not read`;
}

/** A multi-frame grid (an RT dose, an enhanced file) whose frames are not evenly spaced, in words. */
function frameOffsetProblem(z: number[], what = 'GridFrameOffsetVector'): string | null {
  const steps = z.slice(1).map((x, i) => x - z[i]!);
  const typical = usualStep(steps);
  const bad = steps.findIndex((s) => Math.abs(s - typical) > SPACING_TOLERANCE * Math.abs(typical));
  if (bad < 0 || typical === 0) return null;
  return `frame ${bad + 2} of ${z.length} is ${Number(steps[bad]!.toFixed(3))} mm after frame ${bad + 1} (${what}), where the others are ${Number(typical.toFixed(3))} mm apart: the frames are not evenly spaced, so they are not stacked at one spacing`;
}

/** The step most slices are apart (the smaller of equally common ones: a gap is the larger). */
function usualStep(steps: number[]): number {
  const counts = new Map<number, number>();
  for (const x of steps) {
    const key = Number(x.toFixed(3));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let best = steps[0]!;
  let most = 0;
  for (const [step, n] of counts) if (n > most || (n === most && Math.abs(step) < Math.abs(best))) [best, most] = [step, n];
  return best;
}
