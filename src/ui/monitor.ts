/**
 * <voxpool-monitor>: every task of a pool (or of anything shaped like one, see MonitorSource)
 * with its state, worker, live elapsed time, progress, bytes moved and its worker's memory;
 * cancel one or all, retry the failed, clear the finished, size the pool; a timeline.
 * State comes in through the `pool` property; actions go out as `monitor-action` events.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { monitorStyles } from './monitor-styles.ts';
import { renderTimeline } from './timeline.ts';
import { formatBytes, formatDuration, now, stateName } from './format.ts';
import { OVERDUE_UNKNOWN, isOverdue } from './overdue.ts';
import { MonitorActionEvent, SOURCE_EVENTS, type MonitorAction, type MonitorSource, type MonitorTask } from '../core/monitor-source.ts';

const ACTIVE = new Set(['queued', 'waiting', 'running']);
const RANK: Record<string, number> = { running: 0, queued: 1, waiting: 2 };

/** What needs attention first: running, then waiting (oldest first), then finished (newest first). */
function listOrder(tasks: readonly Readonly<MonitorTask>[]): Readonly<MonitorTask>[] {
  return [...tasks].sort((a, b) => {
    const ra = RANK[a.state] ?? 3;
    const rb = RANK[b.state] ?? 3;
    if (ra !== rb) return ra - rb;
    return ra < 3 ? a.id - b.id : (b.endedAt ?? 0) - (a.endedAt ?? 0) || b.id - a.id;
  });
}
const FINISHED = new Set(['done', 'failed', 'cancelled']);
/** Rows drawn at most; the counts and the timeline still cover every task. */
const MAX_ROWS = 200;
const TICK_MS = 200;

export class VoxpoolMonitor extends LitElement {
  static override styles = monitorStyles;
  static override properties = {
    pool: { attribute: false },
    heading: { type: String },
    retryable: { type: Boolean },
    overdueAfter: { type: Number, attribute: 'overdue-after' },
  };

  declare pool: MonitorSource | undefined;
  /** The monitor's title. */
  declare heading: string;
  /**
   * Offer "Retry failed" even when the source has no retry(): someone listening for the
   * `monitor-action` event submits the tasks again (the page does, keeping each task's input).
   */
  declare retryable: boolean;
  /**
   * Milliseconds after which a running task of an op with no finished run to compare with is
   * marked overdue (ops with a history: when far past their usual time). Default 60 s.
   */
  declare overdueAfter: number;

  private watched: MonitorSource | undefined;
  private frame = 0;
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** Last memory seen per worker, so tasks of a retired worker still show it. */
  private readonly memory = new Map<number, number>();
  /** Failed tasks already retried: not offered again. */
  private readonly retried = new Set<number>();
  private readonly onSourceEvent = (): void => this.redrawSoon();

