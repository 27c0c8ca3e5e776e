/**
 * The issue's pipeline benchmark: 8 subjects, each read, smooth, threshold, components,
 * isosurface (40 tasks, one chain per subject, as the study page exports them), one workflow file
 * run four ways, passes interleaved: in the page (bench/pages/pipeline.ts: the page's pool of 2
 * workers and its `Workflow`, in headless Chromium), by the built CLI with the local Node runner
 * (2 worker threads), and with `--executor slurm` on a real single-node Slurm
 * (test/cluster/slurm-cluster.ts, the machine's 2 CPUs), `--group off` (a job per task) and
 * `--group auto` (the default: a job per chain, the chains packed into array elements). Per-task overhead, the same for all
 * three: the slot time a task held beyond its op's own compute time,
 * (2 slots x wall - sum of the ops' times) / tasks. Every task's result is hashed
 * (bench/pages/result-digest.ts) in each run; the page's and Slurm's must equal the Node
 * runner's, else the benchmark fails. Run by bench/pipeline.mjs, which builds the page and
 * bundles this.
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize, resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../chromium.config.mjs';
import { decodeValue } from '../../src/graph/index.ts';
import { contentTypeOf } from '../../src/node/content-types.ts';
import { FileWorkflowStore } from '../../src/node/file-store.ts';
import { startSlurm } from '../../test/cluster/slurm-cluster.ts';
import { resultDigest, resultOutline } from '../pages/result-digest.ts';

const SUBJECTS = 8;
const SLOTS = 2;
const PASSES = Number(process.env.BENCH_PASSES) || 2;
const DIMENSIONS = [128, 128, 80];
const BIN = resolve('dist/src/node/bin.js');
/** The bench pages' production build (bench/pipeline.mjs makes it). */
const PAGES = resolve('bench/dist');

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

/** How many sbatch calls the Slurm executor made for the run (its run record's submissions). */
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

/** Each task's result digest, by task key, from a CLI run's folder (its store and run.json). */
async function storedDigests(runs: string, id: string): Promise<{ digests: Record<string, string>; outlines: Record<string, unknown> }> {
  const record = JSON.parse(readFileSync(join(runs, id, 'run.json'), 'utf8')) as { tasks: { key: string; id: number }[] };
  const loaded = await new FileWorkflowStore(runs).load(id);
  if (!loaded) throw new Error(`${runs}/${id}: no stored workflow`);
  // The store hands big buffers back as Blobs: decoded as the Workflow decodes a stored result.
  const byId = new Map(await Promise.all(loaded.results.map(async (r) => [r.task, await decodeValue(r.value)] as const)));
  const digests: Record<string, string> = {};
  const outlines: Record<string, unknown> = {};
  for (const t of record.tasks) {
    if (!byId.has(t.id)) throw new Error(`${runs}/${id}: task ${t.key} has no stored result`);
    digests[t.key] = await resultDigest(byId.get(t.id));
    outlines[t.key] = resultOutline(byId.get(t.id));
  }
  return { digests, outlines };
}

/** The keys whose digests differ (or are missing on one side). */
function differing(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}

/** bench/dist at /, the work folder (workflow file, inputs) at /run/, cross-origin isolated as the site is. */
function serve(work: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
    const [base, rel] = path.startsWith(`run${sep}`) ? [work, path.slice(4)] : [PAGES, path];
    const file = join(base, rel);
    if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => done({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })),
  );
}

interface PageRun {
  workers: number;
  tasks: number;
  wallMs: number;
  opMs: Record<string, number>;
  digests: Record<string, string>;
  outlines: Record<string, unknown>;
  crossOriginIsolated: boolean;
}

/** One page run in a fresh headless Chromium (a fresh browser per pass, as a CLI run is a fresh process). */
async function pageRun(origin: string, pass: number): Promise<PageRun & { browser: string }> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  try {
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    const query = new URLSearchParams({ workflow: '/run/workflow.json', inputs: '/run/', workers: String(SLOTS), run: `page-${pass}` });
    await tab.goto(`${origin}/pipeline.html?${query}`);
    const out = await tab.waitForFunction(() => (globalThis as { __voxpoolBench?: unknown }).__voxpoolBench, null, { timeout: 15 * 60_000, polling: 100 });
    const value = (await out.jsonValue()) as { result?: PageRun; error?: string };
    if (value.error || !value.result)
      throw new Error(`the page run failed: ${value.error ?? 'no result'}${errors.length ? `\npage errors: ${errors.join('\n')}` : ''}`);
    return { ...value.result, browser: browser.version() };
  } finally {
    await browser.close();
  }
}

const EXECUTORS = ['page', 'node', 'slurm-off', 'slurm-auto'] as const;
type Executor = (typeof EXECUTORS)[number];

