/**
 * `voxpool run --executor slurm` end to end on a real single-node Slurm (slurm-cluster.ts): the
 * built CLI (dist/) submits one job per task, each job runs `voxpool exec`, and status, resume
 * and cancel pick the run up from its folder. Real ops, small volumes, so jobs take seconds.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNifti } from '../../src/data/nifti-read.ts';
import { readJson, runDirOf, scratch, smoothWorkflow, voxpool, voxpoolDone } from '../node/cli-support.ts';
import buildDist from '../node/global-setup.ts';
import { startSlurm, type TestCluster } from './slurm-cluster.ts';

let cluster: TestCluster;

beforeAll(async () => {
  // The jobs run dist/src/node/bin.js: it must be built before anything is submitted.
  buildDist();
  cluster = await startSlurm();
}, 300_000);

afterAll(async () => {
  await cluster?.stop();
});

const run = (args: string[], dir: string) => voxpoolDone(args, dir, cluster.env);

interface StoredTaskFile {
  id: number;
  attempts: number;
  place: string;
  startedAt: number | null;
  endedAt: number | null;
}

/** Per task key: exec's stored record, and its stored result's file (a rerun writes a new one). */
async function stored(runDir: string): Promise<Map<string, { task: StoredTaskFile; result: string | null }>> {
  const keys = (await readJson<{ tasks: { key: string; id: number }[] }>(join(runDir, 'run.json'))).tasks;
  const out = new Map<string, { task: StoredTaskFile; result: string | null }>();
  for (const name of await readdir(join(runDir, 'tasks'))) {
    const task = await readJson<StoredTaskFile>(join(runDir, 'tasks', name));
    const result = await readFile(join(runDir, 'results', `${task.id}.json`), 'utf8').catch(() => null);
    out.set(keys.find((k) => k.id === task.id)!.key, { task, result });
  }
  return out;
}

/** The Slurm run record: its planned jobs (an array per fan-out, or one job per task) and its sbatch calls. */
async function slurmRecord(runDir: string): Promise<{ jobs: { node: string; array: boolean }[]; submissions: number }> {
  const r = await readJson<{ plan: { jobs: { node: string; array: boolean }[] }; submissions: unknown[] }>(join(runDir, 'slurm', 'slurm-run.json'));
  return { jobs: r.plan.jobs, submissions: r.submissions.length };
}

