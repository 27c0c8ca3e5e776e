/**
 * A real single-node Slurm for the tests: munged, slurmctld and slurmd from Debian's packages,
 * started as root with every file (key, socket, state, spool, logs, slurm.conf) under one scratch
 * folder and ports of their own, and stopped by their PIDs (recipe: ../../../shared/STACK.md, Slurm).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

export interface TestCluster {
  dir: string;
  /** process.env plus SLURM_CONF: what the Slurm commands need to reach this cluster. */
  env: NodeJS.ProcessEnv;
  cpus: number;
  /** The daemons' logs, for a failing test's message. */
  logs(): string;
  /**
   * What the cluster is doing: its queue, its node's state (and the reason, if drained) and the
   * daemons' last log lines. The cluster's folder goes when it stops, so a test that hangs leaves
   * no other trace.
   */
  state(): Promise<string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(command, args, { env }, (error, stdout, stderr) => (error ? reject(new Error(`${command}: ${stderr || error.message}`)) : resolve(stdout))),
  );
}

/** Polls `check` until it returns true; the daemons give no other signal that they are ready. */
async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, detail: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    if (Date.now() > end) throw new Error(`${what} did not happen within ${timeoutMs} ms\n${detail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function daemon(command: string, args: string[], env: NodeJS.ProcessEnv, log: string): ChildProcess {
  const out = openSync(log, 'a');
  const child = spawn(which(command) ?? command, args, { env, stdio: ['ignore', out, out] });
  child.on('error', () => {});
  return child;
}

async function stopDaemon(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

const NEEDED = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scancel', 'sinfo'];

/** Where a command lives: PATH, then the sbin folders a non-login root shell may lack. */
function which(command: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(':')
    .concat(['/usr/sbin', '/sbin'])
    .filter(Boolean)
    .map((d) => join(d, command))
    .find((f) => existsSync(f));
}

/** Says in words what is missing, instead of a spawn ENOENT or a daemon that silently refuses a non-root user. */
function checkCanStart(): void {
  if (process.getuid?.() !== 0) throw new Error('The Slurm tests start munged, slurmctld and slurmd as root: run them as root (CI does).');
  const missing = NEEDED.filter((c) => !which(c));
  if (missing.length)
    throw new Error(
      `The Slurm tests need ${missing.join(', ')}: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge (.ci/run does this).`,
    );
}

export async function startSlurm(): Promise<TestCluster> {
  checkCanStart();
  const dir = mkdtempSync(join(tmpdir(), 'voxpool-slurm-'));
  // munged refuses a socket whose folder's parents others cannot traverse.
  chmodSync(dir, 0o755);
  for (const sub of ['sock', 'state', 'spool']) mkdirSync(join(dir, sub), { mode: 0o755 });
  const key = join(dir, 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  const socket = join(dir, 'sock', 'munge.socket.2');
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const cpus = availableParallelism();
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=voxpooltest',
      'SlurmctldHost=localhost',
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${dPort}`,
      'SlurmUser=root',
      'AuthType=auth/munge',
      `AuthInfo=socket=${socket}`,
      'CredType=cred/munge',
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/linux',
      'SchedulerType=sched/backfill',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'MpiDefault=none',
      'ReturnToService=2',
      // Without these a job array starts in waves seconds apart.
      'SchedulerParameters=bf_interval=1,batch_sched_delay=0,sched_min_interval=0',
      // A cancelled task's processes get SIGKILL 2 s after SIGTERM, not 30.
      'KillWait=2',
      `NodeName=localhost CPUs=${cpus} RealMemory=1000 State=UNKNOWN`,
      'PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const logs = (): string =>
    ['munged.log', 'slurmctld.log', 'slurmd.log', 'daemons.log']
      .map((f) => join(dir, f))
      .filter((f) => existsSync(f))
      .map((f) => `--- ${f}\n${readFileSync(f, 'utf8').split('\n').slice(-30).join('\n')}`)
      .join('\n');
  const state = async (): Promise<string> => {
    const ask = (command: string, args: string[]) => run(command, args, env).catch((e: unknown) => String(e));
    const queue = await ask('squeue', ['--all', '--noheader', '--format=%i %j %T %r %M']);
    const node = await ask('sinfo', ['--noheader', '--format=%T %E']);
    return `--- squeue (id name state reason time)\n${queue}--- sinfo (state reason)\n${node}${logs()}`;
  };
  const daemonsLog = join(dir, 'daemons.log');
  const started: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    // slurmd leaves running jobs' slurmstepd behind: cancel them first, on this cluster only.
    await run('scancel', ['--quiet', '--user=root'], env).catch(() => {});
    for (const child of started.reverse()) await stopDaemon(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    started.push(
      daemon(
        'munged',
        [
          '--foreground',
          `--key-file=${key}`,
          `--socket=${socket}`,
          `--pid-file=${join(dir, 'munged.pid')}`,
          `--log-file=${join(dir, 'munged.log')}`,
          `--seed-file=${join(dir, 'munged.seed')}`,
        ],
        env,
        daemonsLog,
      ),
    );
    await until('munged socket', () => existsSync(socket), 15_000, logs);
    started.push(daemon('slurmctld', ['-D', '-f', conf], env, daemonsLog));
    started.push(daemon('slurmd', ['-D', '-N', 'localhost', '-f', conf], env, daemonsLog));
    await until('node idle', async () => (await run('sinfo', ['--noheader', '--format=%T'], env)).trim() === 'idle', 30_000, logs);
  } catch (e) {
    await stop();
    throw e;
  }
  return { dir, env, cpus, logs, state, stop };
}

/**
 * Registers, for the test file calling it, a hook that prints what `cluster()` was doing when a
 * test failed (a timeout included): the queue, the node and the daemons' logs.
 */
export function reportClusterOnFailure(cluster: () => TestCluster | undefined): void {
  afterEach(async ({ task }) => {
    const c = cluster();
    if (task.result?.state === 'fail' && c) console.error(`"${task.name}" failed; the test cluster then:\n${await c.state()}`);
  });
}
