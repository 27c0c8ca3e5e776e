/**
 * A stored workflow's tasks as they were: finished tasks keep their results and their ends,
 * interrupted ones (queued, running, saving when the page went) wait to run again. What
 * `Workflow.load` hands to the Workflow's constructor.
 */
import { CancelledError, InputError, TaskFailedError, TimeoutError, WorkerCrashedError } from '../core/errors.ts';
import { SkippedError } from './errors.ts';
import { collectRefs } from './refs.ts';
import { FINAL_PLACES, type TaskEnding, type WorkflowState } from './states.ts';
import type { LoadedWorkflow, StoredLog, StoredTask, StoredWorkflow } from './store.ts';
import { Node } from './task.ts';

export interface RestoredTask {
  node: Node;
  /** Its place differs from its stored record's: the record is written again. */
  stale: boolean;
  /** The sequence number its next log line is stored under. */
  logSeq: number;
}

export interface RestoredWorkflow {
  workflow: StoredWorkflow;
  /** In id order. */
  tasks: RestoredTask[];
  /** Its state when loaded: an ended state as stored, anything else (interrupted) idle. */
  state: WorkflowState;
}

export function restoreWorkflow(data: LoadedWorkflow): RestoredWorkflow {
  const w = data.workflow;
  const results = new Map(data.results.map((r) => [r.task, r.value]));
  const logs = new Map<number, StoredLog[]>();
  for (const l of data.logs) {
    let list = logs.get(l.task);
    if (!list) logs.set(l.task, (list = []));
    list.push(l);
  }
  const tasks = data.tasks.sort((a, b) => a.id - b.id).map((t) => restoreTask(t, results, logs.get(t.id) ?? []));
  const state = w.state === 'done' || w.state === 'failed' || w.state === 'stopped' ? w.state : 'idle';
  return { workflow: w, tasks, state };
}

function restoreTask(t: StoredTask, results: Map<number, unknown>, logs: StoredLog[]): RestoredTask {
  const n = new Node({
    id: t.id,
    op: t.op,
    label: t.label,
    input: t.input,
    storedInput: t.input,
    refs: collectRefs(t.input),
    after: t.after,
    parent: t.parent,
    retry: t.retry ?? undefined,
    keep: t.keep,
    priority: t.priority,
    timeout: t.timeout,
    queuedAt: t.queuedAt,
  });
  n.attempts = t.attempts;
  n.retries = { ...t.retries };
  // A result is stored only for a task that finished (in the write that made it 'done' for
  // the page), so a stored result means done even if the record's own update was lost.
  if (results.has(t.id)) {
    n.place = 'done';
    n.ending = { kind: 'finished' };
    n.storedOutput = results.get(t.id);
    n.hasStoredOutput = true;
    n.consumedRefs = true;
    n.setTimes(t.startedAt, t.endedAt, t.workerId);
  } else if (FINAL_PLACES.has(t.place) && t.place !== 'done') {
    n.place = t.place;
    n.ending = t.ending;
    n.error = restoredError(t, t.ending);
    n.stopping = t.ending?.kind === 'cancelled' && t.ending.by === 'stop';
    n.consumedRefs = true;
    n.setTimes(t.startedAt, t.endedAt, t.workerId);
    n.closeLog();
  }
  const lines = logs.sort((a, b) => a.seq - b.seq);
  for (const l of lines) n.log.lines.push({ stream: l.stream, text: l.text, at: l.at, attempt: l.attempt });
  if (n.place === 'done') n.closeLog();
  return { node: n, stale: n.place !== t.place, logSeq: lines.length ? lines[lines.length - 1]!.seq + 1 : 0 };
}

/** An error object for a task that ended before the reload, from its stored ending. */
function restoredError(t: StoredTask, ending: TaskEnding | null): Error {
  switch (ending?.kind) {
    case 'error':
      return ending.name === 'InputError' ? new InputError(t.op, ending.message) : new TaskFailedError(t.op, { name: ending.name, message: ending.message });
    case 'timeout':
      return new TimeoutError(t.timeout ?? 0);
    case 'crashed':
      return new WorkerCrashedError(t.workerId ?? 0, 'exit', ending.message, t.attempts);
    case 'skipped':
      return new SkippedError(t.id, ending.because, 'did not finish');
    default:
      return new CancelledError(ending && 'message' in ending ? ending.message : 'Task was cancelled');
  }
}
