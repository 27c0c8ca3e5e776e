/**
 * `voxpool serve --executor slurm` on a real single-node Slurm (slurm-cluster.ts): a run uploaded
 * through the API goes to Slurm as `voxpool run --executor slurm` would send it (one job per
 * task, each running `voxpool exec`), its state comes from squeue while it runs, and its outputs
 * come back through the API with the voxels and header `voxpool run` writes on this machine.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tinyNifti } from '../e2e/nifti.ts';
import { voxpoolDone } from '../node/cli-support.ts';
import buildDist from '../node/global-setup.ts';
import { jsonBody, readSmoothWorkflow, serve, type Served } from '../node/serve-support.ts';
import { reportClusterOnFailure, startSlurm, type TestCluster } from './slurm-cluster.ts';
import type { Capabilities, CreatedRun, RemoteOutputs, RemoteRunStatus } from '../../src/study/remote-api.ts';

let cluster: TestCluster;
let server: Served;
let tmp: string;

beforeAll(async () => {
  // The jobs run dist/src/node/bin.js: it must be built before anything is submitted.
  buildDist();
  cluster = await startSlurm();
  tmp = await mkdtemp(join(tmpdir(), 'voxpool-serve-slurm-'));
  await mkdir(join(tmp, 'page'));
  await writeFile(join(tmp, 'page/index.html'), '<!doctype html><title>voxpool</title>');
  server = await serve(['--page', join(tmp, 'page'), '--runs', join(tmp, 'runs'), '--executor', 'slurm'], tmp, cluster.env);
}, 300_000);

reportClusterOnFailure(() => cluster);

afterAll(async () => {
  if (server) {
    server.cli.child.kill('SIGTERM');
    await server.cli.exit;
  }
  await cluster?.stop();
});

it("a run sent through voxpool serve runs on Slurm, is followed from squeue, and hands back the local runner's voxels", async () => {
  const caps = (await server.send('GET', '/api/capabilities')).json<Capabilities>();
  expect(caps.executors).toEqual(['slurm']);
  expect(caps.slurm).toEqual({ sbatch: true, squeue: true, scancel: true });

  const workflow = readSmoothWorkflow('served-slurm');
  const created = await server.send('POST', '/api/runs', jsonBody({ workflow: JSON.stringify(workflow), executor: 'slurm' }));
  expect(created.status, created.body.toString()).toBe(201);
  const run = created.json<CreatedRun>();
  expect((await server.send('PUT', `/api/runs/${run.id}/inputs/sub-01/anat/a.nii`, { body: tinyNifti() })).status).toBe(200);
  expect((await server.send('POST', `/api/runs/${run.id}/start`)).status).toBe(200);

  const seen = new Set<string>();
  let last: RemoteRunStatus | undefined;
  await expect
    .poll(
      async () => {
        last = (await server.send('GET', `/api/runs/${run.id}`)).json<RemoteRunStatus>();
        for (const t of last.tasks) seen.add(t.place);
        return last.finished;
      },
      { timeout: 100_000, interval: 200 },
    )
    .toBe(true);
  expect(last!.state, `${JSON.stringify(last)}\n${cluster.logs()}`).toBe('done');
  expect(last!.executor).toBe('slurm');
  // squeue saw jobs waiting or running before they ended.
  expect([...seen].some((p) => p === 'queued' || p === 'running')).toBe(true);
  const record = JSON.parse(await readFile(join(tmp, 'runs', run.id, 'run.json'), 'utf8')) as { executor?: { kind: string } };
  expect(record.executor?.kind).toBe('slurm');

  const outputs = (await server.send('GET', `/api/runs/${run.id}/outputs`)).json<RemoteOutputs>();
  expect(outputs.files.map((f) => f.path)).toEqual(['derivatives/a_rf0.nii', 'derivatives/a_rf5.nii']);
  const dir = await mkdtemp(join(tmpdir(), 'voxpool-serve-slurm-cli-'));
  await writeFile(join(dir, 'workflow.json'), JSON.stringify(workflow));
  await mkdir(join(dir, 'sub-01/anat'), { recursive: true });
  await writeFile(join(dir, 'sub-01/anat/a.nii'), tinyNifti());
  expect((await voxpoolDone(['run', 'workflow.json', '--workers', '1'], dir)).code).toBe(0);
  for (const f of outputs.files) {
    const got = (await server.send('GET', `/api/runs/${run.id}/outputs/${f.path}`)).body;
    const local = await readFile(join(dir, f.path));
    expect(got.byteLength, f.path).toBe(local.byteLength);
    // Header and voxels byte for byte: a Slurm job (`voxpool exec`, reading its inputs from the
    // run's file store) writes what the local runner writes, the sign of every zero included.
    expect(Buffer.compare(got, local), f.path).toBe(0);
  }
});
