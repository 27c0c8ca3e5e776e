#!/usr/bin/env node
/**
 * What an itk-wasm call costs in Node, and how much of it is loading the pipeline again:
 * `node bench/itk-node.mjs` (builds dist/ first unless it is there; BENCH_READS, default 20).
 * Writes bench/results/itk-node.json and .md.
 *
 * Ways of reading one NRRD file (the anatomical sample, written as NRRD by itk-wasm),
 * BENCH_READS times each, interleaved, in one Node process (a worker thread does the same work):
 *   voxpool     the Node runner's readImage (dist/wasm/itk/node.js: a temporary folder, then
 *               @itk-wasm/image-io's readImageNode), what `volume.read` of an .nrrd does today
 *   load only   itk-wasm's own loader of the NRRD pipeline (read the .wasm.zst, zstd-decode it,
 *               instantiate the Emscripten module from the bytes), which runPipelineNode calls
 *               on every call
 *   fresh run   the pipeline's run on the module just loaded (the rest of what runPipelineNode does)
 *   kept run    the same pipeline run on one module loaded once, through itk-wasm's own
 *               runPipelineEmscripten with the arguments nrrdReadImageNode passes, then castImage
 *               as readImageNode does: what a call would cost if a loaded module could be kept
 * Every image is checked equal to readImageNode's (the bench fails otherwise). The last three reach itk-wasm's internal modules by file path (its exports map offers neither):
 * fine for a measurement, not for the product (docs/architecture.md, "itk-wasm in Node").
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const READS = Number(process.env.BENCH_READS) || 20;
if (!existsSync(join(root, 'dist/wasm/itk/node.js'))) execFileSync(process.execPath, [join(root, 'build/package.mjs')], { cwd: root, stdio: 'inherit' });

const { nodeItkPackages } = await import(pathToFileURL(join(root, 'dist/wasm/itk/node.js')).href);
const { readImageNode, writeImageNode } = await import('@itk-wasm/image-io');
const internal = (p) => import(pathToFileURL(join(root, 'node_modules/itk-wasm/dist/pipeline/internal', p)).href).then((m) => m.default);
const loadEmscriptenModuleNode = await internal('load-emscripten-module-node.js');
const runPipelineEmscripten = await internal('run-pipeline-emscripten.js');
const { InterfaceTypes, castImage } = await import('itk-wasm');
const pipeline = join(root, 'node_modules/@itk-wasm/image-io/dist/pipelines/nrrd-read-image');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sameImage = (a, b) =>
  JSON.stringify({ ...a, data: null }) === JSON.stringify({ ...b, data: null }) &&
  Buffer.compare(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength), Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength)) === 0;

const work = mkdtempSync(join(tmpdir(), 'voxpool-bench-itk-'));
try {
  const file = join(work, 'anatomical.nrrd');
  await writeImageNode(await readImageNode(join(root, 'public/samples/anatomical.nii')), file);
  const bytes = new Uint8Array(readFileSync(file));
  const reference = await readImageNode(file);
  const io = await nodeItkPackages['image-io']();

  // The arguments nrrdReadImageNode (image-io 1.6.1) passes, mounted as runPipelineNode mounts them.
  const runOn = (module) => {
    const mounted = module.mountDir(dirname(file));
    try {
      const { returnValue, stderr, outputs } = runPipelineEmscripten(
        module,
        [file, '0', '1', '--memory-io'],
        [{ type: InterfaceTypes.JsonCompatible }, { type: InterfaceTypes.Image }],
        [],
      );
      if (returnValue !== 0) throw new Error(`nrrd-read-image returned ${returnValue}: ${stderr}`);
      // readImageNode hands the image back through castImage (a copy without the buffered region): so does this.
      return castImage(outputs[1].data, {});
    } finally {
      module.unmountDir(mounted);
    }
  };
  const kept = await loadEmscriptenModuleNode(pipeline);
  runOn(kept);

  const times = { voxpool: [], load: [], fresh: [], kept: [] };
  const timed = async (what) => {
    const t0 = performance.now();
    const out = await what();
    return { ms: performance.now() - t0, out };
  };
  for (let i = 0; i < READS; i++) {
    const a = await timed(() => io.readImage({ path: 'anatomical.nrrd', data: bytes }));
    if (!sameImage(a.out.image, reference)) throw new Error("the Node runner's readImage gave another image than readImageNode");
    times.voxpool.push(a.ms);
    const loaded = await timed(() => loadEmscriptenModuleNode(pipeline));
    times.load.push(loaded.ms);
    const fresh = await timed(() => runOn(loaded.out));
    if (!sameImage(fresh.out, reference)) throw new Error('the pipeline run on a fresh module gave another image than readImageNode');
    times.fresh.push(fresh.ms);
    const again = await timed(() => runOn(kept));
    if (!sameImage(again.out, reference)) throw new Error('the pipeline run on a kept module gave another image than readImageNode');
    times.kept.push(again.ms);
  }

  const row = (name, xs) => ({ call: name, medianMs: median(xs), firstMs: xs[0], minMs: Math.min(...xs), maxMs: Math.max(...xs) });
  const rows = [
    row('voxpool readImage (a temporary folder, readImageNode: load + run, every call)', times.voxpool),
    row('itk-wasm loadEmscriptenModuleNode alone (read .wasm.zst, decode, instantiate)', times.load),
    row('the pipeline run on that fresh module (its first run)', times.fresh),
    row('the pipeline run on a module kept from earlier calls', times.kept),
  ];
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model.trim(),
    cores: cpus().length,
    reads: READS,
    file: { name: 'public/samples/anatomical.nii as NRRD', bytes: bytes.byteLength, size: reference.size },
    itkWasm: JSON.parse(readFileSync(join(root, 'node_modules/itk-wasm/package.json'), 'utf8')).version,
    imageIo: JSON.parse(readFileSync(join(root, 'node_modules/@itk-wasm/image-io/package.json'), 'utf8')).version,
    rows,
    times,
  };
  writeFileSync(join(root, 'bench/results/itk-node.json'), `${JSON.stringify(result, null, 2)}\n`);
  const f = (ms) => ms.toFixed(1);
  const [now, load, fresh, again] = rows;
  const md = [
    '# itk-wasm in Node: what a call costs, and what a kept pipeline module would save',
    '',
    `${result.date}, ${result.cores} cores (${result.cpu}), Node ${result.node}, itk-wasm ${result.itkWasm}, @itk-wasm/image-io ${result.imageIo}. Measured with \`node bench/itk-node.mjs\`: ${READS} reads of one NRRD file (${result.file.name}, ${result.file.size.join(' x ')}, ${bytes.byteLength} bytes), the four ways interleaved.`,
    '',
    '| call | median ms | first ms | min ms | max ms |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.call} | ${f(r.medianMs)} | ${f(r.firstMs)} | ${f(r.minMs)} | ${f(r.maxMs)} |`),
    '',
    `- A read costs ${f(now.medianMs)} ms today. Of that, itk-wasm's loader alone measures ${f(load.medianMs)} ms and a fresh instance's first run ${f(fresh.medianMs)} ms; the rest (the temporary folder, readImageNode's own work, collecting the instance each call leaves behind) is not broken down further. Run on a kept module the same read takes ${f(again.medianMs)} ms (${(now.medianMs / again.medianMs).toFixed(1)}x less), and gives the same image (checked for every call of every way).`,
    '- Not done in voxpool: itk-wasm offers no way to keep a module in Node. Its Node functions call `runPipelineNode`, which loads the module anew on every call and takes no module, no cache and no `instantiateWasm` hook; the one cache it has (`loadPipelineModule`) is in the browser `runPipeline`, which fetches the `.wasm.zst` by URL with axios (no `file:` in Node) and is not what the packages\' Node entries call. Keeping a module means importing its internal files by path and re-writing each generated reader\'s arguments: docs/architecture.md, "itk-wasm in Node".',
    '',
  ].join('\n');
  writeFileSync(join(root, 'bench/results/itk-node.md'), md);
  process.stdout.write(md);
} finally {
  rmSync(work, { recursive: true, force: true });
}
