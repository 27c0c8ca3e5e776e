/** Errors of the Slurm executor, each its own class so a caller (the CLI) can map them to exit codes. */
import { VoxpoolError } from '../core/errors.ts';

/** The DAG cannot be run: a duplicate or unknown id, a cycle, an empty command, a bad env name. */
export class ClusterPlanError extends VoxpoolError {
  override name = 'ClusterPlanError';
  constructor(
    readonly taskId: string,
    readonly problem: string,
  ) {
    super(`Task "${taskId}": ${problem}`);
  }
}

/** A Slurm command failed or is missing. `stderr` is what it said. */
export class SlurmCommandError extends VoxpoolError {
  override name = 'SlurmCommandError';
  constructor(
    readonly command: string,
    readonly exitCode: number | string,
    readonly stderr: string,
  ) {
    super(`${command} failed (${typeof exitCode === 'number' ? `exit code ${exitCode}` : exitCode}): ${stderr.trim() || 'no message'}`);
  }
}

/** The run folder has no run record, or one this version cannot read. `file` names it. */
export class RunRecordError extends VoxpoolError {
  override name = 'RunRecordError';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** No task by that id in the run. */
export class UnknownTaskError extends VoxpoolError {
  override name = 'UnknownTaskError';
  constructor(
    readonly runDir: string,
    readonly taskId: string,
  ) {
    super(`Run ${runDir} has no task "${taskId}"`);
  }
}

/** Another process is submitting to (or cancelling) this run. */
export class RunBusyError extends VoxpoolError {
  override name = 'RunBusyError';
  constructor(
    readonly lockFile: string,
    readonly holder: string,
  ) {
    super(`${lockFile}: the run is being changed by ${holder}; wait for it, or remove the file if that process is gone`);
  }
}

/** `wait` on a run some of whose tasks were never submitted, and no submitter is at work: it would wait forever. */
export class RunIncompleteError extends VoxpoolError {
  override name = 'RunIncompleteError';
  constructor(
    readonly runDir: string,
    readonly unsubmitted: string[],
  ) {
    super(
      `Run ${runDir}: ${unsubmitted.length} task(s) were never submitted (${unsubmitted.slice(0, 3).join(', ')}${unsubmitted.length > 3 ? ', ...' : ''}) and no submitter is at work: resume the run`,
    );
  }
}
