/**
 * Progress in the terminal: one line per task state change (what a log file or CI wants), and on
 * a TTY a status line under them, rewritten in place, with the counts and a bar.
 */
import type { Workflow, WorkflowTaskEvent } from '../graph/index.ts';
import type { OpRegistry } from '../core/op.ts';

const SHOWN = new Set(['queued', 'running', 'done', 'failed', 'cancelled', 'skipped', 'retry']);

export interface ProgressOptions {
  /** Where lines go. */
  out: NodeJS.WritableStream & { isTTY?: boolean };
  /** Name of a task by its workflow id (the file's key). */
  nameOf(id: number): string;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export class Progress<R extends OpRegistry = OpRegistry> {
  private barShown = false;

  constructor(
    private readonly wf: Workflow<R>,
    private readonly options: ProgressOptions,
  ) {
    wf.addEventListener('task', (e: WorkflowTaskEvent) => {
      if (!SHOWN.has(e.change)) return;
      this.line(this.describe(e));
    });
  }

  private describe(e: WorkflowTaskEvent): string {
    const t = e.record;
    const name = this.options.nameOf(t.id);
    switch (e.change) {
      case 'running':
        return `${name}: running on worker ${t.workerId ?? '?'}`;
      case 'done':
        return `${name}: done${t.startedAt !== null && t.endedAt !== null ? ` in ${seconds(t.endedAt - t.startedAt)}` : ''}`;
      case 'failed':
        return `${name}: failed: ${t.error?.message ?? 'unknown error'}`;
      case 'skipped':
        return `${name}: skipped: ${t.error?.message ?? ''}`;
      case 'retry':
        return `${name}: retrying (${t.error?.message ?? ''})`;
      default:
        return `${name}: ${e.change}`;
    }
  }

  /** Writes a line (above the status bar, on a TTY). */
  line(text: string): void {
    const out = this.options.out;
    if (out.isTTY) out.write(`\r\x1b[K${text}\n${this.bar()}`);
    else out.write(`${text}\n`);
    this.barShown = out.isTTY === true;
  }

  private bar(): string {
    const c = this.wf.summary();
    const total = c.total;
    const ended = c.done + c.failed + c.cancelled + c.skipped;
    let running = 0;
    for (const t of this.wf.tasks()) if (t.state === 'running') running++;
    const width = 30;
    const full = total ? Math.round((width * ended) / total) : 0;
    return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${ended}/${total}  done ${c.done}  running ${running}  failed ${c.failed}  skipped ${c.skipped}`;
  }

  /** Leaves the status bar as the last line. */
  end(): void {
    if (this.barShown) this.options.out.write('\n');
  }
}
