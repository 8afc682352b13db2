/**
 * What an attacker makes with node:crypto and jose alone (issue 16): JWS signatures over any protected
 * header text (a member named twice, any iat), keys registered with a validity window, and bericht texts
 * with a member named twice. Nothing here goes through Zicht's own signing code.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { DemoNetwork } from '../../src/demo/network.js';
import { canonicalJson } from '../../src/signing/canonical.js';

/** A detached JWS entry. */
export interface Entry {
  readonly protected: string;
  readonly signature: string;
}

/** The RFC 8785 payload of a bericht without its signatures, as the standard signs it. */
export function payloadOf(bericht: Record<string, unknown>): Buffer {
  const unsigned = Object.fromEntries(Object.entries(bericht).filter(([k]) => k !== 'signatures'));
  return Buffer.from(canonicalJson(unsigned));
}

/** An ES256 detached JWS over `payload` with the protected header exactly as `headerText` says (RFC 7515 §5.1). */
export function es256(headerText: string, payload: Buffer, key: KeyObject): Entry {
  const protectedHeader = Buffer.from(headerText).toString('base64url');
  const input = Buffer.from(`${protectedHeader}.${payload.toString('base64url')}`);
  return { protected: protectedHeader, signature: sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' }).toString('base64url') };
}

/** A sender's protected header text; `before` and `after` add raw members (a duplicate, say) around the ordinary ones. */
export function senderHeader(kid: string, oin: string, iat: number, raw: { before?: string; after?: string } = {}): string {
  return `{${raw.before ?? ''}"alg":"ES256","typ":"zicht-bericht+jws","kid":"${kid}","iat":${iat},"oin":"${oin}","crit":["oin"]${raw.after ?? ''}}`;
}

/** A fresh P-256 key registered for `oin` with a validity window (ISO instants), and its private half. */
export async function registerKey(network: DemoNetwork, oin: string, window: { nbf?: string; exp?: string; revokedAt?: string }): Promise<{ kid: string; key: KeyObject }> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  await network.registry.addKey(oin, { kid, jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, ...window });
  return { kid, key: privateKey };
}

/** The bericht's JSON text with `raw` (e.g. `"berichtId":"…",`) inserted right after the opening brace of the object at `path` (member names). */
export function withRawMember(bericht: Record<string, unknown>, path: readonly string[], raw: string): string {
  const marker = '"__zicht_marker__":0';
  const copy = structuredClone(bericht);
  let node: Record<string, unknown> = copy;
  for (const name of path) node = node[name] as Record<string, unknown>;
  const entries = Object.entries(node);
  for (const key of Object.keys(node)) Reflect.deleteProperty(node, key);
  Object.assign(node, { __zicht_marker__: 0 }, Object.fromEntries(entries));
  return JSON.stringify(copy).replace(`${marker},`, raw);
}
