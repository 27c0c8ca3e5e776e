/**
 * The Slurm executor against a real single-node Slurm (slurm-cluster.ts). The tasks are plain
 * `node -e` commands that leave files behind, so what ran (and how often) is read off the disk.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCK_FILE,
  RECORD_FILE,
  RunRecordError,
  readRecord,
  RunBusyError,
  RunIncompleteError,
  SlurmCli,
  SlurmExecutor,
  type ClusterDag,
  type RunStatus,
  type TaskState,
} from '../../src/cluster/index.ts';
import { reportClusterOnFailure, startSlurm, type TestCluster } from './slurm-cluster.ts';

let cluster: TestCluster;
let exec: SlurmExecutor;
let work: string;

beforeAll(async () => {
  cluster = await startSlurm();
  exec = new SlurmExecutor({ slurm: new SlurmCli({ env: cluster.env }) });
  work = mkdtempSync(join(tmpdir(), 'voxpool-slurm-work-'));
});

reportClusterOnFailure(() => cluster);

afterAll(async () => {
  await cluster?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A task command: node runs `script` with `args` (process.argv[1...]). Every task also logs itself once per run in runs/. */
const node = (script: string, ...args: string[]): string[] => [process.execPath, '-e', script, ...args];
const LOG_RUN = "require('fs').appendFileSync(require('path').join(process.argv[1], 'runs', process.argv[2] + '.log'), 'ran\\n');";

function runDirs(name: string): { runDir: string; dir: string } {
  const dir = join(work, name);
  mkdirSync(join(dir, 'runs'), { recursive: true });
  return { runDir: join(dir, 'run'), dir };
}

const stateOf = (status: RunStatus): Record<string, TaskState> => Object.fromEntries(status.tasks.map((t) => [t.id, t.state]));

