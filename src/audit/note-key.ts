/**
 * Ed25519 keys of C2SP signed notes: the verifier key `name+keyid+base64(0x01 || public key)` and the
 * signer key `PRIVATE+KEY+name+keyid+base64(0x01 || seed)` (golang.org/x/mod sumdb/note's format; C2SP does
 * not specify private keys). The key id is the first 4 bytes of SHA-256(name || "\n" || 0x01 || public
 * key), written as 8 lower-case hex digits (SOURCE.md quirk 11).
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { AuditError } from '../errors.js';
import { strictBase64 } from './base64.js';

/** The signature type byte of Ed25519 note keys. */
const ED25519 = 0x01;
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A trusted key that verifies note signatures. */
export interface NoteVerifier {
  /** The key name (for a log: its origin). */
  readonly name: string;
  /** The 4-byte key id. */
  readonly keyId: Uint8Array;
  /** The 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** The verifier key text, `name+keyid+base64`. */
  readonly vkey: string;
  readonly key: KeyObject;
}

/** A key that signs notes. */
export interface NoteSigner extends NoteVerifier {
  readonly privateKey: KeyObject;
}

/** Whether a key or signer name is valid: non-empty, no '+', no whitespace or control characters. */
export function isKeyName(name: string): boolean {
  return name.length > 0 && !/[+\s\p{Cc}]/u.test(name);
}

/** The key id of an Ed25519 key of this name. */
export function noteKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  return createHash('sha256').update(name, 'utf8').update(Buffer.from([0x0a, ED25519])).update(publicKey).digest().subarray(0, 4);
}

function verifierOf(name: string, publicKey: Uint8Array): NoteVerifier {
  const keyId = noteKeyId(name, publicKey);
  const vkey = `${name}+${Buffer.from(keyId).toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString('base64')}`;
  return { name, keyId, publicKey, vkey, key: createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }) };
}

/** Splits `name+id+base64` and checks name, id form and key type; returns the 32-byte key material. */
function parseKeyParts(text: string): { name: string; id: string; material: Buffer } {
  // The base64 part may itself hold '+'; the name and key id cannot.
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  const [name, id, encoded] = second < 0 ? [] : [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
  if (name === undefined || id === undefined || encoded === undefined || !isKeyName(name) || !/^[0-9a-f]{8}$/.test(id)) {
    throw new AuditError('ZICHT_AUDIT_KEY_INVALID');
  }
  const bytes = strictBase64(encoded);
  if (bytes?.length !== 33 || bytes[0] !== ED25519) throw new AuditError('ZICHT_AUDIT_KEY_INVALID');
  return { name, id, material: bytes.subarray(1) };
}

/**
 * Parses a verifier key.
 *
 * @throws {AuditError} `ZICHT_AUDIT_KEY_INVALID` when it is not `name+keyid+base64(0x01 || 32 bytes)` with
 *   a valid name and the key id that name and key give.
 */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const { name, id, material } = parseKeyParts(vkey);
  const verifier = verifierOf(name, material);
  if (Buffer.from(verifier.keyId).toString('hex') !== id) throw new AuditError('ZICHT_AUDIT_KEY_INVALID');
  return verifier;
}

/** A signer from a 32-byte Ed25519 seed. */
export function noteSignerFromSeed(name: string, seed: Uint8Array): NoteSigner {
  if (!isKeyName(name) || seed.length !== 32) throw new AuditError('ZICHT_AUDIT_KEY_INVALID');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { ...verifierOf(name, spki.subarray(SPKI_PREFIX.length)), privateKey };
}

/**
 * Parses a signer key `PRIVATE+KEY+name+keyid+base64(0x01 || seed)`.
 *
 * @throws {AuditError} `ZICHT_AUDIT_KEY_INVALID` when it is malformed or its key id does not fit.
 */
export function parseSignerKey(skey: string): NoteSigner {
  if (!skey.startsWith('PRIVATE+KEY+')) throw new AuditError('ZICHT_AUDIT_KEY_INVALID');
  const { name, id, material } = parseKeyParts(skey.slice('PRIVATE+KEY+'.length));
  const signer = noteSignerFromSeed(name, material);
  if (Buffer.from(signer.keyId).toString('hex') !== id) throw new AuditError('ZICHT_AUDIT_KEY_INVALID');
  return signer;
}

/** The signer key text of a seed, for writing a key file. */
export function formatSignerKey(name: string, seed: Uint8Array): string {
  const signer = noteSignerFromSeed(name, seed);
  return `PRIVATE+KEY+${name}+${Buffer.from(signer.keyId).toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), seed]).toString('base64')}`;
}
