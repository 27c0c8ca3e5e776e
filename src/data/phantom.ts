/**
 * A head-like MR phantom made in code, standing in for Slicer's MRHead sample (256 x 256 x 130
 * int16, about 1 x 1 x 1.3 mm) so tests and benchmarks need no downloaded data. Deterministic:
 * the same options give the same voxels on every machine (seeded noise, integer rounding).
 */
import { IDENTITY_DIRECTION, type Vec3, type Volume } from './volume.ts';

export interface HeadPhantomOptions {
  /** Voxels along i, j, k (default 256 x 256 x 130, MRHead's grid). */
  dimensions?: Vec3;
  /** Millimetres between voxel centres (default 1, 1, 1.3). */
  spacing?: Vec3;
  /** Seed of the noise; the same seed gives the same volume (default 1). */
  seed?: number;
  /** Spread of the additive noise in grey levels (default 20; 0 for a noiseless phantom). */
  noise?: number;
}

/** Grey levels of the tissues, T1-like: white matter brighter than grey, fluid dark. */
const SCALP = 620;
const SKULL = 90;
const CSF = 180;
const GREY = 520;
const WHITE = 760;
const VENTRICLE = 140;

export function makeHeadPhantom(options: HeadPhantomOptions = {}): Volume {
  const dimensions: Vec3 = options.dimensions ?? [256, 256, 130];
  const spacing: Vec3 = options.spacing ?? [1, 1, 1.3];
  const noise = options.noise ?? 20;
  const [nx, ny, nz] = dimensions;
  if (![nx, ny, nz].every((n) => Number.isInteger(n) && n > 0)) {
    throw new RangeError(`makeHeadPhantom: dimensions must be positive integers, got ${dimensions.join(' x ')}`);
  }
  const data = new Int16Array(nx * ny * nz);

  // Head semi-axes in mm, scaled to the field of view so any grid holds a whole head.
  const extent: Vec3 = [nx * spacing[0], ny * spacing[1], nz * spacing[2]];
  const ax = 0.36 * extent[0];
  const ay = 0.42 * extent[1];
  const az = 0.44 * extent[2];
  const cx = (nx - 1) / 2;
  const cy = (ny - 1) / 2;
  const cz = (nz - 1) / 2;

  let state = (options.seed ?? 1) >>> 0 || 0x9e3779b9;
  // xorshift32: fast, seedable, identical everywhere; the noise need not be good, only repeatable.
  // Its two 16-bit halves summed give a cheap bell-ish variate in [-1, 1) from one draw.
  const bell = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return ((state & 0xffff) + (state >>> 16)) / 65536 - 1;
  };

  // The trigonometric patterns split into per-plane tables, so a voxel costs no sin/cos.
  const xs = Float64Array.from({ length: nx }, (_, i) => ((i - cx) * spacing[0]) / ax);
  const ys = Float64Array.from({ length: ny }, (_, j) => ((j - cy) * spacing[1]) / ay);
  const zs = Float64Array.from({ length: nz }, (_, k) => ((k - cz) * spacing[2]) / az);
  const foldXZ = new Float64Array(nx * nz);
  const textureXZ = new Float64Array(nx * nz);
  for (let k = 0; k < nz; k++) {
    for (let i = 0; i < nx; i++) {
      foldXZ[i + nx * k] = 0.06 * Math.sin(9 * xs[i]! + 3 * zs[k]!);
      textureXZ[i + nx * k] = 25 * Math.sin(0.5 * k + 0.2 * i);
    }
  }
  const foldXY = new Float64Array(nx * ny);
  const textureXY = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      foldXY[i + nx * j] = Math.cos(11 * ys[j]! - 2 * xs[i]!);
      textureXY[i + nx * j] = Math.sin(0.7 * i + 0.3 * j);
    }
  }

  let index = 0;
  for (let k = 0; k < nz; k++) {
    const z = zs[k]!;
    for (let j = 0; j < ny; j++) {
      const y = ys[j]!;
      for (let i = 0; i < nx; i++, index++) {
        const x = xs[i]!;
        const r2 = x * x + y * y + z * z;
        const n = bell() * noise;
        let value: number;
        if (r2 > 1) {
          value = Math.abs(n) * 0.5; // air: low, positive, like a magnitude image
        } else {
          const r = Math.sqrt(r2);
          if (r > 0.95) value = SCALP;
          else if (r > 0.9) value = SKULL;
          else if (r > 0.87) value = CSF;
          else {
            // Folded cortex: the grey/white border ripples with position.
            const fold = foldXZ[i + nx * k]! * foldXY[i + nx * j]!;
            value = r > 0.72 + fold ? GREY : WHITE;
            // Lateral ventricles: two small ellipsoids either side of the midline.
            const vx = Math.abs(x) - 0.12;
            const vy = y + 0.05;
            const vz = z - 0.1;
            if ((vx * vx) / 0.006 + (vy * vy) / 0.09 + (vz * vz) / 0.02 < 1) value = VENTRICLE;
            // Slow texture, so smoothing and medians have something to change inside tissue.
            value += textureXY[i + nx * j]! * textureXZ[i + nx * k]!;
          }
          value += n;
        }
        data[index] = Math.round(value);
      }
    }
  }

  return {
    name: 'head phantom',
    data,
    dimensions: [nx, ny, nz],
    spacing: [spacing[0], spacing[1], spacing[2]],
    origin: [-cx * spacing[0], -cy * spacing[1], -cz * spacing[2]],
    direction: [...IDENTITY_DIRECTION],
    components: 1,
  };
}
