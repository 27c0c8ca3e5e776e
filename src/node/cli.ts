/**
 * The `voxpool` command (package.json `bin`). Exit codes (docs/architecture.md, "The Node runner"):
 *   0  done: every task done (exec: the task done, or done before)
 *   1  ended with failures: some task failed or was skipped (exec: the task failed)
 *   2  bad usage, a bad workflow file, or a run folder that is not one (nothing ran)
 *   3  stopped before the end (cancel, Ctrl-C, SIGTERM): `voxpool resume` goes on
 *   4  the runner itself failed (an engine would not load, the store could not be written)
 *   5  status only: a process is running the run now
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkflowFileError } from '../graph/index.ts';
import { ClusterPlanError, RunBusyError, RunRecordError, type GroupMode } from '../cluster/index.ts';
import { execTask } from './exec.ts';
import { serveExec } from './exec-serve.ts';
import { RunError } from './run-dir.ts';
import { prepareRun, resumeRun, startRun, type RunResult } from './runner.ts';
import { cancelRun, runStatus, type RunStatus } from './status.ts';
import { openRun } from './run-dir.ts';
import { startServe } from './serve.ts';
import { ServeRequestError } from './serve-guard.ts';
import { cancelSlurmRun, followSlurmRun, groupOf, resumeSlurmRun, slurmRunStatus, submitSlurmRun, type SlurmRunSummary } from './slurm-run.ts';

/** `voxpool serve`'s port when none is given. */
export const DEFAULT_PORT = 4181;

export const EXIT = { done: 0, failed: 1, usage: 2, stopped: 3, internal: 4, running: 5 } as const;

const USAGE = `usage:
  voxpool run <workflow.json> [--workers N] [--runs DIR] [--id NAME] [--inputs DIR] [--outputs DIR]
  voxpool run <workflow.json> --executor slurm [--group auto|off|N] [--sbatch-arg ARG]... [--detach] [same options]
                                                   Slurm jobs running voxpool exec, followed until the end
  voxpool prepare <workflow.json> [same options]   store the run's tasks, run nothing (for exec)
  voxpool resume <run-dir> [--workers N] [--failed]  go on where it stopped (--failed: rerun failed tasks too)
  voxpool status <run-dir>
  voxpool cancel <run-dir>
  voxpool exec <run-dir> <task-key>                  run one task of a prepared run in this process
  voxpool serve [--port N] [--host 127.0.0.1] [--runs DIR] [--executor local|slurm] [--workers N] [--page DIR] [--sbatch-arg ARG]...
                                                   the built page on this machine, and an API through which
                                                   it runs a study here or on Slurm (until Ctrl-C)
  voxpool exec <run-dir> --stdin                     run the tasks whose keys come on stdin, one warm worker
                                                   (what a grouped Slurm job runs; replies on fd 3)

  --workers   worker threads (default: os.availableParallelism(), here ${availableParallelism()})
  --runs      folder the run folder is made in (default: ./voxpool-runs)
  --inputs    folder the workflow's input paths are relative to (default: the workflow file's)
  --outputs   folder its output paths are relative to (default: the workflow file's)
  --executor  local (default: worker threads here) or slurm (sbatch on the cluster this shell reaches;
              the run folder must be on a file system the nodes share)
  --sbatch-arg  a flag for every sbatch (--sbatch-arg=--account=x), kept for resume
  --detach    slurm: exit once submitted; status, resume and cancel pick the run up
  --port      serve: the port (default ${DEFAULT_PORT}; 0: any free one)
  --host      serve: the address to listen on (default 127.0.0.1: this machine only)
  --page      serve: the built page's folder (default: the package's site/, which \`npm run build\` makes)
  --executor  serve: offer only this executor (default: local, and slurm when sbatch is on PATH)
  --group     slurm: auto (default) runs each chain of tasks as one job and packs independent
              chains or fan-out instances into array elements, never fewer than the cluster's CPUs;
              N: at most N per element; off: one job per task (an array element per instance)
`;

class UsageError extends Error {}

