/** Debian's Chromium through playwright-core, with the flags these machines need. */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath } from '../../chromium.config.mjs';

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/** Every URL the context asks for (pages, workers, the service worker), to check the origin. */
export function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (r) => urls.push(r.url()));
  return urls;
}

export function offOrigin(urls: readonly string[], origin: string): string[] {
  return urls.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
}

export interface Tally {
  done: number;
  failed: number;
  cancelled: number;
  text: string;
}

/** Clicks a demo's button and waits for its tally to say it finished. */
export async function runDemo(page: Page, demo: 'mesh' | 'volume', timeout = 120_000): Promise<Tally> {
  await page.getByRole('button', { name: `Run ${demo} demo` }).click();
  return demoResult(page, demo, timeout);
}

export async function demoResult(page: Page, demo: 'mesh' | 'volume', timeout = 120_000): Promise<Tally> {
  const status = page.locator(`output.demo-status[data-demo="${demo}"]:is([data-finished="yes"], [data-finished="error"])`);
  await status.waitFor({ timeout });
  if ((await status.getAttribute('data-finished')) === 'error') throw new Error(`the ${demo} demo did not run: ${await status.textContent()}`);
  const n = async (attr: string): Promise<number> => Number(await status.getAttribute(attr));
  return { done: await n('data-done'), failed: await n('data-failed'), cancelled: await n('data-cancelled'), text: (await status.textContent()) ?? '' };
}

const BACKGROUND = [20, 23, 28];

/**
 * Pixels of a panel's canvas, as shown on screen, that differ from the scene's background.
 * The screenshot is decoded in the page itself (no PNG library needed on the Node side).
 */
export async function renderedPixels(page: Page, selector: string): Promise<number> {
  const png = await page.locator(selector).screenshot();
  return page.evaluate(
    async ({ b64, bg }) => {
      const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i]! - bg[0]!) + Math.abs(data[i + 1]! - bg[1]!) + Math.abs(data[i + 2]! - bg[2]!) > 24) n++;
      }
      return n;
    },
    { b64: png.toString('base64'), bg: BACKGROUND },
  );
}
