// The 8-subject pipeline on the Node runner and on Slurm: `node bench/pipeline.mjs` (as root, with
// Debian's slurmctld, slurmd, slurm-client and munge). Builds dist/ (the CLI both runs use),
// bundles bench/slurm/pipeline.ts with rolldown (Node 20 runs no .ts), runs it, and writes
// bench/results/pipeline.json and pipeline.md.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const load0 = loadavg()[0].toFixed(1);
const tmp = mkdtempSync(join(tmpdir(), 'voxpool-bench-pipeline-'));
const bundle = join(tmp, 'pipeline.mjs');
try {
  execFileSync(process.execPath, [join(root, 'build/package.mjs')], { cwd: root, stdio: 'inherit' });
  execFileSync(join(root, 'node_modules/.bin/rolldown'), [join(root, 'bench/slurm/pipeline.ts'), '--platform', 'node', '--format', 'esm', '--file', bundle], {
    stdio: 'inherit',
  });
  const out = execFileSync(process.execPath, [bundle], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const result = JSON.parse(out.trim().split('\n').pop());
  writeFileSync(join(root, 'bench/results/pipeline.json'), JSON.stringify(result, null, 2) + '\n');
  const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
  const [node, slurm, grouped] = result.rows;
  const lines = [
    '# The 8-subject pipeline: Node runner and Slurm (a job per task, and grouped)',
    '',
    `${result.date}, ${result.cpus} cores (${cpus()[0]?.model.trim()}), ${result.slurmVersion}, single-node test cluster (test/cluster/slurm-cluster.ts), ${result.passes} passes interleaved; medians. Load average ${load0} at the start, ${loadavg()[0].toFixed(1)} at the end (the machine is shared).`,
    `Measured with \`node bench/pipeline.mjs\`. ${result.subjects} phantom subjects of ${result.dimensions.join(' x ')} int16 voxels, each read (NIfTI), smoothed (niimath Gaussian, sigma 2 mm), thresholded (300-32767), labelled (components, 26-connected) and meshed (isosurface at 0.5): ${node.tasks} tasks, one chain per subject.`,
    "Wall time: from starting `voxpool run` to its exit, every task done. Overhead per task: (2 slots x wall - the sum of the ops' own times, from the stored task records) / tasks.",
    '',
    '| executor | tasks | sbatch calls | wall ms | sum of op times ms | overhead per task ms | per pass |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...result.rows.map(
      (r) =>
        `| ${r.executor} | ${r.tasks} | ${r.sbatch || '-'} | ${fmt(r.wallMs)} | ${fmt(r.computeMs)} | ${fmt(r.overheadPerTaskMs)} | ${r.passes.join(', ')} |`,
    ),
    '',
    `- Grouped (the default), Slurm takes ${fmt(grouped.wallMs)} ms, ${(slurm.wallMs / grouped.wallMs).toFixed(2)}x faster than a job per task and ${(grouped.wallMs / node.wallMs).toFixed(2)}x the Node runner's wall time: each subject's chain is one unit, the 8 chains packed into ${grouped.sbatch} sbatch call(s) of ${result.cpus} array elements (never fewer elements than CPUs), and an element runs its tasks in one warm \`voxpool exec --stdin\` process, so Node, the worker thread and the engines start once per element, not per task. Overhead per task: ${fmt(grouped.overheadPerTaskMs)} ms of slot time against ${fmt(slurm.overheadPerTaskMs)} ms ungrouped and ${fmt(node.overheadPerTaskMs)} ms on the Node runner; the sum of op times falls from ${fmt(slurm.computeMs)} to ${fmt(grouped.computeMs)} ms with the warm engines (${fmt(node.computeMs)} ms on the Node runner).`,
    `- Ungrouped (\`--group off\`), Slurm takes ${(slurm.wallMs / node.wallMs).toFixed(2)}x the Node runner's wall time here: each task is a job (sbatch, scheduling, a dependency hop, a new Node process, the inputs read from the run folder). A job's op time also holds its worker thread's start and the engines' cold load (${fmt((slurm.computeMs - node.computeMs) / slurm.tasks)} ms more per task than on the Node runner's warm threads). Counting the Node runner's op times as the work itself, a task costs ${fmt((2 * slurm.wallMs - node.computeMs) / slurm.tasks)} ms of slot time beyond it on Slurm, against ${fmt(node.overheadPerTaskMs)} ms on the Node runner.`,
    '- The pipeline is 8 chains of single tasks (inputs cannot be templated per fan-out instance in workflow format v1), so without grouping there are no job arrays at all.',
    '- The page with 2 workers is not in this table: it needs the built page in Chromium (bench/workflow.html); not measured in this run.',
    '',
  ];
  writeFileSync(join(root, 'bench/results/pipeline.md'), lines.join('\n'));
  process.stdout.write(lines.join('\n'));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
