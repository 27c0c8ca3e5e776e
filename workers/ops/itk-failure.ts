/**
 * What an itk-wasm reader's failure says, in words. Its exceptions are often a bare number (a
 * pointer into the wasm heap), which means nothing to a person: such a failure is reported as
 * what it is, a file ITK's reader stopped on, damaged or in a variant it does not read.
 */
import { InputError } from '../../src/worker/index.ts';

export function itkFailure(name: string, e: unknown, what: string): InputError {
  const raw = e instanceof Error ? e.message : typeof e === 'string' || typeof e === 'number' ? String(e) : '';
  const text = raw.trim();
  if (text === '' || /^-?\d+$/.test(text) || /Aborted\(|Build with -sASSERTIONS/.test(text)) {
    return new InputError(name, `${what}: the file is damaged, or in a variant this reader does not take`);
  }
  return new InputError(name, `${what}: ${text}`);
}