const cluster = await startSlurm();
const work = mkdtempSync(join(tmpdir(), 'voxpool-bench-pipeline-'));
const { server, origin } = await serve(work);
try {
  writeFileSync(join(work, 'inputs.json'), JSON.stringify(inputsWorkflow));
  writeFileSync(join(work, 'workflow.json'), JSON.stringify(pipeline));
  const prep = await cli(['run', 'inputs.json', '--workers', '2'], work, cluster.env);
  if (prep.code !== 0) throw new Error(`making the inputs failed:\n${prep.stdout}`);
  const tasks = pipeline.tasks.length;
  const runsDir = join(work, 'voxpool-runs');
  const runs: Record<Executor, { wallMs: number; computeMs: number; jobs: number }[]> = { page: [], node: [], 'slurm-off': [], 'slurm-auto': [] };
  const digests: Record<Executor, Record<string, string>[]> = { page: [], node: [], 'slurm-off': [], 'slurm-auto': [] };
  const outlines: Record<Executor, Record<string, unknown>[]> = { page: [], node: [], 'slurm-off': [], 'slurm-auto': [] };
  let browser = '?';
  let isolated = false;
  for (let pass = 0; pass < PASSES; pass++) {
    for (const executor of pass % 2 ? [...EXECUTORS].reverse() : EXECUTORS) {
      if (executor === 'page') {
        const r = await pageRun(origin, pass);
        if (r.tasks !== tasks || r.workers !== SLOTS) throw new Error(`the page ran ${r.tasks} tasks on ${r.workers} workers, not ${tasks} on ${SLOTS}`);
        browser = r.browser;
        isolated = r.crossOriginIsolated;
        runs.page.push({ wallMs: r.wallMs, computeMs: Object.values(r.opMs).reduce((a, b) => a + b, 0), jobs: 0 });
        digests.page.push(r.digests);
        outlines.page.push(r.outlines);
        continue;
      }
      const args = executor === 'node' ? ['--workers', String(SLOTS)] : ['--executor', 'slurm', '--group', executor === 'slurm-off' ? 'off' : 'auto'];
      const r = await cli(['run', 'workflow.json', ...args, '--id', `${executor}-${pass}`], work, cluster.env);
      if (r.code !== 0) throw new Error(`${executor} pass ${pass} ended with ${r.code}:\n${r.stdout}`);
      const runDir = join(runsDir, `${executor}-${pass}`);
      runs[executor].push({ wallMs: r.ms, computeMs: computeMs(runDir), jobs: executor === 'node' ? 0 : slurmJobs(runDir) });
      const stored = await storedDigests(runsDir, `${executor}-${pass}`);
      digests[executor].push(stored.digests);
      outlines[executor].push(stored.outlines);
    }
  }
  // The Node runner's first pass is the reference: every other run must give the same results.
  const reference = digests.node[0]!;
  if (Object.keys(reference).length !== tasks) throw new Error(`the Node runner stored ${Object.keys(reference).length} results, not ${tasks}`);
  for (const executor of EXECUTORS) {
    digests[executor].forEach((d, pass) => {
      const bad = differing(reference, d);
      if (bad.length) {
        const first = bad[0]!;
        const outline = (o: unknown): string => JSON.stringify(o, null, 1);
        throw new Error(
          `${executor} pass ${pass}: ${bad.length} task result(s) differ from the Node runner's: ${bad.slice(0, 8).join(', ')}\n` +
            `${first} on the Node runner: ${outline(outlines.node[0]![first])}\n${first} on ${executor}: ${outline(outlines[executor][pass]![first])}`,
        );
      }
    });
  }
  const titles: Record<Executor, string> = {
    page: `the page, ${SLOTS} workers (Chromium ${browser}${isolated ? ', cross-origin isolated' : ''})`,
    node: `voxpool run --workers ${SLOTS} (Node worker threads)`,
    'slurm-off': `voxpool run --executor slurm --group off (${SLOTS} CPUs)`,
    'slurm-auto': `voxpool run --executor slurm --group auto (${SLOTS} CPUs)`,
  };
  const rows = EXECUTORS.map((executor) => {
    const wall = median(runs[executor].map((r) => r.wallMs));
    const compute = median(runs[executor].map((r) => r.computeMs));
    return {
      executor: titles[executor],
      key: executor,
      tasks,
      sbatch: runs[executor][0]!.jobs,
      wallMs: wall,
      computeMs: compute,
      overheadPerTaskMs: (SLOTS * wall - compute) / tasks,
      passes: runs[executor].map((r) => Math.round(r.wallMs)),
      sameResultsAsNode: true,
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
    `${JSON.stringify({ date: new Date().toISOString(), cpus: cluster.cpus, slurmVersion, chromium: browser, subjects: SUBJECTS, dimensions: DIMENSIONS, passes: PASSES, rows, digests: reference })}\n`,
  );
} finally {
  server.close();
  rmSync(work, { recursive: true, force: true });
  await cluster.stop();
}
