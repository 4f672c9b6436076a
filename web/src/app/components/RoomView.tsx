// Inside a room: code and share link, members, chat, experiences, connection status, leave.
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { RoomModel } from '../models/room';
import { Chat } from './Chat';
import { ErrorBanner } from './ErrorBanner';
import { ExperiencePanel } from './ExperiencePanel';
import { PeerList } from './PeerList';
import { ShareLink } from './ShareLink';
import { StatusBar } from './StatusBar';

export interface RoomViewProps {
  readonly room: RoomModel;
  readonly shareUrl: string;
  readonly onLeave: () => void;
}

export function RoomView({ room, shareUrl, onLeave }: RoomViewProps) {
  const chatInput = useRef<HTMLInputElement>(null);
  const peers = room.peers.value;
  const experienceOpen = room.experiences.current.value !== null;

  useLayoutEffect(() => {
    chatInput.current?.focus();
    const before = document.title;
    document.title = `huddle · ${room.code}`;
    return () => {
      document.title = before;
    };
  }, [room]);

  return (
    <div class={experienceOpen ? 'room with-experience' : 'room'}>
      <header class="room-header">
        <div class="room-title">
          <span class="label">Room</span>
          <h1 class="room-code" data-testid="room-code">
            {room.code}
          </h1>
          {room.relayOnly && (
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
      <ErrorBanner message={room.error.value} onDismiss={room.dismissError} />
      <main class="room-body">
        <PeerList peers={peers} />
        <ExperiencePanel experiences={room.experiences} />
        <Chat lines={room.lines.value} onSend={room.send} inputRef={chatInput} />
      </main>
      <StatusBar status={room.status.value} members={peers.length} links={room.links.value} />
    </div>
  );
}
