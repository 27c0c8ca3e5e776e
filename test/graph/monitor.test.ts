import { afterEach, describe, expect, it } from 'vitest';
import { Workflow, type Pool } from '../../src/index.ts';
import { VoxpoolMonitor } from '../../src/ui/monitor.ts';
import { graphPool, type GraphOps } from './support.ts';
import { shadow, until } from '../ui/support.ts';

let pool: Pool<GraphOps> | null = null;
let monitor: VoxpoolMonitor | null = null;
afterEach(async () => {
  monitor?.remove();
  monitor = null;
  await pool?.terminate();
  pool = null;
});

const rows = (m: VoxpoolMonitor): HTMLTableRowElement[] => [...shadow(m).querySelectorAll<HTMLTableRowElement>('tbody tr[data-task]')];
const stateOf = (m: VoxpoolMonitor, label: string): string | undefined =>
  rows(m)
    .find((r) => r.querySelector('th')?.textContent === label)
    ?.children[1]?.textContent?.trim();

describe('<voxpool-monitor> watching a workflow', () => {
  it("lists the workflow's tasks with its own states, live, and retries a failed one through it", async () => {
    pool = graphPool({ size: 1 });
    const wf = new Workflow(pool);
    monitor = document.createElement('voxpool-monitor');
    monitor.pool = wf;
    document.body.append(monitor);
    const m = monitor;
    const first = wf.add('test.sleep', { ms: 600 }, { label: 'first' });
    const bad = wf.add('test.fail', { message: 'no mask' }, { after: [first], label: 'bad' });
    wf.add('test.echo', 1, { after: [bad], label: 'after bad' });
    wf.add('test.echo', 2, { after: [first], label: 'fine' });
    wf.start();
    await until(() => stateOf(m, 'first') === 'Running', 20_000, 'first running');
    expect(stateOf(m, 'bad')).toBe('Waiting');
    expect(stateOf(m, 'fine')).toBe('Waiting');
    await wf.settled();
    const shown = (expected: Record<string, string>): boolean => Object.entries(expected).every(([label, st]) => stateOf(m, label)?.startsWith(st));
    await until(() => shown({ first: 'Completed', bad: 'Failed', 'after bad': 'Skipped', fine: 'Completed' }), 5000, 'final states shown');
    const badRow = (): HTMLTableRowElement => rows(m).find((r) => r.querySelector('th')?.textContent === 'bad')!;
    expect(badRow().querySelector('.error')!.textContent).toContain('no mask');
    // The monitor's retry goes to the workflow's restart: the failed task and the one it skipped run again.
    const retry = [...shadow(m).querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Retry failed')!;
    retry.click();
    await until(() => bad.record.attempts === 2 && wf.state === 'failed', 10_000, 'bad ran again');
    await until(() => shown({ bad: 'Failed', 'after bad': 'Skipped' }) && badRow().textContent!.includes('retried'), 5000, 'retry shown');
  });
});
