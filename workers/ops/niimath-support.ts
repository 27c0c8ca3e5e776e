/** What the niimath ops share: input checks, one call of the engine on a volume, geometry kept. */
import { InputError, type OpContext } from '../../src/worker/index.ts';
import { checkVolume, refuseNaN } from '../../src/data/validate.ts';
import { decodeNifti1, encodeNifti1 } from '../../src/data/nifti1.ts';
import type { PixelArray, Volume } from '../../src/data/volume.ts';
import { niimath } from '../../wasm/niimath/worker.ts';

/** NIfTI-1 stores each dimension as an int16. */
const NIFTI1_MAX_DIMENSION = 32_767;

/**
 * checkVolume, and what niimath adds: one component, at most 32767 a side (NIfTI-1), voxels
 * float32 holds exactly, no NaN.
 */
export function checkNiimathVolume(volume: Volume, label = 'input.volume'): void {
  checkVolume(volume, label);
  const name = volume.name ? `${label} (${volume.name})` : label;
  if (volume.components !== 1) throw new InputError(name, `has ${volume.components} components; niimath filters take scalar volumes`);
  if (volume.dimensions.some((d) => d > NIFTI1_MAX_DIMENSION)) {
    throw new InputError(name, `is ${volume.dimensions.join(' x ')}: NIfTI-1 (niimath's input) allows at most ${NIFTI1_MAX_DIMENSION} voxels a side`);
  }
  checkFloat32Exact(volume, label);
  refuseNaN(volume, name);
}

/** Throws an InputError naming `label` unless `value` is a finite number (and passes `ok`). */
export function checkNumber(value: unknown, label: string, ok: (v: number) => boolean = () => true, rule = 'a finite number'): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) throw new InputError(label, `must be ${rule} (got ${String(value)})`);
}

/** Largest integer float32 holds exactly. */
const FLOAT32_EXACT = 2 ** 24;

/**
 * niimath computes in float32 (this build has no `-dt double`), so a volume whose voxels
 * float32 cannot hold exactly (float64; 32-bit integers beyond 2^24) would come back changed:
 * refused by name instead.
 */
export function checkFloat32Exact(volume: Volume, label = 'input.volume'): void {
  const name = volume.name ? `${label} (${volume.name})` : label;
  const data = volume.data;
  if (data instanceof Float64Array) throw new InputError(name, 'has float64 voxels; niimath computes in float32 (convert the volume to float32 first)');
  if (data instanceof Int32Array || data instanceof Uint32Array) {
    for (let i = 0; i < data.length; i++) {
      if (Math.abs(data[i]!) > FLOAT32_EXACT) {
        throw new InputError(name, `has 32-bit voxels beyond ±2^24 (${data[i]} at index ${i}), which niimath's float32 arithmetic would round`);
      }
    }
  }
}

/** A number as niimath's atof reads it back exactly (shortest round-trip form). */
export const arg = (n: number): string => String(n);

/** Files niimath reads besides the main input, by name. */
export type ExtraInputs = Record<string, Uint8Array>;

/**
 * Runs `niimath in.nii -gz 0 <ops> <output> -odt <type>` on the volume and returns the output file.
 * Uncompressed output (`-gz 0`) always: gzip would cost seconds and be undone at once.
 */
export async function runNiimath(
  volume: Volume,
  ops: readonly string[],
  ctx: OpContext,
  options: { output?: string; odt?: string; extra?: ExtraInputs } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const engine = await niimath();
  ctx.throwIfCancelled();
  const output = options.output ?? 'out.nii';
  // `-gz 0` is an operation of its own: it must come after the input, before the output.
  const args = ['in.nii', '-gz', '0', ...ops, output, ...(output.endsWith('.nii') ? ['-odt', options.odt ?? 'input'] : [])];
  const input = encodeNifti1(volume);
  ctx.log(`niimath ${args.join(' ')}`);
  return engine.run(args, { 'in.nii': input, ...options.extra }, output, (line, stream) => ctx.log(line, stream));
}

/** Runs niimath and reads its .nii output's voxels. */
export async function niimathVoxels(
  volume: Volume,
  ops: readonly string[],
  ctx: OpContext,
  options: { odt?: string; extra?: ExtraInputs } = {},
): Promise<PixelArray> {
  const out = decodeNifti1(await runNiimath(volume, ops, ctx, options));
  const same = out.dimensions.every((d, a) => d === volume.dimensions[a]);
  if (!same) throw new Error(`niimath returned ${out.dimensions.join(' x ')} voxels for a ${volume.dimensions.join(' x ')} input`);
  return out.data;
}
