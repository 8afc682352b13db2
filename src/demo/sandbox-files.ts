/**
 * The files of a sandbox folder (`zicht sandbox --out DIR`), so that a vendor's own system can join the demo
 * network: every demo participant's private keys (kept across runs, so a system configured once stays
 * configured), ready participant entries with generated keys for a vendor's gemeente and VT system, and the
 * participant files that add a vendor's system. Layout:
 *
 *   DIR/keys/{gateway,vt,heerlen,kerkrade}.private.jwk.json   the demo participants' signing keys (0600, with "oin")
 *   DIR/keys/{heerlen,kerkrade}.enc.private.jwk.json          their encryption keys (ENC-001)
 *   DIR/vendor/{gemeente,vt}.participant.json                 ready participant entries for a vendor's system
 *   DIR/vendor/{gemeente,vt}.private.jwk.json                 their private signing keys (0600)
 *   DIR/vendor/{gemeente,vt}.jwks.json                        their public keys (zicht conformance --sut-jwks)
 *   DIR/registry.json                                         the network's registry, as the gateway runs it
 *   DIR/sandbox.json, DIR/sandbox.env                         where the gateway and the demo VT's trigger are
 *
 * A participant file is one registry entry (docs/configuration.md, the {@link Deelnemer} model). It is read with
 * the strict reader and checked as the gateway checks a registry file; a refusal names the file, the field and the
 * rule (CFG-001, or the entry's own rule such as ENC-002).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IoError, JsonError, RegistryError } from '../errors.js';
import { parseStrictJson } from '../json/strict-json.js';
import type { DecryptionKey } from '../delivery/decrypt.js';
import { generateEncryptionKey, type EncryptionKeyKind } from '../delivery/decrypt.js';
import { Deelnemer, type DeelnemerInput } from '../registry/deelnemer.js';
import { InMemoryDeelnemerRepository } from '../registry/in-memory.js';
import type { Versleutelingssleutel } from '../registry/versleutelingssleutel.js';
import { generateSigningKey } from '../signing/generate.js';
import { createSigner, type Signer } from '../signing/signer.js';
import { jwkThumbprint } from '../signing/thumbprint.js';
import { DEMO_GEMEENTECODE, DEMO_OIN } from './network.js';

/** The vendor systems a sandbox has a ready entry for, with their (fictitious) OINs and, for the gemeente, the gemeente it serves. */
export const SANDBOX_VENDOR = {
  gemeente: { oin: '00000001000000008820', gemeentecode: 'GM0882', port: 8701 },
  vt: { oin: '00000004000000020002', port: 8702 },
} as const;

export type SandboxVendorRole = keyof typeof SANDBOX_VENDOR;

/** The roles a joining system may have: the ones that exchange berichten with the demo network. */
const JOINING_ROLES = new Set(['vt', 'gemeente', 'lokaal-team', 'gi']);

/** The demo's own gemeenten: a joining system serves another gemeente, so that routing stays unambiguous. */
const DEMO_CODES: ReadonlySet<string> = new Set(Object.values(DEMO_GEMEENTECODE));

