import { afterEach, describe, expect, it } from 'vitest';
import { SkippedError, TaskFailedError, Workflow, WorkflowStateEvent, WorkflowTaskEvent, InputError, type Pool } from '../../src/index.ts';
import { until } from '../fixtures/pool.ts';
import { graphPool, type GraphOps } from './support.ts';
import { keys, ramp, runsOf } from './support.ts';

let pool: Pool<GraphOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

const span = (t: { record: { startedAt: number | null; endedAt: number | null } }): [number, number] => [t.record.startedAt!, t.record.endedAt!];

describe('Workflow: order, references, modes', () => {
  it('runs a diamond in dependency order, the two middle tasks in parallel, outputs passed by reference', async () => {
    pool = graphPool({ size: 2 });
    await pool.warm(); // both workers up: what is measured is the workflow's order, not worker start-up
    const k = keys();
    const wf = new Workflow(pool);
    const a = wf.add('fixture.tick', { key: k('a'), n: 8, fill: 1 }, { label: 'A' });
    const b = wf.add('fixture.scale', { data: a.output('data'), k: 2, ms: 400 }, { label: 'B' });
    const c = wf.add('fixture.scale', { data: a.output('data'), k: 3, ms: 400 }, { label: 'C' });
    const d = wf.add('fixture.combine', { a: b.output('data'), b: c.output('data') }, { label: 'D' });
    expect(d.record.after.map((x) => x.id).sort()).toEqual([b.id, c.id]);
    const summary = await wf.run();
    expect(summary).toEqual({ state: 'done', total: 4, done: 4, failed: 0, cancelled: 0, skipped: 0 });
    expect(Array.from(await d.wait())).toEqual(ramp(8, 1, 5));
    const [aS, aE] = span(a);
    const [bS, bE] = span(b);
    const [cS, cE] = span(c);
    const [dS] = span(d);
    expect(aS).toBeLessThan(aE);
    expect(bS).toBeGreaterThanOrEqual(aE);
    expect(cS).toBeGreaterThanOrEqual(aE);
    // B and C overlap in time: each started before the other ended, on different workers.
    expect(Math.max(bS, cS)).toBeLessThan(Math.min(bE, cE));
    expect(b.record.workerId).not.toBe(c.record.workerId);
    expect(dS).toBeGreaterThanOrEqual(Math.max(bE, cE));
    // Without a store nothing is moved away from the page: A's output is whole, shared by B and C as copies.
    expect(Array.from((await a.wait()).data)).toEqual(ramp(8, 1));
    expect(await runsOf(k('a'))).toBe(1);
  });

  it('sequential mode: each task waits for the one added before it unless it names its own prerequisites', async () => {
    pool = graphPool({ size: 2 });
    const k = keys();
    await pool.warm();
    const wf = new Workflow(pool, { mode: 'sequential' });
    const s = [1, 2, 3].map((i) => wf.add('fixture.tick', { key: k(`s${i}`), ms: 150 }, { label: `s${i}` }));
    const free = wf.add('fixture.tick', { key: k('free'), ms: 150 }, { after: [] });
    expect((await wf.run()).state).toBe('done');
    expect(span(s[1]!)[0]).toBeGreaterThanOrEqual(span(s[0]!)[1]);
    expect(span(s[2]!)[0]).toBeGreaterThanOrEqual(span(s[1]!)[1]);
    // `after: []` ran beside the chain, not after s3.
    expect(span(free)[0]).toBeLessThan(span(s[2]!)[0]);
    expect(wf.tasks().map((t) => t.after.map((d) => d.id))).toEqual([[], [1], [2], []]);
  });

  it('parallel mode: independent tasks run at once', async () => {
    pool = graphPool({ size: 2 });
    await pool.warm();
    const wf = new Workflow(pool);
    const x = wf.add('test.sleep', { ms: 300 });
    const y = wf.add('test.sleep', { ms: 300 });
    await wf.run();
    expect(Math.max(span(x)[0], span(y)[0])).toBeLessThan(Math.min(span(x)[1], span(y)[1]));
  });

  it('a reference to a path the output lacks fails that task with an InputError; others go on', async () => {
    pool = graphPool({ size: 2 });
    const wf = new Workflow(pool);
    const a = wf.add('test.echo', { x: 1 });
    const bad = wf.add('test.echo', { y: { $ref: a.id, path: ['nope'] } });
    const fine = wf.add('test.echo', { y: a.output() });
    const s = await wf.run();
    expect(s.state).toBe('failed');
    const e = await bad.wait().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(/input\.y: refers to output\.nope of task 1/);
    expect(await fine.wait()).toEqual({ y: { x: 1 } });
  });
});

