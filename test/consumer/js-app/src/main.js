import { createPool, Pool, splitVolume, Workflow } from 'voxpool';

function sum(a) {
  let s = 0;
  for (const v of a) s += v;
  return s;
}
function max(a) {
  let m = -Infinity;
  for (const v of a) m = Math.max(m, v);
  return m;
}
const copy = (v) => structuredClone(v);
/** A voxel on the line through the ball's centre (20, 18, 15): 28 is just inside its edge, 29 just outside. */
const at = (v, i) => v.data[i + v.dimensions[0] * (18 + v.dimensions[1] * 15)];

async function run() {
  const blob = await (await fetch(new URL('sample.nii', document.baseURI))).blob();
  const pool = createPool({ size: 2 });

  // A FileList, as an <input type="file"> gives it.
  const transfer = new DataTransfer();
  transfer.items.add(new File([blob], 'sample.nii'));
  const volume = await pool.run('volume.read', { files: transfer.files });
  const read = {
    dimensions: [...volume.dimensions],
    pixelType: volume.data.constructor.name,
    sum: sum(volume.data),
    max: max(volume.data),
    inner: at(volume, 28),
    rim: at(volume, 29),
  };

  const smooth = await pool.run('volume.gaussian', { volume: copy(volume), sigma: 2 });
  const smoothed = { inner: at(smooth, 28), rim: at(smooth, 29), sum: sum(smooth.data), dimensions: [...smooth.dimensions] };

  const own = new Pool({ worker: () => new Worker(new URL('./ops.worker.js', import.meta.url), { type: 'module' }), size: 1 });
  const negated = await own.run('app.invert', { volume: copy(volume) });
  const inverted = { negated: negated.data.every((v, i) => v === -volume.data[i]) };
  await own.terminate();

  // { name, bytes: Blob }: a Blob with the name that says its format.
  const wf = new Workflow(pool, { name: 'consumer' });
  const readTask = wf.add('volume.read', { files: [{ name: 'sample.nii', bytes: blob }] });
  const smoothTask = wf.add('volume.gaussianVtk', { volume: readTask.output(), radiusFactor: 3, std: 1 });
  await wf.run();
  const wfOut = await smoothTask.wait();
  const whole = await pool.run('volume.gaussianVtk', { volume: copy(volume), radiusFactor: 3, std: 1 });
  const workflow = {
    states: wf.tasks().map((t) => t.state),
    sameAsDirect: wfOut.data.length === whole.data.length && wfOut.data.every((v, i) => v === whole.data[i]),
  };

  const slabs = await splitVolume(pool, 'volume.gaussianVtk', { volume: copy(volume), radiusFactor: 3, std: 1 }, { slabs: 3 });
  const split = {
    equal: slabs.data.length === whole.data.length && slabs.data.every((v, i) => v === whole.data[i]),
    voxels: slabs.data.length,
    rim: at(slabs, 29),
  };

  const written = await pool.run('volume.write', { volume: copy(volume), format: 'nii' });

  const nrrd = await pool.run('volume.write', { volume: copy(volume), format: 'nrrd' });
  await pool.terminate();
  return { read, smoothed, inverted, workflow, split, writtenName: written.name, nrrdName: nrrd.name, nrrdBytes: nrrd.bytes.byteLength };
}

run().then(
  (report) => {
    window.consumerReport = { ok: true, report };
    document.getElementById('report').textContent = JSON.stringify(report, null, 2);
  },
  (e) => {
    window.consumerReport = { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    document.getElementById('report').textContent = window.consumerReport.error;
  },
);
