/**
 * C2SP signed notes (https://c2sp.org/signed-note): a UTF-8 text ending in a newline, a blank line, and
 * one or more lines `— name base64(keyid || signature)`. The text ends at the last blank line (SOURCE.md
 * quirk 12); the signed message is the text including its final newline.
 */
import { sign as ed25519Sign, verify as ed25519Verify } from 'node:crypto';
import { AuditError } from '../errors.js';
import { strictBase64 } from './base64.js';
import { isKeyName, type NoteSigner, type NoteVerifier } from './note-key.js';

/** At most this many signatures (x/mod's limit; C2SP requires accepting at least 16). */
export const MAX_NOTE_SIGNATURES = 100;
const EM_DASH = '\u2014';

/** One signature line of a note. */
export interface NoteSignature {
  readonly name: string;
  /** The first 4 bytes of the decoded signature. */
  readonly keyId: Uint8Array;
  /** The signature bytes after the key id. */
  readonly signature: Uint8Array;
}

/** A note split into its text and signatures, not yet verified. */
export interface ParsedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** A note with at least one signature by a trusted key, all trusted signatures verified. */
export interface VerifiedNote {
  readonly text: string;
  /** `name+keyid` of each trusted key that signed, once each. */
  readonly verifiedBy: readonly string[];
}

/** Whether the text holds a control character other than newline (C0, DEL). */
export function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a) || c === 0x7f) return true;
  }
  return false;
}

const malformed = (): never => {
  throw new AuditError('ZICHT_AUDIT_NOTE_MALFORMED');
};

/**
 * Splits a signed note.
 *
 * @throws {AuditError} `ZICHT_AUDIT_NOTE_MALFORMED` for invalid UTF-8, a control character other than
 *   newline, a missing final newline, no blank line, no or too many signature lines, or a malformed one.
 */
export function parseNote(note: string | Uint8Array): ParsedNote {
  let text: string;
  try {
    text = typeof note === 'string' ? note : new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(note);
  } catch {
    return malformed();
  }
  if (/\p{Surrogate}/u.test(text) || hasControl(text) || !text.endsWith('\n')) malformed();
  const split = text.lastIndexOf('\n\n');
  if (split < 0) malformed();
  const body = text.slice(0, split + 1);
  const lines = text.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) malformed();
  const signatures = lines.map((line): NoteSignature => {
    const match = /^\u2014 (\S+) (\S+)$/u.exec(line);
    const name = match?.[1];
    const bytes = match?.[2] === undefined ? undefined : strictBase64(match[2]);
    if (!line.startsWith(`${EM_DASH} `) || name === undefined || !isKeyName(name) || bytes === undefined || bytes.length < 5) return malformed();
    return { name, keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) };
  });
  return { text: body, signatures };
}

/**
 * Verifies a signed note against trusted keys. Signatures by unknown keys (name and key id not both those of
 * a trusted key) are ignored; every signature by a trusted key must verify (SOURCE.md quirk 13).
 *
 * @throws {AuditError} `ZICHT_AUDIT_NOTE_MALFORMED` as {@link parseNote}; `ZICHT_AUDIT_SIGNATURE_INVALID`
 *   when a trusted key's signature fails; `ZICHT_AUDIT_NOTE_UNVERIFIED` when no trusted key signed.
 */
export function openNote(note: string | Uint8Array, trusted: readonly NoteVerifier[]): VerifiedNote {
  const parsed = parseNote(note);
  const message = Buffer.from(parsed.text, 'utf8');
  const verifiedBy = new Set<string>();
  for (const sig of parsed.signatures) {
    const key = trusted.find((k) => k.name === sig.name && Buffer.compare(k.keyId, sig.keyId) === 0);
    if (key === undefined) continue;
    // node:crypto's Ed25519 rejects S >= L (RFC 8032 section 5.1.7; SOURCE.md quirk 16).
    if (sig.signature.length !== 64 || !ed25519Verify(null, message, key.key, sig.signature)) throw new AuditError('ZICHT_AUDIT_SIGNATURE_INVALID');
    verifiedBy.add(`${key.name}+${Buffer.from(key.keyId).toString('hex')}`);
  }
  if (verifiedBy.size === 0) throw new AuditError('ZICHT_AUDIT_NOTE_UNVERIFIED');
  return { text: parsed.text, verifiedBy: [...verifiedBy] };
}

/**
 * Signs a note text (which must end in a newline and hold no control characters but newlines).
 *
 * @throws {AuditError} `ZICHT_AUDIT_NOTE_MALFORMED` for such a text.
 */
export function signNote(text: string, signer: NoteSigner): string {
  if (!text.endsWith('\n') || hasControl(text)) malformed();
  const signature = ed25519Sign(null, Buffer.from(text, 'utf8'), signer.privateKey);
  return `${text}\n${EM_DASH} ${signer.name} ${Buffer.concat([signer.keyId, signature]).toString('base64')}\n`;
}
