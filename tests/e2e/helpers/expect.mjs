// Minimal assertions with readable failures, plus polling for conditions in the browser.
import assert from 'node:assert/strict';

export const expect = {
  equal: assert.equal,
  deepEqual: assert.deepEqual,
  ok: assert.ok,
  /** Polls `probe` until `check(value)` holds, or fails with the last value seen. */
  async eventually(probe, check, { timeout = 10000, interval = 50, what = 'condition' } = {}) {
    const end = Date.now() + timeout;
    let last;
    for (;;) {
      last = await probe();
      if (check(last)) return last;
      if (Date.now() > end) assert.fail(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, interval));
    }
  },
};
