/**
 * Where a voxel is and which way a view faces, from a volume's origin, spacing and direction
 * (src/data/volume.ts: world is LPS, millimetres; direction holds the world direction of i, j, k).
 * Pure arithmetic, so the readout and the labels can be checked against hand-worked numbers.
 */
import type { Vec3, Volume } from '../data/volume.ts';

export type Axis = 0 | 1 | 2;

/** The anatomical planes, each named by the world axis it looks along (LPS: x, y, z). */
export type Plane = 'sagittal' | 'coronal' | 'axial';

export const PLANE_AXIS: Record<Plane, Axis> = { sagittal: 0, coronal: 1, axial: 2 };

type Geometry = Pick<Volume, 'origin' | 'spacing' | 'direction' | 'dimensions'>;

/** The world direction (unit) of index axis `a`. */
export function indexAxis(v: Pick<Volume, 'direction'>, a: Axis): Vec3 {
  const d = v.direction;
  return [d[3 * a]!, d[3 * a + 1]!, d[3 * a + 2]!];
}

/** World (LPS mm) position of the centre of voxel (i, j, k); fractional indices interpolate. */
export function indexToWorld(v: Geometry, ijk: Vec3): Vec3 {
  const out: Vec3 = [...v.origin];
  for (const a of [0, 1, 2] as const) {
    const axis = indexAxis(v, a);
    const step = ijk[a] * v.spacing[a];
    for (let c = 0; c < 3; c++) out[c] = out[c]! + step * axis[c]!;
  }
  return out;
}

/** Continuous voxel index of a world point (the direction is orthonormal: its inverse is its transpose). */
export function worldToIndex(v: Geometry, p: Vec3): Vec3 {
  const rel: Vec3 = [p[0] - v.origin[0], p[1] - v.origin[1], p[2] - v.origin[2]];
  return [0, 1, 2].map((a) => dot(rel, indexAxis(v, a as Axis)) / v.spacing[a as Axis]) as Vec3;
}

/** The voxel nearest a continuous index, or null outside the volume. */
export function nearestVoxel(v: Pick<Volume, 'dimensions'>, ijk: Vec3): Vec3 | null {
  const r = ijk.map(Math.round) as Vec3;
  for (let a = 0; a < 3; a++) if (r[a]! < 0 || r[a]! >= v.dimensions[a]!) return null;
  return r;
}

/** The value of component 0 of voxel (i, j, k). */
export function voxelValue(v: Pick<Volume, 'data' | 'dimensions' | 'components'>, [i, j, k]: Vec3): number {
  const [nx, ny] = v.dimensions;
  return v.data[(i + nx * (j + ny * k)) * v.components]!;
}

/** LPS to RAS: the first two axes flip (what NIfTI files and their users' tools speak). */
export function lpsToRas([x, y, z]: Vec3): Vec3 {
  return [-x || 0, -y || 0, z];
}

/**
 * The index axis that runs closest to world axis `world` (0 x, 1 y, 2 z), and its sign there.
 * For an oblique volume, "axial" is the index axis nearest to the head-foot axis.
 */
export function nearestIndexAxis(v: Pick<Volume, 'direction'>, world: Axis, exclude: Axis[] = []): { axis: Axis; sign: 1 | -1 } {
  let best: { axis: Axis; sign: 1 | -1; size: number } = { axis: 0, sign: 1, size: -1 };
  for (const a of [0, 1, 2] as const) {
    if (exclude.includes(a)) continue;
    const c = indexAxis(v, a)[world];
    if (Math.abs(c) > best.size) best = { axis: a, sign: c < 0 ? -1 : 1, size: Math.abs(c) };
  }
  return { axis: best.axis, sign: best.sign };
}

/** The index axes a plane's view slices through, runs across and runs up, each with the sign that suits the screen. */
export interface PlaneAxes {
  /** The index axis the plane's view moves along (its slices). */
  normal: Axis;
  /** World direction from the camera into the screen. */
  look: Vec3;
  /** World direction pointing up on the screen. */
  up: Vec3;
  /** World direction pointing right on the screen. */
  right: Vec3;
}

/**
 * Radiological convention, as Slicer and most viewers show LPS data: axial seen from the feet
 * (patient left on screen right, anterior up), coronal from the front (left on the right, head up),
 * sagittal from the patient's left side (anterior on the left, head up). For an oblique volume the
 * view faces the slice plane squarely and its screen axes follow the volume's own in-plane axes.
 */
export function planeAxes(v: Pick<Volume, 'direction'>, plane: Plane): PlaneAxes {
  const world = PLANE_AXIS[plane];
  const normal = nearestIndexAxis(v, world);
  // Looking along +z (from the feet), +y (from the front), -x (from the patient's left).
  const lookSign = plane === 'sagittal' ? -1 : 1;
  const look = scale(indexAxis(v, normal.axis), normal.sign * lookSign);
  // Up is anterior (-y) on the axial view, superior (+z) on the others.
  const upWorld: Axis = plane === 'axial' ? 1 : 2;
  const upSign = plane === 'axial' ? -1 : 1;
  const upIdx = nearestIndexAxis(v, upWorld, [normal.axis]);
  const up = scale(indexAxis(v, upIdx.axis), upIdx.sign * upSign);
  return { normal: normal.axis, look, up, right: cross(look, up) };
}

const LETTERS: [string, string][] = [
  ['L', 'R'],
  ['P', 'A'],
  ['S', 'I'],
];

/**
 * The patient direction a world vector points to, as the letter of its nearest axis (L, R, P, A,
 * S, I). For an oblique vector Slicer and DICOM viewers name the two or three largest parts; a
 * view's edge gets one letter, the nearest.
 */
export function directionLetter(w: Vec3): string {
  let a = 0;
  for (let c = 1; c < 3; c++) if (Math.abs(w[c]!) > Math.abs(w[a]!)) a = c;
  return LETTERS[a]![w[a]! >= 0 ? 0 : 1]!;
}

/** The letters at a view's four edges. */
export function edgeLabels(axes: Pick<PlaneAxes, 'right' | 'up'>): { left: string; right: string; top: string; bottom: string } {
  return {
    right: directionLetter(axes.right),
    left: directionLetter(scale(axes.right, -1)),
    top: directionLetter(axes.up),
    bottom: directionLetter(scale(axes.up, -1)),
  };
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function scale(a: Vec3, s: number): Vec3 {
  return [a[0] * s || 0, a[1] * s || 0, a[2] * s || 0];
}
