// Experiences in the room view: a compact picker while none is open; the open one, large, with
// its title and a Close button, lent the room through the experiences model while it is shown.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { SessionStatus } from '../../lib';
import type { Experiences, OpenExperience } from '../models/experience';
import { describePlayers } from '../models/format';

export interface ExperiencePanelProps {
  readonly experiences: Experiences;
  /** The room's connection: an experience opens only while in the room. */
  readonly status: SessionStatus;
}

/** An experience page that has not connected this long after loading did not load. */
export const READY_TIMEOUT_MS = 4000;

export function ExperiencePanel({ experiences, status }: ExperiencePanelProps) {
  const current = experiences.current.value;
  // Keyed by name: another experience is another iframe and another loan of the room.
  return current ? (
    <ExperienceStage key={current.name} experiences={experiences} current={current} status={status} />
  ) : (
    <ExperiencePicker experiences={experiences} status={status} />
  );
}

/**
 * Where the keyboard was is gone when the button it was on disappears (Open becomes the stage,
 * Close becomes the picker): then it goes to `target`. Focus somewhere else (the chat box, while
 * another member opens an experience) is left alone.
 */
function useFocusWhenLost(target: { current: HTMLElement | null }) {
  useLayoutEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) target.current?.focus();
  }, []);
}

type Load = 'loading' | 'ready' | 'failed';

function ExperienceStage({ experiences, current, status }: { experiences: Experiences; current: OpenExperience; status: SessionStatus }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const { name, title } = current;
  // Each attempt is a fresh iframe (and loan): a page that failed to load is loaded again.
  const [attempt, setAttempt] = useState(0);
  const [load, setLoad] = useState<Load>('loading');
  useFocusWhenLost(frame);

  // A layout effect, not a passive one: it runs as the iframe enters the document, so the loan
  // begins before the iframe's page can load (hostExperience attaches the bridge on that load).
  useLayoutEffect(() => {
    const iframe = frame.current;
    if (!iframe) return;
    setLoad('loading');
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The iframe is sandboxed (an opaque origin): its document cannot be looked at, so a browser
    // error page ("refused to connect") loads like any page. What tells them apart is p2p.js
    // connecting: a page that loaded and stays silent did not load.
    const onLoad = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setLoad((l) => (l === 'ready' ? l : 'failed')), READY_TIMEOUT_MS);
    };
    iframe.addEventListener('load', onLoad);
    const end = experiences.host(iframe, name, () => {
      clearTimeout(timer);
      setLoad('ready');
    });
    return () => {
      clearTimeout(timer);
      iframe.removeEventListener('load', onLoad);
      end();
    };
  }, [experiences, name, attempt]);

  // Back in the room after the server was away: a page that failed to load gets another try.
  // Only on the way back: a page that fails with the server up is retried by the person.
  const wasInRoom = useRef(status === 'in_room');
  useEffect(() => {
    const back = status === 'in_room' && !wasInRoom.current;
    wasInRoom.current = status === 'in_room';
    if (back && load === 'failed') setAttempt((a) => a + 1);
  }, [status]);

  return (
    <section class="experience-stage" aria-labelledby="experience-title" data-testid="experience-stage" data-load={load}>
      <header class="experience-bar">
        <h2 id="experience-title">{title}</h2>
        <span class="hint">Open for everyone in the room</span>
        <button
          type="button"
          class="button"
          data-testid="experience-close"
          onClick={experiences.close}
          aria-label={`Close ${title} for everyone`}
        >
          Close
        </button>
      </header>
      {load === 'failed' && (
        <div class="experience-failed" role="alert" data-testid="experience-failed">
          <p>
            {title} could not be loaded{status === 'in_room' ? '.' : ': the huddle server is out of reach. It loads again when the connection is back.'}
          </p>
          <button type="button" class="button" data-testid="experience-reload" onClick={() => setAttempt((a) => a + 1)}>
            Try again
          </button>
        </div>
      )}
      {/* sandbox: the experience is served from the app's own origin, and must not reach the
          app's page, storage or room except through the bridge. */}
      <iframe
        key={attempt}
        ref={frame}
        class="experience-frame"
        data-testid="experience-frame"
        data-name={name}
        src={`/experiences/${name}/`}
        title={title}
        sandbox="allow-scripts"
        hidden={load === 'failed'}
      />
    </section>
  );
}

function ExperiencePicker({ experiences, status }: { experiences: Experiences; status: SessionStatus }) {
  const listing = experiences.listing.value;
  const heading = useRef<HTMLHeadingElement>(null);
  const inRoom = status === 'in_room';
  useFocusWhenLost(heading);
  return (
    <section class="experience-picker" aria-labelledby="experiences-title" data-testid="experience-picker">
      {/* tabIndex -1: where focus lands when the experience it was on closes. */}
      <h2 id="experiences-title" ref={heading} tabIndex={-1}>
        Do something together
      </h2>
      {!inRoom && listing.state === 'ready' && listing.items.length > 0 && (
        <p class="muted" data-testid="experience-offline">Experiences open once the connection is back.</p>
      )}
      {listing.state === 'loading' && <p class="muted">Loading experiences…</p>}
      {listing.state === 'failed' && (
        <div class="picker-error" role="alert">
          <p data-testid="experience-list-error">{listing.message}</p>
          <button type="button" class="button" data-testid="experience-retry" onClick={() => void experiences.load()}>
            Try again
          </button>
        </div>
      )}
      {listing.state === 'ready' && listing.items.length === 0 && (
        <p class="muted">This server has no experiences.</p>
      )}
      {listing.state === 'ready' && listing.items.length > 0 && (
        <ul>
          {listing.items.map((item) => {
            const players = describePlayers(item.minPlayers, item.maxPlayers);
            return (
              <li key={item.name} class="experience-option" data-testid="experience-option" data-name={item.name}>
                <div class="experience-text" title={item.description}>
                  <span class="experience-name">{item.title}</span>
                  {players && <span class="players">{players}</span>}
                </div>
                <button
                  type="button"
                  class="button"
                  data-testid="experience-open"
                  onClick={() => experiences.open(item.name)}
                  disabled={!inRoom}
                  aria-label={`Open ${item.title} for everyone`}
                >
                  Open
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
