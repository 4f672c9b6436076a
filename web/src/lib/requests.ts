// Requests between members (room.request / room.onRequest): the core correlates ids, keeps the
// timeouts and carries both ways on the member's reliable stream (docs/protocol.md "Requests");
// this file turns its events into promises, and runs the app's handler: a returned Promise is
// awaited, a throw (or a rejection) becomes the asker's `request_failed` with the error's message,
// and a member with no handler answers `no_handler`.
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../generated/core';
import { toJsonText } from './json_text';
import { HuddleError, type ErrorCode, type Json, type RequestHandler, type RequestOptions } from './types';
import type { WasmSent, WasmStatus } from './wasm_module';

/** What Requests needs of the client: its request methods (WasmClient's), while in the room. */
export interface RequestPort {
  request(peer: string, json: string, timeoutMs: number): WasmSent;
  respond(id: number, json: string): WasmStatus;
  refuse(id: number, code: ErrorCode, message: string): WasmStatus;
}

interface Waiting {
  resolve: (answer: Json) => void;
  reject: (error: HuddleError) => void;
}

export class Requests {
  private readonly waiting = new Map<number, Waiting>();
  private handler: RequestHandler | null = null;

  /** `port()`: the client, or null once the room was left. */
  constructor(private readonly port: () => RequestPort | null) {}

  request(peerId: string, data: Json, options?: RequestOptions): Promise<Json> {
    const port = this.port();
    if (!port) return Promise.reject(new HuddleError('not_in_room', 'this room was left'));
    let text: string;
    try {
      text = toJsonText(data);
    } catch (err) {
      return Promise.reject(err);
    }
    const timeoutMs = options?.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs)) {
      return Promise.reject(new HuddleError('data_invalid', 'timeoutMs must be a number of milliseconds'));
    }
    const sent = port.request(String(peerId), text, timeoutMs);
    if (!sent.ok) return Promise.reject(new HuddleError(sent.code, sent.message));
    return new Promise<Json>((resolve, reject) => this.waiting.set(sent.id, { resolve, reject }));
  }

  /** Sets the one handler (a later call replaces it); the returned function removes it. */
  onRequest(handler: RequestHandler): () => void {
    this.handler = handler;
    return () => {
      if (this.handler === handler) this.handler = null;
    };
  }

  // ---- the client's events ----

  onAsked(from: string, id: number, text: string): void {
    const handler = this.handler;
    if (!handler) {
      this.port()?.refuse(id, 'no_handler', 'this member has no request handler (onRequest)');
      return;
    }
    // Called now, not in a continuation: the app hears requests in stream order with its messages.
    let result: ReturnType<RequestHandler>;
    try {
      result = handler(from, JSON.parse(text) as Json);
    } catch (err) {
      result = Promise.reject(err);
    }
    Promise.resolve(result)
      .then(
        (answer) => this.answer(id, answer === undefined ? null : answer),
        // A handler that is only a go-between (the iframe bridge) passes on that there was none.
        (err: unknown) =>
          this.port()?.refuse(id, err instanceof HuddleError && err.code === 'no_handler' ? 'no_handler' : 'request_failed', messageOf(err)),
      );
  }

  onAnswer(id: number, text: string): void {
    const waiting = this.take(id);
    waiting?.resolve(JSON.parse(text) as Json);
  }

  onFailed(id: number, code: ErrorCode, message: string): void {
    this.take(id)?.reject(new HuddleError(code, message));
  }

  /** The room was left: every request still waiting fails with `error`. */
  close(error: HuddleError): void {
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiting) w.reject(error);
  }

  private answer(id: number, answer: Json): void {
    const port = this.port();
    if (!port) return;
    let text: string;
    try {
      text = toJsonText(answer);
    } catch (err) {
      port.refuse(id, 'request_failed', `the answer is not valid: ${messageOf(err)}`);
      return;
    }
    port.respond(id, text); // refused by the core only when the member left meanwhile
  }

  private take(id: number): Waiting | undefined {
    const waiting = this.waiting.get(id);
    this.waiting.delete(id);
    return waiting;
  }
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : String(err);
}
