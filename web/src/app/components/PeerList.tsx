// Who is in the room: name, you/host markers and the state of your direct link to each.
import type { Peer } from '../../lib';
import { LINK_TEXT } from '../models/format';

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
          return (
            <li
              key={p.id}
              class="peer"
              data-testid="peer-item"
              data-peer-id={p.id}
              data-self={String(p.isSelf)}
              data-host={String(p.isHost)}
              data-link={link}
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
                <span class={`link link-${link}`}>
                  <span class="dot" aria-hidden="true" />
                  {LINK_TEXT[p.link ?? 'connecting']}
                  {p.link === 'connected' && p.rttMs !== null && (
                    <span class="rtt" data-testid="peer-rtt" title="Round-trip time of the direct link">
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
