/**
 * Compile-time checks of workflow typing (tsc --noEmit): `wf.add` is checked against the pool's
 * registry like `pool.run`, references carry the type of what they refer to, and an op that adds
 * tasks has the output type of its `result`.
 */
import { Workflow, ref, type Pool } from '../../src/index.ts';
import type { GraphOps } from '../graph/support.ts';

declare const pool: Pool<GraphOps>;

export async function checks(): Promise<void> {
  const wf = new Workflow(pool);
  const a = wf.add('fixture.tick', { key: 'a' });
  // A reference to a Float32Array where a Float32Array is expected.
  const b = wf.add('fixture.scale', { data: a.output('data'), k: 2 });
  const c = wf.add('fixture.combine', { a: ref(b, 'data'), b: b.output('data') }, { after: [a, b.tree] });
  const out: Float32Array = await c.wait();
  void out;
  // addTasks(...) is unwrapped: the output is the result.
  const e = wf.add('fixture.expand', { level: 0, depth: 1, fanout: 1, tag: 'x' });
  const level: number = (await e.wait()).level;
  void level;

  // @ts-expect-error: no such operation
  wf.add('fixture.nope', null);
  // @ts-expect-error: wrong input (k must be a number)
  wf.add('fixture.scale', { data: a.output('data'), k: '2' });
  // @ts-expect-error: a reference to a string where a Float32Array is expected
  wf.add('fixture.scale', { data: a.output('key'), k: 2 });
  // @ts-expect-error: the output has no such field
  a.output('volume');
  // @ts-expect-error: output is not a string
  const wrong: string = await b.wait();
  void wrong;
}
