import { afterEach, describe, expect, it } from 'vitest';
import { Workflow, type Pool, type WorkflowTask } from '../../src/index.ts';
import { graphPool, type GraphOps } from './support.ts';

let pool: Pool<GraphOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

describe('Workflow: tasks that add tasks', () => {
  it("inserts tasks three levels deep; a closing task waits on the group of its siblings' trees; a page task waits on the whole tree", async () => {
    pool = graphPool({ size: 2 });
    const wf = new Workflow(pool);
    const root = wf.add('fixture.expand', { level: 0, depth: 3, fanout: 2, tag: 'r' }, { label: 'r' });
    const end = wf.add('test.echo', 'all done', { after: [root.tree], label: 'end' });
    const s = await wf.run();
    // 1 + 2 + 4 + 8 expanding tasks, and one closing sum per task that expanded (1 + 2 + 4).
    expect(s).toEqual({ state: 'done', total: 2 + 14 + 7, done: 23, failed: 0, cancelled: 0, skipped: 0 });
    const all = wf.tasks();
    const byLabel = new Map(all.map((t) => [t.label, t]));
    const expanders = all.filter((t) => t.op === 'fixture.expand');
    expect(
      expanders
        .map((t) => t.label)
        .filter((l) => l.split('.').length === 4)
        .sort(),
    ).toEqual(['r.0.0.0', 'r.0.0.1', 'r.0.1.0', 'r.0.1.1', 'r.1.0.0', 'r.1.0.1', 'r.1.1.0', 'r.1.1.1']);
    // Each added task's parent is the task that added it, and it started after that task ended.
    for (const t of all) {
      if (t.parent === null) continue;
      const parent = wf.task(t.parent)!;
      const expected = t.op === 'fixture.sum' ? t.label.replace(/ close$/, '') : t.label.replace(/\.\d+$/, '');
      expect(parent.label).toBe(expected);
      expect(parent.children).toContain(t.id);
      expect(t.startedAt!).toBeGreaterThanOrEqual(parent.endedAt!);
    }
    // Closing sums add the levels of their group: r close = 1 + 1, r.0 close = 2 + 2, r.0.0 close = 3 + 3.
    const sumOf = (label: string): Promise<unknown> => wf.result(byLabel.get(label)!.id);
    expect(await sumOf('r close')).toBe(2);
    expect(await sumOf('r.1 close')).toBe(4);
    expect(await sumOf('r.1.0 close')).toBe(6);
    // A close starts only after every task of its siblings' trees ended.
    const subtree = (t: WorkflowTask): WorkflowTask[] => [t, ...t.children.flatMap((c) => subtree(wf.task(c)!))];
    const rClose = byLabel.get('r close')!;
    const group = [...subtree(byLabel.get('r.0')!), ...subtree(byLabel.get('r.1')!)];
    expect(group.length).toBe(2 * (1 + 2 + 4) + 2 * (1 + 2));
    for (const t of group) expect(rClose.startedAt!).toBeGreaterThanOrEqual(t.endedAt!);
    // The page's task after `root.tree` waited for all 22 others.
    for (const t of all) if (t.id !== end.id) expect(end.record.startedAt!).toBeGreaterThanOrEqual(t.endedAt!);
    expect(await end.wait()).toBe('all done');
    expect(await root.wait()).toEqual({ level: 0, tag: 'r', leaf: false });
    expect(byLabel.get('r.0.1.1')!.log.lines.map((l) => l.text)).toEqual(['level 3 (r.0.1.1)']);
  });

  it('an op whose task specs are wrong fails with an InputError naming the spec, and adds nothing', async () => {
    pool = graphPool({ size: 1 });
    const wf = new Workflow(pool);
    // test.echo hands back what it is given: here, a malformed addTasks envelope.
    const bad = wf.add('test.echo', { $voxpoolSpawn: 1, result: 1, tasks: [{ op: 'test.echo', input: 1, after: ['missing'] }] });
    const s = await wf.run();
    expect(s).toMatchObject({ state: 'failed', total: 1, failed: 1 });
    expect(bad.record.error!.name).toBe('InputError');
    expect(bad.record.error!.message).toMatch(/test\.echo output\.tasks\[0\]\.after: no task spec has the key "missing"/);
  });
});
