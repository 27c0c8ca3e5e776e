/**
 * File names for what the page saves: the source file's stem, then one short tag per step that
 * made the result (`anatomical_median-3`, `anatomical_gaussian-vtk-rf5-s2_threshold-l100-u500`).
 * One place decides them, so a demo result, an operation's result and a file read back all follow
 * the same rule; the page's own dataset names (with the full parameters) stay as they are.
 */

/** Extensions the readers take, longest first (so `.nii.gz` goes whole). */
const EXTENSIONS = /\.(nii\.gz|nii|nrrd|nhdr|mha|mhd|mgz|mgh|mnc|hdr|img|stl|obj|vtk|vtp|off|gii|dcm|dicom|ima)$/i;

/** A name safe in every file system: letters, digits, `.`, `-` and `_` only, never empty. */
function safe(text: string): string {
  return text
    .replace(/[^\w.-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[_.]+|[_.]+$/g, '');
}

/** The stem of a file or dataset name: `sphere-drop.nii` → `sphere-drop`, `T1w.nii.gz` → `T1w`. */
export function stemOf(name: string): string {
  // A reader may extend a file's name ("x.nii.gz (frame 1 of 10)"): the file's part decides.
  const file = name.replace(/\s*\(.*\)\s*$/, '').trim();
  return safe(file.replace(EXTENSIONS, '')) || 'data';
}

/** `volume.gaussianVtk` → `gaussian-vtk`: the op's own name, kebab-cased, without its family. */
function opTag(op: string): string {
  const short = op.includes('.') ? op.slice(op.indexOf('.') + 1) : op;
  return short.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** `radiusFactor` → `rf`, `std` → `s`: the initials of a parameter's words. */
function initials(param: string): string {
  return param
    .split(/(?=[A-Z])/)
    .map((w) => w[0]!.toLowerCase())
    .join('');
}

function valueTag(v: number | readonly number[]): string {
  const values = typeof v === 'number' ? [v] : [...v];
  const shown = values.every((x) => x === values[0]) ? [values[0]!] : values;
  return shown.map((x) => String(x).replace(/^-/, 'm')).join('x');
}

/**
 * One step's tag: the op, then its parameters' values in the order given. A single parameter
 * needs no name (`median-3`); several are told apart by their initials (`gaussian-vtk-rf5-s2`).
 */
export function stepTag(op: string, params: Readonly<Record<string, number | readonly number[]>>): string {
  const entries = Object.entries(params);
  const parts = entries.length === 1 ? [valueTag(entries[0]![1])] : entries.map(([k, v]) => `${initials(k)}${valueTag(v)}`);
  return safe([opTag(op), ...parts].join('-'));
}

/** The stem of a result: its input's stem and the step that made it. */
export function resultStem(inputStem: string, op: string, params: Readonly<Record<string, number | readonly number[]>>): string {
  return `${inputStem}_${stepTag(op, params)}`;
}

/** The file name to save under: the stem and the chosen format's extension. */
export function downloadName(stem: string, format: string): string {
  return `${safe(stem) || 'data'}.${format}`;
}
