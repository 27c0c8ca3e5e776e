/**
 * An engine a worker loads on first use and keeps for every task after (a wasm instance, a
 * package's glue). A failed load is not kept: the next task tries again, so a network blip or a
 * missing asset fixed later does not poison the worker for good.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () =>
    (loading ??= load().catch((e: unknown) => {
      loading = null;
      throw e;
    }));
}
