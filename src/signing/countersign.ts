/**
 * The gateway's countersignature, added on acceptance: a detached JWS over the same canonical bytes as
 * the sender's signature, with `typ: "zicht-ontvangst+jws"` and the received-at instant in the
 * protected header (`rcv`, critical), so the signature covers the canonical bericht plus received-at.
 * With it an auditor can show what the gateway received and when, even after the sender's key is
 * rotated or revoked.
 */
import { SignatureError } from '../errors.js';
import { canonicalBericht } from './canonical.js';
import { signDetached, type DetachedJws } from './detached.js';
import { readEnvelope } from './envelope.js';
import { SIGNATURE_TYP } from './header.js';
import { MAX_SIGNATURES } from './limits.js';
import { numericDate, type SignOptions } from './sign.js';
import type { Signer } from './signer.js';

/**
 * Adds the gateway's countersignature to a signed bericht (after the signatures it has). The caller
 * verifies the sender's signature first; this function only signs.
 *
 * @param receivedAt - when the gateway received the bericht; goes into `rcv` (RFC 3339, UTC).
 * @param options - `iat` of the signature; `canonical`: `canonicalBericht(bericht)` when the caller has it already.
 * @throws {SignatureError} `ZICHT_SIGNATURE_MISSING` when the bericht has no sender signature,
 *   `ZICHT_SIGNATURE_TOO_MANY` when it has no room for another, `ZICHT_SIGNATURE_BERICHT_INVALID`.
 * @throws {CanonicalError} `ZICHT_CANONICAL_INVALID` when the bericht has no canonical form.
 */
export async function countersignBericht<T extends object>(
  bericht: T,
  gateway: Signer,
  receivedAt: Date,
  options: SignOptions & { readonly canonical?: Uint8Array } = {},
): Promise<T & { signatures: DetachedJws[] }> {
  const { signatures } = readEnvelope(bericht);
  if (signatures.length === 0) throw new SignatureError('ZICHT_SIGNATURE_MISSING');
  if (signatures.length >= MAX_SIGNATURES) throw new SignatureError('ZICHT_SIGNATURE_TOO_MANY');
  const header = {
    alg: gateway.alg,
    typ: SIGNATURE_TYP.ontvangst,
    kid: gateway.kid,
    iat: numericDate(options.iat ?? new Date()),
    oin: gateway.oin,
    rcv: receivedAt.toISOString(),
    crit: ['oin', 'rcv'],
  };
  const signature = await signDetached(options.canonical ?? canonicalBericht(bericht), header, gateway.key);
  return { ...bericht, signatures: [...(signatures as DetachedJws[]), signature] };
}
