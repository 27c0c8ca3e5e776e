/**
 * `voxpool exec <run-dir> --stdin`: runs task after task of a prepared run in one process, on one
 * warm worker thread, for a Slurm job that runs a group of tasks (src/cluster/script.ts starts it
 * as the job's coprocess). A new process per task pays Node's start, the worker's and the engines'
 * cold load each time (about 0.5 s a task on the test cluster); this pays them once per job.
 *
 * Protocol, one line per task on stdin: `<task key>\t<stdout file>\t<stderr file>`. The task's
 * words (what `voxpool exec <run> <key>` would print) go to those files; its exit code (0 done,
 * 1 failed, 2 refused, 4 internal error, as exec's) is the reply, one line on file descriptor 3,
 * so nothing an op prints can be read as a reply. Ends at the end of stdin.
 */
import { appendFileSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { execTask } from './exec.ts';
import { createNodePool } from './pool.ts';
import { RunError } from './run-dir.ts';

export const REPLY_FD = 3;

export async function serveExec(dir: string, input: Readable, reply: (line: string) => void = (l) => void writeSync(REPLY_FD, `${l}\n`)): Promise<void> {
  const pool = createNodePool({ size: 1 });
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      const [key = '', out = '', err = ''] = line.split('\t');
      let code: number;
      try {
        const r = await execTask(dir, key, pool);
        if (out) appendFileSync(out, `${r.message}\n`);
        code = r.state === 'failed' ? 1 : 0;
      } catch (e) {
        const refused = e instanceof RunError;
        if (err) appendFileSync(err, `voxpool: ${refused ? (e as Error).message : e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
        code = refused ? 2 : 4;
      }
      reply(String(code));
    }
  } finally {
    pool.terminate();
  }
}
