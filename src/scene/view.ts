/**
 * One vtk.js render window in one element, wired by hand from the OpenGL profile (not
 * GenericRenderWindow, which drags the WebGPU path in and reads `?viewAPI=` off the page URL).
 */
import '@kitware/vtk.js/Rendering/OpenGL/Profiles/Geometry';
import '@kitware/vtk.js/Rendering/OpenGL/Profiles/Volume';
import vtkRenderWindow from '@kitware/vtk.js/Rendering/Core/RenderWindow';
import vtkRenderer from '@kitware/vtk.js/Rendering/Core/Renderer';
import vtkOpenGLRenderWindow from '@kitware/vtk.js/Rendering/OpenGL/RenderWindow';
import vtkRenderWindowInteractor from '@kitware/vtk.js/Rendering/Core/RenderWindowInteractor';
import vtkInteractorStyleTrackballCamera from '@kitware/vtk.js/Interaction/Style/InteractorStyleTrackballCamera';
import vtkInteractorStyleImage from '@kitware/vtk.js/Interaction/Style/InteractorStyleImage';

export const BACKGROUND: [number, number, number] = [0.08, 0.09, 0.11];

export class View {
  readonly renderer = vtkRenderer.newInstance({ background: BACKGROUND });
  private readonly renderWindow = vtkRenderWindow.newInstance();
  private readonly glWindow = vtkOpenGLRenderWindow.newInstance();
  private readonly interactor = vtkRenderWindowInteractor.newInstance();
  private readonly resizeObserver: ResizeObserver;
  private frame = 0;
  private disposed = false;

  constructor(
    readonly container: HTMLElement,
    style: '3d' | 'image',
  ) {
    this.renderWindow.addRenderer(this.renderer);
    this.renderWindow.addView(this.glWindow);
    this.glWindow.setContainer(container);
    this.interactor.setView(this.glWindow);
    this.interactor.initialize();
    this.interactor.bindEvents(container);
    this.interactor.setInteractorStyle(style === '3d' ? vtkInteractorStyleTrackballCamera.newInstance() : vtkInteractorStyleImage.newInstance());
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(container);
    this.resize();
  }

  /** Renders at the next frame; many calls in one frame render once. */
  render(): void {
    if (this.frame || this.disposed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (!this.disposed) this.renderWindow.render();
    });
  }

  /** Renders now and resolves with a PNG data URL of what is on the canvas. */
  async capture(): Promise<string> {
    const [image] = this.renderWindow.captureImages();
    return (await image) ?? '';
  }

  resetCamera(): void {
    this.renderer.resetCamera();
    this.render();
  }

  private resize(): void {
    const { width, height } = this.container.getBoundingClientRect();
    if (width < 1 || height < 1) return;
    const dpr = Math.min(globalThis.devicePixelRatio || 1, 2);
    this.glWindow.setSize(Math.floor(width * dpr), Math.floor(height * dpr));
    this.render();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    cancelAnimationFrame(this.frame);
    this.resizeObserver.disconnect();
    this.interactor.unbindEvents();
    this.interactor.delete();
    this.renderWindow.removeView(this.glWindow);
    // delete() frees the WebGL context now rather than at garbage collection: pages hold only a few.
    this.glWindow.delete();
    this.renderWindow.delete();
    this.renderer.delete();
  }
}
