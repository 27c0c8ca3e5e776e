/**
 * Builds dist/ (the package the CLI runs from: Node 20 cannot run TypeScript, and its workers are
 * the emitted JavaScript) once per run, unless VOXPOOL_NODE_PREBUILT says it is fresh.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (process.env.VOXPOOL_NODE_PREBUILT === '1') return;
  execFileSync(process.execPath, ['build/package.mjs'], { stdio: 'inherit' });
}
