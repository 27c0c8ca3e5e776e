/** Talking to a `voxpool serve` (the built CLI) over raw node:http, so a `..` or a foreign Host reaches it as sent. */
import { request } from 'node:http';
import { voxpool, type Cli } from './cli-support.ts';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json<T>(): T;
}

export interface Served {
  cli: Cli;
  base: URL;
  send(method: string, path: string, options?: { body?: Buffer | string; headers?: Record<string, string> }): Promise<Reply>;
}

/** Starts `voxpool serve` with `args` (plus `--port 0`) and resolves once it listens. */
export async function serve(args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Served> {
  const cli = voxpool(['serve', '--port', '0', ...args], cwd, env);
  const line = await cli.line(/^voxpool serve: http/);
  const base = new URL(/(http:\/\/\S+)/.exec(line)![1]!);
  const send: Served['send'] = (method, path, options = {}) =>
    new Promise((resolve, reject) => {
      const req = request({ host: base.hostname, port: base.port, method, path, headers: options.headers ?? {} }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          const body = Buffer.concat(parts);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body.toString('utf8')) as T });
        });
      });
      req.on('error', reject);
      req.end(options.body);
    });
  return { cli, base, send };
}

export const jsonBody = (body: unknown): { body: string; headers: Record<string, string> } => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});

/** A workflow reading one uploaded NIfTI, smoothing it twice and writing both. */
export function readSmoothWorkflow(name: string, input = 'sub-01/anat/a.nii', out = 'derivatives/a_rf{radiusFactor}.nii') {
  return {
    format: 'voxpool-workflow',
    version: 1,
    name,
    tasks: [
      { id: 'read', op: 'volume.read', inputs: { files: [{ file: input }] } },
      { id: 'smooth', op: 'volume.gaussianVtk', params: { std: 2 }, each: [{ radiusFactor: 0 }, { radiusFactor: 5 }], inputs: { volume: { task: 'read' } } },
      { id: 'save', op: 'volume.write', each: 'smooth', params: { format: 'nii' }, inputs: { volume: { task: 'smooth' } }, outputs: { bytes: out } },
    ],
  };
}
