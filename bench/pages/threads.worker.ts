/**
 * One thread of bench/pages/threads.ts (a prototype, not shipped): the kernels instantiated over
 * the page's shared memory; a job is a block of rows of the k pass, a barrier with the other
 * threads (every slice's k pass must be done before any slice's j and i passes), then a block of
 * slices of the j and i passes. Times are this thread's own, from the job's arrival.
 */
interface Init {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  sync: Int32Array;
}
export interface Job {
  src: number;
  dst: number;
  weights: [number, number, number];
  strips: [number, number];
  dims: [number, number, number];
  radius: number;
  rows: [number, number];
  slices: [number, number];
  parties: number;
}
export interface Done {
  k: number;
  wait: number;
  ji: number;
}
type GaussK = (
  s: number,
  d: number,
  nx: number,
  ny: number,
  nz: number,
  r: number,
  w: number,
  a: number,
  b: number,
  j0: number,
  j1: number,
  k0: number,
  k1: number,
) => void;
type GaussJI = (d: number, nx: number, ny: number, r: number, wy: number, wx: number, a: number, b: number, k: number) => void;

let passK: GaussK;
let passJI: GaussJI;
let sync: Int32Array;

function run(job: Job): Done {
  const [nx, ny, nz] = job.dims;
  const [wx, wy, wz] = job.weights;
  const [a, b] = job.strips;
  const t0 = performance.now();
  for (let j = job.rows[0]; j < job.rows[1]; j++) passK(job.src, job.dst, nx, ny, nz, job.radius, wz, a, b, j, j + 1, 0, nz);
  const t1 = performance.now();
  // A generation barrier: the last to arrive resets the count and moves the generation on.
  const generation = Atomics.load(sync, 1);
  if (Atomics.add(sync, 0, 1) + 1 === job.parties) {
    Atomics.store(sync, 0, 0);
    Atomics.add(sync, 1, 1);
    Atomics.notify(sync, 1);
  } else {
    while (Atomics.load(sync, 1) === generation) Atomics.wait(sync, 1, generation);
  }
  const t2 = performance.now();
  for (let z = job.slices[0]; z < job.slices[1]; z++) passJI(job.dst, nx, ny, job.radius, wy, wx, a, b, z);
  return { k: t1 - t0, wait: t2 - t1, ji: performance.now() - t2 };
}

onmessage = async (e: MessageEvent<Init | Job>) => {
  const m = e.data;
  if ('module' in m) {
    const instance = await WebAssembly.instantiate(m.module, { env: { memory: m.memory } });
    passK = instance.exports.gaussk_i16 as GaussK;
    passJI = instance.exports.gaussji_i16 as GaussJI;
    sync = m.sync;
    postMessage('ready');
    return;
  }
  postMessage(run(m));
};
