/**
 * One WebGL context for every view on the page. Chromium keeps at most 16 live contexts per page
 * and drops the oldest past that, so a view per render window went blank after ~16 results.
 * Here one vtk.js render window, never attached to the document, holds every view's renderer;
 * a view is drawn by letting only its renderer draw, into the bottom-left corner of the shared
 * canvas at the view's size, and copying that corner into the view's own 2D canvas in the same
 * task (so the WebGL drawing buffer needs no `preserveDrawingBuffer`).
 *
 * Chosen over one render window with a renderer per viewport laid over the page: that canvas
 * would have to follow scrolling, clipping and the grid's layout, and redraw every viewport when
 * any one changes; a copy per view keeps plain DOM layout and redraws only what changed. The
 * copy of a 440 x 440 view costs well under a millisecond here (measured in test/scene/).
 */
import '@kitware/vtk.js/Rendering/OpenGL/Profiles/Geometry';
import '@kitware/vtk.js/Rendering/OpenGL/Profiles/Volume';
import vtkRenderWindow from '@kitware/vtk.js/Rendering/Core/RenderWindow';
import type vtkRenderer from '@kitware/vtk.js/Rendering/Core/Renderer';
import vtkOpenGLRenderWindow from '@kitware/vtk.js/Rendering/OpenGL/RenderWindow';
import vtkRenderWindowInteractor from '@kitware/vtk.js/Rendering/Core/RenderWindowInteractor';

/** What the compositor draws: a renderer and the 2D canvas its frames go to. */
export interface Target {
  readonly renderer: vtkRenderer;
  readonly canvas: HTMLCanvasElement;
  /** Called after each frame is copied (overlays such as a crosshair are drawn here). */
  afterDraw?(context: CanvasRenderingContext2D): void;
}

export interface FrameStats {
  /** Views drawn since the compositor was made. */
  frames: number;
  /** Milliseconds spent rendering and copying them. */
  milliseconds: number;
}

export class Compositor {
  private readonly renderWindow = vtkRenderWindow.newInstance();
  private readonly glWindow = vtkOpenGLRenderWindow.newInstance();
  // Never bound to events (each view handles its own): the volume mapper asks it whether the
  // user is interacting, and fails without one.
  private readonly interactor = vtkRenderWindowInteractor.newInstance();
  private readonly targets = new Set<Target>();
  private readonly dirty = new Set<Target>();
  private readonly contexts = new WeakMap<Target, CanvasRenderingContext2D>();
  private size: [number, number] = [1, 1];
  private frame = 0;
  private deleted = false;
  readonly stats: FrameStats = { frames: 0, milliseconds: 0 };

  constructor() {
    this.renderWindow.addView(this.glWindow);
    this.glWindow.setSize(1, 1);
    this.interactor.setView(this.glWindow);
    this.renderWindow.setInteractor(this.interactor);
    this.interactor.initialize();
  }

  /** The one WebGL canvas (never in the document). */
  get glCanvas(): HTMLCanvasElement {
    return this.glWindow.getCanvas() as HTMLCanvasElement;
  }

  get count(): number {
    return this.targets.size;
  }

  add(target: Target): void {
    this.targets.add(target);
    target.renderer.setDraw(false);
    this.renderWindow.addRenderer(target.renderer);
  }

  remove(target: Target): void {
    if (!this.targets.has(target)) return;
    // vtk.js builds the scene nodes of every renderer in the window on each render but draws only
    // ours, and an image mapper's node that was built but never drawn fails when deleted (it has
    // no texture yet). Drawn once more before it goes, every node the renderer holds has one.
    this.settle(target);
    this.targets.delete(target);
    this.dirty.delete(target);
    this.renderWindow.removeRenderer(target.renderer);
  }

  /** Draws the target at the next frame; many requests in one frame draw it once. */
  request(target: Target): void {
    if (this.deleted || !this.targets.has(target)) return;
    this.dirty.add(target);
    this.frame ||= requestAnimationFrame(() => this.flush());
  }

  /** Draws every pending target now. */
  flush(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    const pending = [...this.dirty];
    this.dirty.clear();
    for (const t of pending) this.draw(t);
  }

  /** Draws the target once so every scene node under its renderer is complete (see remove). */
  settle(target: Target): void {
    const { canvas } = target;
    if (canvas.width < 1 || canvas.height < 1) canvas.width = canvas.height = 1;
    this.draw(target);
  }

  /** Draws one target now, whatever is pending. */
  draw(target: Target): void {
    if (this.deleted || !this.targets.has(target)) return;
    const { canvas, renderer } = target;
    const w = canvas.width;
    const h = canvas.height;
    if (w < 1 || h < 1) return;
    const started = performance.now();
    this.dirty.delete(target);
    // The shared canvas only grows: a reallocation per view of another size would cost more.
    if (w > this.size[0] || h > this.size[1]) {
      this.size = [Math.max(w, this.size[0]), Math.max(h, this.size[1])];
      this.glWindow.setSize(...this.size);
    }
    const [W, H] = this.size;
    for (const r of this.renderWindow.getRenderers()) r.setDraw(r === renderer);
    renderer.setViewport(0, 0, w / W, h / H);
    this.renderWindow.render();
    renderer.setDraw(false);
    let context = this.contexts.get(target);
    if (!context) {
      context = canvas.getContext('2d') ?? undefined;
      if (!context) return;
      this.contexts.set(target, context);
    }
    // WebGL's origin is the bottom-left: the view's corner is the canvas's last h rows.
    context.clearRect(0, 0, w, h);
    context.drawImage(this.glCanvas, 0, H - h, w, h, 0, 0, w, h);
    target.afterDraw?.(context);
    this.stats.frames++;
    this.stats.milliseconds += performance.now() - started;
  }

  delete(): void {
    if (this.deleted) return;
    this.deleted = true;
    cancelAnimationFrame(this.frame);
    for (const t of this.targets) this.renderWindow.removeRenderer(t.renderer);
    this.targets.clear();
    this.interactor.delete();
    this.renderWindow.removeView(this.glWindow);
    // delete() frees the WebGL context now rather than at garbage collection.
    this.glWindow.delete();
    this.renderWindow.delete();
  }
}

let shared: Compositor | null = null;
let users = 0;

/** The page's one compositor, made on first use and freed when its last user lets go. */
export function acquireCompositor(): Compositor {
  shared ??= new Compositor();
  users++;
  return shared;
}

export function releaseCompositor(): void {
  users = Math.max(0, users - 1);
  if (users === 0 && shared) {
    shared.delete();
    shared = null;
  }
}
