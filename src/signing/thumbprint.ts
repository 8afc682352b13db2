/**
 * JWK thumbprint (RFC 7638): the `kid` of every Zicht key. SHA-256 over the JSON of the key's
 * required members in lexicographic order without whitespace (RFC 7638 §3.2, §3.3), base64url.
 */
import { createHash } from 'node:crypto';
import type { PublicJwk } from './jwk.js';

/** The RFC 7638 SHA-256 thumbprint of a public key, base64url without padding. Only the required members count. */
export function jwkThumbprint(jwk: PublicJwk): string {
  let members: string;
  switch (jwk.kty) {
    case 'EC':
      members = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
      break;
    case 'RSA':
      members = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
      break;
    case 'OKP':
      members = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
      break;
  }
  return createHash('sha256').update(members, 'utf8').digest('base64url');
}
