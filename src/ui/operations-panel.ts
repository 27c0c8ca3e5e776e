/**
 * The operations form: every built-in filter for the chosen dataset's kind (catalog.ts, generated
 * from the op specs), its parameters as sweeps (each combination one parallel task), and for the
 * filters whose reach is known, the option of splitting each run into slabs on every worker.
 */
import { html, nothing } from 'lit';
import type { Pool } from '../pool/pool.ts';
import type { OpRegistry } from '../core/op.ts';
import { CATALOG, inputFor, opsFor, outputOf, type CatalogOp, type FormField } from './catalog.ts';
import { asError } from './jobs.ts';
import { describe, expandSweep } from './sweep.ts';
import { allowedText, fieldProblem, fieldValues, inputBounds, isSingleValue } from './fields.ts';
import { resultStem } from './naming.ts';
import { knownSplitOps, splitVolume } from '../parallel/index.ts';
import type { AppContext } from './panel.ts';
import type { DatasetsPanel, Entry } from './datasets-panel.ts';
import { showOne, type ScenePanel } from './scene-panel.ts';

/** Filters whose reach is known, so one run can be cut into slabs for every worker. */
const SPLITTABLE: ReadonlySet<string> = new Set(knownSplitOps());

export class OperationsPanel {
  private opName = '';
  /** Each parameter field's text as typed (a value, a list or a range). */
  private paramText: Record<string, string> = {};
  /** Runs started and not yet ended. */
  private running = 0;
  /** Run each volume filter split into slabs across all workers, rather than one task each. */
  private split = false;
  /** Fields switched by hand between one value (a number input) and several (a sweep's text). */
  private sweepMode: Record<string, boolean> = {};
  /** Fields typed in, or a run tried: from then on their problems are shown. */
  private touched = new Set<string>();
  private checked = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly datasets: DatasetsPanel,
    private readonly scene: ScenePanel,
  ) {}

  /** A new input: keep the chosen operation if it takes that kind, else the kind's first. */
  inputChosen(entry: Entry): void {
    const ops = opsFor(entry.kind);
    if (!ops.some((o) => o.op === this.opName)) this.choose(ops[0]);
  }

  /** Chooses the operation and its parameter fields (each a value, a list or a range), as a person would. */
  chooseOperation(op: string, params: Record<string, string> = {}): void {
    this.choose(CATALOG.find((o) => o.op === op));
    this.paramText = { ...this.paramText, ...params };
  }

  private choose(op: CatalogOp | undefined): void {
    this.opName = op?.op ?? '';
    this.paramText = Object.fromEntries((op?.params ?? []).map((p) => [p.name, p.default]));
    this.sweepMode = {};
    this.touched = new Set();
    this.checked = false;
    this.ctx.host.requestUpdate();
  }

  private setRunning(n: number): void {
    this.running = n;
    this.ctx.host.requestUpdate();
  }

  /** Runs the chosen operation on the selected dataset, once per sweep combination, in parallel. */
  async run(): Promise<void> {
    const { report } = this.ctx;
    const entry = this.datasets.selectedEntry;
    const op = CATALOG.find((o) => o.op === this.opName);
    if (!entry || !op) {
      report(new Error(entry ? 'choose an operation' : 'open or choose a dataset first'), 'run');
      return;
    }
    let combos: Record<string, number>[];
    try {
      // Every value checked against its spec here, in the field's words, before a task starts.
      combos = expandSweep(Object.fromEntries(op.params.map((p) => [p.label, fieldValues(p, this.paramText[p.name] ?? '')])));
      combos = combos.map((c) => Object.fromEntries(op.params.map((p) => [p.name, c[p.label]!])));
    } catch (e) {
      this.checked = true;
      this.ctx.host.requestUpdate();
      report(asError(e), op.title);
      await this.ctx.host.updateComplete;
      this.ctx.host.renderRoot.querySelector<HTMLInputElement>('.op-form [aria-invalid="true"]')?.focus();
      return;
    }
    const { scene, grid } = await this.scene.reveal('results');
    scene.clear(grid);
    showOne(scene, grid, entry);
    // Catalogue ops are chosen by name at run time: checked by the worker (InputError), not tsc.
    const pool: Pool<OpRegistry> = this.ctx.pagePool();
    const split = this.split && SPLITTABLE.has(op.op);
    this.setRunning(this.running + combos.length);
    const ended = (): void => this.setRunning(this.running - 1);
    // The results are listed in the sweep's order, whichever finishes first.
    const group = this.datasets.newGroup();
    await Promise.all(
      combos.map((params, index) => {
        const label = `${op.op} ${describe(params)}`;
        const show = (output: unknown): void => {
          const value = outputOf(op, output, entry.value);
          const name = `${entry.name}, ${op.op.split('.')[1]} ${describe(params)}${split ? ' (split)' : ''}`;
          const stem = resultStem(entry.stem, op.op, Object.fromEntries(op.params.map((p) => [p.param, params[p.name]!])));
          const result = this.datasets.add(name, op.gives, { ...value, name }, 'result', { group, index, stem });
          showOne(scene, grid, result);
        };
        if (split) {
          // One filter on every worker: slabs with halos, stitched (each slab is a task of its own).
          return splitVolume(pool, op.op as never, inputFor(op, entry.value, params) as never, { label })
            .then(show, (e: unknown) => report(asError(e), label))
            .finally(ended);
        }
        return this.ctx.jobs
          .launch({
            start: () =>
              // The dataset stays on the page for the other tasks and for comparison: copy it.
              pool.submit(op.op, inputFor(op, entry.value, params) as never, { input: 'copy', label }),
            done: show,
          })
          .finally(ended);
      }),
    );
  }

  private isSweep(f: FormField): boolean {
    return this.sweepMode[f.name] ?? !isSingleValue(this.paramText[f.name] ?? f.default);
  }

  private setText(f: FormField, text: string): void {
    this.paramText = { ...this.paramText, [f.name]: text };
    this.touched.add(f.name);
    this.ctx.host.requestUpdate();
  }

  private toggleSweep(f: FormField): void {
    const sweep = !this.isSweep(f);
    this.sweepMode = { ...this.sweepMode, [f.name]: sweep };
    // Back to one value: keep the first of the list, which a number input can hold.
    if (!sweep && !isSingleValue(this.paramText[f.name] ?? '')) {
      const first = /-?[\d.]+(?:[eE][+-]?\d+)?/.exec(this.paramText[f.name] ?? '')?.[0] ?? '';
      this.paramText = { ...this.paramText, [f.name]: first };
    }
    this.ctx.host.requestUpdate();
  }

  /** One parameter: its label (with the unit), the input, what it takes in words and what is wrong. */
  private renderField(f: FormField): unknown {
    const text = this.paramText[f.name] ?? f.default;
    const sweep = this.isSweep(f);
    const problem = this.checked || this.touched.has(f.name) ? fieldProblem(f, text) : null;
    const id = `field-${f.name}`;
    const bounds = inputBounds(f.spec);
    const onInput = (e: Event): void => this.setText(f, (e.target as HTMLInputElement).value);
    return html`<div class="field">
      <label for=${id}>${f.label}</label>
      <div class="field-row">
        ${
          sweep
            ? html`<input
                id=${id}
                type="text"
                inputmode="decimal"
                spellcheck="false"
                aria-invalid=${problem ? 'true' : 'false'}
                aria-describedby="${id}-allowed ${id}-problem"
                .value=${text}
                @input=${onInput}
              />`
            : html`<input
                id=${id}
                type="number"
                min=${bounds.min ?? nothing}
                max=${bounds.max ?? nothing}
                step=${bounds.step}
                aria-invalid=${problem ? 'true' : 'false'}
                aria-describedby="${id}-allowed ${id}-problem"
                .value=${text}
                @input=${onInput}
              />`
        }
        <button
          type="button"
          class="sweep-toggle"
          aria-pressed=${sweep ? 'true' : 'false'}
          title="Run several values of ${f.label}, each as its own task"
          @click=${() => this.toggleSweep(f)}
        >
          Sweep
        </button>
      </div>
      <small class="allowed" id="${id}-allowed">${allowedText(f.spec)}${sweep ? '; a list (1, 2, 4) or a range (0:20:5)' : ''}</small>
      <small class="field-error" id="${id}-problem" role=${problem ? 'alert' : nothing}>${problem ? `${f.spec.label} ${problem}` : ''}</small>
    </div>`;
  }

  /** The form for the chosen dataset, or a note saying how to get one. */
  render(): unknown {
    const entry = this.datasets.selectedEntry;
    if (!entry) return html`<p class="note">Open a file, or run the volume demo, to choose operations.</p>`;
    const ops = opsFor(entry.kind);
    const op = ops.find((o) => o.op === this.opName);
    return html`<form
      class="op-form"
      @submit=${(e: Event) => {
        e.preventDefault();
        void this.run();
      }}
    >
      <label
        >Operation
        <select @change=${(e: Event) => this.choose(ops.find((o) => o.op === (e.target as HTMLSelectElement).value))}>
          ${ops.map((o) => html`<option value=${o.op} ?selected=${o.op === this.opName}>${o.title}</option>`)}
        </select></label
      >
      ${(op?.params ?? []).map((f) => this.renderField(f))}
      <p class="hint">Sweep a field to give several values: every combination runs as its own task, in parallel.</p>
      ${
        op && SPLITTABLE.has(op.op)
          ? html`<label class="check"
              ><input
                type="checkbox"
                .checked=${this.split}
                @change=${(e: Event) => {
                  this.split = (e.target as HTMLInputElement).checked;
                  this.ctx.host.requestUpdate();
                }}
              />
              Split each run across all workers (slabs, for one big volume)</label
            >`
          : nothing
      }
      <button type="submit" class="run-op" ?disabled=${!op}>Run${this.running ? ` (${this.running} running)` : ''}</button>
    </form>`;
  }
}
