/**
 * The run record: the plan and every sbatch made for it, in one JSON file in the run folder,
 * rewritten whole (temp file, then rename) after each submission so a reader never sees half of it.
 * With the tasks' exit files beside it, it is all `status` and `resume` need after the submitting
 * process is gone.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunRecordError } from './errors.ts';
import type { Plan } from './plan.ts';

export const RECORD_FILE = 'slurm-run.json';
const FORMAT = 'voxpool-slurm-run';
const VERSION = 1;

export interface Submission {
  /** The plan's job index. */
  job: number;
  jobId: string;
  /** The array elements (or [0] for a plain job) this submission runs. */
  elements: number[];
  submittedAt: string;
  /** Found in squeue under this run's job name but missing here: its submitter died before writing it down. */
  adopted?: boolean;
  /** `cancel` scancelled it. */
  cancelled?: boolean;
}

export interface RunRecord {
  format: typeof FORMAT;
  version: typeof VERSION;
  runId: string;
  createdAt: string;
  plan: Plan;
  submissions: Submission[];
  /** Set by `cancel`, cleared by `resume`: tasks never submitted count as cancelled meanwhile. */
  cancelled?: boolean;
}

export const taskDir = (runDir: string): string => join(runDir, 'tasks');
export const jobDir = (runDir: string): string => join(runDir, 'jobs');
export const jobName = (record: Pick<RunRecord, 'runId'>, job: number): string => `vp.${record.runId}.${job}`;

export function newRecord(runId: string, plan: Plan): RunRecord {
  return { format: FORMAT, version: VERSION, runId, createdAt: new Date().toISOString(), plan, submissions: [] };
}

export function readRecord(runDir: string): RunRecord {
  const file = join(runDir, RECORD_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RunRecordError(file, code === 'ENOENT' ? 'there is no Slurm run record here (is this the run folder?)' : `cannot be read (${code ?? String(e)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RunRecordError(file, `is not valid JSON (${(e as Error).message}): the file is damaged`);
  }
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== FORMAT)
    throw new RunRecordError(file, `is not a voxpool Slurm run record (no "format": "${FORMAT}")`);
  const version = (value as { version?: unknown }).version;
  if (version !== VERSION) throw new RunRecordError(file, `is a run record of version ${String(version)}; this voxpool reads version ${VERSION}`);
  const record = value as RunRecord;
  if (typeof record.runId !== 'string' || !Array.isArray(record.submissions) || !Array.isArray(record.plan?.tasks) || !Array.isArray(record.plan?.jobs))
    throw new RunRecordError(file, 'lacks its run id, plan or submissions: the file is damaged');
  return record;
}

export function writeRecord(runDir: string, record: RunRecord): void {
  const file = join(runDir, RECORD_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(record, null, 1));
  renameSync(temp, file);
}
