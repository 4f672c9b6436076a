#!/usr/bin/env node
// Writes a gzip (Zopfli) and a brotli (quality 11) copy next to every compressible file under
// the directories given: app.js → app.js.gz, app.js.br. huddle-server sends them, unchanged, to
// clients whose Accept-Encoding admits them (cpp/server/content_coding.hpp), so compression costs
// nothing per request and uses the slowest, smallest settings once.
//   node scripts/precompress.mjs web/dist experiences
// A copy is written only when smaller than its file, and only when missing or older than the
// file, so a second run over an unchanged tree compresses nothing. A copy older than its file
// that would no longer be smaller is deleted (the server ignores it anyway).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

// The extensions whose types huddle-server counts as compressible (isCompressible in
// cpp/server/static_files.cpp): text, JSON, Wasm, SVG. Images, fonts and media are compressed.
export const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.htm', '.json', '.map', '.webmanifest',
  '.wasm', '.txt', '.xml', '.svg']);

// Zopfli (Debian's zopfli, installed by scripts/setup.sh) writes gzip that any gzip decoder reads,
// 3-7 % smaller than zlib's level 9 (the Wasm: 42.4 → 39.4 KB), at about 50 ms per 100 KB, once.
// Without it, zlib's level 9, said once.
let zopfliMissing = false;
function gzip(data, file) {
  if (!zopfliMissing) {
    const run = spawnSync('zopfli', ['-c', file], { maxBuffer: 64 * data.length + 1024 });
    if (run.status === 0) return run.stdout;
    if (run.error?.code !== 'ENOENT') {
      throw new Error(`zopfli failed on ${file}: ${run.error?.message ?? run.stderr.toString().trim()}`);
    }
    zopfliMissing = true;
    console.warn('precompress: no zopfli on PATH (apt install zopfli); gzip copies are zlib level 9');
  }
  return zlib.gzipSync(data, { level: 9 });
}

const CODINGS = [
  { suffix: '.gz', compress: (data, ext, file) => gzip(data, file) },
  {
    suffix: '.br',
    compress: (data, ext) => zlib.brotliCompressSync(data, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        [zlib.constants.BROTLI_PARAM_MODE]: ext === '.wasm'
          ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
      },
    }),
  },
];

function* filesUnder(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

function mtimeOf(file) {
  try {
    return fs.statSync(file, { bigint: true }).mtimeNs;
  } catch {
    return null;
  }
}

/**
 * Precompresses every compressible file under `dir`. Returns what it found and did:
 * `files` compressible files, `written` and `deleted` siblings, `upToDate` siblings left alone.
 */
export function precompress(dir) {
  const result = { files: 0, written: 0, deleted: 0, upToDate: 0 };
  for (const file of filesUnder(dir)) {
    const ext = path.extname(file).toLowerCase();
    if (!COMPRESSIBLE.has(ext)) continue;
    result.files += 1;
    const modified = mtimeOf(file);
    let data = null;
    for (const { suffix, compress } of CODINGS) {
      const sibling = file + suffix;
      const siblingModified = mtimeOf(sibling);
      // Same rule as the server's: a sibling not older than its file is its file's.
      if (siblingModified !== null && siblingModified >= modified) {
        result.upToDate += 1;
        continue;
      }
      data ??= fs.readFileSync(file);
      const compressed = compress(data, ext, file);
      if (compressed.length < data.length) {
        // Written aside and renamed, so a running server never sends half a file.
        fs.writeFileSync(`${sibling}.tmp`, compressed);
        fs.renameSync(`${sibling}.tmp`, sibling);
        result.written += 1;
      } else if (siblingModified !== null) {
        fs.rmSync(sibling);
        result.deleted += 1;
      }
    }
  }
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    console.error('usage: node scripts/precompress.mjs DIR...');
    process.exit(2);
  }
  for (const dir of dirs) {
    const { files, written, deleted, upToDate } = precompress(dir);
    console.log(`${dir}: ${files} compressible files, ${written} copies written, ${upToDate} up to date` +
      (deleted ? `, ${deleted} deleted` : ''));
  }
}
