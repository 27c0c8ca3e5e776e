/**
 * The operations form as a person meets it: built from the op specs (units, ranges, the number
 * input's bounds), a value out of range said in words beside its field before anything runs, the
 * form there for a result just produced, results listed in their run's order, and a download
 * that says what it saved.
 */
import { describe, expect, it } from 'vitest';
import '../../src/ui/app.ts'; // defines <voxpool-app>
import { makeHeadPhantom } from '../../src/data/phantom.ts';
import { appMounter, shadow, until } from './support.ts';

const mount = appMounter();
const head = makeHeadPhantom({ dimensions: [40, 36, 24], spacing: [1, 1, 1.2], seed: 5 });

function typeInto(input: HTMLInputElement, text: string): void {
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

describe('the operations form', () => {
  it('shows each field with its unit and range, and the number input bounded by the spec', async () => {
    const a = await mount();
    await a.addDataset('volume', { ...head, name: 'head.nii' });
    a.chooseOperation('volume.median');
    await a.updateComplete;
    const root = shadow(a);
    const input = root.querySelector<HTMLInputElement>('#field-size')!;
    expect(root.querySelector('label[for="field-size"]')!.textContent).toBe('Neighbourhood (odd, voxels)');
    expect(input.type).toBe('number');
    expect([input.min, input.max, input.step]).toEqual(['1', '99', '2']);
    expect(root.querySelector('#field-size-allowed')!.textContent).toBe('odd whole number, 1 to 99 voxels');
    // The sweep switch turns it into text that takes a list or a range.
    root.querySelector<HTMLButtonElement>('.sweep-toggle')!.click();
    await a.updateComplete;
    expect(root.querySelector<HTMLInputElement>('#field-size')!.type).toBe('text');
    expect(root.querySelector('.sweep-toggle')!.getAttribute('aria-pressed')).toBe('true');
  });

  it('says a value out of range beside its field, and runs nothing', async () => {
    const a = await mount();
    await a.addDataset('volume', { ...head, name: 'head.nii' });
    a.chooseOperation('volume.median');
    await a.updateComplete;
    const root = shadow(a);
    typeInto(root.querySelector<HTMLInputElement>('#field-size')!, '4');
    await a.updateComplete;
    const input = root.querySelector<HTMLInputElement>('#field-size')!;
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const problem = root.querySelector('#field-size-problem')!;
    expect(problem.textContent).toBe('Neighbourhood must be an odd whole number of voxels from 1 to 99 (got 4)');
    expect(input.getAttribute('aria-describedby')).toContain('field-size-problem');
    const tasks = a.pool!.tasks().length;
    await a.runOperation();
    expect(a.pool!.tasks().length).toBe(tasks);
    expect(a.entries).toHaveLength(1);
    // Each value of a sweep is checked too.
    a.chooseOperation('volume.gaussian', { sigma: '1, 0, 2' });
    await a.runOperation();
    await a.updateComplete;
    expect(root.querySelector('#field-sigma-problem')!.textContent).toBe('Sigma must be a finite number of mm > 0 (got 0)');
    expect(a.pool!.tasks().length).toBe(tasks);
    // Back in range, the problem goes.
    typeInto(root.querySelector<HTMLInputElement>('#field-sigma')!, '1, 2');
    await a.updateComplete;
    expect(root.querySelector('#field-sigma-problem')!.textContent).toBe('');
  });

  it('offers the form for the volume demo results at once, listed in submission order', async () => {
    const a = await mount();
    expect(shadow(a).querySelector('.op-form')).toBeNull();
    expect(await a.runVolumeDemo()).toMatchObject({ done: 5, failed: 0 });
    await a.updateComplete;
    const root = shadow(a);
    expect(root.querySelector('.op-form button.run-op')).not.toBeNull();
    const names = a.entries.map((e) => e.name.split(', ').at(-1));
    expect(names).toEqual([0, 5, 10, 15, 20].map((r) => `gaussian r=${r}`));
    // The first result to arrive is the input chosen (nothing else was).
    expect([...root.querySelectorAll<HTMLInputElement>('.entry input[type="radio"]')].filter((r) => r.checked)).toHaveLength(1);
  });

  it('saves a result under a short name and says what was saved, and how big', async () => {
    const a = await mount();
    await a.addDataset('volume', { ...head, name: 'anatomical.nii' });
    a.chooseOperation('volume.median', { size: '3' });
    await a.runOperation();
    const root = shadow(a);
    const saved = new Promise<HTMLAnchorElement>((resolve) => {
      const observer = new MutationObserver((records) => {
        const link = records.flatMap((r) => [...r.addedNodes]).find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
        if (link) resolve(link);
      });
      observer.observe(root, { childList: true });
    });
    root.querySelector<HTMLButtonElement>('button[aria-label="Download anatomical.nii, median size=3"]')!.click();
    const link = await saved;
    expect(link.download).toBe('anatomical_median-3.nii.gz');
    const bytes = (await (await fetch(link.href)).arrayBuffer()).byteLength;
    const status = await until(() => root.querySelector('.save-status[data-state="saved"]'), 20_000, 'the saved message');
    expect(status.getAttribute('role')).toBe('status');
    const kb = (bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0);
    expect(status.textContent).toBe(`Saved anatomical_median-3.nii.gz (${kb} KB) to your downloads.`);
  });
});
