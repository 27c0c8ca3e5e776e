/**
 * One view: a renderer of its own and a plain 2D canvas in its element. The pixels come from the
 * page's one WebGL context (compositor.ts), so any number of views stay drawn.
 */
import vtkRenderer from '@kitware/vtk.js/Rendering/Core/Renderer';
import { acquireCompositor, releaseCompositor, type Compositor, type Target } from './compositor.ts';

export const BACKGROUND: [number, number, number] = [0.08, 0.09, 0.11];

export class View implements Target {
  readonly renderer = vtkRenderer.newInstance({ background: BACKGROUND });
  readonly canvas = document.createElement('canvas');
  private readonly compositor: Compositor;
  private readonly resizeObserver: ResizeObserver;
  private readonly overlays: ((context: CanvasRenderingContext2D) => void)[] = [];
  private disposed = false;

  constructor(
    readonly container: HTMLElement,
    style: '3d' | 'image',
  ) {
    this.compositor = acquireCompositor();
    this.canvas.width = this.canvas.height = 1;
    container.append(this.canvas);
    this.compositor.add(this);
    if (style === '3d') bindOrbit(this);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.resize();
  }

  /** Renders at the next frame; many calls in one frame render once. */
  render(): void {
    if (!this.disposed) this.compositor.request(this);
  }

  /** Renders now (no frame wait). */
  renderNow(): void {
    if (!this.disposed) this.compositor.draw(this);
  }

  /** Draws on top of every frame (crosshair, labels drawn in pixels). */
  addOverlay(draw: (context: CanvasRenderingContext2D) => void): void {
    this.overlays.push(draw);
  }

  afterDraw(context: CanvasRenderingContext2D): void {
    for (const draw of this.overlays) draw(context);
  }

  /** Renders now and resolves with a PNG data URL of what the view shows. */
  async capture(): Promise<string> {
    this.renderNow();
    return this.canvas.toDataURL('image/png');
  }

  resetCamera(): void {
    this.renderer.resetCamera();
    this.render();
  }

  /** Device pixels per CSS pixel of this view's canvas. */
  get scale(): number {
    const { width } = this.canvas.getBoundingClientRect();
    return width > 0 ? this.canvas.width / width : 1;
  }

  private resize(): void {
    const { width, height } = this.container.getBoundingClientRect();
    if (width < 1 || height < 1) return;
    const dpr = Math.min(globalThis.devicePixelRatio || 1, 2);
    const w = Math.floor(width * dpr);
    const h = Math.floor(height * dpr);
    if (w === this.canvas.width && h === this.canvas.height) return;
    this.canvas.width = w;
    this.canvas.height = h;
    // A resized canvas is blank until drawn: draw now rather than show an empty frame.
    this.renderNow();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.resizeObserver.disconnect();
    this.compositor.remove(this);
    this.renderer.delete();
    this.canvas.remove();
    releaseCompositor();
  }
}

/** Turns the camera about the focal point by dragging, zooms by wheel; arrows and +/- from the keyboard. */
function bindOrbit(view: View): void {
  const canvas = view.canvas;
  let last: { x: number; y: number } | null = null;
  const turn = (dx: number, dy: number): void => {
    const camera = view.renderer.getActiveCamera();
    camera.azimuth(-dx);
    camera.elevation(dy);
    camera.orthogonalizeViewUp();
    view.renderer.resetCameraClippingRange();
    view.render();
  };
  const zoom = (factor: number): void => {
    view.renderer.getActiveCamera().dolly(factor);
    view.renderer.resetCameraClippingRange();
    view.render();
  };
  canvas.addEventListener('pointerdown', (e) => {
    last = { x: e.clientX, y: e.clientY };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    turn((e.clientX - last.x) * 0.5, (e.clientY - last.y) * 0.5);
    last = { x: e.clientX, y: e.clientY };
  });
  canvas.addEventListener('pointerup', () => (last = null));
  canvas.addEventListener('pointercancel', () => (last = null));
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      zoom(e.deltaY < 0 ? 1.1 : 1 / 1.1);
    },
    { passive: false },
  );
  view.container.addEventListener('keydown', (e) => {
    const step = e.shiftKey ? 15 : 5;
    const action: Record<string, () => void> = {
      ArrowLeft: () => turn(-step, 0),
      ArrowRight: () => turn(step, 0),
      ArrowUp: () => turn(0, -step),
      ArrowDown: () => turn(0, step),
      '+': () => zoom(1.15),
      '=': () => zoom(1.15),
      '-': () => zoom(1 / 1.15),
    };
    const run = action[e.key];
    if (!run) return;
    e.preventDefault();
    run();
  });
}
