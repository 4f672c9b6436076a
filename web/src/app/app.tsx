// The app's root: the lobby, or the room you are in.
import { Lobby } from './components/Lobby';
import { inRoom } from './load_in_room';
import type { AppModel } from './models/app';

export interface AppProps {
  readonly model: AppModel;
}

export function App({ model }: AppProps) {
  const room = model.room.value;
  if (room) {
    const { RoomView } = inRoom(); // loaded before the model enters a room
    return (
      <RoomView
        key={room.code}
        room={room}
        shareUrl={model.shareUrl.value}
        onLeave={model.leave}
      />
    );
  }
  return <Lobby lobby={model.lobby} identity={model.identity} />;
}
