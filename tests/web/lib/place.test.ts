// The saved place (web/src/lib/place.ts) and the guarded storage under it (storage.ts): what is
// kept for a reload, under which key, and which records are refused. The app's and <p2p-frame>'s
// use of it are in tests/web/app/resume.test.tsx and tests/web/embed/p2p_frame.test.ts.
import { describe, expect, it } from 'vitest';
import {
  APP_PLACE, MAX_PLACE_TEXT, claimPlace, createPlaceStore, framePlace, releasePlace,
} from '../../../web/src/lib/place';
import { safeStore, type KeyValueStore } from '../../../web/src/lib/storage';
import { memoryStore } from './memory_store';

const throwing: KeyValueStore = {
  getItem: () => { throw new Error('SecurityError'); },
  setItem: () => { throw new Error('QuotaExceeded'); },
  removeItem: () => { throw new Error('SecurityError'); },
};

const SERVER = 'http://huddle.test:8080';
const FRAME = framePlace(SERVER, 's');
const good = { code: 'ABC234', name: 'Ann', peerId: 'p-1', token: 'tok' };

/** What a load of `record` (stored as JSON) in `slot` gives. */
const loadOf = (record: unknown, slot = APP_PLACE) =>
  createPlaceStore(memoryStore({ [slot.key]: JSON.stringify(record) })).load(slot);

describe('guarded storage', () => {
  it('survives a storage that throws', () => {
    const store = safeStore(() => throwing);
    expect(store.getItem('huddle.name')).toBeNull();
    expect(() => store.setItem('huddle.name', 'x')).not.toThrow();
    expect(() => store.removeItem('huddle.name')).not.toThrow();
  });

  it('a place store over one loads nothing and never throws', () => {
    const places = createPlaceStore(throwing);
    expect(places.load(APP_PLACE)).toBeNull();
    expect(() => places.save(APP_PLACE, good)).not.toThrow();
    expect(() => places.forget(FRAME)).not.toThrow();
  });
});

describe('the app’s place', () => {
  it('saves, loads and clears the resume record, ignoring malformed ones', () => {
    const store = memoryStore();
    const places = createPlaceStore(store);
    const saved = { code: 'ABC234', name: 'Ann', peerId: 'p-1', token: 'tok' };
    places.save(APP_PLACE, saved);
    expect(places.load(APP_PLACE)).toEqual(saved);
    places.forget(APP_PLACE);
    expect(places.load(APP_PLACE)).toBeNull();
    for (const bad of ['{', 'null', '[]', '{"code":"ABC234","name":"Ann","peerId":"p-1"}', '{"code":"ABC234","name":"","peerId":"p","token":"t"}']) {
      expect(createPlaceStore(memoryStore({ [APP_PLACE.key]: bad })).load(APP_PLACE)).toBeNull();
    }
  });

  it('is kept under huddle.session as {code, name, peerId, token}', () => {
    const store = memoryStore();
    createPlaceStore(store).save(APP_PLACE, good);
    expect(APP_PLACE.key).toBe('huddle.session');
    expect(JSON.parse(store.getItem('huddle.session')!)).toEqual(good);
  });

  it('needs the room in its record', () => {
    expect(loadOf({ ...good, code: '' })).toBeNull();
    expect(loadOf({ ...good, code: 42 })).toBeNull();
    const { code: _, ...noCode } = good;
    expect(loadOf(noCode)).toBeNull();
  });
});

describe('a <p2p-frame>’s place', () => {
  it('is kept per server and session-id, without the room (its key names it)', () => {
    const store = memoryStore();
    createPlaceStore(store).save(FRAME, { ...good, code: 's' });
    expect(FRAME.key).toBe(`huddle.p2p-frame ${SERVER} s`);
    expect(JSON.parse(store.getItem(FRAME.key)!)).toEqual({ peerId: 'p-1', token: 'tok', name: 'Ann' });
    expect(createPlaceStore(store).load(FRAME)).toEqual({ ...good, code: 's' });
    expect(createPlaceStore(store).load(framePlace(SERVER, 'other'))).toBeNull();
  });

  it('takes the room from its key, whatever a record says', () => {
    expect(loadOf({ ...good, code: 'elsewhere' }, FRAME)).toEqual({ ...good, code: 's' });
  });
});

describe('records a join could not use are refused, in either slot', () => {
  const slots = [['app', APP_PLACE], ['frame', FRAME]] as const;

  it.each(slots)('%s: a peer id outside the server’s alphabet or length', (_, slot) => {
    for (const peerId of ['', 'has space', 'ü', 'x'.repeat(65), 7, null]) expect(loadOf({ ...good, peerId }, slot)).toBeNull();
    expect(loadOf({ ...good, peerId: 'x'.repeat(64) }, slot)).not.toBeNull();
  });

  it.each(slots)('%s: a token outside the server’s alphabet or length', (_, slot) => {
    for (const token of ['', 'has space', 'tok/en', 'x'.repeat(129), 7, null]) expect(loadOf({ ...good, token }, slot)).toBeNull();
    expect(loadOf({ ...good, token: 'x'.repeat(128) }, slot)).not.toBeNull();
  });

  it.each(slots)('%s: an empty, overlong or missing name', (_, slot) => {
    for (const name of ['', 'x'.repeat(MAX_PLACE_TEXT + 1), 7, undefined]) expect(loadOf({ ...good, name }, slot)).toBeNull();
    expect(loadOf({ ...good, name: 'x'.repeat(MAX_PLACE_TEXT) }, slot)).not.toBeNull();
  });

  it('an overlong room in the app’s record', () => {
    expect(loadOf({ ...good, code: 'x'.repeat(MAX_PLACE_TEXT + 1) })).toBeNull();
  });
});

describe('saving', () => {
  it('keeps nothing for a place without a peer id or token', () => {
    const store = memoryStore();
    const places = createPlaceStore(store);
    places.save(APP_PLACE, { ...good, peerId: '' });
    places.save(FRAME, { ...good, token: '' });
    expect(store.getItem(APP_PLACE.key)).toBeNull();
    expect(store.getItem(FRAME.key)).toBeNull();
  });
});

describe('claims on this page', () => {
  it('one holder per slot until it releases it', () => {
    const slot = framePlace(SERVER, 'claimed');
    expect(claimPlace(slot)).toBe(true);
    expect(claimPlace(framePlace(SERVER, 'claimed'))).toBe(false);
    expect(claimPlace(framePlace(SERVER, 'unclaimed'))).toBe(true);
    releasePlace(slot);
    expect(claimPlace(slot)).toBe(true);
    releasePlace(slot);
    releasePlace(framePlace(SERVER, 'unclaimed'));
  });
});
