// Vite builds the console into static files: hashed assets under /assets, index.html for every app URL.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0, sourcemap: false },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