function write(path: string, text: string, mode?: number): void {
  try {
    writeFileSync(path, text, mode === undefined ? {} : { mode });
    if (mode !== undefined) chmodSync(path, mode);
  } catch (error) {
    throw new IoError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
  }
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new IoError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
  }
  try {
    return parseStrictJson(text);
  } catch (error) {
    throw new RegistryError('ZICHT_REGISTRY_INVALID', `${path}: ${error instanceof JsonError ? error.message : 'not JSON'}`, { cause: error, rule: error instanceof JsonError && error.code === 'ZICHT_JSON_DUPLICATE_MEMBER' ? 'BER-017' : 'CFG-001' });
  }
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function ensureDir(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw new IoError(`cannot create ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
  }
}

/** A signing key kept in `path` (made on first use): the private JWK with its "oin", as `zicht keys generate` writes it. */
async function signingKeyAt(path: string, oin: string): Promise<Signer> {
  if (!existsSync(path)) {
    const key = await generateSigningKey('ES256');
    write(path, json({ ...key.privateJwk, oin }), 0o600);
  }
  const stored = readJson(path) as Record<string, unknown>;
  try {
    return await createSigner({ privateJwk: stored, oin });
  } catch (error) {
    throw new IoError(`${path} holds no usable private signing key for OIN ${oin}; delete it to make a new one`, { cause: error });
  }
}

/** An encryption key kept in `path` (made on first use): the private JWK, as `zicht keys generate --use enc` writes it. */
async function encryptionKeyAt(path: string, kind: EncryptionKeyKind): Promise<{ key: DecryptionKey; sleutel: Versleutelingssleutel }> {
  if (!existsSync(path)) write(path, json((await generateEncryptionKey(kind)).key.privateJwk), 0o600);
  const jwk = readJson(path) as Record<string, unknown>;
  const { kty, crv, x, y, n, e, alg } = jwk;
  const publicJwk = Object.fromEntries(Object.entries({ kty, crv, x, y, n, e, alg, use: 'enc' }).filter(([, v]) => v !== undefined)) as Versleutelingssleutel['jwk'];
  const kid = jwkThumbprint(publicJwk);
  if (alg !== 'RSA-OAEP-256' && alg !== 'ECDH-ES') throw new IoError(`${path} holds no usable private encryption key; delete it to make a new one`);
  return { key: { kid, alg, privateJwk: jwk }, sleutel: { kid, jwk: { ...publicJwk, kid } } };
}

/** The demo participants' keys of a sandbox folder. */
export interface SandboxKeys {
  readonly gateway: Signer;
  readonly vtZuidLimburg: Signer;
  readonly heerlen: Signer;
  readonly kerkrade: Signer;
  readonly heerlenEncryption: { readonly key: DecryptionKey; readonly sleutel: Versleutelingssleutel };
  readonly kerkradeEncryption: { readonly key: DecryptionKey; readonly sleutel: Versleutelingssleutel };
}

/** Reads the demo participants' keys from `dir/keys`, making the missing ones. */
export async function sandboxKeys(dir: string): Promise<SandboxKeys> {
  const keys = join(dir, 'keys');
  ensureDir(keys);
  return {
    gateway: await signingKeyAt(join(keys, 'gateway.private.jwk.json'), DEMO_OIN.gateway),
    vtZuidLimburg: await signingKeyAt(join(keys, 'vt.private.jwk.json'), DEMO_OIN.vtZuidLimburg),
    heerlen: await signingKeyAt(join(keys, 'heerlen.private.jwk.json'), DEMO_OIN.heerlen),
    kerkrade: await signingKeyAt(join(keys, 'kerkrade.private.jwk.json'), DEMO_OIN.kerkrade),
    heerlenEncryption: await encryptionKeyAt(join(keys, 'heerlen.enc.private.jwk.json'), 'ECDH-ES P-256'),
    kerkradeEncryption: await encryptionKeyAt(join(keys, 'kerkrade.enc.private.jwk.json'), 'RSA-OAEP-256'),
  };
}

/**
 * Writes the ready participant entries of a vendor's gemeente and VT system into `dir/vendor` (each once: an
 * entry already there, perhaps edited, is kept, and so are its keys). Returns the paths of the entries.
 */
export async function writeVendorEntries(dir: string): Promise<Record<SandboxVendorRole, string>> {
  const vendor = join(dir, 'vendor');
  ensureDir(vendor);
  const paths = { gemeente: join(vendor, 'gemeente.participant.json'), vt: join(vendor, 'vt.participant.json') };
  for (const role of ['gemeente', 'vt'] as const) {
    const { oin, port } = SANDBOX_VENDOR[role];
    const signer = await signingKeyAt(join(vendor, `${role}.private.jwk.json`), oin);
    const publicJwk = { ...signer.publicJwk, kid: signer.kid, alg: signer.alg, use: 'sig' };
    const jwks = join(vendor, `${role}.jwks.json`);
    if (!existsSync(jwks)) write(jwks, json({ keys: [publicJwk] }));
    if (existsSync(paths[role])) continue;
    const afleveradressen = [{ url: `http://127.0.0.1:${port}/v1`, kanaal: 'zicht-v1' as const }];
    const sleutels = [{ kid: signer.kid, jwk: signer.publicJwk }];
    const entry: DeelnemerInput =
      role === 'gemeente'
        ? { oin, rol: 'lokaal-team', naam: 'Your gemeente system (sandbox)', gemeentecodes: [SANDBOX_VENDOR.gemeente.gemeentecode], profiel: 'zuid-limburg', status: 'actief', afleveradressen, sleutels }
        : { oin, rol: 'vt', naam: 'Your VT system (sandbox)', vtRegio: 'zuid-limburg', status: 'actief', afleveradressen, sleutels };
    write(paths[role], json(entry));
  }
  return paths;
}

