import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { Pool } from '../../src/index.ts';
import { createTestPool, type TestOps } from '../fixtures/pool.ts';
import { VoxpoolMonitor } from '../../src/ui/monitor.ts';
import { MonitorActionEvent, type MonitorSource, type MonitorTask } from '../../src/core/monitor-source.ts';
import { shadow, until } from './support.ts';

let pool: Pool<TestOps> | null = null;
let monitor: VoxpoolMonitor | null = null;

afterEach(async () => {
  monitor?.remove();
  monitor = null;
  await pool?.terminate();
  pool = null;
});

function mount(source: MonitorSource): VoxpoolMonitor {
  monitor = document.createElement('voxpool-monitor');
  monitor.pool = source;
  document.body.append(monitor);
  return monitor;
}

const rows = (m: VoxpoolMonitor): HTMLTableRowElement[] => [...shadow(m).querySelectorAll<HTMLTableRowElement>('tbody tr[data-task]')];
const row = (m: VoxpoolMonitor, label: string): HTMLTableRowElement | undefined => rows(m).find((r) => r.querySelector('th')?.textContent === label);
const cells = (r: HTMLTableRowElement): string[] => [...r.children].map((c) => c.textContent?.trim() ?? '');
const count = (m: VoxpoolMonitor, state: string): string | null | undefined => shadow(m).querySelector(`.count[data-state="${state}"] dd`)?.textContent;
const button = (m: VoxpoolMonitor, name: string): HTMLButtonElement => [...shadow(m).querySelectorAll('button')].find((b) => b.textContent?.trim() === name)!;

