/** The capped gzip inflater: several members read whole, a cut stream says so, a bomb stops at the cap. */
import { describe, expect, it } from 'vitest';
import { inflateCapped } from '../../src/data/inflate.ts';

async function gzip(x: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await new Response(new Blob([x as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
}

describe('inflateCapped', () => {
  it('reads a stream of several gzip members whole (as zlib and nibabel do)', async () => {
    const [a, b] = [await gzip(new Uint8Array(5000).fill(1)), await gzip(new Uint8Array(7000).fill(2))];
    const both = new Uint8Array(a.length + b.length);
    both.set(a);
    both.set(b, a.length);
    const r = await inflateCapped(both, 1 << 20);
    expect([r.bytes.length, r.broken, r.more]).toEqual([12_000, null, false]);
    expect([r.bytes[4999], r.bytes[5000], r.bytes[11_999]]).toEqual([1, 2, 2]);
  });

  it('says a cut stream is broken and hands back what came before', async () => {
    const whole = await gzip(Uint8Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251));
    const r = await inflateCapped(whole.subarray(0, whole.length >> 1), 1 << 20);
    expect(r.broken).toMatch(/./);
    expect(r.bytes.length).toBeGreaterThan(0);
    expect(r.bytes.length).toBeLessThan(50_000);
  });

  it('stops at the cap and notices there is more', async () => {
    const big = await gzip(new Uint8Array(64 << 20));
    const r = await inflateCapped(big, 10_000);
    expect([r.bytes.length, r.more]).toEqual([10_000, true]);
  });
});
