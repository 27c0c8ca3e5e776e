/**
 * Structuring elements for grayscale morphology, as rows along x: each (dy, dz, w) covers
 * dx in [-w, w]. Both the TypeScript reference and the wasm kernel take the element from here,
 * so they agree on which voxels it holds.
 */
import type { Vec3 } from '../../src/data/volume.ts';

export type ElementShape = 'box' | 'ball';

export type MorphologyOperation = 'dilate' | 'erode' | 'open' | 'close';

export interface ElementRow {
  dy: number;
  dz: number;
  /** Half width along x. */
  w: number;
}

/**
 * `box`: every offset with |dx| <= rx, |dy| <= ry, |dz| <= rz. `ball`: the ellipsoid
 * (dx/rx)² + (dy/ry)² + (dz/rz)² <= 1, an axis of radius 0 contributing only offset 0.
 */
export function structuringRows(radius: Vec3, shape: ElementShape): ElementRow[] {
  const [rx, ry, rz] = radius;
  const rows: ElementRow[] = [];
  const term = (d: number, r: number): number => (r === 0 ? 0 : (d * d) / (r * r));
  for (let dz = -rz; dz <= rz; dz++) {
    for (let dy = -ry; dy <= ry; dy++) {
      if (shape === 'box') {
        rows.push({ dy, dz, w: rx });
        continue;
      }
      const rest = term(dy, ry) + term(dz, rz);
      if (rest > 1) continue;
      let w = 0;
      while (w < rx && rest + term(w + 1, rx) <= 1) w++;
      rows.push({ dy, dz, w });
    }
  }
  return rows;
}
