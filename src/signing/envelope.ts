/**
 * The two things signing needs from a bericht before anything else: the sender's OIN and the
 * `signatures` array, read defensively from an untrusted value (an array of 10,000 entries is refused
 * by its length, before any entry is looked at).
 */
import { SignatureError } from '../errors.js';
import { MAX_SIGNATURES } from './limits.js';

/** What signing reads from a bericht. */
export interface SignedEnvelope {
  /** `verzender.oin`: the OIN the sender's signature must carry. */
  readonly verzenderOin: string;
  /** The `signatures` entries, unchecked; empty when the member is absent. */
  readonly signatures: readonly unknown[];
}

/**
 * Reads the envelope members signing needs.
 *
 * @throws {SignatureError} `ZICHT_SIGNATURE_BERICHT_INVALID` when the value is not an object with a string
 *   `verzender.oin`, or `signatures` is present but not an array; `ZICHT_SIGNATURE_TOO_MANY` when it has more
 *   than {@link MAX_SIGNATURES} entries.
 */
export function readEnvelope(bericht: unknown): SignedEnvelope {
  if (typeof bericht !== 'object' || bericht === null || Array.isArray(bericht)) throw new SignatureError('ZICHT_SIGNATURE_BERICHT_INVALID');
  const verzender: unknown = 'verzender' in bericht ? bericht.verzender : undefined;
  const oin: unknown = typeof verzender === 'object' && verzender !== null && 'oin' in verzender ? verzender.oin : undefined;
  if (typeof oin !== 'string') throw new SignatureError('ZICHT_SIGNATURE_BERICHT_INVALID', { message: 'the bericht has no verzender.oin' });
  const signatures: unknown = 'signatures' in bericht ? bericht.signatures : undefined;
  if (signatures === undefined) return { verzenderOin: oin, signatures: [] };
  if (!Array.isArray(signatures)) throw new SignatureError('ZICHT_SIGNATURE_BERICHT_INVALID', { message: 'signatures is not an array' });
  if (signatures.length > MAX_SIGNATURES) throw new SignatureError('ZICHT_SIGNATURE_TOO_MANY');
  return { verzenderOin: oin, signatures };
}
