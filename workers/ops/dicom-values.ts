/**
 * Where GDCM's voxels differ from pydicom's for a single DICOM file, put right after it reads
 * it: RT dose grids store integers and a DoseGridScaling (Gy per unit) GDCM does not apply, and
 * 1-bit pixels (a binary SEG's labels) are 0 or 1 in the file but widened to 0 or 255 by GDCM.
 */
import type { DicomHeader } from '../../src/data/dicom-series.ts';
import type { Volume } from '../../src/data/volume.ts';

/** Dose times DoseGridScaling, in float64 (as a modality LUT with a fractional slope gives). */
export function applyDoseScaling(volume: Volume, header: DicomHeader): Volume {
  if (header.modality !== 'RTDOSE' || header.doseGridScaling === null || header.doseGridScaling === 1) return volume;
  const k = header.doseGridScaling;
  const data = new Float64Array(volume.data.length);
  for (let i = 0; i < data.length; i++) data[i] = volume.data[i]! * k;
  return { ...volume, data };
}

/** 1-bit labels back to 0 and 1, in place (ITK's frame placement kept). */
export function restoreOneBit(volume: Volume, header: DicomHeader): Volume {
  if (header.bitsAllocated !== 1) return volume;
  const d = volume.data;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) d[i] = 1;
  return volume;
}
