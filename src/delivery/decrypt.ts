/**
 * The receiving side of end-to-end confidentiality (ENC-004): a receiver holds the private halves of
 * the encryption keys it registered, decrypts the JWE the gateway sends, and only then validates and
 * verifies the plaintext as it would an `application/json` body. Only what the gateway sends is
 * accepted: a JWE compact serialization with `alg` RSA-OAEP-256 or ECDH-ES matching the key its `kid`
 * names, `enc` A256GCM, and no other protected header members than `alg`, `enc`, `kid`, `cty` and (for
 * ECDH-ES) `epk`. Used by the reference receiver (src/demo/reference-receiver.ts); vendors can do the
 * same with any JOSE library.
 */
import { compactDecrypt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { EncryptionError } from '../errors.js';
import { jwkThumbprint } from '../signing/thumbprint.js';
import { CONTENT_ENCRYPTION, ENCRYPTION_ALGS, type EncryptionAlg, type EncryptionJwk, type Versleutelingssleutel } from '../registry/versleutelingssleutel.js';

/** A private encryption key a receiver holds: its kid (the RFC 7638 thumbprint), algorithm and private JWK. */
export interface DecryptionKey {
  readonly kid: string;
  readonly alg: EncryptionAlg;
  readonly privateJwk: JWK;
}

/** The curves and sizes {@link generateEncryptionKey} makes. */
export type EncryptionKeyKind = 'RSA-OAEP-256' | 'ECDH-ES P-256' | 'ECDH-ES P-384' | 'ECDH-ES X25519';

/** A new encryption key pair: the private key to keep, and the public registry entry (without validity window). */
export interface GeneratedEncryptionKey {
  readonly key: DecryptionKey;
  readonly sleutel: Versleutelingssleutel;
}

/** Generates an encryption key pair (RSA 3072 bits for RSA-OAEP-256). */
export async function generateEncryptionKey(kind: EncryptionKeyKind = 'ECDH-ES P-256'): Promise<GeneratedEncryptionKey> {
  const alg: EncryptionAlg = kind === 'RSA-OAEP-256' ? 'RSA-OAEP-256' : 'ECDH-ES';
  const crv = kind.startsWith('ECDH-ES ') ? kind.slice('ECDH-ES '.length) : undefined;
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(crv === undefined ? { modulusLength: 3072 } : { crv }) });
  const exported = await exportJWK(privateKey);
  const jwk = publicEncryptionJwk(exported, alg);
  const kid = jwkThumbprint(jwk);
  return { key: { kid, alg, privateJwk: { ...exported, kid, alg, use: 'enc' } }, sleutel: { kid, jwk: { ...jwk, kid } } };
}

function publicEncryptionJwk(exported: JWK, alg: EncryptionAlg): EncryptionJwk {
  const { kty, crv, x, y, n, e } = exported;
  if (kty === 'RSA' && alg === 'RSA-OAEP-256' && n !== undefined && e !== undefined) return { kty: 'RSA', n, e, alg, use: 'enc' };
  if (kty === 'EC' && alg === 'ECDH-ES' && (crv === 'P-256' || crv === 'P-384') && x !== undefined && y !== undefined) return { kty: 'EC', crv, x, y, alg, use: 'enc' };
  if (kty === 'OKP' && alg === 'ECDH-ES' && crv === 'X25519' && x !== undefined) return { kty: 'OKP', crv, x, alg, use: 'enc' };
  throw new Error(`jose exported an unexpected ${String(kty)} key`);
}

const HEADER_MEMBERS = new Set(['alg', 'enc', 'kid', 'cty', 'epk']);
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** A decrypted body: the plaintext (the JSON the gateway would otherwise have sent) and the kid it was encrypted to. */
export interface Decrypted {
  readonly plaintext: Uint8Array;
  readonly kid: string;
}

/**
 * Decrypts a JWE the gateway sent (ENC-004) with one of the receiver's keys.
 *
 * @throws {EncryptionError} `ZICHT_ENCRYPTION_MALFORMED`, `ZICHT_ENCRYPTION_ALG_NOT_ALLOWED`,
 *   `ZICHT_ENCRYPTION_KEY_UNKNOWN`, `ZICHT_ENCRYPTION_DECRYPT_FAILED`.
 */
export async function decryptBody(jwe: string, keys: readonly DecryptionKey[]): Promise<Decrypted> {
  const compact = jwe.trim();
  if (!COMPACT.test(compact)) throw new EncryptionError('ZICHT_ENCRYPTION_MALFORMED');
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(compact);
  } catch (error) {
    throw new EncryptionError('ZICHT_ENCRYPTION_MALFORMED', { cause: error });
  }
  const { alg, enc, kid } = header;
  if (typeof alg !== 'string' || typeof enc !== 'string' || typeof kid !== 'string' || Object.keys(header).some((m) => !HEADER_MEMBERS.has(m))) {
    throw new EncryptionError('ZICHT_ENCRYPTION_MALFORMED');
  }
  if (!(ENCRYPTION_ALGS as readonly string[]).includes(alg) || enc !== CONTENT_ENCRYPTION) throw new EncryptionError('ZICHT_ENCRYPTION_ALG_NOT_ALLOWED');
  // epk belongs to ECDH-ES, which cannot do without it (RFC 7518 §4.6.1.1); with RSA-OAEP-256 it is a member too many (ENC-004, Q140).
  if ((alg === 'ECDH-ES') !== ('epk' in header)) throw new EncryptionError('ZICHT_ENCRYPTION_MALFORMED');
  const key = keys.find((k) => k.kid === kid && k.alg === alg);
  if (key === undefined) throw new EncryptionError('ZICHT_ENCRYPTION_KEY_UNKNOWN');
  try {
    const { plaintext } = await compactDecrypt(compact, await importJWK(key.privateJwk, key.alg), {
      keyManagementAlgorithms: [key.alg],
      contentEncryptionAlgorithms: [CONTENT_ENCRYPTION],
    });
    return { plaintext, kid };
  } catch (error) {
    throw new EncryptionError('ZICHT_ENCRYPTION_DECRYPT_FAILED', { cause: error });
  }
}
