/**
 * What an operation form's field shows and checks, from its parameter's spec: the allowed range in
 * words, the `min`/`max`/`step` of its number input, and the problem with what was typed (each
 * value of a sweep checked by the spec's own `checkParam`, so the page and the worker say the
 * same thing) before anything runs.
 */
import { InputError } from '../core/errors.ts';
import { checkParam, type NumberParam, type ParamSpec } from '../core/op-spec.ts';
import type { FormField } from './catalog.ts';
import { parseValues, SweepError } from './sweep.ts';

/** A form field whose text is out of the parameter's range, or not a value at all. */
export class FieldError extends Error {
  override name = 'FieldError';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** The range a number must lie in, in words: "1 to 99", "0 or more", "above 0, at most 1". */
function rangeWords(p: NumberParam): string {
  const lo = p.min !== undefined ? { v: p.min, incl: true } : p.above !== undefined ? { v: p.above, incl: false } : undefined;
  const hi = p.max !== undefined ? { v: p.max, incl: true } : p.below !== undefined ? { v: p.below, incl: false } : undefined;
  if (lo?.incl && hi?.incl) return `${lo.v} to ${hi.v}`;
  const parts: string[] = [];
  if (lo) parts.push(lo.incl ? `${lo.v} or more` : `above ${lo.v}`);
  if (hi) parts.push(hi.incl ? `at most ${hi.v}` : `below ${hi.v}`);
  return parts.join(', ');
}

/** What a field takes, in words (shown beside it): "odd whole number, 1 to 99 voxels". */
export function allowedText(spec: ParamSpec): string {
  if (spec.type === 'choice') {
    const o = spec.options.map(String);
    return o.length > 1 ? `${o.slice(0, -1).join(', ')} or ${o.at(-1)}` : (o[0] ?? '');
  }
  const kind = spec.integer ? 'whole number' : 'number';
  const range = rangeWords(spec);
  const unit = spec.unit ? ` ${spec.unit}` : '';
  return `${spec.odd ? 'odd ' : ''}${kind}${range ? `, ${range}` : ''}${unit}`;
}

/** The number input's own bounds: the browser's stepper and its validity follow the spec. */
export function inputBounds(spec: ParamSpec): { min?: number; max?: number; step: string } {
  if (spec.type === 'choice') return { step: 'any' };
  // An exclusive bound has no attribute: `min` would let the bound itself pass.
  return {
    ...(spec.min !== undefined ? { min: spec.min } : {}),
    ...(spec.max !== undefined ? { max: spec.max } : {}),
    // From an odd minimum, a step of 2 walks the odd numbers only.
    step: spec.odd && spec.min !== undefined && Math.abs(spec.min % 2) === 1 ? '2' : spec.integer ? '1' : 'any',
  };
}

/** Whether a field's text is one number (a number input holds it), rather than a list or range. */
export function isSingleValue(text: string): boolean {
  return /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text);
}

/** The values a field's text stands for, each checked against its spec; throws a FieldError. */
export function fieldValues(field: FormField, text: string): number[] {
  let values: number[];
  try {
    values = parseValues(field.label, text);
  } catch (e) {
    if (e instanceof SweepError) throw new FieldError(field.label, e.message.slice(field.label.length + 2));
    throw e;
  }
  // One value for all three axes where the op takes three: check it as one.
  const one: ParamSpec = field.spec.type === 'number' ? { ...field.spec, shape: 'one' } : field.spec;
  for (const v of values) {
    try {
      checkParam(field.param, one, v);
    } catch (e) {
      if (e instanceof InputError) throw new FieldError(field.label, e.problem);
      throw e;
    }
  }
  return values;
}

/** The problem with a field's text in words, or null when every value it holds is allowed. */
export function fieldProblem(field: FormField, text: string): string | null {
  try {
    fieldValues(field, text);
    return null;
  } catch (e) {
    if (e instanceof FieldError) return e.problem;
    throw e;
  }
}
