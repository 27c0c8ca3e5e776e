/** Where a worker finds the site's staged engine assets. */
import { resource } from '../src/worker/index.ts';

/** The asset root the pool gave (createPool's `assetBase` resource), else this origin's root. */
export function assetRoot(): string {
  return resource<string>('assetBase') ?? new URL('/', self.location.href).href;
}
