import { defineConfig } from 'vite';
import voxpool from 'voxpool/vite';

// A relative base: the built folder is served under a subpath.
export default defineConfig({
  base: './',
  plugins: [voxpool()],
});
