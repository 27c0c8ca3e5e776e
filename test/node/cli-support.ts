/** Running the built `voxpool` command (dist/src/node/bin.js) as a user would, and reading what it leaves. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = resolve('dist/src/node/bin.js');

export interface Cli {
  child: ChildProcess;
  /** Everything it wrote to stdout so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the first stdout line matching `re` (rejects if it exits first). */
  line(re: RegExp): Promise<string>;
  /** Resolves with its exit code (or the signal that ended it). */
  exit: Promise<number | NodeJS.Signals>;
}

/** `env`: the child's environment (default this process's), e.g. with SLURM_CONF for a test cluster. */
export function voxpool(args: string[], cwd: string, env?: NodeJS.ProcessEnv): Cli {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env } : {}) });
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      const m = stdout.split('\n').find((l) => w.re.test(l));
      if (m !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    check();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exit = new Promise<number | NodeJS.Signals>((done) =>
    child.on('exit', (code, signal) => {
      for (const w of waiters.splice(0))
        w.reject(new Error(`voxpool ${args.join(' ')} exited (${code ?? signal}) before printing ${w.re}\n${stdout}\n${stderr}`));
      done(code ?? signal!);
    }),
  );
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    line: (re) =>
      new Promise((res, rej) => {
        waiters.push({ re, resolve: res, reject: rej });
        check();
      }),
    exit,
  };
}

/** Runs it to the end: exit code and output. */
export async function voxpoolDone(
  args: string[],
  cwd: string,
  env?: NodeJS.ProcessEnv,
): Promise<{ code: number | NodeJS.Signals; stdout: string; stderr: string }> {
  const cli = voxpool(args, cwd, env);
  const code = await cli.exit;
  return { code, stdout: cli.stdout, stderr: cli.stderr };
}

/** A scratch folder holding `workflow.json`. */
export async function scratch(workflow: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'voxpool-node-'));
  await writeFile(join(dir, 'workflow.json'), JSON.stringify(workflow, null, 2));
  return dir;
}

/** The run folder `run` printed first. */
export function runDirOf(stdout: string): string {
  const m = /^run (.+)$/m.exec(stdout);
  if (!m) throw new Error(`no run folder in:\n${stdout}`);
  return m[1]!;
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/**
 * The Slicer demo as a workflow file: a head phantom (`phantom`: its params, none for the
 * default grid), Gaussians of each radius factor, each written as NIfTI to `out`.
 */
export function smoothWorkflow(name: string, phantom: object | undefined, factors: number[], out = 'out/rf{radiusFactor}.nii') {
  return {
    format: 'voxpool-workflow',
    version: 1,
    name,
    tasks: [
      { id: 'head', op: 'volume.phantom', ...(phantom && { params: phantom }) },
      {
        id: 'smooth',
        op: 'volume.gaussianVtk',
        params: { std: 2 },
        each: factors.map((radiusFactor) => ({ radiusFactor })),
        inputs: { volume: { task: 'head' } },
      },
      {
        id: 'save',
        op: 'volume.write',
        each: 'smooth',
        params: { format: 'nii' },
        inputs: { volume: { task: 'smooth' } },
        outputs: { bytes: out },
      },
    ],
  };
}
