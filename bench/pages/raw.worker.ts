/// <reference lib="webworker" />
/** The floor: a bare worker that answers each message with one message, nothing else. */
onmessage = (e: MessageEvent<{ id: number; data: unknown; back?: 'transfer' | 'clone' }>) => {
  const { id, data, back } = e.data;
  const transfer = back === 'transfer' && data instanceof Float32Array ? [data.buffer] : [];
  postMessage({ id, data }, transfer);
};
