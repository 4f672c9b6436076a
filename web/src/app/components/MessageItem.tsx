// One chat message; your own show who has received them.
import { formatTime } from '../models/format';
import type { ChatMessage } from '../models/room';

export interface MessageItemProps {
  readonly message: ChatMessage;
}

export function MessageItem({ message: m }: MessageItemProps) {
  // Read here so only this item re-renders when a receipt arrives.
  const delivered = m.delivered.value;
  return (
    <li
      class={m.mine ? 'message mine' : 'message'}
      data-testid="chat-message"
      data-from={m.from}
      data-mine={String(m.mine)}
      data-message-id={String(m.id)}
      data-delivered-count={m.mine ? String(delivered.length) : undefined}
    >
      <div class="meta">
        <bdi class="sender">{m.mine ? `${m.fromName} (you)` : m.fromName}</bdi>
        <time dateTime={new Date(m.ts).toISOString()}>{formatTime(m.ts)}</time>
        {!m.broadcast && <span class="badge">to you only</span>}
      </div>
      {/* dir="auto": a right-to-left message lays out right to left, punctuation included. */}
      <p class="text" data-testid="chat-text" dir="auto">
        {m.text}
      </p>
      {m.mine && <Receipt message={m} delivered={delivered} />}
    </li>
  );
}

function Receipt({ message, delivered }: { message: ChatMessage; delivered: readonly string[] }) {
  const total = message.recipients.length;
  if (total === 0) {
    return <span class="receipt">✓ sent · nobody else was here</span>;
  }
  const has = new Set(delivered);
  const got = message.recipients.filter((r) => has.has(r.id));
  const waiting = message.recipients.filter((r) => !has.has(r.id));
  const title = [
    got.length ? `Delivered to ${got.map((r) => r.name).join(', ')}` : '',
    waiting.length ? `Waiting for ${waiting.map((r) => r.name).join(', ')}` : '',
  ].filter(Boolean).join(' · ');
  return (
    <details class={has.size === total ? 'receipt all' : 'receipt'}>
      <summary title={title}>
        ✓ delivered to {delivered.length}/{total}
      </summary>
      <ul>
        {message.recipients.map((r) => (
          <li key={r.id} class={has.has(r.id) ? 'got' : 'waiting'}>
            <span aria-hidden="true">{has.has(r.id) ? '✓ ' : '… '}</span>
            {r.name}
            <span class="sr-only">{has.has(r.id) ? ' has it' : ' not yet'}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
