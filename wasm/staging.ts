/**
 * The one way engine assets reach the site: a list of files, each at a path under the site root,
 * served by the dev (and test) server and emitted into the build, where the service worker
 * precaches them. The engine plugins (itk/assets.ts, niimath/assets.ts, kernels/build.ts) only say which
 * files, from where, with what type.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import type { Plugin, ViteDevServer } from 'vite';

export interface StagedAsset {
  /** Path under the site root, e.g. `niimath/niimath.wasm`. */
  url: string;
  /** The file on disk, or the bytes (made at build time, like our own kernels). */
  from: string | (() => Promise<Uint8Array>);
  /** Its Content-Type in dev (a built site's server decides its own). */
  contentType: string;
}

export interface StagingOptions {
  /** Files for the whole site. */
  assets: () => StagedAsset[];
  /** Files the dev and test server serve besides, never built (tools the tests use). */
  devOnly?: () => StagedAsset[];
}

/**
 * The asset a request path asks for: the path from the first `/<folder>/` of the asset's own top
 * folder on, so a page served from a subpath (`/app/itk/...`) finds the files under its own base,
 * as the built site lays them out, while a base that is itself inside such a folder
 * (`/itk/elsewhere/itk/...`, the tests' undeployed base) finds nothing, as it would on a host.
 */
export function assetFor(path: string, assets: readonly StagedAsset[]): StagedAsset | undefined {
  return assets.find((a) => {
    const at = path.indexOf(`/${a.url.slice(0, a.url.indexOf('/') + 1)}`);
    return at >= 0 && path.slice(at + 1) === a.url;
  });
}

const bytesOf = (from: StagedAsset['from']): Promise<Uint8Array> => (typeof from === 'string' ? Promise.resolve(readFileSync(from)) : from());

/** The serving and emitting hooks of a plugin that stages these assets. */
export function staging(options: StagingOptions): Pick<Plugin, 'generateBundle'> & { configureServer(server: ViteDevServer): void } {
  return {
    configureServer(server) {
      // Listed once: every request the dev server answers passes through here.
      const assets = [...options.assets(), ...(options.devOnly?.() ?? [])];
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0]!;
        const asset = assetFor(path, assets);
        if (!asset || (typeof asset.from === 'string' && !existsSync(asset.from))) return next();
        res.setHeader('Content-Type', asset.contentType);
        // The pages are cross-origin isolated (COEP require-corp): their own files must say so.
        res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        if (typeof asset.from === 'string') {
          createReadStream(asset.from).pipe(res);
          return;
        }
        // Made by the build: rebuilt when its sources change, so never cached.
        res.setHeader('Cache-Control', 'no-cache');
        asset.from().then(
          (bytes) => res.end(bytes),
          (e: unknown) => next(e),
        );
      });
    },
    async generateBundle() {
      for (const asset of options.assets()) this.emitFile({ type: 'asset', fileName: asset.url, source: await bytesOf(asset.from) });
    },
  };
}
