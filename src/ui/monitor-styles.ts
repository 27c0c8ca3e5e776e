import { css } from 'lit';

/** The monitor's look. Themable from outside through the --voxpool-* custom properties. */
export const monitorStyles = css`
  :host {
    display: block;
    font:
      13px/1.4 system-ui,
      sans-serif;
    color: var(--voxpool-fg, #1d232b);
    --ok: #2f8a4c;
    --bad: #c0392b;
    --run: var(--voxpool-accent, #2c6db3);
    --muted: #66707c;
  }
  h2 {
    font-size: 15px;
    margin: 0;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 6px 16px;
  }
  .counts {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 14px;
    margin: 0;
  }
  .count {
    display: flex;
    gap: 4px;
  }
  .count dt {
    color: var(--muted);
  }
  .count dd {
    margin: 0;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .count.failed dd:not(:empty) {
    color: inherit;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 10px;
    margin: 8px 0;
  }
  .busy {
    color: var(--muted);
    margin-right: auto;
  }
  .size input {
    width: 4em;
    margin-left: 4px;
  }
  button,
  input {
    font: inherit;
  }
  button {
    padding: 3px 10px;
    border: 1px solid #aab3bd;
    border-radius: 4px;
    background: #fff;
    color: inherit;
    cursor: pointer;
  }
  button:hover:not([disabled]) {
    background: #eef3f8;
  }
  button[disabled] {
    opacity: 0.5;
    cursor: default;
  }
  :focus-visible {
    outline: 2px solid var(--run);
    outline-offset: 1px;
  }
  .timeline {
    border: 1px solid #d5dbe1;
    border-radius: 4px;
    padding: 6px 8px;
    margin-bottom: 8px;
    background: #fafbfc;
  }
  .timeline.empty {
    color: var(--muted);
  }
  .lane {
    display: flex;
    align-items: center;
    gap: 8px;
    height: 18px;
  }
  .lane-name {
    flex: 0 0 5.5em;
    color: var(--muted);
    font-size: 12px;
  }
  .lane-track {
    position: relative;
    flex: 1;
    height: 12px;
    background: #edf0f3;
    border-radius: 2px;
  }
  .bar {
    position: absolute;
    top: 0;
    bottom: 0;
    border-radius: 2px;
    background: var(--run);
    box-shadow: inset -1px 0 0 #fff;
  }
  .bar.done {
    background: var(--ok);
  }
  .bar.failed {
    background: var(--bad);
  }
  .bar.cancelled {
    background: #9aa3ad;
  }
  .axis {
    display: flex;
    justify-content: space-between;
    margin-left: calc(5.5em + 8px);
    color: var(--muted);
    font-size: 11px;
  }
  .table-wrap {
    max-height: var(--voxpool-monitor-height, 320px);
    overflow: auto;
    border: 1px solid #d5dbe1;
    border-radius: 4px;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: left;
    padding: 3px 8px;
    border-bottom: 1px solid #edf0f3;
    vertical-align: top;
    white-space: nowrap;
  }
  thead th {
    position: sticky;
    top: 0;
    background: #f3f5f7;
    font-weight: 600;
    z-index: 1;
  }
  tbody th {
    font-weight: normal;
    max-width: 18em;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .num {
    font-variant-numeric: tabular-nums;
    text-align: right;
  }
  .none {
    color: var(--muted);
    text-align: center;
  }
  .state {
    display: inline-block;
    padding: 0 6px;
    border-radius: 8px;
    font-size: 12px;
    background: #e8ebef;
  }
  .state.running {
    background: #dce8f6;
    color: #1d4f86;
  }
  .state.done {
    background: #dcefe2;
    color: #1f6336;
  }
  .state.failed {
    background: #f6dcd9;
    color: #8e2418;
  }
  .error {
    color: var(--bad);
    white-space: normal;
    max-width: 28em;
    font-size: 12px;
    display: -webkit-box;
    -webkit-line-clamp: 2;
    -webkit-box-orient: vertical;
    overflow: hidden;
  }
  .note,
  .progress-message {
    color: var(--muted);
    font-size: 12px;
  }
  /* A running task far past its op's usual time: it may never end. */
  tr.overdue .state.running {
    background: #fbe7c6;
    color: #7a4a00;
  }
  .note.overdue {
    color: #7a4a00;
    font-weight: 600;
  }
  progress {
    width: 80px;
    vertical-align: middle;
  }
  .cancel {
    padding: 0 8px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
  }
`;
