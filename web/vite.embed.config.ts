// Builds web/dist/huddle.js: the ES module any page loads from huddle-server to get <p2p-frame>
// and the client library. App mode, not lib mode: lib mode would inline the Wasm as base64, and
// base './' makes the bundle find assets/*.wasm next to itself (new URL(..., import.meta.url)),
// whatever origin the embedding page has. Run after the app build, which empties web/dist:
// `vite build --config web/vite.embed.config.ts`.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

// Vite wraps every import() of an app build in its preload helper (1.7 KB, 0.6 KB gzipped in
// huddle.js), which fetches the chunk's CSS and modulepreloads its imports first. huddle.js's
// chunks (the file code) have no CSS, and modulePreload is off, so the helper would only ever
// call the import: this one does just that.
const PRELOAD_HELPER = '\0vite/preload-helper.js';
const importOnly: Plugin = {
  name: 'huddle:import-only',
  enforce: 'pre',
  load(id) {
    if (id !== PRELOAD_HELPER) return null;
    return 'export const __vitePreload = (load, deps) => { if (deps && deps.length) throw new Error("huddle.js: a chunk with dependencies to preload"); return load(); };';
  },
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: false,
  plugins: [importOnly],
  build: {
    outDir: 'dist',
    emptyOutDir: false, // the app and p2p.js live there too
    target: 'es2022',
    copyPublicDir: false,
    modulePreload: false,
    rollupOptions: {
      input: { huddle: fileURLToPath(new URL('src/embed/huddle.ts', import.meta.url)) },
      // Keep the entry's exports, and only those: huddle.js is also the library (import {
      // joinRoom } from ...). The file code's chunk (assets/files-*.js, loaded on demand) shares
      // no module with it: what it needs from the library is handed to it (file_deps.ts). A
      // shared module would become a third file that huddle.js imports (one more round trip
      // before the Wasm starts loading), or, were the entry allowed to export more, an import of
      // huddle.js by the chunk, which a page that loaded huddle.js by another URL would load twice.
      preserveEntrySignatures: 'strict',
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'assets/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
});
