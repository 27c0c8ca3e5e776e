/**
 * Tasks waiting for a worker: highest priority first, first in first out within a priority.
 * One deque per priority, so push and shift are O(1) in the common single-priority case.
 */
/**
 * Where a pool task is: `queued` here, `sent` to a worker that holds it behind another task,
 * `running` there, or `settled` (done, failed or cancelled, as its record's state says; a
 * worker may still hold it until the worker hears of the cancel).
 */
export type TaskPhase = 'queued' | 'sent' | 'running' | 'settled';

export interface Queued {
  readonly priority: number;
  /** An entry whose task is no longer `queued` (sent, cancelled) is skipped on the way out. */
  readonly phase: TaskPhase;
}

class Deque<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }
  push(v: T): void {
    this.items.push(v);
  }
  unshift(v: T): void {
    if (this.head > 0) this.items[--this.head] = v;
    else this.items.unshift(v);
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const v = this.items[this.head];
    this.items[this.head++] = undefined;
    // Compact now and then so a long-lived queue does not keep a long dead prefix.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return v;
  }
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i] as T;
  }
}

export class TaskQueue<T extends Queued> {
  private readonly lanes = new Map<number, Deque<T>>();
  /** Priorities present, highest first. */
  private order: number[] = [];
  private live = 0;

  /** Tasks waiting (removed ones not counted). */
  get size(): number {
    return this.live;
  }

  push(task: T): void {
    this.lane(task.priority).push(task);
    this.live++;
  }

  /** Back at the front of its priority: a task that was sent to a worker that died before it ran. */
  pushFront(task: T): void {
    this.lane(task.priority).unshift(task);
    this.live++;
  }

  peek(): T | undefined {
    for (const p of this.order) {
      const lane = this.lanes.get(p)!;
      let head = lane.peek();
      while (head && head.phase !== 'queued') {
        lane.shift();
        head = lane.peek();
      }
      if (head) return head;
    }
    return undefined;
  }

  shift(): T | undefined {
    const head = this.peek();
    if (head) {
      this.lanes.get(head.priority)!.shift();
      this.live--;
    }
    return head;
  }

  /**
   * Takes a queued task off the count as it leaves the queue some other way (it is about to be
   * settled): its entry is dropped lazily when it reaches the front.
   */
  remove(task: T): void {
    if (task.phase !== 'queued') return;
    this.live--;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (const p of this.order) for (const t of this.lanes.get(p)!) if (t.phase === 'queued') yield t;
  }

  private lane(priority: number): Deque<T> {
    let lane = this.lanes.get(priority);
    if (!lane) {
      lane = new Deque<T>();
      this.lanes.set(priority, lane);
      this.order = [...this.lanes.keys()].sort((a, b) => b - a);
    }
    return lane;
  }
}
