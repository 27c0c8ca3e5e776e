/** What the itk-wasm ops share: where the staged pipelines are, and plain copies of shared outputs. */
import { loadOnce } from '../../src/worker/index.ts';
import { isShared } from '../../src/core/transfer.ts';
import { assetRoot } from '../worker-assets.ts';
import { ITK_DIR } from './paths.ts';

/** `itk/<package>` under the site root the pool gave us (createPool's `assetBase`), else this origin's root. */
export function stagedPipelines(pkg: string): string {
  return new URL(`${ITK_DIR}/${pkg}`, assetRoot()).href;
}

/**
 * itk-wasm hands outputs back on a SharedArrayBuffer when the page is cross-origin isolated.
 * Such views can't go into a Blob or be moved to the page, so they get one plain copy here.
 */
export function unshared<T extends ArrayBufferView>(view: T): T {
  if (!isShared(view.buffer)) return view;
  const Ctor = view.constructor as new (length: number) => T & { set(a: ArrayLike<number>): void };
  const copy = new Ctor((view as unknown as ArrayLike<number>).length);
  copy.set(view as unknown as ArrayLike<number>);
  return copy;
}

/**
 * Whether an itk-wasm call failed to load its pipeline (the glue's import() or the .wasm.zst
 * fetch, which itk-wasm makes with axios) rather than refusing its input: a missing asset is
 * the site's fault, not the caller's, and must not come back as an InputError.
 */
export function pipelineLoadFailed(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  if ((e as { isAxiosError?: unknown }).isAxiosError === true) return true;
  return e instanceof TypeError && /dynamically imported module|Failed to fetch|Importing a module script failed/i.test(e.message);
}

/**
 * An itk-wasm package loaded on first use and pointed at its staged pipelines. The packages
 * (with itk-wasm's core, axios and a zstd decoder) are most of the worker's code, and a worker
 * that only filters never needs them: they are chunks of their own, imported by the op that
 * calls them.
 */
export function itkPackage<M extends { setPipelinesBaseUrl(url: string): void }>(pkg: string, load: () => Promise<M>): () => Promise<M> {
  return loadOnce(async () => {
    const m = await load();
    m.setPipelinesBaseUrl(stagedPipelines(pkg));
    return m;
  });
}
