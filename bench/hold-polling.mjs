/**
 * "Held polling": one busy loop per vCPU at SCHED_IDLE priority (`chrt --idle 0`), so no vCPU
 * ever halts while the benchmark waits between messages. On a VM a halted vCPU is woken by the
 * host (an IPI and a reschedule there), which costs a message round trip tens of µs; a vCPU that
 * spins is interrupted at once. SCHED_IDLE runs only on time no other thread wants: the loops
 * take nothing from the measured threads (or from anyone else on a shared machine) but that time.
 * Returns a function that stops them.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';

export function holdPolling(n = os.availableParallelism()) {
  const loops = Array.from({ length: n }, () => spawn('chrt', ['--idle', '0', process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' }));
  const stop = () => {
    for (const p of loops) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    process.off('exit', stop);
  };
  // Never left spinning behind a benchmark that crashed.
  process.on('exit', stop);
  return stop;
}