describe('Workflow: failure, stop, retry', () => {
  it('a failure marks its dependents skipped while an independent branch finishes', async () => {
    pool = graphPool({ size: 2 });
    const wf = new Workflow(pool);
    const root = wf.add('test.echo', 1, { label: 'root' });
    const bad = wf.add('test.fail', { message: 'segmentation found nothing' }, { after: [root], label: 'bad' });
    const child = wf.add('test.echo', 2, { after: [bad], label: 'child' });
    const grandchild = wf.add('test.echo', 3, { after: [child], label: 'grandchild' });
    const side = wf.add('test.sleep', { ms: 300 }, { after: [root], label: 'side' });
    const sideNext = wf.add('test.echo', 'side done', { after: [side], label: 'side next' });
    const s = await wf.run();
    expect(s).toEqual({ state: 'failed', total: 6, done: 3, failed: 1, cancelled: 0, skipped: 2 });
    expect(bad.record.state).toBe('failed');
    expect(bad.record.ending).toEqual({ kind: 'error', name: 'Error', message: 'segmentation found nothing' });
    expect(bad.record.error).toBeInstanceOf(TaskFailedError);
    expect(child.record.state).toBe('skipped');
    expect(child.record.ending).toMatchObject({ kind: 'skipped', because: bad.id });
    expect(grandchild.record.ending).toMatchObject({ kind: 'skipped', because: child.id });
    const e = await grandchild.wait().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SkippedError);
    expect(await sideNext.wait()).toBe('side done');
    expect(side.record.state).toBe('done');
  });

  it('cancelling one task skips its dependents only', async () => {
    pool = graphPool({ size: 2 });
    const wf = new Workflow(pool);
    const long = wf.add('test.sleep', { ms: 5000 });
    const after = wf.add('test.echo', 1, { after: [long] });
    const other = wf.add('test.echo', 2);
    const done = wf.run();
    await until(() => long.record.state === 'running', 10_000, 'long running');
    expect(wf.cancel(long.id)).toBe(true);
    const s = await done;
    expect(long.record.ending).toMatchObject({ kind: 'cancelled', by: 'user' });
    expect(after.record.state).toBe('skipped');
    expect(await other.wait()).toBe(2);
    expect(s.state).toBe('failed');
  });

  it('stops (running and queued cancelled, nothing skipped) and restarts later to the end', async () => {
    pool = graphPool({ size: 2 });
    const k = keys();
    const wf = new Workflow(pool);
    const wide = [0, 1, 2, 3].map((i) => wf.add('fixture.tick', { key: k(`w${i}`), ms: 400, fill: i }));
    const last = wf.add('fixture.combine', { a: wide[0]!.output('data'), b: wide[3]!.output('data') });
    const states: string[] = [];
    wf.addEventListener('state', (e) => states.push(e.state));
    const first = wf.run();
    const lastWait = last.wait().catch((e: unknown) => e);
    await until(() => wf.tasks().filter((t) => t.state === 'running').length === 2, 10_000, 'two running');
    const stopped = await wf.stop();
    expect(await first).toEqual(stopped);
    expect(stopped.state).toBe('stopped');
    expect(wf.state).toBe('stopped');
    const places = wf.tasks().map((t) => t.state);
    expect(places.filter((p) => p === 'cancelled').length).toBe(4); // two running, two queued in the pool
    expect(wide[0]!.record.ending).toMatchObject({ kind: 'cancelled', by: 'stop' });
    expect(last.record.state).toBe('waiting');
    expect(places).not.toContain('skipped');
    expect(((await lastWait) as Error).message).toBe('Workflow stopped before the task ran');
    // Later: start again; the cancelled ones run, the rest follows.
    await new Promise((r) => setTimeout(r, 200));
    const s = await wf.run();
    expect(s.state).toBe('done');
    expect(states).toEqual(['running', 'stopping', 'stopped', 'running', 'done']);
    expect(Array.from(await last.wait())).toEqual(ramp(4).map((i) => 2 * i + 3));
    for (let i = 0; i < 4; i++) expect(await runsOf(k(`w${i}`))).toBeGreaterThanOrEqual(1);
  });

  it('retries after a worker crash by default, not after an op error; each policy is per task', async () => {
    pool = graphPool({ size: 2 });
    const k = keys();
    const wf = new Workflow(pool);
    const healed = wf.add('fixture.crashUntil', { key: k('healed'), crashes: 1 });
    const dead = wf.add('fixture.crashUntil', { key: k('dead'), crashes: 1 }, { retry: { crash: 0 } });
    const flaky = wf.add('fixture.failUntil', { key: k('flaky'), failures: 1 });
    const patient = wf.add('fixture.failUntil', { key: k('patient'), failures: 2 }, { retry: { error: 2, delay: 50 } });
    const slow = wf.add('test.sleep', { ms: 2000 }, { timeout: 100 });
    const retries: number[] = [];
    wf.addEventListener('task', (e) => e.change === 'retry' && retries.push(e.record.id));
    const s = await wf.run();
    expect(s).toMatchObject({ done: 2, failed: 3 });
    expect(await healed.wait()).toBe(2);
    expect(healed.record.retries).toEqual({ crash: 1, error: 0, timeout: 0 });
    expect(healed.record.attempts).toBe(2);
    expect(dead.record.ending).toMatchObject({ kind: 'crashed' });
    const deadEnding = dead.record.ending;
    expect(deadEnding?.kind === 'crashed' ? deadEnding.message : '').toMatch(/crashed \(exit/);
    expect(flaky.record.ending).toEqual({ kind: 'error', name: 'Error', message: 'failure 1 of 1' });
    expect(await patient.wait()).toBe(3);
    expect(patient.record.retries.error).toBe(2);
    expect(slow.record.ending).toMatchObject({ kind: 'timeout' });
    expect(retries.sort()).toEqual([healed.id, patient.id, patient.id].sort());
    // And a failed task can be restarted by hand, with its skipped dependents.
    expect(wf.restart(flaky.id)).toBe(true);
    expect((await wf.settled()).state).toBe('failed'); // dead and slow still failed
    expect(await flaky.wait()).toBe(2);
  });
});

