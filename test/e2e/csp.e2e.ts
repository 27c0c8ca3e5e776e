/**
 * The built page under a strict Content Security Policy, exactly the one docs/architecture.md
 * tells a site to send: both demos, reading a NIfTI file (itk-wasm), a filter (itk-wasm again)
 * and the monitor, with no `securitypolicyviolation` anywhere and no CSP message on any console.
 */
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, runDemo } from './browser.ts';
import { APP_PATH } from './paths.ts';
import { serveStatic, type StaticServer } from './static-server.ts';
import { tinyNifti } from './nifti.ts';

export const STRICT_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'";

let server: StaticServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** CSP complaints from the page's console and its workers' consoles. */
const consoleCsp: string[] = [];
const pageErrors: string[] = [];

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  /** The element that was refused, as far as the event tells. */
  where: string;
}

const violations = (): Promise<Violation[]> => page.evaluate(() => (window as unknown as { __csp: Violation[] }).__csp);

beforeAll(async () => {
  server = await serveStatic(inject('dist'), APP_PATH, {}, { 'content-security-policy': STRICT_CSP });
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Before any of the page's own scripts: every violation the document hears (its shadow roots
  // included: the event is composed) is kept.
  await context.addInitScript(() => {
    const seen: { directive: string; blocked: string; sample: string; where: string }[] = [];
    (window as unknown as { __csp: typeof seen }).__csp = seen;
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        const el = e.composedPath()[0];
        const where =
          el instanceof Element ? `<${el.localName} class="${el.className}"> in ${(el.getRootNode() as ShadowRoot).host?.localName ?? 'document'}` : String(el);
        seen.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, where });
      },
      true,
    );
  });
  page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) consoleCsp.push(m.text());
  });
  page.on('worker', (w) =>
    w.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) consoleCsp.push(`worker ${w.url()}: ${m.text()}`);
    }),
  );
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const response = await page.goto(`${server.origin}${APP_PATH}`);
  expect(response?.headers()['content-security-policy']).toBe(STRICT_CSP);
  await page.getByRole('button', { name: 'Run mesh demo' }).waitFor();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('both demos run under the strict CSP', async () => {
  expect(await runDemo(page, 'mesh')).toMatchObject({ done: 50, failed: 0, cancelled: 0 });
  expect(await runDemo(page, 'volume')).toMatchObject({ done: 5, failed: 0, cancelled: 0 });
});

test('a NIfTI file is read (itk-wasm) and filtered (itk-wasm downsample, two factors) under the strict CSP', async () => {
  const app = page.locator('voxpool-app');
  await app.locator('input[type="file"]:not([webkitdirectory])').setInputFiles({ name: 'box.nii', mimeType: 'application/octet-stream', buffer: tinyNifti() });
  await app.locator('.entry label', { hasText: 'box.nii' }).waitFor({ timeout: 60_000 });
  await app.locator('.op-form select').first().selectOption('volume.downsample');
  await app.locator('.op-form button.run-op').click();
  await app.locator('.entry label', { hasText: 'box.nii, downsample' }).nth(1).waitFor({ timeout: 60_000 });
  expect(await app.locator('[role="alert"]').count()).toBe(0);
});

test('the sample head MR loads under the strict CSP, and the page links its icon and manifest', async () => {
  const app = page.locator('voxpool-app');
  await app.getByRole('button', { name: 'Load sample' }).click();
  await app.locator('.entry label', { hasText: /^\s*volume\s+anatomical\.nii\s*$/ }).waitFor({ timeout: 60_000 });
  expect(await app.locator('[role="alert"]').count()).toBe(0);
  const links = await page.evaluate(async () => {
    const manifest = document.querySelector<HTMLLinkElement>('link[rel="manifest"]')!.href;
    const icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]')!.href;
    return { manifest: (await fetch(manifest)).ok, icon: (await fetch(icon)).headers.get('content-type') };
  });
  expect(links.manifest).toBe(true);
  expect(links.icon).toMatch(/image\/svg\+xml/);
});

test('the monitor draws its counts and its timeline (bars placed without style attributes)', async () => {
  const monitor = page.locator('voxpool-monitor').first();
  expect(Number(await monitor.locator('.count[data-state="done"] dd').textContent())).toBeGreaterThanOrEqual(50 + 5 + 1 + 2);
  expect(await monitor.locator('.count[data-state="failed"] dd').textContent()).toBe('0');
  const bars = monitor.locator('.timeline .bar');
  expect(await bars.count()).toBeGreaterThan(10);
  // Placed: each bar has a width of its own, from CSSOM properties a strict CSP allows.
  const widths = await bars.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().width));
  expect(widths.every((w) => w > 0)).toBe(true);
  expect(await bars.evaluateAll((els) => els.filter((el) => el.hasAttribute('style') && el.getAttribute('style') === '').length)).toBe(0);
});

test('zero CSP violations, on the page and in its workers; and the listener does hear one', async () => {
  expect(pageErrors).toEqual([]);
  expect(await violations()).toEqual([]);
  expect(consoleCsp).toEqual([]);
  // The check can fail: an inline style attribute is refused and heard.
  await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
  await expect.poll(async () => (await violations()).map((v) => v.directive), { timeout: 10_000 }).toContain('style-src-attr');
});
