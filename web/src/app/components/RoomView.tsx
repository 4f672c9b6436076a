// Inside a room: code and share link, members, chat, experiences, connection status, leave.
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Session } from '../models/session';
import { Chat } from './Chat';
import { ErrorBanner } from './ErrorBanner';
import { ExperiencePanel } from './ExperiencePanel';
import { PeerList } from './PeerList';
import { ShareLink } from './ShareLink';
import { StatusBar } from './StatusBar';

export interface RoomViewProps {
  readonly session: Session;
  readonly shareUrl: string;
  readonly onLeave: () => void;
}

export function RoomView({ session, shareUrl, onLeave }: RoomViewProps) {
  const chatInput = useRef<HTMLInputElement>(null);
  const peers = session.peers.value;
  const experienceOpen = session.experiences.current.value !== null;

  useLayoutEffect(() => {
    chatInput.current?.focus();
    const before = document.title;
    document.title = `huddle · ${session.code}`;
    return () => {
      document.title = before;
    };
  }, [session]);

  return (
    <div class={experienceOpen ? 'room with-experience' : 'room'}>
      <header class="room-header">
        <div class="room-title">
          <span class="label">Room</span>
          <h1 class="room-code" data-testid="room-code">
            {session.code}
          </h1>
          {session.relayOnly && (
            <p class="room-note" data-testid="relay-only-note">
              Relay-only room: messages go through the server
            </p>
          )}
        </div>
        <ShareLink url={shareUrl} />
        <button type="button" class="button danger" data-testid="leave-button" onClick={onLeave}>
          Leave
        </button>
      </header>
      <ErrorBanner message={session.error.value} onDismiss={session.dismissError} />
      <main class="room-body">
        <PeerList peers={peers} />
        <ExperiencePanel experiences={session.experiences} />
        <Chat lines={session.lines.value} onSend={session.send} inputRef={chatInput} />
      </main>
      <StatusBar status={session.status.value} members={peers.length} links={session.links.value} />
    </div>
  );
}
