/**
 * The package as a user gets it: `npm pack`, the tarball installed into two fresh apps made from
 * test/consumer/ (Vite + TypeScript, plain JavaScript), the TypeScript one type checked strict
 * with skipLibCheck false, both built with `vite build` and run in Chromium from a plain static
 * server: a NIfTI read from a File, niimath smoothing, an op from the app's own worker, a small
 * Workflow, splitVolume against the unsplit op, and nothing fetched from off the site.
 * Installs come from the npm cache (`--prefer-offline`): no network but the registry's.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { cp, mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { encodeNifti1 } from '../../src/data/nifti1.ts';
import { launch, offOrigin, recordRequests } from './browser.ts';
import { serveStatic } from './static-server.ts';

const repo = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const MINUTES = 60_000;

/** A 40 x 36 x 30 int16 volume, 1 mm voxels: a ball of 1000 in zeros. */
const SIZE: [number, number, number] = [40, 36, 30];
function ball(): Int16Array {
  const [X, Y, Z] = SIZE;
  const data = new Int16Array(X * Y * Z);
  for (let k = 0; k < Z; k++)
    for (let j = 0; j < Y; j++) for (let i = 0; i < X; i++) if (Math.hypot(i - 20, j - 18, k - 15) < 9) data[i + X * (j + Y * k)] = 1000;
  return data;
}
const voxels = ball();
const voxelSum = voxels.reduce((s, v) => s + v, 0);

/** Runs a command, its output kept for the failure message (npm and vite are chatty on success). */
async function sh(cwd: string, command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<number> {
  const t = performance.now();
  try {
    // Not the parent `npm test`'s npm_* settings nor Vitest's NODE_ENV=test: the apps are projects of their own.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'NODE_ENV'));
    await run(command, args, { cwd, env: { ...env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: e });
  }
  return Math.round(performance.now() - t);
}

interface App {
  name: 'ts-app' | 'js-app';
  /** Where the static server mounts its build: the JavaScript app has a relative base. */
  mount: string;
  typecheck: boolean;
  /** Also run from `vite` (the dev server), which stages the assets its own way. */
  devServer: boolean;
}
const APPS: App[] = [
  { name: 'ts-app', mount: '/', typecheck: true, devServer: true },
  { name: 'js-app', mount: '/apps/voxpool-consumer/', typecheck: false, devServer: false },
];

let tmp: string;
let tarball: string;
let browser: Browser;
const timings: Record<string, number> = {};

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'voxpool-consumer-'));
  // `npm pack` runs prepack (the package build) first, as a publish would.
  timings['npm pack'] = await sh(repo, 'npm', ['pack', '--pack-destination', tmp, '--silent']);
  const [file] = (await readdir(tmp)).filter((f) => f.endsWith('.tgz'));
  if (!file) throw new Error(`npm pack left no tarball in ${tmp}`);
  tarball = join(tmp, file);
  browser = await launch();
}, 10 * MINUTES);

afterAll(async () => {
  await browser?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
  console.log('consumer test timings (ms):', timings);
});

