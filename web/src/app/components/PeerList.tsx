// Who is in the room: name, you/host markers, whether they are active, idle or away, and what
// carries your messages to each (a direct link or the server's relay) with its round-trip time.
import type { Peer, Transport } from '../../lib';
import { CONNECTION_TEXT, connectionState } from '../models/format';
import type { Mesh } from '../models/mesh';
import type { Presence } from '../models/presence';
import { MeshView } from './MeshView';

const RTT_TITLE: Record<Transport, string> = {
  direct: 'Round-trip time over the direct link',
  relay: 'Round-trip time through the huddle server',
};

export interface PeerListProps {
  /** Every member including you, in join order. */
  readonly peers: readonly Peer[];
  /** Each member's presence by id; members missing from it show as active. */
  readonly presence?: ReadonlyMap<string, Presence>;
  /** Who reaches whom; absent: no picture. */
  readonly mesh?: Mesh;
}

const PRESENCE_TITLE: Record<Presence, string> = {
  active: '',
  idle: 'Idle: no input for a while, or the tab is in the background',
  away: 'Away: their connection to the server dropped; their place is kept for a while',
};

export function PeerList({ peers, presence, mesh }: PeerListProps) {
  return (
    <section class="peers" aria-labelledby="peers-title">
      <h2 id="peers-title">
        Members <span class="count">{peers.length}</span>
      </h2>
      {/* A tab stop: on a phone the list scrolls, and the keyboard must be able to scroll it too. */}
      <ul data-testid="peer-list" tabIndex={0} aria-labelledby="peers-title">
        {peers.map((p) => {
          const link = p.isSelf ? 'self' : (p.link ?? 'connecting');
          const connection = connectionState(p);
          const state: Presence = p.away ? 'away' : (presence?.get(p.id) ?? 'active');
          return (
            <li
              key={p.id}
              class="peer"
              data-testid="peer-item"
              data-peer-id={p.id}
              data-self={String(p.isSelf)}
              data-host={String(p.isHost)}
              data-link={link}
              data-transport={p.transport ?? 'none'}
              data-away={String(p.away)}
              data-presence={state}
            >
              <span class="avatar" aria-hidden="true">
                {initial(p.name)}
              </span>
              <span class="peer-head">
                <bdi class="peer-name">{p.name}</bdi>
                {p.isSelf && <span class="you"> (you)</span>}
                {p.isHost && (
                  <span class="badge host" title="Host: the longest-present member">
                    <span aria-hidden="true">♛ </span>host
                  </span>
                )}
                {state !== 'active' && (
                  <span class={`badge ${state}`} data-testid="peer-presence" title={PRESENCE_TITLE[state]}>
                    {state}
                  </span>
                )}
              </span>
              {!p.isSelf &&
                (p.away ? (
                  // What carried messages before the drop says nothing about now.
                  <span class="link link-away">
                    <span class="dot" aria-hidden="true" />
                    connection lost
                  </span>
                ) : (
                  <span class={`link link-${connection}`}>
                    <span class="dot" aria-hidden="true" />
                    {CONNECTION_TEXT[connection]}
                    {p.transport && p.rttMs !== null && (
                      <span class="rtt" data-testid="peer-rtt" title={RTT_TITLE[p.transport]}>
                        {' · '}
                        {Math.round(p.rttMs)} ms
                      </span>
                    )}
                  </span>
                ))}
            </li>
          );
        })}
      </ul>
      {mesh && peers.length > 1 && <MeshView mesh={mesh} />}
    </section>
  );
}

function initial(name: string): string {
  return ([...name.trim()][0] ?? '?').toUpperCase();
}
