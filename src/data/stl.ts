/**
 * STL, binary or ASCII, read here rather than by ITK: binary is told from ASCII by size
 * arithmetic (84 + 50 n bytes for n triangles), never by the word "solid" (most CAD tools
 * start binary headers with it), a triangle count is checked against the file size before
 * anything is allocated, and every solid of an ASCII file is kept, with its index per cell
 * (`cellData.solid`). Corners are merged only where they are the same point, bit for bit.
 */
import { FileDamagedError } from '../core/errors.ts';
import { fmt } from './nifti-header.ts';
import type { Mesh } from './mesh.ts';

export function readStl(name: string, bytes: Uint8Array): Mesh {
  if (bytes.length >= 84) {
    const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(80, true);
    if (84 + 50 * count === bytes.length) return binary(name, bytes, count);
    if (!looksAscii(bytes)) {
      const whole = Math.floor((bytes.length - 84) / 50);
      throw new FileDamagedError(
        name,
        `is a binary STL that claims ${fmt(count)} triangles (${fmt(84 + 50 * count)} bytes), but the file has ${fmt(bytes.length)} bytes: room for ${fmt(whole)} whole triangles (truncated or damaged)`,
      );
    }
  } else if (!looksAscii(bytes)) {
    throw new FileDamagedError(name, `is ${fmt(bytes.length)} bytes long: shorter than a binary STL header (84 bytes) and not ASCII STL`);
  }
  return ascii(name, new TextDecoder('latin1').decode(bytes));
}

/** ASCII STL starts with "solid" and holds only text; a binary one that starts so has bytes no text has. */
function looksAscii(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 5)).toLowerCase();
  if (head !== 'solid') return false;
  const end = Math.min(bytes.length, 4096);
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    if (b === 0 || (b < 32 && b !== 9 && b !== 10 && b !== 13)) return false;
  }
  return true;
}

function binary(name: string, bytes: Uint8Array, count: number): Mesh {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const merge = new PointMerger(count * 3);
  const polys = new Uint32Array(count * 4);
  for (let t = 0; t < count; t++) {
    const at = 84 + 50 * t + 12;
    polys[4 * t] = 3;
    for (let c = 0; c < 3; c++) {
      const o = at + 12 * c;
      polys[4 * t + 1 + c] = merge.add(view.getFloat32(o, true), view.getFloat32(o + 4, true), view.getFloat32(o + 8, true));
    }
  }
  return { name, points: merge.points(), polys };
}

function ascii(name: string, text: string): Mesh {
  const merge = new PointMerger(1024);
  const polys: number[] = [];
  const solids: number[] = [];
  let solid = -1;
  let inSolid = false;
  let loop: number[] | null = null;
  const lines = text.split(/\r?\n|\r/);
  for (let n = 0; n < lines.length; n++) {
    const words = lines[n]!.trim().split(/\s+/);
    const key = words[0]!.toLowerCase();
    const where = `line ${fmt(n + 1)}`;
    if (key === '') continue;
    if (key === 'solid') {
      if (inSolid) throw new FileDamagedError(name, `${where}: a new "solid" before "endsolid" of the last one`);
      inSolid = true;
      solid++;
    } else if (key === 'endsolid') {
      if (!inSolid) throw new FileDamagedError(name, `${where}: "endsolid" without "solid"`);
      inSolid = false;
    } else if (key === 'facet' || key === 'endfacet') {
      if (!inSolid) throw new FileDamagedError(name, `${where}: "${key}" outside a solid`);
    } else if (key === 'outer') {
      loop = [];
    } else if (key === 'vertex') {
      const xyz = words.slice(1, 4).map(Number);
      if (!loop || words.length < 4 || !xyz.every(Number.isFinite))
        throw new FileDamagedError(name, `${where}: a vertex needs three numbers inside "outer loop" (found "${lines[n]!.trim()}")`);
      loop.push(merge.add(Math.fround(xyz[0]!), Math.fround(xyz[1]!), Math.fround(xyz[2]!)));
    } else if (key === 'endloop') {
      if (!loop || loop.length < 3) throw new FileDamagedError(name, `${where}: a facet with ${loop?.length ?? 0} vertices (at least 3)`);
      polys.push(loop.length, ...loop);
      solids.push(solid);
      loop = null;
    } else {
      throw new FileDamagedError(name, `${where}: "${words[0]}" is not an ASCII STL keyword`);
    }
  }
  if (inSolid || loop) throw new FileDamagedError(name, 'ends inside a solid (truncated: no "endsolid")');
  if (polys.length === 0) throw new FileDamagedError(name, 'holds no facets');
  return { name, points: merge.points(), polys: new Uint32Array(polys), cellData: { solid: { values: new Uint32Array(solids), components: 1 } } };
}

/** Points, with a corner seen before given its old index (same float32 bits only). */
export class PointMerger {
  private xyz: Float32Array;
  private n = 0;
  private index = new Map<string, number>();
  constructor(capacity: number) {
    this.xyz = new Float32Array(Math.max(3, capacity * 3));
  }
  add(x: number, y: number, z: number): number {
    const key = `${x},${y},${z}`;
    const seen = this.index.get(key);
    if (seen !== undefined) return seen;
    if (3 * this.n + 3 > this.xyz.length) {
      const grown = new Float32Array(this.xyz.length * 2);
      grown.set(this.xyz);
      this.xyz = grown;
    }
    this.xyz.set([x, y, z], 3 * this.n);
    this.index.set(key, this.n);
    return this.n++;
  }
  points(): Float32Array {
    return this.xyz.slice(0, 3 * this.n);
  }
}
