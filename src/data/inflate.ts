/**
 * Gzip inflated as a stream with a byte cap (the browser's own DecompressionStream): a header
 * that needs 16 KiB never lets a bomb under it inflate to gigabytes, and a cut stream says
 * how far it got instead of handing back zeros.
 */

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Deflate's best ratio is about 1032:1; a stream claiming more than this cannot hold it. */
export const MAX_DEFLATE_RATIO = 1032;

export interface Inflated {
  /** The first bytes of the stream, at most `cap`. */
  bytes: Uint8Array<ArrayBuffer>;
  /** The stream goes on past `cap`. */
  more: boolean;
  /** The stream ended early or is corrupt (`bytes` is what came out before). */
  broken: string | null;
}

/**
 * Compressed bytes go in in slices this small: the stream inflates each input chunk whole, so
 * one 260 KB chunk of a bomb would come out as 256 MiB before the cap is looked at.
 */
const SLICE = 4096;

/** Inflates at most `cap` bytes (and looks one chunk further, to tell whether there is more). */
export async function inflateCapped(gz: Uint8Array, cap: number): Promise<Inflated> {
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let stop = false;
  const feeding = (async () => {
    for (let at = 0; at < gz.length && !stop; at += SLICE) await writer.write(gz.slice(at, at + SLICE));
    if (!stop) await writer.close();
  })().catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let filled = 0;
  let more = false;
  let broken: string | null = null;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (filled >= cap) {
        if (value.length > 0) {
          more = true;
          break;
        }
        continue;
      }
      const take = Math.min(value.length, cap - filled);
      chunks.push(take === value.length ? value : value.subarray(0, take));
      filled += take;
      if (take < value.length) {
        more = true;
        break;
      }
    }
  } catch (e) {
    broken = e instanceof Error && e.message ? e.message : 'the compressed stream is corrupt';
  } finally {
    stop = true;
    reader.cancel().catch(() => undefined);
    writer.abort().catch(() => undefined);
  }
  await feeding;
  const bytes = new Uint8Array(filled);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { bytes, more, broken };
}
