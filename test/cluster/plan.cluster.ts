/** The executor's pure parts: planning (checks, fan-out expansion, grouping, order) and the job script's quoting. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { arraySpec, ClusterPlanError, itemsPerJob, planDag } from '../../src/cluster/index.ts';
import { shellQuote } from '../../src/cluster/script.ts';

const cmd = ['true'];

describe('planDag', () => {
  it('expands fan-outs, orders jobs after their prerequisites, and resolves ids of fan-outs and items', () => {
    const plan = planDag(
      {
        tasks: [
          { id: 'join', cwd: '/d', command: cmd, after: ['f'] },
          { id: 'one', cwd: '/d', command: cmd, after: ['f[y]'] },
          { id: 'start', cwd: '/d', command: cmd },
        ],
        fanOuts: [{ id: 'f', items: ['x', 'y'], cwd: '/d/{item}', command: ['run', '{item}', '{index}'], env: { S: 's-{item}' }, after: ['start'] }],
      },
      { slots: 2 },
    );
    expect(plan.jobs.map((j) => j.node)).toEqual(['start', 'f', 'join', 'one']);
    expect(plan.jobs.find((j) => j.node === 'join')!.after).toEqual(['f[x]', 'f[y]']);
    expect(plan.jobs.find((j) => j.node === 'one')!.after).toEqual(['f[y]']);
    const y = plan.tasks.find((t) => t.id === 'f[y]')!;
    expect(y).toMatchObject({ command: ['run', 'y', '1'], cwd: '/d/y', env: { S: 's-y' }, element: 1 });
    expect(new Set(plan.tasks.map((t) => t.key)).size).toBe(plan.tasks.length);
  });

  it('refuses cycles, unknown and duplicate ids, empty commands and relative folders, naming the task', () => {
    const bad = (dag: Parameters<typeof planDag>[0]): ClusterPlanError => {
      try {
        planDag(dag, { slots: 1 });
      } catch (e) {
        if (e instanceof ClusterPlanError) return e;
        throw e;
      }
      throw new Error('no error');
    };
    expect(
      bad({
        tasks: [
          { id: 'a', cwd: '/', command: cmd, after: ['b'] },
          { id: 'b', cwd: '/', command: cmd, after: ['a'] },
        ],
      }).message,
    ).toMatch(/^Task "a": is part of a cycle: a -> b -> a$/);
    expect(bad({ tasks: [{ id: 'a', cwd: '/', command: cmd, after: ['nope'] }] }).message).toBe(
      'Task "a": waits for "nope", which is no task, fan-out or fan-out item of this DAG',
    );
    expect(bad({ tasks: [{ id: 'a', cwd: '/', command: cmd }], fanOuts: [{ id: 'a', items: ['1'], cwd: '/', command: cmd }] }).problem).toBe(
      'two tasks or fan-outs have this id',
    );
    expect(bad({ tasks: [{ id: 'a', cwd: '/', command: [] }] }).problem).toMatch(/non-empty array/);
    expect(bad({ tasks: [{ id: 'a', cwd: 'rel', command: cmd }] }).problem).toMatch(/absolute path/);
    expect(bad({ tasks: [{ id: 'a', cwd: '/', command: cmd, env: { 'A-B': '1' } }] }).problem).toBe('"A-B" is not an environment variable name');
    expect(bad({ fanOuts: [{ id: 'f', items: ['1', '1'], cwd: '/', command: cmd }] }).problem).toBe('a fan-out lists an item twice');
  });

  it('groups items by their estimate, never into fewer elements than the cluster has slots', () => {
    expect(itemsPerJob(100, undefined, 4)).toBe(1);
    expect(itemsPerJob(100, 2, 4)).toBe(25); // 30 items would carry 60 s, but 4 slots need 4 elements
    expect(itemsPerJob(1000, 2, 4)).toBe(30);
    expect(itemsPerJob(10, 120, 4)).toBe(1);
    const plan = planDag(
      { fanOuts: [{ id: 'f', items: ['a', 'b', 'c', 'd', 'e'], cwd: '/', command: cmd, resources: { estimatedSeconds: 1, timeMinutes: 1 } }] },
      { slots: 2 },
    );
    expect(plan.jobs[0]!.elements).toEqual([
      ['f[a]', 'f[b]', 'f[c]'],
      ['f[d]', 'f[e]'],
    ]);
    expect(plan.jobs[0]!.resources.timeMinutes).toBe(3);
  });

  it('chains fan-outs item by item (afterEach), grouped alike, and refuses fan-outs over other items', () => {
    const plan = planDag(
      {
        fanOuts: [
          { id: 'a', items: ['1', '2', '3'], cwd: '/', command: cmd, itemsPerJob: 2 },
          { id: 'b', items: ['1', '2', '3'], cwd: '/', command: cmd, afterEach: ['a'] },
        ],
      },
      { slots: 2 },
    );
    const b = plan.jobs.find((j) => j.node === 'b')!;
    expect(b).toMatchObject({ afterEach: [0], after: [], elements: [['b[1]', 'b[2]'], ['b[3]']] });
    expect(plan.tasks.find((t) => t.id === 'b[3]')!.after).toEqual(['a[3]']);
    expect(() =>
      planDag(
        {
          fanOuts: [
            { id: 'a', items: ['1'], cwd: '/', command: cmd },
            { id: 'b', items: ['2'], cwd: '/', command: cmd, afterEach: ['a'] },
          ],
        },
        { slots: 1 },
      ),
    ).toThrow('Task "b": afterEach needs the same items in the same order as "a"');
  });

  it('writes --array ranges', () => {
    expect(arraySpec([5, 0, 1, 2, 7, 8])).toBe('0-2,5,7-8');
  });
});

describe('shellQuote', () => {
  it('passes any argument to the command unchanged through bash', () => {
    const args = ["it's", '$HOME', '`id`', 'a b', '"q"', '\\', '*', '', 'ünï'];
    const out = execFileSync('bash', ['-c', `printf '%s\\0' ${args.map(shellQuote).join(' ')}`]).toString();
    expect(out.split('\0').slice(0, -1)).toEqual(args);
  });
});
