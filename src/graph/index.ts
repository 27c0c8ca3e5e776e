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
export type { TaskDefinition } from './workflow.ts';
// The workflow file (docs/workflow-format.md): reader, fan-out expansion, adding to a Workflow, writers.
export { WORKFLOW_FORMAT, WORKFLOW_FORMAT_VERSION, WorkflowFileError, parseWorkflowFile, checkWorkflowFile, relativePathProblem } from './file-format.ts';
export type { WorkflowFile, WorkflowFileTask, InputSource, FileSource, TaskSource, RelativePath, ReadOptions } from './file-format.ts';
export { expandWorkflowFile, taskKey, outputPath, prerequisitesOf } from './file-expand.ts';
export type { ExpandedTask, ExpandedSource, ExpandedOutput } from './file-expand.ts';
export { addExpandedTasks, taskInput, fileName } from './file-workflow.ts';
export type { FileBytes, ReadInputFile } from './file-workflow.ts';
export { writeWorkflowFile, fileInput, FileTaskRef, WorkflowFileBuilder, workflowFileOf } from './file-write.ts';
export type { FileTaskOptions, FromWorkflowOptions } from './file-write.ts';
// Values as stored (a store of another kind, such as Node's files, keeps this form).
export { encodeValue, decodeValue, bufferKind, isViewName, asBufferKind, type ViewName } from './codec.ts';
