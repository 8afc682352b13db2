/**
 * The gateway's log key: the Ed25519 key that signs the audit log's checkpoints, named after the log's
 * origin. Production gateways load it from a file (`zicht serve --log-key`, x/mod's `PRIVATE+KEY+…` form,
 * made with `zicht audit keygen`); without one it is derived from the gateway's signing key, so that the
 * demo and tests need one key file only. Checkpoints verify with the verifier key the gateway publishes
 * at `GET /v1/log/key`.
 */
import { randomBytes, hkdfSync } from 'node:crypto';
import type { Signer } from '../signing/signer.js';
import { formatSignerKey, noteSignerFromSeed, parseSignerKey, type NoteSigner } from './note-key.js';

/** The origin (and key name) of a gateway's log: `zicht.gateway/<OIN>`. */
export function logOrigin(gatewayOin: string): string {
  return `zicht.gateway/${gatewayOin}`;
}

/**
 * The log key derived from the gateway's private signing key: HKDF-SHA256 (RFC 5869) over its PKCS#8 form
 * with info `zicht audit log key v1`. Deterministic, so a restarted gateway signs with the same key; a new
 * gateway key gives a new log key, which is why production gateways should give `--log-key`.
 */
export function deriveLogSigner(gateway: Signer): NoteSigner {
  const pkcs8 = gateway.key.export({ format: 'der', type: 'pkcs8' });
  const seed = Buffer.from(hkdfSync('sha256', pkcs8, Buffer.from('zicht'), Buffer.from('zicht audit log key v1'), 32));
  return noteSignerFromSeed(logOrigin(gateway.oin), seed);
}

/** A new random log key in its file form. */
export function generateLogKey(origin: string): string {
  return formatSignerKey(origin, randomBytes(32));
}

/** A log key from its file form. @throws {AuditError} `ZICHT_AUDIT_KEY_INVALID` when malformed. */
export function loadLogSigner(text: string): NoteSigner {
  return parseSignerKey(text.trim());
}
