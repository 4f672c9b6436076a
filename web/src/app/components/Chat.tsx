// The conversation: messages and system lines, and the box to write in.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { MAX_TEXT_LENGTH, type ChatLine } from '../models/room';
import { MessageItem } from './MessageItem';

export interface ChatProps {
  readonly lines: readonly ChatLine[];
  /** Sends the text; returns false when it was not sent (the text stays in the box). */
  readonly onSend: (text: string) => boolean;
  readonly inputRef?: { current: HTMLInputElement | null };
}

export function Chat({ lines, onSend, inputRef }: ChatProps) {
  const [draft, setDraft] = useState('');
  const box = useRef<HTMLInputElement | null>(null);
  const list = useRef<HTMLOListElement>(null);
  // Follow new lines only while the reader is at the bottom, so scrolling back is not yanked.
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const el = list.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const send = () => {
    // What the box holds now: `draft` is from the last render, which may predate the latest input
    // (a fast typist pressing Enter, or text set and sent in one go).
    const text = box.current?.value ?? draft;
    if (!text.trim()) return;
    if (onSend(text)) {
      setDraft('');
      atBottom.current = true;
    }
  };

  return (
    <section class="chat" aria-label="Chat">
      <ol
        ref={list}
        class="messages"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label="Messages"
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {lines.length === 0 && <li class="empty">No messages yet. Say hi!</li>}
        {lines.map((line) =>
          line.kind === 'chat' ? (
            <MessageItem key={line.key} message={line} />
          ) : (
            <li key={line.key} class="system" data-testid="system-line">
              {line.text}
            </li>
          ),
        )}
      </ol>
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <label for="chat-input" class="sr-only">
          Message
        </label>
        <input
          id="chat-input"
          ref={(el) => {
            box.current = el;
            if (inputRef) inputRef.current = el;
          }}
          data-testid="chat-input"
          value={draft}
          maxLength={MAX_TEXT_LENGTH}
          placeholder="Write a message…"
          autoComplete="off"
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter sends; but not while an IME is composing (Enter then confirms the word).
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" class="button primary" data-testid="chat-send" disabled={!draft.trim()}>
          Send
        </button>
      </form>
    </section>
  );
}
