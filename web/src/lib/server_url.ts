/** The huddle-server origin to use: the given one, else the page's own. */
export function serverOrigin(server?: string): string {
  const base = server ?? globalThis.location?.origin;
  if (!base) throw new TypeError('huddle: no server given and the page has no origin');
  const url = new URL(base);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  if (url.protocol === 'wss:') url.protocol = 'https:';
  return url.origin;
}

/** The signaling WebSocket URL of a server origin. */
export function signalingUrl(origin: string): string {
  const url = new URL('/ws', origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
