/**
 * The timeline: one lane per worker, each task a bar from its start to its end (or now), so
 * load balance shows at a glance.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { MonitorTask } from '../core/monitor-source.ts';
import { formatDuration, stateName } from './format.ts';

export function renderTimeline(tasks: readonly Readonly<MonitorTask>[], workerIds: readonly number[], at: number): TemplateResult {
  const started = tasks.filter((t) => t.startedAt !== null && t.workerId !== null);
  const lanes = [...new Set([...workerIds, ...started.map((t) => t.workerId!)])].sort((a, b) => a - b);
  if (started.length === 0) {
    return html`<div class="timeline empty" role="img" aria-label="Timeline: no task has started">No task has started yet.</div>`;
  }
  const t0 = Math.min(...started.map((t) => t.startedAt!));
  const t1 = Math.max(...started.map((t) => t.endedAt ?? at), t0 + 1);
  const span = t1 - t0;
  const byLane = new Map<number, Readonly<MonitorTask>[]>();
  for (const t of started) byLane.set(t.workerId!, [...(byLane.get(t.workerId!) ?? []), t]);
  return html`
    <div class="timeline" role="img" aria-label=${`Timeline of ${started.length} tasks on ${lanes.length} workers over ${formatDuration(span)}`}>
      ${lanes.map(
        (w) => html`<div class="lane">
          <span class="lane-name">worker ${w}</span>
          <span class="lane-track">
            ${(byLane.get(w) ?? []).map((t) => {
              const left = ((t.startedAt! - t0) / span) * 100;
              const width = Math.max((((t.endedAt ?? at) - t.startedAt!) / span) * 100, 0.4);
              return html`<span
                class="bar ${t.state}"
                style="left:${left.toFixed(3)}%;width:${width.toFixed(3)}%"
                title="${t.label}: ${stateName(t.state)}, ${formatDuration((t.endedAt ?? at) - t.startedAt!)}"
              ></span>`;
            })}
          </span>
        </div>`,
      )}
      <div class="axis"><span>0</span><span>${formatDuration(span)}</span></div>
    </div>
    ${nothing}
  `;
}
