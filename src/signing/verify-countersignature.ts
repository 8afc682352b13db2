/**
 * Verification of one gateway countersignature on its own: an auditor's question "did the gateway
 * receive exactly this bericht, and when?", answerable without the sender's key.
 */
import { SignatureError } from '../errors.js';
import { canonicalBericht } from './canonical.js';
import { encodePayload } from './detached.js';
import { readEnvelope } from './envelope.js';
import { checkReceivedAt, DEFAULT_CLOCK_POLICY, type ClockPolicy } from './clock.js';
import type { KeyResolver } from './key-resolver.js';
import { numericDate } from './sign.js';
import { verifySignatureEntry, type VerifiedSignature } from './verify-signature.js';

/** Options of {@link verifyCountersignature}. */
export interface VerifyCountersignatureOptions {
  /** Where the gateway's keys are found; the key's owner must have the role `gateway`. */
  readonly keys: KeyResolver;
  /** Which entry of `signatures` to check (at least 1); the last one by default. */
  readonly index?: number;
  /** The verifier's clock, which the countersignature's `rcv` may not run ahead of by more than the skew. */
  readonly now?: Date;
  /** The bounds of the countersignature's `iat` around its `rcv`, and the skew; the defaults by default. */
  readonly clock?: ClockPolicy;
}

/**
 * Verifies a gateway countersignature over the canonical bericht plus its received-at (`rcv`).
 * Returns it with `rcv`, the instant the gateway received the bericht. The gateway's key is judged at that `rcv`.
 *
 * @throws {SignatureError} `ZICHT_SIGNATURE_MISSING` when there is no countersignature at that index,
 *   `ZICHT_SIGNATURE_SIGNER_ROLE` when the signer is not a gateway, and the other codes of {@link verifyBericht}.
 * @throws {KeyError} the key codes of {@link verifyBericht}.
 */
export async function verifyCountersignature(bericht: unknown, options: VerifyCountersignatureOptions): Promise<VerifiedSignature> {
  const { verzenderOin, signatures } = readEnvelope(bericht);
  const index = options.index ?? signatures.length - 1;
  const entry = signatures[index];
  if (index < 1 || entry === undefined) throw new SignatureError('ZICHT_SIGNATURE_MISSING', { message: 'the bericht carries no gateway countersignature there' });
  const policy = options.clock ?? DEFAULT_CLOCK_POLICY;
  const verified = await verifySignatureEntry(entry, index, encodePayload(canonicalBericht(bericht)), 'ontvangst', verzenderOin, options.keys, { at: 'rcv', policy });
  checkReceivedAt(verified.judgedAt, numericDate(options.now ?? new Date()), policy, index);
  return verified;
}
