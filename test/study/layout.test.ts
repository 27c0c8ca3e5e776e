/** A folder's paths read as a study: BIDS entities, sessions, ignored files and why; derivative names. */
import { describe, expect, it } from 'vitest';
import { ignoredSummary, layoutOf, parseBidsName } from '../../src/study/layout.ts';
import { datasetDescription, derivativePath, descriptionPath } from '../../src/study/derivatives.ts';

describe('BIDS file names', () => {
  it('takes a name apart into entities in order, suffix and extension', () => {
    expect(parseBidsName('sub-01_ses-pre_acq-mp2rage_run-2_T1w.nii.gz')).toEqual({
      entities: [
        { key: 'sub', value: '01' },
        { key: 'ses', value: 'pre' },
        { key: 'acq', value: 'mp2rage' },
        { key: 'run', value: '2' },
      ],
      suffix: 'T1w',
      extension: '.nii.gz',
    });
    expect(parseBidsName('sub-A1_FLAIR.nii')).toMatchObject({ suffix: 'FLAIR', extension: '.nii' });
  });

  it('refuses names that are not BIDS', () => {
    for (const bad of [
      'T1w.nii.gz',
      'sub-01.nii.gz',
      'ses-1_sub-01_T1w.nii',
      'sub-01_ses-1_ses-2_T1w.nii',
      'sub-0_1_T1w.nii',
      'sub-01_acq-a_b_T1w.nii',
      'sub-01_T1w',
      'sub-01_T-1w.nii',
    ]) {
      expect(parseBidsName(bad), bad).toBeNull();
    }
  });
});

