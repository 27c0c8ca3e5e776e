/**
 * A small BIDS-like dataset made in code (runs in the browser and in Node): three subjects'
 * T1w head phantoms written with the project's own NIfTI writer, one of them in a session
 * folder, beside the metadata files a BIDS dataset has.
 */
import { makeHeadPhantom } from '../../src/data/phantom.ts';
import { writeNifti } from '../../src/data/nifti-write.ts';
import type { Vec3 } from '../../src/data/volume.ts';

export interface FixtureFile {
  path: string;
  bytes: Uint8Array;
}

/** Small enough to run in seconds, big enough for a real surface: a 240 mm head on 6 mm voxels. */
export const FIXTURE_GRID: { dimensions: Vec3; spacing: Vec3 } = { dimensions: [40, 40, 26], spacing: [6, 6, 6.5] };

/** The subjects' images, by path. */
export const FIXTURE_IMAGES = ['sub-01/anat/sub-01_T1w.nii.gz', 'sub-02/ses-1/anat/sub-02_ses-1_T1w.nii.gz', 'sub-03/anat/sub-03_T1w.nii.gz'];

export async function bidsFixture(grid: { dimensions: Vec3; spacing: Vec3 } = FIXTURE_GRID): Promise<FixtureFile[]> {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const images = await Promise.all(
    FIXTURE_IMAGES.map(async (path, i) => ({
      path,
      bytes: await writeNifti({ ...makeHeadPhantom({ ...grid, seed: i + 1 }), name: path }, { gzip: true }),
    })),
  );
  return [
    { path: 'dataset_description.json', bytes: text('{"Name": "voxpool test dataset", "BIDSVersion": "1.10.0"}\n') },
    { path: 'participants.tsv', bytes: text('participant_id\nsub-01\nsub-02\nsub-03\n') },
    { path: 'sub-01/anat/sub-01_T1w.json', bytes: text('{"MagneticFieldStrength": 3}\n') },
    ...images,
  ];
}
