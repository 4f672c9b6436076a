// A FakeRoom whose members' transports and round-trip times the test sets, emitting the events a
// real room would ('transport' on a change, 'linkRtt' per measurement).
import type { Peer, Transport } from '../../../web/src/lib/types';
import { FakeRoom } from '../app/fake_room';

export class LinkRoom extends FakeRoom {
  private readonly links = new Map<string, { transport?: Transport | null; rttMs?: number | null }>();

  peers(): readonly Peer[] {
    return super.peers().map((p) => ({ ...p, ...this.links.get(p.id) }));
  }

  /** What carries messages to `id` now; its round-trip time starts over (as the room's does). */
  setTransport(id: string, transport: Transport | null): void {
    this.links.set(id, { transport, rttMs: null });
    this.emit('transport', id, transport);
  }

  /** A new round-trip measurement to `id`, which becomes its smoothed value here. */
  measure(id: string, rttMs: number): void {
    this.links.set(id, { ...this.links.get(id), rttMs });
    this.emit('linkRtt', id, rttMs);
  }
}
