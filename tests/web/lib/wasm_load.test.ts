// @vitest-environment node
// When the Wasm client starts loading: at import in a browser (before any joinRoom), never under
// Node, where the glue cannot fetch the file and the tests give its bytes. The generated module's
// factory is a fake here; the real one is in facade.test.ts and the e2e suite.
import { afterEach, describe, expect, it, vi } from 'vitest';

type Factory = (options: { wasmBinary?: Uint8Array; locateFile?: (path: string, prefix: string) => string }) => Promise<unknown>;

const factory = vi.fn<Factory>();
const GENERATED = '../../../web/src/generated/huddle_client.js';

/** Imports the library afresh with the fake factory, as a browser (no process.versions.node) or as Node. */
async function importLibrary(where: 'browser' | 'node') {
  vi.resetModules();
  vi.doMock(GENERATED, () => ({ default: factory }));
  const versions = process.versions;
  if (where === 'browser') Object.defineProperty(process, 'versions', { value: { ...versions, node: undefined }, configurable: true });
  try {
    const lib = await import('../../../web/src/lib');
    const module = await import('../../../web/src/lib/wasm_module');
    return { ...lib, loadWasm: module.loadWasm };
  } finally {
    Object.defineProperty(process, 'versions', { value: versions, configurable: true });
  }
}

const pending = () => new Promise<never>(() => {});
const bytes = new Uint8Array([0, 97, 115, 109]);

afterEach(() => {
  factory.mockReset();
  vi.doUnmock(GENERATED);
});

describe('loading the Wasm client', () => {
  it('starts at import in a browser, before any joinRoom, and fetches the .wasm next to the bundle', async () => {
    factory.mockImplementation(pending);
    const lib = await importLibrary('browser');
    expect(factory).toHaveBeenCalledTimes(1);
    const options = factory.mock.calls[0][0];
    expect(options.wasmBinary).toBeUndefined();
    expect(options.locateFile?.('huddle_client.wasm', '')).toMatch(/huddle_client.*\.wasm$/);
    lib.preload(); // the same load, not a second one
    void lib.loadWasm();
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it('starts nothing at import under Node; configureWasm then gives the bytes', async () => {
    factory.mockImplementation(pending);
    const lib = await importLibrary('node');
    expect(factory).not.toHaveBeenCalled();
    lib.configureWasm({ wasmBinary: bytes });
    lib.preload();
    expect(factory).toHaveBeenCalledTimes(1);
    expect(factory.mock.calls[0][0].wasmBinary).toBe(bytes);
  });

  it('lets configureWasm after import win, even when the load import started fails later', async () => {
    let failImportLoad: (err: Error) => void = () => {};
    factory.mockImplementationOnce(() => new Promise((_, reject) => { failImportLoad = reject; }));
    const configured = { configured: true };
    factory.mockImplementationOnce(async () => configured);
    const lib = await importLibrary('browser');
    lib.configureWasm({ wasmBinary: bytes });
    const loaded = lib.loadWasm();
    expect(factory).toHaveBeenCalledTimes(2);
    expect(factory.mock.calls[1][0].wasmBinary).toBe(bytes);
    failImportLoad(new TypeError('Failed to fetch'));
    expect(await loaded).toBe(configured);
    expect(lib.loadWasm()).toBe(loaded); // the failure of the dropped load did not reset this one
    expect(factory).toHaveBeenCalledTimes(2);
  });

  it('a load that fails at import is no unhandled rejection; each joinRoom then tries again and says why it failed', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      factory.mockImplementation(async () => {
        throw new TypeError('Failed to fetch');
      });
      const lib = await importLibrary('browser');
      expect(factory).toHaveBeenCalledTimes(1);
      await new Promise((r) => setTimeout(r, 20)); // the import's load has failed; Node reports unhandled ones by now
      expect(unhandled).toEqual([]);
      for (const attempt of [2, 3]) {
        const err = await lib.joinRoom({ server: 'http://127.0.0.1:9', code: 'K7QXPA', name: 'Ann' }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(lib.HuddleError);
        expect(err).toMatchObject({ code: 'server_unreachable', message: expect.stringContaining('Failed to fetch') });
        expect(factory).toHaveBeenCalledTimes(attempt);
      }
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a factory that throws at once (no WebAssembly) fails the load, not the import', async () => {
    factory.mockImplementation(() => {
      throw new Error('no native wasm support detected');
    });
    const lib = await importLibrary('browser');
    await expect(lib.loadWasm()).rejects.toThrow('no native wasm support');
  });
});
