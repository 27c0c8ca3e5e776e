import { css } from 'lit';

/** The study panel's look (in the app's shadow root, beside appStyles). */
export const studyStyles = css`
  .study-section {
    margin: 12px 0;
    background: #fff;
    border: 1px solid #dde2e7;
    border-radius: 6px;
    padding: 10px 12px;
  }
  .study {
    display: grid;
    gap: 6px;
  }
  .study-table {
    overflow-x: auto;
  }
  .study .what {
    font-size: 12px;
    color: #55606c;
    margin: 0;
  }
  .study-pick,
  .study-run,
  .study-save {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 12px;
    align-items: center;
  }
  .study-found p,
  .study .resume {
    margin: 0;
  }
  .study-threshold {
    width: 6em;
  }
  .study-grid {
    border-collapse: collapse;
    font-size: 12px;
    font-variant-numeric: tabular-nums;
  }
  .study-grid caption {
    text-align: left;
    font-weight: 600;
    padding-bottom: 2px;
  }
  .study-grid th,
  .study-grid td {
    border: 1px solid #dde2e7;
    padding: 2px 6px;
    text-align: left;
    vertical-align: top;
  }
  .study-grid td {
    min-width: 5em;
    max-width: 28em;
    overflow-wrap: anywhere;
  }
  .study-grid td[data-state='done'] {
    background: #e3f2e6;
  }
  .study-grid td[data-state='running'],
  .study-grid td[data-state='saving'] {
    background: #e4edf8;
  }
  .study-grid td[data-state='failed'] {
    background: #f8e1e1;
  }
  .study-grid td[data-state='skipped'],
  .study-grid td[data-state='cancelled'] {
    background: #f1f1f1;
    color: #55606c;
  }
  .study-status {
    font-size: 13px;
    font-variant-numeric: tabular-nums;
    min-height: 1.4em;
  }
`;
