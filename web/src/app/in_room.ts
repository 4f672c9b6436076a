// What the app needs once it is in a room and not before: the room's models, views and styles,
// and the bridge that lends the room to an experience's iframe (web/src/bridge). A chunk of its
// own (load_in_room.ts loads it; Vite's loader resolves it once room.css has loaded too), so the
// lobby page does not download, parse and compile them (docs/decisions.md, "The JavaScript is
// built for size").
import './room.css';

export { hostExperience } from '../bridge/experience_host';
export { RoomView } from './components/RoomView';
export { openHistory } from './models/history';
export { createRoomModel } from './models/room';
