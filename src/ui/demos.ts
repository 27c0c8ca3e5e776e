/**
 * The seed's two demos on the page: the jittered sphere (50 tasks updating one mesh in place)
 * and five Gaussian smoothings of a volume shown side by side as each finishes.
 */
import type { Pool } from '../pool/pool.ts';
import type { Volume } from '../data/volume.ts';
import type { Scene } from '../scene/scene.ts';
import type { PageOps } from './page-ops.ts';
import type { JobRunner, Outcome } from './jobs.ts';
import { forDisplay } from './display-range.ts';

export interface DemoTally {
  total: number;
  done: number;
  failed: number;
  cancelled: number;
  ms: number;
}

export const MESH_DEMO = { radius: 10, resolution: 50, tasks: 50, amplitude: 5 } as const;
export const VOLUME_DEMO = { radiusFactors: [0, 5, 10, 15, 20], std: 2 } as const;

function tally(outcomes: Outcome[], started: number): DemoTally {
  const count = (o: Outcome): number => outcomes.filter((x) => x === o).length;
  return { total: outcomes.length, done: count('done'), failed: count('failed'), cancelled: count('cancelled'), ms: performance.now() - started };
}

/** Each outcome as it comes, so the page can show progress before the end. */
async function settleAll(runs: Promise<Outcome>[], onEach: (t: DemoTally) => void, started: number): Promise<DemoTally> {
  const outcomes: Outcome[] = [];
  await Promise.all(
    runs.map((r) =>
      r.then((o) => {
        outcomes.push(o);
        onEach({ ...tally(outcomes, started), total: runs.length });
      }),
    ),
  );
  return { ...tally(outcomes, started), total: runs.length };
}

export async function runMeshDemo(
  pool: Pool<PageOps>,
  jobs: JobRunner,
  sceneModule: typeof import('../scene/scene.ts'),
  scene: Scene,
  host: HTMLElement,
  onEach: (t: DemoTally) => void,
): Promise<DemoTally> {
  const started = performance.now();
  const { radius, resolution, tasks, amplitude } = MESH_DEMO;
  const sphere = sceneModule.makeSphere(radius, resolution, resolution);
  scene.clear(host);
  const panel = scene.meshPanel(host, `Sphere r=${radius}, ${sphere.points.length / 3} points: 0 of ${tasks} results`, sphere);
  let received = 0;
  const runs = Array.from({ length: tasks }, (_, i) =>
    jobs.launch({
      // Every task gets its own copy of the sphere, moved (not copied again) to its worker.
      start: () => pool.submit('mesh.jitter', { points: sphere.points.slice(), amplitude, seed: i + 1 }, { label: `jitter ${i + 1} of ${tasks}` }),
      done: ({ points }) => {
        panel.update(points);
        panel.title = `Sphere r=${radius}, ${sphere.points.length / 3} points: ${++received} of ${tasks} results (last: jitter ${i + 1})`;
      },
    }),
  );
  return settleAll(runs, onEach, started);
}

export async function runVolumeDemo(
  pool: Pool<PageOps>,
  jobs: JobRunner,
  scene: Scene,
  host: HTMLElement,
  volume: Volume,
  onEach: (t: DemoTally) => void,
  onResult: (result: Volume, index: number, params: { radiusFactor: number; std: number }) => void,
): Promise<DemoTally> {
  const started = performance.now();
  scene.clear(host);
  host.replaceChildren();
  const renderSlot = slot(host, `${volume.name}: volume rendering`);
  scene.volumePanel(renderSlot, `${volume.name}: volume rendering`, forDisplay(volume));
  renderSlot.querySelector('.placeholder')?.remove();
  const runs = VOLUME_DEMO.radiusFactors.map((radiusFactor, index) => {
    const title = `Gaussian, std ${VOLUME_DEMO.std}, radius factor ${radiusFactor}`;
    const place = slot(host, title);
    return jobs.launch({
      // 'copy': five tasks share one input volume, which must stay whole on the page.
      start: () =>
        pool.submit(
          'volume.gaussianVtk',
          { volume, std: VOLUME_DEMO.std, radiusFactor },
          // Wider kernels take longer: starting them first (longest first) evens out the workers' loads;
          // a long one that would start while other workers have nothing left to take is split across them.
          { input: 'copy', label: `gaussian r=${radiusFactor}`, priority: radiusFactor, split: 'auto' },
        ),
      done: (result) => {
        const named = { ...result, name: `${volume.name}, gaussian r=${radiusFactor}` };
        place.querySelector('.placeholder')?.remove();
        scene.slicePanel(place, title, named);
        onResult(named, index, { radiusFactor, std: VOLUME_DEMO.std });
      },
      ended: (outcome, error) => {
        const placeholder = place.querySelector('.placeholder');
        if (!placeholder) return;
        placeholder.textContent = outcome === 'cancelled' ? `${title}: cancelled` : `${title}: failed (${error.message})`;
        placeholder.classList.add(outcome);
      },
    });
  });
  return settleAll(runs, onEach, started);
}

/** A place in the grid, in submission order, that a result fills when it arrives. */
function slot(host: HTMLElement, title: string): HTMLElement {
  const el = document.createElement('div');
  el.className = 'slot';
  const placeholder = document.createElement('div');
  placeholder.className = 'placeholder';
  placeholder.textContent = `${title}: running…`;
  el.append(placeholder);
  host.append(el);
  return el;
}
