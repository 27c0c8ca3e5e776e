/**
 * Values (task inputs and outputs) as they are stored. Encoding is also a snapshot: it copies
 * every buffer at once, so the live one can then be moved into a worker (which detaches it on the
 * page) while the write is still on its way.
 *
 * Big buffers become Blobs: Chromium keeps a Blob inside IndexedDB as a file of its own, a record
 * holding one stays small, and reading the record back gives a handle, not the bytes. A resumed
 * workflow of many big volumes so reads only the results a task still needs, when it needs them.
 */

/** Buffers from this size up are stored as Blobs; smaller ones inline. */
export const BLOB_THRESHOLD = 64 * 1024;

/** The buffer kinds a stored value may hold, by constructor name (what a store writes down). */
export type ViewName =
  | 'Int8Array'
  | 'Uint8Array'
  | 'Uint8ClampedArray'
  | 'Int16Array'
  | 'Uint16Array'
  | 'Int32Array'
  | 'Uint32Array'
  | 'Float32Array'
  | 'Float64Array'
  | 'BigInt64Array'
  | 'BigUint64Array'
  | 'DataView'
  | 'ArrayBuffer';

interface StoredBlob {
  $blob: Blob;
  type: ViewName;
}

const VIEWS: Record<Exclude<ViewName, 'ArrayBuffer'>, new (b: ArrayBuffer) => ArrayBufferView> = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView,
};

function viewName(v: ArrayBufferView): Exclude<ViewName, 'ArrayBuffer'> {
  const name = v.constructor.name as Exclude<ViewName, 'ArrayBuffer'>;
  return name in VIEWS ? name : 'Uint8Array';
}

/** The name a store keeps for a buffer: its view's (a view of an unknown kind as bytes), or `ArrayBuffer`. */
export function bufferKind(v: ArrayBufferView | ArrayBuffer): ViewName {
  return v instanceof ArrayBuffer ? 'ArrayBuffer' : viewName(v);
}

export function isViewName(s: unknown): s is ViewName {
  return typeof s === 'string' && (s === 'ArrayBuffer' || Object.hasOwn(VIEWS, s));
}

/** `buffer` as the kind `name` says (an ArrayBuffer as it is). */
export function asBufferKind(name: ViewName, buffer: ArrayBuffer): ArrayBufferView | ArrayBuffer {
  return name === 'ArrayBuffer' ? buffer : new VIEWS[name](buffer);
}

function isStoredBlob(v: unknown): v is StoredBlob {
  return v !== null && typeof v === 'object' && (v as { $blob?: unknown }).$blob instanceof Blob && typeof (v as { type?: unknown }).type === 'string';
}

function bytesOf(v: ArrayBufferView): Uint8Array {
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

export interface Encoded {
  value: unknown;
  /** Bytes of buffers in it. */
  bytes: number;
}

/** A storable snapshot of `value`: buffers copied (big ones into Blobs), structure rebuilt. */
export function encodeValue(value: unknown): Encoded {
  if (value === null || typeof value !== 'object') return { value, bytes: 0 };
  let bytes = 0;
  const seen = new Map<object, unknown>();
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    const done = seen.get(v);
    if (done !== undefined) return done;
    let out: unknown;
    if (ArrayBuffer.isView(v)) {
      bytes += v.byteLength;
      // The Blob constructor copies its parts at once; small ones are copied by slice().
      if (v.byteLength >= BLOB_THRESHOLD) out = { $blob: new Blob([bytesOf(v) as Uint8Array<ArrayBuffer>]), type: viewName(v) };
      else out = new VIEWS[viewName(v)](bytesOf(v).slice().buffer);
    } else if (v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer)) {
      bytes += v.byteLength;
      out =
        v.byteLength >= BLOB_THRESHOLD
          ? { $blob: new Blob([new Uint8Array(v) as Uint8Array<ArrayBuffer>]), type: 'ArrayBuffer' }
          : new Uint8Array(v).slice().buffer;
    } else if (Array.isArray(v)) {
      const a: unknown[] = [];
      seen.set(v, a);
      for (const item of v) a.push(walk(item));
      out = a;
    } else if (Object.getPrototypeOf(v) === Object.prototype) {
      const o: Record<string, unknown> = {};
      seen.set(v, o);
      for (const k in v) o[k] = walk((v as Record<string, unknown>)[k]);
      out = o;
    } else {
      // Maps, Sets, Dates, Blobs...: IndexedDB's structured clone copies them at put().
      out = v;
    }
    seen.set(v, out);
    return out;
  };
  const out = walk(value);
  return { value: out, bytes };
}

/** Whether reading `value` back needs Blob reads. */
export function hasBlobs(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return false;
  if (isStoredBlob(value)) return true;
  if (Array.isArray(value)) return value.some(hasBlobs);
  if (Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).some(hasBlobs);
  return false;
}

/**
 * The value back from its stored form, in buffers of its own: Blobs are read into fresh ones and
 * inline buffers copied, so a caller may move what it gets into a worker and the stored form (read
 * again by the next consumer, or by `result()`) stays whole.
 */
export async function decodeValue(value: unknown): Promise<unknown> {
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) return new VIEWS[viewName(value)](bytesOf(value).slice().buffer);
  if (value instanceof ArrayBuffer) return value.slice(0);
  if (isStoredBlob(value)) {
    return asBufferKind(value.type, await value.$blob.arrayBuffer());
  }
  if (Array.isArray(value)) return Promise.all(value.map(decodeValue));
  if (Object.getPrototypeOf(value) === Object.prototype) {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await decodeValue(v)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}
