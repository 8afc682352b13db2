/**
 * C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), the Ed25519 `cosignature/v1` type: a witness's
 * timestamped signature line on a checkpoint note. The key id is SHA-256(name || "\n" || 0x04 || public
 * key)[:4]; the signature line's bytes are key id || u64 big-endian timestamp || Ed25519 signature over
 *
 *     cosignature/v1\n
 *     time <timestamp in decimal>\n
 *     <the checkpoint's note text, with its final newline>
 *
 * A witness's signing key is an ordinary signed-note Ed25519 key (`PRIVATE+KEY+…`, type 0x01, as
 * transparency-dev/formats `NewSignerForCosignatureV1` takes it); its cosigner verifier key is
 * `name+keyid+base64(0x04 || public key)`. Test vectors: test/vectors/cosignature/SOURCE.md.
 */
import { createHash, createPublicKey, sign as ed25519Sign, verify as ed25519Verify, type KeyObject } from 'node:crypto';
import { AuditError } from '../errors.js';
import { strictBase64 } from './base64.js';
import { isKeyName, type NoteSigner } from './note-key.js';
import { hasControl, parseNote } from './note.js';

/** The signature type byte of Ed25519 cosignature/v1 keys. */
export const COSIGNATURE_V1 = 0x04;
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const MAX_TIMESTAMP = (1n << 63n) - 1n;

/** A witness's public key for cosignature/v1. */
export interface CosignerVerifier {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
  /** `name+keyid+base64(0x04 || public key)`. */
  readonly vkey: string;
  readonly key: KeyObject;
}

/** A witness's signing key: the Ed25519 note key, used for cosignature/v1. */
export interface Cosigner extends CosignerVerifier {
  readonly privateKey: KeyObject;
}

/** The cosignature/v1 key id of an Ed25519 public key of this name. */
export function cosignerKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  return createHash('sha256').update(name, 'utf8').update(Buffer.from([0x0a, COSIGNATURE_V1])).update(publicKey).digest().subarray(0, 4);
}

function cosignerVerifierOf(name: string, publicKey: Uint8Array): CosignerVerifier {
  const keyId = cosignerKeyId(name, publicKey);
  const vkey = `${name}+${Buffer.from(keyId).toString('hex')}+${Buffer.concat([Buffer.from([COSIGNATURE_V1]), publicKey]).toString('base64')}`;
  return { name, keyId, publicKey, vkey, key: createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }) };
}

/** The cosigner made from a witness's note signing key (same name, same Ed25519 key, key id with 0x04). */
export function cosignerOf(signer: NoteSigner): Cosigner {
  return { ...cosignerVerifierOf(signer.name, signer.publicKey), privateKey: signer.privateKey };
}

/**
 * Parses a cosigner verifier key `name+keyid+base64(0x04 || 32 bytes)`.
 *
 * @throws {AuditError} `ZICHT_AUDIT_KEY_INVALID` when malformed, of another type, or its key id does not fit.
 */
export function parseCosignerKey(vkey: string): CosignerVerifier {
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  const name = vkey.slice(0, Math.max(first, 0));
  const id = second < 0 ? '' : vkey.slice(first + 1, second);
  const bytes = second < 0 ? undefined : strictBase64(vkey.slice(second + 1));
  if (!isKeyName(name) || !/^[0-9a-f]{8}$/.test(id) || bytes?.length !== 33 || bytes[0] !== COSIGNATURE_V1) throw new AuditError('ZICHT_AUDIT_KEY_INVALID');
  const verifier = cosignerVerifierOf(name, bytes.subarray(1));
  if (Buffer.from(verifier.keyId).toString('hex') !== id) throw new AuditError('ZICHT_AUDIT_KEY_INVALID');
  return verifier;
}

