/**
 * The page's workflow demo: seven dependent tasks on the app's pool, shown by a monitor of their
 * own with the workflow's states, results as they come; stored, so a new page resumes it.
 */
import { describe, expect, it } from 'vitest';
import '../../src/ui/app.ts'; // defines <voxpool-app>
import { PipelineStore, PIPELINE_DB, PIPELINE_ID } from '../../src/ui/pipeline.ts';
import { openWorkflowStore } from '../../src/graph/store.ts';
import { appMounter, shadow, until } from './support.ts';

const mount = appMounter();

describe('the pipeline demo', () => {
  it('runs seven dependent tasks in order, shows four results and the workflow in its own monitor', { timeout: 180_000 }, async () => {
    const a = await mount();
    const states = new Set<string>();
    const summary = await a.runPipeline();
    console.log(
      a
        .pool!.tasks()
        .map((t) => `${t.label}: ${Math.round(t.endedAt! - t.startedAt!)} ms`)
        .join('; '),
    );
    expect(summary).toMatchObject({ state: 'done', total: 7, done: 7, failed: 0, skipped: 0 });
    const wf = a.workflow!;
    for (const t of wf.tasks()) states.add(t.state);
    expect([...states]).toEqual(['done']);
    // Dependency order on the workers' clocks: each task started after its prerequisites ended.
    for (const t of wf.tasks()) for (const d of t.after) expect(t.startedAt!).toBeGreaterThanOrEqual(wf.task(d.id)!.endedAt!);
    const captions = [...shadow(a).querySelectorAll('.grid[data-group="pipeline"] figcaption')].map((c) => c.textContent);
    expect(captions.sort()).toEqual(['pipeline: components', 'pipeline: isosurface', 'pipeline: smooth 2 mm', 'pipeline: smooth mesh']);
    const monitor = await until(() => shadow(a).querySelector('voxpool-monitor.workflow-monitor'), 5000, 'workflow monitor');
    await until(() => shadow(monitor).querySelector('.count[data-state="done"] dd')?.textContent === '7', 5000, 'monitor shows 7 done');
    const status = shadow(a).querySelector('output[data-demo="pipeline"]')!;
    expect(status.textContent).toMatch(/Finished: Done 7, Failed 0, Skipped 0, Cancelled 0 of 7/);
    // A finished pipeline is not offered for resuming.
    expect(await new PipelineStore().unfinished()).toBeNull();
  });

  it('a new page finds a pipeline left unfinished and resumes it without running finished steps again', { timeout: 180_000 }, async () => {
    const a = await mount();
    const run = a.runPipeline();
    // Leave as a reload would, once the first steps are done: the page's pool goes away at once.
    await until(() => (a.workflow?.summary().done ?? 0) >= 2, 60_000, 'two steps done');
    const before = a.workflow!;
    a.remove();
    await run;
    await before.flush().catch(() => undefined);
    // What a new page will find: the steps stored as done (a step that ended after the last write
    // is not among them, and rightly runs again).
    const store = await openWorkflowStore(PIPELINE_DB);
    const kept = await store.load(PIPELINE_ID);
    store.close();
    const doneBefore = kept!.tasks.filter((t) => t.place === 'done').map((t) => t.label);
    expect(doneBefore.length).toBeGreaterThanOrEqual(1);
    expect(doneBefore.length).toBeLessThan(7);

    const b = await mount();
    const stored = await until(() => b.pipeline.stored, 10_000, 'stored pipeline offered');
    expect(stored.id).toBe(PIPELINE_ID);
    await b.updateComplete;
    expect(shadow(b).querySelector('.resume')?.textContent).toMatch(/did not finish/);
    shadow(b).querySelector<HTMLButtonElement>('button.resume-pipeline')!.click();
    await until(() => b.pipeline.summary?.state === 'done' && !b.pipeline.running, 120_000, 'resumed pipeline done');
    expect(b.pipeline.summary).toMatchObject({ total: 7, done: 7, failed: 0 });
    // The new page's pool ran only what was not done before.
    const ranNow = b.pool!.tasks().map((t) => t.label);
    for (const label of doneBefore) expect(ranNow).not.toContain(label);
    expect(ranNow.length).toBe(7 - doneBefore.length);
  });
});
