// Vitest config for tests/web (lib and app units). Run from the repo root:
// `vitest run --config web/vitest.config.ts`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

export default defineConfig({
  // The repository root, so test paths and module paths read the same as in the tree.
  root: fileURLToPath(new URL('..', import.meta.url)),
  plugins: [preact({ prefreshEnabled: false, devToolsEnabled: false })],
  test: {
    environment: 'jsdom',
    include: ['tests/web/**/*.test.{ts,tsx}'],
    // jsdom's default URL is about:blank; the app reads location.origin and pathname.
    environmentOptions: { jsdom: { url: 'http://localhost:3000/' } },
    restoreMocks: true,
  },
});
