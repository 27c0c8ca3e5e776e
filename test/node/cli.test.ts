/**
 * The `voxpool` command end to end, as built (dist/): a workflow file run to its output files,
 * a run killed in the middle and resumed with nothing recomputed, a failing task that skips only
 * its dependents, cancel, status, and exec of single tasks. Real worker threads, real engines.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readNifti } from '../../src/data/nifti-read.ts';
import { BIN, readJson, runDirOf, scratch, smoothWorkflow, voxpool, voxpoolDone } from './cli-support.ts';

const SMALL = { dimensions: [64, 64, 40] };

interface StoredTaskFile {
  id: number;
  attempts: number;
  place: string;
  endedAt: number | null;
}

/** Per task id: its stored record, and the data files of its stored result (a rerun writes new ones). */
async function stored(runDir: string): Promise<Map<number, { task: StoredTaskFile; result: string | null }>> {
  const out = new Map<number, { task: StoredTaskFile; result: string | null }>();
  for (const name of await readdir(join(runDir, 'tasks'))) {
    const task = await readJson<StoredTaskFile>(join(runDir, 'tasks', name));
    const result = await readFile(join(runDir, 'results', `${task.id}.json`), 'utf8').catch(() => null);
    out.set(task.id, { task, result });
  }
  return out;
}

