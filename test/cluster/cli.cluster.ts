/**
 * `voxpool run --executor slurm` end to end on a real single-node Slurm (slurm-cluster.ts): the
 * built CLI (dist/) submits one job per task (`--group off`) or per group of tasks (the default,
 * `auto`), each task runs through `voxpool exec`, and status, resume and cancel pick the run up
 * from its folder. Real ops, small volumes, so jobs take seconds.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNifti } from '../../src/data/nifti-read.ts';
import { readJson, runDirOf, scratch, smoothWorkflow, voxpool, voxpoolDone } from '../node/cli-support.ts';
import buildDist from '../node/global-setup.ts';
import { maxPerElement } from '../../src/cluster/index.ts';
import { reportClusterOnFailure, startSlurm, type TestCluster } from './slurm-cluster.ts';

let cluster: TestCluster;

beforeAll(async () => {
  // The jobs run dist/src/node/bin.js: it must be built before anything is submitted.
  buildDist();
  cluster = await startSlurm();
}, 300_000);

reportClusterOnFailure(() => cluster);

afterAll(async () => {
  await cluster?.stop();
});

const run = (args: string[], dir: string) => voxpoolDone(args, dir, cluster.env);

/** `units` chains packed into array elements as `auto` packs them for the test cluster's CPUs (the machine's: 2 here, so 3 chains go 2 + 1). */
function packed<T>(units: T[][]): T[][] {
  const k = maxPerElement(units.length, cluster.cpus);
  const out: T[][] = [];
  units.forEach((u, i) => (out[Math.floor(i / k)] ??= []).push(...u));
  return out;
}

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
  // Only whole records: a job still running may be writing one (`<id>.json.<pid>.<n>.tmp`, then renamed).
  for (const name of (await readdir(join(runDir, 'tasks'))).filter((n) => n.endsWith('.json'))) {
    const task = await readJson<StoredTaskFile>(join(runDir, 'tasks', name));
    const result = await readFile(join(runDir, 'results', `${task.id}.json`), 'utf8').catch(() => null);
    out.set(keys.find((k) => k.id === task.id)!.key, { task, result });
  }
  return out;
}

interface PlannedJobFile {
  node: string;
  array: boolean;
  elements: string[][];
}

/** The Slurm run record: its planned jobs (an array per fan-out, or one job per task) and its sbatch calls. */
async function slurmRecord(runDir: string): Promise<{ jobs: PlannedJobFile[]; submissions: number }> {
  const r = await readJson<{ plan: { jobs: PlannedJobFile[] }; submissions: unknown[] }>(join(runDir, 'slurm', 'slurm-run.json'));
  return { jobs: r.plan.jobs, submissions: r.submissions.length };
}

