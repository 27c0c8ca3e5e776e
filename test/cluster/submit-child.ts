/**
 * A submitting process for the kill test: submits a DAG with the real Slurm commands, but after
 * the n-th sbatch has returned its job id (and before the run record has it) it says "paused <id>"
 * and waits to be killed. Bundled by the test with rolldown (Node 20 runs no .ts).
 */
import { readFileSync } from 'node:fs';
import { SlurmCli, SlurmExecutor, type ClusterDag, type SlurmClient } from '../../src/cluster/index.ts';

const [runDir, dagFile, pauseAfter] = process.argv.slice(2);
const real = new SlurmCli();
let calls = 0;
const pausing: SlurmClient = {
  queue: () => real.queue(),
  cancel: (ids) => real.cancel(ids),
  cpus: (partition) => real.cpus(partition),
  async sbatch(args, script) {
    const id = await real.sbatch(args, script);
    if (++calls === Number(pauseAfter)) {
      process.stdout.write(`paused ${id}\n`);
      setInterval(() => {}, 1 << 30);
      await new Promise<never>(() => {});
    }
    return id;
  },
};
const dag = JSON.parse(readFileSync(dagFile!, 'utf8')) as ClusterDag;
await new SlurmExecutor({ slurm: pausing }).submit(dag, runDir!);
process.stdout.write('submitted\n');
