/**
 * One submitter per run at a time: two resumes at once would both submit the same tasks (the
 * exit-0 rule stops a done task from running twice, not a pending one), and a cancel written
 * while a submitter holds its own copy of the record would be overwritten by it. A lock file
 * made with O_EXCL; one left by a dead process of this host is taken over.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunBusyError } from './errors.ts';

export const LOCK_FILE = 'submit.lock';

interface Holder {
  pid: number;
  host: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? { pid: h.pid, host: h.host, since: String(h.since) } : undefined;
  } catch {
    return undefined;
  }
}

/** Whether some process may be submitting to the run: a lock file whose holder lives (or lives on another host, where it can't be checked). */
export function runLockHeld(runDir: string): boolean {
  const file = join(runDir, LOCK_FILE);
  if (!existsSync(file)) return false;
  const holder = readHolder(file);
  return holder === undefined || holder.host !== hostname() || alive(holder.pid);
}

export async function withRunLock<T>(runDir: string, body: () => Promise<T>): Promise<T> {
  const file = join(runDir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readHolder(file);
      const stale = holder !== undefined && holder.host === me.host && !alive(holder.pid);
      if (!stale || attempt > 0)
        throw new RunBusyError(file, holder ? `process ${holder.pid} on ${holder.host} (since ${holder.since})` : 'another process (unreadable lock file)');
      rmSync(file, { force: true });
    }
  }
  try {
    return await body();
  } finally {
    rmSync(file, { force: true });
  }
}