describe('Workflow: logs and events', () => {
  it('keeps each task log line by line, out and err apart, and follows it live', async () => {
    pool = graphPool({ size: 1 });
    const wf = new Workflow(pool);
    const a = wf.add('fixture.scale', { data: new Float32Array([1, 2, 3]), k: 2 });
    const b = wf.add('test.sleep', { ms: 600, steps: 3 }, { after: [a] });
    wf.start();
    const seen: string[] = [];
    for await (const line of b.record.log.follow()) seen.push(`${line.stream}:${line.text}@${line.attempt}`);
    expect(seen).toEqual(['out:step 1 of 3@1', 'out:step 2 of 3@1', 'out:step 3 of 3@1']);
    const lines = a.record.log.lines.map((l) => [l.stream, l.text]);
    expect(lines).toEqual([
      ['out', 'scale by 2'],
      ['err', 'got 3 values'],
    ]);
    const errOnly: string[] = [];
    for await (const l of a.record.log.follow('err')) errOnly.push(l.text);
    expect(errOnly).toEqual(['got 3 values']);
  });

  it('emits an event for every change of every task and of the workflow', async () => {
    pool = graphPool({ size: 1 });
    const wf = new Workflow(pool);
    const events: string[] = [];
    wf.addEventListener('task', (e) => {
      if (e instanceof WorkflowTaskEvent) events.push(`${e.record.id}:${e.change}`);
    });
    wf.addEventListener('state', (e) => {
      if (e instanceof WorkflowStateEvent) events.push(`wf:${e.previous}->${e.state}`);
    });
    const a = wf.add('test.sleep', { ms: 50, steps: 1 });
    const b = wf.add('test.fail', { message: 'no' }, { after: [a] });
    wf.add('test.echo', 1, { after: [b] });
    await wf.run();
    expect(events).toEqual([
      '1:added',
      '2:added',
      '3:added',
      'wf:idle->running',
      '1:queued',
      '1:running',
      '1:progress',
      '1:log',
      '1:done',
      '2:queued',
      '2:running',
      '2:failed',
      '3:skipped',
      'wf:running->failed',
    ]);
  });
});
