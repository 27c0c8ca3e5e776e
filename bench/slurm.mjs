// The Slurm executor's benchmark: `node bench/slurm.mjs` (as root, with Debian's slurmctld, slurmd,
// slurm-client and munge). Bundles bench/slurm/measure.ts with rolldown (Node 20 runs no .ts), runs
// it, and writes bench/results/slurm.json and slurm.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const load0 = loadavg()[0].toFixed(1);
const tmp = mkdtempSync(join(tmpdir(), 'voxpool-bench-slurm-'));
const bundle = join(tmp, 'measure.mjs');
try {
  execFileSync(join(root, 'node_modules/.bin/rolldown'), [join(root, 'bench/slurm/measure.ts'), '--platform', 'node', '--format', 'esm', '--file', bundle], {
    stdio: 'inherit',
  });
  const out = execFileSync(process.execPath, [bundle], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const result = JSON.parse(out.trim().split('\n').pop());
  writeFileSync(join(root, 'bench/results/slurm.json'), JSON.stringify(result, null, 2) + '\n');
  const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
  const lines = [
    '# voxpool Slurm executor benchmark',
    '',
    `${result.date}, ${result.cpus} cores (${cpus()[0]?.model.trim()}), ${result.slurmVersion}, single-node test cluster (test/cluster/slurm-cluster.ts), ${result.passes} passes interleaved; medians. Load average ${load0} at the start, ${loadavg()[0].toFixed(1)} at the end (the machine is shared).`,
    'Measured with `node bench/slurm.mjs` (`npm run bench:slurm`). Every task is `/bin/true`: the times are all overhead.',
    'Wall time runs from `submit()` to `wait()` seeing every task done (squeue polled every 50 ms).',
    '',
    '| shape | tasks | Slurm jobs | wall ms | of which submit ms | ms per task | per pass |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...result.rows.map((r) => `| ${r.shape} | ${r.tasks} | ${r.jobs} | ${fmt(r.wallMs)} | ${fmt(r.submitMs)} | ${fmt(r.perTaskMs)} | ${r.passes.join(', ')} |`),
    '',
  ];
  const single = result.rows[0];
  const jobs = result.rows[1];
  const array = result.rows[2];
  const grouped = result.rows[3];
  const chain = result.rows[4];
  const autoJobs = result.rows[5];
  const autoChain = result.rows[6];
  lines.push(
    `- One job, submit to done: ${fmt(single.wallMs)} ms. ${jobs.tasks} jobs on ${result.cpus} CPUs: ${fmt(jobs.wallMs)} ms, ${fmt((jobs.wallMs * result.cpus) / jobs.jobs)} ms of a CPU slot per job.`,
    `- One job array instead of ${jobs.jobs} jobs: ${fmt(array.wallMs)} ms (${(jobs.wallMs / array.wallMs).toFixed(2)}x faster); the same tasks grouped ${grouped.tasks / grouped.jobs} per element (2 elements): ${fmt(grouped.wallMs)} ms, ${(array.wallMs / grouped.wallMs).toFixed(2)}x faster than the ungrouped array, ${fmt((array.wallMs - grouped.wallMs) / (array.jobs - grouped.jobs))} ms saved per job not started.`,
    `- A chain of ${chain.jobs} dependent jobs: ${fmt(chain.wallMs)} ms, ${fmt(chain.wallMs / chain.jobs)} ms per hop (a dependency is seen by the scheduler on its next pass).`,
    `- The executor's grouping (\`group: 'auto'\`, src/cluster/group.ts; \`voxpool run --executor slurm\` by default): the ${autoJobs.tasks} independent tasks packed into ${autoJobs.jobs} array elements, ${fmt(autoJobs.wallMs)} ms (${(jobs.wallMs / autoJobs.wallMs).toFixed(2)}x faster than ${jobs.jobs} jobs, ${fmt(autoJobs.perTaskMs)} ms per task); the chain of ${autoChain.tasks} as ${autoChain.jobs} job, ${fmt(autoChain.wallMs)} ms (${(chain.wallMs / autoChain.wallMs).toFixed(2)}x faster than ${chain.jobs} dependent jobs).`,
    `- Grouping rule: chains become one job; independent units are packed as far as min(CPUs, units) elements allow, less when an estimate (\`estimatedSeconds\`) says fewer units per element already keep a job's ~1 s under 10% of the work; no estimate, packed to the CPUs (group.ts). With \`group: 'off'\`, the fan-out rule alone (plan.ts, itemsPerJob): with an estimate, enough items per element for 60 s of work; none, no grouping.`,
    '',
  );
  writeFileSync(join(root, 'bench/results/slurm.md'), lines.join('\n'));
  process.stdout.write(lines.join('\n'));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
