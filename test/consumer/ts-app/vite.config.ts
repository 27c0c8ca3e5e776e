import { defineConfig } from 'vite';
import { voxpool } from 'voxpool/vite';

export default defineConfig({
  plugins: [voxpool()],
});