describe('voxpool run --executor slurm', () => {
  it('runs a 3-subject workflow with a fan-out and a join to done, outputs written; status says done', async () => {
    const subjects = [
      [24, 24, 16],
      [28, 24, 16],
      [32, 24, 16],
    ];
    const dir = await scratch({
      format: 'voxpool-workflow',
      version: 1,
      name: 'subjects',
      tasks: [
        { id: 'subject', op: 'volume.phantom', each: subjects.map((dimensions) => ({ dimensions })) },
        { id: 'smooth', op: 'volume.gaussianVtk', each: 'subject', params: { std: 1, radiusFactor: 2 }, inputs: { volume: { task: 'subject' } } },
        {
          id: 'save',
          op: 'volume.write',
          each: 'subject',
          params: { format: 'nii' },
          inputs: { volume: { task: 'smooth' } },
          outputs: { bytes: 'out/sub{index}.nii' },
        },
        // The join: waits for every subject's save.
        { id: 'all', op: 'volume.phantom', params: { dimensions: [8, 8, 8] }, after: ['save'] },
      ],
    });
    const r = await run(['run', 'workflow.json', '--executor', 'slurm'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^submitted 10 task\(s\) to Slurm$/m);
    // Each fan-out one job array, element i its instance i.
    expect(r.stdout).toMatch(/^subject#0: queued as job \d+_0$/m);
    expect(r.stdout).toMatch(/^save#2: queued as job \d+_2$/m);
    expect(r.stdout).toMatch(/^all: queued as job \d+$/m);
    expect(r.stdout).toMatch(/^smooth#2: done in \d/m);
    expect(r.stdout).toMatch(/^done: 10\/10 done, 0 failed, 0 skipped, 0 cancelled/m);
    for (const [i, dims] of subjects.entries()) {
      const v = await readNifti([{ name: `sub${i}.nii`, bytes: new Uint8Array(await readFile(join(dir, `out/sub${i}.nii`))) }]);
      expect(v.dimensions).toEqual(dims);
    }
    const runDir = runDirOf(r.stdout);
    const s = await stored(runDir);
    // Each task ran once, in its own job, and the join only after every save.
    for (const [, t] of s) expect(t.task.attempts).toBe(1);
    expect(s.get('all')!.task.startedAt!).toBeGreaterThanOrEqual(Math.max(...[0, 1, 2].map((i) => s.get(`save#${i}`)!.task.endedAt!)));
    const record = await slurmRecord(runDir);
    expect(record.jobs.map((j) => [j.node, j.array])).toEqual([
      ['subject', true],
      ['smooth', true],
      ['save', true],
      ['all', false],
    ]);
    expect(record.submissions).toBe(4);

    const status = await run(['status', runDir], dir);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^save#1\tdone$/m);
    expect(status.stdout).toMatch(/^done: 10\/10 done/m);
  });

  it('a failing task skips only its dependents; exit code 1; status says which', async () => {
    const dir = await scratch({
      format: 'voxpool-workflow',
      version: 1,
      name: 'failing',
      tasks: [
        { id: 'head', op: 'volume.phantom', params: { dimensions: [24, 24, 16] } },
        { id: 'bad', op: 'volume.write', params: { format: 'bmp' }, inputs: { volume: { task: 'head' } } },
        { id: 'after-bad', op: 'volume.gaussianVtk', params: { radiusFactor: 2 }, inputs: { volume: { task: 'head' } }, after: ['bad'] },
        { id: 'good', op: 'volume.gaussianVtk', params: { radiusFactor: 2 }, inputs: { volume: { task: 'head' } } },
        { id: 'save', op: 'volume.write', params: { format: 'nii' }, inputs: { volume: { task: 'good' } }, outputs: { bytes: 'good.nii' } },
      ],
    });
    const r = await run(['run', 'workflow.json', '--executor', 'slurm'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^bad: failed: input\.format: must be one of .*\(got "bmp"\)/m);
    expect(r.stdout).toMatch(/^after-bad: skipped: prerequisite bad failed/m);
    expect(r.stdout).toMatch(/^failed: 3\/5 done, 1 failed, 1 skipped, 0 cancelled/m);
    expect((await readFile(join(dir, 'good.nii'))).byteLength).toBe(352 + 24 * 24 * 16 * 2);
    const status = await run(['status', runDirOf(r.stdout)], dir);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^bad\tfailed\tinput\.format: must be one of .*\(got "bmp"\)/m);
    expect(status.stdout).toMatch(/^after-bad\tskipped\tprerequisite bad failed/m);
    expect(status.stdout).toMatch(/^good\tdone$/m);
    expect(status.stdout).toMatch(/^save\tdone$/m);
  });

  it('a failed subject in a job array stops only its own chain (aftercorr) and the join', async () => {
    const dir = await scratch({
      format: 'voxpool-workflow',
      version: 1,
      name: 'chains',
      tasks: [
        { id: 'head', op: 'volume.phantom', params: { dimensions: [24, 24, 16] } },
        { id: 'w', op: 'volume.write', each: [{ format: 'nii' }, { format: 'bmp' }, { format: 'nii' }], inputs: { volume: { task: 'head' } } },
        { id: 'r', op: 'volume.read', each: 'w', inputs: { files: [{ task: 'w' }] } },
        { id: 's', op: 'volume.write', each: 'w', params: { format: 'nii' }, inputs: { volume: { task: 'r' } }, outputs: { bytes: 'out/s{index}.nii' } },
        { id: 'j', op: 'volume.phantom', params: { dimensions: [8, 8, 8] }, after: ['s'] },
      ],
    });
    const r = await run(['run', 'workflow.json', '--executor', 'slurm'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^w#1: failed: input\.format: must be one of .*\(got "bmp"\)/m);
    expect(r.stdout).toMatch(/^r#1: skipped: prerequisite w#1 failed$/m);
    expect(r.stdout).toMatch(/^s#1: skipped: prerequisite r#1 skipped$/m);
    expect(r.stdout).toMatch(/^j: skipped: prerequisite s#1 skipped$/m);
    expect(r.stdout).toMatch(/^failed: 7\/11 done, 1 failed, 3 skipped, 0 cancelled/m);
    for (const i of [0, 2]) expect((await readFile(join(dir, `out/s${i}.nii`))).byteLength).toBe(352 + 24 * 24 * 16 * 2);
    const runDir = runDirOf(r.stdout);
    expect((await slurmRecord(runDir)).jobs.map((j) => [j.node, j.array])).toEqual([
      ['head', false],
      ['w', true],
      ['r', true],
      ['s', true],
      ['j', false],
    ]);
    const status = await run(['status', runDir], dir);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^r#0\tdone$/m);
    expect(status.stdout).toMatch(/^r#1\tskipped\tprerequisite w#1 failed$/m);
  });

  it('cancel scancels the run (the follower exits 3), status says stopped, resume finishes it', async () => {
    const dir = await scratch(smoothWorkflow('cancelled', { dimensions: [96, 96, 48] }, [20, 19, 18, 17]));
    const cli = voxpool(['run', 'workflow.json', '--executor', 'slurm'], dir, cluster.env);
    await cli.line(/^head: (queued|running)/);
    const runDir = runDirOf(cli.stdout);
    const cancel = await run(['cancel', runDir], dir);
    expect(cancel.stderr).toBe('');
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toMatch(/^cancelled on Slurm: /m);
    expect(await cli.exit).toBe(3);
    expect(cli.stdout).toMatch(/^save#3: cancelled/m);
    expect(cli.stdout).toMatch(/^stopped: \d\/9 done, 0 failed, 0 skipped, [1-9] cancelled/m);
    const status = await run(['status', runDir], dir);
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/^save#3\tcancelled/m);
    expect(status.stdout).toMatch(/^stopped: /m);
    const resumed = await run(['resume', runDir], dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^done: 9\/9 done/m);
    for (const rf of [20, 19, 18, 17]) expect((await readFile(join(dir, `out/rf${rf}.nii`))).byteLength).toBe(352 + 96 * 96 * 48 * 2);
  });

  it('the CLI killed mid-run: the jobs go on, and resume finishes with nothing recomputed', async () => {
    const factors = [20, 19, 18, 17, 16, 15];
    const dir = await scratch(smoothWorkflow('killed', { dimensions: [96, 96, 48] }, factors));
    const cli = voxpool(['run', 'workflow.json', '--executor', 'slurm'], dir, cluster.env);
    await cli.line(/^smooth#\d: done/);
    cli.child.kill('SIGKILL');
    expect(await cli.exit).toBe('SIGKILL');
    const runDir = runDirOf(cli.stdout);
    const before = [...(await stored(runDir))].filter(([, s]) => s.result !== null);
    expect(before.map(([k]) => k)).toContain('head');
    expect(before.length).toBeGreaterThanOrEqual(2);

    const resumed = await run(['resume', runDir], dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^done: 13\/13 done/m);
    const after = await stored(runDir);
    for (const [key, s] of before) {
      expect(after.get(key)!.task.attempts).toBe(s.task.attempts);
      expect(after.get(key)!.result).toBe(s.result);
    }
    // No job was submitted twice: each (head, the smooth array, the save array) once, by run or by resume.
    expect(await slurmRecord(runDir)).toEqual({ jobs: expect.any(Array), submissions: 3 });
    for (const [, s] of after) expect(s.task.attempts).toBe(1);
    for (const rf of factors) expect((await readFile(join(dir, `out/rf${rf}.nii`))).byteLength).toBe(352 + 96 * 96 * 48 * 2);
  });

  it('--detach exits once submitted; resume follows the run it finds (nothing resubmitted) to done', async () => {
    const dir = await scratch(smoothWorkflow('detached', { dimensions: [24, 24, 16] }, [1, 2]));
    const r = await run(['run', 'workflow.json', '--executor', 'slurm', '--detach'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^submitted 5 task\(s\) to Slurm$/m);
    expect(r.stdout).not.toMatch(/^done: /m);
    const runDir = runDirOf(r.stdout);
    const resumed = await run(['resume', runDir], dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^done: 5\/5 done/m);
    expect((await slurmRecord(runDir)).submissions).toBe(3);
    expect((await readFile(join(dir, 'out/rf2.nii'))).byteLength).toBe(352 + 24 * 24 * 16 * 2);
  });
});
