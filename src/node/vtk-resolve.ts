/**
 * A module resolve hook for the worker threads: vtk.js is imported by extensionless deep paths
 * (`@kitware/vtk.js/Filters/General/WindowedSincPolyDataFilter`), which bundlers resolve and Node's
 * ESM loader refuses (vtk.js has no exports map). This adds the `.js` the file has.
 */
interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<{ url: string }> {
  if (specifier.startsWith('@kitware/vtk.js/') && !/\.[cm]?js$/.test(specifier)) return next(`${specifier}.js`, context);
  return next(specifier, context);
}
