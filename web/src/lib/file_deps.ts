// What the file code (files.ts and its parts, a chunk of its own loaded on demand) takes from the
// rest of the library. The library hands it over as values, with each FileExchange
// (files_on_demand.ts FILE_DEPS); the file code never imports it. An import would be an import
// of huddle.js by the URL next to the chunk, so a page that loaded huddle.js by another one (a
// query string, a CDN path) would get a second copy of the library at its first file: a second
// Wasm load, and errors whose class is not the page's HuddleError. Per exchange, not per chunk:
// two copies of huddle.js on one page share the chunk, each with its own classes.
import type { Emitter } from './emitter';
import type { planFile, safeFileName, safeMimeType } from './file_plan';
import type { HuddleError } from './types';

export interface FileDeps {
  readonly HuddleError: typeof HuddleError;
  readonly Emitter: typeof Emitter;
  readonly planFile: typeof planFile;
  readonly safeFileName: typeof safeFileName;
  readonly safeMimeType: typeof safeMimeType;
  /** library_key.ts */
  readonly LIBRARY_KEY: string;
  /** file_limits.ts */
  readonly MAX_FILE_BYTES: number;
  readonly MAX_FILES_PER_SENDER: number;
  readonly MAX_RECEIVING_BYTES: number;
  readonly FILE_STALL_MS: number;
}
