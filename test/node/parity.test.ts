/**
 * Node and the browser give identical outputs for the Slicer demo's five smooths: the workflow
 * file runs through the built `voxpool run` (worker threads), the same ops run in Chromium
 * (test/parity/node-smooths.test.ts, started here through Vitest's browser mode), and the NIfTI
 * files each writes are compared by SHA-256, byte for byte.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { readJson, scratch, smoothWorkflow, voxpoolDone } from './cli-support.ts';

const FACTORS = [0, 5, 10, 15, 20];
const BROWSER_OUT = resolve('test-results/parity/browser-smooths.json');

function browserRun(): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.config.ts', 'test/parity/node-smooths.test.ts'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => done({ code, output }));
  });
}

it('Node and Chromium write byte-identical NIfTI files for the five smooths', { timeout: 600_000 }, async () => {
  await rm(BROWSER_OUT, { force: true });
  const dir = await scratch(smoothWorkflow('slicer-volume-demo', undefined, FACTORS, 'smooth-rf{radiusFactor}.nii'));
  const [node, browser] = await Promise.all([voxpoolDone(['run', 'workflow.json', '--workers', '2'], dir), browserRun()]);
  expect(node.code, node.stderr).toBe(0);
  expect(browser.code, browser.output).toBe(0);
  const nodeHashes: Record<string, string> = {};
  for (const rf of FACTORS) {
    const bytes = await readFile(join(dir, `smooth-rf${rf}.nii`));
    expect(bytes.byteLength).toBe(352 + 256 * 256 * 130 * 2);
    nodeHashes[String(rf)] = createHash('sha256').update(bytes).digest('hex');
  }
  const fromBrowser = await readJson<{ smooths: Record<string, string> }>(BROWSER_OUT);
  expect(fromBrowser.smooths).toEqual(nodeHashes);
});
