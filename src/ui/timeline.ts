/**
 * The timeline: one lane per worker, each task a bar from its start to its end (or now), so
 * load balance shows at a glance.
 *
 * Bars are placed through CSSOM properties (`place`): a `style="..."` attribute would be refused
 * by a page whose Content Security Policy says `style-src 'self'`. Lit's styleMap is no way
 * round that: its first render writes the attribute.
 */
import { html, noChange, nothing, type TemplateResult } from 'lit';
import { Directive, directive, type ElementPart } from 'lit/directive.js';
import type { MonitorTask } from '../core/monitor-source.ts';
import { formatDuration, stateName } from './format.ts';

/** Sets a bar's left and width (percent strings) as style properties, never as an attribute. */
class Place extends Directive {
  render(_left: string, _width: string): unknown {
    return noChange;
  }

  override update(part: ElementPart, [left, width]: [string, string]): unknown {
    const style = (part.element as HTMLElement).style;
    style.setProperty('left', left);
    style.setProperty('width', width);
    return noChange;
  }
}
const place = directive(Place);

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
        (w) =>
          html`<div class="lane">
            <span class="lane-name">worker ${w}</span>
            <span class="lane-track">
              ${(byLane.get(w) ?? []).map((t) => {
                const left = ((t.startedAt! - t0) / span) * 100;
                const width = Math.max((((t.endedAt ?? at) - t.startedAt!) / span) * 100, 0.4);
                return html`<span
                  class="bar ${t.state}"
                  ${place(`${left.toFixed(3)}%`, `${width.toFixed(3)}%`)}
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
