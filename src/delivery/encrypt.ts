/**
 * End-to-end confidentiality towards a receiver (ENC-003): the body the gateway would send it as
 * `application/json` (a countersigned bericht on a push, a postbus page on a pull) is sent instead as a
 * JWE compact serialization (RFC 7516 §7.1, media type `application/jose`, RFC 7515 §9.2.1) encrypted to
 * the receiver's current registered key: `alg` RSA-OAEP-256 or ECDH-ES from the key, `enc` A256GCM,
 * `kid`, `cty: "application/json"`. The plaintext is exactly the JSON otherwise sent, signatures and
 * countersignature included, so the receiver decrypts first and then verifies as it always does.
 * Sign-then-encrypt: the JWE gives confidentiality; authenticity stays with the signatures inside.
 */
import { CompactEncrypt, importJWK } from 'jose';
import { CONTENT_ENCRYPTION, type Versleutelingssleutel } from '../registry/versleutelingssleutel.js';

/** The media type of a JWE compact serialization (RFC 7515 §9.2.1, used for JWE by RFC 7516 §9). */
export const JOSE_MEDIA_TYPE = 'application/jose';

/** The JWE protected header the gateway sends (ENC-003), and the only members a receiver accepts (ENC-004) besides `epk`. */
export interface JweHeader {
  readonly alg: Versleutelingssleutel['jwk']['alg'];
  readonly enc: typeof CONTENT_ENCRYPTION;
  readonly kid: string;
  readonly cty: 'application/json';
}

type PublicKey = Awaited<ReturnType<typeof importJWK>>;

// The kid is the key's RFC 7638 thumbprint, so one kid is always one key: imported keys can be kept by kid.
const imported = new Map<string, Promise<PublicKey>>();
const MAX_CACHED_KEYS = 1000;

function publicKeyOf(sleutel: Versleutelingssleutel): Promise<PublicKey> {
  let key = imported.get(sleutel.kid);
  if (key === undefined) {
    if (imported.size >= MAX_CACHED_KEYS) imported.clear();
    key = importJWK({ ...sleutel.jwk }, sleutel.jwk.alg);
    imported.set(sleutel.kid, key);
    // A failed import is not kept: the next delivery tries again.
    void key.catch(() => imported.delete(sleutel.kid));
  }
  return key;
}

/** Encrypts a JSON body to a receiver's encryption key (ENC-003); a fresh content key and IV each time. */
export async function encryptBody(json: string, sleutel: Versleutelingssleutel): Promise<string> {
  const header: JweHeader = { alg: sleutel.jwk.alg, enc: CONTENT_ENCRYPTION, kid: sleutel.kid, cty: 'application/json' };
  return new CompactEncrypt(new TextEncoder().encode(json)).setProtectedHeader({ ...header }).encrypt(await publicKeyOf(sleutel));
}