/** Three subjects, each a chain phantom -> smooth -> save (three fan-outs), and a join after every save. */
const subjects = [
  [24, 24, 16],
  [28, 24, 16],
  [32, 24, 16],
];
const subjectsWorkflow = () => ({
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

describe('voxpool run --executor slurm --group off', () => {
  it('runs a 3-subject workflow with a fan-out and a join to done, outputs written; status says done', async () => {
    const dir = await scratch(subjectsWorkflow());
    const r = await run(['run', 'workflow.json', '--executor', 'slurm', '--group', 'off'], dir);
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
    const r = await run(['run', 'workflow.json', '--executor', 'slurm', '--group', 'off'], dir);
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
    const r = await run(['run', 'workflow.json', '--executor', 'slurm', '--group', 'off'], dir);
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
    const cli = voxpool(['run', 'workflow.json', '--executor', 'slurm', '--group', 'off'], dir, cluster.env);
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
    const cli = voxpool(['run', 'workflow.json', '--executor', 'slurm', '--group', 'off'], dir, cluster.env);
    await cli.line(/^smooth#\d: done/);
    cli.child.kill('SIGKILL');
    expect(await cli.exit).toBe('SIGKILL');
    const runDir = runDirOf(cli.stdout);
    // Done in the snapshot: its record says so and its result is there. The jobs go on while it
    // is read, so a result can land between reading a task's record and its result file.
    const before = [...(await stored(runDir))].filter(([, s]) => s.result !== null && s.task.place === 'done');
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
    const r = await run(['run', 'workflow.json', '--executor', 'slurm', '--group', 'off', '--detach'], dir);
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

/**
 * head, then 6 chains smooth -> save on a 192 x 192 x 128 volume: niimath's Gaussian takes about
 * 2 s here, so a grouped element (3 chains on 2 CPUs) is still at work when the first smooth is done.
 */
const SIGMAS = [3, 3.1, 3.2, 3.3, 3.4, 3.5];
const HEAVY_BYTES = 352 + 192 * 192 * 128 * 2;
const heavyWorkflow = (name: string) => ({
  format: 'voxpool-workflow',
  version: 1,
  name,
  tasks: [
    { id: 'head', op: 'volume.phantom', params: { dimensions: [192, 192, 128] } },
    { id: 'smooth', op: 'volume.gaussian', each: SIGMAS.map((sigma) => ({ sigma })), inputs: { volume: { task: 'head' } } },
    {
      id: 'save',
      op: 'volume.write',
      each: 'smooth',
      params: { format: 'nii' },
      inputs: { volume: { task: 'smooth' } },
      outputs: { bytes: 'out/s{sigma}.nii' },
    },
  ],
});

describe('voxpool run --executor slurm, grouped (--group auto, the default)', () => {
  it('runs the 3-subject fan-out and join in 2 sbatch calls for 10 tasks: each chain one job, packed 2 + 1 for 2 CPUs', async () => {
    const dir = await scratch(subjectsWorkflow());
    const r = await run(['run', 'workflow.json', '--executor', 'slurm'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^submitted 10 task\(s\) to Slurm$/m);
    // Each subject's steps in one element; here (2 CPUs) subjects 0 and 1 in element 0, subject 2 in element 1.
    const elements = packed([0, 1, 2].map((i) => [`subject[${i}]`, `smooth[${i}]`, `save[${i}]`]));
    const elementOf = (i: number): number => elements.findIndex((e) => e.includes(`save[${i}]`));
    expect(r.stdout).toMatch(new RegExp(`^subject#1: (queued as|running in) job \\d+_${elementOf(1)}$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^save#2: (queued as|running in) job \\d+_${elementOf(2)}$`, 'm'));
    expect(r.stdout).toMatch(/^smooth#2: done in \d/m);
    expect(r.stdout).toMatch(/^done: 10\/10 done, 0 failed, 0 skipped, 0 cancelled/m);
    for (const [i, dims] of subjects.entries()) {
      const v = await readNifti([{ name: `sub${i}.nii`, bytes: new Uint8Array(await readFile(join(dir, `out/sub${i}.nii`))) }]);
      expect(v.dimensions).toEqual(dims);
    }
    const runDir = runDirOf(r.stdout);
    const record = await slurmRecord(runDir);
    expect(record.jobs.map((j) => [j.node, j.array, j.elements])).toEqual([
      ['subject+smooth+save', true, elements],
      ['all', false, [['all']]],
    ]);
    expect(record.submissions).toBe(2);
    const s = await stored(runDir);
    for (const [, t] of s) expect(t.task.attempts).toBe(1);
    // In a chain, each step after the one before; the join after every save.
    for (const i of [0, 1, 2]) expect(s.get(`save#${i}`)!.task.startedAt!).toBeGreaterThanOrEqual(s.get(`smooth#${i}`)!.task.endedAt!);
    expect(s.get('all')!.task.startedAt!).toBeGreaterThanOrEqual(Math.max(...[0, 1, 2].map((i) => s.get(`save#${i}`)!.task.endedAt!)));
    // Each task has its own log; the job's own output marks the tasks in turn.
    const status = await run(['status', runDir], dir);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^save#1\tdone$/m);
    // status lists a job's tasks in file order (each step's instances together).
    const step = (id: string): number => ['subject', 'smooth', 'save'].indexOf(id.split('[')[0]!);
    const keysOf = (ids: string[]): string =>
      [...ids]
        .sort((a, b) => step(a) - step(b) || a.localeCompare(b))
        .map((id) => id.replace(/\[(\d+)\]$/, '#$1'))
        .join(' ');
    const element0 = new RegExp(`^job (\\d+)_0: ${keysOf(elements[0]!)}$`, 'm').exec(status.stdout);
    expect(element0).not.toBeNull();
    for (const [e, ids] of elements.entries()) expect(status.stdout).toMatch(new RegExp(`^job ${element0![1]}_${e}: ${keysOf(ids)}$`, 'm'));
    expect(status.stdout).toMatch(/^job \d+: all$/m);
    const jobOut = await readFile(join(runDir, 'slurm', 'jobs', `0.${element0![1]}_0.out`), 'utf8');
    expect(jobOut).toMatch(/== task subject\[0\]: started [^\n]*\n== task subject\[0\]: exit 0 [^\n]*\n== task smooth\[0\]: started/);
    const record2 = await readJson<{ plan: { tasks: { id: string; key: string }[] } }>(join(runDir, 'slurm', 'slurm-run.json'));
    const smooth1 = record2.plan.tasks.find((t) => t.id === 'smooth[1]')!;
    expect(await readFile(join(runDir, 'slurm', 'tasks', `${smooth1.key}.out`), 'utf8')).toMatch(/^smooth#1: done in \d/);
  });

  it('a task failing in the middle of a grouped chain skips only its own later steps; the earlier ones stay done', async () => {
    // Two chains of single tasks: phantom -> write -> read -> write; chain b's first write (bmp) fails.
    const chain = (name: string, format: string) => [
      { id: `${name}-head`, op: 'volume.phantom', params: { dimensions: [24, 24, 16] } },
      { id: `${name}-w`, op: 'volume.write', params: { format }, inputs: { volume: { task: `${name}-head` } } },
      { id: `${name}-r`, op: 'volume.read', inputs: { files: [{ task: `${name}-w` }] } },
      { id: `${name}-s`, op: 'volume.write', params: { format: 'nii' }, inputs: { volume: { task: `${name}-r` } }, outputs: { bytes: `out/${name}.nii` } },
    ];
    const dir = await scratch({ format: 'voxpool-workflow', version: 1, name: 'grouped-failing', tasks: [...chain('a', 'nii'), ...chain('b', 'bmp')] });
    const r = await run(['run', 'workflow.json', '--executor', 'slurm'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^b-w: failed: input\.format: must be one of .*\(got "bmp"\)/m);
    expect(r.stdout).toMatch(/^b-r: skipped: prerequisite b-w failed$/m);
    expect(r.stdout).toMatch(/^b-s: skipped: prerequisite b-r skipped$/m);
    expect(r.stdout).toMatch(/^failed: 5\/8 done, 1 failed, 2 skipped, 0 cancelled/m);
    expect((await readFile(join(dir, 'out/a.nii'))).byteLength).toBe(352 + 24 * 24 * 16 * 2);
    const runDir = runDirOf(r.stdout);
    // One job per chain (2 chains for 2 CPUs: not packed further; on 1 CPU one element of both).
    const chains = [
      ['a-head', 'a-w', 'a-r', 'a-s'],
      ['b-head', 'b-w', 'b-r', 'b-s'],
    ];
    const planned = await slurmRecord(runDir);
    expect(planned.jobs.flatMap((j) => j.elements)).toEqual(packed(chains));
    expect(planned.submissions).toBe(planned.jobs.length);
    expect(planned.submissions).toBeLessThanOrEqual(2);
    const s = await stored(runDir);
    // The skipped steps never ran (no attempt, no result); the chain's first step is done, once.
    for (const k of ['b-r', 'b-s']) expect(s.get(k)).toMatchObject({ task: { attempts: 0 }, result: null });
    expect(s.get('b-head')).toMatchObject({ task: { attempts: 1, place: 'done' } });
    expect(s.get('b-head')!.result).not.toBeNull();
    const status = await run(['status', runDir], dir);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^b-head\tdone$/m);
    expect(status.stdout).toMatch(/^b-w\tfailed\tinput\.format: must be one of .*\(got "bmp"\)/m);
    expect(status.stdout).toMatch(/^b-r\tskipped\tprerequisite b-w failed$/m);
    expect(status.stdout).toMatch(/^job \d+: b-head b-w b-r b-s$/m);
  });

  it('cancel of a grouped run mid-chain: done tasks stay done, resume resubmits only what is left and recomputes nothing', async () => {
    const dir = await scratch(heavyWorkflow('grouped-cancel'));
    const cli = voxpool(['run', 'workflow.json', '--executor', 'slurm'], dir, cluster.env);
    await cli.line(/^smooth#\d: done/);
    const runDir = runDirOf(cli.stdout);
    const cancel = await run(['cancel', runDir], dir);
    expect(cancel.stderr).toBe('');
    expect(cancel.code).toBe(0);
    expect(await cli.exit).toBe(3);
    expect(cli.stdout).toMatch(/^stopped: \d+\/13 done, 0 failed, 0 skipped, [1-9]\d* cancelled/m);
    const before = [...(await stored(runDir))].filter(([, t]) => t.result !== null);
    expect(before.map(([k]) => k)).toContain('head');
    const status = await run(['status', runDir], dir);
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/^stopped: /m);
    const planned = await slurmRecord(runDir);
    expect(planned.jobs.map((j) => [j.node, j.elements])).toEqual([
      ['head', [['head']]],
      ['smooth+save', packed(SIGMAS.map((_, i) => [`smooth[${i}]`, `save[${i}]`]))],
    ]);

    const resumed = await run(['resume', runDir], dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^done: 13\/13 done/m);
    const after = await stored(runDir);
    for (const [key, t] of before) {
      expect(after.get(key)!.task.attempts).toBe(t.task.attempts);
      expect(after.get(key)!.result).toBe(t.result);
    }
    for (const sigma of SIGMAS) expect((await readFile(join(dir, `out/s${sigma}.nii`))).byteLength).toBe(HEAVY_BYTES);
  });

  it('the CLI killed mid-run: the grouped jobs go on, and resume finishes with nothing recomputed or resubmitted', async () => {
    const dir = await scratch(heavyWorkflow('grouped-killed'));
    const cli = voxpool(['run', 'workflow.json', '--executor', 'slurm'], dir, cluster.env);
    await cli.line(/^smooth#\d: done/);
    cli.child.kill('SIGKILL');
    expect(await cli.exit).toBe('SIGKILL');
    const runDir = runDirOf(cli.stdout);
    const before = [...(await stored(runDir))].filter(([, s]) => s.result !== null);
    expect(before.length).toBeGreaterThanOrEqual(2);

    const resumed = await run(['resume', runDir], dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^done: 13\/13 done/m);
    const after = await stored(runDir);
    for (const [key, s] of before) expect(after.get(key)!.result).toBe(s.result);
    for (const [, s] of after) expect(s.task.attempts).toBe(1);
    // head, and the smooth+save chains packed into one array (2 elements of 3 here): 2 sbatch calls, none again.
    expect(await slurmRecord(runDir)).toEqual({
      jobs: [expect.objectContaining({ node: 'head' }), expect.objectContaining({ node: 'smooth+save' })],
      submissions: 2,
    });
    for (const sigma of SIGMAS) expect((await readFile(join(dir, `out/s${sigma}.nii`))).byteLength).toBe(HEAVY_BYTES);
  });
});
