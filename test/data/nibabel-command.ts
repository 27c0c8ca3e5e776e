/**
 * A Vitest browser command (it runs in Node, beside the browser) that reads a file with nibabel,
 * the reference NIfTI reader, so a browser test can compare what it wrote with what nibabel sees.
 * Needs Debian's python3-nibabel; NIBABEL_PYTHON names another interpreter that has it.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BrowserCommand } from 'vitest/node';

export interface NibabelView {
  shape: number[];
  /** RAS+ voxel-to-world, rows. */
  affine: number[][];
  /** The qform as an affine whatever its code; null for Analyze, which has none. */
  qform: number[][] | null;
  /** null for Analyze, which has none. */
  codes: { qform: number; sform: number } | null;
  /** numpy's name for the stored dtype ("int16", "float64", ...). */
  storedType: string;
  /** The scaling nibabel applies (1 and 0 when none). */
  slope: number;
  inter: number;
  /** Scaled values, x fastest; NaN as null, infinities as "inf"/"-inf". */
  values: (number | null | 'inf' | '-inf')[];
}

const run = promisify(execFile);

export interface Base64File {
  name: string;
  base64: string;
}

/** Reads the first of `files` (a .hdr finds its .img beside it). */
export const nibabelRead: BrowserCommand<[files: Base64File[]]> = async (_context, files) => {
  const dir = await mkdtemp(join(tmpdir(), 'voxpool-nibabel-'));
  try {
    const paths = files.map((f) => join(dir, f.name.replace(/[^\w.-]+/g, '_')));
    await Promise.all(files.map((f, i) => writeFile(paths[i]!, Buffer.from(f.base64, 'base64'))));
    const path = paths[0]!;
    const python = process.env.NIBABEL_PYTHON ?? '/usr/bin/python3';
    const { stdout } = await run(python, [join(import.meta.dirname, 'nibabel_read.py'), path], { maxBuffer: 1 << 28 });
    return JSON.parse(stdout) as NibabelView;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

declare module 'vitest/browser' {
  interface BrowserCommands {
    nibabelRead: (files: Base64File[]) => Promise<NibabelView>;
  }
}
