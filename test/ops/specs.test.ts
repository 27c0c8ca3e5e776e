/**
 * One declaration per op (workers/specs.ts): the worker and the splitter refuse a bad parameter
 * with the same message, the page's pool admits a task at the op's declared memory factor, and
 * the generated messages say in words what a value must be.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createPool, InputError, splitVolume } from '../../src/index.ts';
import { checkParam, checkParams } from '../../src/core/op-spec.ts';
import { builtinSpecs } from '../../workers/specs.ts';
import type { Volume } from '../../src/data/volume.ts';
import type { MedianInput } from '../../workers/ops/median.ts';

const pool = createPool({ size: 2 });
afterAll(() => pool.terminate());

const volume = (): Volume => ({
  name: 'cube',
  data: Int16Array.from({ length: 6 * 5 * 8 }, (_, n) => (n * 7919) % 1000),
  dimensions: [6, 5, 8],
  spacing: [1, 1, 1],
  origin: [0, 0, 0],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  components: 1,
});

const refusal = (p: Promise<unknown>): Promise<InputError> =>
  p.then(
    () => {
      throw new Error('accepted a bad parameter');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(InputError);
      return e as InputError;
    },
  );

describe('op specs', () => {
  it('the worker and the splitter refuse a bad parameter with one and the same message', async () => {
    const cases = [
      ['volume.median', { kernelSize: [2, 3, 3] }],
      ['volume.dilate', { radius: 65 }],
      ['volume.erode', { radius: 1, shape: 'cross' }],
      ['volume.gaussianVtk', { radiusFactor: -1 }],
    ] as const;
    for (const [op, params] of cases) {
      const inWorker = await refusal(pool.run(op, { volume: volume(), ...params } as never));
      const onPage = await refusal(splitVolume(pool, op, { volume: volume(), ...params } as never));
      expect(onPage.message, op).toBe(inWorker.message);
      expect(onPage.input, op).toBe(inWorker.input);
    }
    expect(pool.tasks().filter((t) => t.state === 'failed')).toHaveLength(cases.length); // the splitter sent none
  });

  it("createPool admits a built-in op's task at its declared memory factor", async () => {
    const bytes = 6 * 5 * 8 * 2;
    const median = pool.submit('volume.median', { volume: volume() });
    const dilate = pool.submit('volume.dilate', { volume: volume(), radius: 1 });
    const points = new Float32Array(30);
    const jitter = pool.submit('mesh.jitter', { points, amplitude: 1, seed: 1 });
    await Promise.all([median.result, dilate.result, jitter.result]);
    expect(median.record.memory).toBe(builtinSpecs['volume.median'].memoryFactor * bytes);
    expect(median.record.memory).toBe(4 * bytes);
    expect(dilate.record.memory).toBe(5 * bytes);
    expect(jitter.record.memory).toBe(3 * 30 * 4); // no factor declared: the pool's default
  });

  it('says in words what a value must be, naming the parameter', () => {
    const message = (name: string, p: Parameters<typeof checkParam>[1], v: unknown): string => {
      try {
        checkParam(name, p, v);
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(message('kernelSize', builtinSpecs['volume.median'].params.kernelSize, [2, 3, 3])).toBe(
      'input.kernelSize: must be three odd whole numbers of voxels from 1 to 99 (got [2,3,3])',
    );
    expect(message('radius', builtinSpecs['volume.dilate'].params.radius, -1)).toBe(
      'input.radius: must be a whole number of voxels from 0 to 64, or three of them (got -1)',
    );
    expect(message('connectivity', builtinSpecs['volume.components'].params.connectivity, 8)).toBe('input.connectivity: must be 6, 18 or 26 (got 8)');
    expect(message('passBand', builtinSpecs['mesh.smooth'].params.passBand, 2)).toBe('input.passBand: must be a number in (0, 2) (got 2)');
    expect(message('ratio', builtinSpecs['mesh.decimate'].params.ratio, 0)).toBe('input.ratio: must be a fraction in (0, 1] (got 0)');
    expect(message('sigma', builtinSpecs['volume.gaussian'].params.sigma, 1)).toBe('accepted');
    // Defaults fill in what was left out; a cross-parameter check runs after the parameters'.
    expect(checkParams(builtinSpecs['volume.median'], { volume: volume() } as MedianInput).kernelSize).toEqual([3, 3, 3]);
    expect(() => checkParams(builtinSpecs['volume.threshold'], { volume: volume(), lower: 5, upper: 1 })).toThrow(/input\.lower: is above input\.upper/);
  });

  it('text.write writes its text as UTF-8 in a worker, and refuses a name with a folder or a text that is not a string', async () => {
    const text = '{\n  "Name": "ds: ü (voxpool)"\n}\n';
    const out = await pool.run('text.write', { name: 'dataset_description.json', text });
    expect(out.name).toBe('dataset_description.json');
    expect(out.bytes).toEqual(new TextEncoder().encode(text));
    const named = await refusal(pool.run('text.write', { name: 'sub/x.json', text }));
    expect(named.message).toBe('input.name: must be a file name without a folder (got "sub/x.json")');
    const untexted = await refusal(pool.run('text.write', { name: 'x.json', text: 3 as unknown as string }));
    expect(untexted.message).toBe("input.text: must be a string, the file's content (got number)");
  });
});
