/**
 * The issue's pipeline benchmark outside the page: 8 subjects, each read, smooth, threshold,
 * components, isosurface (40 tasks, one chain per subject, as the study page exports them), run by
 * the built CLI with the local Node runner (2 worker threads) and with `--executor slurm`
 * (`--group off`: a job per task; `--group auto`, the default: a job per chain, the chains packed
 * into array elements for the CPUs) on a real single-node Slurm (test/cluster/slurm-cluster.ts,
 * the machine's 2 CPUs), passes
 * interleaved. Per-task overhead: the slot time a task held beyond its op's own compute time,
 * (2 slots x wall - sum of the ops' times) / tasks. Run by bench/pipeline.mjs, which bundles this.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSlurm } from '../../test/cluster/slurm-cluster.ts';

const SUBJECTS = 8;
const SLOTS = 2;
const PASSES = Number(process.env.BENCH_PASSES) || 2;
const DIMENSIONS = [128, 128, 80];
const BIN = resolve('dist/src/node/bin.js');

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('error', fail);
    child.on('exit', (code) => done({ code, stdout, ms: performance.now() - t0 }));
  });
}

const subjects = Array.from({ length: SUBJECTS }, (_, i) => `0${i + 1}`);

const inputsWorkflow = {
  format: 'voxpool-workflow',
  version: 1,
  name: 'bench-inputs',
  tasks: [
    { id: 'head', op: 'volume.phantom', each: subjects.map((s, i) => ({ subject: s, seed: i + 1, dimensions: DIMENSIONS })) },
    {
      id: 'save',
      op: 'volume.write',
      each: 'head',
      params: { format: 'nii' },
      inputs: { volume: { task: 'head' } },
      outputs: { bytes: 'inputs/sub-{subject}.nii' },
    },
  ],
};

const pipeline = {
  format: 'voxpool-workflow',
  version: 1,
  name: 'bench-pipeline',
  tasks: subjects.flatMap((s) => [
    { id: `read-${s}`, op: 'volume.read', inputs: { files: [{ file: `inputs/sub-${s}.nii` }] } },
    { id: `smooth-${s}`, op: 'volume.gaussian', params: { sigma: 2 }, inputs: { volume: { task: `read-${s}` } } },
    { id: `threshold-${s}`, op: 'volume.threshold', params: { lower: 300, upper: 32767 }, inputs: { volume: { task: `smooth-${s}` } } },
    { id: `components-${s}`, op: 'volume.components', params: { connectivity: 26 }, inputs: { volume: { task: `threshold-${s}` } } },
    { id: `isosurface-${s}`, op: 'volume.isosurface', params: { isovalue: 0.5 }, inputs: { volume: { task: `components-${s}`, path: ['labels'] } } },
  ]),
};

/** How many sbatch calls the run made (its Slurm run record's submissions). */
function slurmJobs(runDir: string): number {
  return (JSON.parse(readFileSync(join(runDir, 'slurm', 'slurm-run.json'), 'utf8')) as { submissions: unknown[] }).submissions.length;
}

/** The sum of the ops' own times (each stored task's endedAt - startedAt). */
function computeMs(runDir: string): number {
  let sum = 0;
  for (const name of readdirSync(join(runDir, 'tasks'))) {
    const t = JSON.parse(readFileSync(join(runDir, 'tasks', name), 'utf8')) as { startedAt: number | null; endedAt: number | null; place: string };
    if (t.place !== 'done' || t.startedAt === null || t.endedAt === null) throw new Error(`${runDir}/tasks/${name}: not done (${t.place})`);
    sum += t.endedAt - t.startedAt;
  }
  return sum;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const cluster = await startSlurm();
const work = mkdtempSync(join(tmpdir(), 'voxpool-bench-pipeline-'));
try {
  writeFileSync(join(work, 'inputs.json'), JSON.stringify(inputsWorkflow));
  writeFileSync(join(work, 'workflow.json'), JSON.stringify(pipeline));
  const prep = await cli(['run', 'inputs.json', '--workers', '2'], work, cluster.env);
  if (prep.code !== 0) throw new Error(`making the inputs failed:\n${prep.stdout}`);
  const tasks = pipeline.tasks.length;
  const executors = ['node', 'slurm-off', 'slurm-auto'] as const;
  const runs: Record<(typeof executors)[number], { wallMs: number; computeMs: number; jobs: number }[]> = { node: [], 'slurm-off': [], 'slurm-auto': [] };
  for (let pass = 0; pass < PASSES; pass++) {
    for (const executor of pass % 2 ? [...executors].reverse() : executors) {
      const args = executor === 'node' ? ['--workers', String(SLOTS)] : ['--executor', 'slurm', '--group', executor === 'slurm-off' ? 'off' : 'auto'];
      const r = await cli(['run', 'workflow.json', ...args, '--id', `${executor}-${pass}`], work, cluster.env);
      if (r.code !== 0) throw new Error(`${executor} pass ${pass} ended with ${r.code}:\n${r.stdout}`);
      const runDir = join(work, 'voxpool-runs', `${executor}-${pass}`);
      runs[executor].push({ wallMs: r.ms, computeMs: computeMs(runDir), jobs: executor === 'node' ? 0 : slurmJobs(runDir) });
    }
  }
  const rows = executors.map((executor) => {
    const wall = median(runs[executor].map((r) => r.wallMs));
    const compute = median(runs[executor].map((r) => r.computeMs));
    return {
      executor:
        executor === 'node'
          ? `voxpool run --workers ${SLOTS} (Node worker threads)`
          : `voxpool run --executor slurm --group ${executor === 'slurm-off' ? 'off' : 'auto'} (${SLOTS} CPUs)`,
      tasks,
      sbatch: executor === 'node' ? 0 : runs[executor][0]!.jobs,
      wallMs: wall,
      computeMs: compute,
      overheadPerTaskMs: (SLOTS * wall - compute) / tasks,
      passes: runs[executor].map((r) => Math.round(r.wallMs)),
    };
  });
  const slurmVersion =
    (await new Promise<string>((done) => {
      const c = spawn('sinfo', ['--version'], { env: cluster.env });
      let out = '';
      c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      c.on('exit', () => done(out.trim()));
    })) || 'slurm';
  process.stdout.write(
    `${JSON.stringify({ date: new Date().toISOString(), cpus: cluster.cpus, slurmVersion, subjects: SUBJECTS, dimensions: DIMENSIONS, passes: PASSES, rows })}\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
  await cluster.stop();
}
