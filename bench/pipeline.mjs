// The 8-subject pipeline in the page, on the Node runner and on Slurm: `node bench/pipeline.mjs`
// (as root, with Debian's slurmctld, slurmd, slurm-client and munge, and Chromium). Builds dist/
// (the CLI the Node and Slurm runs use) and the bench page (bench/pipeline.html, production
// build), bundles bench/slurm/pipeline.ts with rolldown (Node 20 runs no .ts; playwright-core
// stays outside the bundle, which sits under node_modules/.cache so it still resolves), runs it,
// and writes bench/results/pipeline.json and pipeline.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const tmp = join(root, 'node_modules/.cache/voxpool-bench-pipeline');
const bundle = join(tmp, 'pipeline.mjs');
mkdirSync(tmp, { recursive: true });
try {
  execFileSync(process.execPath, [join(root, 'build/package.mjs')], { cwd: root, stdio: 'inherit' });
  execFileSync(join(root, 'node_modules/.bin/vite'), ['build', '--config', join(root, 'bench/vite.config.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, BENCH_PAGES: 'pipeline' },
  });
  execFileSync(
    join(root, 'node_modules/.bin/rolldown'),
    [join(root, 'bench/slurm/pipeline.ts'), '--platform', 'node', '--format', 'esm', '--external', 'playwright-core', '--file', bundle],
    { stdio: 'inherit' },
  );
  const loadBefore = loadavg()[0];
  const out = execFileSync(process.execPath, [bundle], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const result = JSON.parse(out.trim().split('\n').pop());
  // Other work on a shared machine moves every figure: the load it ran under goes with them.
  result.loadAverage = { before: loadBefore, after: loadavg()[0] };
  writeFileSync(join(root, 'bench/results/pipeline.json'), JSON.stringify(result, null, 2) + '\n');
  const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
  const row = (key) => result.rows.find((r) => r.key === key);
  const [page, node, slurm, grouped] = [row('page'), row('node'), row('slurm-off'), row('slurm-auto')];
  const lines = [
    '# The 8-subject pipeline: the page, the Node runner and Slurm (a job per task, and grouped)',
    '',
    `${result.date}, ${result.cpus} cores (${cpus()[0]?.model.trim()}), ${result.slurmVersion}, single-node test cluster (test/cluster/slurm-cluster.ts), headless Chromium ${result.chromium}, ${result.passes} passes interleaved (page, Node, Slurm ungrouped, Slurm grouped; reversed every other pass); medians. Load average (1 min) ${result.loadAverage.before.toFixed(1)} before the run, ${result.loadAverage.after.toFixed(1)} after.`,
    `Measured with \`node bench/pipeline.mjs\`. ${result.subjects} phantom subjects of ${result.dimensions.join(' x ')} int16 voxels, each read (NIfTI), smoothed (niimath Gaussian, sigma 2 mm), thresholded (300-32767), labelled (components, 26-connected) and meshed (isosurface at 0.5): ${node.tasks} tasks, one chain per subject. One workflow file, the same input files, for all four.`,
    "Wall time: from starting `voxpool run` to its exit, every task done; in the page (bench/pages/pipeline.ts, a fresh browser per pass), from making the page's pool to the workflow settled and its IndexedDB store written, the workflow file and the inputs fetched from the server on the way. Overhead per task, the same for all four: (2 slots x wall - the sum of the ops' own times, endedAt - startedAt of the task records) / tasks.",
    `Results: every task's result hashed (SHA-256 over its bytes and fields, bench/pages/result-digest.ts) in every pass; the page's and both Slurm runs' equal the Node runner's for all ${node.tasks} tasks (the bench fails otherwise).`,
    '',
    '| executor | tasks | sbatch calls | wall ms | sum of op times ms | overhead per task ms | per pass |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...result.rows.map(
      (r) =>
        `| ${r.executor} | ${r.tasks} | ${r.sbatch || '-'} | ${fmt(r.wallMs)} | ${fmt(r.computeMs)} | ${fmt(r.overheadPerTaskMs)} | ${r.passes.join(', ')} |`,
    ),
    '',
    `- Grouped (the default), Slurm takes ${fmt(grouped.wallMs)} ms, ${(slurm.wallMs / grouped.wallMs).toFixed(2)}x faster than a job per task and ${(grouped.wallMs / node.wallMs).toFixed(2)}x the Node runner's wall time: each subject's chain is one unit, the 8 chains packed into ${grouped.sbatch} sbatch call(s) of ${result.cpus} array elements (never fewer elements than CPUs), and an element runs its tasks in one warm \`voxpool exec --stdin\` process, so Node, the worker thread and the engines start once per element, not per task. Overhead per task: ${fmt(grouped.overheadPerTaskMs)} ms of slot time against ${fmt(slurm.overheadPerTaskMs)} ms ungrouped and ${fmt(node.overheadPerTaskMs)} ms on the Node runner.`,
    `- Ungrouped (\`--group off\`), Slurm takes ${(slurm.wallMs / node.wallMs).toFixed(2)}x the Node runner's wall time: each task is a job (sbatch, scheduling, a dependency hop, a new Node process, the inputs read from the run folder). A job's op time also holds its worker thread's start and the engines' cold load (${fmt((slurm.computeMs - node.computeMs) / slurm.tasks)} ms more per task than on the Node runner's warm threads).`,
    `- The page takes ${(page.wallMs / node.wallMs).toFixed(2)}x the Node runner's wall time: ${fmt(page.overheadPerTaskMs)} ms of slot time per task beyond the ops, against ${fmt(node.overheadPerTaskMs)} ms; its ops' own times sum to ${fmt(page.computeMs)} ms against ${fmt(node.computeMs)} ms.`,
    '',
  ];
  writeFileSync(join(root, 'bench/results/pipeline.md'), lines.join('\n'));
  process.stdout.write(lines.join('\n'));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
