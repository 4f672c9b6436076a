// Browser entry point and the app's composition root: puts the real huddle library and the
// bridge's hostExperience together into the app model and renders it. The only file of the app
// that imports from outside web/src/lib.
import { render } from 'preact';
import { hostExperience } from '../bridge/experience_host';
import { createRoom, joinRoom } from '../lib';
import { App } from './app';
import { createAppModel } from './models/app';
import './styles.css';

const root = document.getElementById('app');
if (!root) throw new Error('huddle: #app element missing from index.html');

// Importing ../lib has already started loading the Wasm client (lib/wasm_module.ts).
render(<App model={createAppModel({ api: { createRoom, joinRoom }, hostExperience })} />, root);
