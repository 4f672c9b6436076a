// The app's root: the lobby, or the room you are in.
import { Lobby } from './components/Lobby';
import { RoomView } from './components/RoomView';
import type { AppModel } from './models/app';

export interface AppProps {
  readonly model: AppModel;
}

export function App({ model }: AppProps) {
  const session = model.session.value;
  if (session) {
    return (
      <RoomView
        key={session.code}
        session={session}
        shareUrl={model.router.shareUrl(session.code)}
        onLeave={model.leave}
      />
    );
  }
  return <Lobby lobby={model.lobby} identity={model.identity} />;
}
