/**
 * The page's side of `voxpool serve` (src/study/remote-api.ts): whether the page is served by it
 * (one same-origin request; on a plain static host it fails quietly and nothing changes), and a
 * study sent there: the exported workflow file and the input files it names uploaded, started on
 * the server's Node pool or on Slurm, its state polled, cancelled, and its output files fetched
 * back. Only the page's own origin is ever asked (`connect-src 'self'` is enough).
 */
import {
  API_PREFIX,
  API_VERSION,
  SERVE_MARK,
  type ApiError,
  type Capabilities,
  type CreatedRun,
  type RemoteExecutor,
  type RemoteOutputs,
  type RemoteRunStatus,
} from '../study/remote-api.ts';

/** The server refused a request or could not be reached; the message is the server's own words. */
export class RemoteRunError extends Error {
  override name = 'RemoteRunError';
  constructor(
    message: string,
    /** The server's error class (UnsafePathError, WorkflowFileError...), or '' when it did not answer. */
    readonly kind: string,
  ) {
    super(message);
  }
}

/** How often a running run's state is asked for. */
const POLL_MS = 400;

/** The server's capabilities if `voxpool serve` serves this page, else null (never throws). */
export async function serverCapabilities(base: string): Promise<Capabilities | null> {
  try {
    const res = await fetch(new URL(`${API_PREFIX}capabilities`, base), { headers: { accept: 'application/json' }, cache: 'no-store' });
    if (!res.ok || !(res.headers.get('content-type') ?? '').startsWith('application/json')) return null;
    const c = (await res.json()) as Partial<Capabilities> | null;
    // A static host answering every path with its index page, or another server's JSON, is not voxpool serve.
    return c && c.server === SERVE_MARK && c.api === API_VERSION && Array.isArray(c.executors) ? (c as Capabilities) : null;
  } catch {
    return null;
  }
}

async function call<T>(url: URL, init: RequestInit, what: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, cache: 'no-store' });
  } catch (e) {
    throw new RemoteRunError(`${what}: the server did not answer (${e instanceof Error ? e.message : String(e)})`, '');
  }
  if (res.ok) return (await res.json()) as T;
  const body = (await res.json().catch(() => null)) as ApiError | null;
  throw new RemoteRunError(`${what}: ${body?.message ?? `the server answered ${res.status}`}`, body?.error ?? '');
}

const pathUrl = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

/** One study run on the server. */
export class RemoteStudyRun {
  private constructor(
    private readonly base: string,
    readonly id: string,
    readonly executor: RemoteExecutor,
  ) {}

  private url(rest = ''): URL {
    return new URL(`${API_PREFIX}runs/${encodeURIComponent(this.id)}${rest}`, this.base);
  }

  /** Sends the workflow file and every input it names (`fileOf` finds each in the picked folder), then starts it. */
  static async submit(base: string, workflow: string, executor: RemoteExecutor, fileOf: (path: string) => Blob | undefined): Promise<RemoteStudyRun> {
    const json = { 'content-type': 'application/json' };
    const created = await call<CreatedRun>(
      new URL(`${API_PREFIX}runs`, base),
      { method: 'POST', headers: json, body: JSON.stringify({ workflow, executor }) },
      'sending the workflow',
    );
    const run = new RemoteStudyRun(base, created.id, executor);
    for (const path of created.inputs) {
      const file = fileOf(path);
      if (!file) throw new RemoteRunError(`${path} is in the workflow but not in the folder`, '');
      await call(
        run.url(`/inputs/${pathUrl(path)}`),
        { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: file },
        `uploading ${path}`,
      );
    }
    await call<RemoteRunStatus>(run.url('/start'), { method: 'POST' }, 'starting the run');
    return run;
  }

  status(): Promise<RemoteRunStatus> {
    return call(this.url(), {}, "asking for the run's state");
  }

  cancel(): Promise<RemoteRunStatus> {
    return call(this.url('/cancel'), { method: 'POST' }, 'cancelling the run');
  }

  /** Asks for its state until it is finished, handing each one to `seen`; resolves with the last. */
  async follow(seen: (s: RemoteRunStatus) => void): Promise<RemoteRunStatus> {
    for (;;) {
      const s = await this.status();
      seen(s);
      if (s.finished) return s;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** Every file the run wrote, by its path in the output folder. */
  async outputs(): Promise<Map<string, Uint8Array>> {
    const list = await call<RemoteOutputs>(this.url('/outputs'), {}, 'listing the outputs');
    const files = new Map<string, Uint8Array>();
    for (const f of list.files) {
      let res: Response;
      try {
        res = await fetch(this.url(`/outputs/${pathUrl(f.path)}`), { cache: 'no-store' });
      } catch (e) {
        throw new RemoteRunError(`fetching ${f.path}: the server did not answer (${e instanceof Error ? e.message : String(e)})`, '');
      }
      if (!res.ok) throw new RemoteRunError(`fetching ${f.path}: the server answered ${res.status}`, '');
      files.set(f.path, new Uint8Array(await res.arrayBuffer()));
    }
    return files;
  }
}
