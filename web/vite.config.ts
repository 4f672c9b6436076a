// Vite config for the huddle web app. Run from the repo root: `vite --config web/vite.config.ts`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// huddle-server in development (`npm start`); the dev server forwards signaling, health and
// experiences to it.
const server = 'http://127.0.0.1:8080';

export default defineConfig({
  // The web/ directory itself, resolved from this file so the config works from any cwd.
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [preact()],
  build: {
    outDir: 'dist', // web/dist, served by huddle-server
    emptyOutDir: true,
    target: 'es2022',
    // No modulepreload polyfill (0.3 KB gzipped): the app's chunks are one entry plus chunks loaded
    // with import(), which works without it; browsers without modulepreload only miss a head start.
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/ws': { target: server, ws: true },
      '/healthz': { target: server },
      // Experiences (and the p2p.js the server inserts into them) come from huddle-server too.
      '/experiences': { target: server },
      '/p2p.js': { target: server },
    },
  },
});
