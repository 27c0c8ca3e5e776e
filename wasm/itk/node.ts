/**
 * itk-wasm in Node, in the shape the ops call (ItkPackages, wasm/itk/worker.ts). Under Node the
 * packages resolve to their `node` entry points, whose pipelines load from their own
 * `dist/pipelines/` in node_modules (no staged assets, no `setPipelinesBaseUrl`). Their
 * in-memory functions (downsample, resample, elastix) take the same images as the browser's;
 * their file functions take paths, so the bytes go through a temporary folder of this call's
 * own, always removed. Same pipelines, same inputs: the same outputs as in the page.
 *
 * Only the Node runner's worker entry (src/node/worker.ts) imports this: it needs node:fs.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BinaryFile } from 'itk-wasm';
import type { ItkPackageLoaders } from './worker.ts';

async function inTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'voxpool-itk-'));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * One file name in our own folder. Lower case: the browser API picks the format by the
 * extension lower-cased, the Node one by the extension as it is (and a MIME type from it).
 */
function localName(name: string): string {
  const base = name.split(/[\\/]/).pop() || 'file';
  return base
    .toLowerCase()
    .replace(/[^\w.-]+/g, '_')
    .replace(/^\.+/, '_');
}

async function written(dir: string, file: BinaryFile, prefix = ''): Promise<string> {
  const path = join(dir, prefix + localName(file.path));
  await writeFile(path, file.data);
  return path;
}

/** The bytes a Node writer put in `name`, as the browser's writers hand them back. */
async function writtenBy(name: string, write: (path: string) => Promise<void>): Promise<BinaryFile> {
  return inTempDir(async (dir) => {
    const path = join(dir, localName(name));
    await write(path);
    return { path: name, data: new Uint8Array(await readFile(path)) };
  });
}

export const nodeItkPackages: ItkPackageLoaders = {
  'image-io': async () => {
    const { readImageNode, writeImageNode } = await import('@itk-wasm/image-io');
    return {
      readImage: (file) => inTempDir(async (dir) => ({ image: await readImageNode(await written(dir, file)) })),
      writeImage: async (image, name) => ({ serializedImage: await writtenBy(name, (path) => writeImageNode(image, path)) }),
    };
  },
  'mesh-io': async () => {
    const { readMeshNode, objWriteMeshNode, stlWriteMeshNode, vtkPolyDataWriteMeshNode } = await import('@itk-wasm/mesh-io');
    // writeMeshNode (mesh-io 1.7.1) drops `binaryFileType` for a known extension, so STL and VTK
    // would come out as text where the browser's writeMesh writes binary: each format's own
    // writer is called, as writeMesh does, with the option passed on.
    const writers = { obj: objWriteMeshNode, stl: stlWriteMeshNode, vtk: vtkPolyDataWriteMeshNode };
    return {
      readMesh: (file) => inTempDir(async (dir) => ({ mesh: await readMeshNode(await written(dir, file)) })),
      writeMesh: async (mesh, name, { binaryFileType }) => {
        const ext = /\.(obj|stl|vtk)$/i.exec(name)?.[1]?.toLowerCase() as keyof typeof writers | undefined;
        if (!ext) throw new Error(`${name}: no mesh writer for this extension (expected .obj, .stl or .vtk)`);
        const serializedMesh = await writtenBy(name, async (path) => {
          const { couldWrite } = await writers[ext](mesh, path, { binaryFileType });
          if (!couldWrite) throw new Error(`${name}: ITK could not write this mesh as .${ext}`);
        });
        return { serializedMesh };
      },
    };
  },
  dicom: async () => {
    const { readImageDicomFileSeriesNode } = await import('@itk-wasm/dicom');
    return {
      readImageDicomFileSeriesWorkerFunction: (files, singleSortedSeries) =>
        inTempDir(async (dir) => {
          // Numbered as the browser path numbers them: names in a series need not be unique.
          const inputImages = await Promise.all(files.map((f, i) => written(dir, f, `${i}-`)));
          const { outputImage } = await readImageDicomFileSeriesNode({ inputImages, singleSortedSeries });
          return { outputImage };
        }),
    };
  },
  downsample: async () => {
    const { downsampleNode, downsampleBinShrinkNode, resampleNode } = await import('@itk-wasm/downsample');
    return {
      downsample: (image, { shrinkFactors }) => downsampleNode(image, { shrinkFactors }),
      downsampleBinShrink: (image, { shrinkFactors }) => downsampleBinShrinkNode(image, { shrinkFactors }),
      resample: (image, { webWorker: _, ...options }) => resampleNode(image, options),
    };
  },
  elastix: async () => {
    const { defaultParameterMapNode, elastixNode } = await import('@itk-wasm/elastix');
    return {
      defaultParameterMap: (transform, { webWorker: _, ...options }) => defaultParameterMapNode(transform, options),
      elastix: (parameterObject, { fixed, moving }) => elastixNode(parameterObject, { fixed, moving }),
    };
  },
};