describe('<voxpool-monitor>', () => {
  it('marks a task that has run far longer than its op usually does, and says when nothing limits it', async () => {
    const p = (pool = createTestPool({ size: 2 }));
    const m = mount(p);
    m.overdueAfter = 400; // for ops with no finished run yet
    for (let i = 0; i < 3; i++) await pool.run('test.sleep', { ms: 20 }, { label: `quick ${i}` });
    expect(pool.typicalRunTime('test.sleep')).toBeGreaterThanOrEqual(15);
    // Never settles, no timeout: far past test.sleep's usual ~20 ms.
    const stuck = pool.submit('test.sleep', { ms: 600_000 }, { label: 'stuck' });
    // A first run of its op, with a timeout: overdue by overdueAfter, but something does limit it.
    const limited = pool.submit('test.spin', { ms: 600_000 }, { label: 'limited', timeout: 600_000 });
    const stuckRow = await until(
      () => {
        const r = row(m, 'stuck');
        return r?.classList.contains('overdue') && r;
      },
      30_000,
      'stuck marked overdue',
    );
    expect(stuckRow.querySelector('.note.overdue')!.textContent).toMatch(/far longer than usual \(typically \d+ ms\); no timeout/);
    const limitedRow = await until(
      () => {
        const r = row(m, 'limited');
        return r?.classList.contains('overdue') && r;
      },
      30_000,
      'limited marked overdue',
    );
    expect(limitedRow.querySelector('.note.overdue')!.textContent!.trim()).toBe('no result yet');
    // Quick ones that finished are never marked.
    expect(row(m, 'quick 0')!.classList.contains('overdue')).toBe(false);
    stuck.cancel();
    limited.cancel();
    await Promise.allSettled([stuck.result, limited.result]);
  });

  it('shows each task: name, state, worker, live time, progress, bytes, and a timeline lane per worker', async () => {
    pool = createTestPool({ size: 2 });
    const m = mount(pool);
    const runs = [1, 2, 3].map((i) => pool!.run('test.sleep', { ms: 900, steps: 6 }, { label: `nap ${i}` }));
    const first = await until(
      () => {
        const r = row(m, 'nap 1');
        return r && cells(r)[1] === 'Running' && r.querySelector('progress')!.value > 0 && r;
      },
      20_000,
      'nap 1 running with progress',
    );
    expect(cells(row(m, 'nap 3')!)[1]).toBe('Pending');
    expect(Number(cells(first)[2])).toBeGreaterThan(0);
    const t1 = cells(first)[3];
    await new Promise((r) => setTimeout(r, 350));
    const t2 = cells(row(m, 'nap 1')!)[3];
    expect(t2).not.toBe(t1); // the elapsed time is live
    expect(cells(first)[5]).toMatch(/B \/ /);
    expect(count(m, 'running')).toBe('2');
    await Promise.all(runs);
    await until(() => count(m, 'done') === '3', 5000, 'three done');
    expect(shadow(m).querySelectorAll('.timeline .lane').length).toBe(2);
    expect(shadow(m).querySelectorAll('.timeline .bar.done').length).toBe(3);
    expect(row(m, 'nap 2')!.querySelector('progress')!.value).toBe(1);
  });

  it('cancels one task from the keyboard, then all, and clears the finished ones', async () => {
    pool = createTestPool({ size: 1 });
    const m = mount(pool);
    const events: MonitorActionEvent[] = [];
    m.addEventListener('monitor-action', (e) => events.push(e as MonitorActionEvent));
    const runs = ['a', 'b', 'c'].map((l) => pool!.run('test.sleep', { ms: 5000 }, { label: l }).catch((e: Error) => e.name));
    await until(() => row(m, 'a') && cells(row(m, 'a')!)[1] === 'Running', 20_000, 'a running');
    const cancelB = row(m, 'b')!.querySelector('button')!;
    expect(cancelB.getAttribute('aria-label')).toBe('Cancel b');
    cancelB.focus();
    expect(shadow(m).activeElement).toBe(cancelB);
    await userEvent.keyboard('{Enter}');
    await until(() => cells(row(m, 'b')!)[1] === 'Cancelled', 5000, 'b cancelled');
    expect(events[0]!.detail).toEqual({ action: 'cancel', ids: [pool.tasks().find((t) => t.label === 'b')!.id] });
    button(m, 'Cancel all').click();
    expect(await Promise.all(runs)).toEqual(['CancelledError', 'CancelledError', 'CancelledError']);
    await until(() => count(m, 'cancelled') === '3', 5000, 'all cancelled');
    button(m, 'Clear finished').click();
    await until(() => rows(m).length === 0, 5000, 'rows cleared');
    expect(pool.tasks()).toEqual([]);
  });

  it('resizes the pool from its size field', async () => {
    pool = createTestPool({ size: 1 });
    const m = mount(pool);
    await m.updateComplete;
    const input = shadow(m).querySelector<HTMLInputElement>('.size input')!;
    expect(input.value).toBe('1');
    expect(input.closest('label')!.textContent).toContain('Workers');
    input.value = '3';
    input.dispatchEvent(new Event('change'));
    expect(pool.size).toBe(3);
    await pool.warm(); // three workers up before the tasks, however slowly this machine boots them
    await Promise.all([1, 2, 3].map(() => pool!.run('test.sleep', { ms: 300 })));
    expect(new Set(pool.tasks().map((t) => t.workerId)).size).toBe(3);
  });

  it('shows failures with their message and retries them through the source', async () => {
    pool = createTestPool({ size: 1 });
    const inner = pool;
    let tries = 0;
    // A source that can retry: what a workflow offers. Its first try fails, the retry works.
    const source: MonitorSource = Object.assign(new EventTarget(), {
      tasks: () => inner.tasks(),
      workers: () => inner.workers(),
      clearFinished: () => inner.clearFinished(),
      retry: (_id: number) => void inner.run('test.echo', 'ok', { label: `flaky (try ${++tries + 1})` }),
    });
    for (const type of ['task', 'worker', 'drain']) inner.addEventListener(type, () => source.dispatchEvent(new Event(type)));
    const m = mount(source);
    await inner.run('test.fail', { message: 'the input was bad' }, { label: 'flaky' }).catch(() => undefined);
    await until(() => row(m, 'flaky') && cells(row(m, 'flaky')!)[1]!.startsWith('Failed'), 5000, 'flaky failed');
    expect(row(m, 'flaky')!.querySelector('.error')!.textContent).toContain('the input was bad');
    expect(shadow(m).querySelector('.size')).toBeNull(); // no resize() on this source: no size field
    button(m, 'Retry failed').click();
    await until(() => row(m, 'flaky (try 2)') && cells(row(m, 'flaky (try 2)')!)[1] === 'Completed', 5000, 'retry done');
    expect(button(m, 'Retry failed').disabled).toBe(true); // retried once, not offered again
  });

  it('watches any source shaped like a pool: a workflow-like list of records', async () => {
    const at = performance.timeOrigin + performance.now();
    const records: MonitorTask[] = [
      {
        id: 1,
        label: 'segment',
        op: 'step',
        state: 'done',
        queuedAt: at - 900,
        startedAt: at - 800,
        endedAt: at - 100,
        workerId: 1,
        bytesIn: 2048,
        bytesOut: 1024,
        progress: null,
        error: null,
      },
      {
        id: 2,
        label: 'mesh it',
        op: 'step',
        state: 'waiting',
        queuedAt: at,
        startedAt: null,
        endedAt: null,
        workerId: null,
        bytesIn: 0,
        bytesOut: 0,
        progress: null,
        error: null,
      },
    ];
    const source: MonitorSource = Object.assign(new EventTarget(), { tasks: () => records });
    const m = mount(source);
    await m.updateComplete;
    expect(cells(row(m, 'segment')!).slice(0, 4)).toEqual(['segment', 'Completed', '1', '700 ms']);
    expect(cells(row(m, 'mesh it')!)[1]).toBe('Waiting');
    expect(cells(row(m, 'mesh it')!)[3]).toBe('waiting');
    expect(button(m, 'Cancel all').disabled).toBe(true);
    records[1] = { ...records[1]!, state: 'running', startedAt: at, workerId: 2 } as MonitorTask;
    source.dispatchEvent(new Event('task'));
    await until(() => cells(row(m, 'mesh it')!)[1] === 'Running', 2000, 'update on event');
    expect(shadow(m).querySelectorAll('.timeline .lane').length).toBe(2);
  });
});

describe('<voxpool-monitor> list order', () => {
  it('lists running tasks first, then waiting ones, then the finished, newest first', async () => {
    pool = createTestPool({ size: 1 });
    const m = mount(pool);
    await pool.run('test.echo', 1, { label: 'old' });
    await pool.run('test.echo', 2, { label: 'newer' });
    const runs = ['now', 'next'].map((l) => pool!.run('test.sleep', { ms: 600 }, { label: l }));
    await until(() => row(m, 'now') && cells(row(m, 'now')!)[1] === 'Running', 10_000, 'now running');
    expect(rows(m).map((r) => r.querySelector('th')!.textContent)).toEqual(['now', 'next', 'newer', 'old']);
    await Promise.all(runs);
  });
});
