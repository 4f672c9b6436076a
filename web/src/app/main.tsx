// Browser entry point: wires the real huddle library into the app and renders it.
import { render } from 'preact';
import { huddle, preload } from '../lib';
import { App } from './app';
import { createAppModel } from './models/app';
import './styles.css';

const root = document.getElementById('app');
if (!root) throw new Error('huddle: #app element missing from index.html');

preload();
render(<App model={createAppModel({ api: huddle })} />, root);
