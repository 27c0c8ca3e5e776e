/**
 * What an operation declares about itself besides its run function: its parameters (with the
 * labels, units, defaults and ranges the page's forms show), the checks on them, how far it
 * reaches (for splitting a volume into slabs) and its memory per input byte. The worker checks a
 * task's input with it, the page builds its forms from it and the splitter reads its reach: the
 * same declaration, so a parameter is checked once, with one message.
 */
import { InputError } from './errors.ts';

type Triple = [number, number, number];

interface ParamBase {
  /** For people: the form's label (the unit is added to it). */
  label: string;
  unit?: string;
  /** What the page's form starts with: one value, or a sweep (`'1, 2, 4'`, `'0:20:5'`). */
  form?: string;
  /** Whether the input may leave it out (then `default` applies, if given). Default: required. */
  optional?: boolean;
}

export interface NumberParam extends ParamBase {
  type: 'number';
  /** `'one'` a number (default); `'three'` one per axis (i, j, k); `'one-or-three'` either. */
  shape?: 'one' | 'three' | 'one-or-three';
  default?: number | Triple;
  /** Inclusive bounds. */
  min?: number;
  max?: number;
  /** Exclusive bounds (a sigma must be > 0, a pass band < 2). */
  above?: number;
  below?: number;
  integer?: boolean;
  /** What one value is, in words, when "a finite number" says too little ("a fraction", "an angle in degrees"). */
  noun?: string;
  odd?: boolean;
}

export interface ChoiceParam extends ParamBase {
  type: 'choice';
  options: readonly (string | number)[];
  default?: string | number;
}

export type ParamSpec = NumberParam | ChoiceParam;

export interface OpSpec<P = Record<string, unknown>> {
  /** A name for people, e.g. the page's list of operations. */
  readonly title: string;
  /** The parameters checked by `checkParams`; other input fields (the volume) are the op's to check. */
  readonly params: { readonly [K in keyof P]?: ParamSpec };
  /** Checks across parameters, run after each parameter passed its own. */
  readonly check?: (params: P) => void;
  /** Voxels read on each side of an output voxel along i, j, k (known for filters that can be split). */
  readonly reach?: (params: P) => Triple;
  /** Peak task memory as a multiple of the input's bytes (input, output, the engine's own copies). */
  readonly memoryFactor?: number;
  /** Whether it takes `outputSlices` (computes only output slices k0..k1 and returns just those). */
  readonly outputSlices?: boolean;
}

/** `P` with the parameters the spec gives a default for filled in. */
export type Checked<P, S extends OpSpec<P>> = P & {
  -readonly [K in keyof P & keyof S['params'] as S['params'][K] extends { default: unknown } ? K : never]-?: Exclude<P[K], undefined>;
};

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** What a number of this kind must be, in words: "an odd whole number from 1 to 99". */
function ruleOf(p: NumberParam, plural: boolean): string {
  const kind = p.integer ? (plural ? 'whole numbers' : 'a whole number') : plural ? 'finite numbers' : 'a finite number';
  const odd = p.odd ? (plural ? 'odd ' : 'an odd ') : '';
  const noun = p.noun && !plural ? p.noun : odd ? `${odd}${kind.replace(/^an? /, '')}` : kind;
  const unit = p.unit ? ` of ${p.unit}` : '';
  return `${noun}${unit}${rangeOf(p)}`;
}

/** " from 0 to 64", " >= 1", " in (0, 2)", " in (0, 1]"... */
function rangeOf(p: NumberParam): string {
  const lo = p.min ?? p.above;
  const hi = p.max ?? p.below;
  if (lo !== undefined && hi !== undefined) {
    if (p.min !== undefined && p.max !== undefined) return ` from ${p.min} to ${p.max}`;
    return ` in ${p.min !== undefined ? '[' : '('}${lo}, ${hi}${p.max !== undefined ? ']' : ')'}`;
  }
  if (p.min !== undefined) return ` >= ${p.min}`;
  if (p.above !== undefined) return ` > ${p.above}`;
  if (p.max !== undefined) return ` <= ${p.max}`;
  if (p.below !== undefined) return ` < ${p.below}`;
  return '';
}

function fits(p: NumberParam, v: unknown): boolean {
  if (!isNumber(v)) return false;
  if (p.integer && !Number.isInteger(v)) return false;
  if (p.odd && Math.abs(v % 2) !== 1) return false;
  if (p.min !== undefined && v < p.min) return false;
  if (p.max !== undefined && v > p.max) return false;
  if (p.above !== undefined && v <= p.above) return false;
  if (p.below !== undefined && v >= p.below) return false;
  return true;
}

const shown = (v: unknown): string => (typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v)));

/** Throws the InputError for `input.<name>` unless `value` is what `p` declares. */
export function checkParam(name: string, p: ParamSpec, value: unknown): void {
  const path = `input.${name}`;
  if (p.type === 'choice') {
    if (!p.options.includes(value as string | number)) {
      const options = p.options.map((o) => (typeof o === 'string' ? `"${o}"` : String(o)));
      const list = options.length > 1 ? `${options.slice(0, -1).join(', ')} or ${options.at(-1)}` : options[0];
      throw new InputError(path, `must be ${options.length > 3 ? 'one of ' : ''}${list} (got ${shown(value)})`);
    }
    return;
  }
  const shape = p.shape ?? 'one';
  const three = Array.isArray(value) && value.length === 3 && value.every((v) => fits(p, v));
  if (shape === 'one' && fits(p, value)) return;
  if (shape === 'three' && three) return;
  if (shape === 'one-or-three' && (fits(p, value) || three)) return;
  const rule = shape === 'one' ? ruleOf(p, false) : shape === 'three' ? `three ${ruleOf(p, true)}` : `${ruleOf(p, false)}, or three of them`;
  throw new InputError(path, `must be ${rule} (got ${shown(value)})`);
}

/**
 * Checks every parameter `spec` declares (one InputError naming the first that is wrong), then
 * its cross-parameter check, and returns the input with the declared defaults filled in.
 */
export function checkParams<P extends object, S extends OpSpec<P>>(spec: S, input: P): Checked<P, S> {
  return checkInput(spec, input) as Checked<P, S>;
}

/** A spec of any op: what code that handles every op (the splitter) holds. */
export interface SomeOpSpec extends Omit<OpSpec, 'params' | 'check' | 'reach'> {
  readonly params: { readonly [name: string]: ParamSpec | undefined };
  readonly check?: (params: never) => void;
  readonly reach?: (params: never) => Triple;
}

/** `checkParams` for an input whose type the caller does not know (it is checked here, at run time). */
export function checkInput(spec: SomeOpSpec, input: object): Record<string, unknown> {
  const values = input as Record<string, unknown>;
  const out: Record<string, unknown> = { ...values };
  for (const [name, p] of Object.entries(spec.params) as [string, ParamSpec | undefined][]) {
    if (!p) continue;
    const value = values[name];
    if (value === undefined && p.optional) {
      if (p.default !== undefined) out[name] = Array.isArray(p.default) ? [...p.default] : p.default;
      continue;
    }
    checkParam(name, p, value);
  }
  spec.check?.(out as never);
  return out;
}

/** The reach of an op with these (checked) parameters, if it declares one. */
export function reachOfInput(spec: SomeOpSpec, params: Record<string, unknown>): Triple | undefined {
  return spec.reach?.(params as never);
}

/** A parameter's one value for all three axes, or its three values. */
export function perAxis(value: number | readonly number[]): Triple {
  return typeof value === 'number' ? [value, value, value] : [value[0]!, value[1]!, value[2]!];
}
