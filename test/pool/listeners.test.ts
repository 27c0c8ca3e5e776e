import { afterEach, describe, expect, it } from 'vitest';
import { Workflow, type Pool, type TaskEvent, type WorkflowTaskEvent } from '../../src/index.ts';
import { ListenerPairs } from '../../src/core/listeners.ts';
import { testPool, type TestOps } from '../fixtures/pool.ts';
import { graphPool, keys, type GraphOps } from '../graph/support.ts';

let pool: Pool<TestOps> | Pool<GraphOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

describe('event listeners: events reach every listener the target really has', () => {
  it('a pool keeps sending task events to A after removing a B that was never added', async () => {
    const p = testPool({ size: 1 });
    pool = p;
    const seen: string[] = [];
    const a = (e: TaskEvent): void => void seen.push(e.change);
    const never = (): void => {};
    p.addEventListener('task', a);
    p.removeEventListener('task', never);
    await p.run('fixture.count', null);
    expect(seen).toContain('queued');
    expect(seen).toContain('done');
  });

  it('knows a target has no listener left after a once-listener fired, a double add and one remove, an aborted signal', () => {
    const target = new EventTarget();
    const pairs = new ListenerPairs(target, ['task']);
    const on = (type: string, l: EventListener, o?: AddEventListenerOptions | boolean): void => {
      pairs.add(type, l, o);
      target.addEventListener(type, l, o);
    };
    const off = (type: string, l: EventListener, o?: boolean): void => {
      pairs.remove(type, l, o);
      target.removeEventListener(type, l, o);
    };
    let calls = 0;
    const a: EventListener = () => void calls++;
    on('task', a);
    on('task', a); // the platform keeps one pair: one remove ends it
    off('task', a);
    expect(pairs.has('task')).toBe(false);
    on('task', a, true);
    on('task', a, false); // capture and bubble are two pairs
    off('task', a, true);
    expect(pairs.has('task')).toBe(true);
    off('task', a, false);
    expect(pairs.has('task')).toBe(false);
    on('task', a, { once: true });
    expect(pairs.has('task')).toBe(true);
    target.dispatchEvent(new Event('task'));
    expect(calls).toBe(1);
    expect(pairs.has('task')).toBe(false);
    const stop = new AbortController();
    on('task', a, { signal: stop.signal });
    expect(pairs.has('task')).toBe(true);
    stop.abort();
    expect(pairs.has('task')).toBe(false);
    on('task', a, { signal: stop.signal }); // already aborted: the platform adds nothing
    expect(pairs.has('task')).toBe(false);
    off('other', a); // a type it does not follow
    expect(pairs.has('task')).toBe(false);
  });

  it('a workflow keeps sending task events to A after removing a B that was never added', async () => {
    const p = graphPool({ size: 1 });
    pool = p;
    const k = keys();
    const wf = new Workflow(p);
    const seen: string[] = [];
    wf.addEventListener('task', (e: WorkflowTaskEvent) => void seen.push(e.change));
    wf.removeEventListener('task', () => {});
    wf.add('fixture.tick', { key: k('a'), n: 4, fill: 1 });
    expect((await wf.run()).state).toBe('done');
    expect(seen).toContain('done');
  });
});
