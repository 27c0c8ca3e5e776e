/**
 * Whether a long task should be cut so that the workers end together, and into what shares: the
 * pool's forecast of the work left (how long each busy worker is still taken, and the queued
 * tasks), spread as water fills a row of basins of different depths. Pure: src/pool/pool.ts
 * gathers the forecasts, the splitter cuts by the shares.
 */

/**
 * The least part of a task's time a cut must save on the worker taking it (the slabs' copies and
 * halos cost a few percent): below this the task runs whole.
 */
export const MIN_GAIN = 0.05;

/**
 * Shares of the task (in ms of it, in the order the parts should be taken: the first by the idle
 * worker it is going to now, the others by the next workers to free up) that would let every
 * worker end about together; null when the task should run whole.
 *
 * @param taskMs forecast of the task, whole
 * @param restMs forecasts of the tasks queued behind it
 * @param othersBusyMs for each other worker, how long it is still taken (0: idle now)
 */
export function balanceShares(taskMs: number, restMs: readonly number[], othersBusyMs: readonly number[]): number[] | null {
  if (!(taskMs > 0) || othersBusyMs.length === 0) return null;
  let work = taskMs;
  for (const ms of restMs) work += ms;
  const level = waterLevel([0, ...othersBusyMs], work);
  // The worker taking it now would end at the level with its share; whole it ends later.
  if (taskMs - level < MIN_GAIN * taskMs) return null;
  const helpers = othersBusyMs.filter((busy) => busy < level).length;
  if (helpers === 0) return null;
  const left = (taskMs - level) / helpers;
  return [level, ...Array.from({ length: helpers }, () => left)];
}

/**
 * The end time L at which `work` spread over lanes already busy until `busy` fills them all:
 * the L with sum over lanes of max(0, L - busy) = work.
 */
export function waterLevel(busy: readonly number[], work: number): number {
  const sorted = [...busy].sort((a, b) => a - b);
  let filled = 0;
  for (let m = 1; m <= sorted.length; m++) {
    filled += sorted[m - 1]!;
    const level = (work + filled) / m;
    if (m === sorted.length || level <= sorted[m]!) return level;
  }
  return work; // no lanes: unreachable from balanceShares
}
