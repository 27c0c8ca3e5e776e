/**
 * The runs `voxpool serve` holds for its page. A run's folder (`<runs>/<id>/`) gets the uploaded
 * workflow file and its inputs (`upload/`), then the runner itself runs it: the server starts
 * `voxpool run upload/workflow.json --inputs upload/inputs --outputs outputs` (with
 * `--executor slurm` for Slurm) as a child process, so it is the same runner, store and executor
 * as on the command line, and the folder is a run folder `voxpool status|resume|cancel` take as
 * it is. Status is read from that folder, cancel goes through the runner's own paths (SIGTERM to
 * the local runner, scancel for Slurm), outputs are the files the runner wrote.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { access, constants, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { delimiter, dirname, extname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { expandWorkflowFile, parseWorkflowFile, type ExpandedSource, type ExpandedTask } from '../graph/index.ts';
import type { Capabilities, CreatedRun, RemoteExecutor, RemoteOutputs, RemoteRunStatus, RemoteTaskPlace } from '../study/remote-api.ts';
import { API_VERSION, SERVE_MARK } from '../study/remote-api.ts';
import { exists } from './file-store.ts';
import { NODE_OPS, RUN_FILE, openRun } from './run-dir.ts';
import { cancelSlurmRun, slurmRunStatus } from './slurm-run.ts';
import { cancelRun, runStatus, type RunStatus } from './status.ts';
import { ServeRequestError, UnsafePathError, insideFolder } from './serve-guard.ts';

export const UPLOAD_DIR = 'upload';
export const OUTPUTS_DIR = 'outputs';

export interface RunsOptions {
  /** Folder the run folders go in. */
  runs: string;
  /** Worker threads of a local run. */
  workers: number;
  /** The executors offered (null: local, and Slurm when its commands are on PATH). */
  executor: RemoteExecutor | null;
  /** Flags for every sbatch of a Slurm run. */
  sbatchArgs: readonly string[];
  /** The child runners' environment (default this process's): SLURM_CONF and the like. */
  env?: NodeJS.ProcessEnv;
}

interface ServedRun {
  id: string;
  executor: RemoteExecutor;
  dir: string;
  tasks: ExpandedTask[];
  /** Input paths the workflow reads, and those uploaded so far. */
  inputs: Set<string>;
  received: Set<string>;
  started: boolean;
  cancelledEarly: boolean;
  /** Cancel was asked for: a runner that ends on the signal stopped, it did not fail. */
  cancelAsked: boolean;
  /**
   * Each task's latest state as the local runner printed it (progress.ts: `<key>: running on
   * worker 1`): the store records a task when it ends, so this is where queued and running are seen.
   */
  printed: Map<string, RemoteTaskPlace>;
  child: ChildProcess | null;
  /** Set once the child has exited: its code (or signal) and the end of what it wrote to stderr. */
  ended: { code: number | string; stderr: string } | null;
  exited: Promise<void> | null;
}

/** A run as this server first knows it: nothing received, no child, no cancel asked. */
function servedRun(id: string, executor: RemoteExecutor, dir: string, tasks: ExpandedTask[], inputs: Set<string>, started: boolean): ServedRun {
  return {
    id,
    executor,
    dir,
    tasks,
    inputs,
    received: new Set(),
    started,
    cancelledEarly: false,
    cancelAsked: false,
    printed: new Map(),
    child: null,
    ended: null,
    exited: null,
  };
}

/** The built command beside this module (dist/src/node/bin.js; bin.ts when run from source). */
function binPath(): string {
  const self = fileURLToPath(import.meta.url);
  return join(dirname(self), `bin${extname(self)}`);
}

function filesOf(source: ExpandedSource, into: Set<string>): void {
  if (Array.isArray(source)) for (const s of source) filesOf(s, into);
  else if ('file' in source) into.add(source.file);
}

