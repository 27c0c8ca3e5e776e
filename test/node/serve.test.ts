/**
 * `voxpool serve` as built (dist/), over real HTTP: the capabilities, a run uploaded (workflow
 * file and its input), started on the local Node runner, followed, its outputs downloaded and
 * equal to `voxpool run`'s of the same file; cancel; and the refusals: paths that leave the run's
 * folders, and requests from another site. Raw node:http requests, so that a `..` or a foreign
 * Host header reaches the server as sent (fetch would fold or drop them).
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyNifti } from '../e2e/nifti.ts';
import { voxpoolDone, smoothWorkflow } from './cli-support.ts';
import { jsonBody as json, readSmoothWorkflow, serve, type Served } from './serve-support.ts';
import type { ApiError, Capabilities, CreatedRun, RemoteOutputs, RemoteRunStatus } from '../../src/study/remote-api.ts';

let server: Served;
let base: URL;
let tmp: string;
const send: Served['send'] = (...args) => server.send(...args);

async function create(workflow: unknown): Promise<CreatedRun> {
  const r = await send('POST', '/api/runs', json({ workflow: JSON.stringify(workflow), executor: 'local' }));
  expect(r.status, r.body.toString()).toBe(201);
  return r.json<CreatedRun>();
}

/** Asks until the run is finished (the page polls the same way). */
async function finished(id: string, timeout = 120_000): Promise<RemoteRunStatus> {
  let last: RemoteRunStatus | undefined;
  await expect
    .poll(
      async () => {
        last = (await send('GET', `/api/runs/${id}`)).json<RemoteRunStatus>();
        return last.finished;
      },
      { timeout, interval: 200 },
    )
    .toBe(true);
  return last!;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'voxpool-serve-'));
  await mkdir(join(tmp, 'page'));
  await writeFile(join(tmp, 'page/index.html'), '<!doctype html><title>voxpool</title>');
  // --executor local: the test machine may have Slurm's commands, which this file does not test.
  server = await serve(['--page', join(tmp, 'page'), '--runs', join(tmp, 'runs'), '--workers', '2', '--executor', 'local'], tmp);
  base = server.base;
});
afterAll(async () => {
  server?.cli.child.kill('SIGTERM');
  if (server) expect(await server.cli.exit).toBe(0);
});

