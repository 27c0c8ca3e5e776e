// poolifier-web-worker detects a browser through globalThis.window, which a worker lacks.
(globalThis as { window?: unknown }).window ??= globalThis;
