/**
 * A workflow's tasks and the edges between them: prerequisites, tree waits, parents and the
 * outputs each task consumes. Ids are indexes (slot 0 unused, so an id is never falsy); a
 * restored workflow may have holes where a task was never stored.
 */
import { UnknownTaskError } from './errors.ts';
import type { OutputRef } from './refs.ts';
import type { Dep } from './store.ts';
import type { Node } from './task.ts';

export class TaskGraph {
  private readonly nodes: (Node | undefined)[] = [undefined];
  /** The task added last (a sequential workflow's next task waits for it). */
  lastAdded: number | null = null;

  /** The id the next task gets. */
  get nextId(): number {
    return this.nodes.length;
  }

  /** How many ids are taken (holes included, as a stored workflow counts them). */
  get size(): number {
    return this.nodes.length - 1;
  }

  get(id: number): Node | undefined {
    return this.nodes[id];
  }

  *[Symbol.iterator](): IterableIterator<Node> {
    for (const n of this.nodes) if (n) yield n;
  }

  /**
   * Calls `visit` for each task in id order, tasks added meanwhile included. A plain loop, not
   * the iterator: start() and stop() walk every task, and a generator's step costs more.
   */
  each(visit: (n: Node) => void): void {
    const nodes = this.nodes;
    for (let i = 1; i < nodes.length; i++) {
      const n = nodes[i];
      if (n) visit(n);
    }
  }

  /** Prerequisites of a new task: those named, those its input refers to, and in sequential mode the one before. */
  depsOf(after: readonly Dep[] | undefined, refs: readonly OutputRef[], sequential: boolean): Dep[] {
    const deps: Dep[] = [];
    const need = (d: Dep): void => {
      if (!this.nodes[d.id]) throw new UnknownTaskError(d.id);
      for (const x of deps) if (x.id === d.id && x.tree === d.tree) return;
      deps.push(d);
    };
    if (after) for (const d of after) need(d);
    for (const r of refs) {
      if (typeof r.$ref !== 'number') throw new UnknownTaskError(r.$ref);
      need({ id: r.$ref, tree: false });
    }
    if (sequential) need({ id: this.lastAdded!, tree: false });
    return deps;
  }

  /** Records a node under its id with its prerequisites, parent and the outputs it consumes. */
  link(node: Node): void {
    while (this.nodes.length < node.id) this.nodes.push(undefined);
    this.nodes.push(node);
    for (const d of node.after) {
      const p = this.nodes[d.id]!;
      (d.tree ? p.treeWaiters : p.dependents).push(node.id);
    }
    if (!node.consumedRefs && node.refs.length > 0) for (const id of this.producerIds(node)) this.nodes[id]!.consumers++;
    if (node.parent !== null) this.nodes[node.parent]!.children.push(node.id);
  }

  /** The tasks whose outputs `n`'s input refers to, each once. */
  producerIds(n: Node): Set<number> {
    return new Set(n.refs.map((r) => r.$ref as number));
  }

  /**
   * Calls `visit` for each task that waits on `n`, directly or through a tree it belongs to.
   * Read as it goes, not collected first: what `visit` does to one task is seen by the next.
   */
  eachDownstream(n: Node, visit: (d: Node) => void): void {
    for (const d of n.dependents) visit(this.nodes[d]!);
    for (let a: Node | undefined = n; a; a = a.parent === null ? undefined : this.nodes[a.parent]) {
      for (const d of a.treeWaiters) visit(this.nodes[d]!);
    }
  }
}
