/// <reference lib="webworker" />
/** The floor: answers each message with itself. */
onmessage = (e: MessageEvent<unknown>) => postMessage(e.data);
