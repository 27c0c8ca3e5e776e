/**
 * Outside BIDS, DICOM files become one study input per series, grouped by their headers the way
 * the page's reader groups them (src/data/dicom-series.ts: series UID, orientation, matrix).
 */
import { groupDicomFiles } from '../data/dicom-series.ts';
import { stemOf, type IgnoredFile, type StudyInput } from './layout.ts';

/** Inputs for the series among `paths`; files without a DICOM header are returned as ignored. */
export async function dicomInputs(
  paths: readonly string[],
  read: (path: string) => Promise<Uint8Array>,
  usedKeys: ReadonlySet<string>,
): Promise<{ inputs: StudyInput[]; ignored: IgnoredFile[] }> {
  if (paths.length === 0) return { inputs: [], ignored: [] };
  // The header reader takes the name as the file's identity: the path keeps it unique.
  const files = await Promise.all(paths.map(async (path) => ({ name: path, bytes: await read(path) })));
  const { series, other } = groupDicomFiles(files);
  const used = new Set(usedKeys);
  const inputs = series.map((s, i): StudyInput => {
    const first = s.files[0]!.name;
    const folder = first.includes('/') ? first.slice(0, first.lastIndexOf('/')) : '';
    let key = (folder ? stemOf(folder) : stemOf(first)) || `series${i + 1}`;
    for (let n = 2; used.has(key); n++) key = `${stemOf(folder || first)}-${n}`;
    used.add(key);
    return { key, label: `${folder || first}: ${s.label}`, subject: null, session: null, bids: null, datatype: null, paths: s.files.map((f) => f.name) };
  });
  return { inputs, ignored: other.map((f) => ({ path: f.name, why: 'has no DICOM header (not a DICOM Part 10 file)' })) };
}
