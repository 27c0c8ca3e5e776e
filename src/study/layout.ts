/**
 * What a dropped or picked folder holds, read from its paths alone: a BIDS dataset
 * (`sub-<label>/[ses-<label>/]anat/sub-<label>[_ses-<label>]_..._<suffix>.nii[.gz]`, entities from
 * the file name as the BIDS specification defines them), or otherwise one input per volume file
 * and the DICOM files to be grouped into series (dicom-inputs.ts). Files that are neither are
 * ignored, each with the reason in words, so the page can say how many and why.
 */

/** One `key-value` pair of a BIDS file name, in the order the name gives them. */
export interface Entity {
  key: string;
  value: string;
}

/** A BIDS file name taken apart: `sub-01_ses-2_acq-mp2rage_T1w.nii.gz`. */
export interface BidsName {
  entities: Entity[];
  suffix: string;
  /** With its leading dot: `.nii.gz`. */
  extension: string;
}

/** One input of a study: a subject's image (BIDS), or a file, or a DICOM series. */
export interface StudyInput {
  /** Unique in the study, safe in a file name and a task label: `sub-01_ses-2_T1w`, `scan3`. */
  key: string;
  /** For people: `sub-01 · ses-2 · T1w`. */
  label: string;
  /** The BIDS subject and session labels (without `sub-`/`ses-`), null outside BIDS. */
  subject: string | null;
  session: string | null;
  /** BIDS: the datatype folder (`anat`), entities and suffix of the file name. */
  bids: BidsName | null;
  datatype: string | null;
  /** Paths (relative to the dataset's root) of the files that make it: one, or a DICOM series. */
  paths: string[];
}

export interface IgnoredFile {
  path: string;
  why: string;
}

export interface StudyLayout {
  /** The folder's name. */
  name: string;
  bids: boolean;
  inputs: StudyInput[];
  /** DICOM files (outside BIDS), to be grouped into series by their headers. */
  dicom: string[];
  ignored: IgnoredFile[];
}

/** BIDS labels are alphanumeric (the specification's `label` and `index` values). */
const LABEL = /^[A-Za-z0-9]+$/;
const SUB_DIR = /^sub-([A-Za-z0-9]+)$/;
const SES_DIR = /^ses-([A-Za-z0-9]+)$/;
const BIDS_IMAGE = /\.nii(\.gz)?$/i;
/** The datatypes whose images are single 3D volumes the pipelines take. */
const VOLUME_DATATYPES = new Set(['anat']);
/** Top-level folders a BIDS dataset keeps apart from its raw data. */
const NOT_RAW = new Set(['derivatives', 'sourcedata', 'code', 'stimuli', 'phenotype']);
const VOLUME_FILE = /\.(nii|nii\.gz|hdr|nrrd|nhdr|mha|mhd|mgh|mgz|vtk)$/i;
const DICOM_FILE = /\.(dcm|ima)$/i;
/** What the readers take as the second file of a pair; listed, not an input of its own. */
const DATA_FILE = /\.(img|raw|zraw)(\.gz)?$/i;

/** `sub-01_ses-2_T1w.nii.gz` taken apart, or null when the name is not a BIDS file name. */
export function parseBidsName(fileName: string): BidsName | null {
  const dot = fileName.indexOf('.');
  if (dot <= 0) return null;
  const stem = fileName.slice(0, dot);
  const extension = fileName.slice(dot);
  const parts = stem.split('_');
  const suffix = parts.pop()!;
  if (!LABEL.test(suffix) || parts.length === 0) return null;
  const entities: Entity[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    const m = /^([A-Za-z0-9]+)-([A-Za-z0-9]+)$/.exec(part);
    if (!m || seen.has(m[1]!)) return null;
    seen.add(m[1]!);
    entities.push({ key: m[1]!, value: m[2]! });
  }
  if (entities[0]!.key !== 'sub') return null;
  return { entities, suffix, extension };
}

export function entity(name: BidsName, key: string): string | null {
  return name.entities.find((e) => e.key === key)?.value ?? null;
}

/** Whether these paths are a BIDS dataset: a `sub-<label>/` folder at the top. */
export function looksLikeBids(paths: readonly string[]): boolean {
  return paths.some((p) => SUB_DIR.test(p.split('/')[0] ?? '') && p.includes('/'));
}

