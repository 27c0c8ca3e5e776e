/**
 * A WorkflowStore in plain files, for Node: one folder per workflow under `root`,
 *
 *   <id>/state.json           the workflow's record
 *   <id>/tasks/<n>.json       each task's definition and state
 *   <id>/results/<n>.json     each done task's output (buffers of 64 KiB and more as data/*.bin)
 *   <id>/logs/<n>.jsonl       each task's log, one line per record, appended
 *   <id>/data/<name>.bin      the big buffers, raw
 *
 * Plain files rather than SQLite: the folder is what a cluster's jobs share (a Slurm task reads
 * its inputs from it and writes its output into it, from any node, with no database server or
 * file lock that network file systems handle badly), a person can read it with `cat`, and there
 * is no native module to build. Each file is written to a temporary name and renamed, so a
 * record is whole or absent; a batch writes results before the tasks that point at them, so a
 * task stored as done always finds its result. A killed process loses at most its last batch,
 * whose tasks simply run again on resume.
 */
import { appendFile, mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { openAsBlob } from 'node:fs';
import { join } from 'node:path';
import {
  StorageError,
  type LoadedWorkflow,
  type StoredLog,
  type StoredResult,
  type StoredTask,
  type StoredWorkflow,
  type WorkflowStore,
  type WriteBatch,
  asBufferKind,
  bufferKind,
  isViewName,
} from '../graph/index.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

let tmpSeq = 0;

/** Writes `path` whole or not at all. */
async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${tmpSeq++}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StorageError(`${path}: cannot read it as a stored record (${(e as Error).message})`, { cause: e });
  }
}

export class FileWorkflowStore implements WorkflowStore {
  /** Blobs already written, by object: a task record rewritten for each state change does not rewrite its input's data. */
  private readonly written = new WeakMap<Blob, string>();
  private dataSeq = new Map<string, number>();

  constructor(readonly root: string) {}

  /** The folder of workflow `id`. */
  dir(id: string): string {
    if (!/^[\w.-]+$/.test(id)) throw new StorageError(`"${id}" cannot name a folder: a stored workflow's id must be letters, digits, "_", "-" and "."`);
    return join(this.root, id);
  }

