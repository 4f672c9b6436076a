// The room model with a history: what earlier pages kept comes first, lines that arrive while it
// opens wait and follow, receipts and new lines are stored, Clear and a deliberate Leave empty it.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openHistory } from '../../../web/src/app/models/history';
import { createRoomModel, type ChatLine } from '../../../web/src/app/models/room';
import { fakeFetch } from './fake_fetch';
import { FakeHuddle, FakeRoom } from './fake_room';

const texts = (lines: readonly ChatLine[]) => lines.map((l) => (l.kind === 'chat' ? l.text : l.kind === 'file' ? `file ${l.name}` : `[${l.text}]`));
const settle = () => new Promise((r) => setTimeout(r, 20));

function model(room: FakeRoom, factory: IDBFactory) {
  const m = createRoomModel(room, {
    hostExperience: new FakeHuddle().hostExperience, origin: 'http://x', fetch: fakeFetch(),
    history: openHistory({ code: room.code, selfId: room.selfId, indexedDB: factory }),
  });
  const detach = m.attach();
  return { m, detach };
}

describe('a room model with a history', () => {
  it('a reload shows the conversation before anything new, with receipts kept', async () => {
    const factory = new IDBFactory();
    const first = new FakeRoom({ others: ['Ann'] });
    const a = model(first, factory);
    await settle();
    a.m.send('hello');
    first.emit('delivered', 'ann', 1);
    first.receiveChat('ann', 'hi back');
    await settle();
    a.detach();

    // The reloaded page resumes the same place: same code, same peer id.
    const again = new FakeRoom({ others: ['Ann'] });
    const b = model(again, factory);
    expect(b.m.historyReady.value).toBe(false);
    again.receiveChat('ann', 'while loading');
    expect(texts(b.m.lines.value)).toEqual(['while loading']); // held back: not shown until ready
    await settle();
    expect(b.m.historyReady.value).toBe(true);
    expect(texts(b.m.lines.value)).toEqual(['hello', 'hi back', 'while loading']);
    const hello = b.m.lines.value[0];
    expect(hello.kind === 'chat' && hello.mine && hello.delivered.value).toEqual(['ann']);
    b.detach();

    // What arrived while loading was stored too.
    const c = model(new FakeRoom({ others: ['Ann'] }), factory);
    await settle();
    expect(texts(c.m.lines.value)).toEqual(['hello', 'hi back', 'while loading']);

    // Clear empties it here and on the device.
    c.m.clearHistory();
    expect(c.m.lines.value).toEqual([]);
    await settle();
    c.detach();
    const d = model(new FakeRoom({ others: ['Ann'] }), factory);
    await settle();
    expect(d.m.lines.value).toEqual([]);
  });

  it('a deliberate Leave deletes the history (a later join is a new member)', async () => {
    const factory = new IDBFactory();
    const room = new FakeRoom({ others: ['Ann'] });
    const a = model(room, factory);
    await settle();
    a.m.send('bye');
    await settle();
    a.m.leave();
    a.detach();
    await settle();
    const b = model(new FakeRoom({ others: ['Ann'] }), factory);
    await settle();
    expect(b.m.lines.value).toEqual([]);
  });
});