function workersOf(v: string | undefined): number {
  if (v === undefined) return availableParallelism();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--workers must be a whole number from 1 (got "${v}")`);
  return n;
}

function portOf(v: string | undefined): number {
  if (v === undefined) return DEFAULT_PORT;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535 (got "${v}")`);
  return n;
}

/** The package's built page: site/ at its root (dist/src/node/ is three levels down, src/node/ two). */
function defaultPage(): string {
  const self = fileURLToPath(import.meta.url);
  return join(dirname(self), extname(self) === '.js' ? '../../..' : '../..', 'site');
}

function codeOf(r: RunResult): number {
  const s = r.summary;
  if (s.state === 'done') return EXIT.done;
  if (s.state === 'stopped') return EXIT.stopped;
  return EXIT.failed;
}

function slurmCode(s: SlurmRunSummary): number {
  return s.state === 'done' ? EXIT.done : s.state === 'stopped' ? EXIT.stopped : EXIT.failed;
}

function slurmReport(s: SlurmRunSummary, dir: string, out: NodeJS.WritableStream): void {
  out.write(`${s.state}: ${s.done}/${s.total} done, ${s.failed} failed, ${s.skipped} skipped, ${s.cancelled} cancelled (${dir})\n`);
}

function groupFlag(v: string | undefined): GroupMode {
  const g = groupOf(v);
  if (v !== undefined && g === undefined) throw new UsageError(`--group must be auto, off or a whole number from 1 (got "${v}")`);
  return g ?? 'auto';
}

function executorOf(v: string | undefined): 'local' | 'slurm' {
  if (v === undefined || v === 'local' || v === 'slurm') return v ?? 'local';
  throw new UsageError(`--executor must be local or slurm (got "${v}")`);
}

function report(r: RunResult, out: NodeJS.WritableStream): void {
  const s = r.summary;
  out.write(`${s.state}: ${s.done}/${s.total} done, ${s.failed} failed, ${s.skipped} skipped, ${s.cancelled} cancelled (${r.dir})\n`);
}

