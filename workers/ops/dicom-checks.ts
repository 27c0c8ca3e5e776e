/**
 * What is checked in DICOM files before GDCM reads their pixels: that they are one series (one
 * SeriesInstanceUID, one orientation, one image size), that no file is truncated, and that the
 * slices are evenly spaced. GDCM itself would stack unrelated files, zero-fill short pixel data
 * and put every slice at one spacing.
 */
import { FileDamagedError, FileUnsupportedError } from '../../src/worker/index.ts';
import { groupDicomFiles, spacingProblem, type DicomHeader, type NamedBytes } from '../../src/data/dicom-series.ts';

/** The headers of `files`, sorted along the slice normal, once they pass; throws in words otherwise. */
export function checkDicomFiles(label: string, files: NamedBytes[]): DicomHeader[] {
  const { series, other } = groupDicomFiles(files);
  for (const s of series) for (const h of s.headers) if (h.damage) throw new FileDamagedError(h.file.name, h.damage);
  if (series.length === 0) return [];
  if (other.length > 0) {
    const names = other.map((f) => f.name).join(', ');
    throw new FileDamagedError(
      label,
      `${names} ${other.length === 1 ? 'is' : 'are'} not DICOM (no "DICM" Part 10 header, or a header that does not parse), beside ${files.length - other.length} DICOM files`,
    );
  }
  if (series.length > 1) {
    const list = series.map((s) => s.label).join('; ');
    throw new FileUnsupportedError(
      label,
      `these ${files.length} files are ${series.length} series (${list}); each series is its own volume: read them one at a time`,
    );
  }
  const problem = spacingProblem(series[0]!);
  if (problem) throw new FileUnsupportedError(label, problem);
  return series[0]!.headers;
}
