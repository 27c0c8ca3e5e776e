/**
 * GIfTI surfaces (.gii): the POINTSET and TRIANGLE data arrays, ASCII, base64 or gzipped
 * base64 (zlib), either byte order and either indexing order, as nibabel's `agg_data` gives
 * them. Points are kept as stored (the file's own world, usually scanner RAS). Read without
 * DOMParser, which workers lack: GIfTI's layout is flat enough for a tag scanner.
 */
import { FileDamagedError, FileUnsupportedError } from '../core/errors.ts';
import { fmt } from './nifti-header.ts';
import type { Mesh } from './mesh.ts';

interface DataArray {
  attrs: Record<string, string>;
  data: string;
}

const TYPES: Record<string, { bytes: number; read: (v: DataView, o: number, le: boolean) => number }> = {
  NIFTI_TYPE_FLOAT32: { bytes: 4, read: (v, o, le) => v.getFloat32(o, le) },
  NIFTI_TYPE_FLOAT64: { bytes: 8, read: (v, o, le) => v.getFloat64(o, le) },
  NIFTI_TYPE_INT32: { bytes: 4, read: (v, o, le) => v.getInt32(o, le) },
  NIFTI_TYPE_UINT32: { bytes: 4, read: (v, o, le) => v.getUint32(o, le) },
  NIFTI_TYPE_INT16: { bytes: 2, read: (v, o, le) => v.getInt16(o, le) },
  NIFTI_TYPE_UINT8: { bytes: 1, read: (v, o) => v.getUint8(o) },
};

function dataArrays(name: string, xml: string): DataArray[] {
  if (!/<GIFTI[\s>]/.test(xml)) throw new FileDamagedError(name, 'is not GIfTI: it has no <GIFTI> element');
  const out: DataArray[] = [];
  const open = /<DataArray\b([^>]*)>/g;
  for (let m = open.exec(xml); m; m = open.exec(xml)) {
    const end = xml.indexOf('</DataArray>', open.lastIndex);
    if (end < 0) throw new FileDamagedError(name, `data array ${out.length + 1} has no </DataArray> (the file is truncated)`);
    const body = xml.slice(open.lastIndex, end);
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/(\w+)\s*=\s*"([^"]*)"/g)) attrs[a[1]!] = a[2]!;
    const data = /<Data>([\s\S]*?)<\/Data>/.exec(body)?.[1] ?? '';
    out.push({ attrs, data: data.replace(/<!\[CDATA\[|\]\]>/g, '').trim() });
  }
  return out;
}

function base64(name: string, text: string): Uint8Array<ArrayBuffer> {
  let bin: string;
  try {
    bin = atob(text.replace(/\s+/g, ''));
  } catch {
    throw new FileDamagedError(name, 'has a data array whose base64 text does not decode');
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function inflateZlib(name: string, bytes: Uint8Array<ArrayBuffer>, expect: number): Promise<Uint8Array> {
  try {
    const out = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'))).arrayBuffer();
    return new Uint8Array(out);
  } catch {
    throw new FileDamagedError(name, `has a gzipped data array that does not inflate (${fmt(expect)} bytes expected): damaged or truncated`);
  }
}

/** The values of one array, row-major, as numbers. */
async function values(name: string, a: DataArray, index: number): Promise<{ rows: number; cols: number; values: Float64Array }> {
  const dims = Number(a.attrs.Dimensionality ?? '1');
  const rows = Number(a.attrs.Dim0 ?? '0');
  const cols = dims >= 2 ? Number(a.attrs.Dim1 ?? '1') : 1;
  const what = `data array ${index + 1} (${a.attrs.Intent ?? 'no intent'})`;
  if (!(Number.isInteger(rows) && rows >= 0 && Number.isInteger(cols) && cols >= 1))
    throw new FileDamagedError(name, `${what} has dimensions ${a.attrs.Dim0} x ${a.attrs.Dim1}`);
  const type = TYPES[a.attrs.DataType ?? ''];
  if (!type) throw new FileUnsupportedError(name, `${what} has data type ${a.attrs.DataType}, which is not read here`);
  const count = rows * cols;
  const encoding = (a.attrs.Encoding ?? '').toUpperCase();
  let out = new Float64Array(count);
  if (encoding.includes('ASCII')) {
    const words = a.data.split(/\s+/).filter(Boolean).map(Number);
    if (words.length !== count || !words.every(Number.isFinite))
      throw new FileDamagedError(name, `${what} holds ${fmt(words.length)} numbers where ${rows} x ${cols} needs ${fmt(count)}`);
    out.set(words);
  } else if (encoding.includes('EXTERNAL')) {
    throw new FileUnsupportedError(name, `${what} keeps its values in an external file (${a.attrs.ExternalFileName}), which is not read here`);
  } else {
    const gz = encoding.includes('GZ');
    if (!gz && !encoding.includes('B64') && !encoding.includes('BASE64'))
      throw new FileUnsupportedError(name, `${what} has encoding ${a.attrs.Encoding}, which is not read here`);
    let bytes: Uint8Array = base64(name, a.data);
    if (gz) bytes = await inflateZlib(name, bytes as Uint8Array<ArrayBuffer>, count * type.bytes);
    if (bytes.length !== count * type.bytes)
      throw new FileDamagedError(
        name,
        `${what} holds ${fmt(bytes.length)} bytes where ${rows} x ${cols} values need ${fmt(count * type.bytes)} (damaged or truncated)`,
      );
    const le = !/BIG/i.test(a.attrs.Endian ?? 'LittleEndian');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) out[i] = type.read(view, i * type.bytes, le);
  }
  if (/ColumnMajor/i.test(a.attrs.ArrayIndexingOrder ?? '') && cols > 1) {
    const t = new Float64Array(count);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[r * cols + c] = out[c * rows + r]!;
    out = t;
  }
  return { rows, cols, values: out };
}

export async function readGifti(name: string, bytes: Uint8Array): Promise<Mesh> {
  const arrays = dataArrays(name, new TextDecoder('utf-8').decode(bytes));
  const pi = arrays.findIndex((a) => a.attrs.Intent === 'NIFTI_INTENT_POINTSET');
  const ti = arrays.findIndex((a) => a.attrs.Intent === 'NIFTI_INTENT_TRIANGLE');
  if (pi < 0) {
    const intents = [...new Set(arrays.map((a) => a.attrs.Intent ?? 'none'))].join(', ');
    throw new FileUnsupportedError(
      name,
      `is a GIfTI file without a surface (no POINTSET array; it holds ${intents || 'no arrays'}): its values belong on a surface read from another file`,
    );
  }
  const p = await values(name, arrays[pi]!, pi);
  if (p.cols !== 3) throw new FileDamagedError(name, `its POINTSET has ${p.cols} columns; points need 3`);
  const mesh: Mesh = { name, points: Float32Array.from(p.values), polys: new Uint32Array(0) };
  if (ti >= 0) {
    const t = await values(name, arrays[ti]!, ti);
    if (t.cols !== 3) throw new FileDamagedError(name, `its TRIANGLE array has ${t.cols} columns; triangles need 3`);
    const polys = new Uint32Array(t.rows * 4);
    for (let r = 0; r < t.rows; r++) {
      polys[4 * r] = 3;
      for (let c = 0; c < 3; c++) {
        const id = t.values[3 * r + c]!;
        if (!(Number.isInteger(id) && id >= 0 && id < p.rows))
          throw new FileDamagedError(name, `triangle ${fmt(r)} names point ${id}, but there are ${fmt(p.rows)}`);
        polys[4 * r + 1 + c] = id;
      }
    }
    mesh.polys = polys;
  }
  return mesh;
}