  constructor() {
    super();
    this.heading = 'Tasks';
    this.retryable = false;
    this.overdueAfter = OVERDUE_UNKNOWN;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.watch(this.pool);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.watch(undefined);
    this.setTicking(false);
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('pool') && this.isConnected) this.watch(this.pool);
  }

  protected override updated(): void {
    this.setTicking(this.tasks().some((t) => t.state === 'running'));
  }

  private watch(source: MonitorSource | undefined): void {
    if (source === this.watched) return;
    for (const type of SOURCE_EVENTS) this.watched?.removeEventListener(type, this.onSourceEvent);
    this.watched = source;
    this.memory.clear();
    this.retried.clear();
    for (const type of SOURCE_EVENTS) source?.addEventListener(type, this.onSourceEvent);
  }

  /** Many events in one frame draw once. */
  private redrawSoon(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.requestUpdate();
    });
  }

  private setTicking(on: boolean): void {
    if (on && !this.ticker) this.ticker = setInterval(() => this.requestUpdate(), TICK_MS);
    if (!on && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private tasks(): readonly Readonly<MonitorTask>[] {
    return this.pool?.tasks() ?? [];
  }

  /** Acts on the source unless a listener took the action over with preventDefault(). */
  private act(action: MonitorAction): void {
    const source = this.pool;
    if (action.action === 'retry') for (const id of action.ids) this.retried.add(id);
    if (!this.dispatchEvent(new MonitorActionEvent(action)) || !source) {
      this.requestUpdate();
      return;
    }
    switch (action.action) {
      case 'cancel':
        for (const id of action.ids) source.cancel?.(id);
        break;
      case 'cancel-all':
        source.cancelAll?.();
        break;
      case 'retry':
        for (const id of action.ids) source.retry?.(id);
        break;
      case 'clear-finished':
        source.clearFinished?.();
        break;
      case 'resize':
        source.resize?.(action.size);
        break;
    }
    this.requestUpdate();
  }

  private onResize(e: Event): void {
    const input = e.target as HTMLInputElement;
    const size = Math.round(Number(input.value));
    if (!Number.isFinite(size) || size < 1) {
      input.value = String(this.pool?.size ?? 1);
      return;
    }
    this.act({ action: 'resize', size });
  }

  protected override render(): unknown {
    const source = this.pool;
    const tasks = this.tasks();
    const workers = source?.workers?.() ?? [];
    for (const w of workers) this.memory.set(w.id, w.memory);
    const at = now();
    const count = (state: string): number => tasks.filter((t) => t.state === state).length;
    const failed = tasks.filter((t) => t.state === 'failed' && !this.retried.has(t.id));
    const active = tasks.filter((t) => ACTIVE.has(t.state)).length;
    const finished = tasks.filter((t) => FINISHED.has(t.state)).length;
    const rows = listOrder(tasks).slice(0, MAX_ROWS);
    const canRetry = Boolean(source?.retry) || this.retryable;
    return html`
      <section aria-label=${this.heading}>
        <header>
          <h2>${this.heading}</h2>
          <dl class="counts" aria-live="polite">
            ${(['queued', 'running', 'done', 'failed', 'cancelled'] as const).map(
              (s) =>
                html`<div class="count ${s}" data-state=${s}>
                  <dt>${stateName(s)}</dt>
                  <dd>${count(s)}</dd>
                </div>`,
            )}
          </dl>
        </header>
        <div class="controls" role="toolbar" aria-label="Task controls">
          ${
            source?.resize
              ? html`<label class="size"
                  >Workers <input type="number" min="1" max="64" .value=${String(source.size ?? workers.length)} @change=${this.onResize}
                /></label>`
              : nothing
          }
          <span class="busy"
            >${workers.length} worker${workers.length === 1 ? '' : 's'} started${source?.size !== undefined ? ` of ${source.size}` : ''},
            ${formatBytes(workers.reduce((n, w) => n + w.memory, 0))} engine memory</span
          >
          <button type="button" class="cancel-all" ?disabled=${!source?.cancelAll || active === 0} @click=${() => this.act({ action: 'cancel-all' })}>
            Cancel all
          </button>
          <button
            type="button"
            class="retry-failed"
            ?disabled=${!canRetry || failed.length === 0}
            @click=${() => this.act({ action: 'retry', ids: failed.map((t) => t.id) })}
          >
            Retry failed
          </button>
          <button
            type="button"
            class="clear-finished"
            ?disabled=${!source?.clearFinished || finished === 0}
            @click=${() => this.act({ action: 'clear-finished' })}
          >
            Clear finished
          </button>
        </div>
        ${renderTimeline(
          tasks,
          workers.map((w) => w.id),
          at,
        )}
        <div class="table-wrap" tabindex="0" aria-label="Task list">
          <table>
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">State</th>
                <th scope="col">Worker</th>
                <th scope="col">Time</th>
                <th scope="col">Progress</th>
                <th scope="col">Bytes in / out</th>
                <th scope="col">Worker memory</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              ${
                tasks.length === 0
                  ? html`<tr>
                      <td colspan="8" class="none">No tasks yet.</td>
                    </tr>`
                  : nothing
              }
              ${repeat(
                rows,
                (t) => t.id,
                (t) => this.renderRow(t, at),
              )}
              ${
                tasks.length > rows.length
                  ? html`<tr>
                      <td colspan="8" class="none">${tasks.length - rows.length} older finished tasks not listed.</td>
                    </tr>`
                  : nothing
              }
            </tbody>
          </table>
        </div>
      </section>
    `;
  }

  private renderRow(t: Readonly<MonitorTask>, at: number): unknown {
    const elapsed = t.startedAt === null ? null : (t.endedAt ?? at) - t.startedAt;
    const fraction = t.state === 'done' ? 1 : (t.progress?.fraction ?? 0);
    const memory = t.workerId === null ? undefined : this.memory.get(t.workerId);
    const typical = this.pool?.typicalRunTime?.(t.op);
    const late = t.state === 'running' && elapsed !== null && isOverdue(elapsed, typical, this.overdueAfter);
    return html`<tr class="${t.state}${late ? ' overdue' : ''}" data-task=${t.id}>
      <th scope="row" class="label" title=${t.op}>${t.label}</th>
      <td>
        <span class="state ${t.state}">${stateName(t.state)}</span>${
          t.error && t.state === 'failed' ? html`<div class="error" title=${t.error.message}>${t.error.message}</div>` : nothing
        }${this.retried.has(t.id) ? html`<div class="note">retried</div>` : nothing}${
          late
            ? html`<div class="note overdue" role="status">
                ${typical === undefined ? 'no result yet' : `far longer than usual (typically ${formatDuration(typical)})`}${t.timeLimit === null ? '; no timeout' : ''}
              </div>`
            : nothing
        }
      </td>
      <td>${t.workerId ?? '–'}</td>
      <td class="num">${elapsed === null ? (ACTIVE.has(t.state) ? 'waiting' : '–') : formatDuration(elapsed)}</td>
      <td>
        <progress max="1" .value=${fraction} aria-label=${`Progress of ${t.label}`}></progress>
        ${t.progress?.message ? html`<span class="progress-message">${t.progress.message}</span>` : nothing}
      </td>
      <td class="num">${formatBytes(t.bytesIn)} / ${formatBytes(t.bytesOut)}</td>
      <td class="num">${memory === undefined ? '–' : formatBytes(memory)}</td>
      <td>
        ${
          ACTIVE.has(t.state) && this.pool?.cancel
            ? html`<button type="button" class="cancel" aria-label=${`Cancel ${t.label}`} @click=${() => this.act({ action: 'cancel', ids: [t.id] })}>
                Cancel
              </button>`
            : nothing
        }
      </td>
    </tr>`;
  }
}

if (!customElements.get('voxpool-monitor')) customElements.define('voxpool-monitor', VoxpoolMonitor);

declare global {
  interface HTMLElementTagNameMap {
    'voxpool-monitor': VoxpoolMonitor;
  }
}
