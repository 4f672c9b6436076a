// Inside a room: code and share link, members, chat, experiences, connection status, leave.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { buildMesh } from '../models/mesh';
import type { RoomModel } from '../models/room';
import { Chat } from './Chat';
import { ErrorBanner } from './ErrorBanner';
import { ExperiencePanel } from './ExperiencePanel';
import { LeaveDialog } from './LeaveDialog';
import { PeerList } from './PeerList';
import { ShareLink } from './ShareLink';
import { StatusBar } from './StatusBar';

export interface RoomViewProps {
  readonly room: RoomModel;
  readonly shareUrl: string;
  readonly onLeave: () => void;
}

export function RoomView({ room, shareUrl, onLeave }: RoomViewProps) {
  const chatInput = useRef<HTMLTextAreaElement>(null);
  const leaveButton = useRef<HTMLButtonElement>(null);
  const [asking, setAsking] = useState(false);
  const peers = room.peers.value;
  const status = room.status.value;
  const experienceOpen = room.experiences.current.value !== null;
  const others = peers.filter((p) => !p.isSelf && !p.away).length;
  const host = peers.find((p) => p.isSelf)?.isHost ?? false;

  const unread = room.alerts.unread.value;
  useLayoutEffect(() => {
    chatInput.current?.focus();
  }, [room]);
  // "(3) huddle · ABC234" while messages wait in a background tab.
  useLayoutEffect(() => {
    const before = document.title;
    document.title = unread > 0 ? `(${unread}) huddle · ${room.code}` : `huddle · ${room.code}`;
    return () => {
      document.title = before;
    };
  }, [room, unread]);

  // A host closing the tab hands the room to the next member; with others here, the browser asks
  // first ("Leave site?"). A reload asks too: the browser cannot tell them apart.
  useEffect(() => {
    if (!host || others === 0) return;
    const ask = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [host, others > 0]);

  const stay = () => {
    setAsking(false);
    leaveButton.current?.focus();
  };

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
          {room.password && (
            <p class="room-note locked" data-testid="password-note">
              Locked: joining needs the link or the password
            </p>
          )}
        </div>
        <ShareLink url={shareUrl} />
        <button type="button" class="button danger" data-testid="leave-button" ref={leaveButton} onClick={() => setAsking(true)}>
          Leave
        </button>
      </header>
      <ErrorBanner message={room.error.value} onDismiss={room.dismissError} />
      <main class="room-body">
        <PeerList peers={peers} presence={room.presence.members.value} mesh={buildMesh(peers, room.presence.reports.value)} />
        <ExperiencePanel experiences={room.experiences} status={status} />
        <Chat
          lines={room.lines.value}
          onSend={room.send}
          onTyping={room.setTyping}
          typing={room.typingText.value}
          inputRef={chatInput}
          ready={room.historyReady.value}
          historyProblem={room.historyProblem.value}
          onClear={room.clearHistory}
          onFile={(file) => void room.sendFile(file)}
        />
      </main>
      <StatusBar
        status={status}
        members={peers.length}
        links={room.links.value}
        capacity={room.maxMembers}
        alerts={room.alerts.state.value}
        onToggleAlerts={() => void room.alerts.toggle()}
      />
      {asking && <LeaveDialog code={room.code} others={others} onLeave={onLeave} onStay={stay} />}
    </div>
  );
}
