/** The page's "Load sample" button: the shipped head MR (public/samples/) opens as a dataset. */
import { describe, expect, it } from 'vitest';
import '../../src/ui/app.ts'; // defines <voxpool-app>
import type { Volume } from '../../src/data/volume.ts';
import { appMounter, shadow, until } from './support.ts';
import expected from '../data/corpus/expected.json';

const mount = appMounter();

describe('<voxpool-app> sample', () => {
  it('Load sample opens the shipped head MR, listed, shown, with the dimensions nibabel reads', async () => {
    const a = await mount();
    const button = [...shadow(a).querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Load sample')!;
    expect(button).toBeDefined();
    button.click();
    const label = await until(() => shadow(a).querySelector('.entry label'), 20_000, 'the sample listed');
    expect(label.textContent).toContain('anatomical.nii');
    expect(label.textContent).toContain('volume');
    await until(() => shadow(a).querySelector('.grid[data-group="results"] .panel-slice'), 20_000, 'the sample shown');
    const want = (expected as { cases: { name: string; expect?: { dimensions?: number[]; spacing?: (number | null)[] } }[] }).cases.find(
      (c) => c.name === 'anatomical.nii',
    )!.expect!;
    expect(a.entries).toHaveLength(1);
    const volume = a.entries[0]!.value as Volume;
    expect(volume.dimensions).toEqual(want.dimensions);
    expect(volume.dimensions).toEqual([33, 41, 25]);
    expect(volume.spacing).toEqual(want.spacing);
    expect(shadow(a).querySelector('.errors')).toBeNull();
  });
});
