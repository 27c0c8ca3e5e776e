/** Workflows: tasks on a pool that depend on tasks, with states, retries, logs, and a store that survives a reload. */
export { Workflow, TaskRef } from './workflow.ts';
export type { WorkflowOptions, AddOptions, Prerequisite, TreeRef, WorkflowSummary } from './workflow.ts';
export type { WorkflowTask } from './task.ts';
export type { TaskPlace, TaskEnding, WorkflowState } from './states.ts';
export { FINAL_PLACES } from './states.ts';
export { ref, isRef } from './refs.ts';
export type { OutputRef, WithRefs } from './refs.ts';
export { addTasks, specRef, isSpawn } from './spawn.ts';
export type { TaskSpec, Spawn, Unspawned } from './spawn.ts';
export type { RetryPolicy } from './retry.ts';
export type { LogLine } from './log.ts';
export { TaskLog } from './log.ts';
export { IdbWorkflowStore, openWorkflowStore } from './store.ts';
export type { WorkflowStore, WorkflowMode, StoredWorkflow, StoredTask, StoredLog, StoredResult, WriteBatch, LoadedWorkflow, Dep } from './store.ts';
export { WorkflowTaskEvent, WorkflowStateEvent, StorageErrorEvent } from './events.ts';
export type { WorkflowTaskChange, WorkflowEventMap } from './events.ts';
export * from './errors.ts';
