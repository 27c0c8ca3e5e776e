/**
 * Memory a worker knows it holds. Engines register their WebAssembly memories here, since a
 * wasm instance's memory only grows: it is the figure that tells a worker is getting heavy.
 */
const sources = new Set<() => number>();

export function registerMemorySource(source: () => number): () => void {
  sources.add(source);
  return () => sources.delete(source);
}

export function memoryInUse(): number {
  // Read at every flush: a worker with no engine loaded makes no iterator.
  if (sources.size === 0) return 0;
  let total = 0;
  for (const s of sources) total += s();
  return total;
}
