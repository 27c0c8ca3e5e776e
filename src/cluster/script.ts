/**
 * The bash script of one job. Each task writes its own stdout, stderr and exit code into the run
 * folder, because a job's own output and exit code belong to the whole group of tasks it runs;
 * a task whose exit file already says 0 is never run again, whoever submits it twice. A task
 * that waits for tasks of the same job (a grouped chain) runs only once their exit files say 0;
 * otherwise it is left without an exit file, which the state reads as skipped. The job's own
 * output gets a line as each task starts and ends, so it reads as the tasks' sequence.
 */
import type { Plan, PlannedJob } from './plan.ts';

/** One argument quoted for bash: single quotes, with each `'` closed, escaped and reopened. */
export function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function renderJobScript(plan: Plan, job: PlannedJob, taskDir: string, title: string): string {
  const byId = new Map(plan.tasks.map((t) => [t.id, t]));
  const lines = [
    '#!/bin/bash',
    `# ${title.replaceAll('\n', ' ')}`,
    'set -u',
    `S=${shellQuote(taskDir)}`,
    'done_ok() { [ -f "$S/$1.exit" ] && [ "$(cat "$S/$1.exit")" = 0 ]; }',
    'run_task() {',
    '  local id=$1 key=$2 dir=$3 rc',
    '  shift 3',
    '  if done_ok "$key"; then echo "== task $id: done before, not run again"; return 0; fi',
    '  echo "== task $id: started $(date +%T) (log $S/$key.out, .err)"',
    '  : > "$S/$key.start"',
    '  ( cd "$dir" && exec "$@" ) > "$S/$key.out" 2> "$S/$key.err"',
    '  rc=$?',
    '  printf \'%s\\n\' "$rc" > "$S/$key.exit.tmp" && mv -f "$S/$key.exit.tmp" "$S/$key.exit"',
    '  echo "== task $id: exit $rc $(date +%T)"',
    '  return $rc',
    '}',
    'rc=0',
    'case "${SLURM_ARRAY_TASK_ID:-0}" in',
  ];
  const inJob = new Set(job.elements.flat());
  job.elements.forEach((ids, element) => {
    lines.push(`${element})`);
    for (const id of ids) {
      const task = byId.get(id)!;
      const env = Object.entries(task.env).map(([name, value]) => shellQuote(`${name}=${value}`));
      const argv = [...(env.length ? ['env', '--'] : []), ...env, ...task.command.map(shellQuote)];
      // Independent tasks of one element don't stop each other: a failure only marks the element.
      const run = `run_task ${shellQuote(task.id)} ${shellQuote(task.key)} ${shellQuote(task.cwd)} ${argv.join(' ')} || rc=1`;
      const needs = task.after.filter((p) => inJob.has(p)).map((p) => byId.get(p)!);
      if (needs.length === 0) lines.push(`  ${run}`);
      else
        lines.push(
          `  if ${needs.map((p) => `done_ok ${shellQuote(p.key)}`).join(' && ')}; then ${run}; else echo ${shellQuote(`== task ${task.id}: not run, a prerequisite in this job did not succeed`)}; rc=1; fi`,
        );
    }
    lines.push('  ;;');
  });
  lines.push('*) echo "no element $SLURM_ARRAY_TASK_ID in this job" >&2; exit 2 ;;', 'esac', 'exit $rc', '');
  return lines.join('\n');
}
