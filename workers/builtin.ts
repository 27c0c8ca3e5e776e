/**
 * The operations every voxpool worker serves. A worker module of your own spreads these and adds
 * its own: `serve({ ...builtinOps, 'my.op': defineOp(...) })`; type your pool with `typeof` it.
 */
import { gaussianVtk } from './ops/gaussian-vtk.ts';
import { readMeshFile, writeMeshFile } from './ops/io-mesh.ts';
import { readVolume, writeVolume } from './ops/io-volume.ts';
import { meshJitter } from './ops/mesh-jitter.ts';
import { median } from './ops/median.ts';
import { close, dilate, erode, open } from './ops/morphology.ts';
import { crash, echo, fail, noop, sleep, spin, work } from './ops/test-ops.ts';

export const builtinOps = {
  'mesh.jitter': meshJitter,
  'volume.gaussianVtk': gaussianVtk,
  'volume.median': median,
  'volume.dilate': dilate,
  'volume.erode': erode,
  'volume.open': open,
  'volume.close': close,
  'volume.read': readVolume,
  'volume.write': writeVolume,
  'mesh.read': readMeshFile,
  'mesh.write': writeMeshFile,
  'test.noop': noop,
  'test.echo': echo,
  'test.spin': spin,
  'test.work': work,
  'test.sleep': sleep,
  'test.fail': fail,
  'test.crash': crash,
} as const;

export type BuiltinOps = typeof builtinOps;