export async function main(argv: string[], out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        workers: { type: 'string' },
        runs: { type: 'string' },
        id: { type: 'string' },
        inputs: { type: 'string' },
        outputs: { type: 'string' },
        failed: { type: 'boolean' },
        executor: { type: 'string' },
        'sbatch-arg': { type: 'string', multiple: true },
        detach: { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string' },
        page: { type: 'string' },
        group: { type: 'string' },
        stdin: { type: 'boolean' },
      },
    });
    const one = (what: string): string => {
      if (positionals.length !== 1) throw new UsageError(`${command} takes one ${what}`);
      return positionals[0]!;
    };
    switch (command) {
      case 'run':
      case 'prepare': {
        const options = {
          file: one('workflow file'),
          runs: values.runs ?? 'voxpool-runs',
          workers: workersOf(values.workers),
          out,
          ...(values.id ? { id: values.id } : {}),
          ...(values.inputs ? { inputs: values.inputs } : {}),
          ...(values.outputs ? { outputs: values.outputs } : {}),
        };
        if (command === 'prepare') {
          const run = await prepareRun(options);
          out.write(`${run.dir}\n`);
          return EXIT.done;
        }
        if (executorOf(values.executor) === 'slurm') {
          const group = groupFlag(values.group);
          const run = await prepareRun(options);
          out.write(`run ${run.dir}\n`);
          const submitted = await submitSlurmRun(run, values['sbatch-arg'] ?? [], group);
          out.write(`submitted ${submitted.tasks.length} task(s) to Slurm\n`);
          if (values.detach) return EXIT.done;
          const s = await followSlurmRun(run, run.record.executor!, out, submitted);
          slurmReport(s, run.dir, out);
          return slurmCode(s);
        }
        const r = await startRun(options);
        report(r, out);
        return codeOf(r);
      }
      case 'resume': {
        const run = await openRun(one('run folder'));
        if (run.record.executor?.kind === 'slurm') {
          const resubmitted = await resumeSlurmRun(run, run.record.executor);
          out.write(`resumed: ${resubmitted.counts.done}/${resubmitted.tasks.length} done before, the rest submitted or still queued\n`);
          if (values.detach) return EXIT.done;
          const s = await followSlurmRun(run, run.record.executor, out);
          slurmReport(s, run.dir, out);
          return slurmCode(s);
        }
        const r = await resumeRun(one('run folder'), { workers: workersOf(values.workers), out, failed: values.failed === true });
        report(r, out);
        return codeOf(r);
      }
      case 'status': {
        const run = await openRun(one('run folder'));
        const s: RunStatus = run.record.executor?.kind === 'slurm' ? await slurmRunStatus(run, run.record.executor) : await runStatus(run.dir);
        for (const t of s.tasks) out.write(`${t.key}\t${t.place}${t.message ? `\t${t.message}` : ''}\n`);
        for (const j of s.jobs ?? []) out.write(`job ${j.jobId}: ${j.tasks.join(' ')}\n`);
        const c = s.counts;
        out.write(
          `${s.state}${s.pid ? ` (process ${s.pid})` : ''}: ${c.done}/${s.tasks.length} done, ${c.failed} failed, ${c.skipped} skipped, ${c.waiting + c.queued + c.running} to run (${s.dir})\n`,
        );
        return s.state === 'done' ? EXIT.done : s.state === 'failed' ? EXIT.failed : s.state === 'running' ? EXIT.running : EXIT.stopped;
      }
      case 'cancel': {
        const run = await openRun(one('run folder'));
        if (run.record.executor?.kind === 'slurm') {
          const s = await cancelSlurmRun(run, run.record.executor);
          out.write(`cancelled on Slurm: ${s.counts.cancelled} task(s) cancelled, ${s.counts.done} done; \`voxpool resume\` goes on with it\n`);
          return EXIT.done;
        }
        const stopped = await cancelRun(run.dir);
        out.write(stopped ? 'stopped; `voxpool resume` goes on with it\n' : 'no process is running it\n');
        return EXIT.done;
      }
      case 'exec': {
        if (values.stdin) {
          if (positionals.length !== 1) throw new UsageError('exec --stdin takes a run folder (the task keys come on stdin)');
          await serveExec(positionals[0]!, process.stdin);
          return EXIT.done;
        }
        if (positionals.length !== 2) throw new UsageError('exec takes a run folder and a task key');
        const r = await execTask(positionals[0]!, positionals[1]!);
        out.write(`${r.message}\n`);
        return r.state === 'failed' ? EXIT.failed : EXIT.done;
      }
      case 'serve': {
        if (positionals.length !== 0) throw new UsageError('serve takes no file or folder (use --page and --runs)');
        const server = await startServe({
          port: portOf(values.port),
          host: values.host ?? '127.0.0.1',
          page: resolve(values.page ?? defaultPage()),
          runs: values.runs ?? 'voxpool-runs',
          workers: workersOf(values.workers),
          executor: values.executor === undefined ? null : executorOf(values.executor),
          sbatchArgs: values['sbatch-arg'] ?? [],
        });
        out.write(`voxpool serve: ${server.url}/ (runs in ${resolve(values.runs ?? 'voxpool-runs')}; Ctrl-C stops)\n`);
        await new Promise<void>((done) => {
          process.once('SIGINT', done);
          process.once('SIGTERM', done);
        });
        await server.close();
        return EXIT.done;
      }
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
    }
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`voxpool: ${(e as Error).message}\n${USAGE}`);
      return EXIT.usage;
    }
    if (e instanceof ServeRequestError) {
      process.stderr.write(`voxpool serve: ${e.message}\n`);
      return EXIT.usage;
    }
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`voxpool serve: ${(e as Error).message}: another process holds that port (pick another with --port)\n`);
      return EXIT.usage;
    }
    if (e instanceof WorkflowFileError || e instanceof RunError || e instanceof RunRecordError || e instanceof RunBusyError || e instanceof ClusterPlanError) {
      process.stderr.write(`voxpool: ${e.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`voxpool: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
    return EXIT.internal;
  }
}
