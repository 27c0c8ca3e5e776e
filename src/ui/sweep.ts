/**
 * Parameter sweeps: a field holds one value ("2"), a list ("1, 2, 4") or a range
 * ("0:20:5" = start:stop:step, stop included). Every combination becomes one parallel task.
 */

export class SweepError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'SweepError';
  }
}

/** Most tasks one sweep may start. */
export const MAX_SWEEP = 64;

export function parseValues(field: string, text: string): number[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new SweepError(field, 'needs a value');
  const range = /^(-?[\d.eE+-]+)\s*:\s*(-?[\d.eE+-]+)\s*(?::\s*(-?[\d.eE+-]+))?$/.exec(trimmed);
  if (range) {
    const [start, stop, step] = [Number(range[1]), Number(range[2]), Number(range[3] ?? 1)];
    if (![start, stop, step].every(Number.isFinite)) throw new SweepError(field, `"${trimmed}" is not start:stop:step`);
    if (step <= 0) throw new SweepError(field, `step must be above 0 (got ${step})`);
    if (stop < start) throw new SweepError(field, `stop ${stop} is below start ${start}`);
    const n = Math.floor((stop - start) / step + 1e-9) + 1;
    if (n > MAX_SWEEP) throw new SweepError(field, `${n} values, more than ${MAX_SWEEP}`);
    return Array.from({ length: n }, (_, i) => Number((start + i * step).toPrecision(12)));
  }
  const values = trimmed
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map(Number);
  const bad = trimmed
    .split(/[\s,;]+/)
    .filter(Boolean)
    .find((s) => !Number.isFinite(Number(s)));
  if (bad !== undefined) throw new SweepError(field, `"${bad}" is not a number`);
  return values;
}

/** Every combination of the fields' values, as one record per task. */
export function expandSweep(fields: Record<string, number[]>): Record<string, number>[] {
  let combos: Record<string, number>[] = [{}];
  for (const [name, values] of Object.entries(fields)) {
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
    if (combos.length > MAX_SWEEP) throw new SweepError(name, `the sweep makes ${combos.length} tasks, more than ${MAX_SWEEP}`);
  }
  return combos;
}

/** A short name for one combination: "sigma=2, radius=1". */
export function describe(params: Record<string, number>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}
