import { InputError } from './errors.ts';

/** What a walk over a message value found: the buffers to move and how many bytes it carries. */
export interface TransferScan {
  transfer: Transferable[];
  /** Bytes of every ArrayBuffer and SharedArrayBuffer reachable (each counted once). */
  bytes: number;
}

const hasSAB = typeof SharedArrayBuffer !== 'undefined';

/** Whether `buffer` is shared memory (a SharedArrayBuffer): other threads may read and write it. */
export function isShared(buffer: ArrayBufferLike): buffer is SharedArrayBuffer {
  return hasSAB && buffer instanceof SharedArrayBuffer;
}

function isDetached(buffer: ArrayBuffer): boolean {
  // `detached` is ES2024; older engines only show byteLength 0 (ambiguous, so not treated as detached).
  return (buffer as ArrayBuffer & { detached?: boolean }).detached === true;
}

/**
 * Finds every ArrayBuffer reachable from `value` (typed arrays and DataViews inside nested
 * objects, arrays, Maps and Sets included) so it can be moved instead of copied.
 * SharedArrayBuffers are counted but never listed: they cannot be transferred, and need not be.
 * A buffer already detached is an input error, named by its path (e.g. `input.points`).
 */
export function scanTransferables(value: unknown, root = 'input', collect = true): TransferScan {
  const scan: TransferScan = { transfer: [], bytes: 0 };
  if (value === null || typeof value !== 'object') return scan;
  const seenBuffers = new Set<ArrayBufferLike>();
  const seenObjects = new Set<object>();

  const visitBuffer = (buffer: ArrayBufferLike, path: string): void => {
    if (seenBuffers.has(buffer)) return;
    seenBuffers.add(buffer);
    if (isShared(buffer)) {
      scan.bytes += buffer.byteLength;
      return;
    }
    if (isDetached(buffer as ArrayBuffer)) {
      throw new InputError(path, 'ArrayBuffer is detached (it was already transferred elsewhere)');
    }
    scan.bytes += buffer.byteLength;
    if (collect) scan.transfer.push(buffer as ArrayBuffer);
  };

  const visit = (v: unknown, path: string): void => {
    if (v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) return visitBuffer(v.buffer, path);
    if (v instanceof ArrayBuffer || isShared(v as ArrayBufferLike)) return visitBuffer(v as ArrayBufferLike, path);
    if (seenObjects.has(v)) return;
    seenObjects.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) visit(v[i], `${path}[${i}]`);
    } else if (v instanceof Map) {
      for (const [k, item] of v) visit(item, `${path}.get(${String(k)})`);
    } else if (v instanceof Set) {
      for (const item of v) visit(item, `${path}[set]`);
    } else if (typeof MessagePort !== 'undefined' && v instanceof MessagePort) {
      if (collect) scan.transfer.push(v);
    } else if (!(v instanceof Date) && !(v instanceof RegExp) && !(v instanceof Blob)) {
      for (const key of Object.keys(v)) visit((v as Record<string, unknown>)[key], `${path}.${key}`);
    }
  };
  visit(value, root);
  return scan;
}
