/**
 * vtk.js 37 ships WindowedSincPolyDataFilter without a declaration file: the part the
 * mesh.smooth op uses, as the module's JavaScript defines it (setGet accessors, algo in/out).
 */
declare module '@kitware/vtk.js/Filters/General/WindowedSincPolyDataFilter' {
  import type vtkPolyData from '@kitware/vtk.js/Common/DataModel/PolyData';

  export interface WindowedSincSettings {
    numberOfIterations: number;
    passBand: number;
    featureAngle: number;
    edgeAngle: number;
    featureEdgeSmoothing: number | boolean;
    boundarySmoothing: number | boolean;
    nonManifoldSmoothing: number | boolean;
    normalizeCoordinates: number | boolean;
  }

  export interface vtkWindowedSincPolyDataFilter {
    setInputData(data: vtkPolyData, port?: number): void;
    getOutputData(port?: number): vtkPolyData;
    set(settings: Partial<WindowedSincSettings>): boolean;
  }

  const vtkWindowedSincPolyDataFilter: {
    newInstance(initialValues?: Partial<WindowedSincSettings>): vtkWindowedSincPolyDataFilter;
  };
  export default vtkWindowedSincPolyDataFilter;
}
