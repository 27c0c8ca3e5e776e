/**
 * Builds the page once (unless VOXPOOL_E2E_DIST names a built folder) and serves it on a free
 * loopback port, at a subpath, next to an embedding page on another path.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { serveStatic, type StaticServer } from './static-server.ts';
import { APP_PATH, EMBED_PATH, MONITOR_PATH, embedPage, monitorPage } from './paths.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    origin: string;
    /** The built folder, for tests that serve it their own way (with a CSP header, say). */
    dist: string;
  }
}

let server: StaticServer | undefined;
let tmp: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  const repo = resolve(import.meta.dirname, '../..');
  let dist = process.env.VOXPOOL_E2E_DIST;
  if (!dist) {
    tmp = await mkdtemp(join(tmpdir(), 'voxpool-e2e-'));
    dist = join(tmp, 'dist');
    // What `npm run build` does (a production build: Vitest's NODE_ENV=test would otherwise
    // pick development builds of dependencies), into a folder of our own, its worker also
    // serving the pool's test ops (build.config.ts).
    const config = join(repo, 'test/e2e/build.config.ts');
    await promisify(execFile)(
      process.execPath,
      [join(repo, 'node_modules/vite/bin/vite.js'), 'build', '--config', config, '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'],
      {
        cwd: repo,
        env: { ...process.env, NODE_ENV: 'production' },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  }
  server = await serveStatic(resolve(dist), APP_PATH, {
    [EMBED_PATH]: embedPage(`${APP_PATH}voxpool-app.js`),
    [MONITOR_PATH]: monitorPage(`${APP_PATH}voxpool-app.js`),
  });
  project.provide('origin', server.origin);
  project.provide('dist', resolve(dist));
}

export async function teardown(): Promise<void> {
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
}