/** The message a cosignature/v1 signs: header line, time line, then the checkpoint's note text. */
export function cosignatureMessage(text: string, timestamp: bigint): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp.toString()}\n${text}`, 'utf8');
}

/**
 * A cosignature line (`— name base64(keyid || timestamp || signature)` and a newline) on a note text.
 *
 * @throws {AuditError} `ZICHT_AUDIT_NOTE_MALFORMED` for a text that cannot be a note's; `ZICHT_AUDIT_COSIGNATURE_INVALID` for a timestamp out of range.
 */
export function cosign(text: string, cosigner: Cosigner, timestamp: bigint): string {
  if (!text.endsWith('\n') || hasControl(text)) throw new AuditError('ZICHT_AUDIT_NOTE_MALFORMED');
  if (timestamp < 0n || timestamp > MAX_TIMESTAMP) throw new AuditError('ZICHT_AUDIT_COSIGNATURE_INVALID');
  const time = Buffer.alloc(8);
  time.writeBigUInt64BE(timestamp);
  const signature = ed25519Sign(null, cosignatureMessage(text, timestamp), cosigner.privateKey);
  return `\u2014 ${cosigner.name} ${Buffer.concat([cosigner.keyId, time, signature]).toString('base64')}\n`;
}

/** What one configured witness said about a note. */
export interface CosignatureCheck {
  readonly witness: string;
  readonly vkey: string;
  /** `valid`: a cosignature that verified; `invalid`: one that did not (or was malformed); `absent`: none. */
  readonly state: 'valid' | 'invalid' | 'absent';
  /** The cosignature's timestamp (POSIX seconds), for a valid one. */
  readonly timestamp?: bigint;
}

/**
 * Checks the cosignatures of a note against configured witness keys. Signature lines of other keys are
 * ignored (C2SP tlog-witness: "The client MUST ignore any cosignatures from unknown keys"). A timestamp past
 * `latest` (the verifier's clock plus a skew) makes a cosignature invalid (tlog-cosignature: verifiers MAY).
 *
 * @throws {AuditError} `ZICHT_AUDIT_NOTE_MALFORMED` for a note that does not parse.
 */
export function checkCosignatures(note: string | Uint8Array, witnesses: readonly CosignerVerifier[], latest?: bigint): CosignatureCheck[] {
  const parsed = parseNote(note);
  return witnesses.map((w): CosignatureCheck => {
    const lines = parsed.signatures.filter((s) => s.name === w.name && Buffer.compare(Buffer.from(s.keyId), Buffer.from(w.keyId)) === 0);
    if (lines.length === 0) return { witness: w.name, vkey: w.vkey, state: 'absent' };
    let best: bigint | undefined;
    for (const line of lines) {
      if (line.signature.length !== 72) return { witness: w.name, vkey: w.vkey, state: 'invalid' };
      const timestamp = Buffer.from(line.signature).readBigUInt64BE(0);
      const ok = timestamp <= MAX_TIMESTAMP && (latest === undefined || timestamp <= latest) && ed25519Verify(null, cosignatureMessage(parsed.text, timestamp), w.key, line.signature.subarray(8));
      if (!ok) return { witness: w.name, vkey: w.vkey, state: 'invalid' };
      best = best === undefined || timestamp > best ? timestamp : best;
    }
    return { witness: w.name, vkey: w.vkey, state: 'valid', ...(best === undefined ? {} : { timestamp: best }) };
  });
}

/** Adds signature lines to a note, replacing earlier lines of the same key (name and key id). */
export function withSignatureLines(note: string, lines: string): string {
  const added = parseNote(`x\n\n${lines}`).signatures;
  const same = (name: string, keyId: Uint8Array): boolean => added.some((a) => a.name === name && Buffer.compare(Buffer.from(a.keyId), Buffer.from(keyId)) === 0);
  const split = note.lastIndexOf('\n\n');
  const kept = note
    .slice(split + 2, -1)
    .split('\n')
    .filter((line) => {
      const sig = parseNote(`x\n\n${line}\n`).signatures[0];
      return sig !== undefined && !same(sig.name, sig.keyId);
    });
  return `${note.slice(0, split + 2)}${[...kept, ...lines.split('\n').filter((l) => l !== '')].join('\n')}\n`;
}
