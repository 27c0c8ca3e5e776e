/**
 * The bash script of one job. Each task writes its own stdout, stderr and exit code into the run
 * folder, because a job's own output and exit code belong to the whole group of tasks it runs;
 * a task whose exit file already says 0 is never run again, whoever submits it twice.
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
    'run_task() {',
    '  local key=$1 dir=$2 rc',
    '  shift 2',
    '  if [ -f "$S/$key.exit" ] && [ "$(cat "$S/$key.exit")" = 0 ]; then return 0; fi',
    '  : > "$S/$key.start"',
    '  ( cd "$dir" && exec "$@" ) > "$S/$key.out" 2> "$S/$key.err"',
    '  rc=$?',
    '  printf \'%s\\n\' "$rc" > "$S/$key.exit.tmp" && mv -f "$S/$key.exit.tmp" "$S/$key.exit"',
    '  return $rc',
    '}',
    'rc=0',
    'case "${SLURM_ARRAY_TASK_ID:-0}" in',
  ];
  job.elements.forEach((ids, element) => {
    lines.push(`${element})`);
    for (const id of ids) {
      const task = byId.get(id)!;
      const env = Object.entries(task.env).map(([name, value]) => shellQuote(`${name}=${value}`));
      const argv = [...(env.length ? ['env', '--'] : []), ...env, ...task.command.map(shellQuote)];
      // Items of one element are independent: a failure doesn't stop the next one, only marks the element.
      lines.push(`  run_task ${shellQuote(task.key)} ${shellQuote(task.cwd)} ${argv.join(' ')} || rc=1`);
    }
    lines.push('  ;;');
  });
  lines.push('*) echo "no element $SLURM_ARRAY_TASK_ID in this job" >&2; exit 2 ;;', 'esac', 'exit $rc', '');
  return lines.join('\n');
}
