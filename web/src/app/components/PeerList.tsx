// Who is in the room: name, you/host markers and what carries your messages to each (a direct
// link or the server's relay) with its round-trip time.
import type { Peer, Transport } from '../../lib';
import { CONNECTION_TEXT, connectionState } from '../models/format';

const RTT_TITLE: Record<Transport, string> = {
  direct: 'Round-trip time over the direct link',
  relay: 'Round-trip time through the huddle server',
};

export interface PeerListProps {
  /** Every member including you, in join order. */
  readonly peers: readonly Peer[];
}

export function PeerList({ peers }: PeerListProps) {
  return (
    <section class="peers" aria-labelledby="peers-title">
      <h2 id="peers-title">
        Members <span class="count">{peers.length}</span>
      </h2>
      <ul data-testid="peer-list">
        {peers.map((p) => {
          const link = p.isSelf ? 'self' : (p.link ?? 'connecting');
          const connection = connectionState(p);
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
            >
              <span class="avatar" aria-hidden="true">
                {initial(p.name)}
              </span>
              <span class="peer-name">
                {p.name}
                {p.isSelf && <span class="you"> (you)</span>}
              </span>
              {p.isHost && (
                <span class="badge host" title="Host: the longest-present member">
                  <span aria-hidden="true">♛ </span>host
                </span>
              )}
              {p.away && (
                <span class="badge away" title="Missing since the connection to the server came back; kept for a while">
                  away
                </span>
              )}
              {!p.isSelf && (
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
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function initial(name: string): string {
  return ([...name.trim()][0] ?? '?').toUpperCase();
}
