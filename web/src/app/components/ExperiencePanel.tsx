// Experiences in the room view: a compact picker while none is open; the open one, large, with
// its title and a Close button, lent the room through the experiences model while it is shown.
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Experiences, OpenExperience } from '../models/experience';
import { describePlayers } from '../models/format';

export interface ExperiencePanelProps {
  readonly experiences: Experiences;
}

export function ExperiencePanel({ experiences }: ExperiencePanelProps) {
  const current = experiences.current.value;
  // Keyed by name: another experience is another iframe and another loan of the room.
  return current ? (
    <ExperienceStage key={current.name} experiences={experiences} current={current} />
  ) : (
    <ExperiencePicker experiences={experiences} />
  );
}

function ExperienceStage({ experiences, current }: { experiences: Experiences; current: OpenExperience }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const { name, title } = current;

  // A layout effect, not a passive one: it runs as the iframe enters the document, so the loan
  // begins before the iframe's page can load (hostExperience attaches the bridge on that load).
  useLayoutEffect(() => {
    const iframe = frame.current;
    if (!iframe) return;
    return experiences.host(iframe, name);
  }, [experiences, name]);

  return (
    <section class="experience-stage" aria-labelledby="experience-title" data-testid="experience-stage">
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
      {/* sandbox: the experience is served from the app's own origin, and must not reach the
          app's page, storage or room except through the bridge. */}
      <iframe
        ref={frame}
        class="experience-frame"
        data-testid="experience-frame"
        data-name={name}
        src={`/experiences/${name}/`}
        title={title}
        sandbox="allow-scripts"
      />
    </section>
  );
}

function ExperiencePicker({ experiences }: { experiences: Experiences }) {
  const listing = experiences.listing.value;
  return (
    <section class="experience-picker" aria-labelledby="experiences-title" data-testid="experience-picker">
      <h2 id="experiences-title">Do something together</h2>
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
