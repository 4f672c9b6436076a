// Browser entry point and the app's composition root: puts the real huddle library into the app
// model and renders it. The bridge's hostExperience comes with the room part (in_room.ts), the
// only other file of the app that imports from outside web/src/lib.
import { render } from 'preact';
import { createRoom, joinRoom } from '../lib';
import { App } from './app';
import { loadInRoomWhenUsed } from './load_in_room';
import { createAppModel } from './models/app';
import './styles.css';

const root = document.getElementById('app');
if (!root) throw new Error('huddle: #app element missing from index.html');

// Importing ../lib has already started loading the Wasm client (lib/wasm_module.ts).
loadInRoomWhenUsed(document);
render(<App model={createAppModel({ api: { createRoom, joinRoom } })} />, root);
