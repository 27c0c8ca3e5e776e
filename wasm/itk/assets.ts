/**
 * Stages itk-wasm pipelines from node_modules into the site, so reading and writing files
 * never reaches for itk-wasm's default CDN: served by the dev (and test) server, emitted into the
 * build under `itk/<package>/`. Only the pipelines the ops use are staged: image-io alone holds
 * 21 MB of them, and every staged file is precached for offline use.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { staging, type StagedAsset } from '../staging.ts';
import { ITK_DIR } from './paths.ts';

const require = createRequire(import.meta.url);

/** Package -> pipeline names (each is a `.js` glue module and a `.wasm.zst` binary). */
export const STAGED_PIPELINES: Record<string, string[]> = {
  'image-io': [
    'nifti-read-image',
    'nifti-write-image',
    'nrrd-read-image',
    'nrrd-write-image',
    'meta-read-image',
    'meta-write-image',
    // Read-only extras volume.read accepts: single DICOM files, FreeSurfer, legacy VTK images.
    'gdcm-read-image',
    'mgh-read-image',
    'vtk-read-image',
  ],
  'mesh-io': ['stl-read-mesh', 'stl-write-mesh', 'obj-read-mesh', 'obj-write-mesh', 'vtk-poly-data-read-mesh', 'vtk-poly-data-write-mesh'],
  dicom: ['read-image-dicom-file-series'],
  downsample: ['downsample', 'downsample-bin-shrink', 'resample'],
  elastix: ['default-parameter-map', 'elastix'],
};

/** Served by the dev and test server only, never built: the tests make DICOM files with them. */
export const DEV_ONLY_PIPELINES: Record<string, string[]> = {
  'image-io': ['gdcm-write-image'],
};

function pipelinesDir(pkg: string): string {
  // The package exports no package.json: find its root from its entry point.
  let dir = dirname(require.resolve(`@itk-wasm/${pkg}`));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return join(dir, 'dist', 'pipelines');
}

/**
 * The glue is import()ed, so it needs a JavaScript type. The .wasm.zst is fetched as bytes and
 * unpacked by itk-wasm's own zstd decoder, so any type will do, but no Content-Encoding: a server
 * that labelled it zstd would have the browser unpack it first and break that.
 */
function stagedFiles(pipelines: Record<string, string[]> = STAGED_PIPELINES): StagedAsset[] {
  return Object.entries(pipelines).flatMap(([pkg, names]) =>
    names.flatMap((name) =>
      ['.js', '.wasm.zst'].map((ext) => ({
        url: `${ITK_DIR}/${pkg}/${name}${ext}`,
        from: join(pipelinesDir(pkg), `${name}${ext}`),
        contentType: ext === '.js' ? 'text/javascript' : 'application/octet-stream',
      })),
    ),
  );
}

export function itkAssets(): Plugin {
  return { name: 'voxpool:itk-assets', ...staging({ assets: () => stagedFiles(), devOnly: () => stagedFiles(DEV_ONLY_PIPELINES) }) };
}

/**
 * itk-wasm unpacks its `.wasm.zst` pipelines with @thewtex/zstddec (0.2.1), which loads its own
 * small decoder by fetching a `data:application/wasm;base64,...` URL. A strict Content Security
 * Policy (`connect-src 'self'`) refuses that fetch, and the page hears only "Failed to fetch".
 * The same bytes are decoded from the same base64 string in JavaScript instead: no fetch, no
 * extra file, and `WebAssembly.instantiate` needs only `'wasm-unsafe-eval'`. The build fails if
 * a new version of the decoder no longer matches, rather than ship the data: fetch again.
 */
export function zstdWithoutDataFetch(): Plugin {
  const from = "fetch('data:application/wasm;base64,' + wasm).then(response => response.arrayBuffer())";
  const to = 'Promise.resolve(Uint8Array.from(atob(wasm), (c) => c.charCodeAt(0)))';
  return {
    name: 'voxpool:zstd-without-data-fetch',
    transform(code, id) {
      if (!id.includes('@thewtex/zstddec') || !code.includes('data:application/wasm')) return null;
      if (!code.includes(from)) this.error(`${id}: its decoder is no longer loaded as wasm/itk/assets.ts expects; update zstdWithoutDataFetch`);
      return { code: code.replace(from, to), map: null };
    },
  };
}
