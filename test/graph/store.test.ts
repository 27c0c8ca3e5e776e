import { afterEach, describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import {
  IdbWorkflowStore,
  StorageErrorEvent,
  StorageFullError,
  Workflow,
  WorkflowNotFoundError,
  type Pool,
  type WorkflowStore,
  type WriteBatch,
} from '../../src/index.ts';
import { graphPool, type GraphOps } from './support.ts';
import { keys, ramp, runsOf } from './support.ts';

let pool: Pool<GraphOps> | null = null;
let store: IdbWorkflowStore | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
  store?.close();
  store = null;
});

const big = 100_000; // float32 values: 400 KB, stored as a Blob

describe('Workflow store (IndexedDB)', () => {
  it('stores definition, states, logs and results as it runs; a second Workflow loaded from it reruns nothing', async () => {
    pool = graphPool({ size: 2 });
    store = await IdbWorkflowStore.open('voxpool-test-store');
    const k = keys();
    const wf = new Workflow(pool, { store, name: 'stored diamond' });
    const a = wf.add('fixture.tick', { key: k('a'), n: big, fill: 1 });
    const b = wf.add('fixture.scale', { data: a.output('data'), k: 2 });
    const c = wf.add('fixture.scale', { data: a.output('data'), k: 3 });
    const d = wf.add('fixture.combine', { a: b.output('data'), b: c.output('data') });
    wf.start();
    const aOut = await a.wait();
    expect((await wf.settled()).state).toBe('done');
    await wf.flush();
    // Stored: A's output went without a copy into its last consumer (the page's array is now detached)...
    expect(aOut.data.byteLength).toBe(0);
    // ...and is read back from the store whole.
    const aAgain = (await wf.result(a.id)) as { data: Float32Array };
    expect(aAgain.data.length).toBe(big);
    expect(aAgain.data[12345]).toBe(12346);

    // The raw records: big buffers are Blobs; the log lines are there.
    const db = await openDB('voxpool-test-store');
    const rec = (await db.get('results', [wf.id, a.id])) as { value: { data: { $blob: Blob; type: string } } };
    expect(rec.value.data.$blob).toBeInstanceOf(Blob);
    expect(rec.value.data.$blob.size).toBe(big * 4);
    expect(rec.value.data.type).toBe('Float32Array');
    const logs = (await db.getAll('logs', IDBKeyRange.bound([wf.id], [wf.id, []]))) as { task: number; text: string; stream: string }[];
    expect(logs.filter((l) => l.task === b.id).map((l) => `${l.stream}:${l.text}`)).toEqual(['out:scale by 2', 'err:got 100000 values']);
    db.close();

    const listed = await store.list();
    expect(listed.find((w) => w.id === wf.id)).toMatchObject({ name: 'stored diamond', mode: 'parallel', state: 'done', tasks: 4 });

    const again = await Workflow.load(pool, store, wf.id);
    expect(again.tasks().map((t) => t.state)).toEqual(['done', 'done', 'done', 'done']);
    expect(again.task(b.id)!.log.lines.map((l) => l.text)).toEqual(['scale by 2', 'got 100000 values']);
    expect((await again.run()).state).toBe('done');
    const dOut = (await again.result(d.id)) as Float32Array;
    expect(dOut.length).toBe(big);
    expect(dOut[7]).toBe(5 * 8);
    expect(await runsOf(k('a'))).toBe(1);
    // `again` writes its own state changes behind its run: let them land first, or one that lands
    // after the delete below would store the workflow again.
    await again.flush();

    expect(await store.delete(wf.id)).toBe(true);
    expect((await store.list()).some((w) => w.id === wf.id)).toBe(false);
    expect(await Workflow.load(pool, store, wf.id).catch((e: unknown) => e)).toBeInstanceOf(WorkflowNotFoundError);
    expect(await store.delete(wf.id)).toBe(false);
  });

  it('discard() stops a workflow that is still writing and deletes it: no write on its way brings it back', async () => {
    pool = graphPool({ size: 2 });
    store = await IdbWorkflowStore.open('voxpool-test-store');
    const k = keys();
    const wf = new Workflow(pool, { store, name: 'discarded while writing' });
    // A chain of small tasks, each done task one more write: discard lands between writes.
    const t0 = wf.add('fixture.tick', { key: k('t0'), n: 1000, fill: 1 });
    let prev = wf.add('fixture.scale', { data: t0.output('data'), k: 1 });
    for (let i = 2; i < 40; i++) prev = wf.add('fixture.scale', { data: prev.output('data'), k: 1 });
    const doneOnce = new Promise<void>((resolve) =>
      wf.addEventListener('task', () => {
        if (wf.task(t0.id)?.state === 'done') resolve();
      }),
    );
    wf.start();
    await doneOnce;
    expect(await wf.discard()).toBe(true);
    expect(wf.summary().state).not.toBe('running');
    // IndexedDB runs read-write transactions on the same stores in the order they were made, so
    // once a later workflow's write has committed, any write the discarded one had made is in too.
    const later = new Workflow(pool, { store, name: 'written after' });
    later.add('fixture.tick', { key: k('later'), n: 10, fill: 2 });
    expect((await later.run()).state).toBe('done');
    await later.flush();
    expect((await store.list()).some((w) => w.id === wf.id)).toBe(false);
    expect(await Workflow.load(pool, store, wf.id).catch((e: unknown) => e)).toBeInstanceOf(WorkflowNotFoundError);
    const db = await openDB('voxpool-test-store');
    expect(await db.getAll('tasks', IDBKeyRange.bound([wf.id], [wf.id, []]))).toEqual([]);
    expect(await db.getAll('results', IDBKeyRange.bound([wf.id], [wf.id, []]))).toEqual([]);
    db.close();
    await later.discard();
  });

  it('resumes an interrupted workflow: done tasks keep their results, queued and running ones run again', async () => {
    pool = graphPool({ size: 2 });
    store = await IdbWorkflowStore.open('voxpool-test-store');
    const k = keys();
    const wf = new Workflow(pool, { store });
    const first = wf.add('fixture.tick', { key: k('first'), fill: 10 });
    const slow = wf.add('fixture.tick', { key: k('slow'), ms: 3000 }, { after: [first] });
    wf.add('fixture.combine', { a: first.output('data'), b: slow.output('data') });
    wf.start();
    await first.wait();
    await new Promise((r) => setTimeout(r, 300));
    await wf.flush();
    // The tab "dies": the pool goes, nothing else is told.
    await pool.terminate();
    pool = graphPool({ size: 2 });
    const resumed = await Workflow.resume(pool, store, wf.id);
    expect(resumed.task(first.id)!.state).toBe('done');
    const s = await resumed.settled();
    expect(s.state).toBe('done');
    expect(Array.from((await resumed.result(3)) as Float32Array)).toEqual([10, 12, 14, 16]);
    expect(await runsOf(k('first'))).toBe(1);
    expect(await runsOf(k('slow'))).toBe(2);
    await store.delete(wf.id);
  });

  it('done means stored: when a task is announced done, a read of the store already finds its result and its done record', async () => {
    pool = graphPool({ size: 2 });
    store = await IdbWorkflowStore.open('voxpool-test-store');
    const k = keys();
    const wf = new Workflow(pool, { store });
    const first = wf.add('fixture.tick', { key: k('a'), n: big, fill: 1 });
    for (let i = 0; i < 6; i++) wf.add('fixture.scale', { data: first.output('data'), k: i + 2 }, { keep: true });
    const states: string[] = [];
    const checks: Promise<{ id: number; result: boolean; place: string | undefined }>[] = [];
    wf.addEventListener('task', (e) => {
      states.push(`${e.record.id}:${e.change}`);
      if (e.change !== 'done') return;
      const id = e.record.id;
      // A read started in the very event: IndexedDB orders it after every write already made.
      checks.push(
        store!.load(wf.id).then((d) => ({
          id,
          result: d!.results.some((r) => r.task === id),
          place: d!.tasks.find((t) => t.id === id)?.place,
        })),
      );
    });
    const s = await wf.run();
    expect(s.state).toBe('done');
    const seen = await Promise.all(checks);
    expect(seen.length).toBe(7);
    // The result is committed before 'done' is told; the record (written in the next write) may
    // still say otherwise, which is why a stored result alone means done on a resume.
    for (const c of seen) expect(c.result, `task ${c.id} announced done before its result was stored`).toBe(true);
    // Each task went through 'saving' before 'done'.
    for (let id = 1; id <= 7; id++) expect(states.indexOf(`${id}:saving`)).toBeLessThan(states.indexOf(`${id}:done`));
    // A workflow loaded from what was committed at each of those moments reruns none of them.
    await wf.flush();
    const again = await Workflow.load(pool, store, wf.id);
    expect(again.tasks().every((t) => t.state === 'done')).toBe(true);
    await store.delete(wf.id);
  });

  it('a stop that lands while the last result is being saved ends the workflow done, as a reload finds it', async () => {
    pool = graphPool({ size: 1 });
    store = await IdbWorkflowStore.open('voxpool-test-store');
    const k = keys();
    const wf = new Workflow(pool, { store });
    const a = wf.add('fixture.tick', { key: k('a'), n: 1000, fill: 1 });
    wf.add('fixture.scale', { data: a.output('data'), k: 2 });
    let stopped: Promise<unknown> | null = null;
    wf.addEventListener('task', (e) => {
      // The last task has finished and its result is on its way into the store.
      if (e.change === 'saving' && e.record.id !== a.id) stopped = wf.stop();
    });
    const s = await wf.run();
    expect(stopped).not.toBeNull();
    expect(s.state).toBe('done');
    expect(s.done).toBe(2);
    expect(wf.state).toBe('done');
    await wf.flush();
    const again = await Workflow.load(pool, store, wf.id);
    expect(again.state).toBe('done');
    await store.delete(wf.id);
  });

  it('a full quota gives a StorageFullError, loses nothing already stored, and the changes are written once there is room', async () => {
    pool = graphPool({ size: 1 });
    // Chromium ignores a quota override (DevTools' Storage.overrideQuotaForOrigin) in the test
    // browser's in-memory profile, so the quota is the store's: the real IndexedDB store behind a
    // byte count that throws the browser's own QuotaExceededError DOMException past `limit`.
    const real = await IdbWorkflowStore.open('voxpool-test-quota');
    store = real;
    const quota = new QuotaStore(real, 1_000_000);
    const k = keys();
    const wf = new Workflow(pool, { store: quota });
    const small = wf.add('fixture.tick', { key: k('small'), n: big, fill: 5 });
    const errors: Error[] = [];
    wf.addEventListener('storage-error', (e) => errors.push((e as StorageErrorEvent).error));
    wf.start();
    await small.wait();
    await wf.flush();
    const huge = wf.add('fixture.tick', { key: k('huge'), n: 1_000_000, fill: 7 }, { after: [small] });
    await wf.settled();
    const e = await wf.flush().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StorageFullError);
    expect((e as Error).message).toMatch(/Storage is full: workflow ".+" could not be saved/);
    expect(((e as Error).cause as DOMException).name).toBe('QuotaExceededError');
    expect(errors.length).toBe(1); // one error, not one per change
    expect(errors[0]).toBeInstanceOf(StorageFullError);
    expect(wf.storageError).toBeInstanceOf(StorageFullError);
    // The workflow ran on in memory.
    expect(huge.record.state).toBe('done');
    expect((await huge.wait()).data[999_999]).toBe(7 + 999_999);
    // What was stored before is intact: the first result whole; the second task not done there.
    const stored = await real.load(wf.id);
    expect(stored!.tasks.find((t) => t.id === small.id)!.place).toBe('done');
    expect(stored!.tasks.find((t) => t.id === huge.id)?.place ?? 'not stored').not.toBe('done');
    expect(stored!.results.map((r) => r.task)).toEqual([small.id]);
    const before = await Workflow.load(pool, real, wf.id);
    expect(Array.from(((await before.result(small.id)) as { data: Float32Array }).data.subarray(0, 3))).toEqual([5, 6, 7]);
    // Room again: the kept changes go in.
    quota.limit = Infinity;
    await wf.flush();
    const after = await Workflow.load(pool, real, wf.id);
    expect(after.task(huge.id)!.state).toBe('done');
    const out = (await after.result(huge.id)) as { data: Float32Array };
    expect(out.data.length).toBe(1_000_000);
    expect(out.data[999_999]).toBe(7 + 999_999);
    await real.delete(wf.id);
  });
});

/** The real store, with a quota on the bytes of results written through it. */
class QuotaStore implements WorkflowStore {
  private used = 0;
  constructor(
    private readonly inner: WorkflowStore,
    public limit: number,
  ) {}
  async write(batch: WriteBatch): Promise<void> {
    let bytes = 0;
    const walk = (v: unknown): void => {
      if (v instanceof Blob) bytes += v.size;
      else if (ArrayBuffer.isView(v)) bytes += v.byteLength;
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    batch.results.forEach((r) => walk(r.value));
    if (this.used + bytes > this.limit) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    await this.inner.write(batch);
    this.used += bytes;
  }
  load(id: string): ReturnType<WorkflowStore['load']> {
    return this.inner.load(id);
  }
  list(): ReturnType<WorkflowStore['list']> {
    return this.inner.list();
  }
  delete(id: string): Promise<boolean> {
    return this.inner.delete(id);
  }
  close(): void {
    this.inner.close();
  }
}

void ramp;
