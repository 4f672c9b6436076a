// The picture of the room: who reaches whom, directly or through the relay, and how fast. Your own
// links come from your client; the others' from what they report in presence messages. Pure: the
// component draws what this returns.
import type { Peer, Transport } from '../../lib';
import type { MemberPresence } from './presence';

export interface MeshNode {
  readonly id: string;
  readonly name: string;
  readonly self: boolean;
  readonly away: boolean;
}

export interface MeshEdge {
  /** The two ends, in join order (a joined before b). */
  readonly a: string;
  readonly b: string;
  /** How they reach each other; null: not yet (connecting), or nobody has said. */
  readonly transport: Transport | null;
  /** Round-trip time in ms as one end measured it; null until known. */
  readonly rttMs: number | null;
}

export interface Mesh {
  readonly nodes: readonly MeshNode[];
  readonly edges: readonly MeshEdge[];
}

/**
 * Every pair of present members once. A pair's state is what one end says: yours where you are an
 * end (your client knows best), else the end that joined first, else the other. Both ends see
 * the same link (each uses the direct link once it is open), so either word will do; the first
 * end is picked for a stable picture.
 */
export function buildMesh(peers: readonly Peer[], reports: ReadonlyMap<string, MemberPresence>): Mesh {
  const present = peers.filter((p) => !p.away);
  const nodes = peers.map((p) => ({ id: p.id, name: p.name, self: p.isSelf, away: p.away }));
  const said = (from: string, about: string) => reports.get(from)?.links.find((l) => l.peer === about);
  const edges: MeshEdge[] = [];
  for (let i = 0; i < present.length; i++) {
    for (let j = i + 1; j < present.length; j++) {
      const a = present[i];
      const b = present[j];
      if (a.isSelf || b.isSelf) {
        const other = a.isSelf ? b : a;
        edges.push({ a: a.id, b: b.id, transport: other.transport, rttMs: other.rttMs === null ? null : Math.round(other.rttMs) });
        continue;
      }
      const report = said(a.id, b.id) ?? said(b.id, a.id);
      edges.push({ a: a.id, b: b.id, transport: report?.transport ?? null, rttMs: report?.rttMs ?? null });
    }
  }
  return { nodes, edges };
}

/** "Ann ↔ Ben: direct, 12 ms", for the text alternative of the picture. */
export function describeEdge(edge: MeshEdge, nameOf: (id: string) => string): string {
  const how = edge.transport === 'direct' ? 'direct' : edge.transport === 'relay' ? 'through the server' : 'connecting';
  const rtt = edge.transport && edge.rttMs !== null ? `, ${edge.rttMs} ms` : '';
  return `${nameOf(edge.a)} ↔ ${nameOf(edge.b)}: ${how}${rtt}`;
}
