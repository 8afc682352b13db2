/**
 * The in-memory participant registry: for tests and demo networks (loaded from a registry file,
 * src/registry/file.ts). Every participant is validated on the way in, including that each `kid` is
 * its key's RFC 7638 thumbprint.
 */
import { RegistryError } from '../errors.js';
import { jwkThumbprint } from '../signing/thumbprint.js';
import { Deelnemer, Sleutel } from './deelnemer.js';
import type { DeelnemerRepository } from './repository.js';

function parseSleutel(value: unknown, index: number): Sleutel {
  const parsed = Sleutel.safeParse(value);
  if (!parsed.success) throw new RegistryError('ZICHT_REGISTRY_INVALID', `sleutels[${index}]: a key does not match the schema (a public EC P-256, RSA or OKP Ed25519 JWK with kid and validity)`);
  if (parsed.data.kid !== jwkThumbprint(parsed.data.jwk)) throw new RegistryError('ZICHT_REGISTRY_INVALID', `sleutels[${index}].kid: a key's kid is not its RFC 7638 thumbprint`);
  if (parsed.data.jwk.kid !== undefined && parsed.data.jwk.kid !== parsed.data.kid) throw new RegistryError('ZICHT_REGISTRY_INVALID', `sleutels[${index}].jwk.kid: a JWK's own kid differs from the key's kid`);
  return parsed.data;
}

/** A zod issue's path as `a.b[0]`. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

function parseDeelnemer(value: unknown): Deelnemer {
  const parsed = Deelnemer.safeParse(value);
  if (!parsed.success) {
    // A broken rule (ENC-001, ENC-002) is named with its own message; those messages never quote the input.
    const ruled = parsed.error.issues.find((issue) => issue.code === 'custom' && typeof issue.params?.rule === 'string');
    if (ruled?.code === 'custom') throw new RegistryError('ZICHT_REGISTRY_INVALID', ruled.message, { rule: String(ruled.params?.rule) });
    // The field and what is wrong with it (zod's messages name expected types and options, not the value given).
    const first = parsed.error.issues[0];
    throw new RegistryError('ZICHT_REGISTRY_INVALID', first === undefined ? 'a participant does not match the schema' : `${fieldOf(first.path) || 'the participant'}: ${first.message}`);
  }
  const sleutels = parsed.data.sleutels.map((sleutel, index) => parseSleutel(sleutel, index));
  if (new Set(sleutels.map((s) => s.kid)).size !== sleutels.length) throw new RegistryError('ZICHT_REGISTRY_CONFLICT', 'a participant lists the same key twice');
  return { ...parsed.data, sleutels };
}

/** A {@link DeelnemerRepository} held in memory. */
export class InMemoryDeelnemerRepository implements DeelnemerRepository {
  readonly #byOin = new Map<string, Deelnemer>();

  /** A registry holding `deelnemers` (validated as by {@link InMemoryDeelnemerRepository.add}). */
  static async of(deelnemers: readonly unknown[]): Promise<InMemoryDeelnemerRepository> {
    const repository = new InMemoryDeelnemerRepository();
    for (const deelnemer of deelnemers) await repository.add(deelnemer);
    return repository;
  }

  get(oin: string): Promise<Deelnemer | undefined> {
    return Promise.resolve(this.#byOin.get(oin));
  }

  list(): Promise<readonly Deelnemer[]> {
    return Promise.resolve([...this.#byOin.values()].sort((a, b) => (a.oin < b.oin ? -1 : a.oin > b.oin ? 1 : 0)));
  }

  add(deelnemer: unknown): Promise<Deelnemer> {
    return Promise.resolve().then(() => {
      const parsed = parseDeelnemer(deelnemer);
      if (this.#byOin.has(parsed.oin)) throw new RegistryError('ZICHT_REGISTRY_CONFLICT', 'a participant with this OIN is already registered');
      this.#byOin.set(parsed.oin, parsed);
      return parsed;
    });
  }

  setStatus(oin: string, status: Deelnemer['status']): Promise<void> {
    return Promise.resolve().then(() => {
      this.#byOin.set(oin, { ...this.#require(oin), status });
    });
  }

  addKey(oin: string, sleutel: unknown): Promise<Sleutel> {
    return Promise.resolve().then(() => {
      const deelnemer = this.#require(oin);
      const parsed = parseSleutel(sleutel, deelnemer.sleutels.length);
      if (deelnemer.sleutels.some((s) => s.kid === parsed.kid)) throw new RegistryError('ZICHT_REGISTRY_CONFLICT', 'the participant already has this key');
      this.#byOin.set(oin, { ...deelnemer, sleutels: [...deelnemer.sleutels, parsed] });
      return parsed;
    });
  }

  revokeKey(oin: string, kid: string, at: Date): Promise<void> {
    return Promise.resolve().then(() => {
      const deelnemer = this.#require(oin);
      if (!deelnemer.sleutels.some((s) => s.kid === kid)) throw new RegistryError('ZICHT_REGISTRY_CONFLICT', 'the participant has no key with this kid');
      const sleutels = deelnemer.sleutels.map((s) =>
        s.kid === kid && (s.revokedAt === undefined || Date.parse(s.revokedAt) > at.getTime()) ? { ...s, revokedAt: at.toISOString() } : s,
      );
      this.#byOin.set(oin, { ...deelnemer, sleutels });
    });
  }

  #require(oin: string): Deelnemer {
    const deelnemer = this.#byOin.get(oin);
    if (!deelnemer) throw new RegistryError('ZICHT_REGISTRY_CONFLICT', 'no participant with this OIN is registered');
    return deelnemer;
  }
}
