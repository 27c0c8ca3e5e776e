/** What the itk-wasm ops share: where the staged pipelines are, and plain copies of shared outputs. */
import type { BinaryFile, Image, JsonCompatible, Mesh, TransformList } from 'itk-wasm';
import type { ResampleNodeOptions } from '@itk-wasm/downsample';
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

/** In the calling thread: our workers are the parallelism, and a nested worker is not wanted. */
type InThread = { webWorker: false };

/**
 * What the ops call of each itk-wasm package, in the shape of its browser API (which satisfies
 * it as it is). In Node the packages offer other functions (paths, not bytes): wasm/itk/node.ts
 * implements this same shape over them, and the Node runner's worker installs it.
 */
export interface ItkPackages {
  'image-io': {
    readImage(file: BinaryFile, options: InThread): Promise<{ image: Image }>;
    writeImage(image: Image, name: string, options: InThread): Promise<{ serializedImage: BinaryFile }>;
  };
  'mesh-io': {
    readMesh(file: BinaryFile, options: InThread): Promise<{ mesh: Mesh }>;
    writeMesh(mesh: Mesh, name: string, options: InThread & { binaryFileType: boolean }): Promise<{ serializedMesh: BinaryFile }>;
  };
  dicom: {
    readImageDicomFileSeriesWorkerFunction(files: BinaryFile[], singleSortedSeries: boolean, options: InThread): Promise<{ outputImage: Image }>;
  };
  downsample: {
    downsample(image: Image, options: InThread & { shrinkFactors: number[] }): Promise<{ downsampled: Image }>;
    downsampleBinShrink(image: Image, options: InThread & { shrinkFactors: number[] }): Promise<{ downsampled: Image }>;
    resample(image: Image, options: InThread & ResampleNodeOptions): Promise<{ output: Image }>;
  };
  elastix: {
    defaultParameterMap(
      transform: string,
      options: InThread & { numberOfResolutions?: number; finalGridSpacing?: number },
    ): Promise<{ parameterMap: JsonCompatible }>;
    elastix(
      parameterObject: JsonCompatible,
      options: InThread & { fixed: Image; moving: Image },
    ): Promise<{ result: Image; transform: TransformList; transformParameterObject: JsonCompatible }>;
  };
}

export type ItkPackageLoaders = { [K in keyof ItkPackages]: () => Promise<ItkPackages[K]> };

let installed: ItkPackageLoaders | null = null;

/** Replaces the browser packages for this thread (before any op runs): the Node runner's worker does. */
export function installItkPackages(loaders: ItkPackageLoaders): void {
  installed = loaders;
}

/**
 * An itk-wasm package loaded on first use and pointed at its staged pipelines. The packages
 * (with itk-wasm's core, axios and a zstd decoder) are most of the worker's code, and a worker
 * that only filters never needs them: they are chunks of their own, imported by the op that
 * calls them. Where other packages were installed (Node), those are used instead.
 */
export function itkPackage<K extends keyof ItkPackages>(
  pkg: K,
  load: () => Promise<ItkPackages[K] & { setPipelinesBaseUrl(url: string): void }>,
): () => Promise<ItkPackages[K]> {
  return loadOnce(async (): Promise<ItkPackages[K]> => {
    if (installed) return installed[pkg]();
    const m = await load();
    m.setPipelinesBaseUrl(stagedPipelines(pkg));
    return m;
  });
}
