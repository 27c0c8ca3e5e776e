/**
 * A task's input as it is sent: references resolved to the producers' outputs, and for each
 * output the choice of copy or move. An output goes without a copy into the last task that
 * consumes it when the store holds a copy to read back; otherwise the consumer gets a copy, so
 * the page's output (and other consumers') stays whole.
 */
import { decodeValue, hasBlobs } from './codec.ts';
import { OutputReleasedError } from './errors.ts';
import type { TaskGraph } from './graph.ts';
import { follow, resolveRefs } from './refs.ts';
import type { Node } from './task.ts';

export interface Prepared {
  input: unknown;
  mode: 'copy' | 'transfer';
  /** Producers whose output moves into this task: the page lets go of them once it is sent. */
  moved: Node[];
}

interface Value {
  value: unknown;
  /** Decoded from the store for this task alone: its buffers may move without a copy. */
  fresh: boolean;
}

/** The input to send `n`; a promise when something must be read back from the store first. */
export function prepareInput(n: Node, graph: TaskGraph, stored: boolean): Prepared | Promise<Prepared> {
  const inputBlobs = n.storedInput === n.input && hasBlobs(n.input);
  if (n.refs.length === 0) {
    if (!inputBlobs) return { input: n.input, mode: 'copy', moved: [] };
    return decodeValue(n.input).then((input) => ({ input, mode: 'transfer', moved: [] }));
  }
  const producers = [...graph.producerIds(n)].map((id) => graph.get(id)!);
  if (!inputBlobs && producers.every((p) => p.hasOutput)) {
    return assemble(n.input, false, new Map(producers.map((p) => [p.id, { value: p.output, fresh: false }])), graph, stored);
  }
  return (async () => {
    const base = inputBlobs ? await decodeValue(n.input) : n.input;
    const values = new Map<number, Value>();
    for (const p of producers) {
      if (p.hasOutput) values.set(p.id, { value: p.output, fresh: false });
      else if (p.hasStoredOutput) values.set(p.id, { value: await decodeValue(p.storedOutput), fresh: true });
      else throw new OutputReleasedError(p.id);
    }
    return assemble(base, inputBlobs, values, graph, stored);
  })();
}

function assemble(base: unknown, baseFresh: boolean, values: Map<number, Value>, graph: TaskGraph, stored: boolean): Prepared {
  const moved: Node[] = [];
  for (const [id, v] of values) {
    const p = graph.get(id)!;
    // The consumers still to start, this one not counted: none left means this is the last.
    const last = p.consumers <= 1;
    if (!v.fresh && last && !p.keep && p.hasStoredOutput && stored) moved.push(p);
  }
  const movedIds = new Set(moved.map((p) => p.id));
  // The literal part of the input is the task's definition, kept for retries: send a copy.
  const literal = baseFresh ? base : structuredClone(base);
  const input = resolveRefs(literal, (r, where) => {
    const v = values.get(r.$ref as number)!;
    const part = follow(v.value, r, where);
    return v.fresh || movedIds.has(r.$ref as number) ? part : structuredClone(part);
  });
  return { input, mode: 'transfer', moved };
}

/**
 * `n` was sent: on its first start its producers have one consumer less, and the outputs that
 * moved into it leave the page (the store still has them).
 */
export function inputsTaken(n: Node, graph: TaskGraph, moved: readonly Node[]): void {
  if (!n.consumedRefs && n.refs.length > 0) {
    n.consumedRefs = true;
    for (const id of graph.producerIds(n)) graph.get(id)!.consumers--;
  }
  for (const m of moved) {
    m.output = undefined;
    m.hasOutput = false;
  }
}
