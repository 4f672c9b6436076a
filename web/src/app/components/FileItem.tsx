// A file in the conversation: its name and size, a progress bar while it moves, then a download
// link (received) or who has it (sent), or what went wrong.
import { formatSize, type FileLine } from '../models/file_share';
import { formatTime } from '../models/format';
import { FileIcon } from './icons';

export function FileItem({ file: f }: { file: FileLine }) {
  // Read here so only this item re-renders as its progress moves.
  const state = f.state.value;
  const progress = f.progress.value;
  const url = f.url.value;
  const note = f.note.value;
  const moving = state === 'sending' || state === 'receiving';
  const percent = f.size > 0 ? Math.floor((100 * progress) / f.size) : 100;
  return (
    <li class={f.mine ? 'message file mine' : 'message file'} data-testid="file-item" data-state={state} data-mine={String(f.mine)} data-name={f.name}>
      <div class="meta">
        <bdi class="sender">{f.mine ? `${f.fromName} (you)` : f.fromName}</bdi>
        <time dateTime={new Date(f.ts).toISOString()}>{formatTime(f.ts)}</time>
      </div>
      <p class="file-name">
        <FileIcon />{' '}
        <bdi>{f.name}</bdi> <span class="file-size">{formatSize(f.size)}</span>
      </p>
      {moving && (
        <div class="file-progress">
          <progress max={f.size || 1} value={progress} aria-label={`${f.name}: ${state === 'sending' ? 'sent' : 'received'} ${percent}%`} data-testid="file-progress" />
          <span class="file-percent">{percent}%</span>
          <button type="button" class="file-cancel" data-testid="file-cancel" onClick={() => f.cancel()} aria-label={`Cancel ${f.name}`}>
            Cancel
          </button>
        </div>
      )}
      {state === 'done' && url && (
        <a class="button file-download" href={url} download={f.name} data-testid="file-download">
          Download
        </a>
      )}
      {note && (
        <p class={state === 'failed' ? 'file-note failed' : 'file-note'} data-testid="file-note">
          {note}
        </p>
      )}
    </li>
  );
}
