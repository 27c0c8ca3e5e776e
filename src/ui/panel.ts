/**
 * What each panel of <voxpool-app> gets from the app: its host to redraw, the pool, the
 * retry-keeping job runner and the page's error list. A panel keeps its own state, asks the host
 * for an update when it changes, and renders a part of the app's template, so the page stays one
 * shadow root (its styles, and every query of tests and host pages, unchanged). The panels with a
 * lifecycle of their own (the scene, the pipeline) are registered as Lit ReactiveControllers.
 */
import type { ReactiveControllerHost } from 'lit';
import type { Pool } from '../pool/pool.ts';
import type { BuiltinOps } from '../../workers/builtin.ts';
import type { JobRunner } from './jobs.ts';
import type { PageOps } from './page-ops.ts';

export interface PanelHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface AppContext {
  readonly host: PanelHost;
  /** The pool the app was given or made; undefined once disconnected. */
  pool(): Pool<BuiltinOps> | undefined;
  /** The same pool typed for the page's own calls; throws once disconnected. */
  pagePool(): Pool<PageOps>;
  /** The pool with the built-in ops' types (workflows and studies); throws once disconnected. */
  builtinPool(): Pool<BuiltinOps>;
  readonly jobs: JobRunner;
  report(error: Error, context: string): void;
}