describe('voxpool serve', () => {
  it('serves the page with its CSP and says what it offers', async () => {
    const page = await send('GET', '/');
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<title>voxpool</title>');
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect((await send('GET', '/nothing-here.js')).status).toBe(404);
    const caps = (await send('GET', '/api/capabilities')).json<Capabilities>();
    expect(caps).toMatchObject({ server: 'voxpool serve', api: 1, executors: ['local'], workers: 2 });
    expect(typeof caps.slurm.sbatch).toBe('boolean');
  });

  it('takes a workflow and its input, runs it on the Node runner, and hands back the outputs voxpool run writes', async () => {
    const workflow = readSmoothWorkflow('served');
    const run = await create(workflow);
    expect(run.inputs).toEqual(['sub-01/anat/a.nii']);
    expect((await send('GET', `/api/runs/${run.id}`)).json<RemoteRunStatus>()).toMatchObject({ state: 'uploading', finished: false });
    // Not before its input is there.
    const early = await send('POST', `/api/runs/${run.id}/start`);
    expect(early.status).toBe(409);
    expect(early.json<ApiError>().message).toContain('still lacks 1 input file(s): sub-01/anat/a.nii');
    expect((await send('PUT', `/api/runs/${run.id}/inputs/sub-01/anat/a.nii`, { body: tinyNifti() })).status).toBe(200);
    const started = await send('POST', `/api/runs/${run.id}/start`);
    expect(started.status).toBe(200);
    expect(['starting', 'running']).toContain(started.json<RemoteRunStatus>().state);
    expect((await send('POST', `/api/runs/${run.id}/start`)).status).toBe(409);

    const end = await finished(run.id);
    expect(end.state).toBe('done');
    expect(end.tasks.map((t) => `${t.key} ${t.place}`)).toEqual(['read done', 'smooth#0 done', 'smooth#1 done', 'save#0 done', 'save#1 done']);
    const outputs = (await send('GET', `/api/runs/${run.id}/outputs`)).json<RemoteOutputs>();
    expect(outputs.files.map((f) => f.path)).toEqual(['derivatives/a_rf0.nii', 'derivatives/a_rf5.nii']);

    // The same file through `voxpool run` on the command line: the same bytes.
    const dir = await mkdtemp(join(tmpdir(), 'voxpool-serve-cli-'));
    await writeFile(join(dir, 'workflow.json'), JSON.stringify(workflow));
    await mkdir(join(dir, 'sub-01/anat'), { recursive: true });
    await writeFile(join(dir, 'sub-01/anat/a.nii'), tinyNifti());
    expect((await voxpoolDone(['run', 'workflow.json', '--workers', '2'], dir)).code).toBe(0);
    for (const f of outputs.files) {
      const got = await send('GET', `/api/runs/${run.id}/outputs/${f.path}`);
      expect(got.status).toBe(200);
      expect(got.body.byteLength).toBe(f.size);
      expect(Buffer.compare(got.body, await readFile(join(dir, f.path))), f.path).toBe(0);
    }
    // The run's folder is a run folder like any other: the CLI reads it.
    const status = await voxpoolDone(['status', join(tmp, 'runs', run.id)], tmp);
    expect(status.stdout).toMatch(/^done: 5\/5 done/m);
  });

  it('cancels a running run: it stops, its state says so, and `voxpool resume` finishes it', async () => {
    const workflow = smoothWorkflow('served-cancel', { dimensions: [256, 256, 160] }, [20, 19, 18, 17]);
    const run = await create(workflow);
    expect(run.inputs).toEqual([]);
    expect((await send('POST', `/api/runs/${run.id}/start`)).status).toBe(200);
    await expect
      .poll(async () => (await send('GET', `/api/runs/${run.id}`)).json<RemoteRunStatus>().tasks.some((t) => t.key === 'smooth#0' && t.place === 'running'), {
        timeout: 60_000,
        interval: 100,
      })
      .toBe(true);
    const cancelled = await send('POST', `/api/runs/${run.id}/cancel`);
    expect(cancelled.status).toBe(200);
    const s = cancelled.json<RemoteRunStatus>();
    expect(s).toMatchObject({ state: 'stopped', finished: true });
    expect(s.tasks.filter((t) => t.place === 'done').length).toBeLessThan(9);
    const resumed = await voxpoolDone(['resume', join(tmp, 'runs', run.id)], tmp);
    expect(resumed.stdout).toMatch(/^done: 9\/9 done/m);
    expect((await send('GET', `/api/runs/${run.id}`)).json<RemoteRunStatus>()).toMatchObject({ state: 'done', finished: true });
  });

  it('refuses paths that leave the run folder, in the workflow and in the URL, saying what is wrong', async () => {
    const up = await send('POST', '/api/runs', json({ workflow: JSON.stringify(readSmoothWorkflow('escape', '../../etc/passwd')), executor: 'local' }));
    expect(up.status).toBe(400);
    expect(up.json<ApiError>()).toMatchObject({ error: 'WorkflowFileError' });
    expect(up.json<ApiError>().message).toContain('"../../etc/passwd" leaves its folder');
    const abs = await send(
      'POST',
      '/api/runs',
      json({ workflow: JSON.stringify(readSmoothWorkflow('escape', 'a.nii', '/tmp/out{radiusFactor}.nii')), executor: 'local' }),
    );
    expect(abs.status).toBe(400);
    expect(abs.json<ApiError>().message).toContain('"/tmp/out{radiusFactor}.nii" is absolute');

    const run = await create(readSmoothWorkflow('escape-url'));
    for (const path of ['../../../escaped.nii', '..%2F..%2Fescaped.nii', 'sub-01/anat/%2E%2E/%2E%2E/%2E%2E/%2E%2E/escaped.nii']) {
      const r = await send('PUT', `/api/runs/${run.id}/inputs/${path}`, { body: 'x' });
      expect(r.status, path).toBe(400);
      expect(r.json<ApiError>(), path).toMatchObject({ error: 'UnsafePathError' });
      expect(r.json<ApiError>().message, path).toMatch(/leaves its folder.*only reads and writes inside a run's folder/);
    }
    const other = await send('PUT', `/api/runs/${run.id}/inputs/sub-02/anat/b.nii`, { body: 'x' });
    expect(other.json<ApiError>().message).toContain('"sub-02/anat/b.nii" is not an input file of the run\'s workflow');
    const out = await send('GET', `/api/runs/${run.id}/outputs/../upload/workflow.json`);
    expect(out.status).toBe(400);
    expect(out.json<ApiError>().error).toBe('UnsafePathError');
    expect((await send('GET', '/../../etc/passwd')).status).toBe(400);
    await expect(readFile(join(tmp, 'escaped.nii'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses requests from another site with 403 and says why', async () => {
    const workflow = JSON.stringify(smoothWorkflow('cross', undefined, [0]));
    const evil = await send('POST', '/api/runs', {
      body: JSON.stringify({ workflow, executor: 'local' }),
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
    });
    expect(evil.status).toBe(403);
    expect(evil.json<ApiError>()).toMatchObject({ error: 'CrossOriginError' });
    expect(evil.json<ApiError>().message).toContain('a request from http://evil.example was refused');
    // A DNS name rebound to 127.0.0.1: its Host is not the server's.
    const rebound = await send('GET', '/api/capabilities', { headers: { host: `evil.example:${base.port}` } });
    expect(rebound.status).toBe(403);
    expect(rebound.json<ApiError>().message).toContain(`host "evil.example:${base.port}" is not this server's`);
    const page = await send('GET', '/', { headers: { host: `evil.example:${base.port}` } });
    expect(page.status).toBe(403);
    const site = await send('GET', '/api/capabilities', { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(site.status).toBe(403);
    expect(site.json<ApiError>().message).toContain('a cross-site request was refused');
    // The page's own requests pass.
    const own = await send('GET', '/api/capabilities', { headers: { origin: base.origin, 'sec-fetch-site': 'same-origin' } });
    expect(own.status).toBe(200);
  });
});
