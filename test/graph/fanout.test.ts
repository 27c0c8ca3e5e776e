import { afterEach, describe, expect, it } from 'vitest';
import { IdbWorkflowStore, Workflow, type Pool } from '../../src/index.ts';
import { until } from '../fixtures/pool.ts';
import { addFanout, checkFanout, countChanges } from './fanout.ts';
import type { FanoutState } from './fanout-page.ts';
import { graphPool, keys, type GraphOps } from './support.ts';

/** A moment to interrupt at: once this many task events of this kind were seen since the (re)load. */
type Moment = { on: 'running' | 'saving' | 'done'; count: number };

// Early, middle and late; on a task starting, on one being saved, on one done.
const MOMENTS: Moment[][] = [
  [{ on: 'running', count: 1 }],
  [{ on: 'saving', count: 1 }],
  [{ on: 'done', count: 2 }],
  [{ on: 'running', count: 6 }],
  [{ on: 'saving', count: 8 }],
  [{ on: 'done', count: 11 }],
  [{ on: 'done', count: 15 }],
  [{ on: 'saving', count: 19 }],
  // Interrupted again after the resume.
  [
    { on: 'done', count: 3 },
    { on: 'saving', count: 4 },
    { on: 'running', count: 3 },
  ],
];
const label = (m: Moment[]): string => m.map((x) => `${x.on} #${x.count}`).join(', then ');

let iframe: HTMLIFrameElement | null = null;
const pools: Pool<GraphOps>[] = [];
afterEach(async () => {
  iframe?.remove();
  iframe = null;
  await Promise.all(pools.splice(0).map((p) => p.terminate()));
});

describe('Workflow: results that feed several tasks, after a resume', () => {
  it.each(MOMENTS.map((m) => [label(m), m] as const))('a real page reload at %s: every result intact, byte for byte', async (_, moments) => {
    const k = keys();
    const id = k('fanout-reload');
    iframe = document.createElement('iframe');
    iframe.src = `/test/graph/fanout-page.html?${new URLSearchParams({ wf: id, prefix: k('') })}`;
    document.body.append(iframe);
    const frame = iframe;
    const state = (): FanoutState | undefined => (frame.contentWindow as (Window & { __fanout?: FanoutState }) | null)?.__fanout;

    await until(() => state() !== undefined, 60_000, 'the page to load');
    for (const m of moments) {
      const before = state()!;
      await until(() => (before.counts[m.on] ?? 0) >= m.count || before.summary !== null || before.error !== null, 60_000, `${m.on} #${m.count}`);
      expect(before.error).toBeNull();
      frame.contentWindow!.location.reload();
      await until(() => state() !== undefined && state() !== before, 60_000, 'the page to reload');
    }
    const last = state()!;
    await until(() => last.bad !== null || last.error !== null, 60_000, 'the resumed workflow to finish');
    expect(last.error).toBeNull();
    expect(last.resumed).toBe(true);
    expect(last.summary).toMatchObject({ state: 'done', done: 20, total: 20 });
    expect(last.bad).toEqual([]);

    const store = await IdbWorkflowStore.open('voxpool-test-fanout');
    expect(await store.delete(id)).toBe(true);
    store.close();
  });

  it.each(MOMENTS.map((m) => [label(m), m] as const))(
    'the pool killed at %s, resumed on a new pool: every result intact, byte for byte',
    async (_, moments) => {
      const k = keys();
      const store = await IdbWorkflowStore.open('voxpool-test-fanout');
      let pool = graphPool({ size: 2 });
      pools.push(pool);
      let wf = new Workflow(pool, { id: k('fanout-kill'), store });
      addFanout(wf, k(''), 40);
      for (const m of moments) {
        const counts: Record<string, number> = {};
        countChanges(wf, counts);
        wf.start();
        await until(() => (counts[m.on] ?? 0) >= m.count || wf.state === 'done', 60_000, `${m.on} #${m.count}`);
        await pool.terminate();
        // What the stopped workflow still had to write lands before the new one reads the store.
        expect((await wf.settled()).state).toMatch(/^(stopped|done)$/);
        await wf.flush();
        pool = graphPool({ size: 2 });
        pools.push(pool);
        wf = await Workflow.load(pool, store, wf.id);
      }
      wf.start();
      expect(await wf.settled()).toMatchObject({ state: 'done', done: 20, total: 20 });
      expect(await checkFanout(wf)).toEqual([]);
      expect(await store.delete(wf.id)).toBe(true);
      store.close();
    },
  );

  it('without an interruption too, stored or not', async () => {
    const k = keys();
    const store = await IdbWorkflowStore.open('voxpool-test-fanout');
    const pool = graphPool({ size: 2 });
    pools.push(pool);
    for (const s of [store, undefined]) {
      const wf = new Workflow(pool, { id: k(`fanout-${s ? 'stored' : 'memory'}`), ...(s ? { store: s } : {}) });
      addFanout(wf, k(s ? 's' : 'm'), 5);
      expect(await wf.run()).toMatchObject({ state: 'done', done: 20, total: 20 });
      expect(await checkFanout(wf)).toEqual([]);
    }
    await store.delete(k('fanout-stored'));
    store.close();
  });
});
