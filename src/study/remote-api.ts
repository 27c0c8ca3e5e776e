/**
 * The same-origin HTTP API of `voxpool serve` (src/node/serve*.ts), as the page (src/ui/study-remote.ts)
 * and the server both see it: routes under `api/`, and the JSON each answers. Types only, and
 * the route names: the page stays serverless, this is what it talks to when a server is there.
 *
 *   GET  api/capabilities                 -> Capabilities
 *   POST api/runs  { workflow, executor } -> CreatedRun (the input paths the page must upload)
 *   PUT  api/runs/<id>/inputs/<path>      <- the file's bytes (only paths the workflow reads)
 *   POST api/runs/<id>/start              -> RemoteRunStatus
 *   GET  api/runs/<id>                    -> RemoteRunStatus (per task state; poll it)
 *   POST api/runs/<id>/cancel             -> RemoteRunStatus
 *   GET  api/runs/<id>/outputs            -> RemoteOutputs
 *   GET  api/runs/<id>/outputs/<path>     -> the file's bytes
 *
 * Every refusal is a status with an ApiError body: 400 (a bad request, a bad workflow file or
 * path), 403 (a request from another site), 404, 409 (not in a state that allows it).
 */

/** What the `server` field of the capabilities says: how the page knows it is served by voxpool. */
export const SERVE_MARK = 'voxpool serve';
export const API_VERSION = 1;

export type RemoteExecutor = 'local' | 'slurm';

export interface Capabilities {
  server: typeof SERVE_MARK;
  api: typeof API_VERSION;
  /** The executors a run may ask for, in the order offered. */
  executors: RemoteExecutor[];
  /** Worker threads of a local run. */
  workers: number;
  /** Whether each Slurm command was found on the server's PATH. */
  slurm: { sbatch: boolean; squeue: boolean; scancel: boolean };
}

export interface CreateRunRequest {
  /** The workflow file's text (docs/workflow-format.md), as the study panel exports it. */
  workflow: string;
  executor: RemoteExecutor;
}

export interface CreatedRun {
  id: string;
  /** The input files the workflow reads, by their paths in the dataset folder: upload each. */
  inputs: string[];
}

export type RemoteTaskPlace = 'waiting' | 'queued' | 'running' | 'saving' | 'done' | 'failed' | 'cancelled' | 'skipped';

export interface RemoteRunStatus {
  id: string;
  executor: RemoteExecutor;
  /**
   * uploading: inputs still awaited; starting: the runner is preparing the run; running; and the
   * ends: done, failed (some task failed or was skipped), stopped (cancelled), error (the runner
   * could not run it: `message` says why).
   */
  state: 'uploading' | 'starting' | 'running' | 'done' | 'failed' | 'stopped' | 'error';
  /** True once nothing will change any more. */
  finished: boolean;
  /** Per task of the workflow file, by its key, in file order. */
  tasks: { key: string; place: RemoteTaskPlace; message: string }[];
  message: string;
}

export interface RemoteOutputs {
  /** Relative to the run's output folder, `/`-separated. */
  files: { path: string; size: number }[];
}

export interface ApiError {
  /** The error class's name (CrossOriginError, UnsafePathError, WorkflowFileError, ...). */
  error: string;
  message: string;
}

export const API_PREFIX = 'api/';
