// docs/tokens.md's Node minting example, with types added (keep the two in step): the tests mint their
// tokens with it, so the documented code is the tested code.
import { createHmac } from 'node:crypto';

export interface JoinTokenRequest {
  room: string;
  peer: string;
  name: string;
  expiresIn?: number; // seconds
  maxMembers?: number;
  relayOnly?: boolean;
}

export function joinToken(secret: string, { room, peer, name, expiresIn = 7200, maxMembers, relayOnly }: JoinTokenRequest): string {
  const claims: Record<string, unknown> = { v: 1, room, peer, name, exp: Math.floor(Date.now() / 1000) + expiresIn };
  if (maxMembers !== undefined) claims.maxMembers = maxMembers;
  if (relayOnly) claims.relayOnly = true;
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
