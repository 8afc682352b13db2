/**
 * The trust anchor of an audit verification (LOG-001, spec/v1/log.md "Trust anchor"): the log's verifier key as
 * the auditor got it from outside the bundle or the gateway being checked: given (`--key`, from the operator out
 * of band), or pinned in a file on an earlier run. A key that travels with what it is meant to verify (the
 * bundle's `verifierKey`, the gateway's `GET /v1/log/key`) is a claim: it is used only when the auditor opts in
 * to trust on first use, which pins it for every later run and is said so in the output.
 */
import { AuditError } from '../errors.js';
import { parseVerifierKey, type NoteVerifier } from './note-key.js';

/** Where the anchor came from. */
export type TrustAnchorSource = 'key' | 'pin' | 'trust-on-first-use';

/** The key a verification rests on, and how the auditor came by it. */
export interface TrustAnchor {
  readonly verifier: NoteVerifier;
  readonly source: TrustAnchorSource;
  /** With `trust-on-first-use`: the pin file's text to write (the key, one line). */
  readonly pin?: string;
}

/** What the auditor gave. */
export interface TrustInput {
  /** A verifier key given on the command line (`--key`), already read from its file when one was named. */
  readonly key?: string;
  /** The pin file's text when a pin file was named and exists; `undefined` when it does not exist (yet). */
  readonly pinned?: string;
  /** Whether a pin file was named (`--pin FILE`). */
  readonly pinFile: boolean;
  /** Whether the auditor opted in to trust on first use (pins `offered` when the pin file does not exist). */
  readonly trustOnFirstUse: boolean;
  /** The key the bundle or gateway offers: a claim, used only on first use. */
  readonly offered?: string;
}

/**
 * Decides the trust anchor.
 *
 * @throws {AuditError} `ZICHT_AUDIT_NO_TRUST_ANCHOR` without `--key`, without an existing pin file, and without
 *   the opt-in to trust on first use; `ZICHT_AUDIT_PIN_INVALID` for a pin file that holds no verifier key;
 *   `ZICHT_AUDIT_KEY_INVALID` for a malformed `--key` or offered key.
 */
export function resolveTrustAnchor(input: TrustInput): TrustAnchor {
  if (input.key !== undefined) {
    const verifier = parseVerifierKey(input.key.trim());
    if (input.pinned !== undefined && parseVerifierKey(input.pinned.trim()).vkey !== verifier.vkey) {
      throw new AuditError('ZICHT_AUDIT_PIN_INVALID', 'LOG-001: --key differs from the key pinned in the pin file; find out which is the log\'s key before verifying.');
    }
    return { verifier, source: 'key' };
  }
  if (input.pinned !== undefined) {
    try {
      return { verifier: parseVerifierKey(input.pinned.trim()), source: 'pin' };
    } catch {
      throw new AuditError('ZICHT_AUDIT_PIN_INVALID');
    }
  }
  if (input.pinFile && input.trustOnFirstUse && input.offered !== undefined) {
    const verifier = parseVerifierKey(input.offered.trim());
    return { verifier, source: 'trust-on-first-use', pin: `${verifier.vkey}\n` };
  }
  throw new AuditError('ZICHT_AUDIT_NO_TRUST_ANCHOR');
}

/** One line for the output: which key the result rests on and how it was obtained. */
export function describeTrustAnchor(anchor: TrustAnchor, pinPath?: string): string {
  switch (anchor.source) {
    case 'key':
      return `trust anchor: the log key given with --key (${anchor.verifier.vkey})`;
    case 'pin':
      return `trust anchor: the log key pinned in ${pinPath ?? 'the pin file'} (${anchor.verifier.vkey})`;
    case 'trust-on-first-use':
      return `TRUST ON FIRST USE: pinned the key the log offered (${anchor.verifier.vkey}) to ${pinPath ?? 'the pin file'}; this result rests on that key alone: compare it with the key the gateway's operator gives you out of band`;
  }
}
