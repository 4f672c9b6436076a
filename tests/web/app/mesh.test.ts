// The picture of the room: every pair of present members once, your links from your client, the
// others' from what they report.
import { describe, expect, it } from 'vitest';
import type { Peer } from '../../../web/src/lib/types';
import { buildMesh, describeEdge } from '../../../web/src/app/models/mesh';
import type { MemberPresence } from '../../../web/src/app/models/presence';

const peer = (id: string, joinOrder: number, extra: Partial<Peer> = {}): Peer => ({
  id, name: id.toUpperCase(), joinOrder, isSelf: false, isHost: joinOrder === 1, link: 'connected', transport: 'direct', away: false, rttMs: null, ...extra,
});

describe('buildMesh', () => {
  it('has one edge per pair of present members; yours from your client, the others from their reports', () => {
    const peers = [
      peer('ann', 1, { transport: 'relay', rttMs: 41.6 }),
      peer('bob', 2),
      peer('me', 3, { isSelf: true, link: null, transport: null }),
      peer('cy', 4, { away: true }),
    ];
    const reports = new Map<string, MemberPresence>([
      ['bob', { activity: 'active', links: [{ peer: 'ann', transport: 'direct', rttMs: 7 }] }],
    ]);
    const mesh = buildMesh(peers, reports);
    expect(mesh.nodes.map((n) => [n.id, n.self, n.away])).toEqual([['ann', false, false], ['bob', false, false], ['me', true, false], ['cy', false, true]]);
    expect(mesh.edges).toEqual([
      { a: 'ann', b: 'bob', transport: 'direct', rttMs: 7 }, // Ann said nothing; Bob's word
      { a: 'ann', b: 'me', transport: 'relay', rttMs: 42 },
      { a: 'bob', b: 'me', transport: 'direct', rttMs: null },
    ]); // Cy is away: no lines to Cy
  });

  it('prefers the first end when both report, and says nothing is known when neither does', () => {
    const peers = [peer('ann', 1), peer('bob', 2), peer('me', 3, { isSelf: true, transport: null, link: null })];
    const both = new Map<string, MemberPresence>([
      ['ann', { activity: 'active', links: [{ peer: 'bob', transport: 'relay', rttMs: 30 }] }],
      ['bob', { activity: 'idle', links: [{ peer: 'ann', transport: 'direct', rttMs: 5 }] }],
    ]);
    expect(buildMesh(peers, both).edges[0]).toEqual({ a: 'ann', b: 'bob', transport: 'relay', rttMs: 30 });
    expect(buildMesh(peers, new Map()).edges[0]).toEqual({ a: 'ann', b: 'bob', transport: null, rttMs: null });
  });

  it('describes a line in words', () => {
    const name = (id: string) => id.toUpperCase();
    expect(describeEdge({ a: 'ann', b: 'bob', transport: 'direct', rttMs: 12 }, name)).toBe('ANN ↔ BOB: direct, 12 ms');
    expect(describeEdge({ a: 'ann', b: 'bob', transport: 'relay', rttMs: null }, name)).toBe('ANN ↔ BOB: through the server');
    expect(describeEdge({ a: 'ann', b: 'bob', transport: null, rttMs: 3 }, name)).toBe('ANN ↔ BOB: connecting');
  });
});