/** Waits (squeue is the only source of events) until `check` holds for the run's status. */
async function until(runDir: string, what: string, check: (s: RunStatus) => boolean, timeoutMs = 60_000): Promise<RunStatus> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const status = await exec.status(runDir);
    if (check(status)) return status;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms; states ${JSON.stringify(stateOf(status))}\n${cluster.logs()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A process still running: present in /proc and not a zombie (a zombie has ended, its parent just hasn't reaped it). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const runCounts = (dir: string): Record<string, number> =>
  Object.fromEntries(
    readdirSync(join(dir, 'runs')).map((f) => [
      f.replace(/\.log$/, ''),
      readFileSync(join(dir, 'runs', f), 'utf8')
        .split('\n')
        .filter(Boolean).length,
    ]),
  );

/** prepare -> process[sub-01..03] (a job array) -> join: the 3-subject DAG of the tests. */
function subjectsDag(dir: string, processScript = ''): ClusterDag {
  const subjects = ['sub-01', 'sub-02', 'sub-03'];
  return {
    tasks: [
      {
        id: 'prepare',
        cwd: dir,
        resources: { cpus: 1, memoryMB: 100, timeMinutes: 5 },
        command: node(
          `${LOG_RUN} require('fs').writeFileSync('subjects.txt', process.argv[3]); console.log(process.env.SLURM_CPUS_PER_TASK, process.env.SLURM_MEM_PER_NODE);`,
          dir,
          'prepare',
          subjects.join(','),
        ),
      },
      {
        id: 'join',
        cwd: dir,
        after: ['process'],
        command: node(
          `${LOG_RUN} const fs = require('fs'); fs.writeFileSync('join.txt', process.argv[3].split(',').map((s) => fs.readFileSync(s + '.txt', 'utf8')).join('\\n'));`,
          dir,
          'join',
          subjects.join(','),
        ),
      },
    ],
    fanOuts: [
      {
        id: 'process',
        items: subjects,
        after: ['prepare'],
        cwd: dir,
        env: { SUBJECT: '{item}' },
        command: node(
          `${LOG_RUN} const fs = require('fs'); if (!fs.readFileSync('subjects.txt', 'utf8').split(',').includes(process.env.SUBJECT)) process.exit(9); ${processScript} console.log('processing ' + process.env.SUBJECT + ' as item ' + process.argv[3]); fs.writeFileSync(process.env.SUBJECT + '.txt', 'done ' + process.env.SUBJECT);`,
          dir,
          'process-{item}',
          '{index}',
        ),
      },
    ],
  };
}

describe('Slurm executor', () => {
  it('runs a 3-subject DAG with a fan-out (one job array) and a join to done, each task with its own log', async () => {
    const { runDir, dir } = runDirs('dag');
    await exec.submit(subjectsDag(dir), runDir);
    const status = await exec.wait(runDir, { pollMs: 200 });
    expect(stateOf(status)).toEqual({ prepare: 'done', 'process[sub-01]': 'done', 'process[sub-02]': 'done', 'process[sub-03]': 'done', join: 'done' });
    expect(readFileSync(join(dir, 'join.txt'), 'utf8')).toBe('done sub-01\ndone sub-02\ndone sub-03');
    expect(exec.logs(runDir, 'process[sub-02]').stdout).toBe('processing sub-02 as item 1\n');
    // The task's resources reached sbatch (Slurm tells the job what it got).
    expect(exec.logs(runDir, 'prepare').stdout).toBe('1 100\n');
    // Three sbatch calls: the fan-out is one array of three elements, the join waits on the whole array.
    const record = readRecord(runDir);
    expect(record.submissions.map((s) => s.elements)).toEqual([[0], [0, 1, 2], [0]]);
    expect(status.tasks.find((t) => t.id === 'process[sub-03]')!.jobId).toBe(`${record.submissions[1]!.jobId}_2`);
    expect(runCounts(dir)).toEqual({ prepare: 1, 'process-sub-01': 1, 'process-sub-02': 1, 'process-sub-03': 1, join: 1 });

    // A folder holds one run; a folder without a readable record is refused, naming the file.
    await expect(exec.submit(subjectsDag(dir), runDir)).rejects.toThrow(RunRecordError);
    await expect(exec.resume(join(dir, 'nowhere'))).rejects.toThrow(
      `${join(dir, 'nowhere', RECORD_FILE)}: there is no Slurm run record here (is this the run folder?)`,
    );
    const damaged = join(dir, 'damaged');
    mkdirSync(damaged);
    writeFileSync(join(damaged, RECORD_FILE), '{"format": "voxpool-slurm-run", "vers');
    await expect(exec.status(damaged)).rejects.toThrow(/slurm-run\.json: is not valid JSON \(.*\): the file is damaged$/);
  });

  it('a failing task skips only its dependents', async () => {
    const { runDir, dir } = runDirs('fail');
    const dag = subjectsDag(dir, "if (process.env.SUBJECT === 'sub-02') { console.error('sub-02 is broken'); process.exit(3); }");
    dag.tasks!.push(
      ...['sub-01', 'sub-02', 'sub-03'].map((s) => ({ id: `report-${s}`, cwd: dir, after: [`process[${s}]`], command: node(LOG_RUN, dir, `report-${s}`) })),
      { id: 'final', cwd: dir, after: ['join'], command: node(LOG_RUN, dir, 'final') },
      { id: 'other', cwd: dir, command: node(LOG_RUN, dir, 'other') },
    );
    await exec.submit(dag, runDir);
    const status = await exec.wait(runDir, { pollMs: 200 });
    expect(stateOf(status)).toEqual({
      prepare: 'done',
      other: 'done',
      'process[sub-01]': 'done',
      'process[sub-02]': 'failed',
      'process[sub-03]': 'done',
      'report-sub-01': 'done',
      'report-sub-02': 'skipped',
      'report-sub-03': 'done',
      join: 'skipped',
      final: 'skipped',
    });
    const failed = status.tasks.find((t) => t.id === 'process[sub-02]')!;
    expect(failed.exitCode).toBe(3);
    expect(exec.logs(runDir, 'process[sub-02]').stderr).toBe('sub-02 is broken\n');
    expect(status.tasks.find((t) => t.id === 'final')!.reason).toBe('prerequisite join skipped');
    expect(Object.keys(runCounts(dir)).sort()).toEqual([
      'other',
      'prepare',
      'process-sub-01',
      'process-sub-02',
      'process-sub-03',
      'report-sub-01',
      'report-sub-03',
    ]);
  });

  it('per-subject chains (afterEach): a failed subject stops only its own later steps, and resume re-runs only that subject', async () => {
    const { runDir, dir } = runDirs('chains');
    const subjects = ['sub-01', 'sub-02', 'sub-03'];
    await exec.submit(
      {
        fanOuts: [
          {
            id: 'read',
            items: subjects,
            cwd: dir,
            command: node(
              `${LOG_RUN} const fs = require('fs'); if (process.argv[3] === 'sub-02' && !fs.existsSync('fix.txt')) process.exit(5); fs.writeFileSync(process.argv[3] + '.read', '');`,
              dir,
              'read-{item}',
              '{item}',
            ),
          },
          {
            id: 'smooth',
            items: subjects,
            afterEach: ['read'],
            cwd: dir,
            command: node(
              `${LOG_RUN} const fs = require('fs'); fs.readFileSync(process.argv[3] + '.read'); fs.writeFileSync(process.argv[3] + '.smooth', '');`,
              dir,
              'smooth-{item}',
              '{item}',
            ),
          },
        ],
        tasks: [{ id: 'join', cwd: dir, after: ['smooth'], command: node(LOG_RUN, dir, 'join') }],
      },
      runDir,
    );
    let status = await exec.wait(runDir, { pollMs: 200 });
    expect(stateOf(status)).toEqual({
      'read[sub-01]': 'done',
      'read[sub-02]': 'failed',
      'read[sub-03]': 'done',
      'smooth[sub-01]': 'done',
      'smooth[sub-02]': 'skipped',
      'smooth[sub-03]': 'done',
      join: 'skipped',
    });
    expect(readRecord(runDir).submissions).toHaveLength(3);

    writeFileSync(join(dir, 'fix.txt'), '');
    await exec.resume(runDir);
    expect(
      readRecord(runDir)
        .submissions.slice(3)
        .map((s) => [s.job, s.elements]),
    ).toEqual([
      [0, [1]],
      [1, [1]],
      [2, [0]],
    ]);
    status = await exec.wait(runDir, { pollMs: 200 });
    expect(status.counts.done).toBe(7);
    expect(runCounts(dir)).toEqual({
      'read-sub-01': 1,
      'read-sub-02': 2,
      'read-sub-03': 1,
      'smooth-sub-01': 1,
      'smooth-sub-02': 1,
      'smooth-sub-03': 1,
      join: 1,
    });
  });

  it('cancel stops a running task and its dependents, and leaves done ones done', async () => {
    const { runDir, dir } = runDirs('cancel');
    await exec.submit(
      {
        tasks: [
          { id: 'quick', cwd: dir, command: node(LOG_RUN, dir, 'quick') },
          {
            id: 'long',
            cwd: dir,
            command: node(
              `${LOG_RUN} require('fs').writeFileSync('long.pid', String(process.pid)); setTimeout(() => require('fs').writeFileSync('long.end', ''), 300000);`,
              dir,
              'long',
            ),
          },
          { id: 'after-long', cwd: dir, after: ['long'], command: node(LOG_RUN, dir, 'after-long') },
        ],
      },
      runDir,
    );
    await until(
      runDir,
      'quick done and long running',
      (s) => stateOf(s).quick === 'done' && stateOf(s).long === 'running' && existsSync(join(dir, 'long.pid')),
    );
    const pid = Number(readFileSync(join(dir, 'long.pid'), 'utf8'));
    await exec.cancel(runDir);
    const status = await exec.wait(runDir, { pollMs: 200 });
    expect(stateOf(status)).toEqual({ quick: 'done', long: 'cancelled', 'after-long': 'cancelled' });
    expect(existsSync(join(dir, 'long.end'))).toBe(false);
    // Slurm reports the job cancelled before slurmd has signalled its processes (SIGTERM, then SIGKILL after KillWait).
    await waitUntil(`the cancelled command (pid ${pid}) ends`, () => !alive(pid), 20_000);
    expect(runCounts(dir)).toEqual({ quick: 1, long: 1 });
  });

  it('groups small items into array elements, and resume after a failure re-runs only the failed item and what it skipped', async () => {
    const { runDir, dir } = runDirs('batch');
    const items = ['a', 'b', 'c', 'd', 'e'];
    await exec.submit(
      {
        fanOuts: [
          {
            id: 'small',
            items,
            itemsPerJob: 2,
            cwd: dir,
            // c fails until fix.txt exists.
            command: node(
              `${LOG_RUN} const fs = require('fs'); if (process.argv[3] === 'c' && !fs.existsSync('fix.txt')) { console.error('c needs fix.txt'); process.exit(4); } fs.writeFileSync(process.argv[3] + '.txt', '');`,
              dir,
              'small-{item}',
              '{item}',
            ),
          },
        ],
        tasks: [{ id: 'join', cwd: dir, after: ['small'], command: node(LOG_RUN, dir, 'join') }],
      },
      runDir,
    );
    let status = await exec.wait(runDir, { pollMs: 200 });
    // Five items in three elements (a b | c d | e): c failing doesn't stop d, its element-mate.
    expect(readRecord(runDir).submissions.map((s) => s.elements)).toEqual([[0, 1, 2], [0]]);
    expect(stateOf(status)).toEqual({ 'small[a]': 'done', 'small[b]': 'done', 'small[c]': 'failed', 'small[d]': 'done', 'small[e]': 'done', join: 'skipped' });

    writeFileSync(join(dir, 'fix.txt'), '');
    await exec.resume(runDir);
    // Only c's element (1) and the join went again; d, done in that element, was not re-run.
    expect(readRecord(runDir).submissions.map((s) => [s.job, s.elements])).toEqual([
      [0, [0, 1, 2]],
      [1, [0]],
      [0, [1]],
      [1, [0]],
    ]);
    status = await exec.wait(runDir, { pollMs: 200 });
    expect(status.counts.done).toBe(6);
    expect(status.tasks.find((t) => t.id === 'small[c]')!.attempts).toBe(2);
    expect(runCounts(dir)).toEqual({ 'small-a': 1, 'small-b': 1, 'small-c': 2, 'small-d': 1, 'small-e': 1, join: 1 });
    // The failed attempt's log is kept beside the new one.
    const c = readRecord(runDir).plan.tasks.find((t) => t.id === 'small[c]')!;
    expect(readFileSync(join(runDir, 'tasks', `${c.key}.1.err`), 'utf8')).toBe('c needs fix.txt\n');
    expect(exec.logs(runDir, 'small[c]').stderr).toBe('');
  });

  it('the submitter killed in the middle: resume adopts its unrecorded job, leaves running ones, and re-runs nothing', async () => {
    const { runDir, dir } = runDirs('resume');
    // sub-03 runs until the test writes release.txt, so the kill lands while it runs.
    const dag = subjectsDag(dir);
    const fan = dag.fanOuts![0]!;
    fan.command = node(
      `${LOG_RUN} const fs = require('fs'); (function () { const go = () => { console.log('processing ' + process.env.SUBJECT); fs.writeFileSync(process.env.SUBJECT + '.txt', 'done ' + process.env.SUBJECT); }; if (process.env.SUBJECT !== 'sub-03') return go(); const t = setInterval(() => { if (fs.existsSync('release.txt')) { clearInterval(t); go(); } }, 50); })();`,
      dir,
      'process-{item}',
    );
    const dagFile = join(dir, 'dag.json');
    writeFileSync(dagFile, JSON.stringify(dag));
    const bundle = join(dir, 'submit-child.mjs');
    await new Promise<void>((ok, fail) =>
      execFile(
        resolve('node_modules/.bin/rolldown'),
        [resolve('test/cluster/submit-child.ts'), '--platform', 'node', '--format', 'esm', '--file', bundle],
        (e, _o, err) => (e ? fail(new Error(`rolldown: ${err}`)) : ok()),
      ),
    );
    // Paused after the second sbatch (the array) returned, before the record has it.
    const child = spawn(process.execPath, [bundle, runDir, dagFile, '2'], { env: cluster.env, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
    const arrayId = await new Promise<string>((ok, fail) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += String(d);
        const m = /paused (\d+)/.exec(out);
        if (m) ok(m[1]!);
      });
      child.once('exit', (code) => fail(new Error(`the submitter exited (${code}) before pausing: ${out}`)));
    });
    await until(runDir, 'sub-01, sub-02 done, sub-03 running', (s) => {
      const st = stateOf(s);
      return st['process[sub-01]'] === 'done' && st['process[sub-02]'] === 'done' && st['process[sub-03]'] === 'running';
    });
    // While it lives, it holds the run: no second submitter.
    await expect(exec.resume(runDir)).rejects.toThrow(RunBusyError);
    child.kill('SIGKILL');
    await exited;
    // Its lock file stays behind (resume would take it over, its process being gone).
    expect(JSON.parse(readFileSync(join(runDir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: child.pid });
    expect(readRecord(runDir).submissions.map((s) => s.jobId)).not.toContain(arrayId);
    expect(stateOf(await exec.status(runDir)).join).toBe('pending');
    // Waiting would never end: the join was never submitted, and its submitter is dead.
    await expect(exec.wait(runDir)).rejects.toThrow(RunIncompleteError);

    const resumed = await exec.resume(runDir);
    expect(stateOf(resumed)['process[sub-03]']).toBe('running');
    const record = readRecord(runDir);
    // prepare (recorded), the array (adopted, not resubmitted) and the join: nothing sent twice.
    expect(record.submissions.map((s) => [s.job, s.adopted === true])).toEqual([
      [0, false],
      [1, true],
      [2, false],
    ]);
    writeFileSync(join(dir, 'release.txt'), '');
    const status = await exec.wait(runDir, { pollMs: 200 });
    expect(status.finished && status.counts.done).toBe(5);
    expect(readFileSync(join(dir, 'join.txt'), 'utf8')).toBe('done sub-01\ndone sub-02\ndone sub-03');
    expect(runCounts(dir)).toEqual({ prepare: 1, 'process-sub-01': 1, 'process-sub-02': 1, 'process-sub-03': 1, join: 1 });

    // A second resume of a finished run submits nothing.
    await exec.resume(runDir);
    expect(readRecord(runDir).submissions).toHaveLength(3);
    expect(existsSync(join(runDir, LOCK_FILE))).toBe(false);
  });
});
