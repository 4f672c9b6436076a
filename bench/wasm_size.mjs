// Where the Wasm client's bytes go (issue 12): links build/wasm's huddle_client_names (the same
// objects and flags as huddle_client plus --profiling-funcs, which keeps a name section and
// changes no code: the module without it is byte for byte huddle_client.wasm), demangles every
// function and prints the code bytes per group (nlohmann/json, the C++ standard library, embind,
// huddle's client, server-only code that should never be linked into the client...) and the
// largest functions. A figure, not a test. After a build (the Wasm part is enough):
//   node bench/wasm_size.mjs [--top N] [--group PREFIX] [--strings] [--json] [file.wasm]
// Code inlined into a function counts where it landed (nlohmann's lexer inlined into its parser
// counts as nlohmann, std::string's code inlined into huddle::client::Streams as the client): the
// groups say who owns the bytes, roughly. "gzip alone" is each group's code compressed by itself:
// the groups do not add up to the module's gzipped size, but they rank the same way.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '25' }, group: { type: 'string' }, strings: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
let file = positionals[0];
if (!file) {
  const build = path.join(repoRoot, 'build/wasm');
  if (!fs.existsSync(path.join(build, 'CMakeCache.txt'))) {
    console.error('no build/wasm: build first (npm run build, or the wasm preset; see README)');
    process.exit(1);
  }
  // Emscripten 3.1.6 from Debian finds its JS tools (acorn) through NODE_PATH. Configured again
  // first (a second or two): a tree made before the target existed would not know its name.
  const options = { stdio: ['ignore', process.stderr, 'inherit'], env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } };
  execFileSync('cmake', [build], { ...options, stdio: 'ignore' });
  execFileSync('cmake', ['--build', build, '--target', 'huddle_client_names'], options);
  file = path.join(build, 'cpp/wasm/huddle_client_names.wasm');
}

// ---- the binary: sections, function bodies, the name section -----------------------------------

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start',
  'element', 'code', 'data', 'datacount'];

function reader(bytes, pos = 0) {
  const r = {
    pos,
    byte: () => bytes[r.pos++],
    u32() {
      let result = 0, shift = 0, b;
      do {
        b = bytes[r.pos++];
        result += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80);
      return result;
    },
    name() {
      const n = r.u32();
      const s = Buffer.from(bytes.subarray(r.pos, r.pos + n)).toString('utf8');
      r.pos += n;
      return s;
    },
    limits() {
      const flags = r.byte();
      r.u32();
      if (flags & 1) r.u32();
    },
  };
  return r;
}

/** {sections: [{name, size}], bodies: [{index, bytes}], names: Map<index, name>, data: bytes} */
function readModule(bytes) {
  if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`${file} is not a Wasm module`);
  const r = reader(bytes, 8);
  const sections = [];
  const bodies = [];
  const names = new Map();
  let importedFunctions = 0;
  while (r.pos < bytes.length) {
    const from = r.pos;
    const id = r.byte();
    const size = r.u32();
    const start = r.pos;
    const end = start + size;
    let name = SECTION_NAMES[id] ?? `section ${id}`;
    if (id === 0) name = `custom "${r.name()}"`;
    sections.push({ name, size: end - from, bytes: bytes.subarray(from, end) });
    if (id === 2) {
      for (let n = r.u32(); n > 0; n--) {
        r.name(); r.name();
        const kind = r.byte();
        if (kind === 0) { r.u32(); importedFunctions++; }
        else if (kind === 1) { r.byte(); r.limits(); }
        else if (kind === 2) r.limits();
        else if (kind === 3) { r.byte(); r.byte(); }
      }
    } else if (id === 10) {
      const count = r.u32();
      for (let i = 0; i < count; i++) {
        const bodySize = r.u32();
        bodies.push({ index: importedFunctions + i, bytes: bytes.subarray(r.pos, r.pos + bodySize) });
        r.pos += bodySize;
      }
    } else if (name === 'custom "name"') {
      while (r.pos < end) {
        const sub = r.byte();
        const subSize = r.u32();
        const subEnd = r.pos + subSize;
        if (sub === 1) for (let n = r.u32(); n > 0; n--) names.set(r.u32(), r.name());
        r.pos = subEnd;
      }
    }
    r.pos = end;
  }
  return { sections, bodies, names };
}

