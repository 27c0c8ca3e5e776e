/// <reference lib="webworker" />
/** The floor, stamped: when the message arrived and when the answer is posted. */
onmessage = (e: MessageEvent<{ id: number }>) => {
  const arrived = performance.timeOrigin + performance.now();
  postMessage({ id: e.data.id, arrived, posted: performance.timeOrigin + performance.now() });
};
