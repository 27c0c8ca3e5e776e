/** A task's log: the lines its op reported with `ctx.log`, like a job's stdout and stderr. */

export interface LogLine {
  stream: 'out' | 'err';
  text: string;
  /** Epoch ms when the page received it. */
  at: number;
  /** Which run of the task wrote it (1, then more after retries, restarts and resumes). */
  attempt: number;
}

export class TaskLog {
  readonly lines: LogLine[] = [];
  private waiters: (() => void)[] = [];
  private closed = false;

  push(line: LogLine): void {
    this.lines.push(line);
    this.wake();
  }

  /** No more lines until the task runs again. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  reopen(): void {
    this.closed = false;
  }

  /** Lines one by one: those so far, then each as it comes, until the task has ended. */
  async *follow(stream?: 'out' | 'err'): AsyncGenerator<LogLine, void, undefined> {
    let i = 0;
    for (;;) {
      while (i < this.lines.length) {
        const line = this.lines[i++]!;
        if (!stream || line.stream === stream) yield line;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