async function onPath(command: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      await access(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/** A state-change line of the runner's progress (progress.ts), `<key>: <state>...`. */
const PRINTED = /^(\S+): (queued|running|done|failed|cancelled|skipped)\b/;

const ID = /^[A-Za-z0-9][\w.-]{0,127}$/;
let seq = 0;

export class ServedRuns {
  private readonly runs = new Map<string, ServedRun>();
  private readonly root: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: RunsOptions) {
    this.root = resolve(options.runs);
    this.env = options.env ?? process.env;
  }

  async capabilities(): Promise<Capabilities> {
    const slurm = { sbatch: await onPath('sbatch', this.env), squeue: await onPath('squeue', this.env), scancel: await onPath('scancel', this.env) };
    const hasSlurm = slurm.sbatch && slurm.squeue && slurm.scancel;
    const wanted = this.options.executor;
    const executors: RemoteExecutor[] = [];
    if (wanted === null || wanted === 'local') executors.push('local');
    if (wanted === 'slurm' || (wanted === null && hasSlurm)) executors.push('slurm');
    return { server: SERVE_MARK, api: API_VERSION, executors, workers: this.options.workers, slurm };
  }

  /** Checks the workflow file, makes the run's folder and stores the file; the inputs come next. */
  async create(text: unknown, executor: unknown): Promise<CreatedRun> {
    if (typeof text !== 'string') throw new ServeRequestError(400, 'the request must hold the workflow file\'s text as "workflow"');
    const offered = (await this.capabilities()).executors;
    if (executor !== 'local' && executor !== 'slurm') throw new ServeRequestError(400, `executor must be "local" or "slurm" (got ${JSON.stringify(executor)})`);
    if (!offered.includes(executor))
      throw new ServeRequestError(400, `this server does not offer the ${executor} executor (it offers: ${offered.join(', ') || 'none'})`);
    // Its input and output paths are checked here (relative, no ".."): WorkflowFileError says which.
    const file = parseWorkflowFile(text, 'the uploaded workflow file', { ops: NODE_OPS });
    const tasks = expandWorkflowFile(file);
    const inputs = new Set<string>();
    for (const t of tasks) for (const s of Object.values(t.inputs)) filesOf(s, inputs);
    const id = `${
      file.name
        .replace(/[^\w.-]+/g, '_')
        .replace(/^[^A-Za-z0-9]+/, '')
        .slice(0, 60) || 'run'
    }-${Date.now().toString(36)}-${process.pid}-${seq++}`;
    const dir = join(this.root, id);
    await mkdir(join(dir, UPLOAD_DIR, 'inputs'), { recursive: true });
    await writeFile(join(dir, UPLOAD_DIR, 'workflow.json'), text);
    this.runs.set(id, servedRun(id, executor, dir, tasks, inputs, false));
    return { id, inputs: [...inputs] };
  }

  /** A run of this server, or one an earlier server left in the runs folder. */
  private async run(id: string): Promise<ServedRun> {
    const known = this.runs.get(id);
    if (known) return known;
    if (ID.test(id)) {
      const dir = join(this.root, id);
      if (await exists(join(dir, RUN_FILE))) {
        const opened = await openRun(dir);
        // Started by an earlier server (or a shell): nothing to upload, no child of ours.
        const run = servedRun(id, opened.record.executor?.kind === 'slurm' ? 'slurm' : 'local', dir, opened.tasks, new Set(), true);
        this.runs.set(id, run);
        return run;
      }
    }
    throw new ServeRequestError(404, `no run "${id}" on this server`);
  }

  /** Stores one input file's bytes under the run's input folder. */
  async upload(id: string, path: string, body: Readable): Promise<void> {
    const run = await this.run(id);
    const target = insideFolder(join(run.dir, UPLOAD_DIR, 'inputs'), path);
    if (!run.inputs.has(path)) throw new UnsafePathError(path, `"${path}" is not an input file of the run's workflow`);
    if (run.started) throw new ServeRequestError(409, `run ${id} has started: its inputs cannot change`);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.upload`;
    try {
      await pipeline(body, createWriteStream(tmp));
      await rename(tmp, target);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    run.received.add(path);
  }

  /** Starts the runner on it (every input must be there). */
  async start(id: string): Promise<RemoteRunStatus> {
    const run = await this.run(id);
    if (run.started || run.cancelledEarly) throw new ServeRequestError(409, `run ${id} has started already`);
    const missing = [...run.inputs].filter((p) => !run.received.has(p));
    if (missing.length)
      throw new ServeRequestError(
        409,
        `run ${id} still lacks ${missing.length} input file(s): ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`,
      );
    run.started = true;
    const args = [
      binPath(),
      'run',
      join(run.dir, UPLOAD_DIR, 'workflow.json'),
      '--runs',
      this.root,
      '--id',
      run.id,
      '--inputs',
      join(run.dir, UPLOAD_DIR, 'inputs'),
      '--outputs',
      join(run.dir, OUTPUTS_DIR),
      '--workers',
      String(this.options.workers),
      ...(run.executor === 'slurm' ? ['--executor', 'slurm', ...this.options.sbatchArgs.map((a) => `--sbatch-arg=${a}`)] : []),
    ];
    const child = spawn(process.execPath, args, { cwd: run.dir, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(join(run.dir, 'serve-runner.log'));
    child.stdout.pipe(log, { end: false });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = PRINTED.exec(line);
      if (m) run.printed.set(m[1]!, m[2] as RemoteTaskPlace);
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-4000);
      log.write(d);
    });
    run.child = child;
    run.exited = new Promise((done) => {
      const end = (code: number | string): void => {
        if (run.ended) return;
        run.ended = { code, stderr };
        log.end();
        done();
      };
      child.on('exit', (code, signal) => end(code ?? signal ?? 'unknown'));
      child.on('error', (e) => end(e.message));
    });
    return this.status(id);
  }

  async status(id: string): Promise<RemoteRunStatus> {
    const run = await this.run(id);
    const waiting = (): RemoteRunStatus['tasks'] => run.tasks.map((t) => ({ key: t.key, place: 'waiting' as const, message: '' }));
    const base = { id, executor: run.executor };
    if (run.cancelledEarly) return { ...base, state: 'stopped', finished: true, tasks: waiting(), message: 'cancelled before it started' };
    if (!run.started) {
      const left = run.inputs.size - run.received.size;
      return { ...base, state: 'uploading', finished: false, tasks: waiting(), message: `${left} of ${run.inputs.size} input file(s) still to upload` };
    }
    const live = run.child !== null && run.ended === null;
    const failedToRun = run.ended !== null && run.ended.code !== 0 && run.ended.code !== 1 && run.ended.code !== 3 && !run.cancelAsked;
    if (!(await exists(join(run.dir, RUN_FILE)))) {
      if (live) return { ...base, state: 'starting', finished: false, tasks: waiting(), message: 'the runner is preparing the run' };
      if (run.cancelAsked) return { ...base, state: 'stopped', finished: true, tasks: waiting(), message: 'cancelled while it was being prepared' };
      return { ...base, state: 'error', finished: true, tasks: waiting(), message: this.why(run) };
    }
    const opened = await openRun(run.dir);
    const s: RunStatus = opened.record.executor?.kind === 'slurm' ? await slurmRunStatus(opened, opened.record.executor) : await runStatus(run.dir);
    const tasks = s.tasks.map((t) => {
      const printed = t.place === 'waiting' || t.place === 'queued' || t.place === 'running' ? run.printed.get(t.key) : undefined;
      return { key: t.key, place: live && printed ? printed : t.place, message: t.message };
    });
    // While its runner lives the run is running, whatever the folder says between two writes.
    if (live) return { ...base, state: 'running', finished: false, tasks, message: '' };
    if (failedToRun) return { ...base, state: 'error', finished: true, tasks, message: this.why(run) };
    // No runner of ours: an earlier server's, or one started from a shell, may still run it.
    return { ...base, state: s.state, finished: s.state !== 'running', tasks, message: '' };
  }

  private why(run: ServedRun): string {
    const e = run.ended;
    if (!e) return 'the runner ended';
    const said = e.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('voxpool: '))
      .map((l) => l.slice('voxpool: '.length))
      .join('; ');
    return `the runner stopped (exit ${e.code}): ${said || e.stderr.trim() || 'no message'}`;
  }

  /** Cancels it where it runs, and resolves once its runner has ended. */
  async cancel(id: string): Promise<RemoteRunStatus> {
    const run = await this.run(id);
    if (!run.started) {
      run.cancelledEarly = true;
      return this.status(id);
    }
    run.cancelAsked = true;
    const hasRecord = await exists(join(run.dir, RUN_FILE));
    if (run.executor === 'slurm') {
      const opened = hasRecord ? await openRun(run.dir) : null;
      if (opened?.record.executor) await cancelSlurmRun(opened, opened.record.executor);
      // Its runner ends once every job has; one still submitting is stopped.
      else run.child?.kill('SIGTERM');
    } else if (run.child && !run.ended) {
      run.child.kill('SIGTERM');
    } else if (hasRecord) {
      await cancelRun(run.dir);
    }
    await run.exited;
    return this.status(id);
  }

  async outputs(id: string): Promise<RemoteOutputs> {
    const run = await this.run(id);
    const root = join(run.dir, OUTPUTS_DIR);
    const files: RemoteOutputs['files'] = [];
    const walk = async (dir: string, prefix: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const path = `${prefix}${e.name}`;
        if (e.isDirectory()) await walk(join(dir, e.name), `${path}/`);
        // A file still being written (outputs.ts writes to .tmp and renames) is not one yet.
        else if (e.isFile() && !e.name.endsWith('.tmp')) files.push({ path, size: (await stat(join(dir, e.name))).size });
      }
    };
    await walk(root, '');
    return { files };
  }

  /** The full path of one output file (UnsafePathError for a path leaving the folder; 404 for none). */
  async outputFile(id: string, path: string): Promise<string> {
    const run = await this.run(id);
    const full = insideFolder(join(run.dir, OUTPUTS_DIR), path);
    const s = await stat(full).catch(() => null);
    if (!s?.isFile()) throw new ServeRequestError(404, `run ${id} has no output file "${path}"`);
    return full;
  }

  /** Stops the runners this server started (SIGTERM: each stores what it has; `voxpool resume` goes on). */
  async close(): Promise<void> {
    const live = [...this.runs.values()].filter((r) => r.child && !r.ended);
    for (const r of live) r.child!.kill('SIGTERM');
    await Promise.all(live.map((r) => r.exited));
  }
}
