/** The app's volume paths: the seed's volume demo, opening a volume file, saving a result. */
import { describe, expect, it } from 'vitest';
import '../../src/ui/app.ts'; // defines <voxpool-app>
import { appMounter, brightPixels, shadow, until } from './support.ts';

const mount = appMounter();

/** A NIfTI-1 file written by hand: 20 x 16 x 12 int16, a bright box in a dark field. */
function tinyNifti(): File {
  const [nx, ny, nz] = [20, 16, 12];
  const header = new DataView(new ArrayBuffer(352));
  header.setInt32(0, 348, true);
  [3, nx, ny, nz, 1, 1, 1, 1].forEach((v, i) => header.setInt16(40 + 2 * i, v, true));
  header.setInt16(70, 4, true); // datatype: int16
  header.setInt16(72, 16, true); // bits per voxel
  [1, 1.5, 1.5, 2, 1, 1, 1, 1].forEach((v, i) => header.setFloat32(76 + 4 * i, v, true));
  header.setFloat32(108, 352, true); // vox_offset
  header.setFloat32(112, 1, true); // scl_slope
  header.setUint8(123, 10); // xyzt units: mm, s
  [0x6e, 0x2b, 0x31, 0].forEach((c, i) => header.setUint8(344 + i, c)); // "n+1\0"
  const data = new Int16Array(nx * ny * nz);
  for (let k = 3; k < 9; k++) for (let j = 4; j < 12; j++) for (let i = 5; i < 15; i++) data[i + nx * (j + ny * k)] = 1000;
  return new File([header.buffer, data.buffer], 'box.nii');
}

describe('<voxpool-app> volumes', () => {
  it('runs the seed volume demo: five smoothings side by side and a volume rendering', async () => {
    const a = await mount();
    expect(await a.runVolumeDemo()).toMatchObject({ total: 5, done: 5, failed: 0, cancelled: 0 });
    const grid = shadow(a).querySelector('.grid[data-group="volume"]')!;
    expect(grid.querySelectorAll('.panel-slice')).toHaveLength(5);
    expect(grid.querySelectorAll('.panel-volume')).toHaveLength(1);
    expect([...grid.querySelectorAll('.panel-slice figcaption')].map((c) => c.textContent)).toEqual(
      [0, 5, 10, 15, 20].map((r) => `Gaussian, std 2, radius factor ${r}`),
    );
    const { scene } = await a.loadScene();
    for (const panel of scene.list()) expect(await brightPixels(await panel.capture(), 40), panel.title).toBeGreaterThan(500);
    // Every result is a dataset of its own, ready to compare and download.
    expect(shadow(a).querySelectorAll('.entry')).toHaveLength(5);
  });

  it('opens a dropped NIfTI, shows it, and saves it again', async () => {
    const a = await mount();
    await a.openFiles([tinyNifti()]);
    await until(() => shadow(a).querySelector('.grid[data-group="results"] .panel-slice'), 20_000, 'the volume shown');
    expect(shadow(a).querySelector('.entry label')!.textContent).toContain('box.nii');
    const { scene } = await a.loadScene();
    expect(await brightPixels(await scene.list()[0]!.capture())).toBeGreaterThan(500);
    const saved = new Promise<HTMLAnchorElement>((resolve) => {
      // The link is added, clicked and removed at once: catch it in the mutation records.
      const observer = new MutationObserver((records) => {
        const link = records.flatMap((r) => [...r.addedNodes]).find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
        if (link) resolve(link);
      });
      observer.observe(shadow(a), { childList: true });
    });
    shadow(a).querySelector<HTMLButtonElement>('.entry button')!.click();
    const link = await saved;
    expect(link.download).toBe('box.nii.gz');
    const bytes = new Uint8Array(await (await fetch(link.href)).arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]); // gzip
  });
});
