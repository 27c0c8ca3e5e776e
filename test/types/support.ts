export { createPool, Pool } from '../../src/index.ts';
import { defineOp } from '../../src/worker/index.ts';

/** defineOp infers input and output from the function. */
export function defineOpTypes(): void {
  const op = defineOp((input: { a: number }) => input.a * 2);
  const r: number = op.run({ a: 1 }, {} as never) as number;
  void r;
  // @ts-expect-error: input must have `a: number`
  void op.run({ b: 1 }, {} as never);
}