function demangleAll(mangled) {
  // One c++filt for all of them; binaryen may have suffixed copies (`name.1`), c++filt keeps those.
  const out = execFileSync('c++filt', { input: mangled.join('\n'), maxBuffer: 64 << 20 }).toString().split('\n');
  return mangled.map((m, i) => out[i] ?? m);
}

// ---- groups: by who owns a function, first match wins -------------------------------------------

/** The name without template arguments: `std::__2::vector<huddle::X>::push_back(...)` keeps `std::__2::vector::push_back(...)`. */
function withoutTemplates(name) {
  let out = '', depth = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    // `operator<`, `operator<<`, `operator->` and friends are names, not brackets.
    const op = name.slice(0, i).match(/operator\s*$/);
    if (op && depth === 0 && /^(<<=?|<=>?|<|>>=?|>=?|->\*?)/.test(name.slice(i))) {
      const m = name.slice(i).match(/^(<<=?|<=>?|<|>>=?|>=?|->\*?)/)[0];
      out += m;
      i += m.length - 1;
    } else if (c === '<') depth++;
    else if (c === '>' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

/**
 * The qualified name a function's bytes belong to. A lambda's body, wrapped by std::function
 * (`__func<Owner()::$_1>::operator()`) or by std::visit (`__dispatcher::__dispatch<...lambda...>`),
 * belongs to the function that wrote the lambda; anything else to its own name (so a std::vector
 * of huddle types counts as the standard library).
 */
function ownerOf(mangledName) {
  const name = mangledName.replaceAll('(anonymous namespace)', '{anon}');
  const lambda = withoutTemplates(name.replace(/\{lambda\(/g, '$lambda(')).match(/([A-Za-z_~][\w:~]*)\((?:[^()]|\([^()]*\))*\)(?: const)?::(?:\$_|\$lambda)/)
    ?? name.match(/<([A-Za-z_~][\w:~]*)\((?:[^()]|\([^()]*\))*\)(?: const)?::(?:\$_|\{lambda)/);
  const plain = withoutTemplates(name).replace(/^decltype\(auto\) /, '');
  let head = (plain.match(/^(?:[^(]*?\s)?([^\s(]+(?:operator\(\))?)(?:\(|$)/) ?? [, plain])[1];
  // An operator template (`operator<<char, ...>(...)`) defeats the above: its qualified name will do.
  if (!/[A-Za-z_]/.test(head)) head = (name.match(/((?:[A-Za-z_]\w*::)+[A-Za-z_~]\w*)/) ?? [, name])[1];
  if (lambda && /^std::/.test(head)) return lambda[1];
  return head;
}

// huddle code that only huddle-server needs: it should not be in the client at all.
// (Anonymous-namespace helpers by name: writePeer and readRelayParts are the server's halves of the
// codecs, the rest is hub.cpp's and room.cpp's. Of wire::, the JSON scanner in json_scan.cpp is
// every codec's, the client's too; RateLimiter paces the client's relay as well as the server's.)
const SERVER_ONLY = new RegExp([
  '^huddle::(Hub|HubStats|Room|SharedFrame|FrameWriter|readRoute|decodeClientMessage|frameType)\\b',
  '^huddle::wire::(?!(\\{anon\\}::(Validator|hexValue|stringEnd)|JsonCursor|isStrictJson|kindOf|unquote|utf8Length|plainString|safeInteger)\\b)',
  '^huddle::(alphabetString|normalizeRoomCode|normalizeRoomKey|isValidPeerId|isValidResumeToken|tokenString|normalizeName)\\b',
  '^huddle::\\{anon\\}::(writePeer|readRelayParts|frameTypeName|dumpData|roomJoinedFrame|sameSecret|sameName)\\b',
].join('|'));
const GROUPS = [
  ['huddle server-only (hub, room, route, wire)', (o, n) => SERVER_ONLY.test(o) || (o === 'huddle::encode' && /variant<huddle::Welcome/.test(n))],
  ['huddle wasm bridges (cpp/wasm)', (o) => /^huddle::wasm::|^_GLOBAL__sub_I_(bindings|wasm_|websocket_bridge|rtc_bridge|timer_bridge)/.test(o)],
  ['huddle client (src/client)', (o) => /^huddle::(client|Client)\b/.test(o)],
  ['huddle codec, streams, errors', (o) => /^huddle::/.test(o)],
  ['nlohmann/json', (o) => /^nlohmann::/.test(o)],
  ['embind', (o) => /^emscripten::|_embind|embind_|__getTypeName|EmscriptenBindingInitializer/.test(o)],
  ['std: iostream, locale', (o) => /^std::__2::(basic_[io]?stream|basic_ios|ios_base|locale|ctype|num_put|num_get|codecvt|basic_streambuf|basic_stringbuf|__num_|moneypunct|numpunct|time_|messages|collate|__stdinbuf|__stdoutbuf)/.test(o)],
  ['std: containers, strings, functional, other', (o) => /^std::|^operator (new|delete)/.test(o)],
  ['libc++abi: exceptions, RTTI, demangler', (o) => /__cxa_|__cxxabiv1|__gxx_|_Unwind|itanium_demangle|__dynamic_cast|__class_type_info/.test(o)],
  ['libc: malloc', (o) => /^(dlmalloc|dlfree|dlrealloc|dlcalloc|dlmemalign|dlposix_memalign|malloc|free|realloc|calloc|sbrk|emscripten_builtin_\w+|internal_memalign|aligned_alloc|posix_memalign|emmalloc\w*|__libc_(malloc|free|calloc)|prepend_to_free_list|attempt_allocate|claim_more_memory|compute_free_list_bucket|create_memory_region|unlink_from_free_list|try_realloc_in_place|init_mparams|dispose_chunk|change_mparam|sys_alloc|tmalloc_\w+)$/.test(o)],
  ['libc: printf, strtod, float formatting', (o) => /printf|^fmt_[a-z]+$|^pop_arg$|^getint$|^out$|^pad$|__floatscan|^decfloat$|^hexfloat$|^scanexp$|^strto|__shgetc|__shlim|__intscan|^frexp|^scalbn|^copysign|^fmodl?$|^__(add|sub|mul|div)tf3$|^__(extend|trunc)\w+f2$|^__(fix|float)\w+$|^__fpclassifyl$|^__fwrite|^__towrite|^wc(r)?tomb|^fwrite$|^__lockfile$|^__unlockfile$|^__ofl|^fputs$|^__stdio|^__emscripten_stdout/.test(o)],
  ['libc: string, memory, math, other', () => true],
];

function groupOf(owner, name) {
  for (const [group, test] of GROUPS) if (test(owner, name)) return group;
}

// ---- report ----------------------------------------------------------------------------------------

const bytes = fs.readFileSync(file);
const { sections, bodies, names } = readModule(bytes);
if (names.size === 0) {
  console.error(`${file} has no name section: link it with --profiling-funcs (as huddle_client_names is)`);
  process.exit(1);
}
const mangled = bodies.map((b) => names.get(b.index) ?? `function ${b.index}`);
const demangled = demangleAll(mangled);
const functions = bodies.map((b, i) => {
  const owner = ownerOf(demangled[i]);
  return { name: demangled[i], owner, size: b.bytes.length, bytes: b.bytes, group: groupOf(owner, demangled[i]) };
});
const gz = (buf) => zlib.gzipSync(buf, { level: 9 }).length;
const codeTotal = functions.reduce((s, f) => s + f.size, 0);
// The module as huddle_client.wasm is: the same sections without the name section.
const stripped = Buffer.concat([bytes.subarray(0, 8), ...sections.filter((s) => !s.name.startsWith('custom')).map((s) => s.bytes)]);

const groups = new Map();
for (const f of functions) {
  const g = groups.get(f.group) ?? { group: f.group, functions: 0, size: 0, parts: [] };
  g.functions++;
  g.size += f.size;
  g.parts.push(f.bytes);
  groups.set(f.group, g);
}
const groupRows = [...groups.values()].sort((a, b) => b.size - a.size)
  .map((g) => ({ group: g.group, functions: g.functions, bytes: g.size, gzip: gz(Buffer.concat(g.parts)) }));
const top = Number(values.top);
const chosen = values.group ? functions.filter((f) => f.group.startsWith(values.group)) : functions;
const largest = [...chosen].sort((a, b) => b.size - a.size).slice(0, top);

if (values.json) {
  console.log(JSON.stringify({
    file, bytes: bytes.length, module: stripped.length, moduleGzip: gz(stripped), code: codeTotal,
    sections: sections.map(({ name, size }) => ({ name, size })),
    groups: groupRows, largest: largest.map(({ name, size, group }) => ({ name, size, group })),
  }, null, 2));
  process.exit(0);
}

const pct = (n, d) => `${((100 * n) / d).toFixed(1)}%`;
const cut = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
console.log(`${path.relative(process.cwd(), file)}: ${bytes.length} bytes; without its name section ${stripped.length}, ${gz(stripped)} gzipped`);
console.log('\nsection                          bytes');
for (const s of sections) console.log(`${s.name.padEnd(28)} ${String(s.size).padStart(9)}`);
console.log(`\ncode by group (${functions.length} functions, ${codeTotal} bytes)`);
console.log(`${'group'.padEnd(46)} ${'funcs'.padStart(6)} ${'bytes'.padStart(8)} ${'share'.padStart(6)} ${'gzip alone'.padStart(10)}`);
for (const g of groupRows) {
  console.log(`${g.group.padEnd(46)} ${String(g.functions).padStart(6)} ${String(g.bytes).padStart(8)} ${pct(g.bytes, codeTotal).padStart(6)} ${String(g.gzip).padStart(10)}`);
}
// The data section is mostly text: messages, names, tables. Runs of 4+ printable bytes count as text.
const data = sections.find((s) => s.name === 'data');
const texts = data ? Buffer.from(data.bytes).toString('latin1').match(/[\x20-\x7e]{4,}/g) ?? [] : [];
const textBytes = texts.reduce((n, t) => n + t.length, 0);
console.log(`\ndata: ${data?.size ?? 0} bytes, ${textBytes} of them text (${texts.length} strings${values.strings ? '' : '; --strings lists the longest'})`);
if (values.strings) for (const t of [...texts].sort((a, b) => b.length - a.length).slice(0, top)) console.log(`  ${cut(t, 140)}`);

const serverOnly = groups.get(GROUPS[0][0]);
console.log(serverOnly ? `\n${serverOnly.functions} functions of server-only code are linked into the client: see --group "huddle server"`
  : '\nno server-only code (hub, room, route, wire, the server\'s codec halves) is linked into the client');
console.log(`\nlargest functions${values.group ? ` in "${values.group}…"` : ''}`);
// The owner, and the full name where the owner does not say it all: a lambda's wrapper (std::function,
// std::visit) or a standard library template (which vector?).
const short = (n) => n.replaceAll('nlohmann::json_abi_v3_11_2::', 'nlohmann::').replaceAll('std::__2::', 'std::');
for (const f of largest) {
  const lambda = /^(decltype\(auto\) )?std::__2::(__function|__variant_detail)/.test(f.name) && f.name.match(/::(\$_\d+)/);
  const what = lambda ? `${short(f.owner)}, lambda ${lambda[1]}` : short(f.owner);
  const full = /^std::/.test(f.owner) ? `  ${cut(short(f.name), 90)}` : '';
  console.log(`${String(f.size).padStart(7)}  ${cut(f.group, 22).padEnd(22)}  ${cut(what, 70)}${full}`);
}