/**
 * Reads a participant file: one registry entry of a system joining the sandbox. Checked with the registry's
 * model (schema, kid = RFC 7638 thumbprint, ENC-001/002) and against the demo network: a role that exchanges
 * berichten, an OIN and gemeenten of its own, and at least one signing key.
 *
 * @throws {RegistryError} naming the file, the field and the rule. @throws {IoError} when it cannot be read.
 */
export async function readParticipantFile(path: string, taken: ReadonlySet<string>): Promise<Deelnemer> {
  const value = readJson(path);
  const refuse = (field: string, message: string, rule = 'CFG-001', code: 'ZICHT_REGISTRY_INVALID' | 'ZICHT_REGISTRY_CONFLICT' = 'ZICHT_REGISTRY_INVALID'): never => {
    throw new RegistryError(code, `${path}: ${field}: ${message} (${rule})`, { rule });
  };
  let deelnemer: Deelnemer;
  try {
    deelnemer = await new InMemoryDeelnemerRepository().add(value);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    const rule = error.rule ?? 'CFG-001';
    const field = /^([A-Za-z][\w.[\]]*): /.exec(error.message)?.[1];
    const message = field === undefined ? error.message : error.message.slice(field.length + 2);
    throw new RegistryError(error.code, `${path}: ${field ?? (error.message.startsWith(`${rule}:`) ? 'versleutelingssleutels' : 'the entry')}: ${message} (${rule})`, { cause: error, rule });
  }
  if (!JOINING_ROLES.has(deelnemer.rol)) refuse('rol', `a joining system is vt, gemeente, lokaal-team or gi, not ${deelnemer.rol}`);
  if (taken.has(deelnemer.oin)) refuse('oin', 'another participant of the sandbox has this OIN; give your system its own', 'CFG-001', 'ZICHT_REGISTRY_CONFLICT');
  for (const [i, code] of deelnemer.gemeentecodes.entries()) {
    if (DEMO_CODES.has(code)) refuse(`gemeentecodes[${i}]`, `${code} is served by a demo gemeente; serve another (the ready entry serves ${SANDBOX_VENDOR.gemeente.gemeentecode})`, 'CFG-001', 'ZICHT_REGISTRY_CONFLICT');
  }
  if (deelnemer.rol !== 'vt' && deelnemer.gemeentecodes.length === 0) refuse('gemeentecodes', 'a gemeente, lokaal team or GI names the gemeenten it serves');
  if (deelnemer.sleutels.length === 0) refuse('sleutels', 'at least one public signing key is needed to send and to be verified');
  // The model's defaults (no afleveradressen: the postbus) are part of what the file says.
  return Deelnemer.parse(deelnemer);
}

/** Writes the network's registry as the gateway runs it. */
export function writeRegistry(dir: string, deelnemers: readonly Deelnemer[]): string {
  const path = join(dir, 'registry.json');
  write(path, json({ zichtRegistry: 1, deelnemers }));
  return path;
}

/** Where the running sandbox is, for scripts: `sandbox.json`, and `sandbox.env` to source in a shell. */
export interface SandboxInfo {
  readonly gatewayUrl: string;
  readonly gatewayOin: string;
  /** POST `{"scenario":"overdracht"}` here and the demo VT hands over to the joining gemeente (or the demo gemeenten). */
  readonly trigger: string;
  readonly participants: readonly { readonly naam: string; readonly oin: string; readonly rol: string; readonly gemeentecodes: readonly string[] }[];
}

export function writeSandboxInfo(dir: string, info: SandboxInfo): void {
  write(join(dir, 'sandbox.json'), json(info));
  write(join(dir, 'sandbox.env'), [`ZICHT_GATEWAY_URL=${info.gatewayUrl}`, `ZICHT_GATEWAY_OIN=${info.gatewayOin}`, `ZICHT_SANDBOX_TRIGGER=${info.trigger}`, ''].join('\n'));
}
