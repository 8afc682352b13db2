/** Shared fixtures of the signing tests: the spec's valid examples, fresh keys, and a code matcher. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ZichtError, type ErrorCode } from '../../src/errors.js';
import type { SigningAlgorithm } from '../../src/signing/algorithms.js';
import { generateSigningKey, type GeneratedKey } from '../../src/signing/generate.js';
import type { KeyResolver, ResolvedKey } from '../../src/signing/key-resolver.js';
import { createSigner, type Signer } from '../../src/signing/signer.js';

export const EXAMPLES_DIR = join(import.meta.dirname, '..', '..', 'spec', 'v1', 'examples', 'valid');

/** The spec's valid examples (spec/v1/examples/valid/), parsed, by file name. */
export const examples: readonly (readonly [string, Record<string, unknown>])[] = readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f, JSON.parse(readFileSync(join(EXAMPLES_DIR, f), 'utf8')) as Record<string, unknown>] as const);

export function example(name: string): Record<string, unknown> {
  const found = examples.find(([f]) => f === name);
  if (!found) throw new Error(`no example ${name}`);
  return structuredClone(found[1]);
}

/** The sender OIN of an example. */
export function senderOf(bericht: Record<string, unknown>): string {
  return (bericht.verzender as { oin: string }).oin;
}

export const GATEWAY_OIN = '00000001999999999000';

const generated = new Map<string, Promise<GeneratedKey>>();

/**
 * A key and signer for `oin`. Keys are generated once per (alg, slot) and reused across tests, since
 * RSA key generation takes a second; pass another slot for a distinct key.
 */
export async function party(oin: string, alg: SigningAlgorithm = 'ES256', slot = oin): Promise<{ key: GeneratedKey; signer: Signer }> {
  const id = `${alg}/${slot}`;
  let key = generated.get(id);
  if (!key) {
    key = generateSigningKey(alg);
    generated.set(id, key);
  }
  const resolved = await key;
  return { key: resolved, signer: await createSigner({ privateJwk: resolved.privateJwk, oin }) };
}

/** A resolver over explicit entries: OIN → keys with validity and role. */
export function resolverOf(entries: readonly { oin: string; key: Omit<ResolvedKey, 'kid' | 'jwk'> & { generated: GeneratedKey } }[]): KeyResolver {
  return {
    resolve(oin, kid) {
      const entry = entries.find((e) => e.oin === oin && e.key.generated.kid === kid);
      if (!entry) return undefined;
      const { generated, ...validity } = entry.key;
      return { kid: generated.kid, jwk: generated.publicJwk, ...validity };
    },
  };
}

/** Every string of length >= 4 in a JSON value: no error message may contain one of them. */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return value.length >= 4 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsOf);
  return [];
}

/** Awaits `promise`, expects it to reject with a ZichtError of `code`, whose message quotes nothing of `bericht`. */
export async function expectCode(promise: Promise<unknown>, code: ErrorCode, bericht?: unknown): Promise<ZichtError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code}, but nothing was thrown`).toBeInstanceOf(ZichtError);
  const error = caught as ZichtError;
  expect(error.code).toBe(code);
  if (bericht !== undefined) {
    for (const s of stringsOf(bericht)) expect(error.message).not.toContain(s);
  }
  return error;
}
