/**
 * Isosurface to a triangle mesh with niimath's marching cubes (`-mesh`), in the volume's world
 * coordinates. niimath's defaults are for pretty brain surfaces: it pre-smooths the volume, keeps
 * only the largest piece and decimates to a quarter of the triangles. Here all of that is off
 * (`-p 0 -l 0 -r 1 -s 0 -q 0`: also no gzip), so the surface is the plain interpolated
 * isosurface; `largestOnly` and `fillBubbles` turn niimath's clean-ups back on.
 */
import { defineOp, InputError } from '../../src/worker/index.ts';
import type { Mesh } from '../../src/data/mesh.ts';
import type { Volume } from '../../src/data/volume.ts';
import { readMz3 } from '../../src/data/mz3.ts';
import { checkParams } from '../../src/core/op-spec.ts';
import { builtinSpecs } from '../specs.ts';
import { checkNiimathVolume, runNiimath, arg } from './niimath-support.ts';

export interface IsosurfaceInput {
  volume: Volume;
  /** The surface passes where the interpolated voxel value equals this. */
  isovalue: number;
  /** Keep only the largest connected piece (niimath -l 1). Default false. */
  largestOnly?: boolean;
  /** Fill closed cavities inside objects (niimath -b 1). Default false. */
  fillBubbles?: boolean;
}

export const isosurface = defineOp(async (input: IsosurfaceInput, ctx): Promise<Mesh> => {
  const { volume } = input;
  checkNiimathVolume(volume);
  const { isovalue } = checkParams(builtinSpecs['volume.isosurface'], input);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < volume.data.length; i++) {
    const v = volume.data[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // niimath would quietly move an isovalue outside the data to mid-range: refuse it instead.
  if (!(isovalue > min && isovalue <= max)) {
    throw new InputError('input.isovalue', `${isovalue} is outside the volume's values (${min} .. ${max}]: there is no surface`);
  }
  ctx.progress(0, `isovalue ${isovalue}`);
  const flag = (on: boolean | undefined): string => (on ? '1' : '0');
  // Unit spacing in the header: niimath's vertices come back in voxel indices (its sform is
  // float32), and the exact world transform is applied below in float64.
  const file = await runNiimath(
    { ...volume, spacing: [1, 1, 1] },
    ['-mesh', '-i', arg(isovalue), '-l', flag(input.largestOnly), '-b', flag(input.fillBubbles), '-p', '0', '-r', '1', '-s', '0', '-q', '0', '-v', '0'],
    ctx,
    { output: 'out.mz3' },
  );
  const { points, triangles } = await readMz3(file);
  toWorld(points, volume);
  const polys = new Uint32Array((triangles.length / 3) * 4);
  // A mirroring direction (det < 0) turns the triangles inside out: reverse their order back.
  const flip = determinant(volume.direction) < 0;
  for (let t = 0, o = 0; t < triangles.length; t += 3, o += 4) {
    polys[o] = 3;
    polys[o + 1] = triangles[t]!;
    polys[o + 2] = triangles[flip ? t + 2 : t + 1]!;
    polys[o + 3] = triangles[flip ? t + 1 : t + 2]!;
  }
  ctx.progress(1, `${points.length / 3} points, ${triangles.length / 3} triangles`);
  return { name: `${volume.name} (isosurface ${isovalue})`, points, polys };
});

/** Voxel indices (i, j, k) -> origin + direction · (spacing ⊙ ijk), in place. */
function toWorld(points: Float32Array, volume: Volume): void {
  const [sx, sy, sz] = volume.spacing;
  const [ox, oy, oz] = volume.origin;
  const d = volume.direction;
  for (let p = 0; p < points.length; p += 3) {
    const i = points[p]! * sx;
    const j = points[p + 1]! * sy;
    const k = points[p + 2]! * sz;
    points[p] = ox + d[0]! * i + d[3]! * j + d[6]! * k;
    points[p + 1] = oy + d[1]! * i + d[4]! * j + d[7]! * k;
    points[p + 2] = oz + d[2]! * i + d[5]! * j + d[8]! * k;
  }
}

function determinant(d: readonly number[]): number {
  return d[0]! * (d[4]! * d[8]! - d[5]! * d[7]!) - d[3]! * (d[1]! * d[8]! - d[2]! * d[7]!) + d[6]! * (d[1]! * d[5]! - d[2]! * d[4]!);
}
