import { describe, expect, it } from 'vitest';
import { VoxpoolApp } from '../../src/ui/app.ts';
import { makeSphere } from '../../src/scene/scene.ts';
import { appMounter, nonBackgroundPixels, shadow, until } from './support.ts';

const mount = appMounter();

const status = (a: VoxpoolApp, demo: string): HTMLOutputElement => shadow(a).querySelector(`output[data-demo="${demo}"]`)!;

describe('<voxpool-app>', () => {
  it('runs the seed mesh demo from its button: 50 tasks, one mesh updated in place, rendered', async () => {
    const a = await mount();
    expect(a).toBeInstanceOf(VoxpoolApp);
    const run = shadow(a).querySelector<HTMLButtonElement>('button.run-mesh')!;
    expect(run.textContent?.trim()).toBe('Run mesh demo');
    run.click();
    const grid = await until(() => shadow(a).querySelector('.grid[data-group="mesh"] .panel'), 30_000, 'mesh panel');
    const canvas = grid.querySelector('canvas');
    await until(() => status(a, 'mesh').dataset.finished === 'yes', 60_000, 'mesh demo finished');
    expect(status(a, 'mesh').textContent).toMatch(/Completed 50, Failed 0, Cancelled 0 of 50/);
    // One panel, one canvas, the same one: results replaced the mesh's points, not the actor.
    expect(shadow(a).querySelectorAll('.grid[data-group="mesh"] canvas').length).toBe(1);
    expect(grid.querySelector('canvas')).toBe(canvas);
    expect(grid.querySelector('figcaption')!.textContent).toContain('50 of 50 results');
    const { scene } = await a.loadScene();
    expect(await nonBackgroundPixels(await scene.list()[0]!.capture())).toBeGreaterThan(1000);
    // The monitor inside shows the same 50.
    const monitor = shadow(a).querySelector('voxpool-monitor')!;
    await until(() => shadow(monitor).querySelector('.count[data-state="done"] dd')?.textContent === '50', 5000, 'monitor count');
  });

  it('runs a sweep (one operation over several values) as parallel tasks and shows each result', async () => {
    const a = await mount();
    const sphere = makeSphere(10, 16, 16);
    await a.addDataset('mesh', sphere);
    a.chooseOperation('mesh.jitter', { amplitude: '1, 2, 4', seed: '7' });
    await a.updateComplete;
    const fields = [...shadow(a).querySelectorAll<HTMLLabelElement>('.op-form label')].map((l) => l.textContent!.trim().split(/\s/)[0]);
    expect(fields).toEqual(['Operation', 'Amplitude', 'Seed']);
    expect(shadow(a).querySelector<HTMLSelectElement>('.op-form select')!.value).toBe('mesh.jitter');
    await a.runOperation();
    const panels = shadow(a).querySelectorAll('.grid[data-group="results"] .panel');
    const captions = [...panels].map((p) => p.querySelector('figcaption')!.textContent);
    expect(captions[0]).toBe('sphere r=10');
    expect(captions.slice(1).sort()).toEqual([1, 2, 4].map((v) => `sphere r=10, jitter amplitude=${v}, seed=7`));
    const names = [...shadow(a).querySelectorAll('.entry label')].map((l) => l.textContent!.replace(/\s+/g, ' ').trim()).sort();
    expect(names).toEqual([
      'mesh sphere r=10',
      'mesh sphere r=10, jitter amplitude=1, seed=7',
      'mesh sphere r=10, jitter amplitude=2, seed=7',
      'mesh sphere r=10, jitter amplitude=4, seed=7',
    ]);
    // The input stayed whole on the page (copied to the workers, not moved).
    expect(sphere.points.byteLength).toBeGreaterThan(0);
  });

  it('shows bad input in the page, naming the file and the field', async () => {
    const a = await mount();
    await a.openFiles([new File(['hello'], 'notes.txt')]);
    await a.updateComplete;
    const alert = shadow(a).querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('notes.txt');
    await a.addDataset('mesh', makeSphere(5, 8, 8));
    a.chooseOperation('mesh.jitter', { amplitude: '1, two' });
    await a.runOperation();
    await a.updateComplete;
    expect(shadow(a).querySelector('[role="alert"]')!.textContent).toContain('Amplitude: "two" is not a number');
    // Dismissable from the keyboard: a real button with a name.
    const dismiss = shadow(a).querySelector<HTMLButtonElement>('[role="alert"] button')!;
    expect(dismiss.getAttribute('aria-label')).toMatch(/^Dismiss: /);
  });

  it('keeps everything in its shadow root: no styles or elements added to the document', async () => {
    const styles = document.querySelectorAll('style, link[rel="stylesheet"]').length;
    const head = document.head.children.length;
    const body = [...document.body.children];
    const a = await mount();
    await a.runMeshDemo(); // panels, canvases and all
    expect(document.querySelectorAll('style, link[rel="stylesheet"]').length).toBe(styles);
    expect(document.head.children.length).toBe(head);
    expect([...document.body.children]).toEqual([...body, a]);
    expect(document.querySelectorAll('canvas')).toHaveLength(0);
    expect(shadow(a).querySelectorAll('canvas').length).toBeGreaterThan(0);
    expect(shadow(a).querySelector('h1')!.textContent).toBe('voxpool');
    expect(getComputedStyle(document.body).fontFamily).not.toContain('system-ui');
  });
});

describe('<voxpool-app> failures', () => {
  it("shows a worker's input error in the page and retries the failed task from the monitor", async () => {
    const a = await mount();
    // Four coordinates: not whole xyz triples. The worker's op refuses it, naming the input.
    await a.addDataset('mesh', { name: 'broken', points: new Float32Array([0, 0, 0, 1]), polys: new Uint32Array(0) });
    a.chooseOperation('mesh.jitter', { amplitude: '1', seed: '1' });
    await a.runOperation();
    await a.updateComplete;
    expect(shadow(a).querySelector('[role="alert"]')!.textContent).toMatch(/input\.points.*not a multiple of 3/);
    const monitor = shadow(a).querySelector('voxpool-monitor')!;
    await until(() => shadow(monitor).querySelector('.count[data-state="failed"] dd')?.textContent === '1', 5000, 'one failed');
    const retry = [...shadow(monitor).querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Retry failed')!;
    expect(retry.disabled).toBe(false);
    retry.click();
    // The page submitted it again (a new task, same label) from the input it kept.
    await until(() => a.pool!.tasks().filter((t) => t.label === 'mesh.jitter amplitude=1, seed=1').length === 2, 5000, 'resubmitted');
    await until(() => shadow(monitor).querySelector('.count[data-state="failed"] dd')?.textContent === '2', 5000, 'failed again');
    // The first run is marked retried; only the new failure is offered for another retry.
    expect([...shadow(monitor).querySelectorAll('tr.failed .note')].map((n) => n.textContent)).toEqual(['retried']);
  });
});
