/**
 * A 20-task workflow in which stored results feed several tasks each (a fan-out), for the tests
 * that interrupt it (reload, a killed pool) and resume it: the shape, built on a Workflow, and
 * the values every task must produce, computed here in plain JS to compare byte for byte.
 */
import type { OutputRef } from '../../src/graph/refs.ts';
import type { Workflow, WorkflowTaskEvent } from '../../src/index.ts';
import type { GraphOps } from './support.ts';

/** 1,000 float32 values: stored inline. 20,000: stored as a Blob (80 KB, over the 64 KiB line). */
const SMALL = 1_000;
const BIG = 20_000;

type Src = { task: string; whole?: boolean };
type Spec =
  | { label: string; op: 'tick'; n: number; fill: number }
  | { label: string; op: 'scale'; src: Src; k: number }
  | { label: string; op: 'combine'; a: Src; b: Src };

// tick and scale answer { data }, combine the array itself.
const d = (task: string): Src => ({ task });
const w = (task: string): Src => ({ task, whole: true });

/** Every result but the last few is read by two or more tasks; some twice by one task. */
export const FANOUT: readonly Spec[] = [
  { label: 's', op: 'tick', n: SMALL, fill: 10 },
  { label: 's2', op: 'scale', src: d('s'), k: 2 },
  { label: 's3', op: 'scale', src: d('s'), k: 3 },
  { label: 's4', op: 'combine', a: d('s'), b: d('s') },
  { label: 's5', op: 'combine', a: d('s2'), b: d('s3') },
  { label: 's6', op: 'combine', a: d('s'), b: w('s5') },
  { label: 's7', op: 'scale', src: w('s4'), k: -1 },
  { label: 'B', op: 'tick', n: BIG, fill: 1000 },
  { label: 'C', op: 'tick', n: BIG, fill: 5000 },
  { label: 'B2', op: 'scale', src: d('B'), k: 2 },
  { label: 'B3', op: 'scale', src: d('B'), k: 3 },
  { label: 'BC', op: 'combine', a: d('B'), b: d('C') },
  { label: 'BB', op: 'combine', a: d('B'), b: d('B') },
  { label: 'CB2', op: 'combine', a: d('C'), b: d('B2') },
  { label: 'B3BC', op: 'combine', a: d('B3'), b: w('BC') },
  { label: 'BBn', op: 'scale', src: w('BB'), k: -1 },
  { label: 'x1', op: 'combine', a: w('CB2'), b: w('B3BC') },
  { label: 'x2', op: 'combine', a: d('B'), b: w('x1') },
  { label: 'x3', op: 'combine', a: w('BC'), b: w('BB') },
  { label: 'C4', op: 'scale', src: d('C'), k: 4 },
];

/** Adds the shape to `wf` (task ids 1..20 in FANOUT's order); `ms` is how long ticks and scales take. */
export function addFanout(wf: Workflow<GraphOps>, prefix: string, ms: number): void {
  const ids = new Map<string, number>();
  // The typed refs (`t.output('data')`) know each producer's output; this table does not, so it
  // builds the plain records they stand for.
  const src = (s: Src): OutputRef<Float32Array> => ({ $ref: ids.get(s.task)!, path: s.whole ? [] : ['data'] });
  for (const s of FANOUT) {
    const opts = { label: s.label };
    if (s.op === 'tick') ids.set(s.label, wf.add('fixture.tick', { key: `${prefix}:${s.label}`, ms, n: s.n, fill: s.fill }, opts).id);
    else if (s.op === 'scale') ids.set(s.label, wf.add('fixture.scale', { data: src(s.src), k: s.k, ms }, opts).id);
    else ids.set(s.label, wf.add('fixture.combine', { a: src(s.a), b: src(s.b) }, opts).id);
  }
}

/** What each task must produce, by label, as the fixture ops compute it (float32 all the way). */
export function expectedFanout(): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const s of FANOUT) {
    if (s.op === 'tick')
      out.set(
        s.label,
        Float32Array.from({ length: s.n }, (_, i) => s.fill + i),
      );
    else if (s.op === 'scale')
      out.set(
        s.label,
        out.get(s.src.task)!.map((v) => v * s.k),
      );
    else {
      const b = out.get(s.b.task)!;
      out.set(
        s.label,
        out.get(s.a.task)!.map((v, i) => v + b[i]!),
      );
    }
  }
  return out;
}

/**
 * Reads every task's result from `wf` twice (a read must not use up what the next one gets) and
 * compares it byte for byte with what it must be. Returns one line per difference.
 */
export async function checkFanout(wf: Workflow<GraphOps>): Promise<string[]> {
  const want = expectedFanout();
  const bad: string[] = [];
  for (const round of [1, 2]) {
    for (const t of wf.tasks()) {
      const got = (await wf.result(t.id)) as Float32Array | { data: Float32Array };
      const arr = got instanceof Float32Array ? got : got.data;
      const exp = want.get(t.label)!;
      if (arr.buffer.byteLength === 0) bad.push(`${t.label} (read ${round}): detached`);
      else if (arr.length !== exp.length) bad.push(`${t.label} (read ${round}): ${arr.length} values, not ${exp.length}`);
      else {
        const x = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
        const y = new Uint8Array(exp.buffer);
        const at = x.findIndex((v, i) => v !== y[i]);
        if (at >= 0) bad.push(`${t.label} (read ${round}): byte ${at} differs`);
      }
    }
  }
  return bad;
}

/** Counts of the workflow's task events by change, for the tests to pick their moment of interruption. */
export function countChanges(wf: Workflow<GraphOps>, counts: Record<string, number>): void {
  wf.addEventListener('task', (e) => {
    const c = (e as WorkflowTaskEvent).change;
    counts[c] = (counts[c] ?? 0) + 1;
  });
}
