// Requests across the bridge (docs/experiences.md, "Requests"). An experience's P2P.request
// becomes room.request (its data through the scope, like a send), answered by a `response` frame;
// and while a bridge forwards a room's events, the room's request handler is the experience's:
// each request goes to the iframe as a `request` frame and waits for the iframe's `answer`.
import { HuddleError, type Json, type Room } from '../lib/types';
import type { IframeFrame, ParentFrame } from './protocol';
import type { FrameSink, MessageScope } from './room_bridge';

interface Waiting {
  resolve: (answer: Json) => void;
  reject: (error: Error) => void;
}

/** The requests a room's handler has handed to the iframe, by the id their `request` frame has. */
class IframeAnswers {
  private next = 1;
  private readonly waiting = new Map<number, Waiting>();

  constructor(private readonly sink: FrameSink) {}

  ask(from: string, data: Json): Promise<Json> {
    const id = this.next++;
    return new Promise<Json>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.sink.post({ t: 'request', id, from, data });
    });
  }

  answer(frame: Extract<IframeFrame, { t: 'answer' }>): void {
    const waiting = this.waiting.get(frame.id);
    if (!waiting) return; // answered already, or from before the bridge was stopped
    this.waiting.delete(frame.id);
    if ('code' in frame) {
      // no_handler as a HuddleError: requests.ts refuses with that code instead of request_failed.
      waiting.reject(frame.code === 'no_handler' ? new HuddleError('no_handler', frame.message) : new Error(frame.message));
    } else {
      waiting.resolve(frame.data);
    }
  }

  close(): void {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) w.reject(new Error('the experience was closed before it answered'));
  }
}

// The answers each bridged room awaits: sendFromIframe sees the `answer` frames, and only the room.
const answersOf = new WeakMap<Room, IframeAnswers>();

/**
 * Makes the experience behind `sink` the room's request handler until the returned function is
 * called. Requests whose data is not the experience's (another channel's) are refused.
 */
export function answerRequestsInIframe(room: Room, sink: FrameSink, scope: MessageScope): () => void {
  const answers = new IframeAnswers(sink);
  answersOf.set(room, answers);
  const off = room.onRequest((from, data) => {
    const inner = scope.unwrap(data);
    if (inner === undefined) throw new Error('this request is not for the experience that answers here');
    return answers.ask(from, inner);
  });
  return () => {
    off();
    answers.close();
    if (answersOf.get(room) === answers) answersOf.delete(room);
  };
}

/** Carries the iframe's `request` to the room, or its `answer` to the request it answers. */
export function requestFromIframe(
  room: Room,
  frame: Extract<IframeFrame, { t: 'request' | 'answer' }>,
  scope: MessageScope,
  post: (frame: ParentFrame) => void,
): void {
  if (frame.t === 'answer') {
    answersOf.get(room)?.answer(frame);
    return;
  }
  const options = frame.timeoutMs === undefined ? undefined : { timeoutMs: frame.timeoutMs };
  room.request(frame.to, scope.wrap(frame.data), options).then(
    (data) => post({ t: 'response', id: frame.id, data }),
    (err: { code?: string; message?: string }) =>
      post({ t: 'response', id: frame.id, code: err.code ?? 'internal', message: err.message ?? String(err) }),
  );
}
