/**
 * A task result's SHA-256 over a canonical encoding, the same in a page and in Node, so the
 * pipeline benchmark can tell that the page, the Node runner and Slurm made the same outputs:
 * object keys sorted, undefined fields left out (a stored result has none), typed arrays by their
 * kind and bytes (a SharedArrayBuffer-backed view hashes as a plain one: only the bytes count).
 */
const encoder = new TextEncoder();

function encode(value: unknown, parts: Uint8Array[]): void {
  if (ArrayBuffer.isView(value)) {
    parts.push(encoder.encode(`<${value.constructor.name}:${value.byteLength}>`));
    parts.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  } else if (value instanceof ArrayBuffer) {
    parts.push(encoder.encode(`<ArrayBuffer:${value.byteLength}>`), new Uint8Array(value));
  } else if (Array.isArray(value)) {
    parts.push(encoder.encode('['));
    for (const v of value) {
      encode(v, parts);
      parts.push(encoder.encode(','));
    }
    parts.push(encoder.encode(']'));
  } else if (value !== null && typeof value === 'object') {
    parts.push(encoder.encode('{'));
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      parts.push(encoder.encode(`${JSON.stringify(k)}:`));
      encode(v, parts);
      parts.push(encoder.encode(','));
    }
    parts.push(encoder.encode('}'));
  } else {
    parts.push(encoder.encode(JSON.stringify(value) ?? 'undefined'));
  }
}

/** Hex SHA-256 of `value`'s canonical encoding. */
export async function resultDigest(value: unknown): Promise<string> {
  const parts: Uint8Array[] = [];
  encode(value, parts);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The shape of `value` in words (fields, array kinds and lengths, short values): what a differing digest is first looked at by. */
export function resultOutline(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength} bytes)`;
  if (value instanceof ArrayBuffer) return `ArrayBuffer(${value.byteLength} bytes)`;
  if (Array.isArray(value)) return value.length > 16 ? `Array(${value.length})` : value.map(resultOutline);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, resultOutline((value as Record<string, unknown>)[k])]),
    );
  return value;
}