test('the tarball ships the built package and no tests or benchmark results', async () => {
  const { stdout } = await run('tar', ['-tzf', tarball]);
  const files = stdout.trim().split('\n');
  for (const f of [
    'package/dist/src/index.js',
    'package/dist/src/index.d.ts',
    'package/dist/src/worker/index.js',
    'package/dist/workers/builtin.d.ts',
    'package/dist/workers/voxpool.worker.js',
    'package/dist/src/vite.js',
    'package/dist/kernels/voxpool-kernels.wasm',
  ]) {
    expect(files).toContain(f);
  }
  expect(files.filter((f) => /^package\/(test|bench|src|workers|wasm)\//.test(f) || /\.test\.|\.e2e\./.test(f))).toEqual([]);
});

describe.each(APPS)('$name', (app) => {
  let dir: string;
  let built = false;

  test(
    'installs from the tarball, type checks and builds',
    async () => {
      dir = join(tmp, app.name);
      await cp(join(repo, 'test/consumer', app.name), dir, { recursive: true });
      const manifest = join(dir, 'package.json');
      await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('VOXPOOL_TARBALL', `file:${tarball}`));
      await mkdir(join(dir, 'public'), { recursive: true });
      await writeFile(join(dir, 'public/sample.nii'), encodeNifti1({ data: voxels, dimensions: SIZE, spacing: [1, 1, 1] }));
      timings[`${app.name} npm install`] = await sh(dir, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error']);
      // The installed package loads in Node: no browser global is touched at import time.
      await sh(dir, process.execPath, [
        '--input-type=module',
        '-e',
        "for (const m of ['voxpool', 'voxpool/worker', 'voxpool/ops', 'voxpool/vite']) await import(m);",
      ]);
      if (app.typecheck) timings[`${app.name} tsc`] = await sh(dir, process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', dir]);
      timings[`${app.name} vite build`] = await sh(dir, process.execPath, [join(dir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
        NODE_ENV: 'production',
      });
      built = true;
    },
    10 * MINUTES,
  );

  test(
    'runs in Chromium from a static server: read, smooth, own op, workflow, split',
    async () => {
      expect(built, 'the app was built').toBe(true);
      const server = await serveStatic(join(dir, 'dist'), app.mount);
      try {
        const t = performance.now();
        const { report, urls } = await runPage(`${server.origin}${app.mount}`);
        timings[`${app.name} page run`] = Math.round(performance.now() - t);
        checkReport(report);
        // Every engine asset came from the app's own site.
        expect(offOrigin(urls, server.origin)).toEqual([]);
        // NIfTI is read and written by voxpool's own code; NRRD is written by itk-wasm (image-io).
        for (const asset of ['itk/image-io/nrrd-write-image.wasm.zst', 'niimath/niimath.wasm', 'kernels/voxpool-kernels.wasm']) {
          expect(server.served).toContain(`${app.mount}${asset}`);
        }
      } finally {
        await server.close();
      }
    },
    6 * MINUTES,
  );

  if (app.devServer)
    test(
      'runs the same from its Vite dev server',
      async () => {
        expect(built, 'the app was installed').toBe(true);
        const dev = await startDevServer(dir);
        try {
          const t = performance.now();
          // What the dev server said (dependency optimizing, reloads, errors) goes with a failure.
          const { report, urls } = await runPage(dev.url).catch((e: unknown) => {
            throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- vite dev server output ---\n${dev.output()}`, { cause: e });
          });
          timings[`${app.name} dev page run`] = Math.round(performance.now() - t);
          checkReport(report);
          expect(offOrigin(urls, new URL(dev.url).origin)).toEqual([]);
        } finally {
          await dev.close();
        }
      },
      6 * MINUTES,
    );
});

/** Opens the app's page in a fresh context and waits for the report it leaves. */
async function runPage(url: string): Promise<{ report: ConsumerReport; urls: string[] }> {
  const context = await browser.newContext();
  try {
    const urls = recordRequests(context);
    const page = await context.newPage();
    const errors: string[] = [];
    // An error on the page (a module that fails to load, say) means no report will ever come: stop
    // at once with it rather than wait out the timeout.
    let failed!: (e: Error) => void;
    const pageFailed = new Promise<never>((_, reject) => (failed = reject));
    page.on('pageerror', (e) => {
      errors.push(e.message);
      failed(new Error(`the consumer page failed: ${e.message}`));
    });
    pageFailed.catch(() => undefined);
    await page.goto(url);
    await Promise.race([
      page.waitForFunction(() => (window as Window & { consumerReport?: unknown }).consumerReport !== undefined, undefined, { timeout: 4 * MINUTES }),
      pageFailed,
    ]);
    const outcome = await page.evaluate(() => (window as Window & { consumerReport?: unknown }).consumerReport);
    expect(errors).toEqual([]);
    expect(outcome, JSON.stringify(outcome).slice(0, 2000)).toMatchObject({ ok: true });
    return { report: (outcome as { report: ConsumerReport }).report, urls };
  } finally {
    await context.close();
  }
}

function checkReport(report: ConsumerReport): void {
  expect(report.read).toEqual({ dimensions: SIZE, pixelType: 'Int16Array', sum: voxelSum, max: 1000, inner: 1000, rim: 0 });
  // Smoothing blurs the ball's edge and keeps its mass (the ball is far from the volume's edges).
  expect(report.smoothed.dimensions).toEqual(SIZE);
  expect(report.smoothed.inner).toBeLessThan(1000);
  expect(report.smoothed.rim).toBeGreaterThan(0);
  expect(report.smoothed.inner).toBeGreaterThan(report.smoothed.rim);
  expect(Math.abs(report.smoothed.sum - voxelSum) / voxelSum).toBeLessThan(0.02);
  expect(report.inverted.negated).toBe(true);
  expect(report.workflow).toEqual({ states: ['done', 'done'], sameAsDirect: true });
  // The split's slabs, stitched, are the unsplit filter's output voxel for voxel (and it did filter).
  expect(report.split).toMatchObject({ equal: true, voxels: voxels.length });
  expect(report.split.rim).toBeGreaterThan(0);
  expect(report.writtenName).toMatch(/\.nii$/);
  expect(report.nrrdName).toMatch(/\.nrrd$/);
  expect(report.nrrdBytes).toBeGreaterThan(report.read.dimensions.reduce((a, b) => a * b, 1));
}

/** `vite` in the app's folder on a free loopback port; resolves once it says where it listens. */
async function startDevServer(dir: string): Promise<{ url: string; output(): string; close(): Promise<void> }> {
  const port = await freePort();
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'NODE_ENV'));
  // NO_COLOR: with CI set, Vite colours its output even into a pipe, and its URL line then has
  // the port wrapped in escape codes, which the wait below would never find.
  const child = spawn(process.execPath, [join(dir, 'node_modules/vite/bin/vite.js'), '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: dir,
    env: { ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      // eslint-disable-next-line no-control-regex -- an ANSI escape sequence, should a colour get through all the same
      if (output.replace(/\u001b\[[0-9;]*m/g, '').includes(`127.0.0.1:${port}`)) {
        clearTimeout(silent);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`vite dev server exited (${code}) before listening:\n${output}`)));
    // A server that never says where it listens is stopped, not left behind the test.
    const silent = setTimeout(() => {
      child.kill();
      reject(new Error(`vite dev server did not say it listens on port ${port} within 2 minutes:\n${output}`));
    }, 2 * MINUTES).unref();
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    output: () => output,
    close: async () => {
      child.kill();
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

interface ConsumerReport {
  read: { dimensions: number[]; pixelType: string; sum: number; max: number; inner: number; rim: number };
  smoothed: { inner: number; rim: number; sum: number; dimensions: number[] };
  inverted: { negated: boolean };
  workflow: { states: string[]; sameAsDirect: boolean };
  split: { equal: boolean; voxels: number; rim: number };
  writtenName: string;
  nrrdName: string;
  nrrdBytes: number;
}
