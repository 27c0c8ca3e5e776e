/**
 * A MetaImage (.mhd) or NRRD (.nhdr) header with its data in a file of its own, joined into the
 * one-file form ITK reads from memory (.mha with `ElementDataFile = LOCAL`, .nrrd with the data
 * after a blank line). ITK's readers then read them; the data file is the one the header names.
 */
import { FileDamagedError, FileUnsupportedError } from '../core/errors.ts';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

const baseName = (path: string) => path.replace(/^.*[\\/]/, '');

function dataFile(header: NamedBytes, named: string, others: NamedBytes[]): NamedBytes {
  const want = baseName(named.trim());
  const found = others.find((f) => baseName(f.name) === want);
  if (!found) {
    const given = others.length ? others.map((f) => f.name).join(', ') : 'none';
    throw new FileUnsupportedError(header.name, `keeps its voxels in "${want}", which was not given with it (given: ${given})`);
  }
  return found;
}

function join(head: string, data: Uint8Array): Uint8Array {
  const h = new TextEncoder().encode(head);
  const out = new Uint8Array(h.length + data.length);
  out.set(h);
  out.set(data, h.length);
  return out;
}

/** `.mhd` + its data file as one `.mha`. */
export function joinMetaImage(header: NamedBytes, others: NamedBytes[]): NamedBytes {
  const text = new TextDecoder('latin1').decode(header.bytes);
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => /^\s*ElementDataFile\s*=/i.test(l));
  if (at < 0) throw new FileDamagedError(header.name, 'has no ElementDataFile line: a MetaImage header must name its data file');
  const value = lines[at]!.replace(/^\s*ElementDataFile\s*=\s*/i, '').trim();
  if (/^(LIST|LOCAL)$/i.test(value) || /%/.test(value.split(/\s+/)[0] ?? '')) {
    throw new FileUnsupportedError(header.name, `names its data as "${value}": only one data file per header is read here`);
  }
  const data = dataFile(header, value, others);
  // ElementDataFile must be the last line of a MetaImage header; the data follows it.
  const head = [...lines.slice(0, at).filter((l) => l.trim() !== ''), 'ElementDataFile = LOCAL', ''].join('\n');
  return { name: header.name.replace(/\.mhd$/i, '.mha'), bytes: join(head, data.bytes) };
}

/** `.nhdr` + its data file as one `.nrrd`. */
export function joinNrrd(header: NamedBytes, others: NamedBytes[]): NamedBytes {
  const text = new TextDecoder('latin1').decode(header.bytes);
  const lines = text.split(/\r?\n/);
  const blank = lines.findIndex((l, i) => i > 0 && l.trim() === '');
  const fields = blank < 0 ? lines : lines.slice(0, blank);
  const at = fields.findIndex((l) => /^data ?file\s*:/i.test(l));
  if (!/^NRRD\d{4}/.test(fields[0] ?? '')) throw new FileDamagedError(header.name, 'does not start with the NRRD magic ("NRRD000x")');
  if (at < 0) throw new FileDamagedError(header.name, 'has no "data file:" field: a detached NRRD header must name its data file');
  const value = fields[at]!.replace(/^data ?file\s*:\s*/i, '').trim();
  if (/^LIST$/i.test(value) || value.split(/\s+/).length > 1)
    throw new FileUnsupportedError(header.name, `names its data as "${value}": only one data file per header is read here`);
  const data = dataFile(header, value, others);
  const head = [...fields.filter((_, i) => i !== at), '', ''].join('\n');
  return { name: header.name.replace(/\.nhdr$/i, '.nrrd'), bytes: join(head, data.bytes) };
}
