// A stand-in for fetch that answers the experiences listing (GET /experiences/) the way a test says.
import { vi } from 'vitest';

/** What huddle-server lists for the shipped experiences. */
export const LISTING = [
  {
    name: 'draw', title: 'Draw together', minPlayers: 1, maxPlayers: 8,
    description: "A shared whiteboard: sketch at the same time and see everyone's cursor live.",
  },
  { name: 'pong', title: 'Pong', minPlayers: 2, maxPlayers: 6, description: 'Real-time pong for 2 to 6.' },
];

/** A JSON body (HTTP 200), text that is not JSON (HTTP 200), another HTTP status, or a network failure. */
export type FetchAnswer = { body: unknown } | { text: string } | { status: number } | { error: Error };

export function fakeFetch(answer: FetchAnswer = { body: LISTING }) {
  return vi.fn(async (_url: string, _init?: unknown) => {
    if ('error' in answer) throw answer.error;
    const status = 'status' in answer ? answer.status : 200;
    return {
      ok: status >= 200 && status < 300,
      status,
      json: async () => ('body' in answer ? answer.body : JSON.parse('text' in answer ? answer.text : '')),
    };
  });
}
