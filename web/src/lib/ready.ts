// Room.ready(): promises that wait for the queue to a member (or, without one, to every member)
// to fall under READY_QUEUED_MESSAGES and READY_QUEUED_BYTES. The queue only shrinks when a
// delivery receipt comes or a member leaves, so the room checks again then and nowhere else.
import { READY_QUEUED_BYTES, READY_QUEUED_MESSAGES } from '../generated/core';
import { HuddleError } from './types';

/** What the room tells the waiters: the queue to a member ("": the fullest), and who is here. */
export interface ReadyContext {
  queued(peerId: string): { messages: number; bytes: number };
  isMember(peerId: string): boolean;
}

interface Waiter {
  peerId: string; // "": every member
  resolve: () => void;
  reject: (error: HuddleError) => void;
}

export class ReadyWaiters {
  private waiting: Waiter[] = [];
  private closed: HuddleError | null = null;

  constructor(private readonly room: ReadyContext) {}

  wait(peerId = ''): Promise<void> {
    if (this.closed) return Promise.reject(this.closed);
    if (peerId !== '' && !this.room.isMember(peerId)) {
      return Promise.reject(new HuddleError('peer_not_in_room', `no other member ${peerId.slice(0, 16)} in this room`));
    }
    if (this.low(peerId)) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiting.push({ peerId, resolve, reject }));
  }

  /** After a delivery receipt or a member leaving: settles whoever can go on. */
  check(): void {
    if (this.waiting.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.waiting) {
      if (w.peerId !== '' && !this.room.isMember(w.peerId)) {
        w.reject(new HuddleError('peer_not_in_room', `${w.peerId.slice(0, 16)} left the room`));
      } else if (this.low(w.peerId)) {
        w.resolve();
      } else {
        still.push(w);
      }
    }
    this.waiting = still;
  }

  /** The room was left or lost: every waiter, and every later call, fails with `error`. */
  close(error: HuddleError): void {
    this.closed = error;
    for (const w of this.waiting.splice(0)) w.reject(error);
  }

  private low(peerId: string): boolean {
    const q = this.room.queued(peerId);
    return q.messages < READY_QUEUED_MESSAGES && q.bytes < READY_QUEUED_BYTES;
  }
}
