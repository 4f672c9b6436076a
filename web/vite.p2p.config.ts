// Builds web/dist/p2p.js: the classic script an experience's iframe loads to get `P2P`. No Wasm,
// no dependencies, one IIFE. Run after the app build, which empties web/dist:
// `vite build --config web/vite.p2p.config.ts`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false, // the app and huddle.js live there too
    target: 'es2020',
    minify: true,
    copyPublicDir: false,
    lib: {
      entry: fileURLToPath(new URL('src/p2p/p2p.ts', import.meta.url)),
      formats: ['iife'],
      name: 'huddleP2P',
      fileName: () => 'p2p.js',
    },
  },
});
