/**
 * RT dose grids store integers and a DoseGridScaling (Gy per unit) that GDCM does not apply;
 * pydicom's users multiply by it, as the standard says. Applied here, to float64 (as a
 * modality LUT with a fractional slope gives).
 */
import type { DicomHeader } from '../../src/data/dicom-series.ts';
import type { Volume } from '../../src/data/volume.ts';

export function applyDoseScaling(volume: Volume, header: DicomHeader): Volume {
  if (header.modality !== 'RTDOSE' || header.doseGridScaling === null || header.doseGridScaling === 1) return volume;
  const k = header.doseGridScaling;
  const data = new Float64Array(volume.data.length);
  for (let i = 0; i < data.length; i++) data[i] = volume.data[i]! * k;
  return { ...volume, data };
}
