import { css } from 'lit';

/** The app's look; all of it stays inside the element's shadow root. */
export const appStyles = css`
  :host {
    display: block;
    font:
      14px/1.45 system-ui,
      sans-serif;
    color: #1d232b;
    background: #f6f7f9;
    --accent: var(--voxpool-accent, #2c6db3);
  }
  [hidden] {
    display: none !important;
  }
  .app {
    padding: 12px 16px 20px;
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 4px 16px;
    margin-bottom: 10px;
  }
  h1 {
    font-size: 20px;
    margin: 0;
  }
  h2 {
    font-size: 15px;
    margin: 0 0 8px;
  }
  .tagline {
    margin: 0;
    color: #55606c;
    flex: 1 1 20em;
  }
  .viewer-state {
    font-size: 12px;
    color: #55606c;
  }
  .viewer-state.failed {
    color: #b0281b;
  }
  .errors {
    list-style: none;
    margin: 0 0 10px;
    padding: 0;
  }
  .errors li {
    display: flex;
    gap: 12px;
    align-items: center;
    justify-content: space-between;
    padding: 6px 10px;
    margin-bottom: 4px;
    border: 1px solid #e3a39b;
    border-radius: 4px;
    background: #fdf0ee;
    color: #7d1f14;
  }
  .layout {
    display: grid;
    grid-template-columns: minmax(280px, 380px) minmax(0, 1fr);
    gap: 14px;
    align-items: start;
    margin-bottom: 14px;
  }
  .results {
    min-width: 0;
  }
  .results:focus {
    outline: none;
  }
  /* A phone: the views first, the controls under them; nothing wider than the screen. */
  @media (max-width: 760px) {
    .app {
      padding: 10px 10px 16px;
    }
    .layout {
      grid-template-columns: minmax(0, 1fr);
    }
    .results {
      order: -1;
    }
    /* Two views a row: six results fit in about one screen (beats the grid's own rule below). */
    .results .grid,
    .results .grid[data-group='mesh'] {
      grid-template-columns: repeat(2, minmax(0, 1fr));
    }
    /* Two to a row leaves a title no room on one line: wrap it rather than cut it. */
    .results .panel figcaption {
      white-space: normal;
    }
    .empty-views {
      min-height: 0 !important;
      padding: 16px;
    }
  }
  .skip a {
    position: absolute;
    left: 8px;
    top: -100px;
    z-index: 10;
    padding: 6px 12px;
    border-radius: 4px;
    background: var(--accent);
    color: #fff;
  }
  .skip a:focus {
    top: 8px;
  }
  :host {
    position: relative;
  }
  h2[tabindex]:focus,
  voxpool-monitor:focus {
    outline: 2px solid var(--accent);
    outline-offset: 2px;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 2px;
    font-size: 13px;
  }
  .field-row {
    display: flex;
    gap: 6px;
  }
  .field-row input {
    flex: 1;
    min-width: 0;
  }
  .field input[aria-invalid='true'] {
    border-color: #b0281b;
    outline-color: #b0281b;
  }
  .sweep-toggle {
    font-size: 12px;
    padding: 2px 8px;
  }
  .sweep-toggle[aria-pressed='true'] {
    background: #e3edf8;
    border-color: var(--accent);
  }
  .allowed {
    color: #55606c;
    font-size: 12px;
  }
  .field-error {
    color: #b0281b;
    font-size: 12px;
  }
  .field-error:empty {
    display: none;
  }
  .save-status {
    margin: 4px 0;
    font-size: 13px;
  }
  .save-status:empty {
    display: none;
  }
  .save-status.saved {
    padding: 6px 10px;
    border-radius: 4px;
    background: #e8f4ea;
    color: #1d5a28;
  }
  .controls {
    display: flex;
    flex-direction: column;
    gap: 12px;
  }
  .controls section,
  voxpool-monitor,
  .group {
    background: #fff;
    border: 1px solid #dde2e7;
    border-radius: 6px;
    padding: 10px 12px;
  }
  .demo {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 2px 10px;
    align-items: center;
    margin-bottom: 10px;
  }
  .demo .what {
    font-size: 12px;
    color: #55606c;
  }
  .demo-status {
    grid-column: 1 / -1;
    font-size: 13px;
    font-variant-numeric: tabular-nums;
    min-height: 1.4em;
  }
  button,
  select,
  input {
    font: inherit;
  }
  button {
    padding: 4px 12px;
    border: 1px solid #9fb3c8;
    border-radius: 4px;
    background: #fff;
    color: inherit;
    cursor: pointer;
  }
  .run-mesh,
  .run-volume,
  .run-op {
    background: var(--accent);
    border-color: var(--accent);
    color: #fff;
  }
  button:hover:not([disabled]) {
    filter: brightness(0.95);
  }
  button[disabled] {
    opacity: 0.55;
    cursor: default;
  }
  :focus-visible {
    outline: 2px solid var(--accent);
    outline-offset: 2px;
  }
  /* The file input is hidden: its drop zone shows where focus is. */
  .drop:focus-within {
    outline: 2px solid var(--accent);
    outline-offset: 2px;
  }
  .drop {
    display: flex;
    flex-direction: column;
    gap: 2px;
    padding: 12px;
    border: 2px dashed #b5c0cb;
    border-radius: 6px;
    text-align: center;
    cursor: pointer;
    background: #fafbfc;
  }
  .drop.over,
  .drop:focus-within {
    border-color: var(--accent);
    background: #eef4fb;
  }
  .drop input {
    position: absolute;
    opacity: 0;
    width: 1px;
    height: 1px;
  }
  .drop small,
  .note,
  .hint {
    color: #55606c;
    font-size: 12px;
  }
  /* The list grows with the page (an inner scroll box hid most of a sweep's results). */
  .entries {
    margin: 10px 0;
    border: 1px solid #dde2e7;
    border-radius: 4px;
    padding: 4px 8px 8px;
    /* A fieldset is as wide as its content by default: long names pushed the save controls out. */
    min-width: 0;
  }
  .entry {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: 8px;
    align-items: center;
    padding: 2px 0;
    font-size: 13px;
  }
  /* Names are what tells results apart (the parameters are in them): wrap, never cut. */
  .entry label {
    flex: 1 1 11em;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .entry .save {
    display: flex;
    gap: 4px;
    flex: none;
    margin-left: auto;
  }
  .kind {
    font-size: 11px;
    text-transform: uppercase;
    color: #55606c;
  }
  .op-form {
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  .op-form label,
  .slice-controls label {
    display: flex;
    flex-direction: column;
    font-size: 13px;
    gap: 2px;
  }
  .op-form .hint {
    margin: 0;
  }
  .resume {
    margin: 4px 0 0;
    font-size: 13px;
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
  }
  .op-form label.check {
    flex-direction: row;
    align-items: center;
    gap: 6px;
  }
  .op-form button {
    align-self: flex-start;
  }
  .slice-controls[inert] {
    opacity: 0.5;
  }
  .slice-controls {
    display: flex;
    gap: 10px;
    align-items: end;
  }
  .slice-controls label:nth-child(2) {
    flex: 1;
  }
  .views {
    display: flex;
    flex-direction: column;
    gap: 12px;
    min-width: 0;
  }
  .empty-views {
    display: grid;
    place-items: center;
    min-height: 240px;
    margin: 0;
    border: 2px dashed #cfd6dd;
    border-radius: 6px;
    color: #55606c;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
    gap: 10px;
  }
  .grid[data-group='mesh'] {
    grid-template-columns: minmax(220px, 520px);
  }
  .slot {
    display: flex;
    flex-direction: column;
  }
  .placeholder {
    display: grid;
    place-items: center;
    aspect-ratio: 1;
    padding: 8px;
    text-align: center;
    border-radius: 4px;
    background: #e9edf1;
    color: #55606c;
    font-size: 12px;
  }
  .placeholder.failed {
    background: #fbe9e7;
    color: #7d1f14;
  }
  .panel {
    margin: 0;
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .panel figcaption {
    font-size: 12px;
    color: #3a434d;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .viewport {
    position: relative;
    aspect-ratio: 1;
    border-radius: 4px;
    overflow: hidden;
    background: #14171c;
  }
  .viewport canvas {
    display: block;
    width: 100% !important;
    height: 100% !important;
  }
`;
