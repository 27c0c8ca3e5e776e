import { afterEach, describe, expect, it } from 'vitest';
import { InputError, type Pool } from '../../src/index.ts';
import { testPool, type TestOps } from '../fixtures/pool.ts';

let pool: Pool<TestOps> | null = null;
afterEach(async () => {
  await pool?.terminate();
  pool = null;
});

describe('transfer', () => {
  it('moves every buffer reachable from the input, nested ones included, at once', async () => {
    pool = testPool({ size: 1 });
    const a = new Float32Array(1024).fill(1);
    const b = new Uint16Array(512).fill(2);
    const raw = new ArrayBuffer(256);
    const input = { mesh: { points: a, extra: [b, { deep: raw }] }, view: new DataView(new ArrayBuffer(8)), same: a };
    const h = pool.submit('test.echo', input);
    // Detached as soon as the task is submitted: ownership moved to the pool.
    expect(a.buffer.byteLength).toBe(0);
    expect(b.buffer.byteLength).toBe(0);
    expect(raw.byteLength).toBe(0);
    const out = (await h.result) as typeof input;
    expect(out.mesh.points.length).toBe(1024);
    expect(out.mesh.points[1023]).toBe(1);
    expect((out.mesh.extra[0] as Uint16Array)[511]).toBe(2);
    expect(out.same).toBe(out.mesh.points); // one buffer, moved once, identity kept
    expect(h.record.bytesIn).toBe(4096 + 1024 + 256 + 8);
    expect(h.record.bytesOut).toBe(4096 + 1024 + 256 + 8);
  });

  it('moves result buffers back without a copy (the worker loses them)', async () => {
    pool = testPool({ size: 1 });
    const out = await pool.run('fixture.retain', { bytes: 1 << 20 });
    expect(out.byteLength).toBe(1 << 20);
    expect(out[0]).toBe(7);
    // The worker kept a reference to the buffer it returned: it is detached there now.
    expect(await pool.run('fixture.retainedLength', null)).toBe(0);
  });

  it("keeps the caller's buffers with input: 'copy'", async () => {
    pool = testPool({ size: 1 });
    const points = new Float32Array(300).fill(1);
    const out = await pool.run('mesh.jitter', { points, amplitude: 5, seed: 3 }, { input: 'copy' });
    expect(points.length).toBe(300);
    expect(points.every((v) => v === 1)).toBe(true);
    expect(out.points.some((v) => v !== 1)).toBe(true);
  });

  it('passes SharedArrayBuffers as they are (shared, not moved)', async () => {
    pool = testPool({ size: 1 });
    expect(crossOriginIsolated).toBe(true); // the test server sends COOP/COEP
    const shared = new Int32Array(new SharedArrayBuffer(16));
    expect(await pool.run('fixture.sharedWrite', { shared })).toBe(1);
    expect(shared.buffer.byteLength).toBe(16);
    expect(Atomics.load(shared, 0)).toBe(42);
  });

  it('refuses a buffer that was already transferred, naming where it is', async () => {
    pool = testPool({ size: 1 });
    const points = new Float32Array(30);
    structuredClone(points.buffer, { transfer: [points.buffer] });
    const e = await pool.run('mesh.jitter', { points, amplitude: 1, seed: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).input).toBe('input.points');
    expect((e as Error).message).toMatch(/detached/);
  });

  it('refuses input that cannot be cloned, and only that task', async () => {
    pool = testPool({ size: 1 });
    const bad = pool.run('test.echo', { f: () => 1 } as never);
    const good = pool.run('test.echo', 5);
    await expect(bad).rejects.toThrow(/cannot be sent to a worker|could not be cloned/);
    expect(await good).toBe(5);
  });

  it('an operation reports bad input as an InputError that names it', async () => {
    pool = testPool({ size: 1 });
    const e = await pool.run('mesh.jitter', { points: new Float32Array(4), amplitude: 1, seed: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).input).toBe('input.points');
    expect((e as Error).message).toMatch(/not a multiple of 3/);
  });
});
