/**
 * The Slurm commands the executor uses, and nothing else: `sbatch --parsable`, `squeue`, `scancel`,
 * `sinfo`. Behind an interface so a caller can point it at another installation (`binDir`, an
 * environment with `SLURM_CONF`) or wrap it (the tests pause a submitter between two sbatch calls).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { SlurmCommandError } from './errors.ts';

/** One line of `squeue -r`: a job, or one element of a job array. */
export interface QueueRow {
  /** The job id sbatch printed (the array's id for an element). */
  jobId: string;
  /** The array element's index; undefined for a plain job. */
  element: number | undefined;
  name: string;
  /** Slurm's state name: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, ... */
  state: string;
  reason: string;
}

export interface SlurmClient {
  /** Submits a script; resolves to the job id. */
  sbatch(args: readonly string[], script: string): Promise<string>;
  /** The caller's jobs still known to the controller (live ones and those ended in the last MinJobAge seconds). */
  queue(): Promise<QueueRow[]>;
  cancel(jobIds: readonly string[]): Promise<void>;
  /** CPUs of the cluster (or partition): how many one-CPU tasks can run at once. */
  cpus(partition?: string): Promise<number>;
}

export interface SlurmCliOptions {
  /** Folder of the Slurm commands; unset: found on PATH. */
  binDir?: string;
  /** The commands' environment (SLURM_CONF and the like); unset: this process's. */
  env?: NodeJS.ProcessEnv;
}

/** States in which a job may still run its tasks. */
export const LIVE_STATES = new Set([
  'PENDING',
  'CONFIGURING',
  'RUNNING',
  'COMPLETING',
  'SUSPENDED',
  'REQUEUED',
  'REQUEUE_HOLD',
  'REQUEUE_FED',
  'RESIZING',
  'SIGNALING',
  'STAGE_OUT',
  'RESV_DEL_HOLD',
]);

export class SlurmCli implements SlurmClient {
  constructor(private readonly options: SlurmCliOptions = {}) {}

  private run(command: string, args: readonly string[]): Promise<string> {
    const file = this.options.binDir ? join(this.options.binDir, command) : command;
    return new Promise((resolve, reject) => {
      execFile(file, args, { env: this.options.env ?? process.env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const code =
          typeof error.code === 'number' ? error.code : error.code === 'ENOENT' ? 'command not found' : String(error.code ?? error.signal ?? 'error');
        reject(new SlurmCommandError(`${command} ${args.join(' ')}`, code, stderr || error.message));
      });
    });
  }

  async sbatch(args: readonly string[], script: string): Promise<string> {
    const out = (await this.run('sbatch', ['--parsable', ...args, script])).trim();
    // --parsable prints "jobid" or "jobid;cluster".
    const id = out.split(';')[0] ?? '';
    if (!/^\d+$/.test(id)) throw new SlurmCommandError('sbatch', 'no job id', `printed "${out}"`);
    return id;
  }

  async queue(): Promise<QueueRow[]> {
    const out = await this.run('squeue', ['--me', '--states=all', '--array', '--noheader', '--format=%F|%K|%j|%T|%r']);
    const rows: QueueRow[] = [];
    for (const line of out.split('\n')) {
      const [jobId, element, name, state, reason] = line.trim().split('|');
      if (!jobId || !name || !state) continue;
      rows.push({ jobId, element: /^\d+$/.test(element ?? '') ? Number(element) : undefined, name, state, reason: reason ?? '' });
    }
    return rows;
  }

  async cancel(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length) await this.run('scancel', ['--quiet', ...jobIds]);
  }

  async cpus(partition?: string): Promise<number> {
    const out = await this.run('sinfo', ['--noheader', '--format=%C', ...(partition ? ['--partition', partition] : [])]);
    // "allocated/idle/other/total", one line per partition.
    const total = out
      .split('\n')
      .map((l) => Number(l.trim().split('/')[3]))
      .filter((n) => Number.isFinite(n));
    if (!total.length) throw new SlurmCommandError('sinfo', 'unreadable', `printed "${out.trim()}"`);
    return Math.max(...total);
  }
}
