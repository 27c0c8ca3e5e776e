/**
 * The 8-subject pipeline benchmark's page row (bench/slurm/pipeline.ts drives it, with the Node
 * runner's and Slurm's rows): the very workflow file `voxpool run` gets, with the same input
 * files, read with the workflow-file reader and run through the page's pool and `Workflow`, as
 * the CLI runs it (parsed, expanded, `addExpandedTasks`, the IndexedDB store in place of the
 * run folder).
 *   ?workflow=<url>&inputs=<url of the input folder>&workers=N&run=<store id>
 * Wall time: from making the pool (the CLI's process start makes its own) to the workflow
 * settled and its store written, the workflow file and the inputs fetched on the way, as the CLI
 * reads them. Gives each task's op time (endedAt - startedAt, as the run folder's task records
 * hold it) and each task's result digest (result-digest.ts) by task key, to compare with the
 * Node runner's.
 */
import { addExpandedTasks, createPool, expandWorkflowFile, fileName, IdbWorkflowStore, parseWorkflowFile, Workflow } from '../../src/index.ts';
import { resultDigest, resultOutline } from './result-digest.ts';

const params = new URLSearchParams(location.search);
const workflowUrl = params.get('workflow') ?? 'workflow.json';
const inputsUrl = new URL(params.get('inputs') ?? './', new URL(workflowUrl, location.href));
const workers = Number(params.get('workers') ?? 2);
const runId = params.get('run') ?? 'bench-pipeline';

async function fetchBytes(url: URL): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url.href}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

async function main(): Promise<object> {
  const t0 = performance.now();
  const pool = createPool({ size: workers });
  const store = await IdbWorkflowStore.open('voxpool-bench-pipeline');
  await store.delete(runId);
  const text = await (await fetch(workflowUrl)).text();
  const file = parseWorkflowFile(text, workflowUrl);
  const wf = new Workflow(pool, { id: runId, name: file.name, mode: file.mode ?? 'parallel', store });
  const tasks = expandWorkflowFile(file);
  const ids = await addExpandedTasks(wf, tasks, async (p) => ({ name: fileName(p), bytes: await fetchBytes(new URL(p, inputsUrl)) }));
  const summary = await wf.run();
  await wf.flush();
  const wallMs = performance.now() - t0;
  if (summary.state !== 'done') throw new Error(`the workflow ended ${summary.state}: ${summary.done} of ${summary.total} done, ${summary.failed} failed`);
  const opMs: Record<string, number> = {};
  const digests: Record<string, string> = {};
  const outlines: Record<string, unknown> = {};
  for (const t of tasks) {
    const id = ids.get(t.key)!;
    const record = wf.task(id)!;
    if (record.startedAt === null || record.endedAt === null) throw new Error(`${t.key}: done without a start and an end time`);
    opMs[t.key] = record.endedAt - record.startedAt;
    const value = await wf.result(id);
    digests[t.key] = await resultDigest(value);
    outlines[t.key] = resultOutline(value);
  }
  await store.delete(runId);
  store.close();
  await pool.terminate();
  return { workers: pool.size, tasks: tasks.length, wallMs, opMs, digests, outlines, crossOriginIsolated };
}

main().then(
  (result) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { result }),
  (e: unknown) => ((globalThis as { __voxpoolBench?: unknown }).__voxpoolBench = { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
);
