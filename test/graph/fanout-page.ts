/**
 * The page test/graph/fanout.test.ts loads in an iframe and reloads at a chosen moment of its
 * run. First load: builds the stored fan-out workflow and starts it. After a reload: resumes it.
 * Publishes what it sees on `window.__fanout`.
 */
import { IdbWorkflowStore, Workflow } from '../../src/index.ts';
import { graphPool, type GraphOps } from './support.ts';
import { addFanout, checkFanout, countChanges } from './fanout.ts';

export interface FanoutState {
  resumed: boolean;
  /** Task events seen on this load, by change ('running', 'done', ...). */
  counts: Record<string, number>;
  summary: { state: string; done: number; total: number } | null;
  /** What checkFanout found wrong once the workflow settled (empty: every result intact). */
  bad: string[] | null;
  error: string | null;
}

const state: FanoutState = { resumed: false, counts: {}, summary: null, bad: null, error: null };
(window as unknown as { __fanout: FanoutState }).__fanout = state;

const params = new URLSearchParams(location.search);
const id = params.get('wf')!;
const prefix = params.get('prefix')!;

try {
  const pool = graphPool({ size: 2 });
  const store = await IdbWorkflowStore.open('voxpool-test-fanout');
  let wf: Workflow<GraphOps>;
  if ((await store.list()).some((w) => w.id === id)) {
    wf = await Workflow.load(pool, store, id);
    state.resumed = true;
  } else {
    wf = new Workflow(pool, { id, store, name: 'fan-out reload test' });
    addFanout(wf, prefix, 60);
  }
  countChanges(wf, state.counts);
  wf.start();
  const summary = await wf.settled();
  state.bad = await checkFanout(wf);
  state.summary = summary;
} catch (e) {
  state.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