describe('voxpool run', () => {
  it('runs a workflow file to its output files, and status says done', async () => {
    const dir = await scratch(smoothWorkflow('small', SMALL, [0, 5]));
    const run = await voxpoolDone(['run', 'workflow.json', '--workers', '2'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^head: running on worker \d/m);
    expect(run.stdout).toMatch(/^save#1: wrote out\/rf5\.nii$/m);
    expect(run.stdout).toMatch(/^done: 5\/5 done, 0 failed/m);
    const rf0 = await readNifti([{ name: 'rf0.nii', bytes: new Uint8Array(await readFile(join(dir, 'out/rf0.nii'))) }]);
    const rf5 = await readNifti([{ name: 'rf5.nii', bytes: new Uint8Array(await readFile(join(dir, 'out/rf5.nii'))) }]);
    expect(rf0.dimensions).toEqual([64, 64, 40]);
    expect(rf5.dimensions).toEqual([64, 64, 40]);
    // Radius factor 0 is a copy; 5 smooths: the two differ.
    expect(Buffer.compare(Buffer.from(rf0.data.buffer), Buffer.from(rf5.data.buffer))).not.toBe(0);

    const status = await voxpoolDone(['status', runDirOf(run.stdout)], dir);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^smooth#1\tdone$/m);
    expect(status.stdout).toMatch(/^done: 5\/5 done/m);
  });

  it('reads a real NIfTI from the input folder, smooths it with niimath and writes the result', async () => {
    const dir = await scratch({
      format: 'voxpool-workflow',
      version: 1,
      name: 'sample',
      tasks: [
        { id: 'read', op: 'volume.read', inputs: { files: [{ file: 'samples/anatomical.nii' }] } },
        { id: 'smooth', op: 'volume.gaussian', params: { sigma: 2 }, inputs: { volume: { task: 'read' } } },
        {
          id: 'save',
          op: 'volume.write',
          params: { format: 'nii.gz' },
          inputs: { volume: { task: 'smooth' } },
          outputs: { bytes: 'derivatives/anatomical_smooth.nii.gz' },
        },
      ],
    });
    const run = await voxpoolDone(['run', 'workflow.json', '--inputs', resolve('public'), '--workers', '1'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const sample = await readNifti([{ name: 'anatomical.nii', bytes: new Uint8Array(await readFile('public/samples/anatomical.nii')) }]);
    const out = await readNifti([
      { name: 'anatomical_smooth.nii.gz', bytes: new Uint8Array(await readFile(join(dir, 'derivatives/anatomical_smooth.nii.gz'))) },
    ]);
    expect(out.dimensions).toEqual(sample.dimensions);
    expect(out.spacing).toEqual(sample.spacing);
    expect(Array.from(out.data.slice(0, 1000))).not.toEqual(Array.from(sample.data.slice(0, 1000)));
    const missing = await voxpoolDone(['run', 'workflow.json', '--workers', '1'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${join(dir, 'samples/anatomical.nii')}: cannot read this input file (no such file)`);
  });

  it("writes a text.write task's text byte for byte (a BIDS dataset_description.json)", async () => {
    const text = `${JSON.stringify({ Name: 'ds: ü (voxpool)', DatasetType: 'derivative' }, null, 2)}\n`;
    const dir = await scratch({
      format: 'voxpool-workflow',
      version: 1,
      name: 'text',
      tasks: [
        {
          id: 'description',
          op: 'text.write',
          params: { name: 'dataset_description.json', text },
          outputs: { bytes: 'derivatives/voxpool/dataset_description.json' },
        },
      ],
    });
    const run = await voxpoolDone(['run', 'workflow.json', '--workers', '1'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(new Uint8Array(await readFile(join(dir, 'derivatives/voxpool/dataset_description.json')))).toEqual(new TextEncoder().encode(text));
  });

  it('runs the mesh engines in worker threads: niimath isosurface, meshoptimizer decimate, vtk.js windowed sinc', async () => {
    const dir = await scratch({
      format: 'voxpool-workflow',
      version: 1,
      name: 'mesh',
      tasks: [
        { id: 'head', op: 'volume.phantom', params: SMALL },
        { id: 'surface', op: 'volume.isosurface', params: { isovalue: 400 }, inputs: { volume: { task: 'head' } } },
        { id: 'coarse', op: 'mesh.decimate', params: { ratio: 0.2 }, inputs: { mesh: { task: 'surface' } } },
        {
          id: 'smooth',
          op: 'mesh.smooth',
          params: { iterations: 10, passBand: 0.1 },
          inputs: { mesh: { task: 'coarse', path: ['mesh'] } },
          outputs: { points: 'mesh/points.f32', polys: 'mesh/polys.u32' },
        },
      ],
    });
    const run = await voxpoolDone(['run', 'workflow.json', '--workers', '2'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const points = await readFile(join(dir, 'mesh/points.f32'));
    const polys = await readFile(join(dir, 'mesh/polys.u32'));
    expect(points.byteLength % 12).toBe(0);
    expect(points.byteLength).toBeGreaterThan(12 * 100);
    // Triangles, [3, i, j, k] each, every index a point.
    const cells = new Uint32Array(polys.buffer, polys.byteOffset, polys.byteLength / 4);
    const nPoints = points.byteLength / 12;
    for (let i = 0; i < cells.length; i += 4) {
      expect(cells[i]).toBe(3);
      for (let k = 1; k <= 3; k++) expect(cells[i + k]!).toBeLessThan(nPoints);
    }
  });

  it('refuses a bad workflow file with exit code 2, naming the file and the problem', async () => {
    const wf = smoothWorkflow('bad', SMALL, [0]);
    (wf.tasks[1]!.inputs as Record<string, unknown>).volume = { task: 'hed' };
    const dir = await scratch(wf);
    const run = await voxpoolDone(['run', 'workflow.json'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(dir, 'workflow.json')}: tasks[1] (smooth).inputs.volume.task: must name a task before this one (got string "hed")`);
    const usage = await voxpoolDone(['run', 'workflow.json', '--workers', 'lots'], dir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--workers must be a whole number from 1 (got "lots")');
  });

  it('a failing task skips only its dependents; the rest finishes; exit code 1', async () => {
    const dir = await scratch({
      format: 'voxpool-workflow',
      version: 1,
      name: 'failing',
      tasks: [
        { id: 'head', op: 'volume.phantom', params: SMALL },
        { id: 'bad', op: 'volume.write', params: { format: 'bmp' }, inputs: { volume: { task: 'head' } } },
        { id: 'after-bad', op: 'volume.gaussianVtk', params: { radiusFactor: 5 }, inputs: { volume: { task: 'head' } }, after: ['bad'] },
        { id: 'good', op: 'volume.gaussianVtk', params: { radiusFactor: 5 }, inputs: { volume: { task: 'head' } } },
        { id: 'save', op: 'volume.write', params: { format: 'nii' }, inputs: { volume: { task: 'good' } }, outputs: { bytes: 'good.nii' } },
      ],
    });
    const run = await voxpoolDone(['run', 'workflow.json', '--workers', '2'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^bad: failed: input.format: must be one of "nii", "nii.gz", "nrrd" or "mha" \(got "bmp"\)/m);
    expect(run.stdout).toMatch(/^after-bad: skipped/m);
    expect(run.stdout).toMatch(/^failed: 3\/5 done, 1 failed, 1 skipped/m);
    expect((await readFile(join(dir, 'good.nii'))).byteLength).toBeGreaterThan(348);
    const status = await voxpoolDone(['status', runDirOf(run.stdout)], dir);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^bad\tfailed\tinput.format: must be one of "nii", "nii.gz", "nrrd" or "mha" \(got "bmp"\)/m);
    expect(status.stdout).toMatch(/^after-bad\tskipped/m);
    expect(status.stdout).toMatch(/^good\tdone$/m);
    expect(status.stdout).toMatch(/^save\tdone$/m);
  });

  it('killed in the middle, resume finishes the run and runs nothing that was done again', async () => {
    const dir = await scratch(smoothWorkflow('killed', { dimensions: [128, 128, 64] }, [20, 19, 18, 17, 16, 15]));
    const cli = voxpool(['run', 'workflow.json', '--workers', '1'], dir);
    await cli.line(/^smooth#1: done/);
    cli.child.kill('SIGKILL');
    expect(await cli.exit).toBe('SIGKILL');
    const runDir = runDirOf(cli.stdout);
    const before = await stored(runDir);
    const doneBefore = [...before].filter(([, s]) => s.result !== null);
    // The phantom and at least two smooths were done; some tasks were not.
    expect(doneBefore.length).toBeGreaterThanOrEqual(3);
    expect(doneBefore.length).toBeLessThan(13);

    const status = await voxpoolDone(['status', runDir], dir);
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/^stopped: /m);

    const resumed = await voxpoolDone(['resume', runDir, '--workers', '2'], dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^done: 13\/13 done/m);
    const after = await stored(runDir);
    const keys = (await readJson<{ tasks: { key: string; id: number }[] }>(join(runDir, 'run.json'))).tasks;
    for (const [id, s] of doneBefore) {
      const key = keys.find((k) => k.id === id)!.key;
      // Not sent to a worker again: no "running" line, the same attempts, the same stored result.
      expect(resumed.stdout).not.toMatch(new RegExp(`^${key.replace('#', '\\#')}: running`, 'm'));
      expect(after.get(id)!.task.attempts).toBe(s.task.attempts);
      expect(after.get(id)!.result).toBe(s.result);
    }
    for (const rf of [20, 19, 18, 17, 16, 15]) expect((await readFile(join(dir, `out/rf${rf}.nii`))).byteLength).toBe(352 + 128 * 128 * 64 * 2);
  });

  it('cancel stops a running run (exit 3), status says stopped, resume finishes it', async () => {
    // Big enough that the run is still going when the cancel lands: the faster kernels finish
    // four smooths of 128 x 128 x 64 before a second process has even started.
    const dir = await scratch(smoothWorkflow('cancelled', { dimensions: [256, 256, 160] }, [20, 19, 18, 17]));
    const cli = voxpool(['run', 'workflow.json', '--workers', '1'], dir);
    await cli.line(/^smooth#0: running/);
    const runDir = runDirOf(cli.stdout);
    const cancel = await voxpoolDone(['cancel', runDir], dir);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toContain('stopped');
    expect(await cli.exit).toBe(3);
    expect(cli.stdout).toMatch(/^stopped: /m);
    const status = await voxpoolDone(['status', runDir], dir);
    expect(status.code).toBe(3);
    const resumed = await voxpoolDone(['resume', runDir], dir);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/^done: 9\/9 done/m);
    expect((await voxpoolDone(['cancel', runDir], dir)).stdout).toContain('no process is running it');
  });

  it('exec runs one task of a prepared run in its own process, and never twice', async () => {
    const dir = await scratch(smoothWorkflow('exec', SMALL, [0, 5]));
    const prep = await voxpoolDone(['prepare', 'workflow.json'], dir);
    expect(prep.code).toBe(0);
    const runDir = prep.stdout.trim();
    const early = await voxpoolDone(['exec', runDir, 'smooth#1'], dir);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('smooth#1: its prerequisite head is not done');
    expect((await voxpoolDone(['exec', runDir, 'head'], dir)).code).toBe(0);
    const one = await voxpoolDone(['exec', runDir, 'smooth#1'], dir);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/^smooth#1: done in/m);
    expect((await voxpoolDone(['exec', runDir, 'smooth#1'], dir)).stdout).toContain('smooth#1: already done, not run again');
    expect((await voxpoolDone(['exec', runDir, 'save#1'], dir)).code).toBe(0);
    expect((await readFile(join(dir, 'out/rf5.nii'))).byteLength).toBe(352 + 64 * 64 * 40 * 2);
    const status = await voxpoolDone(['status', runDir], dir);
    expect(status.stdout).toMatch(/^head\tdone$/m);
    expect(status.stdout).toMatch(/^smooth#0\twaiting$/m);
    expect(status.stdout).toMatch(/^save#1\tdone$/m);
    // The rest runs in Node, reusing what exec stored.
    const resumed = await voxpoolDone(['resume', runDir], dir);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).not.toMatch(/^head: running/m);
    expect(resumed.stdout).toMatch(/^smooth#0: running/m);
    const bad = await voxpoolDone(['exec', runDir, 'nope'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no task "nope"');
  });

  it("exec --stdin runs the tasks it is sent in one process, each one's words to its files, its exit code back on fd 3", async () => {
    const dir = await scratch(smoothWorkflow('exec-stdin', SMALL, [0, 5]));
    const runDir = (await voxpoolDone(['prepare', 'workflow.json'], dir)).stdout.trim();
    const child = spawn(process.execPath, [BIN, 'exec', runDir, '--stdin'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    const replies: string[] = [];
    let pending = '';
    const reply = child.stdio[3] as Readable;
    const nextReply = (): Promise<string> =>
      new Promise((ok, fail) => {
        const take = (): boolean => {
          const i = pending.indexOf('\n');
          if (i < 0) return false;
          const line = pending.slice(0, i);
          pending = pending.slice(i + 1);
          replies.push(line);
          ok(line);
          return true;
        };
        if (take()) return;
        const onData = (d: Buffer): void => {
          pending += String(d);
          if (take()) reply.off('data', onData);
        };
        reply.on('data', onData);
        child.once('exit', (code) => fail(new Error(`exec --stdin exited (${code}) before replying`)));
      });
    const ask = (key: string): Promise<string> => {
      child.stdin.write(`${key}\t${join(dir, `${key}.out`)}\t${join(dir, `${key}.err`)}\n`);
      return nextReply();
    };
    // In order: refused (head not done), done, done, done before, done, refused (no such task).
    expect(await ask('smooth#1')).toBe('2');
    expect(await ask('head')).toBe('0');
    expect(await ask('smooth#1')).toBe('0');
    expect(await ask('smooth#1')).toBe('0');
    expect(await ask('save#1')).toBe('0');
    expect(await ask('nope')).toBe('2');
    const exited = new Promise<number | null>((ok) => child.once('exit', ok));
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(replies).toEqual(['2', '0', '0', '0', '0', '2']);
    expect(await readFile(join(dir, 'smooth#1.out'), 'utf8')).toMatch(/^smooth#1: done in [\d.]+ s\nsmooth#1: already done, not run again\n$/);
    expect(await readFile(join(dir, 'smooth#1.err'), 'utf8')).toBe('voxpool: smooth#1: its prerequisite head is not done: run that first\n');
    expect(await readFile(join(dir, 'nope.err'), 'utf8')).toContain('no task "nope"');
    expect((await readFile(join(dir, 'out/rf5.nii'))).byteLength).toBe(352 + 64 * 64 * 40 * 2);
    const status = await voxpoolDone(['status', runDir], dir);
    expect(status.stdout).toMatch(/^smooth#1\tdone$/m);
    expect(status.stdout).toMatch(/^smooth#0\twaiting$/m);
  });
});