  async write(batch: WriteBatch): Promise<void> {
    const id = batch.workflow?.id ?? batch.tasks[0]?.wf ?? batch.results[0]?.wf ?? batch.logs[0]?.wf;
    if (id === undefined) return;
    const dir = this.dir(id);
    try {
      await Promise.all(['tasks', 'results', 'logs', 'data'].map((d) => mkdir(join(dir, d), { recursive: true })));
      for (const n of batch.dropResults) await rm(join(dir, 'results', `${n}.json`), { force: true });
      await Promise.all(
        batch.results.map(async (r) =>
          writeAtomic(join(dir, 'results', `${r.task}.json`), JSON.stringify({ ...r, value: await this.encode(dir, `r${r.task}`, r.value) })),
        ),
      );
      await Promise.all(
        batch.tasks.map(async (t) =>
          writeAtomic(join(dir, 'tasks', `${t.id}.json`), JSON.stringify({ ...t, input: await this.encode(dir, `t${t.id}`, t.input) })),
        ),
      );
      const logs = new Map<number, string>();
      for (const l of batch.logs) logs.set(l.task, (logs.get(l.task) ?? '') + `${JSON.stringify(l)}\n`);
      for (const [task, text] of logs) await appendFile(join(dir, 'logs', `${task}.jsonl`), text);
      if (batch.workflow) await writeAtomic(join(dir, 'state.json'), JSON.stringify(batch.workflow));
    } catch (e) {
      if (e instanceof StorageError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOSPC' ? 'the disk is full' : code === 'EDQUOT' ? 'the disk quota is full' : (e as Error).message;
      throw new StorageError(`Writing workflow "${id}" under ${dir} failed: ${why}`, { cause: e });
    }
  }

  async load(id: string): Promise<LoadedWorkflow | null> {
    const dir = this.dir(id);
    const workflow = (await readJson(join(dir, 'state.json'))) as StoredWorkflow | undefined;
    if (!workflow) return null;
    const records = async (sub: string): Promise<unknown[]> => {
      const names = await readdir(join(dir, sub)).catch(() => [] as string[]);
      return Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => readJson(join(dir, sub, n))));
    };
    const tasks = await Promise.all(((await records('tasks')) as StoredTask[]).map(async (t) => ({ ...t, input: await this.decode(dir, t.input as Json) })));
    const results = await Promise.all(
      ((await records('results')) as StoredResult[]).map(async (r) => ({ ...r, value: await this.decode(dir, r.value as Json) })),
    );
    const logs: StoredLog[] = [];
    for (const name of await readdir(join(dir, 'logs')).catch(() => [] as string[])) {
      const text = await readFile(join(dir, 'logs', name), 'utf8');
      // A line cut short by a kill is the last one: drop it.
      for (const line of text.split('\n')) {
        if (!line) continue;
        try {
          logs.push(JSON.parse(line) as StoredLog);
        } catch {
          break;
        }
      }
    }
    return { workflow, tasks: tasks.filter((t) => t && typeof t.id === 'number'), logs, results: results.filter((r) => r && typeof r.task === 'number') };
  }

  async list(): Promise<StoredWorkflow[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const all = await Promise.all(names.map((n) => readJson(join(this.root, n, 'state.json')).catch(() => undefined)));
    return (all.filter(Boolean) as StoredWorkflow[]).sort((a, b) => a.createdAt - b.createdAt);
  }

  async delete(id: string): Promise<boolean> {
    const dir = this.dir(id);
    const existed = (await readJson(join(dir, 'state.json'))) !== undefined;
    await rm(join(dir, 'state.json'), { force: true });
    for (const d of ['tasks', 'results', 'logs', 'data']) await rm(join(dir, d), { recursive: true, force: true });
    return existed;
  }

  close(): void {}

  /** A stored value (codec.ts's form: small buffers inline, big ones as Blobs) as JSON, big buffers into data/. */
  private async encode(dir: string, prefix: string, value: unknown): Promise<Json> {
    const walk = async (v: unknown, where: string): Promise<Json> => {
      if (v === undefined) return { $undefined: true };
      if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
      // JSON has no -0, NaN or Infinity; String(-0) is "0", so the sign of zero is written out.
      if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : { $number: Object.is(v, -0) ? '-0' : String(v) };
      if (typeof v === 'bigint') return { $bigint: v.toString() };
      if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
        const type = bufferKind(v);
        const bytes = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
        return { $bytes: Buffer.from(bytes).toString('base64'), type };
      }
      if (typeof v === 'object') {
        const blob = (v as { $blob?: unknown }).$blob;
        if (blob instanceof Blob) return { $file: await this.writeBlob(dir, prefix, blob), type: (v as { type: string }).type };
        if (Array.isArray(v)) return Promise.all(v.map((x, i) => walk(x, `${where}[${i}]`)));
        if (Object.getPrototypeOf(v) === Object.prototype) {
          const o: Record<string, Json> = {};
          for (const [k, x] of Object.entries(v)) o[k] = await walk(x, `${where}.${k}`);
          return o;
        }
      }
      throw new StorageError(
        `${where} is a ${Object.prototype.toString.call(v).slice(8, -1)}, which a file store cannot keep (plain values, lists, objects and typed arrays only)`,
      );
    };
    return walk(value, prefix.startsWith('r') ? `result of task ${prefix.slice(1)}` : `input of task ${prefix.slice(1)}`);
  }

  private async writeBlob(dir: string, prefix: string, blob: Blob): Promise<string> {
    const done = this.written.get(blob);
    if (done) return done;
    const seq = this.dataSeq.get(prefix) ?? 0;
    this.dataSeq.set(prefix, seq + 1);
    const name = `${prefix}-${Date.now().toString(36)}-${seq}.bin`;
    await writeAtomic(join(dir, 'data', name), new Uint8Array(await blob.arrayBuffer()));
    this.written.set(blob, name);
    return name;
  }

  private async decode(dir: string, value: Json): Promise<unknown> {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return Promise.all(value.map((x) => this.decode(dir, x)));
    if (value.$undefined === true) return undefined;
    if (typeof value.$number === 'string') return Number(value.$number);
    if (typeof value.$bigint === 'string') return BigInt(value.$bigint);
    if (typeof value.$bytes === 'string' && isViewName(value.type)) {
      const b = Buffer.from(value.$bytes, 'base64');
      const buffer = new Uint8Array(b).slice().buffer;
      return asBufferKind(value.type, buffer);
    }
    if (typeof value.$file === 'string' && isViewName(value.type)) {
      const path = join(dir, 'data', value.$file);
      // Backed by the file: read only when a task needs it (codec.ts's decodeValue).
      const blob = await openAsBlob(path).catch((e: unknown) => {
        throw new StorageError(`${path}: a stored buffer is missing (${(e as Error).message})`, { cause: e });
      });
      this.written.set(blob, value.$file);
      return { $blob: blob, type: value.type };
    }
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) o[k] = await this.decode(dir, x);
    return o;
  }
}

/** Whether a file exists (for outputs already written). */
export async function exists(path: string): Promise<boolean> {
  try {
    await (await open(path, 'r')).close();
    return true;
  } catch {
    return false;
  }
}
