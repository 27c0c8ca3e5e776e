/**
 * The operations every voxpool worker serves. A worker module of your own spreads these and adds
 * its own: `serve({ ...builtinOps, 'my.op': defineOp(...) })`; type your pool with `typeof` it.
 */
import { gaussianVtk } from './ops/gaussian-vtk.ts';
import { readMeshFile, writeMeshFile } from './ops/io-mesh.ts';
import { readVolume, writeVolume } from './ops/io-volume.ts';
import { writeText } from './ops/io-text.ts';
import { meshJitter } from './ops/mesh-jitter.ts';
import { headPhantom } from './ops/phantom.ts';
import { components } from './ops/niimath-components.ts';
import { gaussian } from './ops/niimath-gaussian.ts';
import { isosurface } from './ops/niimath-isosurface.ts';
import { binarize, threshold } from './ops/niimath-threshold.ts';
import { meshDecimate } from './ops/mesh-decimate.ts';
import { meshSmooth } from './ops/mesh-smooth.ts';
import { registerVolumes } from './ops/register.ts';
import { downsampleVolume, resampleVolume } from './ops/resample.ts';
import { median } from './ops/median.ts';
import { close, dilate, erode, open } from './ops/morphology.ts';

export const builtinOps = {
  'mesh.jitter': meshJitter,
  'volume.gaussianVtk': gaussianVtk,
  'volume.phantom': headPhantom,
  // niimath engine (wasm/niimath/)
  'volume.gaussian': gaussian,
  'volume.threshold': threshold,
  'volume.binarize': binarize,
  'volume.components': components,
  'volume.isosurface': isosurface,
  'volume.median': median,
  'volume.dilate': dilate,
  'volume.erode': erode,
  'volume.open': open,
  'volume.close': close,
  'volume.read': readVolume,
  'volume.write': writeVolume,
  'mesh.read': readMeshFile,
  'mesh.write': writeMeshFile,
  'text.write': writeText,
  'volume.downsample': downsampleVolume,
  'volume.resample': resampleVolume,
  'mesh.smooth': meshSmooth,
  'mesh.decimate': meshDecimate,
  'volume.register': registerVolumes,
} as const;

export type BuiltinOps = typeof builtinOps;
