// The conversation: messages and system lines, who is typing, and the box to write in.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { MAX_TEXT_LENGTH, type ChatLine } from '../models/room';
import { FileItem } from './FileItem';
import { PaperclipIcon } from './icons';
import { MessageItem } from './MessageItem';

/** From this many characters on, the box shows how many are left. */
const COUNT_FROM = MAX_TEXT_LENGTH - 200;
/** The box grows with its text up to this many pixels, then scrolls. */
const MAX_BOX_HEIGHT = 160;

export interface ChatProps {
  readonly lines: readonly ChatLine[];
  /** Sends the text; returns false when it was not sent (the text stays in the box). */
  readonly onSend: (text: string) => boolean;
  /** The person is writing (called on each edit); the room tells the others, throttled. */
  readonly onTyping?: (typing: boolean) => void;
  /** "Ann is typing…", or '' when nobody is. */
  readonly typing?: string;
  readonly inputRef?: { current: HTMLTextAreaElement | null };
  /** false while the history is being read: nothing is shown yet, so nothing shows out of order. */
  readonly ready?: boolean;
  /** Why the conversation is not kept on this device, or null. */
  readonly historyProblem?: string | null;
  /** Empties the conversation (here and in this device's history); absent: no Clear button. */
  readonly onClear?: () => void;
  /** Sends a file to everyone (picked, dropped or pasted); absent: no files. */
  readonly onFile?: (file: File) => void;
}

export function Chat({ lines, onSend, onTyping, typing = '', inputRef, ready = true, historyProblem = null, onClear, onFile }: ChatProps) {
  const [draft, setDraft] = useState('');
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const sendFiles = (list: FileList | null | undefined) => {
    if (!onFile || !list) return;
    for (const file of Array.from(list)) onFile(file);
  };
  const box = useRef<HTMLTextAreaElement | null>(null);
  const log = useRef<HTMLDivElement>(null);
  // Follow new lines only while the reader is at the bottom, so scrolling back is not yanked.
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const el = log.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const fit = () => {
    const el = box.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_BOX_HEIGHT)}px`;
  };

  const send = () => {
    const el = box.current;
    // What the box holds now: `draft` is from the last render, which may predate the latest input
    // (a fast typist pressing Enter, or text set and sent in one go).
    const text = el?.value ?? draft;
    // Whatever happens, the next keystroke goes to the box (a click on Send would otherwise keep
    // focus on the button, and typing would go nowhere).
    el?.focus();
    if (!text.trim()) return;
    if (onSend(text)) {
      if (el) el.value = '';
      setDraft('');
      fit();
      onTyping?.(false);
      atBottom.current = true;
    }
  };

  const over = draft.length - MAX_TEXT_LENGTH;
  return (
    <section
      class={dragging ? 'chat dragging' : 'chat'}
      aria-label="Chat"
      onDragOver={(e) => {
        if (!onFile || !e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault(); // allows the drop
        e.dataTransfer.dropEffect = 'copy';
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        if (!onFile || !e.dataTransfer?.files.length) return;
        e.preventDefault();
        setDragging(false);
        sendFiles(e.dataTransfer.files);
      }}
    >
      {/* The log is the scroller and a tab stop, so the keyboard can scroll back too; the list
          inside keeps list semantics (a role on the <ol> itself would drop them). */}
      <div
        ref={log}
        class="messages"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label="Messages"
        tabIndex={0}
        data-testid="chat-log"
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {historyProblem && (
          <p class="history-note" data-testid="history-problem">
            {historyProblem}
          </p>
        )}
        {!ready ? (
          <p class="empty">Loading the conversation…</p>
        ) : lines.length === 0 ? (
          <p class="empty">No messages yet. Say hi!</p>
        ) : (
          <ol>
            {/* At the top of the conversation, where its history begins: out of the way of reading. */}
            {onClear && (
              <li class="history-start">
                <button
                  type="button"
                  class="clear-history"
                  data-testid="clear-history"
                  onClick={() => {
                    // A plain confirm: rare, destructive, and it must not be one click away.
                    if (window.confirm('Clear this conversation? It is removed from this device; the others keep theirs.')) {
                      onClear();
                      box.current?.focus();
                    }
                  }}
                >
                  Clear history
                </button>
              </li>
            )}
            {lines.map((line) =>
              line.kind === 'chat' ? (
                <MessageItem key={line.key} message={line} />
              ) : line.kind === 'file' ? (
                <FileItem key={line.key} file={line} />
              ) : (
                <li key={line.key} class="system" data-testid="system-line">
                  {line.text}
                </li>
              ),
            )}
          </ol>
        )}
      </div>
      <p class="typing" data-testid="typing" aria-live="polite">
        {typing}
      </p>
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
        <textarea
          id="chat-input"
          ref={(el) => {
            box.current = el;
            if (inputRef) inputRef.current = el;
          }}
          data-testid="chat-input"
          rows={1}
          value={draft}
          placeholder="Message…"
          autoComplete="off"
          aria-describedby="chat-count"
          aria-invalid={over > 0 ? 'true' : undefined}
          onInput={(e) => {
            const value = e.currentTarget.value;
            setDraft(value);
            fit();
            onTyping?.(value.trim() !== '');
          }}
          onBlur={() => onTyping?.(false)}
          onPaste={(e) => {
            // A pasted file (a screenshot, a copied file) is sent; pasted text goes in the box.
            const pasted = e.clipboardData?.files;
            if (!onFile || !pasted?.length) return;
            e.preventDefault();
            sendFiles(pasted);
          }}
          onKeyDown={(e) => {
            // Enter sends and Shift+Enter starts a new line; neither while an IME is composing
            // (Enter then confirms the word).
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
              e.preventDefault();
              send();
            }
          }}
        />
        {onFile && (
          <>
            <input
              ref={picker}
              type="file"
              multiple
              class="sr-only"
              tabIndex={-1}
              aria-hidden="true"
              data-testid="file-input"
              onChange={(e) => {
                sendFiles(e.currentTarget.files);
                e.currentTarget.value = ''; // the same file can be picked again
                box.current?.focus();
              }}
            />
            <button type="button" class="button attach" data-testid="attach-file" aria-label="Send a file" title="Send a file (or drop or paste one)" onClick={() => picker.current?.click()}>
              <PaperclipIcon />
            </button>
          </>
        )}
        <button type="submit" class="button primary" data-testid="chat-send">
          Send
        </button>
        {/* Nothing is cut silently: a paste over the limit stays whole, and this says by how much. */}
        <p id="chat-count" class={over > 0 ? 'count over' : 'count'} data-testid="chat-count" aria-live="polite">
          {over > 0
            ? `${over.toLocaleString('en')} characters too long (at most ${MAX_TEXT_LENGTH.toLocaleString('en')})`
            : draft.length >= COUNT_FROM
              ? `${(MAX_TEXT_LENGTH - draft.length).toLocaleString('en')} characters left`
              : ''}
        </p>
      </form>
    </section>
  );
}
