import { afterEach, describe, expect, it } from 'vitest';
import { IdbWorkflowStore } from '../../src/index.ts';
import { until } from '../fixtures/pool.ts';
import type { ReloadState } from './reload-page.ts';
import { keys, ramp, runsOf } from './support.ts';

let iframe: HTMLIFrameElement | null = null;
afterEach(() => {
  iframe?.remove();
  iframe = null;
});

describe('Workflow: a real page reload in the middle of a run', () => {
  it('resumes after the reload: no finished task is computed again, every result intact', async () => {
    const k = keys();
    const id = k('reload-wf');
    iframe = document.createElement('iframe');
    iframe.src = `/test/graph/reload-page.html?${new URLSearchParams({ wf: id, prefix: k('') })}`;
    document.body.append(iframe);
    const frame = iframe;
    const state = (): ReloadState | undefined => (frame.contentWindow as (Window & { __reload?: ReloadState }) | null)?.__reload;

    // Let it get part of the way: some tasks done and stored, the rest not.
    await until(() => (state()?.storedDone.length ?? 0) >= 3, 60_000, 'three tasks stored as done');
    const first = state()!;
    expect(first.loaded).toBe(false);
    expect(first.summary).toBeNull();
    const storedBefore = [...first.storedDone];
    frame.contentWindow!.location.reload();

    await until(() => state() !== first && state()?.loaded === true, 60_000, 'the reloaded page loaded the workflow');
    const resumed = state()!;
    // Whatever was stored as done before the reload was found done, and not everything was.
    expect(resumed.doneAtLoad).toEqual(expect.arrayContaining(storedBefore));
    expect(resumed.doneAtLoad.length).toBeLessThan(14);
    await until(() => resumed.summary !== null || resumed.error !== null, 60_000, 'the resumed workflow to finish');
    expect(resumed.error).toBeNull();
    expect(resumed.summary).toMatchObject({ state: 'done', done: 14, total: 14 });

    // Zero finished tasks computed again: each tick done before the reload ran exactly once.
    const runs = await Promise.all(ramp(8).map((i) => runsOf(k(`:t${i}`))));
    for (let i = 0; i < 8; i++) {
      if (resumed.doneAtLoad.includes(i + 1)) expect(runs[i], `t${i} was done before the reload`).toBe(1);
      else expect(runs[i]).toBeGreaterThanOrEqual(1); // an interrupted one may have started before
    }
    // Every result intact: ticks are fill + j; pairs and quads add them up.
    const n = 20_000;
    const tick = (i: number): number[] => ramp(n).map((j) => i * 100 + j);
    const o = resumed.outputs!;
    for (let i = 0; i < 8; i++) expect(o[`t${i}`]).toEqual(tick(i));
    for (let i = 0; i < 4; i++) expect(o[`p${i}`]).toEqual(ramp(n).map((j) => 2 * i * 100 + (2 * i + 1) * 100 + 2 * j));
    expect(o.q0).toEqual(ramp(n).map((j) => 0 + 100 + 200 + 300 + 4 * j));
    expect(o.q1).toEqual(ramp(n).map((j) => 400 + 500 + 600 + 700 + 4 * j));

    const store = await IdbWorkflowStore.open('voxpool-test-reload');
    expect(await store.delete(id)).toBe(true);
    store.close();
  });
});