describe('a BIDS folder', () => {
  const paths = [
    'dataset_description.json',
    'participants.tsv',
    'README',
    '.DS_Store',
    'sub-01/anat/sub-01_T1w.nii.gz',
    'sub-01/anat/sub-01_T1w.json',
    'sub-01/func/sub-01_task-rest_bold.nii.gz',
    'sub-02/ses-1/anat/sub-02_ses-1_T1w.nii.gz',
    'sub-02/ses-2/anat/sub-02_ses-2_acq-fast_T2w.nii',
    'sub-03/anat/sub-04_T1w.nii.gz',
    'sub-03/anat/sub-03_ses-1_T1w.nii.gz',
    'sub-03/anat/notes.txt',
    'derivatives/other/sub-01/anat/sub-01_desc-brain_T1w.nii.gz',
    'sourcedata/raw.dcm',
    'sub-05/anat/sub-05_T1w.nii.gz',
  ];
  const layout = layoutOf('ds001', paths);

  it('lists each anatomical image with its subject, session and entities', () => {
    expect(layout.bids).toBe(true);
    expect(layout.inputs.map((i) => [i.key, i.subject, i.session, i.bids?.suffix, i.label])).toEqual([
      ['sub-01_T1w', '01', null, 'T1w', 'sub-01 · T1w'],
      ['sub-02_ses-1_T1w', '02', '1', 'T1w', 'sub-02 · ses-1 · T1w'],
      ['sub-02_ses-2_acq-fast_T2w', '02', '2', 'T2w', 'sub-02 · ses-2 · acq-fast · T2w'],
      ['sub-05_T1w', '05', null, 'T1w', 'sub-05 · T1w'],
    ]);
    expect(layout.inputs[1]!.paths).toEqual(['sub-02/ses-1/anat/sub-02_ses-1_T1w.nii.gz']);
  });

  it('ignores the rest, each file with its reason in words (hidden files silently)', () => {
    const why = Object.fromEntries(layout.ignored.map((f) => [f.path, f.why]));
    expect(Object.keys(why).sort()).toEqual(
      [
        'README',
        'dataset_description.json',
        'derivatives/other/sub-01/anat/sub-01_desc-brain_T1w.nii.gz',
        'participants.tsv',
        'sourcedata/raw.dcm',
        'sub-01/anat/sub-01_T1w.json',
        'sub-01/func/sub-01_task-rest_bold.nii.gz',
        'sub-03/anat/notes.txt',
        'sub-03/anat/sub-03_ses-1_T1w.nii.gz',
        'sub-03/anat/sub-04_T1w.nii.gz',
      ].sort(),
    );
    expect(why['sub-03/anat/sub-04_T1w.nii.gz']).toBe('its name says sub-04 but it is in sub-03/');
    expect(why['sub-03/anat/sub-03_ses-1_T1w.nii.gz']).toBe('its name says ses-1 but it is in no ses-1/ folder');
    expect(why['sub-01/func/sub-01_task-rest_bold.nii.gz']).toMatch(/a func image: the pipelines take anatomical \(anat\) volumes/);
    expect(why['derivatives/other/sub-01/anat/sub-01_desc-brain_T1w.nii.gz']).toBe('in derivatives/, which is not raw data');
    expect(why['sub-01/anat/sub-01_T1w.json']).toBe('a sidecar (metadata)');
    expect(ignoredSummary(layout.ignored).find((g) => g.why.startsWith('a file at the top'))?.count).toBe(3);
  });

  it('names derivatives as BIDS does: desc last before the suffix, in the subject and session folders', () => {
    const [a, b, c] = layout.inputs;
    expect(derivativePath(a!, 'smooth', '.nii.gz')).toBe('derivatives/voxpool/sub-01/anat/sub-01_desc-smooth_T1w.nii.gz');
    expect(derivativePath(b!, 'mask', '.nii.gz')).toBe('derivatives/voxpool/sub-02/ses-1/anat/sub-02_ses-1_desc-mask_T1w.nii.gz');
    expect(derivativePath(c!, 'surface', '.stl')).toBe('derivatives/voxpool/sub-02/ses-2/anat/sub-02_ses-2_acq-fast_desc-surface_T2w.stl');
    expect(descriptionPath(true)).toBe('derivatives/voxpool/dataset_description.json');
    const description = JSON.parse(datasetDescription('ds001', { name: 'denoise', description: 'a median' }, '0.1.0')) as Record<string, unknown>;
    expect(description).toMatchObject({ DatasetType: 'derivative', GeneratedBy: [{ Name: 'voxpool', Version: '0.1.0', Description: 'a median' }] });
    expect(typeof description.BIDSVersion).toBe('string');
  });

  it("replaces an input's own desc entity", () => {
    const l = layoutOf('d', ['sub-1/anat/sub-1_desc-raw_T1w.nii']);
    expect(derivativePath(l.inputs[0]!, 'smooth', '.nii.gz')).toBe('derivatives/voxpool/sub-1/anat/sub-1_desc-smooth_T1w.nii.gz');
  });
});

describe('a folder that is not BIDS', () => {
  it('makes one input per volume file, pairs a header with its data, sets DICOM files aside', () => {
    const layout = layoutOf('scans', [
      'a/head.nii.gz',
      'b/head.nii.gz',
      'old.hdr',
      'old.img',
      'knee.nrrd',
      'series/IM1.dcm',
      'series/IM2.dcm',
      'notes.txt',
      'x.raw',
    ]);
    expect(layout.bids).toBe(false);
    expect(layout.inputs.map((i) => [i.key, i.paths])).toEqual([
      ['head', ['a/head.nii.gz']],
      ['head-2', ['b/head.nii.gz']],
      ['knee', ['knee.nrrd']],
      ['old', ['old.hdr', 'old.img']],
    ]);
    expect(layout.dicom).toEqual(['series/IM1.dcm', 'series/IM2.dcm']);
    expect(layout.ignored).toEqual([
      { path: 'notes.txt', why: 'not a volume file the pipelines read' },
      { path: 'x.raw', why: 'the data half of a header + data pair (read with its header)' },
    ]);
    expect(derivativePath(layout.inputs[1]!, 'median', '.nii.gz')).toBe('voxpool/head-2/head-2_desc-median.nii.gz');
  });
});
