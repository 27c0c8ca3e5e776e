/**
 * The bash script of one job. Each task writes its own stdout, stderr and exit code into the run
 * folder, because a job's own output and exit code belong to the whole group of tasks it runs;
 * a task whose exit file already says 0 is never run again, whoever submits it twice. A task
 * that waits for tasks of the same job (a grouped chain) runs only once their exit files say 0;
 * otherwise it is left without an exit file, which the state reads as skipped. The job's own
 * output gets a line as each task starts and ends, so it reads as the tasks' sequence.
 *
 * An element that runs two or more tasks with the same `serve` command starts that program once,
 * as the script's coprocess, and hands it each of those tasks: one line `request<TAB>out<TAB>err`
 * on its stdin (the files it writes the task's words to), one line back on its file descriptor 3,
 * the exit code (its stdout goes to the job's stderr, so nothing it prints passes for a reply).
 * If it has ended or does not answer, the task runs as its own `command`, as without grouping.
 */
import type { Plan, PlannedJob, PlannedTask } from './plan.ts';

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
    'serve_start() {',
    '  local dir=$1',
    '  shift',
    '  coproc SRV { cd "$dir" && exec "$@" 3>&1 1>&2; }',
    '}',
    'serve_task() {',
    '  local id=$1 key=$2 request=$3 dir=$4 rc="" sent=1',
    '  shift 4',
    '  if done_ok "$key"; then echo "== task $id: done before, not run again"; return 0; fi',
    '  echo "== task $id: started $(date +%T) in the job\'s warm process (log $S/$key.out, .err)"',
    '  : > "$S/$key.start"',
    '  : > "$S/$key.out"',
    '  : > "$S/$key.err"',
    // A write to a coprocess that has ended must fail, not kill the script with SIGPIPE.
    '  if [ -n "${SRV_PID:-}" ]; then trap "" PIPE; printf \'%s\\t%s\\t%s\\n\' "$request" "$S/$key.out" "$S/$key.err" >&"${SRV[1]:-}"; sent=$?; trap - PIPE; fi',
    '  if [ "$sent" = 0 ] && [ -n "${SRV_PID:-}" ]; then IFS= read -r rc <&"${SRV[0]:-}" || rc=""; fi',
    '  if ! [[ "$rc" =~ ^[0-9]+$ ]]; then',
    '    echo "== task $id: the warm process is gone; run on its own"',
    '    ( cd "$dir" && exec "$@" ) > "$S/$key.out" 2> "$S/$key.err"',
    '    rc=$?',
    '  fi',
    '  printf \'%s\\n\' "$rc" > "$S/$key.exit.tmp" && mv -f "$S/$key.exit.tmp" "$S/$key.exit"',
    '  echo "== task $id: exit $rc $(date +%T)"',
    '  return $rc',
    '}',
    'serve_stop() {',
    // Bash unsets SRV and SRV_PID once the coprocess has ended: both checked, as set -u would abort on them.
    '  if [ -n "${SRV_PID:-}" ] && [ -n "${SRV[1]:-}" ]; then local pid=$SRV_PID; eval "exec ${SRV[1]}>&-"; wait "$pid" 2>/dev/null; fi',
    '  return 0',
    '}',
    'rc=0',
    'case "${SLURM_ARRAY_TASK_ID:-0}" in',
  ];
  const inJob = new Set(job.elements.flat());
  const serveKey = (t: PlannedTask): string | undefined => (t.serve ? JSON.stringify(t.serve.command) : undefined);
  job.elements.forEach((ids, element) => {
    lines.push(`${element})`);
    // The warm program: the first task's serve command, when two or more of the element's tasks share it.
    const first = ids.map((id) => byId.get(id)!).find((t) => t.serve);
    const warm = first && ids.filter((id) => serveKey(byId.get(id)!) === serveKey(first)).length >= 2 ? first : undefined;
    if (warm) lines.push(`  serve_start ${shellQuote(warm.cwd)} ${warm.serve!.command.map(shellQuote).join(' ')}`);
    for (const id of ids) {
      const task = byId.get(id)!;
      const env = Object.entries(task.env).map(([name, value]) => shellQuote(`${name}=${value}`));
      const argv = [...(env.length ? ['env', '--'] : []), ...env, ...task.command.map(shellQuote)];
      // Independent tasks of one element don't stop each other: a failure only marks the element.
      const run =
        warm && serveKey(task) === serveKey(warm)
          ? `serve_task ${shellQuote(task.id)} ${shellQuote(task.key)} ${shellQuote(task.serve!.request)} ${shellQuote(task.cwd)} ${argv.join(' ')} || rc=1`
          : `run_task ${shellQuote(task.id)} ${shellQuote(task.key)} ${shellQuote(task.cwd)} ${argv.join(' ')} || rc=1`;
      const needs = task.after.filter((p) => inJob.has(p)).map((p) => byId.get(p)!);
      if (needs.length === 0) lines.push(`  ${run}`);
      else
        lines.push(
          `  if ${needs.map((p) => `done_ok ${shellQuote(p.key)}`).join(' && ')}; then ${run}; else echo ${shellQuote(`== task ${task.id}: not run, a prerequisite in this job did not succeed`)}; rc=1; fi`,
        );
    }
    if (warm) lines.push('  serve_stop');
    lines.push('  ;;');
  });
  lines.push('*) echo "no element $SLURM_ARRAY_TASK_ID in this job" >&2; exit 2 ;;', 'esac', 'exit $rc', '');
  return lines.join('\n');
}
