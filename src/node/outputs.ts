/** A task's output (or part of it) written to a file: bytes as they are, anything else as JSON. */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RunError } from './run-dir.ts';

export function pick(value: unknown, path: readonly (string | number)[], key: string): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !(p in v)) throw new RunError(`${key}: its output has no ${path.join('.')} (stopped at "${String(p)}")`);
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

export async function writeOutput(value: unknown, from: readonly (string | number)[], path: string, key: string): Promise<void> {
  const v = pick(value, from, key);
  let data: Uint8Array | string;
  if (ArrayBuffer.isView(v)) data = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  else if (v instanceof ArrayBuffer) data = new Uint8Array(v);
  else {
    const text = JSON.stringify(v, null, 2);
    if (text === undefined) throw new RunError(`${key}: output ${from.join('.') || '(all)'} is ${typeof v}, which cannot be written to a file`);
    data = `${text}\n`;
  }
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
