/**
 * What a Slurm job costs here and what grouping saves: the same 16 no-op tasks (`/bin/true`) as 16
 * jobs, as one job array, and grouped 8 per array element; one job alone; a chain of 4 dependent
 * jobs; and the 16 jobs and the chain as the executor's `group: 'auto'` plans them. On a real single-node Slurm (test/cluster/slurm-cluster.ts), passes interleaved, medians.
 * Run by bench/slurm.mjs, which bundles this file (Node 20 runs no .ts) and writes the results.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRecord, SlurmCli, SlurmExecutor, type ClusterDag, type GroupMode } from '../../src/cluster/index.ts';
import { startSlurm } from '../../test/cluster/slurm-cluster.ts';

const N = 16;
const PASSES = Number(process.env.BENCH_PASSES) || 3;
const cmd = ['/bin/true'];

interface Shape {
  name: string;
  tasks: number;
  /** Slurm jobs (array elements count one each). */
  jobs: number;
  group?: GroupMode;
  dag: (cwd: string) => ClusterDag;
}

const shapes: Shape[] = [
  { name: 'one job', tasks: 1, jobs: 1, dag: (cwd) => ({ tasks: [{ id: 't', cwd, command: cmd }] }) },
  { name: `${N} jobs`, tasks: N, jobs: N, dag: (cwd) => ({ tasks: Array.from({ length: N }, (_, i) => ({ id: `t${i}`, cwd, command: cmd })) }) },
  {
    name: `1 array of ${N}`,
    tasks: N,
    jobs: N,
    dag: (cwd) => ({ fanOuts: [{ id: 'f', cwd, command: cmd, items: Array.from({ length: N }, (_, i) => `${i}`), itemsPerJob: 1 }] }),
  },
  {
    name: `1 array of 2, ${N / 2} tasks each`,
    tasks: N,
    jobs: 2,
    dag: (cwd) => ({ fanOuts: [{ id: 'f', cwd, command: cmd, items: Array.from({ length: N }, (_, i) => `${i}`), itemsPerJob: N / 2 }] }),
  },
  {
    name: 'chain of 4 jobs',
    tasks: 4,
    jobs: 4,
    dag: (cwd) => ({ tasks: Array.from({ length: 4 }, (_, i) => ({ id: `c${i}`, cwd, command: cmd, after: i ? [`c${i - 1}`] : [] })) }),
  },
  // The executor's own grouping (group.ts) on the same DAGs: what `voxpool run --executor slurm` does by default.
  {
    name: `${N} jobs, group auto`,
    tasks: N,
    jobs: 2,
    group: 'auto',
    dag: (cwd) => ({ tasks: Array.from({ length: N }, (_, i) => ({ id: `t${i}`, cwd, command: cmd })) }),
  },
  {
    name: 'chain of 4, group auto',
    tasks: 4,
    jobs: 1,
    group: 'auto',
    dag: (cwd) => ({ tasks: Array.from({ length: 4 }, (_, i) => ({ id: `c${i}`, cwd, command: cmd, after: i ? [`c${i - 1}`] : [] })) }),
  },
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const cluster = await startSlurm();
const slurmVersion = execFileSync('sbatch', ['--version'], { env: cluster.env, encoding: 'utf8' }).trim();
const work = mkdtempSync(join(tmpdir(), 'voxpool-slurm-bench-'));
const exec = new SlurmExecutor({ slurm: new SlurmCli({ env: cluster.env }) });
const grouped = new SlurmExecutor({ slurm: new SlurmCli({ env: cluster.env }), group: 'auto' });
const samples = new Map<string, { wall: number[]; submit: number[] }>(shapes.map((s) => [s.name, { wall: [], submit: [] }]));
try {
  for (let pass = 0; pass < PASSES; pass++) {
    const order = pass % 2 ? [...shapes].reverse() : shapes;
    for (const shape of order) {
      const runDir = join(work, `${pass}-${shape.name.replace(/\W+/g, '_')}`);
      const t0 = performance.now();
      const executor = shape.group ? grouped : exec;
      await executor.submit(shape.dag(work), runDir);
      const t1 = performance.now();
      const status = await executor.wait(runDir, { pollMs: 50 });
      const elements = readRecord(runDir).plan.jobs.reduce((n, j) => n + j.elements.length, 0);
      // The grouped shapes' job count is what the executor chose for this cluster's CPUs.
      if (shape.group) shape.jobs = elements;
      else if (elements !== shape.jobs) throw new Error(`${shape.name}: ${elements} jobs (array elements) planned, not ${shape.jobs}`);
      const t2 = performance.now();
      if (status.counts.done !== shape.tasks) throw new Error(`${shape.name}: ${JSON.stringify(status.counts)}`);
      samples.get(shape.name)!.wall.push(t2 - t0);
      samples.get(shape.name)!.submit.push(t1 - t0);
    }
  }
} finally {
  await cluster.stop();
  rmSync(work, { recursive: true, force: true });
}
const rows = shapes.map((s) => {
  const { wall, submit } = samples.get(s.name)!;
  return {
    shape: s.name,
    tasks: s.tasks,
    jobs: s.jobs,
    wallMs: median(wall),
    submitMs: median(submit),
    perTaskMs: median(wall) / s.tasks,
    passes: wall.map(Math.round),
  };
});
process.stdout.write(JSON.stringify({ date: new Date().toISOString(), cpus: cluster.cpus, slurmVersion, passes: PASSES, rows }) + '\n');
