/** The one rule for saved files' names: the source's stem, then a short tag per step. */
import { describe, expect, it } from 'vitest';
import { downloadName, resultStem, stemOf, stepTag } from '../../src/ui/naming.ts';

describe('download names', () => {
  it('keeps a file name stem, without its extensions or what a reader added', () => {
    expect(stemOf('sphere-drop.nii')).toBe('sphere-drop');
    expect(stemOf('sub-01_T1w.nii.gz')).toBe('sub-01_T1w');
    expect(stemOf('4d.nii.gz (frame 1 of 10)')).toBe('4d');
    expect(stemOf('brain mesh.stl')).toBe('brain_mesh');
    expect(stemOf('../../etc/passwd')).toBe('etc_passwd');
    expect(stemOf('???')).toBe('data');
  });

  it('tags a step with its op and values: one value bare, several by their initials', () => {
    expect(stepTag('volume.median', { kernelSize: 3 })).toBe('median-3');
    expect(stepTag('volume.median', { kernelSize: [3, 3, 5] })).toBe('median-3x3x5');
    expect(stepTag('volume.downsample', { factors: [2, 2, 2] })).toBe('downsample-2');
    expect(stepTag('volume.gaussianVtk', { radiusFactor: 5, std: 2 })).toBe('gaussian-vtk-rf5-s2');
    expect(stepTag('volume.threshold', { lower: -100, upper: 0.5 })).toBe('threshold-lm100-u0.5');
  });

  it('names a result after its input, step after step, with the format last', () => {
    const median = resultStem(stemOf('anatomical.nii'), 'volume.median', { kernelSize: 3 });
    expect(downloadName(median, 'nii.gz')).toBe('anatomical_median-3.nii.gz');
    expect(downloadName(resultStem(median, 'volume.isosurface', { isovalue: 400 }), 'stl')).toBe('anatomical_median-3_isosurface-400.stl');
    expect(downloadName(stemOf('sphere-drop.nii'), 'nrrd')).toBe('sphere-drop.nrrd');
  });
});
