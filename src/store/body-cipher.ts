/**
 * Encryption at rest of bericht payloads: AES-256-GCM (node:crypto) under a fresh 256-bit data key (DEK)
 * per bericht, the DEK wrapped with AES-256-GCM under a key-encryption key (KEK) of the keyring
 * (src/store/keyring.ts). The row keeps the ciphertext in `body`, the KEK's id in `body_kek` and the
 * wrapped DEK in `body_dek`. Both ciphertexts are bound to the bericht id (and the wrap to the KEK id) as
 * additional authenticated data, so a body or key moved to another row does not open. Re-wrapping a DEK
 * under a new KEK leaves the body as it is: a rotation touches 60 bytes per row.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { StoreError } from '../errors.js';
import type { Keyring } from './keyring.js';
import type { SealedBody } from './rows.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64');
}

function open(key: Buffer, sealed: string, aad: string): Buffer {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new StoreError('ZICHT_STORE_DECRYPT_FAILED');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new StoreError('ZICHT_STORE_DECRYPT_FAILED');
  }
}

const bodyAad = (berichtId: string) => `zicht/body/v1 ${berichtId.toLowerCase()}`;
const dekAad = (berichtId: string, kek: string) => `zicht/dek/v1 ${berichtId.toLowerCase()} ${kek}`;

function kek(keyring: Keyring, id: string): Buffer {
  const key = keyring.key(id);
  if (key === undefined) throw new StoreError('ZICHT_STORE_KEY_MISSING', { message: `The keyring has no KEK with id ${id}.` });
  return key;
}

/** Encrypts a body under a fresh DEK wrapped with the keyring's current KEK. */
export function sealBody(keyring: Keyring, berichtId: string, body: string): { body: string } & SealedBody {
  const dek = randomBytes(32);
  try {
    const id = keyring.currentId;
    return { body: seal(dek, Buffer.from(body, 'utf8'), bodyAad(berichtId)), kek: id, dek: seal(kek(keyring, id), dek, dekAad(berichtId, id)) };
  } finally {
    dek.fill(0);
  }
}

/**
 * Decrypts a sealed body.
 *
 * @throws {StoreError} `ZICHT_STORE_KEY_MISSING` without the KEK the row names, `ZICHT_STORE_DECRYPT_FAILED` when it does not open.
 */
export function openBody(keyring: Keyring | undefined, berichtId: string, body: string, sealed: SealedBody): string {
  if (keyring === undefined) throw new StoreError('ZICHT_STORE_KEY_MISSING', { message: 'The payload is encrypted at rest and no keyring is configured.' });
  const dek = open(kek(keyring, sealed.kek), sealed.dek, dekAad(berichtId, sealed.kek));
  try {
    return open(dek, body, bodyAad(berichtId)).toString('utf8');
  } finally {
    dek.fill(0);
  }
}

/** The DEK of a row re-wrapped under the keyring's current KEK; the body stays as it is. */
export function rewrapKey(keyring: Keyring, berichtId: string, sealed: SealedBody): SealedBody {
  const dek = open(kek(keyring, sealed.kek), sealed.dek, dekAad(berichtId, sealed.kek));
  try {
    const id = keyring.currentId;
    return { kek: id, dek: seal(kek(keyring, id), dek, dekAad(berichtId, id)) };
  } finally {
    dek.fill(0);
  }
}
