/** Connected components of the non-zero voxels (niimath `-bwlabel`), with each one's size. */
import { defineOp } from '../../src/worker/index.ts';
import type { PixelArray, Volume } from '../../src/data/volume.ts';
import { checkParams } from '../../src/core/op-spec.ts';
import { builtinSpecs } from '../specs.ts';
import { checkNiimathVolume, niimathVoxels } from './niimath-support.ts';
import { withVoxels } from './scalar-volume.ts';

export interface ComponentsInput {
  volume: Volume;
  /** Which neighbours touch: faces (6), faces and edges (18), or also corners (26). Default 26. */
  connectivity?: 6 | 18 | 26;
}

export interface ComponentsOutput {
  /** 0 for background, 1..count for the components, in the smallest unsigned type that holds them. */
  labels: Volume;
  count: number;
  /** Voxels in each component: sizes[k - 1] is label k's. */
  sizes: number[];
}

export const components = defineOp(async (input: ComponentsInput, ctx): Promise<ComponentsOutput> => {
  const { volume } = input;
  checkNiimathVolume(volume);
  const { connectivity } = checkParams(builtinSpecs['volume.components'], input);
  // niimath's -bwlabel fails on a volume with nothing in it; that is simply no component.
  if (volume.data.every((v) => v === 0))
    return { labels: withVoxels(volume, new Uint8Array(volume.data.length), `${volume.name} (components)`), count: 0, sizes: [] };
  ctx.progress(0, `${connectivity}-connected`);
  // Labels can outnumber what the input's type holds (a uint8 mask with 300 blobs): int32 out.
  const raw = await niimathVoxels(volume, ['-bwlabel', String(connectivity)], ctx, { odt: 'int' });
  const sizes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const k = raw[i]!;
    if (k > 0) sizes[k - 1] = (sizes[k - 1] ?? 0) + 1;
  }
  const count = sizes.length;
  for (let k = 0; k < count; k++) sizes[k] ??= 0;
  ctx.progress(1, `${count} components`);
  return { labels: withVoxels(volume, narrow(raw, count), `${volume.name} (components)`), count, sizes };
});

/** The labels in uint8 or uint16 when they fit: a quarter or half of int32's bytes. */
function narrow(labels: PixelArray, count: number): PixelArray {
  if (count > 65_535) return labels;
  const out = count <= 255 ? new Uint8Array(labels.length) : new Uint16Array(labels.length);
  out.set(labels);
  return out;
}
