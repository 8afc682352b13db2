/**
 * JWK thumbprint (RFC 7638): the `kid` of every Zicht key. SHA-256 over the JSON of the key's
 * required members in lexicographic order without whitespace (RFC 7638 §3.2, §3.3), base64url.
 */
import { createHash } from 'node:crypto';
/** The required members of a public JWK (RFC 7638 §3.2): those of a signing key (src/signing/jwk.ts) or an encryption key (src/registry/versleutelingssleutel.ts). */
export type ThumbprintMembers =
  | { readonly kty: 'EC'; readonly crv: string; readonly x: string; readonly y: string }
  | { readonly kty: 'RSA'; readonly n: string; readonly e: string }
  | { readonly kty: 'OKP'; readonly crv: string; readonly x: string };

/** The RFC 7638 SHA-256 thumbprint of a public key, base64url without padding. Only the required members count. */
export function jwkThumbprint(jwk: ThumbprintMembers): string {
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
