/** The executor's pure parts: planning (checks, fan-out expansion, grouping, order) and the job script's quoting. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arraySpec, ClusterPlanError, itemsPerJob, maxPerElement, planDag, unitsPerElement, type ClusterDag } from '../../src/cluster/index.ts';
import { renderJobScript, shellQuote } from '../../src/cluster/script.ts';

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

/** One chain of single tasks per subject: the shape `voxpool run` makes of the 8-subject pipeline. */
function chainsDag(subjects: number, steps: string[], estimatedSeconds?: number): ClusterDag {
  return {
    tasks: Array.from({ length: subjects }, (_, s) =>
      steps.map((step, i) => ({
        id: `${step}-${s}`,
        cwd: '/',
        command: cmd,
        ...(i > 0 ? { after: [`${steps[i - 1]}-${s}`] } : {}),
        ...(estimatedSeconds !== undefined ? { resources: { estimatedSeconds } } : {}),
      })),
    ).flat(),
  };
}

describe('grouping (group: auto | N)', () => {
  it('never leaves fewer elements than slots, and spreads units evenly', () => {
    expect(maxPerElement(16, 2)).toBe(8);
    expect(maxPerElement(3, 2)).toBe(2);
    expect(maxPerElement(5, 4)).toBe(1); // 2 each would leave 3 elements for 4 slots
    expect(maxPerElement(1, 4)).toBe(1);
    for (let units = 1; units <= 40; units++)
      for (let slots = 1; slots <= 9; slots++) expect(Math.ceil(units / maxPerElement(units, slots))).toBeGreaterThanOrEqual(Math.min(units, slots));
    // auto: no estimate packs to the slots; an estimate packs until a 1 s job is 10% of the work.
    expect(unitsPerElement(16, 'auto', 2, undefined, 1)).toBe(8);
    expect(unitsPerElement(16, 'auto', 2, 0.5, 1)).toBe(8);
    expect(unitsPerElement(16, 'auto', 2, 2, 1)).toBe(5);
    expect(unitsPerElement(16, 'auto', 2, 20, 1)).toBe(1);
    expect(unitsPerElement(16, 3, 2, undefined, 1)).toBe(3);
    expect(unitsPerElement(16, 100, 2, undefined, 1)).toBe(8);
  });

  it('runs each chain as one job and packs the 8 chains into 2 array elements for 2 slots', () => {
    const steps = ['read', 'smooth', 'threshold', 'components', 'isosurface'];
    const off = planDag(chainsDag(8, steps), { slots: 2 });
    expect(off.jobs).toHaveLength(40);
    const plan = planDag(chainsDag(8, steps), { slots: 2, group: 'auto' });
    expect(plan.jobs).toHaveLength(1);
    expect(plan.jobs[0]).toMatchObject({ array: true, after: [], afterEach: [] });
    expect(plan.jobs[0]!.elements).toEqual([0, 1].map((e) => [0, 1, 2, 3].flatMap((i) => steps.map((step) => `${step}-${e * 4 + i}`))));
    expect(plan.tasks.find((t) => t.id === 'isosurface-5')).toMatchObject({ job: 0, element: 1, after: ['components-5'] });
    // Task order (and so file keys) is the plan's, grouped or not.
    expect(plan.tasks.map((t) => t.key)).toEqual(off.tasks.map((t) => t.key));
    // Long tasks (an estimate of 60 s each) are not packed, but each chain is still one job.
    const long = planDag(chainsDag(8, steps, 60), { slots: 2, group: 'auto' });
    expect(long.jobs.map((j) => j.elements)).toEqual(Array.from({ length: 8 }, (_, s) => [steps.map((step) => `${step}-${s}`)]));
    // 4 slots: 4 elements of 2 chains; N = 2: 4 elements; N = 1: a job per chain.
    expect(planDag(chainsDag(8, steps), { slots: 4, group: 'auto' }).jobs[0]!.elements).toHaveLength(4);
    expect(planDag(chainsDag(8, steps), { slots: 2, group: 2 }).jobs[0]!.elements).toHaveLength(4);
    expect(planDag(chainsDag(8, steps), { slots: 2, group: 1 }).jobs.map((j) => [j.array, j.elements.length])).toEqual(Array(8).fill([false, 1]));
  });

  it('merges chained fan-outs (afterEach) element by element, keeps forks and joins apart', () => {
    const items = ['1', '2', '3'];
    const plan = planDag(
      {
        tasks: [
          { id: 'head', cwd: '/', command: cmd },
          { id: 'join', cwd: '/', command: cmd, after: ['save'] },
          { id: 'left', cwd: '/', command: cmd, after: ['join'] },
          { id: 'right', cwd: '/', command: cmd, after: ['join'] },
        ],
        fanOuts: [
          { id: 'smooth', items, cwd: '/', command: cmd, after: ['head'] },
          { id: 'save', items, cwd: '/', command: cmd, afterEach: ['smooth'] },
        ],
      },
      { slots: 2, group: 'auto' },
    );
    // head has 3 dependents in another shape (an array): apart. smooth+save: one array, 3 items packed 2 + 1.
    // join forks into left and right: apart; left and right wait for the same task: 2 units, 2 slots, apart.
    expect(plan.jobs.map((j) => [j.node, j.array, j.elements])).toEqual([
      ['head', false, [['head']]],
      [
        'smooth+save',
        true,
        [
          ['smooth[1]', 'save[1]', 'smooth[2]', 'save[2]'],
          ['smooth[3]', 'save[3]'],
        ],
      ],
      ['join', false, [['join']]],
      ['left', false, [['left']]],
      ['right', false, [['right']]],
    ]);
    expect(plan.jobs[1]).toMatchObject({ after: ['head'], afterEach: [] });
    expect(plan.jobs[2]!.after).toEqual(['save[1]', 'save[2]', 'save[3]']);
    expect(() => planDag({ tasks: [{ id: 'a', cwd: '/', command: cmd }] }, { slots: 1, group: 0 })).toThrow(ClusterPlanError);
  });

  it("the job script runs a chain's tasks in order, each with its own exit file, and skips what follows a failure", () => {
    const dir = mkdtempSync(join(tmpdir(), 'voxpool-script-'));
    try {
      const sh = (script: string): string[] => ['bash', '-c', script];
      const plan = planDag(
        {
          tasks: [
            { id: 'a', cwd: dir, command: sh('echo a; echo a >> ran') },
            { id: 'b', cwd: dir, command: sh('echo b >> ran; echo b is broken >&2; exit 3'), after: ['a'] },
            { id: 'c', cwd: dir, command: sh('echo c >> ran'), after: ['b'] },
            { id: 'x', cwd: dir, command: sh('echo x >> ran') },
          ],
        },
        { slots: 1, group: 'auto' },
      );
      expect(plan.jobs.map((j) => j.elements)).toEqual([[['a', 'b', 'c', 'x']]]);
      const script = join(dir, 'job.sh');
      const tasksDir = join(dir, 'tasks');
      mkdirSync(tasksDir);
      writeFileSync(script, renderJobScript(plan, plan.jobs[0]!, tasksDir, 'test'));
      const key = (id: string): string => plan.tasks.find((t) => t.id === id)!.key;
      const first = spawnSync('bash', [script], { encoding: 'utf8' });
      expect(first.status).toBe(1);
      // x, independent of the failed chain, still ran.
      expect(readFileSync(join(dir, 'ran'), 'utf8')).toBe('a\nb\nx\n');
      expect(readFileSync(join(tasksDir, `${key('a')}.exit`), 'utf8')).toBe('0\n');
      expect(readFileSync(join(tasksDir, `${key('a')}.out`), 'utf8')).toBe('a\n');
      expect(readFileSync(join(tasksDir, `${key('b')}.exit`), 'utf8')).toBe('3\n');
      expect(readFileSync(join(tasksDir, `${key('b')}.err`), 'utf8')).toBe('b is broken\n');
      expect(existsSync(join(tasksDir, `${key('c')}.exit`))).toBe(false);
      expect(existsSync(join(tasksDir, `${key('c')}.start`))).toBe(false);
      // The job's own output marks each task in turn.
      expect(first.stdout).toMatch(
        /^== task a: started .*\n== task a: exit 0 .*\n== task b: started .*\n== task b: exit 3 .*\n== task c: not run, a prerequisite in this job did not succeed\n== task x: started/,
      );
      // Run again with b's exit file gone (as resume archives it): a and x are not run twice.
      rmSync(join(tasksDir, `${key('b')}.exit`));
      const again = spawnSync('bash', [script], { encoding: 'utf8' });
      expect(again.stdout).toMatch(/^== task a: done before, not run again$/m);
      expect(readFileSync(join(dir, 'ran'), 'utf8')).toBe('a\nb\nx\nb\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the job script with a warm program (serve)', () => {
  it("hands an element's tasks to one process, and runs a task on its own when that process is gone", () => {
    const dir = mkdtempSync(join(tmpdir(), 'voxpool-serve-'));
    try {
      // A serve program in bash: per request line, its words and its pid to the task's stdout file; `bad` answers 3; `quit` ends it unanswered.
      const server = [
        'bash',
        '-c',
        'while IFS=$\'\\t\' read -r req out err; do [ "$req" = quit ] && exit 0; echo "served $req" >> ran; echo "$req by $$" > "$out"; if [ "$req" = bad ]; then echo "$req went wrong" > "$err"; echo 3 >&3; else echo 0 >&3; fi; done',
      ];
      const task = (id: string, after?: string) => ({
        id,
        cwd: dir,
        command: ['bash', '-c', `echo "alone ${id}" >> ran; echo "${id} alone"`],
        serve: { command: server, request: id === 'q' ? 'quit' : id },
        ...(after ? { after: [after] } : {}),
      });
      const plan = planDag({ tasks: [task('a'), task('bad', 'a'), task('c', 'bad'), task('x'), task('q'), task('z')] }, { slots: 1, group: 'auto' });
      expect(plan.jobs.map((j) => j.elements)).toEqual([[['a', 'bad', 'c'], ['x'], ['q'], ['z']].flat()].map((e) => [e]));
      const tasksDir = join(dir, 'tasks');
      mkdirSync(tasksDir);
      const script = join(dir, 'job.sh');
      writeFileSync(script, renderJobScript(plan, plan.jobs[0]!, tasksDir, 'test'));
      const r = spawnSync('bash', [script], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      const key = (id: string): string => plan.tasks.find((t) => t.id === id)!.key;
      const out = (id: string): string => readFileSync(join(tasksDir, `${key(id)}.out`), 'utf8');
      const exit = (id: string): string => readFileSync(join(tasksDir, `${key(id)}.exit`), 'utf8');
      // a, bad and x in one process; c not run (bad failed); q ended the process, so q and z ran on their own.
      const pid = /^a by (\d+)\n$/.exec(out('a'))![1];
      expect(out('bad')).toBe(`bad by ${pid}\n`);
      expect(out('x')).toBe(`x by ${pid}\n`);
      expect(readFileSync(join(tasksDir, `${key('bad')}.err`), 'utf8')).toBe('bad went wrong\n');
      expect([exit('a'), exit('bad'), exit('x'), exit('q'), exit('z')]).toEqual(['0\n', '3\n', '0\n', '0\n', '0\n']);
      expect(existsSync(join(tasksDir, `${key('c')}.exit`))).toBe(false);
      expect(out('q')).toBe('q alone\n');
      expect(out('z')).toBe('z alone\n');
      expect(readFileSync(join(dir, 'ran'), 'utf8')).toBe('served a\nserved bad\nserved x\nalone q\nalone z\n');
      expect(r.stdout).toMatch(/^== task q: the warm process is gone; run on its own$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('shellQuote', () => {
  it('passes any argument to the command unchanged through bash', () => {
    const args = ["it's", '$HOME', '`id`', 'a b', '"q"', '\\', '*', '', 'ünï'];
    const out = execFileSync('bash', ['-c', `printf '%s\\0' ${args.map(shellQuote).join(' ')}`]).toString();
    expect(out.split('\0').slice(0, -1)).toEqual(args);
  });
});
