// Which source files the JavaScript a browser downloads is made of: builds the app and the embed
// (huddle.js) with source maps into a scratch directory, then attributes every byte of each
// emitted chunk to the source file its source map names (bytes no mapping covers, such as the
// bundler's glue, count as "(unmapped)"). Prints, per chunk, each source's minified bytes and
// their gzip -9 and brotli -q 11 as if compressed alone (an upper bound: a file compresses better
// next to others), largest first.
// Run from anywhere after a build that wrote web/src/generated (scripts/build.sh):
//   node bench/bundle_bytes.mjs [--top N]    (N rows per chunk, default 25)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const topArg = process.argv.indexOf('--top');
const top = topArg >= 0 ? Number(process.argv[topArg + 1]) : 25;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** Decodes a source map's `mappings` into, per generated line, [column, sourceIndex] pairs. */
function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  for (const line of mappings.split(';')) {
    const segments = [];
    let column = 0;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const c of segment) {
        const digit = B64_INDEX.get(c);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0];
      if (fields.length >= 4) {
        source += fields[1];
        segments.push([column, source]);
      } else {
        segments.push([column, -1]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

/** Per source name, the generated text its mappings cover in `code`. */
function attribute(code, map) {
  const texts = new Map();
  const add = (name, text) => texts.set(name, (texts.get(name) ?? '') + text);
  const codeLines = code.split('\n');
  const mapped = decodeMappings(map.mappings);
  codeLines.forEach((line, i) => {
    const segments = mapped[i] ?? [];
    let start = 0;
    let owner = '(unmapped)';
    for (const [column, source] of segments) {
      if (column > start) add(owner, line.slice(start, column));
      start = column;
      owner = source >= 0 ? map.sources[source] : '(unmapped)';
    }
    add(owner, line.slice(start) + '\n');
  });
  return texts;
}

function sizes(text) {
  const bytes = Buffer.from(text);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function shortName(source, dir) {
  const path = relative(root, resolve(dir, source)).replace(/\?.*$/, '');
  return path.replace(/^node_modules\//, 'npm:');
}

function report(dir) {
  const files = readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.js'));
  for (const file of files.sort()) {
    const code = readFileSync(join(dir, file), 'utf8');
    const map = JSON.parse(readFileSync(join(dir, `${file}.map`), 'utf8'));
    const chunkDir = join(dir, file, '..');
    const total = sizes(code);
    console.log(`\n${file}: ${total.raw} bytes, gzip ${total.gzip}, brotli ${total.brotli}`);
    console.log(`${'source'.padEnd(58)} ${'bytes'.padStart(8)} ${'gzip'.padStart(8)} ${'brotli'.padStart(8)}`);
    const rows = [...attribute(code, map)].map(([source, text]) => {
      const name = source === '(unmapped)' ? source : shortName(source, chunkDir);
      return { name, ...sizes(text) };
    });
    rows.sort((a, b) => b.raw - a.raw);
    for (const r of rows.slice(0, top)) {
      console.log(`${r.name.padEnd(58)} ${String(r.raw).padStart(8)} ${String(r.gzip).padStart(8)} ${String(r.brotli).padStart(8)}`);
    }
    if (rows.length > top) {
      const rest = rows.slice(top).reduce((s, r) => s + r.raw, 0);
      console.log(`${`(${rows.length - top} more)`.padEnd(58)} ${String(rest).padStart(8)}`);
    }
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'huddle-bundle-'));
try {
  for (const [name, config] of [['app', 'web/vite.config.ts'], ['embed', 'web/vite.embed.config.ts']]) {
    const outDir = join(scratch, name);
    await build({
      configFile: join(root, config),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, sourcemap: true },
    });
    console.log(`\n== ${name} (${config})`);
    report(outDir);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
