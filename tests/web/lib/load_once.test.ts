// loadOnce: one shared load per module or chunk; a failed one is retried by the next call, and
// reset() starts over (what configureWasm and configureStateWasm rely on).
import { describe, expect, it } from 'vitest';
import { loadOnce } from '../../../web/src/lib/load_once';

describe('loadOnce', () => {
  it('starts once and hands every caller the same load', async () => {
    let starts = 0;
    const load = loadOnce(async () => ++starts);
    const [a, b] = await Promise.all([load.get(), load.get()]);
    expect([a, b, await load.get(), starts]).toEqual([1, 1, 1, 1]);
  });

  it('forgets a failed load, so the next call tries again; a start that throws at once rejects', async () => {
    let starts = 0;
    const load = loadOnce(() => {
      starts++;
      if (starts === 1) throw new Error('no WebAssembly here');
      if (starts === 2) return Promise.reject(new Error('offline'));
      return Promise.resolve('module');
    });
    await expect(load.get()).rejects.toThrow('no WebAssembly here');
    await expect(load.get()).rejects.toThrow('offline');
    await expect(load.get()).resolves.toBe('module');
    expect(starts).toBe(3);
  });

  it('starts over after reset, and a reset load that fails later does not clear the new one', async () => {
    let fail: (err: Error) => void = () => {};
    let starts = 0;
    const load = loadOnce(() => (++starts === 1 ? new Promise<string>((_, reject) => { fail = reject; }) : Promise.resolve('second')));
    const first = load.get();
    load.reset();
    const second = load.get();
    fail(new Error('the old load'));
    await expect(first).rejects.toThrow('the old load');
    await expect(second).resolves.toBe('second');
    expect(load.get()).toBe(second);
    expect(starts).toBe(2);
  });
});
