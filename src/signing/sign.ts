/**
 * The sender's signature: a detached JWS (RFC 7515 Appendix F) over the canonical bericht (RFC 8785,
 * without `signatures`), with protected header `alg`, `typ: "zicht-bericht+jws"`, `kid`, `iat`, `oin`
 * and `crit: ["oin"]`.
 */
import { SignatureError } from '../errors.js';
import { canonicalBericht } from './canonical.js';
import { signDetached, type DetachedJws } from './detached.js';
import { readEnvelope } from './envelope.js';
import { SIGNATURE_TYP } from './header.js';
import type { Signer } from './signer.js';

/** Options of signing. */
export interface SignOptions {
  /** The signing time that goes into `iat`; now by default. */
  readonly iat?: Date;
}

/** A bericht with its signatures. */
export type Signed<T> = T & { signatures: DetachedJws[] };

/** NumericDate (RFC 7519 §2) of a Date: whole seconds since the epoch. */
export function numericDate(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/**
 * Signs a bericht as its sender and returns a copy with `signatures: [the signature]`.
 *
 * @throws {SignatureError} `ZICHT_SIGNATURE_BERICHT_INVALID` for a value without `verzender.oin`,
 *   `ZICHT_SIGNATURE_ALREADY_SIGNED` when it already carries signatures, `ZICHT_SIGNATURE_OIN_MISMATCH`
 *   when the signer's OIN is not the bericht's sender.
 * @throws {CanonicalError} `ZICHT_CANONICAL_INVALID` when the bericht has no canonical form.
 */
export async function signBericht<T extends object>(bericht: T, signer: Signer, options: SignOptions = {}): Promise<Signed<T>> {
  const envelope = readEnvelope(bericht);
  if (envelope.signatures.length > 0) throw new SignatureError('ZICHT_SIGNATURE_ALREADY_SIGNED');
  if (envelope.verzenderOin !== signer.oin) throw new SignatureError('ZICHT_SIGNATURE_OIN_MISMATCH');
  const header = {
    alg: signer.alg,
    typ: SIGNATURE_TYP.bericht,
    kid: signer.kid,
    iat: numericDate(options.iat ?? new Date()),
    oin: signer.oin,
    crit: ['oin'],
  };
  const signature = await signDetached(canonicalBericht(bericht), header, signer.key);
  return { ...bericht, signatures: [signature] };
}