/** The BIDS input a path is, or why it is not one. */
function bidsInput(path: string): StudyInput | string {
  const parts = path.split('/');
  const top = parts[0]!;
  if (parts.length === 1) return 'a file at the top of the dataset (metadata, not a subject image)';
  if (NOT_RAW.has(top)) return `in ${top}/, which is not raw data`;
  const sub = SUB_DIR.exec(top)?.[1];
  if (!sub) return `in ${top}/, which is no sub-<label> folder`;
  const session = parts.length === 4 ? SES_DIR.exec(parts[1]!)?.[1] : undefined;
  if (parts.length === 4 && !session) return `in ${parts[1]}/, which is no ses-<label> folder`;
  if (parts.length !== 3 && parts.length !== 4) return 'not at sub-<label>/[ses-<label>/]<datatype>/<file>';
  const datatype = parts[parts.length - 2]!;
  const fileName = parts[parts.length - 1]!;
  if (!BIDS_IMAGE.test(fileName)) return fileName.endsWith('.json') ? 'a sidecar (metadata)' : 'not a NIfTI image (.nii or .nii.gz)';
  if (!VOLUME_DATATYPES.has(datatype)) return `a ${datatype} image: the pipelines take anatomical (anat) volumes`;
  const name = parseBidsName(fileName);
  if (!name) return 'its name is not sub-<label>[_<key>-<label>...]_<suffix>.nii[.gz]';
  if (entity(name, 'sub') !== sub) return `its name says sub-${entity(name, 'sub')} but it is in sub-${sub}/`;
  const nameSession = entity(name, 'ses');
  if ((nameSession ?? undefined) !== session) {
    return session
      ? `its name does not say ses-${session} but it is in ses-${session}/`
      : `its name says ses-${nameSession} but it is in no ses-${nameSession}/ folder`;
  }
  const stem = fileName.slice(0, fileName.length - name.extension.length);
  return {
    key: stem,
    label: [...name.entities.map((e) => `${e.key}-${e.value}`), name.suffix].join(' · '),
    subject: sub,
    session: session ?? null,
    bids: name,
    datatype,
    paths: [path],
  };
}

/** A file's name without its (double) extension, made safe for a key. */
export function stemOf(path: string): string {
  const file = path.split('/').pop()!;
  return file.replace(/\.(nii|hdr|nrrd|nhdr|mha|mhd|mgh|mgz|vtk|dcm|ima)(\.gz)?$/i, '').replace(/[^A-Za-z0-9.-]+/g, '_') || 'file';
}

function uniqueKey(wanted: string, used: Set<string>): string {
  let key = wanted;
  for (let n = 2; used.has(key); n++) key = `${wanted}-${n}`;
  used.add(key);
  return key;
}

/**
 * The study these paths (relative to the folder, `/`-separated) make. Hidden files (`.DS_Store`,
 * `.git/`) are skipped without a word; everything else not taken is in `ignored`.
 */
export function layoutOf(name: string, paths: readonly string[]): StudyLayout {
  const visible = paths.filter((p) => !p.split('/').some((part) => part.startsWith('.'))).sort();
  const bids = looksLikeBids(visible);
  const inputs: StudyInput[] = [];
  const ignored: IgnoredFile[] = [];
  const dicom: string[] = [];
  const used = new Set<string>();
  for (const path of visible) {
    if (bids) {
      const found = bidsInput(path);
      if (typeof found === 'string') ignored.push({ path, why: found });
      else inputs.push({ ...found, key: uniqueKey(found.key, used) });
    } else if (DICOM_FILE.test(path)) {
      dicom.push(path);
    } else if (VOLUME_FILE.test(path)) {
      const key = uniqueKey(stemOf(path), used);
      inputs.push({ key, label: path, subject: null, session: null, bids: null, datatype: null, paths: [path] });
    } else {
      ignored.push({
        path,
        why: DATA_FILE.test(path) ? 'the data half of a header + data pair (read with its header)' : 'not a volume file the pipelines read',
      });
    }
  }
  attachDataFiles(inputs, ignored);
  return { name, bids, inputs, dicom, ignored };
}

/** A header's data file (`x.hdr` + `x.img`, `x.nhdr` + `x.raw`) goes with its header's input. */
function attachDataFiles(inputs: StudyInput[], ignored: IgnoredFile[]): void {
  const headers = new Map<string, StudyInput>();
  for (const input of inputs) {
    const m = /^(.*)\.(hdr|nhdr|mhd)$/i.exec(input.paths[0]!);
    if (m) headers.set(m[1]!.toLowerCase(), input);
  }
  if (headers.size === 0) return;
  for (let i = ignored.length - 1; i >= 0; i--) {
    const m = /^(.*)\.(img|raw|zraw)(\.gz)?$/i.exec(ignored[i]!.path);
    const input = m && headers.get(m[1]!.toLowerCase());
    if (input) {
      input.paths.push(ignored[i]!.path);
      ignored.splice(i, 1);
    }
  }
}

/** The reasons files were ignored, with how many each: "3 a sidecar (metadata)". */
export function ignoredSummary(ignored: readonly IgnoredFile[]): { why: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const f of ignored) counts.set(f.why, (counts.get(f.why) ?? 0) + 1);
  return [...counts].map(([why, count]) => ({ why, count }));
}
