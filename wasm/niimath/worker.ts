/**
 * niimath's worker half: one Emscripten instance per worker, made on first use from the
 * WebAssembly.Module the pool compiled once on the page (the `niimath` resource, through
 * Emscripten's `instantiateWasm` hook), or — in a pool without it — loaded by the glue itself
 * from the staged files. Every task reuses it: files go in and out of its in-memory file system
 * and `callMain` runs the command line, as `niimath in.nii <ops> out.nii` would.
 */
import { loadOnce, registerMemorySource, resource } from '../../src/worker/index.ts';
import { assetRoot } from '../worker-assets.ts';
import { compileNiimath, NIIMATH, NIIMATH_GLUE, niimathUrls } from './page.ts';

/** The parts of niimath's Emscripten module (MODULARIZE, EXPORT_ES6) we use. */
interface EmscriptenNiimath {
  /** Runs main; mutates its argument, so give it a fresh array each time. */
  callMain(args: string[]): number;
  FS_createDataFile(parent: string, name: string, data: Uint8Array, canRead: boolean, canWrite: boolean): void;
  FS_readFile(path: string): Uint8Array<ArrayBuffer>;
  FS_unlink(path: string): void;
}

interface EmscriptenOptions {
  print(line: string): void;
  printErr(line: string): void;
  locateFile(path: string): string;
  instantiateWasm?(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): object;
}

type NiimathFactory = (options: EmscriptenOptions) => Promise<EmscriptenNiimath>;

/** niimath ran but failed: its exit code and the last lines it wrote. */
export class NiimathError extends Error {
  override name = 'NiimathError';
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number,
    readonly lines: readonly string[],
  ) {
    super(`niimath ${args.join(' ')} exited with ${exitCode}${lines.length ? `: ${lines.slice(-3).join(' | ')}` : ''}`);
  }
}

export type LogSink = (line: string, stream: 'out' | 'err') => void;

/** Lines kept for an error message. */
const TAIL = 20;

export class Niimath {
  private sink: LogSink | null = null;
  private tail: string[] = [];

  constructor(private readonly module: EmscriptenNiimath) {}

  /** Called by the glue for each stdout/stderr line (the instance is shared by every task). */
  readonly write = (line: string, stream: 'out' | 'err'): void => {
    this.tail.push(line);
    if (this.tail.length > TAIL) this.tail.shift();
    this.sink?.(line, stream);
  };

  /**
   * Writes `inputs` into the instance's file system, runs `niimath <args>`, and returns the
   * bytes of `output`. Every file is removed again, whatever happens.
   */
  run(args: readonly string[], inputs: Readonly<Record<string, Uint8Array>>, output: string, log?: LogSink): Uint8Array<ArrayBuffer> {
    const m = this.module;
    const names = Object.keys(inputs);
    this.sink = log ?? null;
    this.tail = [];
    try {
      for (const name of names) m.FS_createDataFile('/', name, inputs[name]!, true, true);
      const code = m.callMain([...args]);
      if (code !== 0) throw new NiimathError(args, code, this.tail);
      try {
        return m.FS_readFile(`/${output}`);
      } catch {
        throw new NiimathError(args, code, [...this.tail, `no output file ${output}`]);
      }
    } finally {
      this.sink = null;
      for (const name of [...names, output]) {
        try {
          m.FS_unlink(`/${name}`);
        } catch {
          // Not there: niimath failed before writing it.
        }
      }
    }
  }
}

/** This worker's niimath, made on first call and reused by every task after. */
export const niimath: () => Promise<Niimath> = loadOnce(load);

async function load(): Promise<Niimath> {
  const base = assetRoot();
  const urls = niimathUrls(base);
  // Node's runner has no staged site: it names the glue in node_modules itself.
  const glue = resource<string>(NIIMATH_GLUE) ?? urls.glue;
  const posted = resource<WebAssembly.Module>(NIIMATH.resource);
  // Without the pool's module (a pool made without createPool's resources), compile it here:
  // either way the instance is made by us, so its memory can be watched.
  const [factory, compiled] = await Promise.all([
    import(/* @vite-ignore */ glue).then((m: { default: NiimathFactory }) => m.default),
    posted instanceof WebAssembly.Module ? posted : compileNiimath(base),
  ]);
  let engineRef: Niimath | null = null;
  let memory: WebAssembly.Memory | null = null;
  let failed!: (e: unknown) => void;
  const failure = new Promise<never>((_, reject) => (failed = reject));
  const options: EmscriptenOptions = {
    print: (line) => engineRef?.write(line, 'out'),
    printErr: (line) => engineRef?.write(line, 'err'),
    locateFile: (path) => new URL(path, glue).href,
    instantiateWasm: (imports, done) => {
      WebAssembly.instantiate(compiled, imports).then((instance) => {
        memory = Object.values(instance.exports).find((e): e is WebAssembly.Memory => e instanceof WebAssembly.Memory) ?? null;
        done(instance, compiled);
      }, failed);
      return {}; // Emscripten's sign that instantiation goes on asynchronously
    },
  };
  const module = await Promise.race([factory(options), failure]);
  engineRef = new Niimath(module);
  const mem = memory as WebAssembly.Memory | null;
  if (mem) registerMemorySource(() => mem.buffer.byteLength);
  return engineRef;
}
