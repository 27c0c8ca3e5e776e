/**
 * The page test/graph/reload.test.ts loads in an iframe and reloads in the middle of its run.
 * First load: builds a stored workflow and starts it. After a reload: finds it in the store and
 * resumes it. Publishes what it sees on `window.__reload` for the test to read.
 */
import { IdbWorkflowStore, Workflow, type WorkflowTaskEvent } from '../../src/index.ts';
import { graphPool, type GraphOps } from './support.ts';

export interface ReloadState {
  loaded: boolean;
  /** Tasks that were done in the store when the page (re)loaded it. */
  doneAtLoad: number[];
  /** Tasks known to be done in the store (their done state was flushed). */
  storedDone: number[];
  summary: { state: string; done: number; total: number } | null;
  /** Every task's output, read back at the end (from the store for the ones done before the reload). */
  outputs: Record<string, number[]> | null;
  error: string | null;
}

const state: ReloadState = { loaded: false, doneAtLoad: [], storedDone: [], summary: null, outputs: null, error: null };
(window as unknown as { __reload: ReloadState }).__reload = state;

const params = new URLSearchParams(location.search);
const id = params.get('wf')!;
const prefix = params.get('prefix')!;

try {
  const pool = graphPool({ size: 2 });
  const store = await IdbWorkflowStore.open('voxpool-test-reload');
  let wf: Workflow<GraphOps>;
  if ((await store.list()).some((w) => w.id === id)) {
    wf = await Workflow.load(pool, store, id);
    state.doneAtLoad = wf
      .tasks()
      .filter((t) => t.state === 'done')
      .map((t) => t.id);
    state.loaded = true;
    wf.start();
  } else {
    const w = new Workflow(pool, { id, store, name: 'reload test' });
    const ticks = Array.from({ length: 8 }, (_, i) => w.add('fixture.tick', { key: `${prefix}:t${i}`, ms: 300, n: 20_000, fill: i * 100 }, { label: `t${i}` }));
    const pairs = [0, 1, 2, 3].map((i) =>
      w.add('fixture.combine', { a: ticks[2 * i]!.output('data'), b: ticks[2 * i + 1]!.output('data') }, { label: `p${i}` }),
    );
    w.add('fixture.combine', { a: pairs[0]!.output(), b: pairs[1]!.output() }, { label: 'q0' });
    w.add('fixture.combine', { a: pairs[2]!.output(), b: pairs[3]!.output() }, { label: 'q1' });
    w.start();
    wf = w;
  }
  const flow = wf;
  flow.addEventListener('task', (e) => {
    const ev = e as WorkflowTaskEvent;
    if (ev.change !== 'done') return;
    void flow.flush().then(() => state.storedDone.push(ev.record.id));
  });
  const summary = await flow.settled();
  await flow.flush();
  const outputs: Record<string, number[]> = {};
  for (const t of flow.tasks()) {
    const out = (await flow.result(t.id)) as Float32Array | { data: Float32Array };
    outputs[t.label] = Array.from(out instanceof Float32Array ? out : out.data);
  }
  state.outputs = outputs;
  state.summary = summary;
} catch (e) {
  state.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
